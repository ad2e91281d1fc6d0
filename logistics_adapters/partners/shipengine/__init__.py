"""ShipEngine: tracking responses and API_TRACK webhooks."""

from ..registry import Partner, register_partner
from . import tracking
from .statuses import STATUSES

PARTNER = register_partner(
    Partner(
        "shipengine",
        "ShipEngine",
        "carrier",
        statuses=STATUSES,
        tracking_webhook="shipengine-webhook",
    )
)
