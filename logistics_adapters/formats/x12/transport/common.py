"""What the X12 transport sets (204, 990, 214) share: reading elements, dates with their time
codes, weights and volumes, references, notes, parties, and the codec base class.

Times: an X12 time comes with a time code (element 623). A fixed one (``ES``, ``CD``, ``UT``,
``01``-``24``) gives an aware datetime with that offset; a regional one (``ET``, ``CT``...)
the zone's rules (``America/New_York``...); ``LT`` (local time), an empty or unknown code
leaves it naive, for the caller to resolve with the backend's time zone. An aware datetime is
written in UTC (``UT``), a naive one without code.
"""

import re
import textwrap
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from ....canonical import Address
from ....errors import ParseError
from ....registry import Codec, Identity
from ... import references as reference_io
from ..checks import element_text
from ..reader import X12Reader
from ..writer import Envelope, FunctionalGroup, TransactionSet, render

POUND_KG = 0.45359237
CUBIC_FOOT_M3 = 0.028316846592
#: Weight unit codes (element 188) -> kilograms per unit.
WEIGHT_UNITS = {"K": 1.0, "L": POUND_KG}
#: Volume unit qualifiers (element 184) -> cubic metres per unit.
VOLUME_UNITS = {"X": 1.0, "E": CUBIC_FOOT_M3, "C": 1e-6, "N": 1.6387064e-5}
_HOURS = {
    **dict.fromkeys(("UT", "GM"), 0),
    **{"ES": -5, "ED": -4, "CS": -6, "CD": -5, "MS": -7, "MD": -6, "PS": -8, "PD": -7},
    **{"AS": -9, "AD": -8, "HS": -10, "HD": -9, "NS": -3.5, "ND": -2.5, "TS": -4, "TD": -3},
    **{f"{hours:02d}": hours for hours in range(1, 13)},
    **{f"{25 - hours:02d}": -hours for hours in range(1, 13)},
}
#: Time codes (element 623) with a fixed offset from UTC.
FIXED_ZONES = {code: timezone(timedelta(hours=hours)) for code, hours in _HOURS.items()}
#: Time codes naming a region whose offset follows its daylight saving rules.
REGIONAL_ZONES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
    "AT": "America/Anchorage",
    "HT": "Pacific/Honolulu",
    "NT": "America/St_Johns",
    "TT": "America/Halifax",
}
UTC_CODE = "UT"
#: Reference qualifiers (element 128) of the reference kinds every format names alike
#: (``canonical.REFERENCE_KINDS``); another qualifier is its own kind.
REFERENCE_QUALIFIERS = {
    "BM": "bill_of_lading",
    "MB": "master_bill_of_lading",
    "CN": "pro",
    "PO": "purchase_order",
    "SI": "shipper_id",
    "OQ": "order",
    "DO": "delivery_order",
    "P8": "pickup",
    "EQ": "equipment",
    "SN": "seal",
    "BN": "booking",
    "AO": "appointment",
    "CR": "customer_reference",
    "2I": "tracking_number",
}
#: ISO 3166 alpha-3 codes X12 partners write for alpha-2 countries.
COUNTRIES = {"USA": "US", "CAN": "CA", "MEX": "MX"}
#: N1 entity identifier codes (element 98) -> party roles of ``TransportOrder.parties``.
PARTY_ROLES = {"BT": "bill_to", "SH": "shipper", "CN": "consignee", "SF": "ship_from"}
PARTY_ROLES |= {"ST": "ship_to", "CA": "carrier", "BY": "buyer", "WH": "warehouse"}
PARTY_ROLES |= {"DE": "depositor"}
_ROLE_CODES = {role: code for code, role in PARTY_ROLES.items()}
MUTUALLY_DEFINED = "ZZ"
_AT = re.compile(r"\d{8}")
_TIME = re.compile(r"\d{4}(\d{2})?\d{0,2}")
#: Numbers this large are no weight, volume or count of a shipment.
_LARGEST = Decimal(10) ** 15


