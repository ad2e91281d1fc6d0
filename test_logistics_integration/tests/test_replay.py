from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LogisticsCase


@tagged("post_install", "-at_install")
class TestReplay(LogisticsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._make_user("lgm_manager", "logistics_integration.group_logistics_manager")
        cls.user = cls._make_user("lgm_user", "logistics_integration.group_logistics_user")

    def _wizard(self, messages):
        return (
            self.env["logistics.message.replay"]
            .with_context(active_model="logistics.message", active_ids=messages.ids)
            .create({"reason": "carrier fixed its mapping"})
        )

    def test_dry_run_says_what_would_happen_and_changes_nothing(self):
        failed = self.receive(ref="F", outcome="business")
        done = self.receive(ref="D")
        pending = self.receive(ref="P", fail_times=5)
        self.process()
        self.assertEqual((failed.state, done.state, pending.state), ("error", "done", "retry"))
        wizard = self._wizard(failed | done | pending)
        wizard.action_dry_run()
        self.assertIn(
            "Dry run, nothing changed: 2 message(s) would be replayed and 1 skipped", wizard.result
        )
        self.assertIn(f"{failed.name} (error, 1 attempts): back to pending", wizard.result)
        self.assertIn(f"{done.name} (done): processed again as a new message", wizard.result)
        self.assertIn(f"{pending.name} (retry): skipped", wizard.result)
        self.assertEqual((failed.state, done.state, pending.state), ("error", "done", "retry"))
        self.assertFalse(done.child_ids)

    def test_replay_requeues_failed_and_copies_done(self):
        failed = self.receive(ref="F", outcome="business")
        done = self.receive(ref="D")
        self.process()
        wizard = self._wizard(failed | done)
        wizard.action_replay()
        self.assertIn("Replayed 2 message(s), skipped 0; 1 new message(s)", wizard.result)
        self.assertEqual((failed.state, failed.attempts), ("pending", 0))
        self.assertIn("carrier fixed its mapping", failed.message_ids[0].body)
        copy = done.child_ids
        self.assertEqual(len(copy), 1)
        self.assertEqual(copy.idempotency_key, f"{done.idempotency_key}#replay-1")
        self.assertEqual(copy.get_payload(), done.get_payload())
        self.assertEqual(copy.state, "pending")
        self.assertEqual(done.state, "done")
        self.process()
        self.assertEqual(copy.state, "done")
        # A second replay of the same done message is a new copy, not a duplicate.
        self._wizard(done).action_replay()
        self.assertEqual(len(done.child_ids), 2)

    def test_edit_before_replay_keeps_the_original_and_audits(self):
        failed = self.receive(ref="SO9", outcome="business")
        original = failed.get_payload()
        self.process()
        wizard = (
            self.env["logistics.message.edit"]
            .with_user(self.manager)
            .create({"message_id": failed.id, "reason": "wrong order number from the 3PL"})
        )
        self.assertEqual(wizard.payload, original.decode())
        wizard.payload = wizard.payload.replace('"business"', '"ok"')
        action = wizard.action_replay_edited()
        copy = self.Message.browse(action["res_id"])
        self.assertEqual(failed.get_payload(), original, "the original is never rewritten")
        self.assertEqual(copy.get_payload(), original.replace(b'"business"', b'"ok"'))
        self.assertIn('-{"outcome": "business"', copy.edit_diff)
        self.assertIn('+{"outcome": "ok"', copy.edit_diff)
        self.assertEqual(copy.parent_id, failed)
        self.assertEqual(failed.state, "cancelled", "the failed original is superseded")
        for message in (failed, copy):
            body = message.message_ids[0].body
            self.assertIn("wrong order number from the 3PL", body)
            self.assertIn(self.manager.name, body)
        self.assertEqual(copy.message_ids[0].author_id, self.manager.partner_id)
        self.process()
        self.assertEqual(copy.state, "done")

    def test_edit_is_for_managers_only(self):
        failed = self.receive(outcome="business")
        self.process()
        with self.assertRaises(AccessError):
            self.env["logistics.message.edit"].with_user(self.user).create(
                {"message_id": failed.id, "reason": "try"}
            )
        with self.assertRaises(AccessError):
            failed.with_user(self.user)._replay_edited(b"{}", "try")

    def test_edit_needs_a_change_and_a_reason(self):
        failed = self.receive(outcome="business")
        self.process()
        manager_failed = failed.with_user(self.manager)
        with self.assertRaisesRegex(UserError, "identical"):
            manager_failed._replay_edited(failed.get_payload(), "no change")
        with self.assertRaisesRegex(UserError, "reason"):
            manager_failed._replay_edited(b"{}", " ")

    def test_user_can_retry_and_assign(self):
        failed = self.receive(outcome="business")
        self.process()
        failed.with_user(self.user).action_retry()
        self.assertEqual(failed.state, "pending")
        self.process()
        self.env["logistics.message.assign"].with_user(self.user).with_context(
            active_ids=failed.ids
        ).create({"user_id": self.manager.id, "note": "call the partner"}).action_assign()
        self.assertEqual(failed.user_id, self.manager)
        self.assertEqual(failed.activity_ids.user_id, self.manager)
