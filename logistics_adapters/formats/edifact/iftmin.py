"""``edifact-iftmin``: TransportOrders written as IFTMIN instructions (D.96A) and read back.

The suite's IFTMIN, one message per order, after the EANCOM IFTMIN layout
(https://ref.gs1.org/standards/eancom/1997/ HTML/IFTMIN, and EANCOM 2002 S4
http://eancom.com/ean02s4/part2/iftmin/):

* ``BGM+610+<reference>+<9|5|1>``: forwarding instructions; 9 original, 5 replace (a change),
  1 cancellation;
* ``TSR+<service_level>``, ``FTX+AAI+++<notes>`` (512-character parts), ``CNT+7`` gross
  weight (KGM), ``CNT+11`` packages, ``CNT+15`` cube (MTQ), ``MOA+64`` the estimated cost
  with its currency (the currency alone when there is no cost), ``CPI+++<payment_method>``;
* ``RFF`` for ``partner_reference`` (``CN``, the carrier's reference) and each of
  ``references`` (:func:`.transport.rff`);
* ``TDT+20++<mode>+++<carrier>`` (main carriage: mode of transport, carrier) and
  ``EQD+CN++<equipment>``;
* ``NAD`` per party: ``CA`` the carrier, ``parties`` by role (``shipper`` CZ, ``consignee``
  CN, ``bill_to`` FP, any other role as its own 3035 code), with ``CTA+IC`` and ``COM``
  (``TE`` phone, ``EM`` email);
* each stop, in sequence order: ``NAD+PW`` (pickup: despatch party) or ``NAD+DP`` (delivery
  party) with ``location_id`` as party id and the address, its contact, ``RFF+ZZZ:<reference>:
  <sequence>`` then its window (``DTM+234``/``235`` collection earliest/latest, ``DTM+64``/
  ``63`` delivery earliest/latest), its ``references`` as RFF; its ``instructions`` go to
  ``FTX+DEL++<sequence>+<text>`` in the header;
* each goods line: ``GID+<n>+<pieces>:<packaging>``, ``FTX+AAA+++<description>``,
  ``MEA+WT+G+KGM:<kg>``, ``MEA+VOL+AAW+MTQ:<m3>``, ``DGS+++<un_number>`` when hazardous,
  ``RFF+ZZZ:<reference>:<stop sequence>``, ``RFF+ON:<purchase order>`` and its references.

Dates are written to the minute (:func:`.transport.dtm`). Not carried: the order's
``status``, ``decline_reason`` and ``respond_by``; a stop's ``appointment``, weights, volume,
pieces and pallets; a goods line's freight class and NMFC item; party addresses' parts beyond
two name and two street lines. ``render`` writes one interchange (UNOC when every value
fits, else UNOY) between :data:`SENDER` and :data:`RECEIVER`, for the command line; the core
writes :func:`documents` through :func:`..interchange.render` with its backend's envelope.
"""

from decimal import Decimal, InvalidOperation

from ... import canonical as c
from ...errors import ParseError
from ...registry import Codec, Identity
from .syntax import RepertoireError
from .transport import add_reference, dtm, messages_of, number_text, read_dtm, rff
from .writer import render as render_interchange

FORMAT = "edifact-iftmin"
KIND = "IFTMIN"
UNH_IDENTIFIER = ["IFTMIN", "D", "96A", "UN"]
SENDER = ("ZZZ", "SENDER")
RECEIVER = ("ZZZ", "RECEIVER")
FUNCTIONS = {"original": "9", "change": "5", "cancel": "1"}
PURPOSES = {code: purpose for purpose, code in FUNCTIONS.items()}
STOP_PARTIES = {"pickup": "PW", "delivery": "DP"}
STOP_KINDS = {code: kind for kind, code in STOP_PARTIES.items()}
PARTY_ROLES = {"shipper": "CZ", "consignee": "CN", "bill_to": "FP"}
ROLES = {code: role for role, code in PARTY_ROLES.items()}
#: Window DTM qualifiers per stop kind: (earliest, latest).
WINDOWS = {"pickup": ("234", "235"), "delivery": ("64", "63")}
STOP_REFERENCE = "ZZZ"
CARRIER_REFERENCE = "CN"
TEXT_PART = 512


