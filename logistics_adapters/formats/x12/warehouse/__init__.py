"""X12 warehouse sets, registered on import: ``x12-940`` (shipping order) and ``x12-943``
(stock transfer shipment advice) read and written as :class:`WarehouseOrder`; ``x12-945``
(shipping advice) and ``x12-944`` (stock transfer receipt advice) read and written as
:class:`ShipConfirmation`, ``x12-856`` (a 3PL's ship notice) read as them; ``x12-846``
(inventory advice) read as a stream of :class:`InventoryLine` into
:class:`InventorySnapshot`, and written.

As in :mod:`..transport`, each codec reads every set of its kind in an interchange, or one
set handed on alone; the writing codecs give ``documents(objects)`` (the body segments of
each set, for ``formats.interchange.render``) and ``render`` (a whole test interchange). The
module functions do the same for one object: :func:`order_segments` (940),
:func:`transfer_segments` (943), :func:`read_order`; :func:`read_inventory` yields an 846's
lines one at a time. What a warehouse writes (:mod:`.writers`, the sandbox 3PL's side):
:func:`confirmation_segments` (945), :func:`receipt_segments` (944) and
:func:`inventory_segments` (846, yielded one segment at a time).
"""

from .inventory import InventoryAdviceCodec, read_inventory
from .orders import (
    StockTransferShipmentCodec,
    WarehouseShippingOrderCodec,
    order_segments,
    read_order,
    transfer_segments,
)
from .receipt import StockTransferReceiptCodec
from .ship_advice import WarehouseShippingAdviceCodec
from .ship_notice import ShipNoticeCodec
from .writers import confirmation_segments, inventory_segments, receipt_segments

__all__ = [
    "InventoryAdviceCodec",
    "ShipNoticeCodec",
    "StockTransferReceiptCodec",
    "StockTransferShipmentCodec",
    "WarehouseShippingAdviceCodec",
    "WarehouseShippingOrderCodec",
    "confirmation_segments",
    "inventory_segments",
    "order_segments",
    "read_inventory",
    "read_order",
    "receipt_segments",
    "transfer_segments",
]
