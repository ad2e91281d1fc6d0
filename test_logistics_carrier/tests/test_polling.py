import responses

from odoo.tests import tagged

from odoo.addons.logistics_carrier_easypost.tests.common import EASYPOST_EVENT, CarrierCase
from odoo.addons.logistics_integration.tests.common import LoopbackHttpMixin

UPS_SAMPLE = EASYPOST_EVENT.parent / "ups_track_api_response_delivered.json"
BASE = "http://127.0.0.1:9/ups"


@tagged("post_install", "-at_install")
class TestTrackingPolling(LoopbackHttpMixin, CarrierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ups = cls.env["logistics.backend"].create(
            {
                "name": "UPS",
                "code": "ups-poll-test",
                "provider": "ups",
                "endpoint_url": BASE,
                "auth_mode": "bearer",
                "secret": "ups-token-123456",
                "tracking_poll_type_id": cls.env.ref(
                    "logistics_carrier.logistics_message_type_poll_ups"
                ).id,
            }
        )
        product = cls.env["product.product"].create({"name": "UPS Ground", "type": "service"})
        cls.carrier = cls.env["delivery.carrier"].create(
            {"name": "UPS Ground", "product_id": product.id, "logistics_backend_id": cls.ups.id}
        )
        cls.ups_picking = cls._make_picking("1Z1442YY7229014688")
        cls.ups_picking.write(
            {"carrier_id": cls.carrier.id, "state": "done", "date_done": "2026-11-20 10:00:00"}
        )

    @responses.activate
    def test_polled_answer_is_stored_and_applied_like_a_webhook(self):
        responses.get(
            f"{BASE}/api/track/v1/details/1Z1442YY7229014688",
            body=UPS_SAMPLE.read_bytes(),
            content_type="application/json",
        )
        self.env["logistics.tracking.poll"]._poll()
        message = self.env["logistics.message"].search([("backend_id", "=", self.ups.id)])
        self.assertEqual(message.record_ref, self.ups_picking)
        self.assertEqual(message.get_payload(), UPS_SAMPLE.read_bytes())
        self.assertEqual(
            responses.calls[0].request.headers["Authorization"], "Bearer ups-token-123456"
        )
        self.process()
        self.assertEqual(message.state, "done", message.error_text)
        self.assertEqual(self.ups_picking.logistics_status, "delivered")
        # Delivered: no more polling.
        self.env["logistics.tracking.poll"]._poll()
        self.assertEqual(len(responses.calls), 1)

    @responses.activate
    def test_carrier_outage_skips_and_keeps_polling_later(self):
        responses.get(f"{BASE}/api/track/v1/details/1Z1442YY7229014688", status=503)
        self.env["logistics.tracking.poll"]._poll()
        self.assertFalse(self.env["logistics.message"].search([("backend_id", "=", self.ups.id)]))
        self.assertFalse(self.ups_picking.logistics_status)
        self.assertEqual(
            self.env["logistics.tracking.poll"]._pickings_to_poll(self.ups, 10), self.ups_picking
        )
