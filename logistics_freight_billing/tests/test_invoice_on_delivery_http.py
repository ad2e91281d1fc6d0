from datetime import datetime

import requests

from odoo.tests import HttpCase, tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME, _registry_test_lock

from odoo.addons.logistics_carrier.tests.common import TrackingCase, shipped_order
from odoo.addons.logistics_integration.tests.common import LoopbackHttpMixin

from logistics_adapters.partners.easypost.sandbox import EasyPostCarrier
from logistics_adapters.sandbox import Sandbox

from .common import stock_and_pod_carrier

API_KEY = "sandbox-api-key"
WEBHOOK_SECRET = "easypost-webhook-secret"


@tagged("post_install", "-at_install")
class TestInvoiceOnDeliveryHttp(LoopbackHttpMixin, TrackingCase, HttpCase):
    """Proof of delivery over real HTTP: the sandbox EasyPost tracks a parcel the suite
    shipped and sends its signed tracker webhooks to Odoo; the delivered one releases the
    held customer invoice, posted, with who signed and when."""

    FLOW = "logistics_carrier.logistics_message_type_tracking_easypost"
    TRACKING_REF = "9400100000000000000099"

    @classmethod
    def _backend_vals(cls):
        return {
            "name": "EasyPost (proof of delivery)",
            "code": "easypost-pod-http",
            "provider": "easypost",
            "signature_scheme": "easypost-hmac",
            "webhook_secret": WEBHOOK_SECRET,
        }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product, cls.carrier = stock_and_pod_carrier(cls.env, "Parcel with proof of delivery")

    def test_the_delivered_webhook_releases_the_held_invoice(self):
        order, picking = shipped_order(
            self.env, self.customer, self.product, self.carrier, "9400100000000000000123"
        )
        self.assertFalse(order.invoice_ids, "held until proof of delivery")
        with self.allow_requests():
            cookie = f"{TEST_CURSOR_COOKIE_NAME}={self.opener.cookies[TEST_CURSOR_COOKIE_NAME]}"
            easypost = EasyPostCarrier(
                api_key=API_KEY,
                webhook_url=f"{self.base_url()}/logistics/inbound/{self.backend.code}",
                webhook_secret=WEBHOOK_SECRET,
                interval=0.1,
                webhook_options={"headers": {"Cookie": cookie}},
            )
            self._follow(easypost, picking.carrier_tracking_ref)
        with _registry_test_lock:
            self.process()

        self.assertEqual(picking.logistics_status, "delivered")
        releases = self.env["logistics.message"].search(
            [("flow", "=", "billing.invoice_on_delivery"), ("res_id", "=", picking.id)]
        )
        self.assertEqual(releases.mapped("state"), ["done"], releases.error_text)
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1, picking.message_ids.mapped("body"))
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_line_ids.quantity, 3)
        self.assertEqual(invoice.logistics_pod_picking_id, picking)
        self.assertEqual(invoice.logistics_pod_signed_by, "SANDBOX RECIPIENT")
        self.assertIsInstance(invoice.logistics_pod_at, datetime)
        self.assertEqual(invoice.logistics_pod_at, picking.logistics_delivered_at)

    def _follow(self, easypost, tracking_ref):
        """Ask the sandbox EasyPost to track ``tracking_ref``, as a tracking service is
        asked to follow a number, and wait for its four webhooks to be answered."""
        with Sandbox(port=0, route_sets=[easypost]) as sandbox:
            easypost.attach(sandbox)
            response = requests.post(
                f"{sandbox.url}/v2/trackers",
                json={"tracker": {"tracking_code": tracking_ref}},
                auth=(API_KEY, ""),
                timeout=10,
            )
            self.assertEqual(response.status_code, 200, response.text)
            records = sandbox.wait_deliveries(4, timeout=30)
        self.assertEqual([record["status_code"] for record in records], [202] * 4)
