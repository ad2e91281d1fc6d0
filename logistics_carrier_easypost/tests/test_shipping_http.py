import json

from odoo.tests import HttpCase, tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME, _registry_test_lock

from logistics_adapters.partners.easypost.sandbox import EasyPostCarrier
from logistics_adapters.sandbox import Sandbox
from logistics_adapters.transport.signatures import get_scheme

from .test_shipping import API_KEY, ShippingCase

WEBHOOK_SECRET = "easypost-webhook-secret"


@tagged("post_install", "-at_install")
class TestShippingEndToEnd(ShippingCase, HttpCase):
    """Sale order to delivered over HTTP: Odoo -> sandbox EasyPost -> signed webhooks -> Odoo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.invoice_policy = "delivery"
        cls.carrier.write(
            {
                "logistics_notify_shipped": True,
                "logistics_notify_delivered": True,
            }
        )

    def mails(self, picking, subject):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "stock.picking"),
                ("res_id", "=", picking.id),
                ("subject", "ilike", subject),
            ]
        )

    def ship(self, sandbox, carrier, deliveries):
        """Sell, rate, confirm and validate; wait for the tracker's webhooks; process them.

        The test thread holds the test lock while it works on the test transaction, so the
        webhooks that arrive meanwhile wait for their turn instead of sharing its cursor.
        """
        with _registry_test_lock:
            picking = self.shipped_order()
            order = picking.sale_id
            picking.button_validate()
            self.assertEqual(picking.state, "done")
            self.assertTrue(picking.carrier_tracking_ref, "label bought and applied")
            self.assertFalse(order.invoice_ids)
        records = sandbox.wait_deliveries(deliveries, timeout=30)
        with _registry_test_lock:
            self.process()
        return picking, order, records

    def test_sale_order_to_invoice_with_webhooks_in_order_out_of_order_and_duplicated(self):
        with self.allow_requests():
            cookie = f"{TEST_CURSOR_COOKIE_NAME}={self.opener.cookies[TEST_CURSOR_COOKIE_NAME]}"
            carrier = EasyPostCarrier(
                api_key=API_KEY,
                webhook_url=f"{self.base_url()}/logistics/inbound/{self.backend.code}",
                webhook_secret=WEBHOOK_SECRET,
                interval=0.1,
                webhook_options={"headers": {"Cookie": cookie}},
            )
            with Sandbox(port=0, route_sets=[carrier]) as sandbox:
                carrier.attach(sandbox)
                self.backend.endpoint_url = f"{sandbox.url}/v2"

                # In order, once each.
                first, first_order, records = self.ship(sandbox, carrier, 4)
                self.assertEqual([r["status_code"] for r in records], [202] * 4)

                # Out of order and three times each.
                carrier.webhook_options.update(duplicate=3, shuffle=11)
                second, second_order, records = self.ship(sandbox, carrier, 4 + 12)
                statuses = sorted(r["status_code"] for r in records[4:])
                self.assertEqual(statuses, [200] * 8 + [202] * 4, "duplicates answered 200")
                buys = [r for r in sandbox.requests(method="POST") if r["path"].endswith("/buy")]

        self.assertEqual(len(buys), 2, "one label per delivery")
        for picking, order in ((first, first_order), (second, second_order)):
            with self.subTest(picking=picking.name):
                self.assertEqual(picking.logistics_status, "delivered")
                self.assertTrue(picking.logistics_delivered_at)
                self.assertEqual(picking.logistics_signed_by, "CONSIGNEE LTD")
                events = picking.logistics_event_ids
                self.assertEqual(len(events), 4, "each tracker step recorded once")
                self.assertEqual(len(self.mails(picking, "delivered")), 1, "told once")
                self.assertEqual(len(self.mails(picking, "on its way")), 1, "told once")
                # Invoiced once delivered (freight billing's proof of delivery does it
                # without a person; its own tests): the delivered quantity and the label's
                # real cost.
                invoice = order._create_invoices()
                self.assertEqual(len(invoice), 1, picking.message_ids.mapped("body"))
                line = invoice.invoice_line_ids.filtered(
                    lambda line: line.product_id == self.product
                )
                self.assertEqual(line.quantity, 1)
                shipping = invoice.invoice_line_ids.filtered(
                    lambda line: line.product_id == self.carrier.product_id
                )
                self.assertAlmostEqual(shipping.price_unit, 9.35, msg="real cost invoiced")

        # A late redelivery of the whole first timeline changes nothing.
        messages = self.env["logistics.message"].search(
            [("backend_id", "=", self.backend.id), ("flow", "=", "carrier.tracking.easypost")]
        )
        self.assertEqual(len(messages), 8, "four tracker.updated events per delivery")
        self.assertEqual(sum(messages.mapped("received_count")), 4 + 12)
        scheme = get_scheme("easypost-hmac")
        for message in messages.filtered(lambda m: first.carrier_tracking_ref in m.partner_ref):
            body = message.get_payload()
            response = self.url_open(
                f"/logistics/inbound/{self.backend.code}",
                data=body,
                headers={"Content-Type": "application/json", **scheme.sign(body, WEBHOOK_SECRET)},
            )
            self.assertEqual(response.status_code, 200, response.text)
        self.process()
        self.assertEqual(len(self.mails(first, "delivered")), 1)
        self.assertEqual(len(first.logistics_event_ids), 4)
        self.assertEqual(json.loads(messages[0].get_payload())["object"], "Event")
