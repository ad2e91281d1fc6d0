"""The ``x12-940`` (Warehouse Shipping Order) and ``x12-943`` (Warehouse Stock Transfer
Shipment Advice) codecs <-> :class:`WarehouseOrder`, one per set: outbound for a 940, inbound
(a transfer the warehouse is to receive) for a 943.

What each segment gives (and is written from):

* 940 ``W05``: W0501 ``purpose`` (order status code 473: ``N`` original, ``R`` change, ``F``
  cancel; the purpose codes 353 some guides put there, ``00`` / ``04`` / ``01``, read
  alike), W0502 ``reference`` (the depositor's order number), W0503 the ``purchase_order``
  reference. 943 ``W06``: W0602 ``reference``, W0603 ``requested_date`` (the date the goods
  ship), W0604 the ``shipment_id`` reference, W0606 ``purchase_order``.
* ``N1`` loops (``N2``, ``N3``, ``N4``, ``G61``): ``WH`` the warehouse (N104 is
  ``warehouse``, its name ``parties["warehouse"]``), ``ST`` (or ``CN``) ``ship_to``, ``SF``
  ``ship_from``, the others ``parties`` by role (``DE`` depositor, ``BT`` bill_to...).
* ``N9`` references by kind, ``NTE`` ``notes`` (a line each); ``G62`` 940: ``10``
  ``requested_date`` (requested ship date), ``02`` ``delivery_date``; 943: ``17``
  ``delivery_date`` (estimated arrival).
* 940 ``W66``: W6601 ``payment_method`` (``PP`` prepaid, ``CC`` collect, ``TP``
  third_party), W6602 ``mode``, W6605 ``service`` (routing), W6610 ``carrier`` (SCAC). 943
  ``W27``: W2701 ``mode``, W2702 ``carrier``, W2703 ``service``, W2704 ``payment_method``,
  W2707 the ``equipment`` reference.
* each ``W01`` (940) / ``W04`` (943) an :class:`OrderLine`: quantity, unit, product ids
  (see :mod:`.common`), W0113 lot; ``G69`` ``description``, ``N9*LI`` ``line_number`` (else
  the ``LX`` number), ``N9*LT`` ``lot_number``, other ``N9`` the line's ``references``,
  ``W20`` ``weight_kg``.
* ``W76`` (940) / ``W03`` (943) the order's ``weight_kg`` (its total quantity is counted
  from the lines when written).

Written in kilograms (``G``/``K``), dates as ``CCYYMMDD``; a line's lot as ``N9*LT``.
"""

from ....canonical import Address, OrderLine, WarehouseOrder
from ..transport import common as transport
from ..transport.common import (
    TransportSetCodec,
    add_note,
    add_reference,
    moment,
    note_lines,
    number_text,
    reference_segments,
    trimmed,
)
from .common import (
    LINE_NUMBER,
    PAYMENT_CODES,
    PURPOSES,
    W01,
    W04,
    SetReader,
    item_ids,
    item_segment,
    payment_method,
    quantity,
    text,
    weight,
    weight_elements,
)

PURPOSE_CODES = {"original": "N", "change": "R", "cancel": "F"}
#: G62 date qualifiers (element 432) -> the order's date field, by set.
DATES = {"940": {"10": "requested_date", "02": "delivery_date"}, "943": {"17": "delivery_date"}}
#: References written in the heading segment (W05 / W06) rather than as N9, by element.
HEADING_REFERENCES = {"940": {"purchase_order": 3}, "943": {"shipment_id": 4, "purchase_order": 6}}
NOTE_CODE = "GEN"
NOTE_WIDTH = 80
LOT = "LT"
SHIP_TO_CODES = ("ST", "CN")
WEIGHT_UOM = "KG"
FINAL = "F"


