"""Transport management objects: transport orders (load tenders), their stops and milestones."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ._fields import choices as _choices
from .shipping import Address
from .status import STATUSES

__all__ = [
    "STOP_KINDS",
    "TENDER_PURPOSES",
    "TENDER_STATUSES",
    "Milestone",
    "Stop",
    "TransportOrder",
]

TENDER_STATUSES = ("tendered", "accepted", "declined", "cancelled")
TENDER_PURPOSES = ("original", "change", "cancel")
STOP_KINDS = ("pickup", "delivery")


@dataclass(slots=True)
class Stop:
    """A pickup or delivery stop of a transport order, with its time window."""

    sequence: int
    kind: str = _choices(STOP_KINDS)
    address: Address | None = None
    earliest: datetime | None = None
    latest: datetime | None = None
    reference: str = ""
    instructions: str = ""


@dataclass(slots=True)
class TransportOrder:
    """A load tender to a carrier or TMS, or the carrier's answer to one (``status``)."""

    reference: str
    partner_reference: str = ""
    purpose: str = _choices(TENDER_PURPOSES, "original")
    status: str = _choices(TENDER_STATUSES, "tendered")
    decline_reason: str = ""
    carrier: str = ""
    service_level: str = ""
    mode: str = ""
    equipment: str = ""
    payment_method: str = ""
    stops: list[Stop] = field(default_factory=list)
    weight_kg: float | None = None
    volume_m3: float | None = None
    pieces: int | None = None
    estimated_cost: Decimal | None = None
    currency: str = ""
    references: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Milestone:
    """A status of a transport order (X12 214 style), with canonical ``status``."""

    reference: str
    status: str = _choices(STATUSES)
    partner_status: str = ""
    partner_status_text: str = ""
    reason_code: str = ""
    occurred_at: datetime | None = None
    location: str = ""
    stop_sequence: int | None = None
    tracking_number: str = ""
    carrier: str = ""
    latitude: float | None = None
    longitude: float | None = None
    partner_event_id: str = ""
