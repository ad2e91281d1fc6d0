"""Carrier objects: addresses, parcels, shipments, tracking events, rates and labels."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ._fields import choices as _choices
from .status import STATUS_UNKNOWN, STATUSES

__all__ = [
    "Address",
    "Label",
    "Parcel",
    "Rate",
    "Shipment",
    "TrackingEvent",
]


@dataclass(slots=True)
class Address:
    """A postal address with its contact."""

    name: str = ""
    company: str = ""
    street: str = ""
    street2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    country: str = ""
    phone: str = ""
    email: str = ""


@dataclass(slots=True)
class Parcel:
    """One physical package of a shipment (kilograms and centimetres)."""

    reference: str = ""
    tracking_number: str = ""
    package_type: str = ""
    weight_kg: float | None = None
    length_cm: float | None = None
    width_cm: float | None = None
    height_cm: float | None = None


@dataclass(slots=True)
class Shipment:
    """A shipment as booked with a carrier; ``reference`` is ours (picking name)."""

    reference: str
    partner_reference: str = ""
    carrier: str = ""
    service: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    status: str = _choices(STATUSES, STATUS_UNKNOWN)
    ship_from: Address | None = None
    ship_to: Address | None = None
    parcels: list[Parcel] = field(default_factory=list)
    ship_date: date | None = None
    declared_value: Decimal | None = None
    currency: str = ""
    incoterm: str = ""
    is_return: bool = False
    references: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class TrackingEvent:
    """One status event of a tracked shipment, as a carrier or aggregator reported it.

    ``status`` is canonical; ``partner_status`` / ``partner_status_text`` keep the partner's
    own code and wording for the status map and for people.
    """

    tracking_number: str
    status: str = _choices(STATUSES)
    partner_status: str = ""
    partner_status_text: str = ""
    occurred_at: datetime | None = None
    location: str = ""
    description: str = ""
    partner_event_id: str = ""
    carrier: str = ""
    signed_by: str = ""
    shipment_reference: str = ""

    @property
    def time_zone_known(self):
        """False when the partner gave a local time without zone (``occurred_at`` naive)."""
        return self.occurred_at is None or self.occurred_at.tzinfo is not None

    def dedup_key(self):
        """Return a stable key identifying this event, to store each event only once."""
        when = self.occurred_at.isoformat() if self.occurred_at else ""
        ident = self.partner_event_id or f"{self.partner_status}@{when}"
        return f"{self.carrier}|{self.tracking_number}|{ident}"


@dataclass(slots=True)
class Rate:
    """A price quoted by a carrier for a service."""

    carrier: str
    service: str
    amount: Decimal
    currency: str = ""
    partner_rate_id: str = ""
    shipment_reference: str = ""
    delivery_days: int | None = None
    estimated_delivery: date | None = None


@dataclass(slots=True)
class Label:
    """A shipping label: the document itself (``content``) or where to fetch it (``url``)."""

    tracking_number: str
    carrier: str = ""
    service: str = ""
    file_format: str = ""
    content: bytes | None = None
    url: str = ""
    partner_reference: str = ""
    shipment_reference: str = ""
    parcel_reference: str = ""