# -- elements ------------------------------------------------------------------------------


def text(segment, index):
    """Element ``index`` of ``segment`` as text without its padding (``""`` when absent)."""
    return element_text(segment, index).strip()


def number(segment, index):
    """Element ``index`` as a float, None when empty; ValueError names a bad one."""
    value = text(segment, index)
    if not value:
        return None
    try:
        found = Decimal(value)
    except ArithmeticError:
        found = None
    if found is None or not found.is_finite() or abs(found) >= _LARGEST:
        raise ValueError(f"{_name(segment, index)} {value!r} is not a number")
    return float(found)


def integer(segment, index):
    """Element ``index`` as an int (a whole decimal taken), None when empty."""
    found = number(segment, index)
    if found is None:
        return None
    if found != int(found):
        raise ValueError(f"{_name(segment, index)} {text(segment, index)!r} is not whole")
    return int(found)


def _name(segment, index):
    return f"{segment[0]}{index:02d}"


def number_text(value):
    """A number as X12 writes a decimal (``R``): no exponent, no trailing zeros."""
    if value is None:
        return ""
    text_value = format(Decimal(repr(value)).normalize(), "f")
    return text_value[:-2] if text_value.endswith(".0") else text_value


def integer_text(value):
    """An int as X12 writes it, ``""`` for None."""
    return "" if value is None else str(value)


def in_kg(value, unit):
    """``value`` in weight ``unit`` (K, L) as kilograms (rounded to the gram)."""
    if value is None:
        return None
    return value if unit == "K" or unit not in WEIGHT_UNITS else round(value * POUND_KG, 3)


def in_m3(value, unit):
    """``value`` in volume ``unit`` (X, E, C, N) as cubic metres (to the litre's tenth)."""
    if value is None:
        return None
    if unit not in VOLUME_UNITS or unit == "X":
        return value
    return round(value * VOLUME_UNITS[unit], 4)


def trimmed(segments):
    """``segments`` without their trailing empty elements (as X12 writes them)."""
    found = []
    for segment in segments:
        segment = list(segment)
        while len(segment) > 1 and segment[-1] == "":
            segment.pop()
        found.append(segment)
    return found


# -- times ---------------------------------------------------------------------------------


def zone_of(code):
    """The tzinfo of time code ``code``, None for local time (``LT``, empty, unknown)."""
    if code in FIXED_ZONES:
        return FIXED_ZONES[code]
    if code in REGIONAL_ZONES:
        return ZoneInfo(REGIONAL_ZONES[code])
    return None


def moment(segment, date_index, time_index, zone_index=None):
    """The datetime of a date (CCYYMMDD), time (HHMM[SS]) and time code elements; None when
    the date is empty. ValueError names a bad date or time."""
    day = text(segment, date_index)
    if not day:
        return None
    clock = text(segment, time_index) if time_index else ""
    if not _AT.fullmatch(day) or (clock and not _TIME.fullmatch(clock)):
        written = f"{day} {clock}".strip()
        raise ValueError(f"{_name(segment, date_index)} {written!r} is not a date and time")
    clock = (clock or "0000").ljust(6, "0")[:6]
    try:
        value = datetime.strptime(day + clock, "%Y%m%d%H%M%S")
    except ValueError:
        raise ValueError(f"{_name(segment, date_index)} {day} {clock} is no date") from None
    zone = zone_of(text(segment, zone_index)) if zone_index else None
    return value.replace(tzinfo=zone) if zone else value


def moment_elements(value, code=""):
    """``(date, time, code)`` to write ``value``: aware, in the zone of time code ``code``
    when it names one, else in UTC with ``UT``; naive, as it is with ``code``."""
    if value.tzinfo is not None:
        zone = zone_of(code)
        code = code if zone else UTC_CODE
        value = value.astimezone(zone or timezone.utc)
    clock = value.strftime("%H%M%S" if value.second else "%H%M")
    return value.strftime("%Y%m%d"), clock, code


