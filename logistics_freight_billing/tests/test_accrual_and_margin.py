from odoo.tests import tagged

from .common import RATE, BillingCase


@tagged("post_install", "-at_install")
class TestAccrualAndMargin(BillingCase):
    def test_delivered_not_billed_loads_are_accrued_and_reversed(self):
        order = self.delivered_order()
        Report = self.env["logistics.freight.accrual.report"]
        row = Report.search([("transport_order_id", "=", order.id)])
        self.assertEqual((row.carrier_id, row.kind, row.expected), (self.carrier, "load", RATE))
        liability = self.env["account.account"].search(
            [
                ("account_type", "=", "liability_current"),
                ("company_ids", "in", self.env.company.id),
            ],
            limit=1,
        )
        wizard = self.env["logistics.freight.accrual"].create(
            {"date": order.last_milestone_at.date(), "accrual_account_id": liability.id}
        )
        self.assertGreaterEqual(wizard.amount, RATE)
        action = wizard.action_accrue()
        entry, reversal = self.env["account.move"].search(action["domain"], order="id")
        self.assertEqual((entry.state, reversal.state), ("posted", "posted"))
        self.assertEqual(reversal.reversed_entry_id, entry)
        self.assertEqual(sum(entry.line_ids.mapped("debit")), sum(entry.line_ids.mapped("credit")))
        carrier_line = entry.line_ids.filtered(lambda line: line.partner_id == self.carrier)
        self.assertGreaterEqual(carrier_line.debit, RATE)
        self.assertEqual(reversal.date, wizard.reversal_date)

        self.send(self.invoice("PF-2001", order))
        self.assertFalse(
            Report.search([("transport_order_id", "=", order.id)]), "billed: nothing to accrue"
        )

    def test_the_freight_margin_of_an_order_is_what_the_customer_paid_less_the_carrier(self):
        order = self.delivered_order()
        sale = order.sale_order_id
        shipping = self.env["product.product"].create({"name": "Freight", "type": "service"})
        self.env["sale.order.line"].create(
            {
                "order_id": sale.id,
                "product_id": shipping.id,
                "price_unit": 2000.0,
                "is_delivery": True,
            }
        )
        self.send(self.invoice("PF-2002", order, (("400", RATE), ("405", 20.0))))
        margin = self.env["logistics.freight.margin.report"].search(
            [("sale_order_id", "=", sale.id)]
        )
        self.assertEqual((margin.charged, margin.cost, margin.margin), (2000.0, RATE + 20.0, 180.0))
        self.assertEqual(margin.customer_id, self.customer)

    def test_the_overview_shows_each_carrier_billed_expected_found_and_to_review(self):
        order = self.delivered_order()
        self.send(self.invoice("PF-2003", order, (("400", RATE), ("LFT", 75.0))))
        unbilled = self.delivered_order()
        carrier = self.carrier
        self.assertEqual(
            (
                carrier.logistics_freight_billed_month,
                carrier.logistics_freight_expected_month,
                carrier.logistics_freight_variance_found,
                carrier.logistics_freight_count_review,
                carrier.logistics_freight_to_accrue,
            ),
            (RATE + 75.0, RATE, 75.0, 1, RATE),
        )
        opened = self.env["logistics.freight.accrual.report"].search(
            carrier.action_logistics_freight_accrue()["domain"]
        )
        self.assertEqual(opened.transport_order_id, unbilled)
        invoice = self.env["logistics.freight.invoice"].search([("name", "=", "PF-2003")])
        invoice.action_short_pay()
        carrier.invalidate_recordset()
        self.assertEqual(
            (carrier.logistics_freight_recovered, carrier.logistics_freight_count_review),
            (75.0, 0),
        )
