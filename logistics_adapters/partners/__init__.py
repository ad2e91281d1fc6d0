"""Partners: everything about one partner in one package, registered when imported.

Each package holds the partner's codecs, its status table (``statuses.py``), its signature
scheme when it has its own, the request of its polled documents, its sandbox personality, and
registers them with its :class:`Partner` descriptor. Importing this package imports them all.
"""

from .registry import (
    KINDS,
    Partner,
    available_partners,
    get_partner,
    partner_selection,
    register_partner,
)

from . import (
    aftership,
    dhl,
    easypost,
    eu_vies,
    fedex,
    shipbob,
    shipengine,
    shiphero,
    ups,
    x12_carrier,
)

__all__ = [
    "KINDS",
    "Partner",
    "available_partners",
    "get_partner",
    "partner_selection",
    "register_partner",
]
