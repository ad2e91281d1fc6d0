"""The canonical model: the plain objects every partner format maps to and from.

Codecs turn partner bytes into these objects and back; the Odoo addons only ever see these.
One module per domain: :mod:`.status` (shipment statuses), :mod:`.shipping` (carrier
objects), :mod:`.transport` (TMS), :mod:`.warehouse` (WMS / 3PL), :mod:`.customs`,
:mod:`.billing`, and :mod:`.jsonable` (the JSON form). Every public name is re-exported here,
so ``from logistics_adapters import canonical as c; c.Shipment`` works.

Conventions:

* text fields default to ``""`` (never ``None``), so Odoo can write them as they are;
* amounts are :class:`decimal.Decimal`; weights, dimensions and quantities are floats in
  kilograms, centimetres and the line's unit of measure;
* countries are ISO 3166-1 alpha-2 codes, currencies ISO 4217 codes;
* datetimes are timezone-aware when the partner said which zone; a partner time given without
  zone stays naive, and ``time_zone_known`` says so, so the caller can resolve it with the
  backend's time zone instead of the codec guessing.

:func:`to_jsonable` and :func:`from_jsonable` convert objects to and from JSON-ready dicts that
carry a ``"type"`` key (the class name); the ``canonical-json`` codec is built on them.
"""

# The value types of the model's fields, reachable as before (``c.Decimal``, ``c.datetime``).
from datetime import date, datetime
from decimal import Decimal

from .status import (
    STATUS_LABEL_CREATED,
    STATUS_PICKED_UP,
    STATUS_IN_TRANSIT,
    STATUS_OUT_FOR_DELIVERY,
    STATUS_AVAILABLE_FOR_PICKUP,
    STATUS_DELIVERED,
    STATUS_RETURNED_TO_SENDER,
    STATUS_CANCELLED,
    STATUS_EXCEPTION,
    STATUS_DELIVERY_FAILED,
    STATUS_CUSTOMS_HOLD,
    STATUS_CUSTOMS_RELEASED,
    STATUS_UNKNOWN,
    RANKED_STATUSES,
    TERMINAL_STATUSES,
    SIDE_STATUSES,
    STATUSES,
    STATUS_CODES,
    status_rank,
    is_terminal,
    is_side_status,
    advance_status,
)
from .shipping import (
    Address,
    Parcel,
    Shipment,
    TrackingEvent,
    Rate,
    Label,
)
from .transport import (
    TENDER_STATUSES,
    TENDER_PURPOSES,
    STOP_KINDS,
    Stop,
    TransportOrder,
    Milestone,
)
from .warehouse import (
    WAREHOUSE_ORDER_KINDS,
    CONFIRMATION_KINDS,
    OrderLine,
    WarehouseOrder,
    Lot,
    ShipLine,
    Package,
    ShipConfirmation,
    InventoryLine,
    InventorySnapshot,
)
from .customs import (
    CLEARANCE_SUBMITTED,
    CLEARANCE_ACCEPTED,
    CLEARANCE_HOLD,
    CLEARANCE_RELEASED,
    CLEARANCE_REJECTED,
    CLEARANCE_CANCELLED,
    CLEARANCE_STATUSES,
    CLEARANCE_TO_SHIPMENT_STATUS,
    CUSTOMS_DIRECTIONS,
    CustomsItem,
    CustomsDeclaration,
    Duty,
    ClearanceStatus,
)
from .billing import (
    Charge,
    FreightInvoice,
)
from .jsonable import (
    CANONICAL_TYPES,
    to_jsonable,
    from_jsonable,
)

__all__ = [
    "CANONICAL_TYPES",
    "CLEARANCE_ACCEPTED",
    "CLEARANCE_CANCELLED",
    "CLEARANCE_HOLD",
    "CLEARANCE_REJECTED",
    "CLEARANCE_RELEASED",
    "CLEARANCE_STATUSES",
    "CLEARANCE_SUBMITTED",
    "CLEARANCE_TO_SHIPMENT_STATUS",
    "CONFIRMATION_KINDS",
    "CUSTOMS_DIRECTIONS",
    "RANKED_STATUSES",
    "SIDE_STATUSES",
    "STATUSES",
    "STATUS_AVAILABLE_FOR_PICKUP",
    "STATUS_CANCELLED",
    "STATUS_CODES",
    "STATUS_CUSTOMS_HOLD",
    "STATUS_CUSTOMS_RELEASED",
    "STATUS_DELIVERED",
    "STATUS_DELIVERY_FAILED",
    "STATUS_EXCEPTION",
    "STATUS_IN_TRANSIT",
    "STATUS_LABEL_CREATED",
    "STATUS_OUT_FOR_DELIVERY",
    "STATUS_PICKED_UP",
    "STATUS_RETURNED_TO_SENDER",
    "STATUS_UNKNOWN",
    "STOP_KINDS",
    "TENDER_PURPOSES",
    "TENDER_STATUSES",
    "TERMINAL_STATUSES",
    "WAREHOUSE_ORDER_KINDS",
    "Address",
    "Charge",
    "ClearanceStatus",
    "CustomsDeclaration",
    "CustomsItem",
    "Duty",
    "FreightInvoice",
    "InventoryLine",
    "InventorySnapshot",
    "Label",
    "Lot",
    "Milestone",
    "OrderLine",
    "Package",
    "Parcel",
    "Rate",
    "ShipConfirmation",
    "ShipLine",
    "Shipment",
    "Stop",
    "TrackingEvent",
    "TransportOrder",
    "WarehouseOrder",
    "advance_status",
    "from_jsonable",
    "is_side_status",
    "is_terminal",
    "status_rank",
    "to_jsonable",
]
