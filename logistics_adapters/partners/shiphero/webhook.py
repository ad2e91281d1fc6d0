"""ShipHero webhooks (developer.shiphero.com/webhooks): one codec, ``shiphero-webhook``, for
the webhook types a warehouse integration takes, told apart by ``webhook_type``:

* ``Order Allocated`` / ``Order Deallocated``: a :class:`WarehouseOrder`, ``status``
  ``allocated`` / ``deallocated`` as of ``allocated_at`` / ``deallocated_at``, with the
  allocated lines;
* ``Order Canceled``: a :class:`WarehouseOrder`, ``status`` ``cancelled`` (the body has no
  time);
* ``Shipment Update``: a :class:`ShipConfirmation`: lines with lots, serial numbers and
  package, packages with their tracking numbers;
* ``Inventory Update``: an :class:`InventorySnapshot` (``partial``) per warehouse moved, on
  hand and the other levels;
* ``Inventory Change``: an :class:`InventorySnapshot` (``partial``) of one bin, its new
  quantity and the change.

* Our reference of an order is ``partner_order_id`` (the merchant's id of it; else
  ``order_number``); ShipHero's own order id is ``partner_reference``.
* Times are ShipHero's, naive as sent (``2021-07-24T02:03:01``, ``2022-05-24 18:20:15``): the
  caller compares them (``status_at``, ``confirmed_at``, ``taken_at``) to keep the latest
  status and never go back; ``Inventory Update`` and ``Order Canceled`` carry none.
* Quantities come as numbers or numeric strings (``"on_hand": "48"``); both read.
* ``Shipment Update``: the ``packages`` array (beside ``fulfillment``, or in it) is the most
  accurate per ShipHero: each its ``name`` as reference, the tracking number of its
  ``shipping_label`` (else its own), its carrier and method when the legacy
  ``shipping_carrier`` / ``shipping_method`` are missing; without it, the line items'
  ``package`` names are the packages, the fulfillment's ``tracking_number`` theirs when there
  is one. A line's lot is ``lot_name`` (with ``lot_expiration``), each serial number a lot of 1.
"""

from ...canonical import (
    InventoryLine,
    InventorySnapshot,
    Lot,
    OrderLine,
    Package,
    ShipConfirmation,
    ShipLine,
    WarehouseOrder,
)
from ...formats.json import MEDIA_TYPE as JSON
from ...formats.json import JsonReader, join_path
from ...registry import Codec, Identity
from .statuses import STATUSES

FORMAT = "shiphero-webhook"
OUNCE_KG = 0.028349523125
#: ``Inventory Update`` levels (warehouse and account) -> ``InventoryLine.quantities`` kinds.
LEVELS = {
    "inventory": "available",
    "backorder_quantity": "backorder",
    "reserve": "reserve",
    "sell_ahead": "sell_ahead",
    "non_sellable": "non_sellable",
    "qty_in_totes": "in_totes",
}


def _quantity(reader, obj, key, path, required=False):
    """``obj[key]``, a number or a numeric string, as a float (None when absent)."""
    amount = reader.amount(obj, key, path, required)
    return None if amount is None else float(amount)


def _order_reference(reader, obj, path):
    return reader.text(obj, "partner_order_id", path) or reader.text(
        obj, "order_number", path, required=True
    )


def _order(reader, root, status, at_key=""):
    order = WarehouseOrder(
        reference=_order_reference(reader, root, ""),
        partner_reference=reader.text(root, "order_id", ""),
        warehouse=reader.text(root, "warehouse_id", ""),
        status=status,
        status_at=reader.moment(root, at_key, "") if at_key else None,
    )
    for key, kind in (("allocation_reference", "allocation"), ("order_number", "order_number")):
        value = reader.text(root, key, "")
        if value:
            order.references[kind] = value
    for path, item in reader.objects(root, "line_items", ""):
        sku = reader.text(item, "sku", path, required=True)
        quantity = _quantity(reader, item, "quantity", path, required=True)
        number = reader.text(item, "partner_line_item_id", path) or reader.text(item, "id", path)
        order.lines.append(OrderLine(sku, quantity, number, product_ids={"sku": sku}))
    return [order]


def _allocated(reader, root):
    return _order(reader, root, "allocated", "allocated_at")


def _deallocated(reader, root):
    return _order(reader, root, "deallocated", "deallocated_at")


def _canceled(reader, root):
    return _order(reader, root, "cancelled")


def _shipment(reader, root):
    path = "fulfillment"
    fulfillment = reader.child(root, "fulfillment", "", required=True)
    confirmation = ShipConfirmation(
        order_reference=_order_reference(reader, fulfillment, path),
        partner_reference=reader.text(fulfillment, "shipment_id", path),
        warehouse=reader.text(fulfillment, "warehouse", path)
        or reader.text(fulfillment, "warehouse_id", path),
        confirmed_at=reader.moment(fulfillment, "created_at", path),
        carrier=reader.text(fulfillment, "shipping_carrier", path),
        service=reader.text(fulfillment, "shipping_method", path),
        tracking_number=reader.text(fulfillment, "tracking_number", path),
    )
    for item_path, item in reader.objects(fulfillment, "line_items", path):
        confirmation.lines.append(_shipped_line(reader, item, item_path))
    owner, owner_path = (root, "") if "packages" in root else (fulfillment, path)
    for package_path, package in reader.objects(owner, "packages", owner_path):
        _package(reader, confirmation, package, package_path)
    if not confirmation.packages:
        names = dict.fromkeys(line.package_reference for line in confirmation.lines)
        names.pop("", None)
        tracking = confirmation.tracking_number if len(names) == 1 else ""
        confirmation.packages = [Package(name, tracking) for name in names]
    return [confirmation]


