import os
from datetime import datetime, timezone

from odoo import api, models

from odoo.addons.logistics_integration.models.logistics_demo import DemoEdiPartner


class LogisticsDemo(models.AbstractModel):
    _inherit = "logistics.demo"

    @api.model
    def _load_wms_demo(self, folder):
        """Memphis, run by the Keystone 3PL, through the real flows: stock received there,
        three customer orders released as 940s (one shipped whole by a 945, one shipped
        in part with the rest at the 3PL, one waiting), one held until paid, and an 846
        whose counts drift from Odoo's."""
        backend, warehouse, ups = self._demo_wms_setup(folder)
        tile, adhesive, grout = self._demo_wms_products()
        self._demo_wms_stock(warehouse, tile, adhesive, grout)
        customers = ("base.res_partner_12", "base.res_partner_2", "base.res_partner_4")
        shipped, partial, waiting = (
            self._demo_wms_order(warehouse, self.env.ref(xmlid), ups, lines)
            for xmlid, lines in zip(
                customers,
                ([(tile, 120), (adhesive, 6)], [(tile, 200), (grout, 12)], [(grout, 30)]),
                strict=True,
            )
        )
        warehouse.logistics_wms_hold_unpaid = True
        self._demo_wms_order(warehouse, self.env.ref(customers[0]), ups, [(tile, 40)])
        warehouse.logistics_wms_hold_unpaid = False
        pending = self.env["logistics.message"].search(
            [("backend_id", "=", backend.id), ("state", "=", "pending")]
        )
        pending.work_now()
        edi = _Demo3pl(backend)
        edi.ship(shipped, [("TILE-6060", 120, "", 120), ("ADH-20", 6, "AD2611-07", 6)], 1)
        edi.ship(partial, [("TILE-6060", 150, "", 200), ("GRT-05", 12, "", 12)], 2)
        # Counted after the shipments: 2 tiles short (within the category's 2 %), 3 grout
        # short, 2 bags of one adhesive lot short, a product Odoo does not know.
        edi.inventory(
            [
                ("TILE-6060", 1428, ""),
                ("ADH-20", 52, "AD2611-07"),
                ("ADH-20", 40, "AD2612-02"),
                ("GRT-05", 205, ""),
                ("KEY-PALLET", 14, ""),
            ]
        )
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
                "edi_partner_id": "KEYSTONE3PL",
                "edi_ack_policy": "none",
            }
        )
        os.makedirs(os.path.join(folder, "to_3pl"), exist_ok=True)
        self.env["logistics.file.channel"].create(
            {
                "name": "Keystone 3PL: orders",
                "backend_id": backend.id,
                "transport": "local",
                "direction": "outbound",
                "path": os.path.join(folder, "to_3pl"),
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
        return backend, warehouse, ups

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
        for name, quantity in (("AD2611-07", 60), ("AD2612-02", 40)):
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


class _Demo3pl:
    """The 3PL's side of the demo: its 945s and 846s, received and worked."""

    def __init__(self, backend):
        self.partner = DemoEdiPartner(backend, first=8100)

    def receive(self, kind, body):
        self.partner.sends(kind, [body])

    def ship(self, picking, lines, number):
        """A 945 of ``lines`` ``(code, shipped, lot, ordered)`` in one carton each."""
        today = datetime.now(timezone.utc).strftime("%Y%m%d")
        body = [
            ["W06", "N", picking.logistics_wms_reference, today, f"KS-{number:05d}"],
            ["N1", "WH", "Keystone Memphis DC", "9", "KEYMEM"],
            ["W27", "M", "UPSN", "GROUND"],
        ]
        for index, (code, shipped, lot, ordered) in enumerate(lines, start=1):
            body += [
                ["LX", str(index)],
                [
                    "MAN",
                    "GM",
                    f"0010012345{number:04d}{index:06d}",
                    "",
                    "CP",
                    f"1Z999AA1{number:04d}{index:06d}",
                ],
                [
                    "W12",
                    "CC" if shipped == ordered else "CP",
                    str(ordered),
                    str(shipped),
                    str(ordered - shipped) if shipped != ordered else "",
                    "EA",
                    "",
                    "VN",
                    code,
                ],
                ["N9", "LI", str(index)],
            ]
            if lot:
                body.append(["N9", "LT", lot, str(shipped)])
        self.receive("945", body)

    def inventory(self, lines):
        """An 846 counted now: ``lines`` ``(code, on hand, lot)``."""
        taken = datetime.now(timezone.utc)
        body = [
            ["BIA", "00", "MM", "KS-INV-0042", taken.strftime("%Y%m%d"), taken.strftime("%H%M%S")]
        ]
        for code, quantity, lot in lines:
            body.append(["LIN", "", "VN", code, *(["LT", lot] if lot else [])])
            body.append(["QTY", "17", str(quantity), "EA"])
        body.append(["CTT", str(len(lines))])
        self.receive("846", body)
