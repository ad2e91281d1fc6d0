from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import LogisticsCase


@tagged("post_install", "-at_install")
class TestRetention(LogisticsCase):
    def setUp(self):
        super().setUp()
        # Only this test's messages: the demo data's week of traffic is older than a day.
        self.env.cr.execute(
            "DELETE FROM logistics_message WHERE backend_id != %s", [self.backend.id]
        )

    def _age(self, messages, days):
        self.env.cr.execute(
            "UPDATE logistics_message SET done_at = %s WHERE id = ANY(%s)",
            (fields.Datetime.now() - timedelta(days=days), messages.ids),
        )
        messages.invalidate_recordset()

    def test_purges_old_done_messages_in_batches(self):
        self.env["ir.config_parameter"].set_param("logistics_integration.retention_days", 30)
        old = self.Message.browse()
        for index in range(5):
            old |= self.receive(ref=f"old-{index}")
        recent = self.receive(ref="recent")
        failed = self.receive(ref="failed", outcome="business")
        self.process()
        self._age(old, 31)
        self._age(failed, 90)  # done_at is not set on failures; state decides anyway
        progress = []

        def commit(processed, remaining):
            progress.append((processed, remaining))
            return 60.0  # seconds left in the cron run

        self.assertEqual(self.processor._purge_done(batch_size=2, commit=commit), 5)
        self.assertEqual(progress, [(2, 3), (2, 1), (1, 0)])
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
        self.assertTrue(failed.exists(), "only done messages are purged")

    def test_zero_days_keeps_everything(self):
        self.env["ir.config_parameter"].set_param("logistics_integration.retention_days", 0)
        message = self.receive()
        self.process()
        self._age(message, 400)
        self.assertEqual(self.processor._purge_done(), 0)
        self.assertTrue(message.exists())

    def test_stops_when_the_cron_runs_out_of_time(self):
        self.env["ir.config_parameter"].set_param("logistics_integration.retention_days", 1)
        messages = self.receive(ref="a") | self.receive(ref="b") | self.receive(ref="c")
        self.process()
        self._age(messages, 2)
        purged = self.processor._purge_done(batch_size=1, commit=lambda *args, **kw: 0)
        self.assertEqual(purged, 1, "no time left after the first batch")
        self.assertEqual(len(messages.exists()), 2)

    def test_old_security_events_are_purged_too(self):
        self.env["ir.config_parameter"].set_param("logistics_integration.retention_days", 30)
        Event = self.env["logistics.security.event"]
        old = Event.create({"backend_id": self.backend.id, "reason": "signature mismatch"})
        recent = Event.create({"backend_id": self.backend.id, "reason": "missing header"})
        self.env.cr.execute(
            "UPDATE logistics_security_event SET create_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=31), old.id),
        )
        self.assertEqual(self.processor._purge_security_events(), 1)
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
