"""What the sandbox carrier bills: an X12 210 freight invoice for each load it delivers.

:class:`CarrierBilling` keeps the billing scenario (the carrier's, and one per load), makes
the :class:`~logistics_adapters.canonical.FreightInvoice` of a delivered load, has it sent
and remembers it; :class:`~.carrier_edi.CarrierPartner` bills a load when it sends the 214 of
its delivery::

    carrier.set_billing("accessorial", accessorials={"LFT": "75.00", "RES": "95.00"})
    carrier.set_billing("none", reference="TO2600012")  # this load is not billed
    carrier.set_billing(duplicate=True, over=10)  # from now on: sent twice, 10 % too much
    carrier.invoices()  # the invoices sent: number, reference, total, charges, files

Scenarios: ``exact`` (one ``400`` Freight charge: the 204's estimated cost, L305, or the
carrier's ``default_freight`` without one), ``accessorial`` (the same and the accessorial
charges, X12 element 150 code -> amount, ``LFT`` 75.00 unless told) and ``none`` (no
invoice). Beside the scenario, each kept until changed: ``duplicate`` (the same invoice, its
number and content, in two interchanges) and ``over`` (the freight charge that many percent
above the estimate, rounded to the cent).

The invoice: number ``<SCAC>-I<six digits>`` counting up (never again after a reset), dated
and delivered today (UTC), in USD unless the 204 said otherwise, B303 the 204's shipment id,
references ``pro`` (the 990's PRO), ``bill_of_lading`` and ``purchase_order`` (the order's,
else its first goods line's) where the 204 gave them; ``ship_from`` and ``ship_to`` the
addresses of the first pickup and the last delivery stop, ``bill_to`` the 204's; ``total``
the sum of the charges. A load is billed once, whatever its timeline says after.
"""

import copy
import itertools
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..canonical import CODE_LIST_X12_150, Charge, FreightInvoice
from ..formats.x12.billing import UnknownChargeCode, charge_code_label, invoice_segments

_logger = logging.getLogger(__name__)

EXACT, ACCESSORIAL, NONE = "exact", "accessorial", "none"
BILLING_SCENARIOS = (EXACT, ACCESSORIAL, NONE)
#: The keys of a billing change (``POST /_sandbox/edi/billing``, :meth:`CarrierBilling.set`).
BILLING_KEYS = ("scenario", "reference", "accessorials", "duplicate", "over")
FREIGHT = "400"
SHIPMENT_ID = "shipment_id"
CURRENCY = "USD"
DEFAULT_FREIGHT = Decimal("850.00")
DEFAULT_ACCESSORIALS = (("LFT", Decimal("75.00")),)
INVOICE_DIGITS = 6
MAX_OVER = 1000
MAX_ACCESSORIALS = 20
#: Amounts this large are no freight charge.
MAX_AMOUNT = Decimal(10) ** 9
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class BillingScenario:
    """How the carrier bills a delivered load: ``name`` (one of :data:`BILLING_SCENARIOS`),
    the ``accessorials`` an ``accessorial`` bill adds (``(code, amount)`` pairs), whether the
    invoice is sent twice (``duplicate``) and the percentage the freight is billed ``over``
    the estimate."""

    name: str = EXACT
    accessorials: tuple = DEFAULT_ACCESSORIALS
    duplicate: bool = False
    over: Decimal = Decimal(0)

    def charges(self, estimate):
        """The charges of a load whose freight is estimated at ``estimate`` (none for
        ``none``)."""
        if self.name == NONE:
            return []
        freight = (estimate * (1 + self.over / 100)).quantize(_CENT, ROUND_HALF_UP)
        charges = [_charge(FREIGHT, freight)]
        if self.name == ACCESSORIAL:
            charges += [_charge(code, amount) for code, amount in self.accessorials]
        return charges

    def changed(self, name=None, *, accessorials=None, duplicate=None, over=None):
        """This scenario with what is given changed (None: kept); accessorials without a
        name ask for the ``accessorial`` scenario. ValueError says what is wrong."""
        if name is not None and name not in BILLING_SCENARIOS:
            raise ValueError(
                f"scenario must be one of {', '.join(BILLING_SCENARIOS)}, not {name!r}"
            )
        changes = {"name": name} if name is not None else {}
        if accessorials is not None:
            if name not in (None, ACCESSORIAL):
                raise ValueError(f"accessorials are billed by the {ACCESSORIAL} scenario only")
            changes |= {"name": ACCESSORIAL, "accessorials": check_accessorials(accessorials)}
        if duplicate is not None:
            if not isinstance(duplicate, bool):
                raise ValueError(f"duplicate must be true or false, not {duplicate!r}")
            changes["duplicate"] = duplicate
        if over is not None:
            changes["over"] = check_over(over)
        return replace(self, **changes)

    def describe(self):
        """The scenario as plain values (amounts as text, to the cent)."""
        return {
            "scenario": self.name,
            "accessorials": {code: str(amount) for code, amount in self.accessorials},
            "duplicate": self.duplicate,
            "over": float(self.over),
        }


