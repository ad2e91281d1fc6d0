from datetime import timedelta

from odoo import fields
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
        self.assertTrue(copy.idempotency_key.startswith(f"{done.idempotency_key}#replay-"))
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

    def _edit(self, message, edit, reason="corrected by the manager"):
        """Replay ``message`` edited through the wizard; ``edit(text)`` is the person's
        change. Return the copy."""
        wizard = (
            self.env["logistics.message.edit"]
            .with_user(self.manager)
            .create({"message_id": message.id, "reason": reason})
        )
        wizard.payload = edit(wizard.payload)
        return self.Message.browse(wizard.action_replay_edited()["res_id"])

    def _failed_file(self, payload, key):
        message, _created = self.Message.store_inbound(
            self.backend, self.inbound_type, payload, idempotency_key=key, content_type="text/plain"
        )
        self.process()
        self.assertEqual(message.state, "error", "the fake partner reads JSON only")
        return message

    def test_every_replay_is_a_new_copy_even_after_copies_were_purged(self):
        done = self.receive(ref="D2")
        self.process()
        first, second = done.replay() | done.replay()
        self.process()
        self.env["ir.config_parameter"].set_param("logistics_integration.retention_days", 30)
        self.env.cr.execute(
            "UPDATE logistics_message SET done_at = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(days=31), first.id],
        )
        self.processor._purge_done()
        self.assertFalse(first.exists(), "the first copy went with retention")
        second_diff = second.edit_diff
        third = self._edit(done, lambda text: text.replace('"D2"', '"D3"'))
        self.assertNotIn(third, first | second, "a new copy, not an old one")
        self.assertEqual((third.state, third.parent_id), ("pending", done))
        self.assertIn('+{"ref": "D3"}', third.edit_diff)
        self.assertEqual(second.edit_diff, second_diff, "the other copy's audit is untouched")
        self.assertEqual(len(done.child_ids), 2)

    def test_edit_keeps_a_crlf_x12_file_byte_for_byte(self):
        x12 = (
            b"ISA*00*          *00*          *02*SCAC           *ZZ*SHIPPER        "
            b"*261201*1200*U*00401*000000001*0*P*>~\r\n"
            b"GS*QM*SCAC*SHIPPER*20261201*1200*1*X*004010~\r\n"
            b"ST*214*0001~\r\n"
            b"B10*PRO123*SHIP1*SCAC~\r\n"
            b"AT7*X1*NS***20261201*1200*LT~\n"  # one segment a system ended with LF alone
            b"SE*4*0001~\r\n"
            b"GE*1*1~\r\n"
            b"IEA*1*000000001~\r\n"
        )
        failed = self._failed_file(x12, "x12-crlf")

        def edit(text):
            self.assertNotIn("\r", text, "shown as a browser's text box gives it back")
            return text.replace("PRO123", "PRO124").replace("SE*4", "NTE*GEN*fixed PRO~\nSE*5")

        copy = self._edit(failed, edit)
        self.assertEqual(
            copy.get_payload(),
            x12.replace(b"PRO123", b"PRO124").replace(b"SE*4", b"NTE*GEN*fixed PRO~\r\nSE*5"),
            "unchanged bytes and line breaks kept, the new segment ends as the file's do",
        )
        self.assertEqual(failed.get_payload(), x12)
        self.assertIn("-B10*PRO123*SHIP1*SCAC~\r\n", copy.edit_diff)
        self.assertIn("+B10*PRO124*SHIP1*SCAC~\r\n", copy.edit_diff)

    def test_edit_keeps_a_latin1_file_in_its_own_encoding(self):
        edifact = (
            b"UNB+UNOC:3+SENDER+RECEIVER+261201:1200+42'\r\n"
            b"NAD+CN+++M\xfcller GmbH+Hauptstra\xdfe 5+K\xf6ln++50667+DE'\r\n"
            b"UNZ+1+42'\r\n"
        )
        failed = self._failed_file(edifact, "latin1-1")
        wizard = (
            self.env["logistics.message.edit"]
            .with_user(self.manager)
            .create({"message_id": failed.id, "reason": "city"})
        )
        self.assertIn("Müller GmbH+Hauptstraße 5+Köln", wizard.payload)
        self.assertIn("Latin-1", wizard.payload_format)
        self.assertIn("CRLF", wizard.payload_format)
        copy = self._edit(failed, lambda text: text.replace("Köln++50667", "Düsseldorf++40210"))
        self.assertEqual(
            copy.get_payload(),
            edifact.replace(b"K\xf6ln++50667", b"D\xfcsseldorf++40210"),
        )
        with self.assertRaisesRegex(UserError, "“€” cannot be written in ISO-8859-1"):
            self._edit(failed, lambda text: text.replace("GmbH", "GmbH €"))

    def test_binary_payload_is_not_edited_as_text(self):
        failed = self._failed_file(b"%PDF-1.7\x00\x01\x02 label", "pdf-1")
        with self.assertRaisesRegex(UserError, "binary payload"):
            failed.with_user(self.manager).action_edit_replay()
