"""The sandbox's 3PL: it takes warehouse orders (940) and transfers (943), answers 997s, ships
them with 945s and receives them with 944s by scenario, and reports its stock in 846s.

A :class:`ThreePlPartner` is an :class:`~.edi.EdiPartner` (same folders, log, modes, control
numbers and routes) that also keeps the orders it acknowledged, and a stock::

    three_pl = ThreePlPartner(
        "/srv/edi/to_3pl", "/srv/edi/from_3pl", warehouse="KEYMEM",
        stock={"TILE-6060": 1700, "ADH-20": [(60, "AD2611-07"), (40, "AD2612-02")]},
    )
    three_pl.set_scenario("partial")  # every order from now on
    three_pl.set_scenario("hold", reference="WH/OUT/00042")  # but this one waits
    three_pl.pickup()  # a 997 per interchange; the orders kept
    three_pl.advance()  # a 945 (944) of what each order is due to ship (receive), now
    three_pl.inventory(drift={"TILE-6060": -2})  # an 846 of the stock, two tiles short
    with three_pl:  # pickup every second, then what is due (``ship_after``)
        ...

Scenarios (per order, or for all): ``ship`` (a 945 of everything), ``partial`` (a 945 of
half of each line, rounded down, the rest on the next advance; a line of one unit waits for
the rest), ``short`` (a 945 of the same halves, a line of one unit shipping none, and never
the rest), ``lots`` (a line of a product the stock holds in several lots ships
half from the first and the rest from the next), ``bad`` (the 945's first line names
product :data:`BAD_PRODUCT`, which exists nowhere) and ``hold`` (nothing until the scenario
changes). Every 945 line is in a package of its own: an SSCC-18 (``MAN*GM``) and a tracking
number (``MAN*CP``); its status is ``CC`` when it ships what was open of the line, else
``CP``. A 943 is received whole by a 944 (unless held), with the scenario's ``damaged``
quantity on each line.

Stock: ``{product code: {lot: quantity}}`` (lot ``""`` for none), from what the 3PL is told
(``stock=`` or :meth:`set_stock`; each product's quantity, ``(quantity, lot)`` or a list of
them). A shipment takes from the lot the order names, else from the lots in the order the
stock lists them; what the stock lacks ships all the same (from the last lot taken, or
none) and the stock stays at zero. A receipt adds what is received and not damaged, to the
order line's lot. An 846 (:meth:`inventory`) lists every product and lot held (even at zero)
in ``unit``; its ``drift`` (product code -> quantity added, a code the stock does not hold
being a new line) and ``percent`` (on the first ``products`` products) change what the 846
says, not the stock.

Orders: an original 940 or 943 is kept (again as new once the one before is closed); a
change (W05 ``R``) replaces an open order's lines, what was shipped of each line (by line
number) counting against the new quantities; a cancellation (W05 ``F``) closes an open order,
nothing more ships. Served in a sandbox, its control routes add ``POST
/_sandbox/edi/scenario``, ``POST /_sandbox/edi/advance``, ``POST /_sandbox/edi/inventory``,
``POST /_sandbox/edi/stock`` and ``GET /_sandbox/edi/orders``.
"""

import functools
import itertools
import logging
import math
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..canonical import (
    InventoryLine,
    InventorySnapshot,
    Lot,
    Package,
    ShipConfirmation,
    ShipLine,
    WarehouseOrder,
)
from ..errors import AdapterError
from ..formats.x12.warehouse import (
    confirmation_segments,
    inventory_segments,
    read_order,
    receipt_segments,
)
from .carrier_edi import _acknowledged as acknowledged
from .core import HttpError, check_keys, control_route, json_response
from .edi import EdiPartner, clock_start

_logger = logging.getLogger(__name__)

