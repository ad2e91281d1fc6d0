"""The ``x12-204`` codec: Motor Carrier Load Tender <-> :class:`TransportOrder`, one per set.

What each segment gives (and is written from):

* ``B2``: B202 ``carrier`` (SCAC), B204 ``reference`` (the shipment id), B205 the weight unit
  of the set (pounds when absent), B206 ``payment_method`` (``PP`` prepaid, ``CC`` collect,
  ``TP`` third_party; another code as it is). ``B2A``: B2A01 ``purpose`` (00 original,
  04 / 05 change, 01 cancel), B2A02 ``mode`` (the application type, ``LT`` truckload).
* ``L11`` references by kind (see :mod:`.common`), ``G62*64`` ``respond_by``, ``NTE``
  ``notes`` (a line per NTE), ``N1`` loops (``N3``, ``N4``, ``G61`` contact) ``parties`` by
  role, ``N7`` N711 ``equipment`` (N702 the ``equipment`` reference).
* each ``S5`` loop a :class:`Stop`: S501 sequence, S502 ``LD`` / ``CL`` / ``PL`` pickup, ``UL``
  / ``CU`` / ``PU`` delivery (another code: the first stop picks up, the others deliver),
  weight, pieces and volume; its ``L11`` (``P8`` on a pickup, ``DO`` on a delivery is the stop's
  ``reference``), ``G62`` window (37 / 53 ``earliest``, 38 / 54 ``latest``, 69 / 70 / 77 / 78
  ``appointment``; 10 / 68 requested dates as ``earliest``), ``PLD`` pallets, ``NTE``
  instructions, ``N1`` loop address and N104 ``location_id``.
* each ``OID`` loop of a stop (or ``L5`` loop without OID) a :class:`Goods` of that stop: OID01
  reference, OID02 purchase order, weight and volume; ``L5`` description, L503 NMFC item
  when L504 is ``N``, L505 packaging, L509 freight class when L508 is ``Z`` (X12 has no
  freight class element in a 204: written as mutually defined); ``AT8`` weight, lading
  quantity and volume; ``LH1`` hazardous with its UN number; its ``L11`` references.
* ``L3`` totals: weight, volume, lading quantity, L305 ``estimated_cost`` (two implied
  decimals).

Not carried by a 204: ``status`` (a tender is ``tendered``), ``partner_reference``,
``decline_reason``, ``service_level``, ``currency``. Weights are written in kilograms, volumes
in cubic metres, times in UTC (``UT``) when aware.
"""

from decimal import ROUND_HALF_UP, Decimal

from ....canonical import Goods, Stop, TransportOrder
from .common import (
    TransportSetCodec,
    add_note,
    add_reference,
    in_kg,
    in_m3,
    integer,
    integer_text,
    moment,
    moment_elements,
    new_party,
    note_lines,
    number,
    number_text,
    party_segments,
    read_party_segment,
    reference_segments,
    role_code,
    role_of,
    text,
    trimmed,
)

FORMAT = "x12-204"
PURPOSES = {"00": "original", "04": "change", "05": "change", "01": "cancel"}
PURPOSE_CODES = {"original": "00", "change": "04", "cancel": "01"}
PAYMENT_METHODS = {"PP": "prepaid", "CC": "collect", "TP": "third_party"}
PAYMENT_CODES = {method: code for code, method in PAYMENT_METHODS.items()}
#: S502 stop reason codes (element 163) by stop kind; the first is written.
STOP_REASONS = {"pickup": ("LD", "CL", "PL"), "delivery": ("UL", "CU", "PU")}
STOP_KIND_OF = {code: kind for kind, codes in STOP_REASONS.items() for code in codes}
#: Stop G62 date qualifiers (element 432) -> the Stop field they give.
STOP_DATES = dict.fromkeys(("37", "53", "10", "68"), "earliest")
STOP_DATES |= dict.fromkeys(("38", "54"), "latest")
STOP_DATES |= dict.fromkeys(("69", "70", "77", "78"), "appointment")
#: The G62 date and time qualifiers (elements 432, 176) written, by stop field and kind.
STOP_DATE_CODES = {
    ("earliest", "pickup"): ("37", "I"),
    ("earliest", "delivery"): ("53", "G"),
    ("latest", "pickup"): ("38", "K"),
    ("latest", "delivery"): ("54", "L"),
    ("appointment", "pickup"): ("69", "U"),
    ("appointment", "delivery"): ("70", "X"),
}
#: The stop-level L11 qualifier of ``Stop.reference``, by stop kind.
STOP_REFERENCE = {"pickup": "P8", "delivery": "DO"}
RESPOND_BY = "64"
NMFC = "N"
FREIGHT_CLASS = "Z"
NOTE_WIDTH = 80
NOTE_CODE = "TRA"


