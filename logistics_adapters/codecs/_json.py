"""What every JSON codec needs: reading the bytes and naming where they are wrong."""

import json
from decimal import Decimal

from ..errors import ParseError


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


def load_json(fmt, data):
    """Return ``(text, document)`` of a JSON payload.

    Numbers with a fraction become ``Decimal`` (amounts stay exact); NaN and Infinity
    are refused; every error is a ParseError naming line and column where known.
    """
    text = decode_text(fmt, data)
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
