"""Partner codecs; importing this package registers every codec below."""

from . import canonical_json, easypost, tracking

__all__ = ["canonical_json", "easypost", "tracking"]