def _shipped_line(reader, item, path):
    sku = reader.text(item, "sku", path, required=True)
    quantity = _quantity(reader, item, "quantity", path, required=True)
    line = ShipLine(sku, quantity, reader.text(item, "id", path), product_ids={"sku": sku})
    line.package_reference = reader.text(item, "package", path)
    lot = reader.text(item, "lot_name", path)
    if lot:
        line.lots.append(Lot(lot, quantity, reader.day(item, "lot_expiration", path)))
    for index, serial in enumerate(reader.array(item, "serial_numbers", path)):
        serial_path = join_path(path, f"serial_numbers[{index}]")
        if not isinstance(serial, str):
            raise reader.error(serial_path, "expected a serial number (a string)")
        line.lots.append(Lot(serial, 1.0))
    return line


def _package(reader, confirmation, package, path):
    label = reader.child(package, "shipping_label", path) or {}
    label_path = join_path(path, "shipping_label")
    tracking = reader.text(label, "tracking_number", label_path) or reader.text(
        package, "tracking_number", path
    )
    name = reader.text(package, "name", path) or tracking
    ounces = _quantity(reader, package, "weight_in_oz", path)
    weight = None if ounces is None else round(ounces * OUNCE_KG, 3)
    confirmation.packages.append(Package(name, tracking, weight_kg=weight))
    confirmation.carrier = confirmation.carrier or reader.text(label, "carrier", label_path)
    method = reader.text(label, "shipping_method", label_path)
    confirmation.service = confirmation.service or method
    confirmation.tracking_number = confirmation.tracking_number or tracking


def _inventory_update(reader, root):
    snapshots = {}
    for path, item in reader.objects(root, "inventory", "", required=True):
        sku = reader.text(item, "sku", path, required=True)
        where = reader.child(item, "updated_warehouse", path)
        where_path = join_path(path, "updated_warehouse")
        levels, levels_path = (where, where_path) if where else (item, path)
        line = InventoryLine(
            sku,
            _quantity(reader, levels, "on_hand", levels_path, required=True),
            product_ids={"sku": sku},
        )
        for key, kind in LEVELS.items():
            _put(line.quantities, kind, _quantity(reader, levels, key, levels_path))
        _put(line.quantities, "account_on_hand", _quantity(reader, item, "on_hand", path))
        _put(line.quantities, "account_available", _quantity(reader, item, "inventory", path))
        warehouse = reader.text(where, "identifier", where_path) or reader.text(
            where, "warehouse_id", where_path
        )
        snapshot = snapshots.setdefault(warehouse, InventorySnapshot(warehouse, partial=True))
        snapshot.lines.append(line)
    return list(snapshots.values())


def _put(quantities, kind, value):
    if value is not None:
        quantities[kind] = value


def _inventory_change(reader, root):
    sku = reader.text(root, "sku", "", required=True)
    quantity = _quantity(reader, root, "quantity", "", required=True)
    line = InventoryLine(sku, quantity, product_ids={"sku": sku})
    line.location = reader.text(root, "location_name", "")
    line.lot_number = reader.text(root, "lot_name", "")
    before = _quantity(reader, root, "old_quantity", "")
    line.quantities["on_hand"] = quantity
    if before is not None:
        line.quantities["previous"] = before
        line.quantities["change"] = quantity - before
    _put(line.quantities, "previous_on_hand", _quantity(reader, root, "previous_on_hand", ""))
    snapshot = InventorySnapshot(
        reader.text(root, "warehouse_id", ""),
        taken_at=reader.moment(root, "timestamp", ""),
        partial=True,
    )
    snapshot.lines.append(line)
    return [snapshot]


_READERS = {
    "Order Allocated": _allocated,
    "Order Deallocated": _deallocated,
    "Order Canceled": _canceled,
    "Shipment Update": _shipment,
    "Inventory Update": _inventory_update,
    "Inventory Change": _inventory_change,
}


class ShipHeroWebhookCodec(
    Codec, name=FORMAT, partner="shiphero", statuses=STATUSES, media_type=JSON
):
    """ShipHero webhooks: order allocation/cancellation, shipments, inventory."""

    def parse(self, data):
        """The canonical objects of the webhook (see the module doc)."""
        reader, document = JsonReader.load(self.name, data, tidy_text=True)
        root = reader.root(document)
        kind = reader.text(root, "webhook_type", "", required=True)
        read = _READERS.get(kind)
        if read is None:
            known = ", ".join(sorted(_READERS))
            raise reader.error("webhook_type", f"webhook type {kind!r} is not read ({known})")
        return read(reader, root)

    def identify(self, data):
        """Our order references (orders, confirmations), no message id (ShipHero sends
        none)."""
        found = {
            getattr(obj, "reference", "") or getattr(obj, "order_reference", "")
            for obj in self.parse(data)
        }
        found.discard("")
        return Identity(tuple(sorted(found)))
