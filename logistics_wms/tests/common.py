"""Factories of the warehouse and 3PL tests: a warehouse operated by an EDI 3PL writing
to a folder of its own, products (one tracked by lots) in stock there, a customer's
confirmed order, and the 3PL's confirmations."""

import itertools
import json
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from odoo.tests import TransactionCase

from odoo.addons.logistics_integration.models.logistics_demo import DemoEdiPartner

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.canonical import to_jsonable


class WmsCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.folder = Path(tempfile.mkdtemp(prefix="lgi-wms-"))
        cls.numbers = itertools.count(9400)
        cls.addClassCleanup(shutil.rmtree, cls.folder, ignore_errors=True)
        cls.backend = cls.env["logistics.backend"].create(
            {
                "name": "Keystone 3PL",
                "code": "wms-keystone",
                "kind": "wms",
                "edi_standard": "x12",
                "edi_our_id": "MYCOMPANY",
                "edi_partner_id": "KEYSTONE3PL",
                "edi_ack_policy": "none",
            }
        )
        cls.env["logistics.file.channel"].create(
            {
                "name": "Keystone: orders",
                "backend_id": cls.backend.id,
                "direction": "outbound",
                "transport": "local",
                "path": str(cls.folder),
            }
        )
        # A warehouse of its own: the demo's stock and carriers stay out of the counts.
        cls.warehouse = cls.env["stock.warehouse"].create(
            {
                "name": "Keystone test warehouse",
                "code": "KTW",
                "logistics_wms_backend_id": cls.backend.id,
                "logistics_wms_release_mode": "auto",
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Orlando Tiles", "city": "Orlando", "zip": "32801"}
        )
        cls.ups = cls.env["delivery.carrier"].create(
            {
                "name": "UPS Ground (3PL)",
                "product_id": cls.env["product.product"]
                .create({"name": "Shipping", "type": "service"})
                .id,
                "logistics_wms_code": "KTUPS",
            }
        )
        cls.tile = cls.env["product.product"].create(
            {"name": "Floor tile", "default_code": "TILE-01", "is_storable": True}
        )
        cls.glue = cls.env["product.product"].create(
            {
                "name": "Tile glue",
                "default_code": "GLUE-02",
                "barcode": "00012345678905",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        stock = cls.warehouse.lot_stock_id
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.tile, stock, 100)
        for name, quantity in (("G-100", 20), ("G-200", 20)):
            lot = cls.env["stock.lot"].create({"name": name, "product_id": cls.glue.id})
            Quant._update_available_quantity(cls.glue, stock, quantity, lot_id=lot)

    def edi_sends(self, kind, body):
        """The 3PL's interchange of one set of ``kind``, received and worked; the messages
        of the documents it holds."""
        _message, documents = DemoEdiPartner(self.backend, numbers=self.numbers).sends(kind, [body])
        return documents

    def confirmed_delivery(self, tile=10, glue=0):
        """A confirmed sale order's delivery from the 3PL's warehouse; ``(sale, picking)``."""
        lines = [(self.tile, tile), (self.glue, glue)]
        sale = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "client_order_ref": "PO-8841",
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": quantity})
                    for product, quantity in lines
                    if quantity
                ],
            }
        )
        sale.action_confirm()
        return sale, sale.picking_ids

    def sent_orders(self, picking):
        """Work ``picking``'s queued messages to the 3PL (written to its folder) and read
        back the orders they carry, oldest first."""
        messages = self.env["logistics.message"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)], order="id"
        )
        messages.filtered(lambda m: m.state == "pending").work_now()
        kinds = {"outgoing": "x12-940", "incoming": "x12-943"}
        codec = registry.get(kinds[picking.picking_type_code])
        return [order for message in messages for order in codec.parse(message.get_payload())]

    def confirm(self, picking, lines, kind="shipment", **values):
        """The 3PL confirms ``picking``'s order with ``lines`` (``ShipLine`` values) through
        its JSON flow; the message, worked."""
        message = self.confirmation(picking, lines, kind, **values)
        message.work_now()
        return message

    def confirmation(self, picking, lines, kind="shipment", **values):
        """The 3PL's confirmation of ``picking``'s order, stored and not worked yet."""
        document = c.ShipConfirmation(
            order_reference=values.pop("order_reference", picking.logistics_wms_reference),
            kind=kind,
            confirmed_at=datetime(2026, 12, 1, 15, 30, tzinfo=timezone.utc),
            lines=[c.ShipLine(**line) for line in lines],
            **values,
        )
        return self.store(document, "logistics_wms.logistics_message_type_wms_confirmation_json")

    def send(self, document, flow):
        """The 3PL sends ``document`` (canonical) as JSON to ``flow``; the message, worked."""
        message = self.store(document, flow)
        message.work_now()
        return message

    def store(self, document, flow):
        """The 3PL sends ``document`` (canonical) as JSON to ``flow``; the message, stored."""
        message, _created = self.env["logistics.message"].store_inbound(
            self.backend,
            self.env.ref(flow),
            json.dumps(to_jsonable(document)).encode(),
            content_type="application/json",
        )
        return message
