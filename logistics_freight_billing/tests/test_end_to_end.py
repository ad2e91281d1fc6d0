from decimal import Decimal

from odoo.tests import tagged

from odoo.addons.logistics_integration.tests.common import SftpPartnerMixin

from logistics_adapters.sandbox import CarrierPartner

from .common import RATE, BillingCase


@tagged("post_install", "-at_install")
class TestCarrierBillsWhatItDelivered(SftpPartnerMixin, BillingCase):
    """The sandbox plays Prairie Freight over a real SFTP server: it takes four loads,
    delivers them and bills each by a scenario of its own, its 210s arriving through the
    EDI backend like its 990s and 214s."""

    def setUp(self):
        super().setUp()
        self._start_sftp(["PRFR/to_carrier", "PRFR/from_carrier"])
        self.inbound = self._sftp_channels(
            self.carrier.logistics_tms_backend_id, "PRFR/to_carrier", "PRFR/from_carrier", "PRFR"
        )
        self.partner = CarrierPartner(
            self._sftp_folder("PRFR/to_carrier"),
            self._sftp_folder("PRFR/from_carrier"),
            scac="PRFR",
            our_id=("ZZ", "MYCOMPANY"),
            scenario="accept",
            first_control=300,
            first_invoice=1,
        )
        self.addCleanup(self.partner.stop)

    def tendered(self):
        """A load tendered to Prairie Freight and accepted over SFTP."""
        order, _sale, _picking = self.transport_order()
        order.action_tender()
        pending = self.env["logistics.message"].search(
            [("res_model", "=", order._name), ("res_id", "=", order.id), ("state", "=", "pending")]
        )
        pending.work_now()
        self.partner.pickup()
        self._take_files(self.inbound)
        self.assertEqual(order.state, "accepted")
        return order

    def test_exact_accessorial_duplicate_and_unbilled_loads(self):
        exact, liftgate, twice, silent = (self.tendered() for _ in range(4))
        self.partner.set_billing("exact", reference=exact.name)
        self.partner.set_billing(
            "accessorial", reference=liftgate.name, accessorials={"LFT": Decimal("75.00")}
        )
        self.partner.set_billing("exact", reference=twice.name, duplicate=True)
        self.partner.set_billing("none", reference=silent.name)
        self.partner.play_now()
        self._take_files(self.inbound)
        bill = self.env.ref("logistics_freight_billing.ir_cron_freight_bill")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", bill.id)]),
            "the audit wakes the billing",
        )
        self.env["logistics.freight.invoice"]._cron_bill()
        for order in (exact, liftgate, twice, silent):
            self.assertEqual(order.state, "delivered")

        Invoice = self.env["logistics.freight.invoice"]
        (billed,) = Invoice.search([("transport_order_ids", "=", exact.id)])
        self.assertEqual(billed.state, "billed", billed.audit_note)
        self.assertEqual((billed.expected_total, billed.billed_total), (RATE, RATE))
        self.assertEqual(billed.move_id.state, "posted")
        self.assertEqual(
            billed.move_id.invoice_line_ids.mapped("product_id"),
            self.env.ref("logistics_freight_billing.product_freight_freight"),
        )
        self.assertEqual(billed.move_id.amount_untaxed, RATE)

        (variance,) = Invoice.search([("transport_order_ids", "=", liftgate.id)])
        self.assertEqual(variance.state, "variance")
        workbench = self.env["logistics.freight.audit.line"].search(
            [("invoice_id", "=", variance.id), ("verdict", "!=", "ok"), ("kind", "!=", "total")]
        )
        self.assertEqual(workbench.mapped("label"), ["Liftgate"])
        variance.action_short_pay()
        self.assertEqual((variance.move_id.amount_untaxed, variance.disputed_amount), (RATE, 75.0))

        # The same 210 twice, in two interchanges: the second is a duplicate, never billed.
        (sent,) = [i for i in self.partner.invoices() if i["reference"] == twice.name]
        self.assertEqual(len(sent["sent"]), 2, "the carrier did send it twice")
        original, duplicate = Invoice.search([("name", "=", sent["number"])], order="id")
        self.assertEqual((original.state, duplicate.state), ("billed", "duplicate"))
        self.assertEqual(duplicate.duplicate_of_id, original)
        self.assertEqual(duplicate.transport_order_ids, twice, "matched, for whoever looks")
        self.assertFalse(duplicate.move_id)

        self.assertFalse(Invoice.search([("transport_order_ids", "=", silent.id)]))
        unbilled = self.env["logistics.freight.accrual.report"].search(
            [("carrier_id", "=", self.carrier.id)]
        )
        self.assertEqual(unbilled.transport_order_id, silent)
        liability = self.env["account.account"].search(
            [
                ("account_type", "=", "liability_current"),
                ("company_ids", "in", self.env.company.id),
            ],
            limit=1,
        )
        wizard = self.env["logistics.freight.accrual"].create(
            {"date": silent.last_milestone_at.date(), "accrual_account_id": liability.id}
        )
        self.assertGreaterEqual(wizard.amount, RATE, "this load, and the demo's unbilled ones")
        entry = self.env["account.move"].search(wizard.action_accrue()["domain"], order="id")[0]
        prairie = entry.line_ids.filtered(lambda line: line.partner_id == self.carrier)
        self.assertEqual(prairie.debit, RATE)
        self.assertEqual(
            sum(entry.line_ids.mapped("debit")),
            sum(entry.line_ids.mapped("credit")),
            "the accrual balances",
        )
