"""Customs objects: declarations and their items, duties, clearance statuses."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ._fields import choices as _choices
from .shipping import Address
from .status import STATUS_CUSTOMS_HOLD, STATUS_CUSTOMS_RELEASED

__all__ = [
    "CLEARANCE_ACCEPTED",
    "CLEARANCE_CANCELLED",
    "CLEARANCE_HOLD",
    "CLEARANCE_REJECTED",
    "CLEARANCE_RELEASED",
    "CLEARANCE_STATUSES",
    "CLEARANCE_SUBMITTED",
    "CLEARANCE_TO_SHIPMENT_STATUS",
    "CUSTOMS_DIRECTIONS",
    "ClearanceStatus",
    "CustomsDeclaration",
    "CustomsItem",
    "Duty",
]

CLEARANCE_STATUSES = [
    ("submitted", "Submitted"),
    ("accepted", "Accepted"),
    ("hold", "On hold"),
    ("released", "Released"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
(
    CLEARANCE_SUBMITTED,
    CLEARANCE_ACCEPTED,
    CLEARANCE_HOLD,
    CLEARANCE_RELEASED,
    CLEARANCE_REJECTED,
    CLEARANCE_CANCELLED,
) = dict(CLEARANCE_STATUSES)
#: The shipment side status a clearance status raises, when it raises one.
CLEARANCE_TO_SHIPMENT_STATUS = {
    CLEARANCE_HOLD: STATUS_CUSTOMS_HOLD,
    CLEARANCE_REJECTED: STATUS_CUSTOMS_HOLD,
    CLEARANCE_RELEASED: STATUS_CUSTOMS_RELEASED,
}

CUSTOMS_DIRECTIONS = ("export", "import")


@dataclass(slots=True)
class CustomsItem:
    """A goods item of a declaration."""

    description: str = ""
    product_code: str = ""
    hs_code: str = ""
    origin_country: str = ""
    quantity: float | None = None
    uom: str = ""
    net_weight_kg: float | None = None
    value: Decimal | None = None


@dataclass(slots=True)
class CustomsDeclaration:
    """A customs declaration sent to a broker; ``mrn`` once customs assigned one."""

    reference: str
    direction: str = _choices(CUSTOMS_DIRECTIONS, "export")
    declaration_type: str = ""
    partner_reference: str = ""
    mrn: str = ""
    exporter: Address | None = None
    importer: Address | None = None
    declarant: Address | None = None
    origin_country: str = ""
    destination_country: str = ""
    incoterm: str = ""
    currency: str = ""
    total_value: Decimal | None = None
    gross_weight_kg: float | None = None
    shipment_reference: str = ""
    tracking_number: str = ""
    items: list[CustomsItem] = field(default_factory=list)


@dataclass(slots=True)
class Duty:
    """A duty or tax assessed by customs (``code`` such as A00 duty, B00 VAT)."""

    code: str
    amount: Decimal
    description: str = ""
    base: Decimal | None = None
    rate: Decimal | None = None
    currency: str = ""


@dataclass(slots=True)
class ClearanceStatus:
    """Where a declaration stands at customs, with the duties assessed so far."""

    declaration_reference: str
    status: str = _choices(CLEARANCE_STATUSES)
    mrn: str = ""
    partner_status: str = ""
    partner_status_text: str = ""
    occurred_at: datetime | None = None
    currency: str = ""
    duties: list[Duty] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
