"""What every JSON codec needs: reading the bytes, typed access, and naming where it is wrong.

:class:`JsonReader` is the one reader of every JSON codec. Its methods take ``(obj, key,
path)``: the object, the member name, and the JSON path of the object (``""`` at the top), so
every error names the JSON path of the bad value (``result.tracking_details[2].datetime``) and,
when the offending text occurs once in the document, its line and column.

Text is read in one of two ways, chosen per codec with ``tidy_text``:

* ``tidy_text=False`` (EasyPost, whose documents we also write): strings exactly as given; a
  missing required value is "required field missing", a blank one "required field is empty";
* ``tidy_text=True`` (tracking documents from partners): integers are taken as text
  (``"trackingNumber": 1234``), values are stripped, text with NUL or unpaired surrogates is
  refused, and a missing or blank required value is "required field missing or empty".
"""

import json
import re
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

from dateutil.parser import isoparse

from ..errors import ParseError

#: The deepest nesting of arrays and objects read, the same on every entry point whatever its
#: call stack (the Odoo route's is deeper than the gateway's): deeper is refused before the
#: ``json`` module recurses. No partner document comes near it.
MEDIA_TYPE = "application/json"
MAX_DEPTH = 256
_NESTING = re.compile(r'[\[\]{}"\\]')
_AMOUNT_MAX_ADJUSTED_EXPONENT = 23
_NUMBER_LIMIT = 1e12
_MISSING = object()


def decode_text(fmt, data):
    """Return ``data`` (bytes or str) as text; bad UTF-8 is a ParseError with its place."""
    if isinstance(data, str):
        return data
    data = bytes(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(
            f"invalid UTF-8 byte 0x{data[exc.start]:02x}",
            format=fmt,
            line=line,
            column=column,
            position=exc.start,
        ) from None


def too_deep(data, limit=MAX_DEPTH):
    """Tell whether the JSON text ``data`` (str, or bytes in any ASCII-compatible encoding)
    nests arrays and objects deeper than ``limit``, without parsing it: brackets inside
    strings do not count. Linear in the size, and stops at the first level too deep."""
    text = data if isinstance(data, str) else bytes(data).decode("latin-1")
    if text.count("[") + text.count("{") <= limit:
        return False
    depth, in_string, escaped = 0, False, -1
    for match in _NESTING.finditer(text):
        position, char = match.start(), match.group()
        if position == escaped:
            continue
        if in_string:
            escaped = position + 1 if char == "\\" else escaped
            in_string = char != '"'
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def load_json(fmt, data):
    """Return ``(text, document)`` of a JSON payload.

    Numbers with a fraction become ``Decimal`` (amounts stay exact); NaN and Infinity
    are refused; nesting deeper than :data:`MAX_DEPTH` is refused; every error is a
    ParseError naming line and column where known.
    """
    text = decode_text(fmt, data)
    if too_deep(text):
        raise ParseError(f"invalid JSON: nested too deeply (over {MAX_DEPTH} levels)", format=fmt)
    try:
        document = json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"invalid JSON: {exc.msg}",
            format=fmt,
            line=exc.lineno,
            column=exc.colno,
            position=exc.pos,
        ) from None
    except RecursionError:
        raise ParseError("invalid JSON: nested too deeply", format=fmt) from None
    except ValueError as exc:
        raise ParseError(f"invalid JSON: {exc}", format=fmt) from None
    return text, document


def join_path(path, key):
    """The JSON path of ``key`` inside ``path`` (``result.tracking_details``)."""
    return f"{path}.{key}" if path else key


