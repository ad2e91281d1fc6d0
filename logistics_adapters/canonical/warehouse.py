"""Warehouse / 3PL objects: orders released to a warehouse, confirmations, inventory."""

from dataclasses import dataclass, field
from datetime import date, datetime

from ._fields import choices as _choices
from .shipping import Address, Parcel

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
    #: Every product id the partner gives, by kind (``vendor_item``, ``upc``, ``gtin14``...;
    #: an unnamed qualifier as its code), ``product_code`` among them.
    product_ids: dict[str, str] = field(default_factory=dict)
    weight_kg: float | None = None
    references: dict[str, str] = field(default_factory=dict)


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
    #: What the order does to one sent before: ``original``, ``change`` or ``cancel``.
    purpose: str = _choices(("original", "change", "cancel"), "original")
    #: Outbound: the delivery date asked for; inbound: the expected arrival.
    delivery_date: date | None = None
    #: Who pays the freight: ``prepaid``, ``collect``, ``third_party`` (another code as given).
    payment_method: str = ""
    #: The transportation method code (X12 element 91: ``M`` motor, ``H`` customer pickup...).
    mode: str = ""
    #: The other parties by role (``bill_to``, ``depositor``, ``warehouse``...).
    parties: dict[str, Address] = field(default_factory=dict)
    weight_kg: float | None = None
    #: The warehouse's status of the order when it reports one (``allocated``,
    #: ``deallocated``, ``cancelled``), and as of when (to keep the latest).
    status: str = ""
    status_at: datetime | None = None


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
    #: Every product id the partner gives, by kind, ``product_code`` among them.
    product_ids: dict[str, str] = field(default_factory=dict)
    #: The partner's status code of the line, as sent (X12 W1201 ``CC`` complete...).
    status: str = ""
    #: Received damaged (a receipt's exception), in the line's unit.
    quantity_damaged: float | None = None
    #: The receiving conditions reported (``damaged``, ``short``, ``over``...), comma-separated.
    condition: str = ""
    references: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Package(Parcel):
    """A package (LPN, SSCC) of a confirmation, a parcel as the warehouse ships it; its
    lines point to it by reference."""


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
    references: dict[str, str] = field(default_factory=dict)
    weight_kg: float | None = None
    #: The canonical shipment status (``label_created``, ``delivered``...) the partner
    #: reports with it, ``""`` when it reports none.
    status: str = ""
    #: What the partner sent that could not be read and was left out, each naming where
    #: (an unreadable ship date...), for a person to see; quantities are never left out.
    discrepancies: list[str] = field(default_factory=list)


@dataclass(slots=True)
class InventoryLine:
    """Stock of one product (and lot, location, condition) in the warehouse's books."""

    product_code: str
    quantity: float
    uom: str = ""
    lot_number: str = ""
    location: str = ""
    condition: str = ""
    product_ids: dict[str, str] = field(default_factory=dict)
    #: Every quantity the partner gives, by kind (``on_hand``, ``available``, ``damaged``,
    #: ``on_hold``, ``on_order``...), ``quantity`` being the on-hand one.
    quantities: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class InventorySnapshot:
    """The warehouse's stock at a moment, to compare with Odoo quants."""

    warehouse: str = ""
    partner_reference: str = ""
    taken_at: datetime | None = None
    lines: list[InventoryLine] = field(default_factory=list)
    #: True when it covers only the products it lists (a change), not the whole stock.
    partial: bool = False
