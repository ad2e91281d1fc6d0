from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """The demo shows every screen at work, and follows the sandbox where it listens."""

    def test_demo_backends_follow_the_sandbox_port(self):
        backend = self.env.ref("logistics_integration.logistics_backend_sandbox_carrier_demo")
        backend.endpoint_url = "http://127.0.0.1:8075"
        moved = self.env["logistics.demo"]._use_sandbox_port(18075)
        self.assertIn(backend, moved)
        self.assertEqual(backend.endpoint_url, "http://127.0.0.1:18075")
        other = self.env["logistics.backend"].create(
            {"name": "Real", "code": "real-partner", "endpoint_url": "https://api.example.com"}
        )
        self.env["logistics.demo"]._use_sandbox_port(18075)
        self.assertEqual(other.endpoint_url, "https://api.example.com", "only demo backends")

    def test_a_week_of_traffic_with_errors_a_dead_call_and_an_open_circuit(self):
        Message = self.env["logistics.message"]
        done = Message.search([("state", "=", "done")])
        days = {message.done_at.date() for message in done}
        self.assertGreaterEqual(len(days), 7, "done messages over the last week")
        self.assertTrue(all(message.latency_ms and message.duration_ms for message in done))
        errors = Message.search([("state", "=", "error")])
        self.assertGreaterEqual(len(errors), 3)
        self.assertTrue(
            all("then retry" in e.error_text or "again" in e.error_text for e in errors)
        )
        self.assertTrue(Message.search([("state", "=", "dead")]))
        wms = self.env.ref("logistics_integration.logistics_backend_sandbox_wms_demo")
        self.assertEqual(wms.circuit_state, "open")
        self.assertTrue(Message.search([("backend_id", "=", wms.id), ("state", "=", "pending")]))

    def test_an_edi_partners_day_shows_every_acknowledgement_state(self):
        tms = self.env.ref("logistics_integration.logistics_backend_sandbox_tms_demo")
        interchanges = self.env["logistics.edi.interchange"].search([("backend_id", "=", tms.id)])
        sent = interchanges.filtered(lambda interchange: interchange.direction == "outbound")
        self.assertEqual(
            set(sent.mapped("ack_state")), {"accepted", "rejected", "overdue", "expected"}
        )
        received = interchanges - sent
        self.assertTrue(any(received.mapped("duplicate_count")), "a file sent twice")
        self.assertTrue(any(received.mapped("discrepancy_count")), "a count that is wrong")
        Message = self.env["logistics.message"]
        waiting = Message.search([("backend_id", "=", tms.id), ("state", "=", "error")])
        self.assertEqual(waiting.mapped("flow"), ["edi.unrouted"])
        acks = Message.search([("backend_id", "=", tms.id), ("flow", "=", "edi.ack")])
        self.assertEqual(set(acks.mapped("state")), {"done"})
        self.assertTrue(acks and all("997" in kind for kind in acks.mapped("edi_document")))
