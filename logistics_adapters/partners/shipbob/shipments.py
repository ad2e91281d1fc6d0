"""ShipBob shipment webhooks -> :class:`ShipConfirmation`, one per body: ``shipbob-webhook``.

Read alike, whichever topic and API version sent them (developer.shipbob.com/webhooks):

* the 2025-07 topics (``order.shipment.tracking_received``, ``order.shipped``,
  ``order.shipment.delivered``...): ``event_time``, ``order_id``, ``reference_id``,
  ``status``, ``tracking`` (``carrier``, ``carrier_service``, ``tracking_id``);
* the legacy ones (``order_shipped``, ``shipment_delivered``...), whose body is the Shipment
  object: ``id``, ``order_id``, ``reference_id``, ``status``, ``location``, ``tracking``
  (``tracking_number``, ``shipping_date``, ``bol``), ``products`` with their
  ``inventory_items`` (quantity, ``lot``, ``expiration_date``, ``serial_numbers``),
  ``measurements.total_weight_oz``, ``actual_fulfillment_date``.

``order_reference`` is ``reference_id`` (our reference of the order), ``partner_reference``
ShipBob's shipment id (``shipment_id``, a Shipment's ``id``), else its order id.
``confirmed_at`` is ``event_time``, else the tracking's ``shipping_date``, else
``actual_fulfillment_date``: aware, as ShipBob sends them (``2025-10-23T15:55:09.3614767Z``),
for the caller to keep the latest. ``status`` is the canonical status of ShipBob's
(``LabelCreated`` -> ``label_created``; :mod:`.statuses`). The shipment is one package: its
tracking number, the lines in it. A body without products confirms no quantities: its
``lines`` are empty (tracking only).
"""

from ...canonical import Lot, Package, ShipConfirmation, ShipLine
from ...formats.json import MEDIA_TYPE as JSON
from ...formats.json import JsonReader, join_path
from ...registry import Codec, Identity
from .statuses import STATUSES

FORMAT = "shipbob-webhook"
OUNCE_KG = 0.028349523125


def quantity(reader, obj, key, path, required=False):
    """``obj[key]`` as a float (None when absent)."""
    amount = reader.amount(obj, key, path, required)
    return None if amount is None else float(amount)


def read_shipment(codec, reader, root):
    """The ShipConfirmation of a ShipBob shipment body ``root``."""
    tracking = reader.child(root, "tracking", "") or {}
    number = reader.text(tracking, "tracking_id", "tracking") or reader.text(
        tracking, "tracking_number", "tracking"
    )
    status = reader.text(root, "status", "")
    legacy = "order_id" in root and "id" in root
    confirmation = ShipConfirmation(
        order_reference=reader.text(root, "reference_id", "", required=True),
        partner_reference=reader.text(root, "shipment_id", "")
        or reader.text(root, "id" if legacy else "order_id", ""),
        warehouse=reader.text(reader.child(root, "location", "") or {}, "name", "location"),
        confirmed_at=reader.moment(root, "event_time", "")
        or reader.moment(tracking, "shipping_date", "tracking")
        or reader.moment(root, "actual_fulfillment_date", ""),
        carrier=reader.text(tracking, "carrier", "tracking"),
        service=reader.text(tracking, "carrier_service", "tracking"),
        tracking_number=number,
        bill_of_lading=reader.text(tracking, "bol", "tracking"),
        status=codec.status_for(status) if status else "",
    )
    for path, product in reader.objects(root, "products", ""):
        confirmation.lines.append(_line(reader, product, path, number))
    if number:
        measurements = reader.child(root, "measurements", "") or {}
        ounces = quantity(reader, measurements, "total_weight_oz", "measurements")
        weight = None if ounces is None else round(ounces * OUNCE_KG, 3)
        confirmation.packages.append(Package(number, number, weight_kg=weight))
    return confirmation


def _line(reader, product, path, package):
    sku = reader.text(product, "sku", path, required=True)
    line = ShipLine(sku, 0.0, reader.text(product, "reference_id", path), product_ids={"sku": sku})
    line.description, line.package_reference = reader.text(product, "name", path), package
    items = list(reader.objects(product, "inventory_items", path))
    for item_path, item in items:
        amount = quantity(reader, item, "quantity", item_path, required=True)
        line.quantity += amount
        lot = reader.text(item, "lot", item_path)
        if lot:
            line.lots.append(Lot(lot, amount, reader.day(item, "expiration_date", item_path)))
        for index, serial in enumerate(reader.array(item, "serial_numbers", item_path)):
            if not isinstance(serial, str):
                where = join_path(item_path, f"serial_numbers[{index}]")
                raise reader.error(where, "expected a serial number (a string)")
            line.lots.append(Lot(serial, 1.0))
    if not items:
        line.quantity = quantity(reader, product, "quantity", path, required=True)
    return line


class ShipBobCodec(Codec, partner="shipbob", statuses=STATUSES, media_type=JSON):
    """What ShipBob's codecs share: its table, JSON read as the other partners' is."""

    def read(self, data):
        """``(reader, document)`` of the JSON body ``data``."""
        return JsonReader.load(self.name, data, tidy_text=True)


class ShipBobWebhookCodec(ShipBobCodec, name=FORMAT):
    """ShipBob shipment webhooks: shipped orders, tracking, lots."""

    def parse(self, data):
        """The one ShipConfirmation of the body."""
        reader, document = self.read(data)
        return [read_shipment(self, reader, reader.root(document))]

    def identify(self, data):
        """Our reference of the order, no message id (ShipBob sends it in a header)."""
        return Identity((self.parse(data)[0].order_reference,))