SHIP, PARTIAL, SHORT, LOTS, BAD, HOLD = "ship", "partial", "short", "lots", "bad", "hold"
SCENARIOS = (SHIP, PARTIAL, SHORT, LOTS, BAD, HOLD)
#: What an order is at the 3PL; the closed ones ship (receive) nothing more.
OPEN, HELD, SHIPPED, RECEIVED, CANCELLED = "open", "held", "shipped", "received", "cancelled"
CLOSED = frozenset({SHIPPED, SHORT, RECEIVED, CANCELLED})
ORDER_KINDS = ("940", "943")
DEFAULT_WAREHOUSE = "SANDBOX3PL"
DEFAULT_UNIT = "EA"
#: The product code of the ``bad`` scenario: no product has it.
BAD_PRODUCT = "NO-SUCH-ITEM"
#: The GS1 company prefix of the SSCCs (GS1's own example prefix).
GS1_PREFIX = "0614141"
TRACKING_PREFIX = "1Z999AA1"
COMPLETE, PARTIAL_LINE = "CC", "CP"
NUMBER_DIGITS = 6
_SCENARIO_KEYS = ("scenario", "reference", "damaged")
_INVENTORY_KEYS = ("drift", "percent", "products")


@dataclass(frozen=True)
class Scenario:
    """How the 3PL works an order: ``name`` (one of :data:`SCENARIOS`) and the ``damaged``
    quantity reported on each line of a receipt."""

    name: str
    damaged: float = 0.0

    def describe(self):
        """The scenario as plain values."""
        return {"scenario": self.name, "damaged": self.damaged}


@dataclass
class HeldOrder:
    """One order as the 3PL keeps it: the order (the latest change), its ``status``, what was
    shipped of each line (by :func:`line_key`), when it is next due (clock seconds, None: only
    on :meth:`ThreePlPartner.advance`) and what was sent."""

    order: WarehouseOrder
    due_at: float | None = None
    status: str = OPEN
    shipped: dict = field(default_factory=dict)
    sent: list = field(default_factory=list)

    @property
    def reference(self):
        """The depositor's order number (W0502 / W0602)."""
        return self.order.reference

    def open_lines(self):
        """``(line, quantity still to ship)`` of each line with some left."""
        found = []
        for line in self.order.lines:
            left = round(line.quantity - self.shipped.get(line_key(line), 0.0), 6)
            if left > 0:
                found.append((line, left))
        return found

    def summary(self, now):
        """The order as plain values."""
        return {
            "reference": self.reference,
            "kind": self.order.kind,
            "status": self.status,
            "due_in": None if self.due_at is None else round(max(0.0, self.due_at - now), 3),
            "lines": [
                {
                    "line_number": line.line_number,
                    "product_code": line.product_code,
                    "quantity": line.quantity,
                    "lot_number": line.lot_number,
                    "done": self.shipped.get(line_key(line), 0.0),
                }
                for line in self.order.lines
            ],
            "sent": [dict(item) for item in self.sent],
        }


def answered(keys):
    """Make a control action ``act(self, spec) -> value`` a handler ``(self, request)``: the
    request's JSON body, its ``keys`` checked, is ``spec``, and :meth:`ThreePlPartner._answer`
    answers with the value or the error (the action itself stays as ``__wrapped__``)."""

    def decorate(act):
        @functools.wraps(act)
        def handler(self, request):
            return self._answer(keys, functools.partial(act, self), request)

        return handler

    return decorate


