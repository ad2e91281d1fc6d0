"""ShipBob inventory levels -> :class:`InventorySnapshot`: ``shipbob-inventory``.

The documented answers of ``GET /inventory-level/{inventoryId}/lots`` (grouped by lot) and
``.../locations`` (grouped by fulfillment center), one such object, an array of them or
``{"items": [...]}``: ``sku``, ``lots`` (``lot_number``, ``lot_date``, quantities, their
``locations``) or ``locations`` (``name``, quantities). A line per lot and fulfillment center
(the finest the answer gives): ``quantity`` is ``on_hand_quantity``; ``quantities`` holds
``on_hand``, ``available`` (fulfillable), ``committed``, ``awaiting`` and ``in_transfer``
(internal transfer). The snapshot lists the SKUs asked for (``partial``); ShipBob dates
none, so ``taken_at`` is None: the caller dates it when it asked.
"""

from ...canonical import InventoryLine, InventorySnapshot
from .shipments import ShipBobCodec, array_items, quantity

FORMAT = "shipbob-inventory"
#: ShipBob's quantities -> ``InventoryLine.quantities`` kinds.
LEVELS = {
    "on_hand_quantity": "on_hand",
    "fulfillable_quantity": "available",
    "committed_quantity": "committed",
    "awaiting_quantity": "awaiting",
    "internal_transfer_quantity": "in_transfer",
}


def _levels(reader, sku, obj, path, **values):
    line = InventoryLine(sku, 0.0, product_ids={"sku": sku}, **values)
    for key, kind in LEVELS.items():
        value = quantity(reader, obj, key, path)
        if value is not None:
            line.quantities[kind] = value
    line.quantity = quantity(reader, obj, "on_hand_quantity", path, required=True)
    return line


def _item_lines(reader, item, path):
    sku = reader.text(item, "sku", path, required=True)
    lines = []
    for lot_path, lot in reader.objects(item, "lots", path):
        number = reader.text(lot, "lot_number", lot_path)
        places = list(reader.objects(lot, "locations", lot_path))
        lines += [
            _levels(
                reader,
                sku,
                place,
                where,
                lot_number=number,
                location=reader.text(place, "name", where),
            )
            for where, place in places
        ] or [_levels(reader, sku, lot, lot_path, lot_number=number)]
    if "lots" not in item:
        for where, place in reader.objects(item, "locations", path):
            name = reader.text(place, "name", where)
            lines.append(_levels(reader, sku, place, where, location=name))
    return lines


class ShipBobInventoryCodec(ShipBobCodec, name=FORMAT):
    """ShipBob inventory levels by lot or fulfillment center (a partial snapshot)."""

    def parse(self, data):
        """The one (partial) snapshot of the answer."""
        reader, document = self.read(data)
        if isinstance(document, dict) and "items" in document:
            items = list(reader.objects(document, "items", ""))
        elif isinstance(document, list):
            items = array_items(reader, document)
        else:
            items = [("", reader.root(document))]
        snapshot = InventorySnapshot(partial=True)
        for path, item in items:
            snapshot.lines += _item_lines(reader, item, path)
        return [snapshot]
