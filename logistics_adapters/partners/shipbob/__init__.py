"""ShipBob: the 3PL's shipment webhooks and inventory levels, its signature scheme, and the
sandbox's ShipBob-like 3PL (``python -m logistics_adapters.sandbox json-3pl``)."""

from ...sandbox.personalities import register_personality
from ..registry import Partner, register_partner
from . import inventory, shipments, signature
from .statuses import STATUSES

register_personality("json-3pl", "logistics_adapters.sandbox.json_3pl:Json3pl")

PARTNER = register_partner(
    Partner(
        "shipbob",
        "ShipBob",
        "wms",
        statuses=STATUSES,
        signature_scheme=signature.ShipBobHmacScheme.code,
    )
)

__all__ = ["PARTNER", "inventory", "shipments", "signature"]
