"""Freight billing objects: freight invoices, the shipments they cover and their charges.

An invoice covers one shipment or several. One shipment: its references, tracking numbers,
parties and charges are the invoice's own. Several (a parcel carrier's weekly invoice, an
air freight invoice of several airbills): each is a :class:`FreightShipment` with its
references, tracking numbers, weight, origin and destination, and its own charges; the
invoice's ``charges`` are then those of no shipment (a service charge, an invoice-level
discount). :meth:`FreightInvoice.charges_total` adds them all up, to compare with ``total``.

References map a kind to a value, named as in the rest of the model
(``canonical.REFERENCE_KINDS``: ``pro``, ``bill_of_lading``, ``purchase_order``,
``shipment_id``, ``tracking_number``...; here also ``airbill``); a kind no format names keeps
the format's own qualifier, and a second value of one kind gets ``_2``, ``_3``...

A charge's ``code`` comes from the code list ``code_list`` names: ``x12-150`` (X12 element
150, the special charge or allowance codes of the L1 segment), ``x12-1300`` (element 1300,
those of the SAC segment), or a carrier's own list (its name). The Odoo side maps (list,
code) to the company's charge types; an unknown pair is an exception for a person, never a
guess.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ._fields import choices as _choices
from .shipping import Address

__all__ = [
    "CODE_LIST_X12_150",
    "FREIGHT_MODES",
    "Charge",
    "FreightInvoice",
    "FreightShipment",
]

#: The transport modes a freight invoice is for.
FREIGHT_MODES = ("motor", "air", "parcel", "ocean", "rail")
#: ``Charge.code_list`` of X12 element 150 codes (L108, the special charge or allowance code).
CODE_LIST_X12_150 = "x12-150"


@dataclass(slots=True)
class Charge:
    """One charge of a freight invoice; ``code`` is the accessorial / special-charge code.

    ``amount`` is negative for a discount, an allowance or a refund.
    """

    code: str
    amount: Decimal
    description: str = ""
    quantity: float | None = None
    rate: Decimal | None = None
    #: The code list ``code`` is from (see the module doc); ``""`` when not said.
    code_list: str = ""
    #: How ``rate`` applies (X12 element 122: ``FR`` flat, ``PH`` per hundredweight, ``PM``
    #: per mile...), as the partner gives it.
    rate_qualifier: str = ""


@dataclass(slots=True)
class FreightShipment:
    """One shipment of an invoice covering several: what identifies it, where it went, and
    what was charged for it (``charges``: its own, not repeated on the invoice)."""

    #: Its references by kind (see the module doc).
    references: dict[str, str] = field(default_factory=dict)
    tracking_numbers: list[str] = field(default_factory=list)
    weight_kg: float | None = None
    pieces: int | None = None
    ship_from: Address | None = None
    ship_to: Address | None = None
    #: Location codes where the carrier gives them (airports of an air shipment).
    origin: str = ""
    destination: str = ""
    ship_date: date | None = None
    delivery_date: date | None = None
    #: The carrier's service level code (a parcel carrier's X12 CD305).
    service: str = ""
    charges: list[Charge] = field(default_factory=list)

    def charges_total(self):
        """Return the sum of the shipment's charge amounts."""
        return sum((charge.amount for charge in self.charges), Decimal(0))


@dataclass(slots=True)
class FreightInvoice:
    """A carrier's invoice for transport, to match against shipments and estimates."""

    invoice_number: str
    invoice_date: date | None = None
    due_date: date | None = None
    carrier: str = ""
    shipment_reference: str = ""
    #: The first of ``tracking_numbers`` where the invoice names any.
    tracking_number: str = ""
    payment_method: str = ""
    currency: str = ""
    #: What the document says is due (X12 B307, the net amount due); None when it says not.
    total: Decimal | None = None
    weight_kg: float | None = None
    bill_to: Address | None = None
    ship_from: Address | None = None
    ship_to: Address | None = None
    #: The charges of no shipment (all of them for an invoice without ``shipments``).
    charges: list[Charge] = field(default_factory=list)
    #: The invoice's own references by kind (see the module doc).
    references: dict[str, str] = field(default_factory=dict)
    #: Every tracking number the invoice covers, its shipments' included, each once.
    tracking_numbers: list[str] = field(default_factory=list)
    #: The shipments of an invoice covering several, each with its own charges.
    shipments: list[FreightShipment] = field(default_factory=list)
    mode: str = _choices(("", *FREIGHT_MODES), "")
    #: When the goods were (or are expected to be) delivered, as the invoice says.
    delivery_date: date | None = None

    def all_charges(self):
        """Return every charge of the invoice: its own, then each shipment's in turn."""
        return [*self.charges, *(c for shipment in self.shipments for c in shipment.charges)]

    def charges_total(self):
        """Return the sum of the charge amounts, the shipments' included (to compare with
        ``total``)."""
        return sum((charge.amount for charge in self.all_charges()), Decimal(0))
