"""EasyPost: shipments (rates, labels), trackers and tracker webhooks, its signature scheme and
its sandbox personality (``--personality easypost``)."""

from ...sandbox.personalities import register_personality
from ..registry import Partner, register_partner
from . import shipment, signature, tracking
from .statuses import STATUSES

register_personality("easypost", "logistics_adapters.partners.easypost.sandbox:EasyPostCarrier")

PARTNER = register_partner(
    Partner(
        "easypost",
        "EasyPost",
        "carrier",
        statuses=STATUSES,
        tracking_webhook=tracking.FORMAT_EVENT,
        signature_scheme=signature.EasyPostHmacScheme.code,
    )
)
