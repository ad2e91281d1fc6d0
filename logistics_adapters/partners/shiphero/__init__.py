"""ShipHero: the warehouse management system and 3PL network's webhooks."""

from ..registry import Partner, register_partner
from . import webhook
from .statuses import STATUSES

PARTNER = register_partner(Partner("shiphero", "ShipHero", "wms", statuses=STATUSES))

__all__ = ["PARTNER", "webhook"]
