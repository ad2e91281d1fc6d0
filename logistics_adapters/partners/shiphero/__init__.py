"""ShipHero: the warehouse management system and 3PL network's webhooks, and its signature."""

from ..registry import Partner, register_partner
from . import signature, webhook
from .statuses import STATUSES

PARTNER = register_partner(
    Partner(
        "shiphero",
        "ShipHero",
        "wms",
        statuses=STATUSES,
        signature_scheme=signature.ShipHeroHmacScheme.code,
    )
)

__all__ = ["PARTNER", "signature", "webhook"]