# -- references ----------------------------------------------------------------------------


def add_reference(references, qualifier, value, kinds=REFERENCE_QUALIFIERS):
    """Put ``value`` in ``references`` under the kind of ``qualifier`` (in ``kinds``), a
    second one of a kind as ``<kind>_2``...; empty values are skipped."""
    reference_io.add_reference(references, qualifier, value, kinds)


def qualifier_of(kind, kinds=REFERENCE_QUALIFIERS):
    """The qualifier to write a reference of ``kind`` with (``kinds``: qualifier -> kind);
    ValueError when it has none."""
    qualifier = reference_io.qualifier_of(kind, kinds)
    if qualifier is None:
        raise ValueError(f"reference kind {kind!r} has no X12 qualifier (element 128)")
    return qualifier


def reference_segments(references, tag="L11"):
    """One ``L11*value*qualifier`` (or ``N9*qualifier*value``) per reference."""
    segments = []
    for kind, value in references.items():
        qualifier = qualifier_of(kind)
        segments.append([tag, qualifier, value] if tag == "N9" else [tag, value, qualifier])
    return segments


# -- notes ---------------------------------------------------------------------------------


def note_lines(notes, width):
    """``notes`` as lines of at most ``width`` characters (its lines wrapped at blanks)."""
    lines = []
    for line in notes.splitlines():
        lines.extend(textwrap.wrap(line, width, break_on_hyphens=False) or [])
    return lines


def add_note(current, line):
    """``current`` notes with ``line`` added on a line of its own."""
    return f"{current}\n{line}" if current and line else current or line


# -- parties -------------------------------------------------------------------------------


def role_of(code):
    """The party role of N101 ``code`` (``bill_to``...), the code itself when unnamed."""
    return PARTY_ROLES.get(code, code)


def role_code(role):
    """The N101 code of party ``role``."""
    return _ROLE_CODES.get(role, role)


def read_party_segment(address, segment):
    """Fill ``address`` from an N2, N3, N4 or G61 segment; False when it is none of them."""
    tag = segment[0]
    if tag == "N3":
        address.street, address.street2 = text(segment, 1), text(segment, 2)
    elif tag == "N4":
        address.city, address.state, address.zip = (text(segment, i) for i in (1, 2, 3))
        country = text(segment, 4)
        address.country = COUNTRIES.get(country, country)
    elif tag == "G61":
        _read_contact(address, segment)
    elif tag != "N2":
        return False
    return True


def _read_contact(address, segment):
    address.name = address.name or text(segment, 2)
    kind, value = text(segment, 3), text(segment, 4)
    if kind == "TE" and not address.phone:
        address.phone = value
    elif kind == "EM" and not address.email:
        address.email = value


def party_segments(code, address, location_id=""):
    """N1, N3, N4 and G61 segments of ``address`` as party ``code`` (N102 its company, else
    its name; G61 the name of a person beside a company, phone and email)."""
    name = address.company or address.name
    segments = [["N1", code, name, "93" if location_id else "", location_id]]
    if address.street or address.street2:
        segments.append(["N3", address.street, address.street2])
    if address.city or address.state or address.zip or address.country:
        segments.append(["N4", address.city, address.state, address.zip, address.country])
    contact = address.name if address.company else ""
    if contact or address.phone:
        segments.append(["G61", "IC", contact, "TE" if address.phone else "", address.phone])
    if address.email:
        segments.append(["G61", "IC", contact, "EM", address.email])
    return trimmed(segments)


def new_party(segment):
    """The Address an N1 segment starts (its name as company) and its location code."""
    return Address(company=text(segment, 2)), text(segment, 4)


# -- codecs --------------------------------------------------------------------------------


