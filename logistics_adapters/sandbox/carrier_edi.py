"""The sandbox's carrier: it takes load tenders (204), answers 997 and 990, plays a 214 timeline
and bills what it delivers (210).

A :class:`CarrierPartner` is an :class:`~.edi.EdiPartner` (same folders, log, modes, control
numbers and routes) that also acts on the 204s it acknowledged::

    carrier = CarrierPartner("/srv/edi/to_prfr", "/srv/edi/from_prfr", scac="PRFR",
                             timeline=[("AF", 0), ("X6", 2.0), ("D1", 4.0)])
    carrier.set_scenario("decline")  # every load from now on: 990 declined, V9 reason EQU
    carrier.set_scenario("accept", reference="TO2600012")  # but this one is accepted
    carrier.set_billing("accessorial", accessorials={"LFT": "75.00"})  # 210: freight and LFT
    carrier.pickup()  # 997, then a 990 per original (or changed) 204, per the scenario
    carrier.advance()  # the next 214 of each accepted load, now
    carrier.play_now()  # every 214 left, now
    with carrier:  # pickup, and the 214s when they fall due, in a background thread
        ...

Scenarios: ``accept`` (990 ``A`` with the carrier's PRO, then the timeline), ``decline`` (990
``D``, V908 the reason code), ``conditional`` (990 ``C``, the conditions as K1 remarks; no
timeline until a change is accepted) and ``silent`` (no 990). A cancellation (B2A01 ``01``) is
acknowledged and stops its load's timeline. Each 214 reports one step of one load: B10 with
the PRO, the 204's shipment id and the SCAC; an LX loop whose AT7 is dated now (UTC, ``UT``),
MS1 the pickup city for a pickup code (``AF``...), the delivery city for a delivery code
(``D1``...); an estimate code (``AG``) carries the stop's appointment or window (a day from
now without one) as its estimated date.

The 214 saying a load is delivered (:data:`BILLED_CODES`: ``D1``, ``CD``) is followed by the
load's 210 freight invoice in an interchange of its own, once a load, per the billing
scenario (:mod:`.carrier_billing`): ``exact`` (one ``400`` Freight charge, the 204's estimated
cost), ``accessorial`` (and accessorial charges) or ``none``; ``duplicate`` sends it twice,
``over`` bills the freight a percentage above the estimate. Served in a sandbox, its control
routes add ``POST /_sandbox/edi/scenario``, ``POST /_sandbox/edi/advance``, ``GET
/_sandbox/edi/loads``, ``POST /_sandbox/edi/billing`` (``scenario``, ``reference``,
``accessorials`` as ``{code: amount}``, ``duplicate``, ``over``) and ``GET
/_sandbox/edi/invoices``.
"""

import itertools
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from ..canonical import STATUS_DELIVERED, Milestone, TransportOrder
from ..errors import AdapterError
from ..formats.x12.transport import read_tender, response_segments, status_segments
from ..formats.x12.transport import statuses as status_table
from .carrier_billing import BILLING_KEYS, DEFAULT_FREIGHT, CarrierBilling
from .core import HttpError, check_keys, control_route, json_response
from .edi import EdiPartner, clock_start

_logger = logging.getLogger(__name__)