class IftminCodec(Codec, name=FORMAT, media_type="application/edifact"):
    """UN/EDIFACT IFTMIN transport instruction (D.96A): transport orders."""

    def render(self, objects):
        """One interchange holding an IFTMIN message per TransportOrder of ``objects``."""
        messages = documents(objects)
        for syntax, version in (("UNOC", 3), ("UNOY", 4)):
            try:
                return render_interchange(
                    messages,
                    sender=SENDER,
                    receiver=RECEIVER,
                    control_reference="1",
                    syntax=syntax,
                    syntax_version=version,
                )
            except RepertoireError:
                continue
        raise ValueError("a value holds characters no EDIFACT syntax level can carry")

    def parse(self, data):
        """The TransportOrder of each IFTMIN message of ``data``."""
        return [read_order(segments) for segments in messages_of(data, KIND, FORMAT)]

    def identify(self, data):
        """The orders' references; no message id (the interchange has its own)."""
        orders = self.parse(data)
        return Identity(tuple(sorted({order.reference for order in orders} - {""})))


# -- writing -----------------------------------------------------------------------------


def documents(orders):
    """The segments of one IFTMIN message per order (UNH first, no UNT)."""
    messages = []
    for rank, order in enumerate(orders, start=1):
        if not isinstance(order, c.TransportOrder):
            raise ValueError(f"IFTMIN carries TransportOrder objects, not {type(order).__name__}")
        messages.append(order_segments(order, str(rank)))
    return messages


def order_segments(order, reference="1"):
    """The segments of ``order`` as one IFTMIN message (UNH first, no UNT)."""
    stops = sorted(order.stops, key=lambda stop: stop.sequence)
    segments = [
        ["UNH", reference, UNH_IDENTIFIER],
        ["BGM", "610", order.reference, FUNCTIONS[order.purpose]],
    ]
    if order.service_level:
        segments.append(["TSR", order.service_level])
    segments += _texts("AAI", "", order.notes)
    for stop in stops:
        segments += _texts("DEL", str(stop.sequence), stop.instructions)
    segments += _totals(order)
    segments += _payment(order)
    if order.partner_reference:
        segments.append(rff(CARRIER_REFERENCE, order.partner_reference))
    segments += [rff(kind, value) for kind, value in order.references.items()]
    segments += _transport(order)
    segments += _parties(order)
    for stop in stops:
        segments += _stop(stop)
    for rank, goods in enumerate(order.goods, start=1):
        segments += _goods(goods, rank)
    return segments


def _texts(subject, reference, text):
    """FTX segments holding ``text`` in parts of 512 characters, five parts each."""
    parts = [text[start : start + TEXT_PART] for start in range(0, len(text), TEXT_PART)]
    return [
        ["FTX", subject, "", reference, parts[start : start + 5]]
        for start in range(0, len(parts), 5)
    ]


def _totals(order):
    segments = []
    if order.weight_kg is not None:
        segments.append(["CNT", ["7", number_text(order.weight_kg), "KGM"]])
    if order.pieces is not None:
        segments.append(["CNT", ["11", str(order.pieces)]])
    if order.volume_m3 is not None:
        segments.append(["CNT", ["15", number_text(order.volume_m3), "MTQ"]])
    return segments


def _payment(order):
    segments = []
    cost = order.estimated_cost
    if cost is not None or order.currency:
        amount = "" if cost is None else number_text(cost)
        segments.append(["MOA", ["64", amount, order.currency]])
    if order.payment_method:
        segments.append(["CPI", "", "", order.payment_method])
    return segments


def _transport(order):
    segments = []
    if order.mode or order.carrier:
        segments.append(["TDT", "20", "", order.mode, "", order.carrier])
    if order.equipment:
        segments.append(["EQD", "CN", "", order.equipment])
    return segments


def _parties(order):
    segments = [["NAD", "CA", order.carrier]] if order.carrier else []
    for role, address in order.parties.items():
        code = PARTY_ROLES.get(role, role)
        if not code or len(code) > 3 or code in ("CA", *STOP_KINDS):
            raise ValueError(f"party role {role!r} is not a NAD party qualifier (UNCL 3035)")
        segments += _nad(code, "", address)
    return segments


def _nad(code, party_id, address):
    """NAD with the address, then its contact (CTA, COM)."""
    address = address or c.Address()
    segments = [
        [
            "NAD",
            code,
            party_id,
            "",
            [address.name, address.company],
            [address.street, address.street2],
            address.city,
            address.state,
            address.zip,
            address.country,
        ]
    ]
    numbers = [[value, kind] for value, kind in ((address.phone, "TE"), (address.email, "EM"))]
    numbers = [number for number in numbers if number[0]]
    if numbers:
        segments.append(["CTA", "IC"])
        segments += [["COM", number] for number in numbers]
    return segments


