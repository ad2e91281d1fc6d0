"""ShipBob: the 3PL's shipment webhooks and inventory levels."""

from ..registry import Partner, register_partner
from . import inventory, shipments
from .statuses import STATUSES

PARTNER = register_partner(Partner("shipbob", "ShipBob", "wms", statuses=STATUSES))

__all__ = ["PARTNER", "inventory", "shipments"]
