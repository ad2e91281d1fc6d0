"""DHL: Shipment Tracking - Unified (polled)."""

from ..registry import Partner, register_partner
from . import tracking
from .statuses import STATUSES

PARTNER = register_partner(
    Partner("dhl", "DHL", "carrier", statuses=STATUSES, tracking_poll="dhl-tracking")
)