def _stop(stop):
    segments = _nad(STOP_PARTIES[stop.kind], stop.location_id, stop.address)
    segments.append(["RFF", [STOP_REFERENCE, stop.reference, str(stop.sequence)]])
    earliest, latest = WINDOWS[stop.kind]
    for qualifier, moment in ((earliest, stop.earliest), (latest, stop.latest)):
        if moment is not None:
            segments.append(dtm(qualifier, moment))
    return segments + [rff(kind, value) for kind, value in stop.references.items()]


def _goods(goods, rank):
    pieces = "" if goods.pieces is None else str(goods.pieces)
    segments = [["GID", str(rank), [pieces, goods.packaging]]]
    segments += _texts("AAA", "", goods.description)
    if goods.weight_kg is not None:
        segments.append(["MEA", "WT", "G", ["KGM", number_text(goods.weight_kg)]])
    if goods.volume_m3 is not None:
        segments.append(["MEA", "VOL", "AAW", ["MTQ", number_text(goods.volume_m3)]])
    if goods.hazardous:
        segments.append(["DGS", "", "", goods.un_number])
    stop = "" if goods.stop_sequence is None else str(goods.stop_sequence)
    if goods.reference or stop:
        segments.append(["RFF", [STOP_REFERENCE, goods.reference, stop]])
    if goods.purchase_order:
        segments.append(rff("purchase_order", goods.purchase_order))
    return segments + [rff(kind, value) for kind, value in goods.references.items()]


# -- reading -----------------------------------------------------------------------------


class _Reading:
    """One IFTMIN message being read: the order and what the next segments belong to."""

    def __init__(self):
        self.order = c.TransportOrder("")
        self.texts = {}
        self.target = None  # the Stop, party Address or Goods being read
        self.address = None  # the address a CTA/COM completes

    def number(self, text, what, cast=float):
        """``text`` as a number (None when empty); ParseError naming ``what``."""
        if not text:
            return None
        try:
            value = Decimal(text)
            if not value.is_finite() or (cast is int and value != value.to_integral_value()):
                raise ValueError(text)
            return value if cast is Decimal else cast(value)
        except (InvalidOperation, ValueError, OverflowError):
            raise ParseError(f"{what}: {text!r} is not a number", format=FORMAT) from None


def read_order(segments):
    """The TransportOrder of one IFTMIN message's segments."""
    reading = _Reading()
    for segment in segments:
        handler = _HANDLERS.get(segment.tag)
        if handler is not None:
            handler(reading, segment)
    order = reading.order
    order.notes = "".join(reading.texts.get(("AAI", ""), []))
    for stop in order.stops:
        stop.instructions = "".join(reading.texts.get(("DEL", str(stop.sequence)), []))
    order.stops.sort(key=lambda stop: stop.sequence)
    if not order.reference:
        raise ParseError("BGM: the instruction number (1004) is missing", format=FORMAT)
    return order


def _on_bgm(reading, segment):
    reading.order.reference = segment.value(2)
    function = segment.value(3)
    if function not in PURPOSES:
        raise ParseError(f"BGM: message function {function!r} is not 9, 5 or 1", format=FORMAT)
    reading.order.purpose = PURPOSES[function]


def _on_tsr(reading, segment):
    reading.order.service_level = segment.value(1)


def _on_ftx(reading, segment):
    subject, reference = segment.value(1), segment.value(3)
    parts = segment.composite(4)
    if subject == "AAA" and isinstance(reading.target, c.Goods):
        reading.target.description += "".join(parts)
    else:
        reading.texts.setdefault((subject, reference), []).extend(parts)


def _on_cnt(reading, segment):
    qualifier, value = segment.value(1, 1), segment.value(1, 2)
    order = reading.order
    if qualifier == "7":
        order.weight_kg = reading.number(value, "CNT+7 gross weight")
    elif qualifier == "11":
        order.pieces = reading.number(value, "CNT+11 packages", int)
    elif qualifier == "15":
        order.volume_m3 = reading.number(value, "CNT+15 cube")