def kind_of(value):
    """What a JSON value is, for error messages (``a string``, ``an array``...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _refuse_constant(name):
    raise ValueError(f"{name} is not allowed")


class JsonReader:
    """Typed access to one decoded JSON document of codec ``format``.

    ``source`` is the document's text (for the line of a bad value); ``tidy_text`` chooses
    how :meth:`text` reads strings (see the module docstring).
    """

    def __init__(self, format, source="", *, tidy_text=False):
        self.format = format
        self.source = source
        self.tidy_text = tidy_text

    @classmethod
    def load(cls, format, data, *, tidy_text=False):
        """Return ``(reader, document)`` for the JSON payload ``data`` (bytes or str)."""
        text, document = load_json(format, data)
        return cls(format, text, tidy_text=tidy_text), document

    def error(self, path, message, value=_MISSING):
        """Return a ParseError at ``path``, with the line of ``value`` when it is unambiguous."""
        line = column = None
        if isinstance(value, str):
            line, column = _locate(self.source, value)
        return ParseError(message, format=self.format, field=path or None, line=line, column=column)

    def object(self, value, path, what="an object"):
        """Return ``value`` if it is a JSON object."""
        if not isinstance(value, dict):
            raise self.error(path, f"expected {what}, got {kind_of(value)}")
        return value

    def root(self, document):
        """Return the top-level object of the document."""
        return self.object(document, "", "a JSON object at the top")

    def get(self, obj, key, path, required=False):
        """Return ``obj[key]``; None when absent or null (or ``obj`` None), unless required."""
        value = None if obj is None else obj.get(key)
        if value is None and required:
            raise self.error(join_path(path, key), "required field missing")
        return value

    def child(self, obj, key, path, required=False):
        """Return the object ``obj[key]`` (None when absent or null, unless required)."""
        value = self.get(obj, key, path, required)
        return None if value is None else self.object(value, join_path(path, key))

    def array(self, obj, key, path, required=False):
        """Return the array ``obj[key]``; ``[]`` when absent or null, unless required."""
        value = self.get(obj, key, path, required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(join_path(path, key), f"expected an array, got {kind_of(value)}")
        return value

    def objects(self, obj, key, path, required=False):
        """Yield ``(path, object)`` for each item of the array ``obj[key]``."""
        items_path = join_path(path, key)
        for index, item in enumerate(self.array(obj, key, path, required)):
            yield f"{items_path}[{index}]", self.object(item, f"{items_path}[{index}]")

    def text(self, obj, key, path, required=False):
        """Return the string ``obj[key]``; ``""`` when absent or null, unless required."""
        if self.tidy_text:
            return self._tidy_text(obj, key, path, required)
        value = self.get(obj, key, path, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.error(join_path(path, key), f"expected a string, got {kind_of(value)}")
        if required and not value.strip():
            raise self.error(join_path(path, key), "required field is empty")
        return value

    def _tidy_text(self, obj, key, path, required):
        value = self.get(obj, key, path)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        elif value is not None and not isinstance(value, str):
            raise self.error(join_path(path, key), f"expected a string, got {kind_of(value)}")
        value = (value or "").strip()
        if "\x00" in value or not _encodable(value):
            raise self.error(join_path(path, key), "invalid text")
        if required and not value:
            raise self.error(join_path(path, key), "required field missing or empty")
        return value

    def expect(self, obj, key, path, expected):
        """Check that ``obj[key]`` is the string ``expected`` (an object type, say)."""
        value = obj.get(key)
        if value is None:
            raise self.error(
                join_path(path, key), f"required field missing (expected {expected!r})"
            )
        if value != expected:
            raise self.error(join_path(path, key), f"expected {expected!r}, got {value!r}", value)

    def moment(self, obj, key, path):
        """Return any ISO 8601 date-time form ``obj[key]`` (dateutil): aware with an offset."""
        text = self.text(obj, key, path)
        if not text:
            return None
        try:
            moment = isoparse(text)
            if moment.tzinfo is not None:
                moment = moment.replace(tzinfo=timezone(moment.utcoffset()))
        except (ValueError, OverflowError):
            raise self.error(join_path(path, key), f"invalid date-time {text!r}") from None
        return moment

    def when(self, obj, key, path, required=False):
        """Return the extended ISO 8601 datetime ``obj[key]`` (``Z`` allowed), or None.

        Stricter than :meth:`moment` (Python's ISO form only); aware with an offset, naive
        without; the error gives the line of the bad value.
        """
        value = self.text(obj, key, path, required)
        if not value:
            return None
        text = value[:-1] + "+00:00" if value[-1:] in ("Z", "z") else value
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise self.error(join_path(path, key), f"invalid date {value!r}", value) from None

    def day(self, obj, key, path):
        """Return the date part of the ISO 8601 date or datetime ``obj[key]``, or None."""
        value = self.text(obj, key, path)
        if not value:
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise self.error(join_path(path, key), f"invalid date {value!r}", value) from None

    def amount(self, obj, key, path, required=False):
        """Return the amount ``obj[key]`` as a Decimal (a string such as "6.07000" or a number)."""
        value = self.get(obj, key, path, required)
        if value is None:
            return None
        where = join_path(path, key)
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            raise self.error(where, f"expected an amount, got {kind_of(value)}")
        try:
            amount = Decimal(value.strip() if isinstance(value, str) else value)
        except (InvalidOperation, ValueError):
            raise self.error(where, f"invalid amount {value!r}", value) from None
        if not amount.is_finite() or (amount and amount.adjusted() > _AMOUNT_MAX_ADJUSTED_EXPONENT):
            raise self.error(where, f"invalid amount {value!r}", value)
        return amount

    def number(self, obj, key, path):
        """Return the number ``obj[key]`` as a float, or None."""
        value = self.get(obj, key, path)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise self.error(join_path(path, key), f"expected a number, got {kind_of(value)}")
        if not abs(value) < _NUMBER_LIMIT:
            raise self.error(join_path(path, key), f"number out of range: {value}")
        return float(value)

    def integer(self, obj, key, path):
        """Return the integer ``obj[key]``, or None."""
        number = self.number(obj, key, path)
        if number is None:
            return None
        if number != int(number):
            raise self.error(join_path(path, key), f"expected an integer, got {obj[key]}")
        return int(number)


def _locate(text, value):
    """Return (line, column) of the JSON string ``value`` when it is a member value once."""
    literals = {json.dumps(value), json.dumps(value, ensure_ascii=False)}
    pattern = "|".join(re.escape(literal) for literal in literals)
    matches = list(re.finditer(rf":\s*({pattern})", text))
    if len(matches) != 1:
        return None, None
    start = matches[0].start(1)
    return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1


def _encodable(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