class _TenderReader:
    """Reads the body segments of one 204 into a :class:`TransportOrder`."""

    def __init__(self):
        self.order = TransportOrder(reference="")
        self.weight_unit = "L"
        self.party = self.stop = self.goods = None
        self.goods_described = False

    def feed(self, segment):
        """Take the next segment of the set."""
        handler = _HANDLERS.get(segment[0])
        if handler is not None:
            handler(self, segment)
        elif self.party is not None:
            read_party_segment(self.party, segment)

    def on_b2(self, segment):
        order = self.order
        order.carrier, order.reference = text(segment, 2), text(segment, 4)
        self.weight_unit = text(segment, 5) or self.weight_unit
        payment = text(segment, 6)
        order.payment_method = PAYMENT_METHODS.get(payment, payment)

    def on_b2a(self, segment):
        self.order.purpose = PURPOSES.get(text(segment, 1), "original")
        self.order.mode = text(segment, 2)

    def on_l11(self, segment):
        qualifier, value = text(segment, 2), text(segment, 1)
        if self.goods is not None:
            add_reference(self.goods.references, qualifier, value)
        elif self.stop is None:
            add_reference(self.order.references, qualifier, value)
        elif qualifier == STOP_REFERENCE[self.stop.kind] and not self.stop.reference:
            self.stop.reference = value
        else:
            add_reference(self.stop.references, qualifier, value)

    def on_g62(self, segment):
        when = moment(segment, 2, 4, 5)
        qualifier = text(segment, 1)
        if self.stop is None:
            if qualifier == RESPOND_BY:
                self.order.respond_by = when
        elif self.goods is None and qualifier in STOP_DATES:
            setattr(self.stop, STOP_DATES[qualifier], when)

    def on_nte(self, segment):
        line = text(segment, 2)
        if self.stop is None:
            self.order.notes = add_note(self.order.notes, line)
        elif self.goods is None:
            self.stop.instructions = add_note(self.stop.instructions, line)

    def on_n1(self, segment):
        address, location_id = new_party(segment)
        self.party, self.goods = address, None
        if self.stop is not None:
            self.stop.address, self.stop.location_id = address, location_id
            return
        role, count = role_of(text(segment, 1)), 1
        key = role
        while key in self.order.parties:
            count += 1
            key = f"{role}_{count}"
        self.order.parties[key] = address

    def on_n7(self, segment):
        self.party = None
        self.order.equipment = text(segment, 11)
        equipment_number = text(segment, 2)
        if equipment_number and "equipment" not in self.order.references:
            self.order.references["equipment"] = equipment_number

    def on_s5(self, segment):
        self.party = self.goods = None
        sequence = integer(segment, 1)
        if sequence is None:
            raise ValueError("S501 (stop sequence number) is empty")
        reason = text(segment, 2)
        kind = STOP_KIND_OF.get(reason) or ("pickup" if not self.order.stops else "delivery")
        self.stop = Stop(sequence=sequence, kind=kind)
        self.stop.weight_kg = in_kg(number(segment, 3), text(segment, 4) or self.weight_unit)
        self.stop.pieces = integer(segment, 5)
        self.stop.volume_m3 = in_m3(number(segment, 7), text(segment, 8))
        self.order.stops.append(self.stop)

    def on_pld(self, segment):
        if self.stop is not None:
            self.stop.pallets = integer(segment, 1)

    def on_oid(self, segment):
        goods = self._new_goods()
        goods.reference, goods.purchase_order = text(segment, 1), text(segment, 2)
        goods.pieces = integer(segment, 5)
        goods.weight_kg = in_kg(number(segment, 7), text(segment, 6) or self.weight_unit)
        goods.volume_m3 = in_m3(number(segment, 9), text(segment, 8))

    def _new_goods(self):
        self.party = None
        sequence = self.stop.sequence if self.stop is not None else None
        self.goods = Goods(stop_sequence=sequence)
        self.goods_described = False
        self.order.goods.append(self.goods)
        return self.goods

    def on_l5(self, segment):
        goods = self.goods if self.goods is not None and not self.goods_described else None
        goods = goods or self._new_goods()
        self.goods_described = True
        goods.description, goods.packaging = text(segment, 2), text(segment, 5)
        if text(segment, 4) == NMFC:
            goods.nmfc = text(segment, 3)
        if text(segment, 8) == FREIGHT_CLASS:
            goods.freight_class = text(segment, 9)

    def on_at8(self, segment):
        target = self.goods if self.goods is not None else self.stop
        if target is None:
            return
        weight = in_kg(number(segment, 3), text(segment, 2) or self.weight_unit)
        target.weight_kg = weight if weight is not None else target.weight_kg
        pieces = integer(segment, 4)
        target.pieces = pieces if pieces is not None else target.pieces
        volume = in_m3(number(segment, 7), text(segment, 6))
        target.volume_m3 = volume if volume is not None else target.volume_m3

    def on_lh1(self, segment):
        if self.goods is not None:
            self.goods.hazardous = True
            self.goods.un_number = text(segment, 3)

    def on_l3(self, segment):
        order = self.order
        order.weight_kg = in_kg(number(segment, 1), text(segment, 12) or self.weight_unit)
        order.estimated_cost = _amount(segment, 5)
        order.volume_m3 = in_m3(number(segment, 9), text(segment, 10))
        order.pieces = integer(segment, 11)


