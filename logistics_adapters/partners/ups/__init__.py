"""UPS: Track API (polled) and Track Alert webhooks."""

from ..registry import Partner, register_partner
from . import tracking
from .statuses import STATUSES

PARTNER = register_partner(
    Partner(
        "ups",
        "UPS",
        "carrier",
        statuses=STATUSES,
        tracking_webhook="ups-trackalert",
        tracking_poll="ups-track",
    )
)
