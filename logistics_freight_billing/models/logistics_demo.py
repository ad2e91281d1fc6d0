import os
from datetime import date
from decimal import Decimal

from odoo import api, models

from odoo.addons.logistics_tms.models.logistics_demo import CARRIERS, _DemoCarrierAnswers

from logistics_adapters import canonical as c
from logistics_adapters.formats.x12.billing import invoice_segments
from logistics_adapters.transport.files import LocalFolder


class LogisticsDemo(models.AbstractModel):
    _inherit = "logistics.demo"

    @api.model
    def _load_freight_billing_demo(self, folder):
        """Prairie Freight bills the loads it delivered, as X12 210s through its EDI
        backend: one at its contract rate (billed and posted), one with a liftgate nobody
        ordered and one above its rate (both in the variance workbench), one whose PRO
        matches nothing (a candidate proposed), and the first one again under a new number
        (a duplicate); a delivered load stays unbilled, to accrue."""
        company = self.env.company
        company.logistics_freight_post_bills = True
        company.logistics_freight_accrual_account_id = self.env["account.account"].search(
            [("account_type", "=", "liability_current"), ("company_ids", "in", company.id)],
            limit=1,
        )
        carrier = self.env.ref(CARRIERS[0])
        answers = _DemoCarrierAnswers(self)
        answers.numbers = iter(range(7500, 7600))
        first = self.env["logistics.transport.order"].search(
            [("carrier_id", "=", carrier.id), ("state", "=", "delivered")], limit=1
        )
        customers = ("base.res_partner_2", "base.res_partner_4", "base.res_partner_12")
        loads = [self._demo_load(self.env.ref(xmlid)) for xmlid in (*customers, customers[0])]
        rate = self.env.ref("logistics_tms.logistics_routing_lane_line_prfr_demo").rate
        for order in loads:
            # Off the routing guide (its lane shows the transport demo's four stages): given
            # to Prairie Freight by hand at its contract rate.
            order.lane_id = False
            self.env["logistics.transport.tender.to"].create(
                {"order_id": order.id, "carrier_id": carrier.id, "rate": rate}
            ).action_tender()
            answers.answer(carrier, order, "accepted")
            answers.status(carrier, order, ("AF", 70), ("D1", 26))
        self._demo_work_tenders(loads)
        outbox = LocalFolder(os.path.join(folder, carrier.logistics_scac, "to_carrier"))
        for entry in outbox.list_ready(min_age=0):
            outbox.archive(entry.name)
        liftgate, over, unmatched, _unbilled = loads
        invoices = [
            _invoice(carrier, "PRFR-D1001", first, []),
            _invoice(carrier, "PRFR-D1002", liftgate, [("LFT", Decimal("75.00"))]),
            _invoice(carrier, "PRFR-D1003", over, [], freight=_rate(over) + Decimal("150")),
            _invoice(carrier, "PRFR-D1004", unmatched, [], pro="PRFR9999999"),
            _invoice(carrier, "PRFR-D1001-R", first, []),
        ]
        answers.receive(carrier, "210", [invoice_segments(invoice) for invoice in invoices])
        self.env["logistics.freight.invoice"]._cron_bill()


def _rate(order):
    """The rate the load was accepted at."""
    tender = order.tender_ids.filtered(lambda t: t.state == "accepted")[-1:]
    return Decimal(str(tender.rate or order.estimated_cost)).quantize(Decimal("0.01"))


def _invoice(carrier, number, order, extra, freight=None, pro=None):
    """Prairie Freight's invoice ``number`` for ``order``: its freight, then ``extra``
    charges (element 150 code, amount)."""
    charges = [("400", freight if freight is not None else _rate(order)), *extra]
    return c.FreightInvoice(
        invoice_number=number,
        invoice_date=date.today(),
        carrier=carrier.logistics_scac,
        shipment_reference=order.name if not pro else "",
        currency="USD",
        references={"pro": pro or order.pro_number},
        charges=[
            c.Charge(code=code, amount=amount, code_list=c.CODE_LIST_X12_150)
            for code, amount in charges
        ],
    )