ACCEPT, DECLINE, CONDITIONAL, SILENT = "accept", "decline", "conditional", "silent"
SCENARIOS = (ACCEPT, DECLINE, CONDITIONAL, SILENT)
#: The 990 status (B104) each answering scenario gives.
ANSWERS = {ACCEPT: "accepted", DECLINE: "declined", CONDITIONAL: "conditional"}
DEFAULT_SCAC = "SBOX"
DEFAULT_TIMELINE = (("AF", 0.0), ("X6", 2.0), ("D1", 4.0))
DEFAULT_DECLINE_REASON = "EQU"
DEFAULT_CONDITIONS = "Fuel surcharge 12 percent"
#: AT701 codes reported at the pickup stop, and at the delivery stop (their MS1 city).
PICKUP_CODES = frozenset({"X3", "AA", "L1", "CP", "AM", "AF", "CL"})
DELIVERY_CODES = frozenset({"X1", "S1", "AJ", "AG", "D1", "CD", "AH", "AP", "A7"})
#: AT701 codes saying the load is delivered: the carrier bills it (a 210) once it sent one.
BILLED_CODES = frozenset(
    code for code in DELIVERY_CODES if status_table.STATUSES[code].status == STATUS_DELIVERED
)
ESTIMATE_LEAD = timedelta(days=1)
UTC_CODE = "UT"
MAX_STEPS = 100
MAX_AFTER = 86_400
PRO_DIGITS = 7
_REASON = re.compile(r"[0-9A-Z]{2,3}")
_SCENARIO_KEYS = ("scenario", "reference", "reason", "note")
_ADVANCE_KEYS = ("reference", "all")


@dataclass(frozen=True)
class Scenario:
    """How the carrier answers a load: ``name`` (one of :data:`SCENARIOS`), the decline
    ``reason`` code and the ``note`` of a conditional acceptance."""

    name: str
    reason: str = ""
    note: str = ""

    def describe(self):
        """The scenario as plain values."""
        return {"scenario": self.name, "reason": self.reason, "note": self.note}


@dataclass
class Load:
    """One tendered load as the carrier keeps it: the tender, its PRO, the last answer
    (``accepted``, ``declined``, ``conditional``, ``silent``, ``cancelled``), the timeline
    steps still to play (``(code, seconds after acceptance)``), the 214s sent and the number
    of the invoice billing it."""

    order: TransportOrder
    pro: str = ""
    status: str = ""
    steps: list = field(default_factory=list)
    accepted_at: float | None = None
    sent: list = field(default_factory=list)
    invoice: str = ""

    @property
    def reference(self):
        """The shipment id of the 204 (B204)."""
        return self.order.reference

    def due(self, now):
        """Whether the next step's time has come at clock ``now``."""
        return bool(self.steps) and self.accepted_at + self.steps[0][1] <= now

    def summary(self, now):
        """The load as plain values, the pending steps with the seconds left before each."""
        return {
            "reference": self.reference,
            "pro": self.pro,
            "status": self.status,
            "pickup": _place(_stop(self.order, "pickup")),
            "delivery": _place(_stop(self.order, "delivery")),
            "sent": [dict(item) for item in self.sent],
            "invoice": self.invoice,
            "pending": [
                {"status": code, "due_in": round(max(0.0, self.accepted_at + after - now), 3)}
                for code, after in self.steps
            ],
        }


