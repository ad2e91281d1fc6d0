"""Reading WCO XML: safely, whatever the namespaces, with errors naming the element.

:func:`load` refuses a document type declaration before anything in it is read (no DTD, no
entity, nothing fetched), then parses with lxml's entity resolution, DTD loading and network
access off. Elements are found by local name (:func:`find`, :func:`findall`, :func:`text`):
HMRC publishes its notification samples without namespace while live ones carry the WCO
namespaces, and brokers differ in prefixes. A bad value is a ParseError whose ``field`` is the
element's path from the root (``MetaData/Response/Error[2]/ValidationCode``) and whose
``line`` is where it stands.
"""

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from lxml import etree

from ...errors import ParseError
from ..xml import SAFE_PARSER, DoctypeRefused, refuse_doctype

MEDIA_TYPE = "application/xml"
_DECIMAL = re.compile(r"[+-]?(?:\d{1,24}(?:\.\d{0,12})?|\.\d{1,12})", re.ASCII)
_INTEGER = re.compile(r"\d{1,9}", re.ASCII)
# formatCode 304 (CCYYMMDDhhmmss and a zone: Z, +01, +0100, +01:00) and 102 (CCYYMMDD).
_DATE_TIME = re.compile(
    r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}(?::?\d{2})?)", re.ASCII
)
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
# libxml2 ends its messages with the place, which the ParseError gives on its own.
_LIBXML_PLACE = re.compile(r", line \d+, column \d+$")


def load(fmt, data):
    """Return the root element of the XML ``data`` (bytes); ParseError for anything that is
    not well-formed XML, and for a document type declaration, refused as unsafe."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ParseError(f"expected bytes, got {type(data).__name__}", format=fmt)
    data = bytes(data)
    try:
        refuse_doctype(data)
        parser = etree.XMLParser(remove_comments=True, remove_pis=True, **SAFE_PARSER)
        return etree.fromstring(data, parser)
    except DoctypeRefused as exc:
        raise ParseError(str(exc), format=fmt) from None
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        message = _LIBXML_PLACE.sub("", exc.msg or "not well-formed")
        raise ParseError(f"invalid XML: {message}", format=fmt, line=line, column=column) from None


def local(element):
    """The local name of ``element`` (``Declaration`` for ``{urn:...}Declaration``)."""
    return etree.QName(element).localname


def children(element, name):
    """The child elements of ``element`` called ``name`` (any namespace), in order."""
    if element is None:
        return []
    return [child for child in element if isinstance(child.tag, str) and local(child) == name]


def findall(element, path):
    """Every element at ``path`` (local names joined by ``/``) under ``element``."""
    found = [element] if element is not None else []
    for name in path.split("/") if path else ():
        found = [child for parent in found for child in children(parent, name)]
    return found


def find(element, path):
    """The first element at ``path`` under ``element``, or None."""
    found = findall(element, path)
    return found[0] if found else None


def text(element, path=""):
    """The stripped text of the first element at ``path`` (``""`` when absent or empty)."""
    found = find(element, path) if path else element
    return (found.text or "").strip() if found is not None else ""


def element_path(element):
    """Where ``element`` stands: its ancestors' local names from the root, ``[n]`` after one
    that has siblings of the same name (``MetaData/Response/Error[2]/Pointer[1]``)."""
    steps = []
    while element is not None:
        step = local(element)
        parent = element.getparent()
        siblings = children(parent, step) if parent is not None else [element]
        if len(siblings) > 1:
            step += f"[{siblings.index(element) + 1}]"
        steps.append(step)
        element = parent
    return "/".join(reversed(steps))


def error(fmt, element, message, name=""):
    """A ParseError about ``element`` (or its missing child ``name``), naming its path."""
    field = element_path(element)
    if name:
        field = f"{field}/{name}" if field else name
    line = element.sourceline if element is not None else None
    return ParseError(message, format=fmt, field=field or None, line=line)


def required_text(fmt, element, path):
    """The text at ``path``; ParseError naming it when it is missing or empty."""
    value = text(element, path)
    if not value:
        raise error(fmt, element, "required element missing or empty", path)
    return value


def amount(fmt, element, path):
    """The decimal at ``path`` (``1000.00``), None when absent; ParseError when malformed."""
    value = _matching(fmt, element, path, _DECIMAL, "amount")
    return Decimal(value) if value else None


def number(fmt, element, path):
    """The number at ``path`` as a float (weights, quantities), None when absent."""
    value = amount(fmt, element, path)
    return float(value) if value is not None else None


def integer(fmt, element, path):
    """The whole number at ``path`` (``SequenceNumeric``), None when absent."""
    value = _matching(fmt, element, path, _INTEGER, "number")
    return int(value) if value else None


def _matching(fmt, element, path, pattern, what):
    """The text at ``path`` (``""`` when absent); ParseError when ``pattern`` refuses it."""
    found = find(element, path)
    value = text(found)
    if value and not pattern.fullmatch(value):
        raise error(fmt, found, f"invalid {what} {value[:40]!r}")
    return value


def currency(element, path):
    """The ``currencyID`` of the amount at ``path`` (``""`` when not given)."""
    found = find(element, path)
    return (found.get("currencyID") or "").strip() if found is not None else ""


def moment(fmt, element, path):
    """The date-time at ``path`` (a WCO date-time: its ``DateTimeString``, formatCode 304 with
    its zone, aware; 102 a date, naive midnight); None when absent."""
    holder = find(element, path)
    found = find(holder, "DateTimeString") if holder is not None else None
    found = found if found is not None else holder
    value = text(found)
    if not value:
        return None
    if match := _DATE_TIME.fullmatch(value):
        return _aware(fmt, found, value, match)
    if match := _DATE.fullmatch(value):
        return _checked(fmt, found, value, lambda: datetime(*map(int, match.groups())))
    raise error(
        fmt, found, f"invalid date-time {value[:40]!r} (expected CCYYMMDDhhmmss and a zone)"
    )


def _aware(fmt, found, value, match):
    *parts, zone = match.groups()
    offset = timedelta(0)
    if zone != "Z":
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        offset = -offset if zone[0] == "-" else offset
    return _checked(fmt, found, value, lambda: datetime(*map(int, parts), tzinfo=timezone(offset)))


def _checked(fmt, found, value, build):
    try:
        return build()
    except ValueError as exc:  # month 13, hour 25, an offset of a day or more
        raise error(fmt, found, f"invalid date-time {value[:40]!r}: {exc}") from None
