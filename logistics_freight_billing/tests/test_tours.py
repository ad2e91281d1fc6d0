from odoo.tests import HttpCase, tagged

from odoo.addons.logistics_integration.tests.common import TourMixin

from .common import RATE, BillingCase


@tagged("post_install", "-at_install")
class TestFreightBillingTours(TourMixin, BillingCase, HttpCase):
    """Headless Chromium walks through the screens a freight accountant uses."""

    def test_a_freight_accountant_disputes_an_unexpected_liftgate(self):
        order = self.delivered_order()
        (invoice,) = self.send(self.invoice("TOUR-PF-1", order, (("400", RATE), ("LFT", 75.0))))
        self.assertEqual(invoice.state, "variance")
        self.tour(
            "logistics_freight_billing_accountant_disputes",
            "tour_freight",
            "logistics_freight_billing.group_freight_accountant",
        )
        self.assertEqual(invoice.state, "disputed")
        self.assertEqual(invoice.disputed_amount, 75.0)
        self.assertIn("No liftgate was ordered", invoice.dispute_reason)
        self.assertEqual(invoice.decided_by_id.login, "tour_freight")
        to_carrier = invoice.message_ids.filtered(lambda m: self.carrier in m.partner_ids)
        self.assertTrue(to_carrier, "the carrier was written to")