class ThreePlPartner(EdiPartner):
    """A 3PL warehouse (``warehouse``, its N104 code and, unless ``partner_id`` is given, its
    interchange id ``("ZZ", warehouse)``) working the orders it takes by scenario (see the
    module doc).

    ``scenario`` and ``damaged`` are the 3PL's way with every order (:meth:`set_scenario`
    changes it); ``stock`` what it holds at the start. ``ship_after`` is the seconds from an
    order's receipt (and from a partial shipment) to its next shipment when the 3PL works on
    its own (the background thread, :meth:`ship_due`); None: only :meth:`advance` ships.
    ``unit`` is the unit of its 846s; ``first_number`` starts its shipment, receipt and report
    numbers, SSCCs and tracking numbers (default: from the clock); ``clock`` gives the seconds
    ``ship_after`` counts. Other keywords are :class:`EdiPartner`'s.
    """

    def __init__(
        self,
        inbox,
        outbox,
        *,
        warehouse=DEFAULT_WAREHOUSE,
        partner_id=None,
        scenario=SHIP,
        damaged=0.0,
        stock=None,
        ship_after=None,
        unit=DEFAULT_UNIT,
        first_number=None,
        clock=time.monotonic,
        **options,
    ):
        super().__init__(inbox, outbox, partner_id=partner_id or ("ZZ", warehouse), **options)
        if ship_after is not None and not _is_number(ship_after, minimum=0):
            raise ValueError(f"ship_after must be a number of seconds or None, not {ship_after!r}")
        self.warehouse = warehouse
        self.ship_after = ship_after
        self.unit = unit
        self.clock = clock
        self._first_scenario = self._scenario(scenario, damaged)
        #: The scenario of each order that has its own, and under None everyone else's.
        self._scenarios = {None: self._first_scenario}
        self._first_stock = check_stock(stock or {})
        self._stock = _copy_stock(self._first_stock)
        self._orders = {}
        self._numbers = itertools.count(first_number or clock_start() % 10**NUMBER_DIGITS)

    # -- scenarios and stock -------------------------------------------------------------------

    def set_scenario(self, scenario, reference=None, *, damaged=None):
        """Work the orders from now on by ``scenario`` (one of :data:`SCENARIOS`), or only the
        order ``reference``; ``damaged`` is the quantity reported damaged on each line of a
        receipt (default: the 3PL's). Return the :class:`Scenario`; ValueError says what is
        wrong."""
        if reference is not None and (not isinstance(reference, str) or not reference):
            raise ValueError(f"reference must be an order number, not {reference!r}")
        damaged = self.scenario.damaged if damaged is None else damaged
        self._scenarios[reference] = chosen = self._scenario(scenario, damaged)
        return chosen

    @property
    def scenario(self):
        """The :class:`Scenario` of the orders without one of their own."""
        return self._scenarios[None]

    def scenario_for(self, reference):
        """The :class:`Scenario` the order ``reference`` is worked by."""
        return self._scenarios.get(reference, self.scenario)

    @staticmethod
    def _scenario(name, damaged):
        if name not in SCENARIOS:
            raise ValueError(f"scenario must be one of {', '.join(SCENARIOS)}, not {name!r}")
        if not _is_number(damaged, minimum=0):
            raise ValueError(f"damaged must be a quantity, not {damaged!r}")
        return Scenario(name, float(damaged))

    def set_stock(self, stock):
        """Hold ``stock`` from now on (see :func:`check_stock`); return it as :meth:`stock`
        gives it."""
        checked = check_stock(stock)
        with self._io_lock:
            self._stock = checked
        return self.stock()

    def stock(self):
        """What the 3PL holds: ``{product code: [[quantity, lot], ...]}``."""
        with self._io_lock:
            return {
                code: [[quantity, lot] for lot, quantity in lots.items()]
                for code, lots in self._stock.items()
            }

    def orders(self):
        """Every order taken so far as plain values (:meth:`HeldOrder.summary`), oldest
        first."""
        with self._io_lock:
            now = self.clock()
            return [held.summary(now) for held in self._orders.values()]

    def reset(self):
        """Forget the log, the orders and the per-order scenarios; back to the first scenario,
        the first stock and to accepting 997s."""
        super().reset()
        with self._io_lock:
            self._orders.clear()
            self._scenarios = {None: self._first_scenario}
            self._stock = _copy_stock(self._first_stock)

    # -- orders in -----------------------------------------------------------------------------

    def pickup(self):
        """Take the inbox's files as :meth:`EdiPartner.pickup` does, then ship (receive) what
        has fallen due (:meth:`ship_due`); return the log entries of the files taken."""
        taken = super().pickup()
        self.ship_due()
        return taken

    def _handle(self, readings, interchanges):
        """Keep or cancel the order of every 940 and 943 the 997 accepted (or that had no
        997); the file's log entry lists what became of each."""
        units = [
            (unit, described["answer"])
            for reading, described in zip(readings, interchanges, strict=True)
            for unit in reading.units
        ]
        return {
            "orders": [
                self._take_order(unit)
                for unit, answer in units
                if unit.kind in ORDER_KINDS and acknowledged(answer, unit)
            ]
        }

    def _take_order(self, unit):
        """Read one 940 or 943 set and keep or cancel its order; its log entry."""
        try:
            order = read_order(unit.kind, [s for s in unit.segments if s[0] not in ("ST", "SE")])
        except ValueError as exc:
            return {"set": unit.control_number, "kind": unit.kind, "error": str(exc)}
        act = self._cancel if order.purpose == "cancel" else self._keep
        about = {"reference": order.reference, "purpose": order.purpose}
        return {"set": unit.control_number, "kind": unit.kind, **about, **act(order)}

    def _keep(self, order):
        """Keep an original order (anew once the one before is closed), or replace an open
        one's lines by its change; a change of a closed order is ignored."""
        held = self._orders.get(order.reference)
        if held is not None and held.status in CLOSED and order.purpose == "change":
            return {"kept": False, "status": held.status}
        if held is None or held.status in CLOSED:
            self._orders.pop(order.reference, None)
            held = self._orders[order.reference] = HeldOrder(order, self._due())
            return {"kept": True, "status": held.status}
        held.order = order
        return {"kept": True, "status": held.status, "replaced": True}

    def _cancel(self, order):
        """Close the open order ``order`` cancels."""
        held = self._orders.get(order.reference)
        if held is None or held.status in CLOSED:
            return {"cancelled": False, "status": held.status if held else None}
        held.status = CANCELLED
        return {"cancelled": True, "status": CANCELLED}

    def _due(self):
        return None if self.ship_after is None else self.clock() + self.ship_after

    # -- shipments and receipts out ------------------------------------------------------------

    def advance(self, reference=None):
        """Ship (receive) now what every open order (``reference`` only) is due to by its
        scenario, whenever its time; return what was sent. LookupError when ``reference`` is
        no order."""
        with self._io_lock:
            if reference is not None and reference not in self._orders:
                raise LookupError(f"no order {reference!r} was received")
            chosen = self._orders.values() if reference is None else [self._orders[reference]]
            return [sent for held in list(chosen) for sent in self._work(held)]

    def ship_due(self):
        """Ship (receive) what the open orders whose time has come are due to (nothing when
        ``ship_after`` is None)."""
        if self.ship_after is None:
            return []
        with self._io_lock:
            now = self.clock()
            due = [held for held in self._orders.values() if _is_due(held, now)]
            return [sent for held in due for sent in self._work(held)]

    def _work(self, held):
        """What ``held`` sends now by its scenario (a list of one, or empty). The stock a
        document takes, and what it ships of each line, count once it is written."""
        if held.status in CLOSED:
            return []
        scenario = self.scenario_for(held.reference)
        if scenario.name == HOLD:
            held.status = HELD
            return []
        inbound = held.order.kind == "inbound"
        if not held.open_lines():  # a change left nothing to ship
            held.status = RECEIVED if inbound else SHIPPED
            return []
        codes = {line.product_code for line in held.order.lines}
        stock = {code: dict(self._stock.get(code, {})) for code in codes}
        make = self._receipt if inbound else self._shipment
        try:
            document = make(held, scenario, stock)
            file_name, control = self.send(document.kind, [document.segments])
        except ValueError as exc:  # a value the 3PL's delimiters cannot write
            _logger.warning("3PL sandbox: order %s: %s", held.reference, exc)
            return [{"reference": held.reference, "error": str(exc)}]
        self._stock |= {code: lots for code, lots in stock.items() if lots}
        for key, quantity in document.done.items():
            held.shipped[key] = held.shipped.get(key, 0.0) + quantity
        held.status, held.due_at = document.status, self._due()
        sent = {"reference": held.reference, "kind": document.kind, "file": file_name}
        sent |= {"control_number": control, "scenario": scenario.name, "status": held.status}
        held.sent.append(sent)
        return [sent]

    def _shipment(self, held, scenario, stock):
        """The 945 of what ``held`` ships now by ``scenario``, taken from ``stock``."""
        open_lines = held.open_lines()
        plan = _plan(open_lines, scenario.name, first=not held.shipped)
        lines, packages = [], []
        for line, left, quantity in plan:
            packages.append(self._package())
            lots = _pick(stock[line.product_code], quantity, line.lot_number, scenario.name == LOTS)
            lines.append(
                _ship_line(line, quantity, ordered=left, package=packages[-1].reference, lots=lots)
            )
        if lines and scenario.name == BAD:
            lines[0].product_code, lines[0].product_ids = BAD_PRODUCT, {"vendor_item": BAD_PRODUCT}
        everything = len(plan) == len(open_lines) and all(q == left for _l, left, q in plan)
        status = SHORT if scenario.name == SHORT else SHIPPED if everything else PARTIAL
        confirmation = ShipConfirmation(
            held.reference,
            partner_reference=self._reference("SH"),
            warehouse=self.warehouse,
            confirmed_at=_now(),
            carrier=held.order.carrier,
            service=held.order.service,
            tracking_number=packages[0].tracking_number if packages else "",
            lines=lines,
            packages=packages,
        )
        done = {line_key(line): quantity for line, _left, quantity in plan}
        return _Document("945", confirmation_segments(confirmation), status, done)

    def _receipt(self, held, scenario, stock):
        """The 944 of what ``held`` (inbound) brings, all of it, into ``stock``."""
        lines = []
        for line, left in held.open_lines():
            damaged = min(scenario.damaged, left)
            lots = stock[line.product_code]
            lots[line.lot_number] = lots.get(line.lot_number, 0.0) + left - damaged
            lines.append(_ship_line(line, left, lots=[(line.lot_number, left)], damaged=damaged))
        confirmation = ShipConfirmation(
            held.reference,
            kind="receipt",
            partner_reference=self._reference("RC"),
            warehouse=self.warehouse,
            confirmed_at=_now(),
            carrier=held.order.carrier,
            service=held.order.service,
            lines=lines,
        )
        done = {line_key(line): left for line, left in held.open_lines()}
        return _Document("944", receipt_segments(confirmation), RECEIVED, done)

    def _package(self):
        """A new package: its SSCC-18 and its tracking number."""
        number = next(self._numbers)
        return Package(reference=sscc(number), tracking_number=f"{TRACKING_PREFIX}{number:010d}")

    def _reference(self, prefix):
        """A new document number of the 3PL: ``prefix`` and digits."""
        return f"{prefix}{next(self._numbers):0{NUMBER_DIGITS}d}"

    # -- inventory -----------------------------------------------------------------------------

    def inventory(self, drift=None, *, percent=0.0, products=0):
        """Write an 846 of the stock now, said with ``drift`` (product code -> quantity
        added) and ``percent`` more of the first ``products`` products (see the module doc);
        return what was sent. ValueError says what is wrong."""
        drift = _check_drift(drift)
        if not _is_number(percent, minimum=-100):
            raise ValueError(f"percent must be a number from -100, not {percent!r}")
        if isinstance(products, bool) or not isinstance(products, int) or products < 0:
            raise ValueError(f"products must be a count of products, not {products!r}")
        with self._io_lock:
            lines = self._count(drift, percent, products)
            snapshot = InventorySnapshot(self.warehouse, self._reference("IN"), _now(), lines)
            file_name, control = self.send("846", [list(inventory_segments(snapshot))])
        reference = snapshot.partner_reference
        return {
            "file": file_name,
            "control_number": control,
            "reference": reference,
            "lines": len(lines),
        }

    def _count(self, drift, percent, products):
        """The 846's lines: every product and lot held, drifted."""
        lines = []
        for rank, (code, lots) in enumerate(self._stock.items()):
            factor = 1 + percent / 100 if rank < products else 1
            lines += [self._counted(code, quantity * factor, lot) for lot, quantity in lots.items()]
        for code, delta in drift.items():
            line = next((line for line in lines if line.product_code == code), None)
            if line is None:
                lines.append(self._counted(code, delta, ""))
            else:
                line.quantity = line.quantities["on_hand"] = max(
                    0.0, round(line.quantity + delta, 3)
                )
        return lines

    def _counted(self, code, quantity, lot):
        quantity = max(0.0, round(quantity, 3))
        return InventoryLine(
            code,
            quantity,
            self.unit,
            lot,
            product_ids={"vendor_item": code},
            quantities={"on_hand": quantity},
        )

    # -- control routes (served under /_sandbox/edi, after the EDI partner's) ------------------

    def _answer(self, keys, act, request):
        """Answer ``request`` with what ``act`` gives for its JSON body (its ``keys`` checked):
        a ValueError is a 400, a LookupError a 404, a folder that fails a 503."""
        spec = request.json(required=False)
        check_keys(spec, keys, "a 3PL control request")
        try:
            return json_response(200, act(spec))
        except ValueError as exc:
            raise HttpError(400, str(exc)) from None
        except LookupError as exc:
            raise HttpError(404, str(exc)) from None
        except AdapterError as exc:
            raise HttpError(503, f"cannot write in the outbox: {exc}") from None

    @control_route("POST", "/scenario")
    @answered(_SCENARIO_KEYS)
    def _http_scenario(self, spec):
        reference = spec.get("reference")
        chosen = self.set_scenario(spec.get("scenario"), reference, damaged=spec.get("damaged"))
        return {**chosen.describe(), "reference": reference}

    @control_route("POST", "/advance")
    @answered(("reference",))
    def _http_advance(self, spec):
        sent = self.advance(spec.get("reference"))
        return {"count": len(sent), "sent": sent}

    @control_route("POST", "/inventory")
    @answered(_INVENTORY_KEYS)
    def _http_count(self, spec):
        percent, products = spec.get("percent", 0.0), spec.get("products", 0)
        return self.inventory(spec.get("drift"), percent=percent, products=products)

    @control_route("POST", "/stock")
    @answered(("stock",))
    def _http_stock(self, spec):
        return {"stock": self.set_stock(spec.get("stock"))}

    @control_route("GET", "/orders")
    def _http_orders(self, request):
        overrides = {ref: found.describe() for ref, found in self._scenarios.items() if ref}
        return json_response(
            200,
            {
                "warehouse": self.warehouse,
                "scenario": self.scenario.describe(),
                "overrides": overrides,
                "orders": self.orders(),
                "stock": self.stock(),
            },
        )


