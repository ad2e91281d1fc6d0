"""AfterShip: the tracking aggregator's API responses and webhooks, and its signature."""

from ..registry import Partner, register_partner
from . import signature, tracking
from .statuses import STATUSES

PARTNER = register_partner(
    Partner(
        "aftership",
        "AfterShip",
        "carrier",
        statuses=STATUSES,
        tracking_webhook="aftership-webhook",
        signature_scheme=signature.AfterShipHmacScheme.code,
    )
)