class CarrierPartner(EdiPartner):
    """A carrier (``scac``, its interchange id: ``partner_id`` ``("ZZ", scac)`` unless given)
    answering load tenders per scenario and playing a 214 timeline (see the module doc).

    ``scenario`` is the carrier's answer to every load (:meth:`set_scenario` changes it);
    ``decline_reason`` and ``conditions`` are the V9 reason code and K1 note by default.
    ``timeline`` lists ``(AT701 code, seconds after acceptance)``. ``first_pro`` starts the
    PRO numbers (default: from the clock); ``clock`` gives the seconds the timeline counts.
    ``billing``, ``accessorials``, ``duplicate_invoices`` and ``over`` are the billing of
    every load (:meth:`set_billing`), ``default_freight`` the freight billed for a 204
    without an estimated cost, ``first_invoice`` the first invoice's running number (default:
    from the clock). Other keywords are :class:`EdiPartner`'s.
    """

    def __init__(
        self,
        inbox,
        outbox,
        *,
        scac=None,
        partner_id=None,
        scenario=ACCEPT,
        decline_reason=DEFAULT_DECLINE_REASON,
        conditions=DEFAULT_CONDITIONS,
        timeline=DEFAULT_TIMELINE,
        first_pro=None,
        clock=time.monotonic,
        billing=None,
        accessorials=None,
        duplicate_invoices=None,
        over=None,
        default_freight=DEFAULT_FREIGHT,
        first_invoice=None,
        **options,
    ):
        scac = scac or (partner_id[1] if partner_id else DEFAULT_SCAC)
        super().__init__(inbox, outbox, partner_id=partner_id or ("ZZ", scac), **options)
        self.scac = scac
        self.timeline = check_timeline(timeline)
        self.clock = clock
        self.decline_reason = _check_reason(decline_reason)
        self.conditions = _check_note(conditions)
        self.scenario = self._scenario(scenario, None, None)
        self._first_scenario = self.scenario
        self._overrides = {}
        self._loads = {}
        self._pros = itertools.count(first_pro or clock_start() % 10**PRO_DIGITS)
        self._billing = CarrierBilling(
            scac,
            scenario=billing,
            accessorials=accessorials,
            duplicate=duplicate_invoices,
            over=over,
            default_freight=default_freight,
            first_invoice=first_invoice or clock_start(),
        )

    # -- scenarios -----------------------------------------------------------------------------

    def set_scenario(self, scenario, reference=None, *, reason=None, note=None):
        """Answer the loads from now on by ``scenario`` (``accept``, ``decline``,
        ``conditional`` or ``silent``), or only the load ``reference`` (a 204's B204);
        ``reason`` and ``note`` override the carrier's decline reason and conditions. Return
        the :class:`Scenario`; ValueError says what is wrong."""
        chosen = self._scenario(scenario, reason, note)
        if reference is None:
            self.scenario = chosen
        elif not isinstance(reference, str) or not reference:
            raise ValueError(f"reference must be a load's shipment id, not {reference!r}")
        else:
            self._overrides[reference] = chosen
        return chosen

    def scenario_for(self, reference):
        """The :class:`Scenario` the load ``reference`` is answered by."""
        return self._overrides.get(reference, self.scenario)

    def _scenario(self, name, reason, note):
        if name not in SCENARIOS:
            raise ValueError(f"scenario must be one of {', '.join(SCENARIOS)}, not {name!r}")
        reason = _check_reason(reason) if reason is not None else self.decline_reason
        note = _check_note(note) if note is not None else self.conditions
        return Scenario(
            name, reason if name == DECLINE else "", note if name == CONDITIONAL else ""
        )

    def set_billing(
        self, scenario=None, reference=None, *, accessorials=None, duplicate=None, over=None
    ):
        """Bill the loads delivered from now on (only the load ``reference``) by ``scenario``
        (``exact``, ``accessorial`` or ``none``), with ``accessorials`` ({X12 element 150 code:
        amount}, asking for ``accessorial``), ``duplicate`` (sent twice) and ``over`` (a
        percentage above the estimate); what is not given is kept. Return the
        :class:`~.carrier_billing.BillingScenario`; ValueError says what is wrong."""
        with self._io_lock:
            return self._billing.set(
                scenario, reference, accessorials=accessorials, duplicate=duplicate, over=over
            )

    def invoices(self):
        """The invoices sent so far as plain values (number, reference, PRO, total, charges,
        files), oldest first."""
        with self._io_lock:
            return self._billing.invoices()

    def loads(self):
        """Every load tendered so far as plain values (:meth:`Load.summary`), oldest first."""
        with self._io_lock:
            now = self.clock()
            return [load.summary(now) for load in self._loads.values()]

    def reset(self):
        """Forget the log, the loads, the invoices and the per-load scenarios; back to the
        first scenarios and to accepting 997s."""
        super().reset()
        with self._io_lock:
            self._loads.clear()
            self._billing.reset()
            self._overrides.clear()
            self.scenario = self._first_scenario

    # -- tenders -------------------------------------------------------------------------------

    def _handle(self, readings, interchanges):
        """Answer every 204 the 997 accepted (or that had no 997); log what became of it."""
        tenders = []
        for reading, described in zip(readings, interchanges, strict=True):
            for unit in reading.units:
                if unit.kind == "204" and _acknowledged(described["answer"], unit):
                    tenders.append(self._tender(unit))
        return {"tenders": tenders}

    def _tender(self, unit):
        """Read one 204 set and act on it; its log entry."""
        entry = {"set": unit.control_number}
        try:
            order = read_tender([s for s in unit.segments if s[0] not in ("ST", "SE")])
            entry |= {"reference": order.reference, "purpose": order.purpose}
            entry |= self._cancel(order) if order.purpose == "cancel" else self._answer(order)
        except ValueError as exc:
            entry["error"] = str(exc)
        return entry

    def _cancel(self, order):
        """Stop the timeline of the load ``order`` cancels."""
        load = self._loads.get(order.reference)
        if load is None:
            return {"cancelled": False}
        dropped = [code for code, _after in load.steps]
        load.status, load.steps = "cancelled", []
        return {"cancelled": True, "dropped": dropped}

    def _answer(self, order):
        """Answer an original or changed tender per its scenario; keep the load."""
        scenario = self.scenario_for(order.reference)
        load = self._keep(order)
        if scenario.name == SILENT:
            self._set_status(load, "silent")
            return {"scenario": SILENT, "answer": None}
        status = ANSWERS[scenario.name]
        if status != "declined" and not load.pro:
            load.pro = self._new_pro()
        response = TransportOrder(
            reference=order.reference,
            carrier=self.scac,
            status=status,
            partner_reference=load.pro if status != "declined" else "",
            decline_reason=scenario.reason,
            notes=scenario.note,
        )
        body = response_segments(response)
        sent = self._send_set("990", body, reference=order.reference, status=status)
        self._set_status(load, status)
        return {"scenario": scenario.name, "pro": response.partner_reference, "answer": sent}

    def _keep(self, order):
        """The load of ``order``, its tender replaced by ``order`` (a change's stops)."""
        load = self._loads.get(order.reference)
        if load is None:
            load = self._loads[order.reference] = Load(order)
        load.order = order
        return load

    def _set_status(self, load, status):
        """Record the load's answer: a new acceptance starts the timeline, a load answered
        otherwise has none; an accepted load accepted again keeps its own."""
        if status == "accepted" and load.status != "accepted":
            load.accepted_at, load.steps = self.clock(), list(self.timeline)
        elif status != "accepted":
            load.steps = []
        load.status = status

    def _new_pro(self):
        return f"{self.scac}{next(self._pros) % 10**PRO_DIGITS:0{PRO_DIGITS}d}"

    def _send_set(self, kind, body, **about):
        """Drop one interchange of one ``kind`` set in the outbox; what the log says of it."""
        payload, control = self._render(kind, [body], self.usage)
        file_name = f"{kind}_{control}.edi"
        self._drop(file_name, kind, control, payload, **about)
        return {"file": file_name, "control_number": control}

    # -- the 214 timeline ----------------------------------------------------------------------

    def advance(self, reference=None):
        """Write the next 214 of every accepted load (of ``reference`` only) now, whenever it
        is due; return what was sent. LookupError when ``reference`` is no load."""
        return self._play(reference, limit=1)

    def play_now(self, reference=None):
        """Write every 214 left of every accepted load (of ``reference`` only) now."""
        return self._play(reference)

    def play_due(self):
        """Write the 214s whose time has come (the background thread calls this)."""
        return self._play(None, now=self.clock())

    def _play(self, reference, limit=None, now=None):
        with self._io_lock:
            if reference is not None and reference not in self._loads:
                raise LookupError(f"no load {reference!r} was tendered")
            loads = list(self._loads.values()) if reference is None else [self._loads[reference]]
            sent = []
            for load in loads:
                sent += self._play_load(load, limit, now)
            return sent

    def _play_load(self, load, limit, now):
        """Send the load's next steps: at most ``limit``, only the due ones when ``now``; a
        delivery is billed."""
        sent = []
        while load.steps and (limit is None or len(sent) < limit):
            if now is not None and not load.due(now):
                break
            step = self._send_status(load, load.steps[0][0])
            load.steps.pop(0)
            sent.append(step | self._bill(load, step))
        return sent

    def _bill(self, load, step):
        """After the 214 ``step`` saying ``load`` is delivered, its 210 (per its billing,
        once a load): what the step's entry says of it (nothing for another step)."""
        if step["status"] not in BILLED_CODES or "error" in step:
            return {}
        billed = self._billing.bill(load.order, load.pro, self._send_set)
        load.invoice = billed["number"] if billed else load.invoice
        return {"invoice": billed}

    def _send_status(self, load, code):
        """Drop the 214 reporting step ``code`` of ``load``; what became of it."""
        try:
            body = status_segments([self._milestone(load, code)])
            sent = self._send_set("214", body, reference=load.reference, status=code)
        except ValueError as exc:  # a value the carrier's delimiters cannot write
            _logger.warning("carrier sandbox: 214 %s of %s: %s", code, load.reference, exc)
            sent = {"error": str(exc)}
        load.sent.append({"status": code, **sent})
        return {"reference": load.reference, "status": code, **sent}

    def _milestone(self, load, code):
        """The milestone step ``code`` of ``load`` reports, at its stop, dated now (UTC)."""
        now = datetime.now(timezone.utc).replace(microsecond=0)
        stop = _stop_of(load.order, code)
        milestone = Milestone(
            reference=load.reference,
            status=status_table.STATUSES[code].status,
            partner_status=code,
            tracking_number=load.pro,
            carrier=self.scac,
            time_zone=UTC_CODE,
            location=_place(stop),
            stop_sequence=stop.sequence if stop is not None else None,
        )
        if code in status_table.ESTIMATE_CODES:
            milestone.estimated_at = _expected(stop) or now + ESTIMATE_LEAD
        else:
            milestone.occurred_at = now
        return milestone

    # -- background polling --------------------------------------------------------------------

    def _poll(self, poll_seconds):
        """Pick up and play the due 214s until stopped, waking early for a due step (not
        after a failure: the folder is given ``poll_seconds`` to come back)."""
        while not self._stop.is_set():
            failed = [step for step in (self.pickup, self.play_due) if not self._run(step)]
            self._stop.wait(poll_seconds if failed else self._next_wait(poll_seconds))

    def _run(self, step):
        """Call ``step``; False (and a warning) when a folder failed."""
        try:
            step()
        except AdapterError as exc:
            _logger.warning("carrier sandbox: %s failed: %s", step.__name__, exc)
            return False
        return True

    def _next_wait(self, poll_seconds):
        """``poll_seconds``, or less when a step falls due sooner."""
        with self._io_lock:
            loads = [load for load in self._loads.values() if load.steps]
            due = [load.accepted_at + load.steps[0][1] for load in loads]
        if not due:
            return poll_seconds
        return min(poll_seconds, max(0.01, min(due) - self.clock()))

    # -- control routes (served under /_sandbox/edi, after the EDI partner's) ------------------

    @control_route("POST", "/scenario")
    def _http_scenario(self, request):
        spec = request.json()
        check_keys(spec, _SCENARIO_KEYS, "a carrier scenario")
        try:
            chosen = self.set_scenario(
                spec.get("scenario"),
                spec.get("reference"),
                reason=spec.get("reason"),
                note=spec.get("note"),
            )
        except ValueError as exc:
            raise HttpError(400, str(exc)) from None
        return json_response(200, {**chosen.describe(), "reference": spec.get("reference")})

    @control_route("POST", "/advance")
    def _http_advance(self, request):
        spec = request.json(required=False)
        check_keys(spec, _ADVANCE_KEYS, "an advance")
        if not isinstance(spec.get("all", False), bool):
            raise HttpError(400, "'all' must be true or false")
        play = self.play_now if spec.get("all") else self.advance
        try:
            sent = play(spec.get("reference"))
        except LookupError as exc:
            raise HttpError(404, str(exc)) from None
        except AdapterError as exc:
            raise HttpError(503, f"cannot write in the outbox: {exc}") from None
        return json_response(200, {"count": len(sent), "sent": sent})

    @control_route("POST", "/billing")
    def _http_billing(self, request):
        spec = request.json()
        check_keys(spec, BILLING_KEYS, "a carrier billing")
        try:
            chosen = self.set_billing(**spec)
        except ValueError as exc:
            raise HttpError(400, str(exc)) from None
        return json_response(200, {**chosen.describe(), "reference": spec.get("reference")})

    @control_route("GET", "/invoices")
    def _http_invoices(self, request):
        with self._io_lock:
            return json_response(200, self._billing.summary())

    @control_route("GET", "/loads")
    def _http_loads(self, request):
        overrides = {ref: found.describe() for ref, found in self._overrides.items()}
        return json_response(
            200,
            {
                "scac": self.scac,
                "scenario": self.scenario.describe(),
                "overrides": overrides,
                "loads": self.loads(),
            },
        )


