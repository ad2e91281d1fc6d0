import itertools
import os
from datetime import datetime, timezone

from odoo import api, models

from logistics_adapters.formats import x12

WAREHOUSE = "logistics_wms.stock_warehouse_memphis_demo"
BACKEND = "logistics_wms.logistics_backend_3pl_keystone_demo"


class LogisticsDemo(models.AbstractModel):
    _inherit = "logistics.demo"

    @api.model
    def _load_wms_demo(self, folder):
        """Memphis, run by the Keystone 3PL, through the real flows: stock received there,
        three customer orders released as 940s (one shipped whole by a 945, one shipped
        in part with the rest at the 3PL, one waiting), one held until paid, and an 846
        whose counts drift from Odoo's."""
        warehouse = self.env.ref(WAREHOUSE)
        backend = self.env.ref(BACKEND)
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
        tile, adhesive, grout = (
            self.env.ref(f"logistics_wms.product_product_{name}_demo")
            for name in ("tile", "adhesive", "grout")
        )
        self._demo_wms_stock(warehouse, tile, adhesive, grout)
        ups = self.env.ref("logistics_wms.delivery_carrier_ups_3pl_demo")
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
        edi = _Demo3pl(self, backend)
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

    def __init__(self, demo, backend):
        self.env = demo.env
        self.backend = backend
        self.numbers = itertools.count(8100)

    def receive(self, kind, body):
        payload = x12.render_sets(
            kind,
            [body],
            sender=("ZZ", "KEYSTONE3PL"),
            receiver=("ZZ", "MYCOMPANY"),
            control_numbers=lambda _level: next(self.numbers),
            delimiters=x12.Delimiters(suffix="\n"),
        )
        flow = self.env.ref("logistics_integration.logistics_message_type_edi_interchange")
        message, _created = self.env["logistics.message"].store_inbound(
            self.backend, flow, payload, content_type="application/edi-x12"
        )
        message.work_now()
        message.child_ids.filtered(lambda child: child.state == "pending").work_now()

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