def _amount(segment, index):
    """An amount element (``N2``: two implied decimals; one written with its point is read
    as it is), None when empty."""
    if number(segment, index) is None:
        return None
    value = Decimal(text(segment, index))
    return value if "." in text(segment, index) else value / 100


_HANDLERS = {
    name[3:].upper(): method
    for name, method in vars(_TenderReader).items()
    if name.startswith("on_")
}


def read_tender(segments):
    """The :class:`TransportOrder` of one 204's body ``segments``."""
    reader = _TenderReader()
    for segment in segments:
        reader.feed(segment)
    return reader.order


# -- writing -------------------------------------------------------------------------------


def tender_segments(order):
    """The body segments (without ST/SE) of the 204 tendering ``order``; ValueError names
    what cannot be written."""
    purpose = PURPOSE_CODES.get(order.purpose)
    if purpose is None:
        raise ValueError(f"purpose {order.purpose!r} is not one of {sorted(PURPOSE_CODES)}")
    payment = PAYMENT_CODES.get(order.payment_method, order.payment_method)
    segments = [
        ["B2", "", order.carrier, "", order.reference, "K", payment],
        ["B2A", purpose, order.mode],
        *reference_segments(order.references),
    ]
    if order.respond_by is not None:
        day, clock, code = moment_elements(order.respond_by)
        segments.append(["G62", RESPOND_BY, day, "1", clock, code])
    segments += [["NTE", NOTE_CODE, line] for line in note_lines(order.notes, NOTE_WIDTH)]
    for role, address in order.parties.items():
        segments += party_segments(role_code(role), address)
    if order.equipment:
        equipment_number = order.references.get("equipment", "")
        segments.append(["N7", "", equipment_number, *[""] * 8, order.equipment])
    for stop in order.stops:
        segments += _stop_segments(
            stop, [g for g in order.goods if g.stop_sequence == stop.sequence]
        )
    _check_goods(order)
    segments += _totals(order)
    return trimmed(segments)