def check_timeline(timeline):
    """``timeline`` as a list of ``(AT701 code, seconds)`` in time order; ValueError says
    what is wrong (an unknown code, a negative or too long delay)."""
    steps = []
    for step in timeline:
        if not isinstance(step, (list, tuple)) or len(step) != 2:
            raise ValueError(f"a timeline step is (AT701 code, seconds), not {step!r}")
        code, after = step
        if code not in status_table.SHIPMENT_STATUSES:
            raise ValueError(f"{code!r} is no AT701 shipment status code")
        if isinstance(after, bool) or not isinstance(after, (int, float)):
            raise ValueError(f"the seconds of step {code} must be a number, not {after!r}")
        if not 0 <= after <= MAX_AFTER:
            raise ValueError(f"the seconds of step {code} must be between 0 and {MAX_AFTER}")
        steps.append((code, float(after)))
    if len(steps) > MAX_STEPS:
        raise ValueError(f"at most {MAX_STEPS} timeline steps")
    return sorted(steps, key=lambda step: step[1])


def parse_timeline(text):
    """A timeline written ``AF:0,X6:2,D1:4`` (the command line's) as :func:`check_timeline`
    gives it."""
    steps = []
    for part in filter(None, (item.strip() for item in text.split(","))):
        code, colon, after = part.partition(":")
        try:
            steps.append((code.strip(), float(after) if colon else 0.0))
        except ValueError:
            raise ValueError(f"timeline step {part!r} is not CODE:SECONDS") from None
    return check_timeline(steps)


