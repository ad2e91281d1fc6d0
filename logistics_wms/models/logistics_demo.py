import json
import os

from odoo import api, models

from logistics_adapters.sandbox import ThreePlPartner
from logistics_adapters.transport.files import LocalFolder

#: The demo 3PL's interchange id (the sandbox's warehouse code).
THREE_PL = "KEYSTONE3PL"
ADH_LOTS = ("AD2611-07", "AD2612-02")
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
        address = self.env["res.partner"].create(
            {
                "name": "Keystone Memphis DC",
                "is_company": True,
                "street": "4100 Distribution Dr",
                "city": "Memphis",
                "zip": "38118",
                "state_id": self.env.ref("base.state_us_43").id,
                "country_id": self.env.ref("base.us").id,
            }
        )
        warehouse = self.env["stock.warehouse"].create(
            {
                "name": "Memphis (Keystone 3PL)",
                "code": "MEM",
                "partner_id": address.id,
                "logistics_wms_backend_id": backend.id,
                "logistics_wms_release_mode": "auto",
            }
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