@dataclass
class _Document:
    """A 945 or 944 to write: its ``kind``, body ``segments``, the order's ``status`` once
    it is written and what it ships (receives) of each line (``done``, by line key)."""

    kind: str
    segments: list
    status: str
    done: dict


def line_key(line):
    """What identifies an order line across changes: its line number, else its product."""
    return line.line_number or line.product_code


def check_stock(stock):
    """``stock`` (product code -> its quantity, ``(quantity, lot)`` or a list of them) as
    ``{code: {lot: quantity}}``; ValueError says what is wrong."""
    if not isinstance(stock, dict):
        raise ValueError(f"stock maps product codes to quantities, not {stock!r}")
    found = {}
    for code, held in stock.items():
        if not isinstance(code, str) or not code:
            raise ValueError(f"stock: a product code is some text, not {code!r}")
        entries = [held] if _is_number(held) or _is_entry(held) else held
        if not isinstance(entries, (list, tuple)):
            raise ValueError(f"stock of {code}: a quantity, [quantity, lot] or a list of them")
        lots = found[code] = {}
        for entry in entries:
            quantity, lot = _entry(code, [entry, ""] if _is_number(entry) else entry)
            lots[lot] = lots.get(lot, 0.0) + float(quantity)
    return found


def _is_entry(value):
    return (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and _is_number(value[0])
        and isinstance(value[1], str)
    )