class _OrderReader(SetReader):
    """Reads the body of one 940 or 943 into a :class:`WarehouseOrder`."""

    def __init__(self, kind):
        self.kind = kind
        inbound = kind == "943"
        self.order = WarehouseOrder(reference="", kind="inbound" if inbound else "outbound")
        self.party = self.line = None
        self.loop_number = ""

    def result(self):
        """The order read."""
        return [self.order]

    def other(self, segment):
        """N2, N3, N4, G61 of the party being read."""
        if self.party is not None:
            transport.read_party_segment(self.party, segment)

    def on_w05(self, segment):
        self.order.purpose = PURPOSES.get(text(segment, 1), "original")
        self.order.reference = text(segment, 2)
        self._heading_references(segment)

    def on_w06(self, segment):
        self.order.reference = text(segment, 2)
        when = moment(segment, 3, None)
        self.order.requested_date = when.date() if when else None
        self._heading_references(segment)

    def _heading_references(self, segment):
        for kind, index in HEADING_REFERENCES[self.kind].items():
            add_reference(self.order.references, kind, text(segment, index))

    def on_n1(self, segment):
        address, location_id = transport.new_party(segment)
        code, order = text(segment, 1), self.order
        self.party, self.line = address, None
        if code == "WH":
            order.warehouse = location_id
            if address.company:
                order.parties["warehouse"] = address
        elif code in SHIP_TO_CODES and order.ship_to is None:
            order.ship_to = address
        elif code == "SF" and order.ship_from is None:
            order.ship_from = address
        else:
            add_reference(order.parties, transport.role_of(code), address, {})

    def on_n9(self, segment):
        qualifier, value = text(segment, 1), text(segment, 2)
        line = self.line
        if line is None:
            add_reference(self.order.references, qualifier, value)
        elif qualifier == LINE_NUMBER:
            line.line_number = value
        elif qualifier == LOT and not line.lot_number:
            line.lot_number = value
        else:
            add_reference(line.references, qualifier, value)

    def on_g62(self, segment):
        field = DATES[self.kind].get(text(segment, 1))
        when = moment(segment, 2, 4, 5)
        if field and when is not None and self.line is None:
            setattr(self.order, field, when.date())

    def on_nte(self, segment):
        if self.line is None:
            self.order.notes = add_note(self.order.notes, text(segment, 2))

    def on_w66(self, segment):
        self._carrier(segment, mode=2, carrier=10, service=5, payment=1)

    def on_w27(self, segment):
        self._carrier(segment, mode=1, carrier=2, service=3, payment=4)
        add_reference(self.order.references, "EQ", text(segment, 7))

    def _carrier(self, segment, *, mode, carrier, service, payment):
        order, self.party = self.order, None
        order.mode, order.carrier = text(segment, mode), text(segment, carrier)
        order.service = text(segment, service)
        order.payment_method = payment_method(text(segment, payment))

    def on_lx(self, segment):
        self.party = self.line = None
        self.loop_number = text(segment, 1)

    def on_w01(self, segment):
        self._new_line(segment, W01)

    def on_w04(self, segment):
        self._new_line(segment, W04)

    def _new_line(self, segment, layout):
        self.party = None
        code, ids, lot = item_ids(segment, layout)
        self.line = OrderLine(code, quantity(segment, layout.quantity), self.loop_number)
        self.line.uom, self.line.product_ids = text(segment, layout.uom), ids
        self.line.lot_number = lot
        self.order.lines.append(self.line)

    def on_g69(self, segment):
        if self.line is not None:
            self.line.description = add_note(self.line.description, text(segment, 1))

    def on_w20(self, segment):
        if self.line is not None:
            self.line.weight_kg = weight(segment, 4, 6)

    def on_w76(self, segment):
        self.line = None
        self.order.weight_kg = weight(segment, 2, 3)

    def on_w03(self, segment):
        self.on_w76(segment)


def read_order(kind, segments):
    """The :class:`WarehouseOrder` of one 940 or 943 (``kind``) body ``segments``."""
    return _OrderReader(kind).read(segments)[0]


# -- writing -------------------------------------------------------------------------------


def order_segments(order):
    """The body segments (without ST/SE) of the 940 releasing ``order`` (outbound) to the
    warehouse; ValueError names what cannot be written."""
    _check(order, "outbound", "940")
    heading = ["W05", PURPOSE_CODES[order.purpose], order.reference, *[""] * 6]
    carrier = ["W66", _payment(order), order.mode, "", "", order.service, *[""] * 4]
    lines = []
    for number, line in enumerate(order.lines, start=1):
        lines += [["LX", str(number)], *_line_segments(line, W01, str(number))]
    return _body(order, "940", heading, [*carrier, order.carrier], lines, "W76")


def transfer_segments(order):
    """The body segments (without ST/SE) of the 943 announcing ``order`` (inbound) to the
    warehouse; ValueError names what cannot be written."""
    _check(order, "inbound", "943")
    if order.purpose != "original":
        raise ValueError(f"a 943 announces a transfer once: purpose {order.purpose!r}")
    if order.requested_date is None:
        raise ValueError("a 943 needs requested_date (W0603, the date the goods ship)")
    day = order.requested_date.strftime("%Y%m%d")
    heading = ["W06", FINAL, order.reference, day, *[""] * 3]
    carrier = ["W27", order.mode, order.carrier, order.service, _payment(order)]
    lines = [segment for line in order.lines for segment in _line_segments(line, W04)]
    return _body(order, "943", heading, carrier, lines, "W03")


