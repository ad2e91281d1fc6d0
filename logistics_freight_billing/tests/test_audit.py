from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import RATE, BillingCase


@tagged("post_install", "-at_install")
class TestAudit(BillingCase):
    def test_an_invoice_within_tolerance_becomes_a_posted_vendor_bill(self):
        order = self.delivered_order()
        (invoice,) = self.send(self.invoice("PF-1001", order, (("400", RATE), ("405", 20.0))))
        self.assertEqual(invoice.state, "billed", invoice.audit_note)
        self.assertEqual(invoice.carrier_id, self.carrier)
        self.assertEqual(invoice.transport_order_ids, order)
        self.assertEqual(invoice.shipment_ids.matched_by, "pro")
        self.assertEqual(
            (invoice.shipment_ids.expected_source, invoice.expected_total), ("contract", RATE)
        )
        bill = invoice.move_id
        self.assertEqual((bill.move_type, bill.state), ("in_invoice", "posted"))
        self.assertEqual((bill.partner_id, bill.ref), (self.carrier, "PF-1001"))
        self.assertEqual(
            sorted(
                (line.product_id.default_code, line.price_unit) for line in bill.invoice_line_ids
            ),
            [("FRT-FREIGHT", RATE), ("FRT-FUEL", 20.0)],
        )
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", bill.id)]
        )
        self.assertIn(b"ST*210", attachment.raw, "the carrier's invoice is attached as it came")

    def test_an_unexpected_liftgate_waits_and_is_short_paid(self):
        order = self.delivered_order()
        (invoice,) = self.send(self.invoice("PF-1002", order, (("400", RATE), ("LFT", 75.0))))
        self.assertEqual(invoice.state, "variance")
        self.assertIn("Liftgate", invoice.audit_note)
        liftgate = invoice.audit_line_ids.filtered(lambda row: row.label == "Liftgate")
        self.assertEqual(
            (liftgate.kind, liftgate.verdict, liftgate.billed, liftgate.expected),
            ("accessorial", "unexpected", 75.0, 0.0),
        )
        workbench = self.env["logistics.freight.audit.line"].search(
            [
                ("invoice_id", "=", invoice.id),
                ("verdict", "!=", "ok"),
                ("kind", "!=", "total"),
                ("invoice_id.state", "=", "variance"),
            ]
        )
        self.assertEqual(workbench, liftgate)
        self.assertFalse(invoice.move_id)

        invoice.action_short_pay()
        self.assertEqual(invoice.state, "billed")
        self.assertEqual(invoice.move_id.amount_untaxed, RATE, "the expected amount is paid")
        self.assertEqual(invoice.disputed_amount, 75.0)

    def test_the_same_invoice_twice_is_refused(self):
        order = self.delivered_order()
        (first,) = self.send(self.invoice("PF-1003", order))
        (again,) = self.send(self.invoice("PF-1003", order))
        (renumbered,) = self.send(self.invoice("PF-1003-R", order))
        self.assertEqual(first.state, "billed")
        self.assertEqual((again.state, again.duplicate_of_id), ("duplicate", first))
        self.assertEqual(
            (renumbered.state, renumbered.duplicate_of_id),
            ("duplicate", first),
            "same shipments, same amount, new number: a duplicate too",
        )
        self.assertFalse(again.move_id or renumbered.move_id)
        bills = self.env["account.move"].search(
            [("logistics_freight_invoice_id.carrier_id", "=", self.carrier.id)]
        )
        self.assertEqual(len(bills), 1, "never paid twice")
        with self.assertRaises(UserError):
            again.action_approve()

    def test_an_unknown_charge_code_is_an_exception_until_mapped(self):
        order = self.delivered_order()
        (invoice,) = self.send(self.invoice("PF-1004", order, (("400", RATE), ("ZZZ", 10.0))))
        self.assertEqual(invoice.state, "exception")
        self.assertIn("ZZZ", invoice.audit_note)
        self.env["logistics.freight.charge.code"].create(
            {
                "carrier_id": self.carrier.id,
                "code": "ZZZ",
                "name": "Prairie's fuel",
                "charge_type_id": self.env.ref("logistics_freight_billing.charge_type_fuel").id,
            }
        )
        invoice.action_audit()
        self.assertEqual(invoice.state, "billed", invoice.audit_note)

    def test_an_invoice_nothing_matches_waits_with_candidates_then_is_matched_by_hand(self):
        order = self.delivered_order()
        (invoice,) = self.send(
            self.invoice("PF-1005", charges=(("400", RATE),), references={"pro": "NOPE"})
        )
        self.assertEqual(invoice.state, "unmatched")
        shipment = invoice.shipment_ids
        self.assertIn(order, shipment.candidate_order_ids)
        shipment.transport_order_id = order
        self.assertEqual(shipment.matched_by, "hand")
        invoice.action_audit()
        self.assertEqual(invoice.state, "billed", invoice.audit_note)

    def test_tolerance_the_stricter_wins_and_a_customer_rule_overrides(self):
        order = self.delivered_order()
        # The company's rule: 2 % (36.00) or 25.00, the stricter: 25.00 above is allowed.
        (within,) = self.send(self.invoice("PF-1006", order, (("400", RATE + 25.0),)))
        self.assertEqual(within.state, "billed", within.audit_note)
        order2 = self.delivered_order()
        (over,) = self.send(self.invoice("PF-1007", order2, (("400", RATE + 30.0),)))
        self.assertEqual(over.state, "variance")
        rate_row = over.audit_line_ids.filtered(lambda row: row.kind == "rate")
        self.assertEqual((rate_row.verdict, rate_row.allowed_over), ("over", 25.0))
        Tolerance = self.env["logistics.freight.tolerance"]
        for scope in ("charge", "total"):
            Tolerance.create(
                {
                    "scope": scope,
                    "customer_id": self.customer.id,
                    "over_percent": 5.0,
                    "under_percent": 100.0,
                }
            )
        over.action_audit()
        self.assertEqual(over.state, "billed", "the customer's 5 % (90.00) allows it")

    def test_approving_above_the_limit_needs_a_manager_and_a_dispute_writes_to_the_carrier(self):
        self.env.company.logistics_freight_approval_limit = 50.0
        order = self.delivered_order()
        (invoice,) = self.send(self.invoice("PF-1008", order, (("400", RATE + 120.0),)))
        self.assertEqual(invoice.state, "variance")
        accountant = self.env["res.users"].create(
            {
                "name": "Freight accountant",
                "login": "freight-accountant",
                "email": "fa@example.com",
                "group_ids": [
                    (6, 0, [self.env.ref("logistics_freight_billing.group_freight_accountant").id])
                ],
            }
        )
        with self.assertRaisesRegex(UserError, "approval limit"):
            invoice.with_user(accountant).action_approve()
        with self.assertRaises(AccessError, msg="tolerances are the manager's"):
            self.env["logistics.freight.tolerance"].with_user(accountant).create(
                {"scope": "total", "over_percent": 50.0}
            )
        wizard = (
            self.env["logistics.freight.dispute"]
            .with_user(accountant)
            .with_context(default_invoice_ids=invoice.ids)
            .create({"reason": "The contract rate is 1,800.00."})
        )
        self.assertEqual(wizard.amount, 120.0)
        wizard.action_dispute()
        self.assertEqual((invoice.state, invoice.disputed_amount), ("disputed", 120.0))
        sent = invoice.message_ids.filtered(lambda m: self.carrier in m.partner_ids)
        self.assertTrue(sent, "the carrier is written to")
        self.assertIn("1,800.00", sent[0].body)
        invoice.action_approve()  # the manager (admin) may
        self.assertEqual((invoice.state, invoice.move_id.amount_untaxed), ("billed", RATE + 120.0))
