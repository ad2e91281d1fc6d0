"""The ``x12-990`` codec: Response to a Load Tender <-> :class:`TransportOrder` with the
carrier's answer, one per set.

* ``B1``: B101 ``carrier`` (SCAC, its padding stripped: published files write `` SCAC``),
  B102 ``reference`` (the shipment id of the 204 answered), B104 ``status``: ``A``
  accepted, ``D`` declined, ``C`` conditional (a counter-offer; its conditions in ``notes``).
* ``N9`` references by kind; the first ``CN`` (the carrier's reference, its PRO) is also
  ``partner_reference``.
* ``V9``: V908 ``decline_reason`` (the status reason code, as the carrier sends it: ``EQU``).
* ``K1`` remarks: ``notes``, a line per K1 (K101 and K102 joined by a blank).

Written back the same way (``render`` is for the sandbox and tests: Odoo receives 990s):
``B1`` dated ``when`` (today, UTC), ``N9*CN`` for a ``partner_reference`` its references do
not hold as ``pro``, a ``V9`` whose event is ``ACC``, ``DEC`` or ``ZZZ`` by status, a ``K1``
per 30 characters of notes.
"""

from datetime import datetime, timezone

from ....canonical import TransportOrder
from .common import TransportSetCodec, add_note, add_reference, note_lines, reference_segments, text

FORMAT = "x12-990"
#: B104 reservation action codes -> the order's status.
ACTIONS = {"A": "accepted", "D": "declined", "C": "conditional"}
ACTION_CODES = {status: code for code, status in ACTIONS.items()}
#: V901 event codes written, by status.
EVENTS = {"accepted": "ACC", "declined": "DEC", "conditional": "ZZZ"}
CARRIER_REFERENCE = "CN"
REMARK_WIDTH = 30


def read_response(segments):
    """The :class:`TransportOrder` (its status the carrier's answer) of one 990's body."""
    order = TransportOrder(reference="")
    for segment in segments:
        handler = _HANDLERS.get(segment[0])
        if handler is not None:
            handler(order, segment)
    return order


def _on_b1(order, segment):
    order.carrier, order.reference = text(segment, 1), text(segment, 2)
    action = text(segment, 4)
    if action not in ACTIONS:
        raise ValueError(f"B104 {action!r} is not A (accept), D (decline) or C (conditional)")
    order.status = ACTIONS[action]


def _on_n9(order, segment):
    qualifier, value = text(segment, 1), text(segment, 2)
    if qualifier == CARRIER_REFERENCE and not order.partner_reference:
        order.partner_reference = value
    add_reference(order.references, qualifier, value)


def _on_v9(order, segment):
    order.decline_reason = text(segment, 8) or order.decline_reason


def _on_k1(order, segment):
    line = " ".join(part for part in (text(segment, 1), text(segment, 2)) if part)
    order.notes = add_note(order.notes, line)


_HANDLERS = {"B1": _on_b1, "N9": _on_n9, "V9": _on_v9, "K1": _on_k1}


def response_segments(order, when=None):
    """The body segments (without ST/SE) of the 990 answering with ``order``'s status,
    dated ``when`` (now, UTC); ValueError when the status is no answer."""
    action = ACTION_CODES.get(order.status)
    if action is None:
        raise ValueError(f"a 990 answers accepted, declined or conditional, not {order.status!r}")
    when = when or datetime.now(timezone.utc)
    segments = [["B1", order.carrier, order.reference, when.strftime("%Y%m%d"), action]]
    if order.partner_reference and order.references.get("pro") != order.partner_reference:
        segments.append(["N9", CARRIER_REFERENCE, order.partner_reference])
    segments += reference_segments(order.references, tag="N9")
    v9 = ["V9", EVENTS[order.status]]
    segments.append(v9 + [""] * 6 + [order.decline_reason] if order.decline_reason else v9)
    segments += [["K1", line] for line in note_lines(order.notes, REMARK_WIDTH)]
    return segments


class TenderResponseCodec(TransportSetCodec, name=FORMAT):
    """ANSI X12 990 Response to a Load Tender: accepted, declined, conditional."""

    kind = "990"

    def read_set(self, segments):
        """The one TransportOrder of a 990's body."""
        return [read_response(segments)]

    def documents(self, objects):
        """One 990 body per TransportOrder of ``objects``."""
        for obj in objects:
            if not isinstance(obj, TransportOrder):
                raise ValueError(f"a 990 is written from TransportOrder objects, not {obj!r}")
        return [response_segments(obj) for obj in objects]
