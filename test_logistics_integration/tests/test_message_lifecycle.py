from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LogisticsCase


@tagged("post_install", "-at_install")
class TestMessageLifecycle(LogisticsCase):
    def test_pending_to_done_applies_the_effect_once(self):
        message = self.receive(ref="SO001")
        self.assertEqual(message.state, "pending")
        self.assertTrue(message.name.startswith("LGM/"))
        self.assertEqual(message.partner_ref, "SO001")
        self.assertEqual(self.process(), message)
        self.assertEqual(message.state, "done")
        self.assertEqual(message.attempts, 1)
        self.assertTrue(message.done_at)
        self.assertGreaterEqual(message.duration_ms, 0)
        self.assertEqual(len(self.effects(message)), 1)
        # A done message is never claimed again.
        self.assertFalse(self.process())
        self.assertEqual(len(self.effects(message)), 1)

    def test_concurrent_change_defers_without_counting_a_failure(self):
        message = self.receive(ref="SO409", outcome="conflict")
        before = fields.Datetime.now()
        self.process()
        self.assertEqual(message.state, "pending", "not a failure of the message")
        self.assertEqual(message.attempts, 0, "the attempt is given back")
        self.assertFalse(message.error_kind)
        self.assertFalse(self.effects(message), "its effects were rolled back")
        self.assertLessEqual(message.next_attempt_at, before + timedelta(seconds=2))
        self.assertFalse(self.process(), "not claimed again before its second")
        self.make_due(message)
        self.assertEqual(self.process(), message, "taken again once due")

    def test_timings_are_measured_in_milliseconds(self):
        message = self.receive(ref="slow", sleep=0.08)
        self.process()
        self.assertGreaterEqual(message.duration_ms, 80)
        self.assertLess(message.duration_ms, 5000)
        self.assertGreaterEqual(message.latency_ms, message.duration_ms)

    def test_business_failure_waits_for_a_person(self):
        message = self.receive(ref="SO404", outcome="business")
        self.process()
        self.assertEqual(message.state, "error")
        self.assertEqual(message.error_kind, "business")
        self.assertIn("SO404 unknown", message.error_text)
        self.assertIn("BusinessError", message.error_traceback)
        self.assertEqual(message.error_summary, "order SO404 unknown to the partner")
        self.assertFalse(message.next_attempt_at)
        # The failed attempt's effect was rolled back with its savepoint.
        self.assertFalse(self.effects(message))
        self.assertFalse(self.process(), "an error message is not retried automatically")

    def test_security_failure_is_filed_as_security(self):
        message = self.receive(outcome="security")
        self.process()
        self.assertEqual((message.state, message.error_kind), ("error", "security"))

    def test_invalid_payload_is_a_business_error(self):
        message, _created = self.Message.store_inbound(
            self.backend, self.inbound_type, b"\xff not json", idempotency_key="bad-1"
        )
        self.process()
        self.assertEqual((message.state, message.error_kind), ("error", "business"))
        self.assertIn("not JSON", message.error_text)

    def test_transient_failure_retries_then_succeeds(self):
        message = self.receive(ref="SO002", fail_times=1)
        before = fields.Datetime.now()
        self.process()
        self.assertEqual(message.state, "retry")
        self.assertEqual(message.error_kind, "transient")
        self.assertEqual(message.attempts, 1)
        # Pattern "10, 60, 300" without jitter: the first retry waits 10 seconds.
        self.assertAlmostEqual((message.next_attempt_at - before).total_seconds(), 10, delta=2)
        self.assertFalse(self.process(), "not claimed before its next attempt time")
        self.make_due(message)
        self.process()
        self.assertEqual(message.state, "done")
        self.assertEqual(message.attempts, 2)
        self.assertFalse(message.error_kind)
        self.assertEqual(len(self.effects(message)), 1)

    def test_dead_after_max_attempts(self):
        message = self.receive(outcome="transient")
        for attempt in range(1, 4):
            self.make_due(message)
            self.process()
            self.assertEqual(message.attempts, attempt)
        self.assertEqual(message.state, "dead")
        self.assertFalse(message.next_attempt_at)
        self.make_due(message)
        self.assertFalse(self.process())

    def test_retry_action_gives_a_fresh_budget(self):
        message = self.receive(outcome="business")
        self.process()
        message.action_retry()
        self.assertEqual((message.state, message.attempts), ("pending", 0))
        self.assertFalse(message.error_text)
        self.assertIn("Retried by", message.message_ids[0].body)

    def test_retry_refuses_messages_not_failed(self):
        message = self.receive()
        with self.assertRaisesRegex(Exception, "Filter the list"):
            message.action_retry()

    def test_cancel_stops_the_work(self):
        message = self.receive()
        message.action_cancel()
        self.assertEqual(message.state, "cancelled")
        self.assertFalse(self.process())
        self.assertTrue(message.exists(), "a cancelled message stays for audit")

    def test_priority_then_age(self):
        urgent_type = self._make_type("test.urgent", "inbound", priority=1)
        first = self.receive(ref="first")
        urgent = self.receive(message_type=urgent_type, ref="urgent")
        second = self.receive(ref="second")
        claimed = self.processor._claim(10)
        self.assertEqual(claimed.ids, [urgent.id, first.id, second.id])

    def test_arrival_wakes_the_processor(self):
        cron = self.env.ref("logistics_integration.ir_cron_logistics_process")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.receive(ref="wake")
        new = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers
        self.assertTrue(new)
        self.assertLessEqual(new[0].call_at, fields.Datetime.now() + timedelta(seconds=1))

    def test_parallel_processors_are_woken_together(self):
        settings = self.env["res.config.settings"].create({"logistics_processors": 3})
        settings.execute()
        crons = self.processor._processor_crons()
        self.assertEqual(crons.mapped("active"), [True, True, True, False])
        self.assertEqual(self.env["res.config.settings"].create({}).logistics_processors, 3)
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "in", crons.ids)])
        self.receive(ref="wake-all")
        woken = (Trigger.search([("cron_id", "in", crons.ids)]) - before).mapped("cron_id")
        self.assertEqual(woken, crons[:3])
        self.env["res.config.settings"].create({"logistics_processors": 9}).execute()
        self.assertTrue(all(crons.mapped("active")), "at most four")

    def test_batch_is_bounded(self):
        for index in range(5):
            self.receive(ref=f"B{index}")
        self.assertEqual(len(self.processor.process_batch(batch_size=3)), 3)
        self.assertEqual(len(self.processor.process_batch(batch_size=3)), 2)

    def test_the_flow_due_first_sizes_the_batch(self):
        self.env["ir.config_parameter"].set_param("logistics_integration.batch_size", 2)
        bulk_type = self._make_type("test.bulk", "inbound", priority=1)
        bulk_type.batch_size = 4
        small = [self.receive(ref=f"S{index}") for index in range(6)]
        bulk = [self.receive(message_type=bulk_type, ref=f"K{index}") for index in range(5)]
        self.assertEqual(self.processor.process_batch().ids, [m.id for m in bulk[:4]])
        led_by_bulk = self.processor.process_batch()
        self.assertEqual(led_by_bulk.ids, [m.id for m in bulk[4:] + small[:3]])
        self.assertEqual(self.processor.process_batch().ids, [m.id for m in small[3:5]])
        self.assertEqual(self.processor.process_batch(batch_size=9).ids, [small[5].id])
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            bulk_type.batch_size = -1
            bulk_type.flush_recordset()

    def test_failure_assigns_an_activity_to_the_responsible(self):
        self.backend.user_id = self.env.user
        self.receive(outcome="business")
        self.receive(outcome="business")
        self.process()
        activities = self.backend.activity_ids.filtered(lambda a: a.user_id == self.env.user)
        self.assertEqual(len(activities), 1, "one activity per backend, not per message")

    def test_backend_counters(self):
        self.receive(ref="a")
        self.receive(ref="b", outcome="business")
        self.process()
        self.receive(ref="c")
        self.backend.invalidate_recordset()
        self.assertEqual(self.backend.pending_count, 1)
        self.assertEqual(self.backend.error_count, 1)
        self.assertTrue(self.backend.last_success_at)
        self.assertTrue(self.backend.oldest_pending_at)

    def test_related_record_and_correlation(self):
        partner = self.env["res.partner"].create({"name": "Consignee"})
        message, _created = self.Message.store_inbound(
            self.backend,
            self.inbound_type,
            b'{"ref": "X"}',
            record=partner,
            correlation_id="corr-1",
        )
        self.assertEqual(message.record_ref, partner)
        self.assertEqual(message.action_open_record()["res_id"], partner.id)
        child, _created = self.Message.enqueue_outbound(
            self.backend, self.outbound_type, b"{}", "child-1", parent=message
        )
        self.assertEqual(child.correlation_id, "corr-1")
        self.assertEqual(message.child_count, 1)
