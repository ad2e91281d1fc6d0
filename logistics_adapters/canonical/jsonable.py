"""The JSON form of the canonical model: :func:`to_jsonable` and :func:`from_jsonable`."""

import base64
import binascii
import dataclasses
import math
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ..errors import ParseError
from . import billing, customs, shipping, transport, warehouse

__all__ = [
    "CANONICAL_TYPES",
    "from_jsonable",
    "to_jsonable",
]

#: Every canonical class by name: the ``"type"`` values :func:`from_jsonable` accepts. They are
#: the dataclasses the domain modules export, in the order they list them.
CANONICAL_TYPES = {
    name: cls
    for module in (shipping, transport, warehouse, customs, billing)
    for name in module.__all__
    if dataclasses.is_dataclass(cls := getattr(module, name))
}
_CANONICAL_CLASSES = frozenset(CANONICAL_TYPES.values())

# Bounds that keep hostile input from building absurd numbers: 64-bit integers, amounts below
# 10**24 (no freight invoice comes near; Odoo stores them as 64-bit floats anyway).
_INT_LIMIT = 2**63
_INT_MAX_DIGITS = 19
_AMOUNT_MAX_ADJUSTED_EXPONENT = 23


# --------------------------------------------------------------------------------------------
# To JSON
# --------------------------------------------------------------------------------------------


def to_jsonable(obj):
    """Return a canonical object, or a list of them, as JSON-ready dicts.

    Each object becomes a dict with a ``"type"`` key (its class name) and every field; nested
    objects too. Datetimes become ISO 8601 (with their offset when aware), dates ISO 8601,
    Decimals strings, bytes base64. Raises ``TypeError`` for anything not canonical and
    ``ValueError`` for a NaN or infinite number.
    """
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(item) for item in obj]
    if type(obj) not in _CANONICAL_CLASSES:
        raise TypeError(f"not a canonical object: {obj!r}")
    return _encode(obj)


def _encode(value):
    if dataclasses.is_dataclass(value):
        encoded = {"type": type(value).__name__}
        for item in dataclasses.fields(value):
            encoded[item.name] = _encode(getattr(value, item.name))
        return encoded
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _encode(item) for key, item in value.items()}
    return _encode_scalar(value)


def _encode_scalar(value):
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot encode non-finite number {value!r}")
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"cannot encode non-finite amount {value!r}")
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot encode {type(value).__name__} value {value!r}")


# --------------------------------------------------------------------------------------------
# From JSON
# --------------------------------------------------------------------------------------------


def from_jsonable(data):
    """Return the canonical object (or list) that :func:`to_jsonable` turned into ``data``.

    Strict: the top-level ``"type"`` must name a canonical class, unknown fields and missing
    required ones are refused, every value must have its field's type (Decimals may be given
    as strings or numbers). Raises :class:`ParseError` whose ``field`` is the JSON path of
    the bad value, such as ``[3].occurred_at``.
    """
    if isinstance(data, list):
        return [_decode_object(item, f"[{index}]", None) for index, item in enumerate(data)]
    return _decode_object(data, "", None)


def _join(path, name):
    return f"{path}.{name}" if path else name


def _error(path, message):
    return ParseError(message, field=path or None)


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _decode_object(data, path, expected):
    if not isinstance(data, dict):
        raise _error(path, f"expected an object, got {_kind(data)}")
    cls = _object_class(data, path, expected)
    fields = dataclasses.fields(cls)
    names = {item.name for item in fields}
    unknown = sorted(key for key in data if key not in names and key != "type")
    if unknown:
        raise _error(_join(path, unknown[0]), f"unknown field for {cls.__name__}")
    values = {}
    for item in fields:
        item_path = _join(path, item.name)
        if item.name in data:
            values[item.name] = _decode_field(item, data[item.name], item_path)
        elif _is_required(item):
            raise _error(item_path, f"required field missing in {cls.__name__}")
    return cls(**values)


