"""FedEx: Track API (polled)."""

from ..registry import Partner, register_partner
from . import tracking
from .statuses import STATUSES

PARTNER = register_partner(
    Partner("fedex", "FedEx", "carrier", statuses=STATUSES, tracking_poll="fedex-track")
)
