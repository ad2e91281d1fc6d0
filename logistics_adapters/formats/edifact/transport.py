"""What the EDIFACT transport messages (IFTMIN, IFTSTA) share: finding their messages in an
interchange or a message's text alone, and reading and writing DTM dates.

A transport codec is given either a whole interchange (UNA/UNB ... UNZ, what a partner sends)
or one message's text (UNH ... UNT, an :attr:`~..edi.Unit.text` the core hands on alone);
:func:`messages_of` gives the segments of each message of the wanted type in both cases.

Dates (DTM, C507): the format code says how the value is written (UNCL 2379): ``102``
CCYYMMDD, ``203`` CCYYMMDDHHMM, ``204`` CCYYMMDDHHMMSS, ``205`` CCYYMMDDHHMMZHHMM (with its
offset). A local time without offset stays naive (the caller resolves it with the backend's
time zone). A value that is not a real date (the published IFTSTA sample's ``20020148``) is
reported by :func:`read_dtm` as a problem, not raised: the codec decides what it means.

References (RFF, C506): the qualifiers (UNCL 1153) of :data:`REFERENCE_KINDS` are read as the
canonical kinds every format names alike (``BM`` -> ``bill_of_lading``); any other qualifier is
kept as it is (``DQ``), and a second value of one kind gets ``_2``, ``_3``...
"""

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import NamedTuple

from ...errors import ParseError
from .. import references as reference_io
from ..edi import detect_standard
from .reader import read
from .tokenizer import segments_of

#: DTM format code -> (pattern of the value, strptime format of its date-time part).
DATE_FORMATS = {
    "102": (re.compile(r"\d{8}"), "%Y%m%d"),
    "203": (re.compile(r"\d{12}"), "%Y%m%d%H%M"),
    "204": (re.compile(r"\d{14}"), "%Y%m%d%H%M%S"),
    "205": (re.compile(r"(\d{12})([+-])(\d{2})(\d{2})"), "%Y%m%d%H%M"),
}


#: UNCL 1153 reference qualifier -> canonical reference kind.
REFERENCE_KINDS = {
    "BM": "bill_of_lading",
    "MB": "master_bill_of_lading",
    "BN": "booking",
    "ON": "purchase_order",
    "CU": "customer_reference",
    "SRN": "shipment_id",
    "AAJ": "delivery_order",
    "SN": "seal",
    "AAQ": "container",
}


class Dated(NamedTuple):
    """One DTM read: its ``qualifier`` (2005), ``moment`` (None when absent or unreadable),
    the ``value`` as written and, when it cannot be read, the ``problem`` in words."""

    qualifier: str
    moment: datetime | None
    value: str
    problem: str = ""


def messages_of(data, kind, fmt):
    """The segments (tag first, UNH ... UNT) of every ``kind`` message in ``data``: an
    interchange or one message's text. ParseError when there is none."""
    head = data[:64] if isinstance(data, (bytes, bytearray)) else str(data[:64]).encode()
    if detect_standard(bytes(head)):
        texts = [unit.text for reading in read(data) for unit in reading.units]
    else:
        texts = [data]
    found = [segments for text in texts for segments in _split(segments_of(text), kind)]
    if not found:
        raise ParseError(f"no {kind} message found", format=fmt)
    return found


def _split(segments, kind):
    """The messages of type ``kind`` among ``segments``, each from its UNH to its UNT."""
    messages, current = [], None
    for segment in segments:
        if segment.tag == "UNH":
            current = [segment] if segment.value(2, 1) == kind else None
            if current is not None:
                messages.append(current)
        elif current is not None:
            current.append(segment)
            if segment.tag == "UNT":
                current = None
    return messages


def read_dtm(segment):
    """The :class:`Dated` of a DTM segment (C507: qualifier, value, format code)."""
    qualifier, value, code = (segment.value(1, n) for n in (1, 2, 3))
    if not value:
        return Dated(qualifier, None, value)
    pattern, layout = DATE_FORMATS.get(code or "102", (None, ""))
    match = pattern.fullmatch(value) if pattern else None
    if match is None:
        return Dated(qualifier, None, value, f"date {value!r} is not in format {code or '102'}")
    try:
        moment = datetime.strptime(match.group(1) if code == "205" else value, layout)
    except ValueError:
        return Dated(qualifier, None, value, f"invalid date {value!r}")
    if code == "205":
        sign = -1 if match.group(2) == "-" else 1
        offset = timedelta(hours=int(match.group(3)), minutes=int(match.group(4)))
        if offset >= timedelta(hours=24):
            return Dated(qualifier, None, value, f"invalid offset in {value!r}")
        moment = moment.replace(tzinfo=timezone(sign * offset))
    return Dated(qualifier, moment, value)


def dtm(qualifier, moment):
    """The DTM segment of ``moment`` to the minute: ``203`` when naive, ``205`` with its
    offset when aware."""
    if moment.tzinfo is None:
        return ["DTM", [qualifier, moment.strftime("%Y%m%d%H%M"), "203"]]
    offset = moment.utcoffset()
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    text = f"{moment.strftime('%Y%m%d%H%M')}{sign}{minutes // 60:02d}{minutes % 60:02d}"
    return ["DTM", [qualifier, text, "205"]]


def number_text(value):
    """A number as EDIFACT writes it: no exponent, no trailing zeros (``12.5``, ``3``), every
    digit of a float kept; ValueError for NaN or an infinity."""
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a number EDIFACT can write")
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def add_reference(references, qualifier, value):
    """Record RFF ``qualifier``:``value`` in ``references`` under its kind (see the module
    doc); an empty value is skipped."""
    reference_io.add_reference(references, qualifier, value, REFERENCE_KINDS)


def rff(kind, value):
    """The RFF segment of reference ``kind`` (a canonical kind or a 1153 qualifier, ``_2``
    suffix allowed); ValueError for a kind EDIFACT cannot name."""
    qualifier = reference_io.qualifier_of(kind, REFERENCE_KINDS)
    if qualifier is None:
        raise ValueError(f"reference kind {kind!r} is not an RFF qualifier (UNCL 1153)")
    return ["RFF", [qualifier, value]]