def _object_class(data, path, expected):
    type_name = data.get("type")
    if expected is not None:
        if type_name is not None and type_name != expected.__name__:
            raise _error(
                _join(path, "type"), f"expected type {expected.__name__!r}, got {type_name!r}"
            )
        return expected
    if type_name is None:
        raise _error(_join(path, "type"), "missing 'type' naming the canonical class")
    if not isinstance(type_name, str) or type_name not in CANONICAL_TYPES:
        known = ", ".join(sorted(CANONICAL_TYPES))
        raise _error(_join(path, "type"), f"unknown type {type_name!r}; known types: {known}")
    return CANONICAL_TYPES[type_name]


def _is_required(item):
    return item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING


def _decode_field(item, value, path):
    decoded = _decode_value(value, item.type, path)
    choices = item.metadata.get("choices")
    if choices is not None and decoded not in choices:
        known = ", ".join(sorted(choices))
        raise _error(path, f"invalid value {decoded!r}; expected one of: {known}")
    return decoded


def _decode_value(value, annotation, path):
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (annotation,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _decode_value(value, annotation, path)
    if origin is list:
        return _decode_list(value, typing.get_args(annotation)[0], path)
    if origin is dict:
        return _decode_dict(value, typing.get_args(annotation)[1], path)
    if dataclasses.is_dataclass(annotation):
        return _decode_object(value, path, annotation)
    return _SCALAR_DECODERS[annotation](value, path)


def _decode_list(value, item_type, path):
    if not isinstance(value, list):
        raise _error(path, f"expected an array, got {_kind(value)}")
    return [_decode_value(item, item_type, f"{path}[{index}]") for index, item in enumerate(value)]


def _decode_dict(value, item_type, path):
    if not isinstance(value, dict):
        raise _error(path, f"expected an object, got {_kind(value)}")
    return {
        _decode_str(key, path): _decode_value(item, item_type, _join(path, key))
        for key, item in value.items()
    }


def _decode_str(value, path):
    if not isinstance(value, str):
        raise _error(path, f"expected a string, got {_kind(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _error(path, "invalid text: unpaired surrogate") from None
    return value


def _decode_bool(value, path):
    if not isinstance(value, bool):
        raise _error(path, f"expected true or false, got {_kind(value)}")
    return value


def _decode_int(value, path):
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise _error(path, f"expected an integer, got {_kind(value)}")
    if isinstance(value, Decimal):
        if (
            not value.is_finite()
            or value.adjusted() > _INT_MAX_DIGITS
            or value != value.to_integral_value()
        ):
            raise _error(path, f"expected an integer, got {value}")
        value = int(value)
    if not -_INT_LIMIT <= value < _INT_LIMIT:
        raise _error(path, f"integer out of range: {value}")
    return value


def _decode_float(value, path):
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise _error(path, f"expected a number, got {_kind(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = float("inf")
    if not math.isfinite(number):
        raise _error(path, f"number out of range: {value}")
    return number


def _decode_decimal(value, path):
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise _error(path, f"expected an amount (string or number), got {_kind(value)}")
    try:
        amount = Decimal(repr(value) if isinstance(value, float) else value)
    except (InvalidOperation, ValueError):
        raise _error(path, f"invalid amount {value!r}") from None
    if not amount.is_finite():
        raise _error(path, f"invalid amount {value!r}")
    if amount and amount.adjusted() > _AMOUNT_MAX_ADJUSTED_EXPONENT:
        raise _error(path, f"amount out of range: {value}")
    return amount


def _decode_iso(value, path, parse, kind):
    """``parse`` of the ISO 8601 string ``value``; a ValueError says the ``kind`` is invalid."""
    text = _decode_str(value, path)
    try:
        return parse(text)
    except ValueError:
        raise _error(path, f"invalid {kind} {value!r}") from None


def _datetime_fromisoformat(text):
    """:meth:`datetime.fromisoformat`, also taking a trailing ``Z`` for UTC."""
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)


def _decode_datetime(value, path):
    return _decode_iso(value, path, _datetime_fromisoformat, "datetime")


def _decode_date(value, path):
    return _decode_iso(value, path, date.fromisoformat, "date")


def _decode_bytes(value, path):
    text = _decode_str(value, path)
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise _error(path, "invalid base64 content") from None


_SCALAR_DECODERS = {
    str: _decode_str,
    bool: _decode_bool,
    int: _decode_int,
    float: _decode_float,
    Decimal: _decode_decimal,
    datetime: _decode_datetime,
    date: _decode_date,
    bytes: _decode_bytes,
}