class CarrierBilling:
    """The invoices of carrier ``scac`` (see the module doc): ``scenario``, ``accessorials``,
    ``duplicate`` and ``over`` as :meth:`set` takes them, for every load; ``default_freight``
    the freight of a 204 without an estimated cost; ``first_invoice`` the first running
    number. Not thread-safe on its own: the carrier calls it under its lock."""

    def __init__(
        self,
        scac,
        *,
        scenario=None,
        accessorials=None,
        duplicate=None,
        over=None,
        default_freight=DEFAULT_FREIGHT,
        first_invoice=1,
    ):
        self.scac = scac
        self.default_freight = check_amount(default_freight, "default_freight")
        self.scenario = BillingScenario().changed(
            scenario, accessorials=accessorials, duplicate=duplicate, over=over
        )
        self._first_scenario = self.scenario
        self._overrides = {}
        self._billed = {}
        self._numbers = itertools.count(first_invoice)

    def set(self, scenario=None, reference=None, *, accessorials=None, duplicate=None, over=None):
        """Bill the loads from now on (only the load ``reference``, a 204's B204) by
        ``scenario``, with ``accessorials`` ({element 150 code: amount}), ``duplicate`` and
        ``over`` (a percentage); what is not given is kept. Return the
        :class:`BillingScenario`; ValueError says what is wrong."""
        if reference is not None and (not isinstance(reference, str) or not reference):
            raise ValueError(f"reference must be a load's shipment id, not {reference!r}")
        base = self.scenario if reference is None else self.scenario_for(reference)
        chosen = base.changed(scenario, accessorials=accessorials, duplicate=duplicate, over=over)
        if reference is None:
            self.scenario = chosen
        else:
            self._overrides[reference] = chosen
        return chosen

    def scenario_for(self, reference):
        """The :class:`BillingScenario` the load ``reference`` is billed by."""
        return self._overrides.get(reference, self.scenario)

    def bill(self, order, pro, send):
        """Bill the delivered load ``order`` (its 204 read; ``pro`` the carrier's PRO) per its
        scenario, once: its 210 sent by ``send(kind, body, **about)`` (once, twice for a
        duplicate). The invoice's record (:meth:`invoices`); None when not billed."""
        scenario = self.scenario_for(order.reference)
        if scenario.name == NONE or order.reference in self._billed:
            return None
        invoice = self._invoice(order, pro, scenario)
        record = _record(invoice, scenario)
        try:
            body = invoice_segments(invoice)
            for number in range(1, 3 if scenario.duplicate else 2):
                about = {"reference": order.reference, "invoice": invoice.invoice_number}
                record["sent"].append(send("210", body, **about, copy=number))
        except ValueError as exc:  # a value the carrier's delimiters cannot write
            _logger.warning("carrier sandbox: 210 of %s: %s", order.reference, exc)
            record["error"] = str(exc)
        self._billed[order.reference] = record
        return copy.deepcopy(record)

    def _invoice(self, order, pro, scenario):
        """The FreightInvoice of ``order`` per ``scenario``, numbered, dated today (UTC)."""
        today = datetime.now(timezone.utc).date()
        estimate = self.default_freight if order.estimated_cost is None else order.estimated_cost
        number = next(self._numbers) % 10**INVOICE_DIGITS
        invoice = FreightInvoice(
            invoice_number=f"{self.scac}-I{number:0{INVOICE_DIGITS}d}",
            invoice_date=today,
            delivery_date=today,
            carrier=self.scac,
            shipment_reference=order.reference,
            payment_method=order.payment_method,
            currency=order.currency or CURRENCY,
            weight_kg=order.weight_kg,
            bill_to=_party(order.parties.get("bill_to")),
            ship_from=_party(_stop_address(order.stops, "pickup")),
            ship_to=_party(_stop_address(reversed(order.stops), "delivery")),
            charges=scenario.charges(estimate),
            references=_references(order, pro),
            mode="motor",
        )
        invoice.total = invoice.charges_total()
        return invoice

    def invoices(self):
        """The invoices billed so far, oldest first: number, reference, PRO, scenario,
        duplicate, date, currency, total, charges (amounts as text) and the files sent (or
        the error that kept it from being sent)."""
        return [copy.deepcopy(record) for record in self._billed.values()]

    def summary(self):
        """The carrier's billing scenario, the per-load ones and the invoices, as plain
        values."""
        invoices = self.invoices()
        return {
            "billing": self.scenario.describe(),
            "overrides": {ref: found.describe() for ref, found in self._overrides.items()},
            "count": len(invoices),
            "invoices": invoices,
        }

    def reset(self):
        """Forget the invoices and the per-load scenarios; back to the first scenario (the
        invoice numbers go on counting)."""
        self._billed.clear()
        self._overrides.clear()
        self.scenario = self._first_scenario


