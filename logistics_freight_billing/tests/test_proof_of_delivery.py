from odoo.tests import tagged

from .common import BillingCase


@tagged("post_install", "-at_install")
class TestProofOfDelivery(BillingCase):
    """Proof of delivery releases the customer invoice for loads as for parcels: a load's
    delivery milestone reaches its deliveries' status-change hook."""

    def test_a_loads_delivery_milestone_releases_the_held_customer_invoice(self):
        self.customer.logistics_invoice_on_delivery = True
        order, sale, picking = self.transport_order()
        order.action_tender()
        self.answer(self.carrier, order, "accepted")
        self.assertFalse(sale.invoice_ids)
        self.status(self.carrier, order, ("X6", 5))
        self.assertFalse(self._releases(picking), "in transit: the invoice still waits")
        self.status(self.carrier, order, ("D1", 1))
        release = self._releases(picking)
        self.assertEqual(len(release), 1)
        release.work_now()
        self.assertEqual(release.state, "done", release.error_text)
        invoice = sale.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.logistics_pod_picking_id, picking)
        self.assertTrue(invoice.logistics_pod_at)

    def _releases(self, picking):
        return self.env["logistics.message"].search(
            [
                ("type_id.code", "=", "billing.invoice_on_delivery"),
                ("res_model", "=", "stock.picking"),
                ("res_id", "=", picking.id),
            ]
        )
