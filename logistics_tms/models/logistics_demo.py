import itertools
import os
from datetime import datetime, timedelta, timezone

from odoo import api, models

from odoo.addons.logistics_integration.models.logistics_demo import DemoEdiPartner

from logistics_adapters import canonical as c
from logistics_adapters.formats.x12 import transport as x12_transport
from logistics_adapters.transport.files import LocalFolder

#: The demo's carriers, in the order of the lane.
CARRIERS = (
    "logistics_tms.res_partner_carrier_prfr_demo",
    "logistics_tms.res_partner_carrier_gcln_demo",
    "logistics_tms.res_partner_carrier_lkex_demo",
)


class LogisticsDemo(models.AbstractModel):
    _inherit = "logistics.demo"

    @api.model
    def _load_transport_demo(self, folder):
        """Four loads from California through the real flows: one every carrier declined
        (it waits on the tender board), one awaiting its answer, one accepted and on its
        way, one delivered. The carriers' answers are X12 files as they would send them;
        our own files are archived afterwards, so the sandbox answers only new ones."""
        carriers = [self.env.ref(xmlid) for xmlid in CARRIERS]
        self._demo_carrier_channels(carriers, folder)
        answers = _DemoCarrierAnswers(self)
        customers = ("base.res_partner_12", "base.res_partner_2", "base.res_partner_4")
        loads = [self._demo_load(self.env.ref(xmlid)) for xmlid in (*customers, customers[0])]
        nobody, waiting, moving, delivered = loads
        for order in loads:
            order.action_tender()
        for carrier in carriers:
            answers.answer(carrier, nobody, "declined", "EQU")
        answers.answer(carriers[0], moving, "accepted")
        answers.status(carriers[0], moving, ("AF", 20), ("X6", 6), ("AG", None, 30))
        answers.answer(carriers[0], delivered, "accepted")
        answers.status(carriers[0], delivered, ("AF", 50), ("X6", 30), ("D1", 3))
        self._demo_work_tenders(loads)
        for carrier in carriers:
            outbox = LocalFolder(os.path.join(folder, carrier.logistics_scac, "to_carrier"))
            for entry in outbox.list_ready(min_age=0):
                outbox.archive(entry.name)
        return waiting

    def _demo_carrier_channels(self, carriers, folder):
        """Each carrier's folders: what we send, what it sends."""
        Channel = self.env["logistics.file.channel"]
        flow = self.env.ref("logistics_integration.logistics_message_type_edi_interchange")
        for carrier in carriers:
            scac = carrier.logistics_scac
            base = {"backend_id": carrier.logistics_tms_backend_id.id, "transport": "local"}
            for name in ("to_carrier", "from_carrier"):
                os.makedirs(os.path.join(folder, scac, name), exist_ok=True)
            Channel.create(
                base
                | {
                    "name": f"{carrier.name}: tenders",
                    "direction": "outbound",
                    "path": os.path.join(folder, scac, "to_carrier"),
                }
            )
            Channel.create(
                base
                | {
                    "name": f"{carrier.name}: answers and statuses",
                    "direction": "inbound",
                    "path": os.path.join(folder, scac, "from_carrier"),
                    "message_type_id": flow.id,
                    "min_age": 0,
                }
            )

    def _demo_load(self, customer):
        """A confirmed order of tables for ``customer`` and its transport order."""
        product = self.env.ref("product.product_product_27")
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 40)
        sale = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "client_order_ref": f"PO-{customer.id:04d}",
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 8})],
            }
        )
        sale.action_confirm()
        order = self.env["logistics.transport.order"]._create_from_pickings(sale.picking_ids)
        order.goods_ids.write({"weight_kg": 1600.0, "pallets": 4})
        return order

    def _demo_work_tenders(self, loads):
        """Send what the loads queued (their 204s, written to the carriers' folders)."""
        pending = self.env["logistics.message"].search(
            [
                ("res_model", "=", "logistics.transport.order"),
                ("res_id", "in", [order.id for order in loads]),
                ("state", "=", "pending"),
            ]
        )
        pending.work_now()


class _DemoCarrierAnswers:
    """The carriers' side of the demo: 990s and 214s received and worked."""

    def __init__(self, demo):
        self.env = demo.env
        self.numbers = itertools.count(7000)

    def receive(self, carrier, kind, sets):
        backend = carrier.logistics_tms_backend_id
        DemoEdiPartner(backend, numbers=self.numbers).sends(kind, sets)

    def answer(self, carrier, order, status, reason=""):
        pro = f"{carrier.logistics_scac}{order.id:07d}" if status == "accepted" else ""
        response = c.TransportOrder(
            reference=order.name,
            partner_reference=pro,
            carrier=carrier.logistics_scac,
            status=status,
            decline_reason=reason,
        )
        self.receive(carrier, "990", [x12_transport.response_segments(response)])

    def status(self, carrier, order, *steps):
        """Milestones ``(AT7 code, hours ago, hours ahead for an estimate)``."""
        now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
        milestones = [
            c.Milestone(
                reference=order.name,
                status="unknown",
                partner_status=code,
                occurred_at=now - timedelta(hours=ago) if ago is not None else None,
                estimated_at=now + timedelta(hours=ahead[0]) if ahead else None,
                tracking_number=order.pro_number or order.name,
                carrier=carrier.logistics_scac,
            )
            for code, ago, *ahead in steps
        ]
        self.receive(carrier, "214", [x12_transport.status_segments(milestones)])
