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

A JSON array of such bodies is read too, one ShipConfirmation each (``[]``: none yet): the
answer of ``GET /orders/{reference}/shipments``, the request :meth:`poll_request` gives, for
the orders whose webhooks were missed. That list endpoint, by our reference of the order, is
the sandbox's ShipBob-like API (``python -m logistics_adapters.sandbox json-3pl``); ShipBob's
own is ``GET /order/{id}/shipment``, by its order id.
"""

from urllib.parse import quote

from ...canonical import Lot, Package, ShipConfirmation, ShipLine
from ...formats.json import MEDIA_TYPE as JSON
from ...formats.json import JsonReader, join_path
from ...registry import Codec, Identity, PollRequest
from .statuses import STATUSES

FORMAT = "shipbob-webhook"
OUNCE_KG = 0.028349523125


def quantity(reader, obj, key, path, required=False):
    """``obj[key]`` as a float (None when absent)."""
    amount = reader.amount(obj, key, path, required)
    return None if amount is None else float(amount)


def read_shipment(codec, reader, root, path=""):
    """The ShipConfirmation of a ShipBob shipment body ``root`` (at ``path`` in its
    document)."""
    tracking_path = join_path(path, "tracking")
    tracking = reader.child(root, "tracking", path) or {}
    number = reader.text(tracking, "tracking_id", tracking_path) or reader.text(
        tracking, "tracking_number", tracking_path
    )
    status = reader.text(root, "status", path)
    legacy = "order_id" in root and "id" in root
    location = reader.child(root, "location", path) or {}
    confirmation = ShipConfirmation(
        order_reference=reader.text(root, "reference_id", path, required=True),
        partner_reference=reader.text(root, "shipment_id", path)
        or reader.text(root, "id" if legacy else "order_id", path),
        warehouse=reader.text(location, "name", join_path(path, "location")),
        confirmed_at=reader.moment(root, "event_time", path)
        or reader.moment(tracking, "shipping_date", tracking_path)
        or reader.moment(root, "actual_fulfillment_date", path),
        carrier=reader.text(tracking, "carrier", tracking_path),
        service=reader.text(tracking, "carrier_service", tracking_path),
        tracking_number=number,
        bill_of_lading=reader.text(tracking, "bol", tracking_path),
        status=codec.status_for(status) if status else "",
    )
    for product_path, product in reader.objects(root, "products", path):
        confirmation.lines.append(_line(reader, product, product_path, number))
    if number:
        measurements = reader.child(root, "measurements", path) or {}
        ounces = quantity(reader, measurements, "total_weight_oz", join_path(path, "measurements"))
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


def array_items(reader, document):
    """``(path, object)`` of each item of the JSON array ``document``."""
    return [(f"[{i}]", reader.object(item, f"[{i}]")) for i, item in enumerate(document)]


class ShipBobCodec(Codec, partner="shipbob", statuses=STATUSES, media_type=JSON):
    """What ShipBob's codecs share: its table, JSON read as the other partners' is."""

    def read(self, data):
        """``(reader, document)`` of the JSON body ``data``."""
        return JsonReader.load(self.name, data, tidy_text=True)


class ShipBobWebhookCodec(ShipBobCodec, name=FORMAT):
    """ShipBob shipment webhooks: shipped orders, tracking, lots; a list of them, polled."""

    def parse(self, data):
        """The ShipConfirmation of the body; of a JSON array of bodies, one each."""
        reader, document = self.read(data)
        if isinstance(document, list):
            items = array_items(reader, document)
            return [read_shipment(self, reader, item, path) for path, item in items]
        return [read_shipment(self, reader, reader.root(document))]

    def identify(self, data):
        """Our references of the orders, no message id (ShipBob sends it in the
        ``webhook-id`` header)."""
        return Identity(tuple(sorted({found.order_reference for found in self.parse(data)})))

    def poll_request(self, reference):
        """``GET /orders/{reference}/shipments``: the shipments of our order ``reference`` (the
        sandbox's ShipBob-like API; the reference percent-encoded, ``/`` included)."""
        return PollRequest("GET", f"/orders/{quote(reference, safe='')}/shipments", {})
