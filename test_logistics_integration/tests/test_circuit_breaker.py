from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import LogisticsCase


@tagged("post_install", "-at_install")
class TestCircuitBreaker(LogisticsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend.write({"circuit_threshold": 3, "circuit_cooldown": 60})
        cls.outbound_type.max_attempts = 10

    def _cool_down(self):
        past = fields.Datetime.now() - timedelta(seconds=61)
        self.env.cr.execute(
            "UPDATE logistics_backend SET circuit_opened_at = %s WHERE id = %s",
            (past, self.backend.id),
        )
        self.backend.invalidate_recordset()

    def _fail_three(self):
        messages = self.Message.browse()
        for index in range(3):
            messages |= self.enqueue(f"down-{index}", outcome="transient")
        self.process()
        return messages

    def test_opens_after_consecutive_transient_failures(self):
        messages = self._fail_three()
        self.assertEqual(self.backend.circuit_state, "open")
        self.assertEqual(self.backend.circuit_failures, 3)
        self.assertTrue(self.backend.circuit_opened_at)
        self.assertIn("Closed → Open", self.backend.message_ids[0].body)
        # While open, nothing of this backend is claimed, even when due.
        self.make_due(messages)
        self.enqueue("while-open")
        self.assertFalse(self.process())

    def test_business_failures_do_not_open_it(self):
        for index in range(4):
            self.enqueue(f"bad-{index}", outcome="business")
        self.process()
        self.assertEqual(self.backend.circuit_state, "closed")

    def test_half_open_lets_one_trial_through_and_closes_on_success(self):
        messages = self._fail_three()
        self._cool_down()
        messages.unlink()  # keep only healthy work behind the circuit
        healthy = self.enqueue("h1") | self.enqueue("h2") | self.enqueue("h3")
        trial = self.process()
        self.assertEqual(len(trial), 1, "half-open: one trial message")
        self.assertEqual(trial.state, "done")
        self.assertEqual(self.backend.circuit_state, "closed")
        self.assertEqual(self.backend.circuit_failures, 0)
        self.assertEqual(len(self.process()), 2, "closed again: the rest flows")
        self.assertEqual(set(healthy.mapped("state")), {"done"})

    def test_failed_trial_reopens(self):
        messages = self._fail_three()
        self._cool_down()
        self.make_due(messages)
        trial = self.process()
        self.assertEqual(len(trial), 1)
        self.assertEqual(self.backend.circuit_state, "open")
        self.assertFalse(self.process(), "re-opened: wait for another cool-down")

    def test_other_backends_keep_flowing(self):
        self._fail_three()
        other = self._make_backend("healthy-backend")
        message = self.enqueue("other-1", backend=other)
        self.assertEqual(self.process(), message)

    def test_manager_can_close_it_by_hand(self):
        self._fail_three()
        self.backend.action_reset_circuit()
        self.assertEqual(self.backend.circuit_state, "closed")
        self.assertIn("by hand", self.backend.message_ids[0].body)

    def test_inbound_work_flows_while_the_partner_api_is_down(self):
        """The breaker guards the partner's API: its webhooks still reach Odoo."""
        self._fail_three()
        self.assertEqual(self.backend.circuit_state, "open")
        arrived = self.receive(ref="webhook-1")
        self.assertEqual(self.process(), arrived)
        self.assertEqual(arrived.state, "done")
        self.assertEqual(self.backend.circuit_state, "open", "inbound work is no trial")

    def test_half_open_trial_is_an_outbound_call(self):
        messages = self._fail_three()
        self._cool_down()
        messages.unlink()
        inbound = self.receive(ref="webhook-2") | self.receive(ref="webhook-3")
        self.assertEqual(self.process(), inbound, "inbound messages are all claimed")
        self.assertEqual(self.backend.circuit_state, "open", "no outbound call: no trial yet")
        call = self.enqueue("after-cool-down")
        self.assertEqual(self.process(), call)
        self.assertEqual(self.backend.circuit_state, "closed", "the outbound trial closed it")
