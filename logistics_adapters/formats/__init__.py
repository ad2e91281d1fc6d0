"""Standards shared by many partners, with no partner name in them.

Importing this package registers their codecs (``canonical-json``); :mod:`.json` is the one
JSON reader of every JSON codec and :mod:`.tracking` what every tracking codec shares.
"""

from . import canonical_json

__all__ = ["canonical_json"]