def _entry(code, entry):
    if not _is_entry(entry) or entry[0] < 0:
        raise ValueError(f"stock of {code}: {entry!r} is no quantity nor [quantity, lot]")
    return entry


def _copy_stock(stock):
    return {code: dict(lots) for code, lots in stock.items()}


def _check_drift(drift):
    if drift is None:
        return {}
    if not isinstance(drift, dict) or not all(
        isinstance(code, str) and code and _is_number(delta) for code, delta in drift.items()
    ):
        raise ValueError(f"drift maps product codes to quantities added, not {drift!r}")
    return drift


def _plan(open_lines, scenario, first):
    """``(line, quantity open, quantity shipped now)`` of each of ``open_lines`` (``(line,
    quantity open)``) by ``scenario``: half of each for ``short``, and for ``partial`` the
    ``first`` time (the lines of which half is something; all of them whole when none is)."""
    whole = [(line, left, left) for line, left in open_lines]
    if scenario == SHORT or (scenario == PARTIAL and first):
        halves = [(line, left, _half(left)) for line, left in open_lines]
        return halves if scenario == SHORT else [step for step in halves if step[2]] or whole
    return whole


def _pick(lots, quantity, wanted, split):
    """Take ``quantity`` out of ``lots`` (``{lot: quantity}``, changed): from lot ``wanted``
    when the order names one, else from the lots held in order (for ``split``, at most half
    from the first); what they lack from the last lot taken (or none). ``[(lot, quantity)]``
    taken."""
    order = [wanted] if wanted else [lot for lot, held in lots.items() if held > 0]
    limits = [lots.get(lot, 0.0) for lot in order]
    if split and len(order) > 1:
        limits[0] = min(limits[0], _half(quantity))
    taken, left = {}, quantity
    for lot, limit in zip(order, limits, strict=True):
        take = min(left, limit)
        if take > 0:
            taken[lot], left = take, round(left - take, 6)
    if left > 0:
        last = order[-1] if order else ""
        taken[last] = taken.get(last, 0.0) + left
    for lot, take in taken.items():
        if lot in lots:
            lots[lot] = max(0.0, round(lots[lot] - take, 6))
    return list(taken.items())