def check_amount(value, what):
    """``value`` (a number or its text) as a Decimal to the cent; ValueError names ``what``
    when it is no amount in dollars and cents."""
    try:
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise InvalidOperation
        found = Decimal(str(value).strip())
        if not found.is_finite() or abs(found) >= MAX_AMOUNT or found != found.quantize(_CENT):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise ValueError(f"{what} must be an amount in dollars and cents, not {value!r}") from None
    return found.quantize(_CENT)


def check_over(value):
    """The percentage ``value`` (a number or its text) as a Decimal from 0 to
    :data:`MAX_OVER`; ValueError says what is wrong."""
    try:
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise InvalidOperation
        found = Decimal(str(value).strip())
        if not found.is_finite() or not 0 <= found <= MAX_OVER:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise ValueError(f"over must be a percentage from 0 to {MAX_OVER}, not {value!r}") from None
    return found


def check_accessorials(accessorials):
    """``accessorials`` ({X12 element 150 code: amount}) as ``(code, Decimal)`` pairs, in
    order; ValueError names the code or amount at fault."""
    if not isinstance(accessorials, dict) or not accessorials:
        raise ValueError(
            f"accessorials must map X12 element 150 codes to amounts, not {accessorials!r}"
        )
    if len(accessorials) > MAX_ACCESSORIALS:
        raise ValueError(f"at most {MAX_ACCESSORIALS} accessorials")
    pairs = []
    for code, amount in accessorials.items():
        if code == FREIGHT:
            raise ValueError(f"accessorials: {FREIGHT} is the freight charge, not an accessorial")
        try:
            charge_code_label(code)
        except UnknownChargeCode as exc:
            raise ValueError(f"accessorials: {exc}") from None
        pairs.append((code, check_amount(amount, f"accessorials: the amount of {code}")))
    return tuple(pairs)


def parse_accessorial(text):
    """An accessorial written ``CODE=AMOUNT`` (``LFT=75.00``, the command line's) as a
    ``(code, Decimal)`` pair; ValueError says what is wrong."""
    code, equals, amount = text.partition("=")
    if not equals or not code.strip():
        raise ValueError(f"accessorial {text!r} is not CODE=AMOUNT (LFT=75.00)")
    return check_accessorials({code.strip(): amount})[0]


def _charge(code, amount):
    return Charge(code, amount, charge_code_label(code), code_list=CODE_LIST_X12_150)


def _stop_address(stops, kind):
    """The address of the first of ``stops`` of ``kind`` (None without one)."""
    return next((stop.address for stop in stops if stop.kind == kind), None)


def _party(address):
    """``address`` when a 210 can name it (N102: a company or a name), else None."""
    return address if address is not None and (address.company or address.name) else None


def _references(order, pro):
    """The invoice's references: the PRO, the 204's bill of lading and purchase order (the
    order's, else its first goods line's), its shipment id (B303)."""
    purchase_order = order.references.get("purchase_order") or next(
        (goods.purchase_order for goods in order.goods if goods.purchase_order), ""
    )
    found = {
        "pro": pro,
        "bill_of_lading": order.references.get("bill_of_lading", ""),
        "purchase_order": purchase_order,
    }
    return {kind: value for kind, value in found.items() if value} | {SHIPMENT_ID: order.reference}


def _record(invoice, scenario):
    """What :meth:`CarrierBilling.invoices` says of ``invoice``, before it is sent."""
    return {
        "number": invoice.invoice_number,
        "reference": invoice.shipment_reference,
        "pro": invoice.references.get("pro", ""),
        "scenario": scenario.name,
        "duplicate": scenario.duplicate,
        "date": invoice.invoice_date.isoformat(),
        "currency": invoice.currency,
        "total": str(invoice.total),
        "charges": [
            {"code": c.code, "amount": str(c.amount), "description": c.description}
            for c in invoice.charges
        ],
        "sent": [],
    }