def _check_reason(reason):
    if not isinstance(reason, str) or not _REASON.fullmatch(reason):
        raise ValueError(f"a decline reason is a V908 code (2 or 3 capitals), not {reason!r}")
    return reason


def _check_note(note):
    if not isinstance(note, str) or not note.strip():
        raise ValueError(f"a note is some text, not {note!r}")
    return note


def _acknowledged(answer, unit):
    """Whether the 997 / 999 ``answer`` (None: none was sent) accepted ``unit``."""
    if answer is None:
        return True
    for ack in answer["acks"]:
        if ack["kind"] == "TA1":
            if ack["status"] == "R":
                return False
        elif ack["group"] == unit.group_control_number:
            status = ack["sets"].get(unit.control_number, ack["status"])
            return status in ("A", "E")
    return True


def _stop(order, kind):
    """The first pickup or the last delivery stop of ``order`` (None without one)."""
    stops = [stop for stop in order.stops if stop.kind == kind]
    if not stops:
        return None
    return stops[0] if kind == "pickup" else stops[-1]


def _stop_of(order, code):
    """The stop a 214 with status ``code`` reports at (None: on the way)."""
    if code in PICKUP_CODES:
        return _stop(order, "pickup")
    return _stop(order, "delivery") if code in DELIVERY_CODES else None


def _place(stop):
    """``"CITY, ST, CC"`` of the stop's address (as the 214 codec writes MS1), ``""``."""
    address = stop.address if stop is not None else None
    if address is None or not (address.city or address.state or address.country):
        return ""
    return f"{address.city}, {address.state}, {address.country}"


def _expected(stop):
    """When the stop is expected: its appointment, else its window (None without one)."""
    if stop is None:
        return None
    return stop.appointment or stop.latest or stop.earliest
