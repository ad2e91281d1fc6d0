"""Transport management objects: transport orders (load tenders), their stops, goods and
milestones.

``TransportOrder.references`` (and ``Stop.references``, ``Goods.references``,
``Milestone.references``) map a reference's kind to its value. The kinds of
:data:`REFERENCE_KINDS` are named alike by every format (an X12 ``L11*...*BM`` is
``bill_of_lading``); a kind no format names keeps the format's own qualifier (``"DJ"``), and a
second value of one kind gets ``_2``, ``_3``... (``shipper_id_2``).
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ._fields import choices as _choices
from .shipping import Address
from .status import STATUSES

__all__ = [
    "REFERENCE_KINDS",
    "STOP_KINDS",
    "TENDER_PURPOSES",
    "TENDER_STATUSES",
    "Goods",
    "Milestone",
    "Stop",
    "TransportOrder",
]

#: ``conditional``: the carrier accepts on conditions (a counter-offer), said in ``notes``.
TENDER_STATUSES = ("tendered", "accepted", "declined", "cancelled", "conditional")
TENDER_PURPOSES = ("original", "change", "cancel")
STOP_KINDS = ("pickup", "delivery")
#: Reference kinds every format names alike.
REFERENCE_KINDS = (
    "bill_of_lading",
    "master_bill_of_lading",
    "pro",
    "purchase_order",
    "shipment_id",
    "shipper_id",
    "order",
    "delivery_order",
    "pickup",
    "container",
    "equipment",
    "seal",
    "booking",
    "appointment",
    "customer_reference",
    "tracking_number",
)


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
    #: The appointment made at the stop (the window is ``earliest`` / ``latest``).
    appointment: datetime | None = None
    #: The location's code at the party that gives it (X12 N104, a GLN...).
    location_id: str = ""
    weight_kg: float | None = None
    volume_m3: float | None = None
    pieces: int | None = None
    pallets: int | None = None
    #: Other references of the stop, by kind (see the module doc).
    references: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Goods:
    """A line of goods of a transport order: what it is, how much, how it is packed, and the
    stop it is loaded or unloaded at (``stop_sequence``, None for the whole order)."""

    description: str = ""
    #: The line's own reference (X12 OID01) and its buyer's order (OID02).
    reference: str = ""
    purchase_order: str = ""
    weight_kg: float | None = None
    volume_m3: float | None = None
    #: Lading quantity, in ``packaging`` units (pallets, cartons...).
    pieces: int | None = None
    #: Packaging code (X12 element 103: ``PLT``, ``CTN``, ``PCS``...).
    packaging: str = ""
    #: NMFC freight class (``"70"``, ``"92.5"``) and NMFC item number.
    freight_class: str = ""
    nmfc: str = ""
    hazardous: bool = False
    un_number: str = ""
    stop_sequence: int | None = None
    references: dict[str, str] = field(default_factory=dict)


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
    #: What is carried, line by line.
    goods: list[Goods] = field(default_factory=list)
    #: The parties of the order by role (``bill_to``, ``shipper``, ``consignee``, or the
    #: format's own code), besides the stops' addresses.
    parties: dict[str, Address] = field(default_factory=dict)
    #: Free text: the tender's notes, the carrier's remarks (a counter-offer's conditions).
    notes: str = ""
    #: When the carrier must answer the tender by.
    respond_by: datetime | None = None


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
    #: The partner's time zone code as given (X12 AT707: ``CT``, ``UT``, ``LT``...).
    time_zone: str = ""
    #: An estimate (ETA) or an appointment: when something is expected rather than done;
    #: such a milestone has no ``occurred_at``.
    estimated_at: datetime | None = None
    appointment_at: datetime | None = None
    equipment: str = ""
    #: The shipment's references, by kind (see the module doc).
    references: dict[str, str] = field(default_factory=dict)

    @property
    def time_zone_known(self):
        """False when a time was given without zone (naive), for the caller to resolve."""
        moments = (self.occurred_at, self.estimated_at, self.appointment_at)
        return all(moment is None or moment.tzinfo is not None for moment in moments)
