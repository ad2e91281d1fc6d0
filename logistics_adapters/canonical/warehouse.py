"""Warehouse / 3PL objects: orders released to a warehouse, confirmations, inventory."""

from dataclasses import dataclass, field
from datetime import date, datetime

from ._fields import choices as _choices
from .shipping import Address

__all__ = [
    "CONFIRMATION_KINDS",
    "WAREHOUSE_ORDER_KINDS",
    "InventoryLine",
    "InventorySnapshot",
    "Lot",
    "OrderLine",
    "Package",
    "ShipConfirmation",
    "ShipLine",
    "WarehouseOrder",
]

WAREHOUSE_ORDER_KINDS = ("outbound", "inbound")
CONFIRMATION_KINDS = ("shipment", "receipt")


@dataclass(slots=True)
class OrderLine:
    """A product line of a warehouse order."""

    product_code: str
    quantity: float
    line_number: str = ""
    description: str = ""
    uom: str = ""
    lot_number: str = ""


@dataclass(slots=True)
class WarehouseOrder:
    """An order released to a warehouse or 3PL: outbound (ship) or inbound (receive)."""

    reference: str
    kind: str = _choices(WAREHOUSE_ORDER_KINDS, "outbound")
    partner_reference: str = ""
    warehouse: str = ""
    ship_to: Address | None = None
    ship_from: Address | None = None
    carrier: str = ""
    service: str = ""
    requested_date: date | None = None
    notes: str = ""
    lines: list[OrderLine] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Lot:
    """A lot or serial number and the quantity of it."""

    lot_number: str
    quantity: float | None = None
    expiration_date: date | None = None


@dataclass(slots=True)
class ShipLine:
    """A confirmed line: what was really shipped or received, in which lots and package."""

    product_code: str
    quantity: float
    line_number: str = ""
    quantity_ordered: float | None = None
    uom: str = ""
    description: str = ""
    package_reference: str = ""
    lots: list[Lot] = field(default_factory=list)


@dataclass(slots=True)
class Package:
    """A package (LPN, SSCC) of a confirmation; its lines point to it by reference."""

    reference: str = ""
    tracking_number: str = ""
    package_type: str = ""
    weight_kg: float | None = None


@dataclass(slots=True)
class ShipConfirmation:
    """The warehouse's confirmation of an order: shipped (945) or received (944)."""

    order_reference: str
    kind: str = _choices(CONFIRMATION_KINDS, "shipment")
    partner_reference: str = ""
    warehouse: str = ""
    confirmed_at: datetime | None = None
    carrier: str = ""
    service: str = ""
    tracking_number: str = ""
    bill_of_lading: str = ""
    lines: list[ShipLine] = field(default_factory=list)
    packages: list[Package] = field(default_factory=list)


@dataclass(slots=True)
class InventoryLine:
    """Stock of one product (and lot, location, condition) in the warehouse's books."""

    product_code: str
    quantity: float
    uom: str = ""
    lot_number: str = ""
    location: str = ""
    condition: str = ""


@dataclass(slots=True)
class InventorySnapshot:
    """The warehouse's stock at a moment, to compare with Odoo quants."""

    warehouse: str = ""
    partner_reference: str = ""
    taken_at: datetime | None = None
    lines: list[InventoryLine] = field(default_factory=list)
