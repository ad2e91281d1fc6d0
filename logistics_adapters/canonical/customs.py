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
    "ClearanceError",
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
    gross_weight_kg: float | None = None


@dataclass(slots=True)
class CustomsDeclaration:
    """A customs declaration sent to a broker; ``mrn`` once customs assigned one.

    ``exporter_eori``, ``importer_eori`` and ``declarant_eori`` are the parties' customs
    identification numbers (EORI in the EU and the UK); ``procedure_code`` the customs
    procedure (CPC: ``4000``, or ``4000000`` with its additional procedure);
    ``incoterm_location`` the incoterm's named place (a UN/LOCODE such as ``GBWLA``);
    ``references`` the previous documents by kind (``Z355`` an entry summary's MRN, ``ZDCR``
    the DUCR: category letter then type, as customs spell them).
    """

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
    exporter_eori: str = ""
    importer_eori: str = ""
    declarant_eori: str = ""
    procedure_code: str = ""
    incoterm_location: str = ""
    references: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Duty:
    """A duty or tax assessed by customs (``code`` such as A00 duty, B00 VAT); ``item`` is
    the number of the goods item it is assessed on, None when not given."""

    code: str
    amount: Decimal
    description: str = ""
    base: Decimal | None = None
    rate: Decimal | None = None
    currency: str = ""
    item: int | None = None


@dataclass(slots=True)
class ClearanceError:
    """What customs found wrong in a declaration (a rejection's reasons, a warning).

    ``code`` is customs' validation code (``CDS12005``); ``pointer`` the place in the
    declaration as customs gave it, one step per section (``42A/17C[1]/R144``: WCO class IDs,
    ``[n]`` the n-th of its kind, a data element's ID last); ``location`` the same in words
    (``Declaration / Authorisation holder 1 / Authorisation holder, coded``).
    """

    code: str
    description: str = ""
    pointer: str = ""
    location: str = ""


@dataclass(slots=True)
class ClearanceStatus:
    """Where a declaration stands at customs, with the duties assessed so far.

    ``notification_id`` is the customs' own id of the notification; ``errors`` what customs
    found wrong; ``payment_reference`` and ``total_payable`` the payment instruction of a duty
    calculation; ``due_at`` the deadline it sets (documents to present, payment due).
    """

    declaration_reference: str
    status: str = _choices(CLEARANCE_STATUSES)
    mrn: str = ""
    partner_status: str = ""
    partner_status_text: str = ""
    occurred_at: datetime | None = None
    currency: str = ""
    duties: list[Duty] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    notification_id: str = ""
    errors: list[ClearanceError] = field(default_factory=list)
    payment_reference: str = ""
    total_payable: Decimal | None = None
    due_at: datetime | None = None