class SegmentError(ValueError):
    """A segment of a set that cannot be read: its ``tag``, its ``position`` in the set (ST
    is 1) and the ``element`` at fault when known (``W0603``)."""

    def __init__(self, tag, position, reason):
        super().__init__(str(reason))
        self.tag, self.position = tag, position
        found = _ELEMENT.match(str(reason))
        self.element = found.group(1) if found else None

    def parse_error(self, kind, control_number, format):
        """This error as the ParseError of set ``kind`` number ``control_number`` read by
        codec ``format``."""
        where = {"segment": self.tag, "field": self.element, "position": self.position}
        message = f"{kind} set {control_number}, segment {self.position}: {self}"
        return ParseError(message, format=format, **where)


_ELEMENT = re.compile(r"([A-Z][A-Z0-9]{1,2}[0-9]{2})\b")


def read_body(reader, segments):
    """Feed the body ``segments`` of a set (ST excluded, so the first is at position 2) to
    ``reader.feed``; a ValueError comes out as a :class:`SegmentError` naming the segment."""
    for position, segment in enumerate(segments, start=2):
        try:
            reader.feed(segment)
        except SegmentError:
            raise
        except ValueError as exc:
            raise SegmentError(segment[0], position, exc) from None


#: The envelope :meth:`TransportSetCodec.render` writes: test usage, placeholder ids.
TEST_SENDER = ("ZZ", "SENDER")
TEST_RECEIVER = ("ZZ", "RECEIVER")


class TransportSetCodec(Codec):
    """A codec for one X12 transport set ``kind``: ``parse`` reads every set of that kind in
    an interchange (or one set wrapped alone), ``documents`` gives the body of each set to
    write for canonical objects, ``render`` a whole test interchange of them."""

    kind = ""
    media_type = "application/edi-x12"

    def parse(self, data):
        """The canonical objects of every ``kind`` set of ``data``, in order."""
        found, seen = [], False
        for unit in X12Reader(data):
            if unit.kind != self.kind:
                continue
            seen = True
            found.extend(self._read_unit(unit))
        if not seen:
            raise ParseError(f"no {self.kind} transaction set in the interchange", format=self.name)
        return found

    def _read_unit(self, unit):
        body = unit.segments[1:]
        if body and body[-1][0] == "SE":
            body = body[:-1]
        try:
            return self.read_set(body)
        except SegmentError as exc:
            raise exc.parse_error(self.kind, unit.control_number, self.name) from None
        except ValueError as exc:
            raise ParseError(
                f"{self.kind} set {unit.control_number}: {exc}", format=self.name
            ) from None

    def read_set(self, segments):
        """The canonical objects of one set, from its body ``segments``."""
        raise NotImplementedError

    def identify(self, data):
        """The references of the set's objects (:meth:`references`), no message id."""
        found = {reference for obj in self.parse(data) for reference in self.references(obj)}
        found.discard("")
        return Identity(tuple(sorted(found)))

    def references(self, obj):
        """The references identifying ``obj``."""
        return (obj.reference,)

    def documents(self, objects):
        """The body segments (without ST/SE) of each set writing ``objects``, as
        ``formats.interchange.render`` takes them. ValueError names what cannot be written."""
        raise NotImplementedError

    def render(self, objects, *, envelope=None):
        """``objects`` as one X12 interchange (bytes): test usage, ``ZZ`` sender SENDER and
        receiver RECEIVER, control numbers from 1, unless ``envelope`` says otherwise."""
        from ...interchange import FUNCTIONAL_IDS

        sets = [
            TransactionSet(self.kind, body, number)
            for number, body in enumerate(self.documents(objects), start=1)
        ]
        envelope = envelope or Envelope(TEST_SENDER, TEST_RECEIVER, 1, usage="T")
        group = FunctionalGroup(FUNCTIONAL_IDS[self.kind], 1, sets)
        return render(envelope, [group])
