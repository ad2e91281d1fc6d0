"""References drawn like ``ir.sequence`` does (implementation ``standard`` or ``no_gap``).

Odoo interpolates ``%(year)s`` and the other keys of the prefix and suffix with the
current time in the user's time zone (``env.tz``: the context's, else the user's, else
UTC), then pads the number: ``LGM/%(year)s/`` with padding 7 gives ``LGM/2026/0000042``.
"""

import logging
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from logistics_adapters.errors import AdapterError

_logger = logging.getLogger(__name__)

# ir.sequence prefix/suffix interpolation keys and their strftime formats.
_SEQUENCE_FORMATS = {
    "year": "%Y",
    "month": "%m",
    "day": "%d",
    "y": "%y",
    "doy": "%j",
    "woy": "%W",
    "weekday": "%w",
    "h24": "%H",
    "h12": "%I",
    "min": "%M",
    "sec": "%S",
    "isoyear": "%G",
    "isoy": "%g",
    "isoweek": "%V",
}


def local_now(tz):
    """Now in ``tz`` (a user's time zone name), UTC when unset or unknown."""
    zone = timezone.utc
    if tz:
        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            _logger.debug("Unknown time zone %r, using UTC", tz)
    return datetime.now(zone)


def sequence_name(prefix, suffix, padding, number, now, sequence="logistics.message"):
    """The reference ``ir.sequence.get_next_char`` makes of ``number`` at ``now``."""
    values = {}
    for key, fmt in _SEQUENCE_FORMATS.items():
        values[key] = values["range_" + key] = values["current_" + key] = now.strftime(fmt)
    try:
        head = (prefix % values) if prefix else ""
        tail = (suffix % values) if suffix else ""
    except (ValueError, TypeError, KeyError):
        raise AdapterError(f"invalid prefix or suffix for sequence {sequence!r}") from None
    return head + "%%0%sd" % padding % number + tail
