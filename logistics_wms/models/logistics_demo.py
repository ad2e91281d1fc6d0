import json
import os

from odoo import api, models

from logistics_adapters.sandbox import Json3pl, Sandbox, ThreePlPartner
from logistics_adapters.transport.files import LocalFolder

#: The demo 3PL's interchange id (the sandbox's warehouse code).
THREE_PL = "KEYSTONE3PL"
ADH_LOTS = ("AD2611-07", "AD2612-02")
#: The demo JSON 3PL's webhook secret (a Standard Webhooks one: ``whsec_`` and base64).
JSON_3PL_SECRET = "whsec_ZGVtby1zaGlwYm9iLXNlY3JldC1vZi0zMmJ5dGVzISE="
STOCK_ADH = (60, 40)


class LogisticsDemo(models.AbstractModel):
    _inherit = "logistics.demo"

    @api.model
    def _load_wms_demo(self, folder):
        """Memphis, run by the Keystone 3PL, through the real flows: stock received there,
        three customer orders released as 940s (one shipped whole by a 945, one shipped
        in part with the rest at the 3PL, one waiting), one held by the manager, and an 846
        whose counts drift from Odoo's."""
        backend, warehouse, ups, inbound = self._demo_wms_setup(folder)
        tile, adhesive, grout = self._demo_wms_products()
        self._demo_wms_stock(warehouse, tile, adhesive, grout)
        customers = ("base.res_partner_12", "base.res_partner_2", "base.res_partner_4")
        _shipped, partial, waiting = (
            self._demo_wms_order(warehouse, self.env.ref(xmlid), ups, lines)
            for xmlid, lines in zip(
                customers,
                ([(tile, 120), (adhesive, 6)], [(tile, 200), (grout, 12)], [(grout, 30)]),
                strict=True,
            )
        )
        # One more the warehouse manager holds back (released by hand when the customer
        # has paid): the warehouse releases by hand while it is made.
        warehouse.logistics_wms_release_mode = "manual"
        held = self._demo_wms_order(warehouse, self.env.ref(customers[0]), ups, [(tile, 40)])
        held.with_user(self.env.ref("base.user_admin")).action_logistics_wms_hold()
        warehouse.logistics_wms_release_mode = "auto"
        # The 3PL is the sandbox's, on the demo's folders, as ./run-demo runs it after;
        # what an earlier demo left in them is archived first.
        folders = [LocalFolder(os.path.join(folder, name)) for name in ("to_3pl", "from_3pl")]
        for leftover in folders:
            for entry in leftover.list_ready(min_age=0):
                leftover.archive(entry.name)
        three_pl = ThreePlPartner(
            *folders,
            warehouse=THREE_PL,
            our_id=("ZZ", "MYCOMPANY"),
            stock={
                "TILE-6060": 1700,
                "GRT-05": 220,
                "ADH-20": [(60, ADH_LOTS[0]), (40, ADH_LOTS[1])],
            },
            first_number=8100,
            min_age=0,
        )
        three_pl.set_scenario("partial", reference=partial.name)
        three_pl.set_scenario("hold", reference=waiting.name)
        self.env["logistics.message"].search(
            [("backend_id", "=", backend.id), ("state", "=", "pending")]
        ).work_now()
        three_pl.pickup()
        three_pl.advance()  # the first order whole, half of the second
        self._demo_wms_take(inbound)
        # Counted after the shipments: 2 tiles short (within the category's 2 %), 3 grout
        # short, a product Odoo does not know.
        three_pl.inventory(drift={"TILE-6060": -2, "GRT-05": -3, "KEY-PALLET": 14})
        self._demo_wms_take(inbound)
        with open(os.path.join(folder, "stock.json"), "w", encoding="utf-8") as stock:
            json.dump(three_pl.stock(), stock)
        return waiting

    def _demo_wms_setup(self, folder):
        """The 3PL's backend and folder, its warehouse, the delivery method it ships by."""
        backend = self.env["logistics.backend"].create(
            {
                "name": "Keystone 3PL EDI (demo)",
                "code": "3pl-keystone",
                "kind": "wms",
                "environment": "test",
                "user_id": self.env.ref("base.user_admin").id,
                "edi_standard": "x12",
                "edi_our_id": "MYCOMPANY",
                "edi_partner_id": THREE_PL,
                "edi_ack_policy": "none",
            }
        )
        for name in ("to_3pl", "from_3pl"):
            os.makedirs(os.path.join(folder, name), exist_ok=True)
        Channel = self.env["logistics.file.channel"]
        base = {"backend_id": backend.id, "transport": "local"}
        Channel.create(
            base
            | {
                "name": "Keystone 3PL: orders",
                "direction": "outbound",
                "path": os.path.join(folder, "to_3pl"),
            }
        )
        inbound = Channel.create(
            base
            | {
                "name": "Keystone 3PL: confirmations and stock",
                "direction": "inbound",
                "path": os.path.join(folder, "from_3pl"),
                "message_type_id": self.env.ref(
                    "logistics_integration.logistics_message_type_edi_interchange"
                ).id,
                "min_age": 0,
            }
        )
        warehouse = self._demo_wms_warehouse(
            backend,
            "Memphis (Keystone 3PL)",
            "MEM",
            {
                "name": "Keystone Memphis DC",
                "street": "4100 Distribution Dr",
                "city": "Memphis",
                "zip": "38118",
                "state_id": self.env.ref("base.state_us_43").id,
            },
        )
        ups = self.env["delivery.carrier"].create(
            {
                "name": "UPS Ground via 3PL (demo)",
                "product_id": self.env.ref("delivery.product_product_delivery").id,
                "logistics_wms_code": "UPSN",
                "logistics_wms_service": "GND",
            }
        )
        return backend, warehouse, ups, inbound

    def _demo_wms_take(self, channel):
        """Take the 3PL's files and work what they hold, as the file channel's cron does."""
        for message in channel._poll(commit=lambda _count: None):
            message.work_now()
            message.child_ids.filtered(lambda child: child.state == "pending").work_now()

    def _demo_wms_products(self):
        tiles = self.env["product.category"].create(
            {"name": "Tiles", "logistics_wms_tolerance_percent": 2}
        )
        Product = self.env["product.product"]
        return (
            Product.create(
                {
                    "name": "Porcelain floor tile 60x60",
                    "default_code": "TILE-6060",
                    "is_storable": True,
                    "categ_id": tiles.id,
                    "list_price": 4.2,
                    "standard_price": 2.1,
                }
            ),
            Product.create(
                {
                    "name": "Tile adhesive 20 kg",
                    "default_code": "ADH-20",
                    "is_storable": True,
                    "tracking": "lot",
                    "list_price": 18,
                    "standard_price": 9.5,
                }
            ),
            Product.create(
                {
                    "name": "Grout, anthracite 5 kg",
                    "default_code": "GRT-05",
                    "is_storable": True,
                    "list_price": 7.5,
                    "standard_price": 3.2,
                }
            ),
        )

    def _demo_wms_stock(self, warehouse, tile, adhesive, grout):
        Quant = self.env["stock.quant"]
        stock = warehouse.lot_stock_id
        Quant._update_available_quantity(tile, stock, 1700)
        Quant._update_available_quantity(grout, stock, 220)
        for name, quantity in zip(ADH_LOTS, STOCK_ADH, strict=True):
            lot = self.env["stock.lot"].create({"name": name, "product_id": adhesive.id})
            Quant._update_available_quantity(adhesive, stock, quantity, lot_id=lot)

    def _demo_wms_order(self, warehouse, customer, carrier, lines):
        sale = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "client_order_ref": f"PO-{customer.id:04d}-{len(lines)}",
                "warehouse_id": warehouse.id,
                "carrier_id": carrier.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": quantity})
                    for product, quantity in lines
                ],
            }
        )
        sale.action_confirm()
        return sale.picking_ids

    @api.model
    def _load_wms_json_demo(self, folder):
        """Reno, run by a 3PL with a JSON API (the sandbox's ShipBob-like one): an order
        posted to it and shipped, which Odoo learned by asking (its webhooks are the live
        demo's), and one waiting for a manager to release it. The sandbox is run here for
        the first, then ``./run-demo`` runs it on its own port with the stock left."""
        products = self.env["product.product"].search(
            [("default_code", "in", ("TILE-6060", "GRT-05"))], order="default_code desc"
        )
        tile, grout = products
        backend, warehouse = self._demo_wms_json_setup()
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(tile, warehouse.lot_stock_id, 800)
        Quant._update_available_quantity(grout, warehouse.lot_stock_id, 90)
        ups = self.env["delivery.carrier"].search([("logistics_wms_code", "=", "UPSN")], limit=1)
        three_pl = Json3pl(
            warehouse="RENO", stock={"TILE-6060": 800, "GRT-05": 90}, first_number=5100
        )
        with Sandbox(port=0, route_sets=[three_pl]) as sandbox, three_pl:
            backend.endpoint_url = f"{sandbox.url}/3pl"
            shipped = self._demo_wms_order(
                warehouse, self.env.ref("base.res_partner_3"), ups, [(tile, 80), (grout, 4)]
            )
            self.env["logistics.message"].search(
                [("backend_id", "=", backend.id), ("state", "=", "pending")]
            ).work_now()
            three_pl.advance()
            codec = backend.wms_poll_type_id.get_codec()
            self.env["logistics.wms.poll"]._poll_order(backend, codec, shipped).work_now()
            stock = three_pl.stock()
        port = os.environ.get("LOGISTICS_JSON_3PL_SANDBOX_PORT", "8079")
        backend.endpoint_url = f"http://127.0.0.1:{port}/3pl"
        warehouse.logistics_wms_release_mode = "manual"
        self._demo_wms_order(warehouse, self.env.ref("base.res_partner_3"), ups, [(grout, 12)])
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "stock.json"), "w", encoding="utf-8") as stream:
            json.dump(stock, stream)
        return shipped

    def _demo_wms_json_setup(self):
        """The JSON 3PL's backend (signed webhooks in, shipments asked for when they are
        missed) and the warehouse it runs."""
        backend = self.env["logistics.backend"].create(
            {
                "name": "Bob's Fulfillment API (demo)",
                "code": "3pl-bob",
                "kind": "wms",
                "environment": "test",
                "user_id": self.env.ref("base.user_admin").id,
                "signature_scheme": "shipbob-hmac",
                "webhook_secret": JSON_3PL_SECRET,
                "inbound_type_id": self.env.ref(
                    "logistics_wms.logistics_message_type_wms_shipbob"
                ).id,
                "wms_poll_type_id": self.env.ref(
                    "logistics_wms.logistics_message_type_wms_shipbob_poll"
                ).id,
                "wms_poll_after_minutes": 30,
            }
        )
        warehouse = self._demo_wms_warehouse(
            backend,
            "Reno (Bob's Fulfillment)",
            "RNO",
            {
                "name": "Bob's Fulfillment Reno",
                "street": "9550 Gateway Dr",
                "city": "Reno",
                "zip": "89521",
                "state_id": self.env.ref("base.state_us_23").id,
            },
        )
        return backend, warehouse

    def _demo_wms_warehouse(self, backend, name, code, address):
        """A US warehouse at ``address`` (the values of its partner) run by ``backend``,
        releasing as soon as its deliveries are ready."""
        partner = self.env["res.partner"].create(
            address | {"is_company": True, "country_id": self.env.ref("base.us").id}
        )
        return self.env["stock.warehouse"].create(
            {
                "name": name,
                "code": code,
                "partner_id": partner.id,
                "logistics_wms_backend_id": backend.id,
                "logistics_wms_release_mode": "auto",
            }
        )
