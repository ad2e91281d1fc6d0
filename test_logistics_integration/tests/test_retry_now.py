import json
import socket

from odoo.tests import tagged

from odoo.addons.logistics_integration.tests.common import LoopbackHttpMixin

from logistics_adapters.sandbox import Sandbox

from .common import LogisticsCase


def closed_port():
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestRetryNow(LoopbackHttpMixin, LogisticsCase):
    """After a person fixes a backend's endpoint, its waiting messages go at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # send_now works in a transaction of its own (registry.cursor()): in a test, the
        # test's own.
        if not cls._registry_patched:
            cls.registry_enter_test_mode_cls()
        cls.sandbox = Sandbox(port=0)
        cls.sandbox.start()
        cls.addClassCleanup(cls.sandbox.stop)
        cls.backend.write({"endpoint_url": f"http://127.0.0.1:{closed_port()}"})
        cls.outbound_type.max_attempts = 5

    def setUp(self):
        super().setUp()
        self.sandbox.reset()

    def payload(self, key):
        return json.dumps({"call": "/shipments", "json": {"reference": key}}).encode()

    def fix_endpoint(self):
        self.backend.endpoint_url = self.sandbox.url

    def shipments(self):
        return [r for r in self.sandbox.requests(path="/shipments") if r["status"] == 201]

    def test_retry_now_takes_a_message_waiting_for_its_backoff(self):
        message = self.enqueue("label:RN/1", call="/shipments", json={"reference": "RN/1"})
        self.process()
        self.assertEqual((message.state, message.error_kind), ("retry", "transient"))
        self.fix_endpoint()
        message.action_retry_now()
        self.assertEqual(message.state, "done", "not left waiting for its backoff")
        self.assertEqual(len(self.shipments()), 1)
        self.assertIn("Retried now by", message.message_ids[0].body)

    def test_retry_now_takes_a_pending_message(self):
        self.fix_endpoint()
        message = self.enqueue("label:RN/2", call="/shipments", json={"reference": "RN/2"})
        message.action_retry_now()
        self.assertEqual(message.state, "done")

    def test_retry_now_refuses_done_and_cancelled_messages(self):
        self.fix_endpoint()
        message = self.enqueue("label:RN/3", call="/shipments", json={"reference": "RN/3"})
        self.process()
        with self.assertRaisesRegex(Exception, "Filter the list"):
            message.action_retry_now()

    def test_a_new_validation_sends_a_waiting_request_at_once_with_the_fixed_settings(self):
        key = "label:RN/4"
        first = self.Message.send_now(self.backend, self.outbound_type, self.payload(key), key)
        self.assertEqual((first.state, first.error_kind), ("retry", "transient"))
        self.fix_endpoint()
        again = self.Message.send_now(self.backend, self.outbound_type, self.payload(key), key)
        self.assertEqual(again.state, "done", "worked now, not after its backoff")
        self.assertEqual(again.message_id, first.message_id, "the same request, not a new one")
        self.assertEqual(len(self.shipments()), 1)
