from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.logistics_carrier.tests.common import EASYPOST_EVENT, detail, easypost_event

from .common import CarrierCase


@tagged("post_install", "-at_install")
class TestNotifications(CarrierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "consignee@example.com"
        product = cls.env["product.product"].create({"name": "Shipping", "type": "service"})
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Sandbox parcel",
                "product_id": product.id,
                "logistics_notify_shipped": True,
                "logistics_notify_delivered": True,
                "logistics_notify_exception": True,
            }
        )
        cls.picking.carrier_id = cls.carrier

    def mails(self, template):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "stock.picking"),
                ("res_id", "=", self.picking.id),
                ("subject", "ilike", template),
            ]
        )

    def test_customer_told_once_per_news(self):
        self.receive(EASYPOST_EVENT.read_bytes())
        self.process()
        self.assertEqual(len(self.mails("on its way")), 1)
        self.assertEqual(self.mails("on its way").recipient_ids, self.customer)
        self.receive(easypost_event([detail("in_transit", "2024-08-02T20:00:00Z", "Departed")]))
        self.process()
        self.assertEqual(len(self.mails("on its way")), 1, "no second 'shipped' mail")
        self.receive(easypost_event([detail("out_for_delivery", "2024-08-03T07:00:00Z")]))
        self.process()
        self.assertFalse(self.mails("out for delivery"), "not enabled on this method")
        delivered = easypost_event([detail("delivered", "2024-08-03T10:00:00Z", "Delivered")])
        self.receive(delivered)
        self.process()
        resent = dict(delivered, id="evt_again")
        self.receive(resent)
        self.process()
        self.assertEqual(len(self.mails("was delivered")), 1, "delivered told exactly once")
        self.assertEqual(self.picking.logistics_notified, "delivered,shipped")

    def test_exception_mails_the_customer_and_gives_a_person_an_activity(self):
        self.receive(easypost_event([detail("failure", "2024-08-02T12:00:00Z", "Bad address")]))
        self.process()
        self.assertEqual(len(self.mails("problem")), 1)
        activity = self.picking.activity_ids.filtered(lambda a: a.summary == "Shipment problem")
        self.assertEqual(activity.user_id, self.env.user)
        self.assertIn("Bad address", activity.note)

    def test_stale_shipments_get_one_activity(self):
        self.receive(easypost_event([detail("in_transit", "2024-08-02T10:00:00Z")]))
        self.process()
        self.picking.logistics_last_event_at = fields.Datetime.now() - timedelta(hours=30)
        self.assertTrue(self.picking.logistics_is_stale)
        stale = self.env["stock.picking"].search([("logistics_is_stale", "=", True)])
        self.assertIn(self.picking, stale)
        self.env["stock.picking"]._cron_flag_stale()
        self.env["stock.picking"]._cron_flag_stale()
        summaries = self.picking.activity_ids.mapped("summary")
        self.assertEqual(summaries.count("Stale shipment"), 1)