def _body(order, kind, heading, carrier, lines, totals):
    """The segments of a 940 or 943 (``kind``): ``heading``, parties, references, dates,
    notes, ``carrier`` (when the order names one), ``lines`` and ``totals``."""
    segments = [_with_references(heading, order, kind), *_parties(order)]
    segments += _references_and_dates(order, kind)
    segments += [["NTE", NOTE_CODE, line] for line in note_lines(order.notes, NOTE_WIDTH)]
    if order.carrier or order.service or order.mode or order.payment_method:
        segments.append(carrier)
    segments += lines
    if order.lines or order.weight_kg is not None:
        segments.append([totals, *_totals(order)])
    return trimmed(segments)


def _payment(order):
    return PAYMENT_CODES.get(order.payment_method, order.payment_method)


def _check(order, kind, set_kind):
    if not isinstance(order, WarehouseOrder):
        raise ValueError(f"a {set_kind} is written from WarehouseOrder objects, not {order!r}")
    if order.kind != kind:
        raise ValueError(f"a {set_kind} carries {kind} orders; {order.reference!r} is {order.kind}")


def _with_references(heading, order, kind):
    for name, index in HEADING_REFERENCES[kind].items():
        heading[index] = order.references.get(name, "")
    return heading


def _parties(order):
    segments = []
    warehouse = order.parties.get("warehouse")
    if order.warehouse or warehouse is not None:
        segments += transport.party_segments("WH", warehouse or Address(), order.warehouse)
    if order.ship_to is not None:
        segments += transport.party_segments("ST", order.ship_to)
    if order.ship_from is not None:
        segments += transport.party_segments("SF", order.ship_from)
    for role, address in order.parties.items():
        if role != "warehouse":
            segments += transport.party_segments(transport.role_code(role), address)
    return segments


def _references_and_dates(order, kind):
    heading = HEADING_REFERENCES[kind]
    written = {name: value for name, value in order.references.items() if name not in heading}
    segments = reference_segments(written, tag="N9")
    for code, field in DATES[kind].items():
        when = getattr(order, field)
        if when is not None:
            segments.append(["G62", code, when.strftime("%Y%m%d")])
    return segments


def _line_segments(line, layout, loop_number=None):
    """An order line: its item segment, G69, N9 LI (unless its LX, ``loop_number``, says
    it), LT and references, W20."""
    segments = [item_segment(layout, line)]
    if line.description:
        segments += [["G69", part] for part in line.description.splitlines()]
    if line.line_number and line.line_number != loop_number:
        segments.append(["N9", LINE_NUMBER, line.line_number])
    if line.lot_number:
        segments.append(["N9", LOT, line.lot_number])
    segments += reference_segments(line.references, tag="N9")
    if line.weight_kg is not None:
        segments.append(["W20", "", "", "", *weight_elements(line.weight_kg)])
    return segments


def _totals(order):
    """Total quantity (of the lines), weight and its unit (W76 / W03)."""
    total = number_text(sum(line.quantity for line in order.lines))
    return [total, number_text(order.weight_kg), WEIGHT_UOM if order.weight_kg is not None else ""]


class _OrderCodec(TransportSetCodec):
    """A warehouse order set: one :class:`WarehouseOrder` per set."""

    def read_set(self, segments):
        """The one WarehouseOrder of the set's body."""
        return [read_order(self.kind, segments)]

    def references(self, obj):
        """The depositor's order number."""
        return (obj.reference,)


class WarehouseShippingOrderCodec(_OrderCodec, name="x12-940"):
    """ANSI X12 940 Warehouse Shipping Order: orders released to a 3PL warehouse.

    An outbound :class:`WarehouseOrder` per set, read and written.
    """

    kind = "940"

    def documents(self, objects):
        """One 940 body per (outbound) WarehouseOrder of ``objects``."""
        return [order_segments(obj) for obj in objects]


class StockTransferShipmentCodec(_OrderCodec, name="x12-943"):
    """ANSI X12 943 Warehouse Stock Transfer Shipment Advice: inbound transfers.

    An inbound :class:`WarehouseOrder` (goods the warehouse is to receive) per set, read and
    written.
    """

    kind = "943"

    def documents(self, objects):
        """One 943 body per (inbound) WarehouseOrder of ``objects``."""
        return [transfer_segments(obj) for obj in objects]