def _check_goods(order):
    sequences = {stop.sequence for stop in order.stops}
    for goods in order.goods:
        if goods.stop_sequence not in sequences:
            raise ValueError(
                f"goods {goods.description or goods.reference!r}: a 204 carries goods at a stop; "
                f"stop {goods.stop_sequence} is not one of the order's"
            )


def _stop_segments(stop, goods):
    reason = STOP_REASONS[stop.kind][0]
    segments = [
        [
            "S5",
            str(stop.sequence),
            reason,
            number_text(stop.weight_kg),
            "K" if stop.weight_kg is not None else "",
            integer_text(stop.pieces),
            "PC" if stop.pieces is not None else "",
            number_text(stop.volume_m3),
            "X" if stop.volume_m3 is not None else "",
        ]
    ]
    if stop.reference:
        segments.append(["L11", stop.reference, STOP_REFERENCE[stop.kind]])
    segments += reference_segments(stop.references)
    for field in ("earliest", "latest", "appointment"):
        when = getattr(stop, field)
        if when is not None:
            date_code, time_code = STOP_DATE_CODES[field, stop.kind]
            day, clock, zone = moment_elements(when)
            segments.append(["G62", date_code, day, time_code, clock, zone])
    if stop.pallets is not None:
        segments.append(["PLD", str(stop.pallets)])
    segments += [["NTE", NOTE_CODE, line] for line in note_lines(stop.instructions, NOTE_WIDTH)]
    if stop.address is not None:
        code = "SF" if stop.kind == "pickup" else "ST"
        segments += party_segments(code, stop.address, stop.location_id)
    for line, item in enumerate(goods, start=1):
        segments += _goods_segments(line, item)
    return segments


def _goods_segments(line, goods):
    segments = [["OID", goods.reference, goods.purchase_order]]
    if goods.description or goods.nmfc or goods.packaging or goods.freight_class:
        segments.append(
            [
                "L5",
                str(line),
                goods.description,
                goods.nmfc,
                NMFC if goods.nmfc else "",
                goods.packaging,
                "",
                "",
                FREIGHT_CLASS if goods.freight_class else "",
                goods.freight_class,
            ]
        )
    if goods.weight_kg is not None or goods.pieces is not None or goods.volume_m3 is not None:
        segments.append(_at8(goods))
    if goods.hazardous:
        segments.append(["LH1", "PC", integer_text(goods.pieces) or "0", goods.un_number])
    segments += reference_segments(goods.references)
    return segments


def _at8(goods):
    weighed = goods.weight_kg is not None
    return [
        "AT8",
        "G" if weighed else "",
        "K" if weighed else "",
        number_text(goods.weight_kg),
        integer_text(goods.pieces),
        "",
        "X" if goods.volume_m3 is not None else "",
        number_text(goods.volume_m3),
    ]


def _totals(order):
    cost = order.estimated_cost
    if (
        order.weight_kg is None
        and order.volume_m3 is None
        and order.pieces is None
        and cost is None
    ):
        return []
    cents = "" if cost is None else str(int((cost * 100).quantize(Decimal(1), ROUND_HALF_UP)))
    weighed = order.weight_kg is not None
    return [
        [
            "L3",
            number_text(order.weight_kg),
            "G" if weighed else "",
            "",
            "",
            cents,
            "",
            "",
            "",
            number_text(order.volume_m3),
            "X" if order.volume_m3 is not None else "",
            integer_text(order.pieces),
            "K" if weighed else "",
        ]
    ]


class LoadTenderCodec(TransportSetCodec, name=FORMAT):
    """ANSI X12 204 Motor Carrier Load Tender: transport orders (tenders)."""

    kind = "204"

    def read_set(self, segments):
        """The one TransportOrder of a 204's body."""
        return [read_tender(segments)]

    def documents(self, objects):
        """One 204 body per TransportOrder of ``objects``."""
        return [tender_segments(_order(obj)) for obj in objects]


def _order(obj):
    if not isinstance(obj, TransportOrder):
        raise ValueError(f"a 204 is written from TransportOrder objects, not {type(obj).__name__}")
    return obj