def _on_moa(reading, segment):
    if segment.value(1, 1) == "64":
        reading.order.estimated_cost = reading.number(segment.value(1, 2), "MOA+64", Decimal)
        reading.order.currency = segment.value(1, 3)


def _on_cpi(reading, segment):
    reading.order.payment_method = segment.value(3)


def _on_rff(reading, segment):
    qualifier, value, line = (segment.value(1, n) for n in (1, 2, 3))
    target = reading.target
    if qualifier == STOP_REFERENCE and isinstance(target, (c.Stop, c.Goods)):
        _on_own_reference(reading, target, value, line)
    elif isinstance(target, c.Goods) and qualifier == "ON" and not target.purchase_order:
        target.purchase_order = value
    elif isinstance(target, (c.Stop, c.Goods)):
        add_reference(target.references, qualifier, value)
    elif target is None and qualifier == CARRIER_REFERENCE and not reading.order.partner_reference:
        reading.order.partner_reference = value
    elif target is None:
        add_reference(reading.order.references, qualifier, value)


def _on_own_reference(reading, target, value, line):
    target.reference = value
    number = reading.number(line, "RFF+ZZZ line number", int)
    if isinstance(target, c.Stop):
        target.sequence = number if number is not None else target.sequence
    else:
        target.stop_sequence = number


def _on_tdt(reading, segment):
    reading.order.mode = segment.value(3, 1)
    reading.order.carrier = segment.value(5, 1) or reading.order.carrier


def _on_eqd(reading, segment):
    reading.order.equipment = segment.value(3, 1)


def _on_nad(reading, segment):
    code = segment.value(1)
    if code == "CA":
        reading.order.carrier = reading.order.carrier or segment.value(2, 1)
        reading.target = reading.address = None
        return
    address = _address(segment)
    reading.address = address
    if code in STOP_KINDS:
        sequence = len(reading.order.stops) + 1
        stop = c.Stop(sequence, STOP_KINDS[code], address, location_id=segment.value(2, 1))
        reading.order.stops.append(stop)
        reading.target = stop
    else:
        reading.order.parties[ROLES.get(code, code)] = address
        reading.target = None


def _address(segment):
    return c.Address(
        name=segment.value(4, 1),
        company=segment.value(4, 2),
        street=segment.value(5, 1),
        street2=segment.value(5, 2),
        city=segment.value(6),
        state=segment.value(7),
        zip=segment.value(8),
        country=segment.value(9),
    )


def _on_com(reading, segment):
    if reading.address is None:
        return
    value, kind = segment.value(1, 1), segment.value(1, 2)
    if kind == "TE":
        reading.address.phone = value
    elif kind == "EM":
        reading.address.email = value


def _on_dtm(reading, segment):
    stop = reading.target
    if not isinstance(stop, c.Stop):
        return
    dated = read_dtm(segment)
    if dated.problem:
        raise ParseError(f"DTM+{dated.qualifier}: {dated.problem}", format=FORMAT)
    earliest, latest = WINDOWS[stop.kind]
    if dated.qualifier == earliest:
        stop.earliest = dated.moment
    elif dated.qualifier == latest:
        stop.latest = dated.moment


def _on_gid(reading, segment):
    pieces = reading.number(segment.value(2, 1), "GID packages", int)
    goods = c.Goods(pieces=pieces, packaging=segment.value(2, 2))
    reading.order.goods.append(goods)
    reading.target = goods
    reading.address = None


def _on_mea(reading, segment):
    goods = reading.target
    if not isinstance(goods, c.Goods):
        return
    value = segment.value(3, 2)
    if segment.value(1) == "WT":
        goods.weight_kg = reading.number(value, "MEA+WT")
    elif segment.value(1) == "VOL":
        goods.volume_m3 = reading.number(value, "MEA+VOL")


def _on_dgs(reading, segment):
    if isinstance(reading.target, c.Goods):
        reading.target.hazardous = True
        reading.target.un_number = segment.value(3, 1)


_HANDLERS = {
    "BGM": _on_bgm,
    "TSR": _on_tsr,
    "FTX": _on_ftx,
    "CNT": _on_cnt,
    "MOA": _on_moa,
    "CPI": _on_cpi,
    "RFF": _on_rff,
    "TDT": _on_tdt,
    "EQD": _on_eqd,
    "NAD": _on_nad,
    "COM": _on_com,
    "DTM": _on_dtm,
    "GID": _on_gid,
    "MEA": _on_mea,
    "DGS": _on_dgs,
}
