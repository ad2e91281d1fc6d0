from odoo.tests import tagged

from odoo.addons.logistics_integration.tests.common import LoopbackHttpMixin

from logistics_adapters.sandbox import Sandbox

from .common import LogisticsCase

API_KEY = "sk-live-1234567890abcdef"


@tagged("post_install", "-at_install")
class TestOutboundThroughTheSandbox(LoopbackHttpMixin, LogisticsCase):
    """Real HTTP from the processor to the local partner sandbox."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = Sandbox(port=0)
        cls.sandbox.start()
        cls.addClassCleanup(cls.sandbox.stop)
        cls.backend.write(
            {
                "endpoint_url": cls.sandbox.url,
                "auth_mode": "bearer",
                "secret": API_KEY,
                "timeout_read": 2.0,
            }
        )
        cls.outbound_type.max_attempts = 5

    def setUp(self):
        super().setUp()
        self.sandbox.reset()

    def shipment(self, key, **data):
        return self.enqueue(key, call="/shipments", json={"reference": key, **data})

    def test_call_carries_idempotency_correlation_and_auth_and_is_recorded_masked(self):
        message = self.shipment("label:PICK/1:1")
        self.process()
        self.assertEqual(message.state, "done")
        [request] = self.sandbox.requests(path="/shipments")
        headers = {name.lower(): value for name, value in request["headers"].items()}
        self.assertEqual(headers["idempotency-key"], "label:PICK/1:1")
        self.assertEqual(headers["x-correlation-id"], message.correlation_id)
        self.assertEqual(headers["authorization"], f"Bearer {API_KEY}")
        self.assertIn("POST", message.request_record)
        self.assertIn('"tracking_number"', message.response_record)
        self.assertNotIn(API_KEY, message.request_record + message.response_record)
        self.env.cr.execute(
            "SELECT request_record FROM logistics_message WHERE id = %s", [message.id]
        )
        self.assertNotIn(API_KEY, self.env.cr.fetchone()[0])

    def test_partner_5xx_is_retried_with_its_retry_after_then_bought_once(self):
        self.sandbox.add_fault(mode="5xx", count=1, retry_after=120)
        message = self.shipment("label:PICK/2:1")
        self.process()
        self.assertEqual(message.state, "retry")
        self.assertIn("503", message.error_text)
        self.assertIn("503", message.response_record, "the failed answer is kept")
        delay = (message.next_attempt_at - message.started_at).total_seconds()
        self.assertGreaterEqual(delay, 119, "Retry-After honoured")
        self.make_due(message)
        self.process()
        self.assertEqual(message.state, "done")
        created = [
            record for record in self.sandbox.requests(path="/shipments") if record["status"] == 201
        ]
        self.assertEqual(len(created), 1, "one shipment bought")

    def test_timeout_is_transient(self):
        self.sandbox.add_fault(mode="timeout", count=1)
        message = self.shipment("label:PICK/3:1")
        self.process()
        self.assertEqual((message.state, message.error_kind), ("retry", "transient"))

    def test_partner_4xx_is_a_business_error(self):
        message = self.enqueue("label:PICK/4:1", call="/shipments", json=[1, 2])
        self.process()
        self.assertEqual((message.state, message.error_kind), ("error", "business"))
        self.assertIn("400", message.error_text)