def _ship_line(line, quantity, *, ordered=None, package="", lots=(), damaged=0.0):
    """The confirmed line of order ``line``: ``quantity`` shipped of ``ordered`` still open
    (its status then), in ``package``, from ``lots`` (``(lot, quantity)``, unnamed lots
    left out), ``damaged`` of it."""
    status = "" if ordered is None else COMPLETE if quantity == ordered else PARTIAL_LINE
    return ShipLine(
        line.product_code,
        quantity,
        line.line_number,
        quantity_ordered=ordered,
        uom=line.uom,
        package_reference=package,
        lots=[Lot(lot, taken) for lot, taken in lots if lot],
        product_ids=dict(line.product_ids) or {"vendor_item": line.product_code},
        status=status,
        quantity_damaged=damaged or None,
    )


def _half(quantity):
    """Half of ``quantity``, rounded down when it is whole."""
    return float(math.floor(quantity / 2)) if quantity == int(quantity) else round(quantity / 2, 3)


def sscc(serial):
    """The SSCC-18 of ``serial`` under :data:`GS1_PREFIX`: extension digit 0, the prefix, the
    serial reference, the GS1 check digit."""
    digits = 16 - len(GS1_PREFIX)
    body = f"0{GS1_PREFIX}{serial % 10**digits:0{digits}d}"
    total = sum(
        int(digit) * (3 if rank % 2 == 0 else 1) for rank, digit in enumerate(reversed(body))
    )
    return f"{body}{-total % 10}"


def _is_number(value, minimum=None):
    return (
        not isinstance(value, bool)
        and isinstance(value, (int, float))
        and math.isfinite(value)
        and (minimum is None or value >= minimum)
    )


def _is_due(held, now):
    return held.status not in CLOSED and held.due_at is not None and held.due_at <= now


def _now():
    return datetime.now(timezone.utc).replace(microsecond=0)
