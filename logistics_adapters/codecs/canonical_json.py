"""``canonical-json``: the canonical model itself as JSON, as :func:`to_jsonable` writes it.

Useful for partners that speak our model, for replaying edited messages, for fixtures and for
the command line. A document is one object or an array of objects; each object's ``"type"``
names its class.
"""

import json
from decimal import Decimal

from ..canonical import from_jsonable, to_jsonable
from ..errors import ParseError
from ..registry import Codec, register

FORMAT = "canonical-json"


def _refuse_constant(name):
    raise ValueError(f"{name} is not allowed")


@register
class CanonicalJsonCodec(Codec):
    """Canonical objects as JSON, one object or an array of them."""

    name = FORMAT
    description = "Canonical model objects as JSON (one object or an array, 'type' = class)"
    media_type = "application/json"

    def parse(self, data):
        """Return the canonical objects of a JSON document; ParseError says what and where."""
        document = _load_json(_decode_text(data))
        if not isinstance(document, (dict, list)):
            raise ParseError("expected a canonical object or an array of them", format=FORMAT)
        try:
            objects = from_jsonable(document)
        except ParseError as exc:
            raise exc.with_format(FORMAT) from None
        return objects if isinstance(objects, list) else [objects]

    def render(self, objects):
        """Return ``objects`` (one or a list) as an indented UTF-8 JSON array."""
        if not isinstance(objects, (list, tuple)):
            objects = [objects]
        text = json.dumps(to_jsonable(list(objects)), indent=2, ensure_ascii=False)
        return (text + "\n").encode("utf-8")


def _decode_text(data):
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
            format=FORMAT,
            line=line,
            column=column,
            position=exc.start,
        ) from None


def _load_json(text):
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"invalid JSON: {exc.msg}",
            format=FORMAT,
            line=exc.lineno,
            column=exc.colno,
            position=exc.pos,
        ) from None
    except RecursionError:
        raise ParseError("invalid JSON: nested too deeply", format=FORMAT) from None
    except ValueError as exc:
        raise ParseError(f"invalid JSON: {exc}", format=FORMAT) from None
