"""``canonical-json``: the canonical model itself as JSON, as :func:`to_jsonable` writes it.

Useful for partners that speak our model, for replaying edited messages, for fixtures and for
the command line. A document is one object or an array of objects; each object's ``"type"``
names its class.
"""

import json

from ..canonical import from_jsonable, to_jsonable
from ..errors import ParseError
from ..registry import Codec
from .json import MEDIA_TYPE as JSON
from .json import load_json

FORMAT = "canonical-json"


class CanonicalJsonCodec(Codec, name=FORMAT, media_type=JSON):
    """Canonical model objects as JSON (one object or an array, 'type' = class)."""

    def parse(self, data):
        """Return the canonical objects of a JSON document; ParseError says what and where."""
        _text, document = load_json(FORMAT, data)
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
