"""Freight billing objects: freight invoices and their charges (accessorial codes)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .shipping import Address

__all__ = [
    "Charge",
    "FreightInvoice",
]


@dataclass(slots=True)
class Charge:
    """One charge of a freight invoice; ``code`` is the accessorial / special-charge code."""

    code: str
    amount: Decimal
    description: str = ""
    quantity: float | None = None
    rate: Decimal | None = None


@dataclass(slots=True)
class FreightInvoice:
    """A carrier's invoice for transport, to match against shipments and estimates."""

    invoice_number: str
    invoice_date: date | None = None
    due_date: date | None = None
    carrier: str = ""
    shipment_reference: str = ""
    tracking_number: str = ""
    payment_method: str = ""
    currency: str = ""
    total: Decimal | None = None
    weight_kg: float | None = None
    bill_to: Address | None = None
    ship_from: Address | None = None
    ship_to: Address | None = None
    charges: list[Charge] = field(default_factory=list)

    def charges_total(self):
        """Return the sum of the charge amounts (to compare with ``total``)."""
        return sum((charge.amount for charge in self.charges), Decimal(0))
