import hashlib
import json
import threading
import time
import uuid
from datetime import timedelta
from unittest.mock import patch

from psycopg2.errors import SerializationFailure

from odoo import fields
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.orm.registry import DummyRLock
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import config

from odoo.addons.logistics_integration.tests.common import CommittedTransactionMixin

from logistics_gateway.config import GatewayConfig
from logistics_gateway.postgres import PostgresStore
from logistics_gateway.service import NewMessage

from .common import InboundHttpCase, LogisticsCase

SECRET = "tombstone-secret"


class PurgeMixin:
    def _age(self, messages, days):
        self.env.cr.execute(
            "UPDATE logistics_message SET done_at = %s WHERE id = ANY(%s)",
            (fields.Datetime.now() - timedelta(days=days), messages.ids),
        )
        messages.invalidate_recordset()

    def _purge(self, messages, days=31):
        """Purge ``messages`` (done) as the retention cron would, ``days`` after they were
        done."""
        self.env["ir.config_parameter"].set_param("logistics_integration.retention_days", 30)
        self._age(messages, days)
        self.env["logistics.processor"]._purge_done()
        self.assertFalse(messages.exists(), "purged")


@tagged("post_install", "-at_install")
class TestTombstone(PurgeMixin, LogisticsCase):
    """Idempotency outlives retention: purged keys are remembered for a window."""

    def tombstones(self, key):
        return self.env["logistics.message.tombstone"].search([("idempotency_key", "=", key)])

    def test_purge_keeps_a_tombstone_and_a_late_duplicate_is_not_processed_again(self):
        message = self.receive(key="evt-late", ref="SO1")
        self.process()
        name, correlation, sha256 = message.name, message.correlation_id, message.payload_sha256
        self._purge(message)
        tombstone = self.tombstones("evt-late")
        self.assertEqual(
            (
                tombstone.backend_id,
                tombstone.direction,
                tombstone.flow,
                tombstone.payload_sha256,
                tombstone.reference,
                tombstone.correlation_id,
            ),
            (self.backend, "inbound", "test.inbound", sha256, name, correlation),
        )
        self.assertLess(tombstone.done_at, fields.Datetime.now() - timedelta(days=30), "done date")
        again, created = self.Message.store_inbound(
            self.backend,
            self.inbound_type,
            json.dumps({"key": "evt-late", "ref": "SO1"}, sort_keys=True).encode(),
        )
        self.assertFalse(created)
        self.assertFalse(again, "nothing stored for a purged key")
        self.assertFalse(
            self.Message.search([("idempotency_key", "=", "evt-late")]), "no new message"
        )
        self.assertFalse(self.process(), "nothing to apply again")

    def test_purged_outbound_request_is_refused_not_sent_again(self):
        label = self.enqueue("label:PICK/9:1", ref="PICK/9")
        self.process()
        self.assertEqual(len(self.effects(label)), 1)
        name = label.name
        self._purge(label)
        with self.assertRaisesRegex(UserError, f"already sent and done as {name}") as caught:
            self.enqueue("label:PICK/9:1", ref="PICK/9")
        self.assertIn("Purged Keys", str(caught.exception), "it says what to do next")
        self.assertFalse(self.Message.search([("idempotency_key", "=", "label:PICK/9:1")]))
        self.assertFalse(
            self.env["test.logistics.effect"].search([("ref", "=", "PICK/9")]),
            "bought once, its effects purged with it, and not bought again",
        )

    def test_send_now_does_not_buy_a_purged_label_again(self):
        label = self.enqueue("label:PICK/10:1", ref="PICK/10")
        self.process()
        self._purge(label)
        payload = json.dumps({"ref": "PICK/10"}, sort_keys=True).encode()
        with self.enter_registry_test_mode(), self.assertRaisesRegex(UserError, "never sent twice"):
            self.Message.send_now(self.backend, self.outbound_type, payload, "label:PICK/10:1")
        self.assertFalse(self.Message.search([("idempotency_key", "=", "label:PICK/10:1")]))

    def test_a_manager_may_forget_a_key_to_send_it_again_on_purpose(self):
        label = self.enqueue("label:PICK/11:1")
        self.process()
        self._purge(label)
        manager = self._make_user(
            "lgm_tomb_manager", "logistics_integration.group_logistics_manager"
        )
        self.tombstones("label:PICK/11:1").with_user(manager).unlink()
        again = self.enqueue("label:PICK/11:1")
        self.assertEqual(again.state, "pending")

    def test_keys_are_forgotten_after_the_window(self):
        self.env["ir.config_parameter"].set_param("logistics_integration.tombstone_days", 180)
        recent, old = self.receive(key="evt-recent"), self.receive(key="evt-old")
        self.process()
        self._purge(recent | old)
        self.assertTrue(self.tombstones("evt-old"))
        self.env.cr.execute(
            "UPDATE logistics_message_tombstone SET done_at = %s WHERE idempotency_key = 'evt-old'",
            [fields.Datetime.now() - timedelta(days=181)],
        )
        self.env["logistics.message.tombstone"].invalidate_model()
        self.env["logistics.processor"]._cron_purge()
        self.assertFalse(self.tombstones("evt-old"), "past the window")
        self.assertTrue(self.tombstones("evt-recent"))
        self.assertEqual(self.receive(key="evt-old").state, "pending", "a new message again")

    def test_messages_already_past_the_window_leave_no_tombstone(self):
        self.env["ir.config_parameter"].set_param("logistics_integration.tombstone_days", 180)
        message = self.receive(key="evt-ancient")
        self.process()
        self._purge(message, days=200)
        self.assertFalse(self.tombstones("evt-ancient"))

    def test_zero_days_remembers_keys_forever(self):
        self.env["ir.config_parameter"].set_param("logistics_integration.tombstone_days", 0)
        message = self.receive(key="evt-forever")
        self.process()
        self._purge(message, days=5000)
        self.env["logistics.processor"]._cron_purge()
        self.assertTrue(self.tombstones("evt-forever"))

    def test_a_purge_meeting_a_concurrent_change_stops_and_keeps_everything(self):
        self.env["ir.config_parameter"].set_param("logistics_integration.retention_days", 30)
        messages = self.receive(key="evt-busy-1") | self.receive(key="evt-busy-2")
        self.process()
        self._age(messages, 31)
        conflict = SerializationFailure("could not serialize access due to concurrent update")
        with (
            patch.object(type(self.Message), "unlink", side_effect=conflict),
            self.assertNoLogs("odoo.sql_db", "ERROR"),
        ):
            purged = self.env["logistics.processor"]._purge_done(batch_size=1)
        self.assertEqual(purged, 0, "left to the next run")
        self.assertEqual(len(messages.exists()), 2)
        self.assertFalse(self.tombstones("evt-busy-1"), "its tombstone went with the batch")
        self.env["logistics.processor"]._purge_done()  # the next run
        self.assertFalse(messages.exists())
        self.assertTrue(self.tombstones("evt-busy-1") and self.tombstones("evt-busy-2"))

    def test_the_window_is_a_setting_of_180_days_by_default(self):
        self.assertEqual(self.env["res.config.settings"].create({}).logistics_tombstone_days, 180)
        self.env["res.config.settings"].create({"logistics_tombstone_days": 365}).execute()
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("logistics_integration.tombstone_days"),
            "365",
        )

    def test_tombstones_follow_the_companies_of_the_user(self):
        other_company = self.env["res.company"].create({"name": "Other logistics company"})
        other_backend = self._make_backend("other-tomb", company_id=other_company.id)
        mine, theirs = self.receive(key="evt-mine"), self.receive(other_backend, key="evt-theirs")
        self.process()
        self._purge(mine | theirs)
        user = self._make_user("lgm_tomb_user", "logistics_integration.group_logistics_user")
        visible = self.env["logistics.message.tombstone"].with_user(user).search([])
        self.assertIn("evt-mine", visible.mapped("idempotency_key"))
        self.assertNotIn("evt-theirs", visible.mapped("idempotency_key"))


@tagged("post_install", "-at_install")
class TestTombstoneOverHttp(PurgeMixin, InboundHttpCase):
    """A late duplicate of a purged message, at the partner endpoint."""

    backend_name, code = "Tombstone partner", "tombstone-partner"
    flow_name, flow_code = "tombstone http", "test.tombstone.http"
    secret = SECRET

    def test_late_duplicate_of_a_purged_message_answers_200_with_the_original_reference(self):
        body = b'{"key": "evt-purged", "ref": "1Z1"}'
        first = self.post(body)
        self.assertEqual(first.status_code, 202, first.text)
        message = self.messages()
        self.env["logistics.processor"].process_batch()
        self._purge(message)
        again = self.post(body)
        self.assertEqual(again.status_code, 200, again.text)
        self.assertEqual(again.json(), {**first.json(), "status": "duplicate"})
        self.assertFalse(self.messages())
        self.assertEqual(
            self.env["logistics.message.tombstone"]
            .search([("backend_id", "=", self.backend.id)])
            .payload_sha256,
            hashlib.sha256(body).hexdigest(),
        )


@tagged("post_install", "-at_install")
class TestTombstoneCommitted(CommittedTransactionMixin, BaseCase):
    """Both entry points on committed transactions: the gateway's store on its own
    connections, and a purge that commits while a store of the same key waits for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Threads below open environments: let them find the registry the loading
        # thread holds locked while tests run.
        cls.startClassPatcher(patch.object(Registry, "_lock", DummyRLock()))
        cls._use_committed_transactions()
        tag = uuid.uuid4().hex[:8]
        cls.flow_id = cls._create_committed(
            "logistics.message.type",
            {
                "name": "tombstone committed",
                "code": f"test.tombstone.{tag}",
                "direction": "inbound",
                "handler_model": "logistics.handler.fake",
                "realtime": False,
            },
        )
        cls.backend_id = cls._create_committed(
            "logistics.backend", {"name": "Tombstones", "code": f"tombstones-{tag}"}
        )
        cls.addClassCleanup(cls._cleanup)
        cls.store = PostgresStore(
            GatewayConfig(
                dbname=get_db_name(),
                db_host=config.get("db_host") or None,
                db_port=int(config["db_port"]) if config.get("db_port") else None,
                db_user=config.get("db_user") or None,
                db_password=config.get("db_password") or None,
            ),
            maxconn=2,
        )
        cls.addClassCleanup(cls.store.close)

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            messages = env["logistics.message"].search([("backend_id", "=", cls.backend_id)])
            env["test.logistics.effect"].search([("message_id", "in", messages.ids)]).unlink()
            messages.unlink()
            env["logistics.message.tombstone"].search(
                [("backend_id", "=", cls.backend_id)]
            ).unlink()
            backend = env["logistics.backend"].browse(cls.backend_id)
            user = backend.technical_user_id
            backend.unlink()
            env["logistics.message.type"].browse(cls.flow_id).unlink()
            if user:
                partner = user.partner_id
                user.unlink()
                partner.unlink()

    def _done(self, key):
        """A committed, done message of ``key``: its reference and correlation id."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            message, _created = env["logistics.message"].store_inbound(
                env["logistics.backend"].browse(self.backend_id),
                env["logistics.message.type"].browse(self.flow_id),
                json.dumps({"key": key}).encode(),
            )
            env["logistics.processor"].process_batch()
            self.assertEqual(message.state, "done")
            return message.name, message.correlation_id

    def _purge(self, env, key):
        """What a purge batch does to the message of ``key``, in ``env``'s transaction."""
        message = env["logistics.message"].search(
            [("backend_id", "=", self.backend_id), ("idempotency_key", "=", key)]
        )
        env["logistics.message.tombstone"]._bury(message)
        message.unlink()

    def _through_gateway(self, key):
        stored = self.store.store_message(
            NewMessage(
                backend_id=self.backend_id,
                company_id=None,
                type_id=self.flow_id,
                flow="test.tombstone",
                priority=10,
                idempotency_key=key,
                partner_ref=None,
                correlation_id=uuid.uuid4().hex,
                content_type="application/json",
                payload=json.dumps({"key": key}).encode(),
                payload_sha256="0" * 64,
                payload_size=20,
                now=fields.Datetime.now(),
                user_id=None,
                realtime=False,
            )
        )
        return stored.reference, stored.correlation_id, stored.created

    def _through_odoo(self, key):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            return env["logistics.message"]._store_inbound_committed(
                env["logistics.backend"].browse(self.backend_id),
                env["logistics.message.type"].browse(self.flow_id),
                json.dumps({"key": key}).encode(),
            )

    def _rows(self, key):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM logistics_message WHERE backend_id = %s"
                " AND idempotency_key = %s",
                [self.backend_id, key],
            )
            return cr.fetchone()[0]

    def test_the_gateway_answers_a_purged_key_as_a_duplicate(self):
        reference, correlation_id = self._done("evt-gateway")
        with self.registry.cursor() as cr:
            self._purge(self._env(cr), "evt-gateway")
        self.assertEqual(self._through_gateway("evt-gateway"), (reference, correlation_id, False))
        self.assertEqual(self._rows("evt-gateway"), 0, "nothing stored again")

    def test_a_purge_committed_while_a_store_waits_is_honoured_by_both_entry_points(self):
        for side, store in (("gateway", self._through_gateway), ("odoo", self._through_odoo)):
            with self.subTest(side):
                key = f"evt-race-{side}"
                reference, correlation_id = self._done(key)
                results = []
                with self.registry.cursor() as purge_cr:
                    self._purge(self._env(purge_cr), key)
                    purge_cr.flush()
                    waiting = threading.Thread(target=self._collect, args=(store, key, results))
                    waiting.start()
                    self._wait_for_a_lock_wait()
                    purge_cr.commit()
                waiting.join()
                self.assertEqual(results, [(reference, correlation_id, False)])
                self.assertEqual(self._rows(key), 0, "the late store took nothing in")

    @staticmethod
    def _collect(store, key, results):
        results.append(store(key))

    def _wait_for_a_lock_wait(self):
        """Return once a session of this database waits for a lock (the store, on the
        purge's transaction); not a timed assertion: it only orders the two."""
        for _attempt in range(400):
            with self.registry.cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cr.fetchone()[0]:
                    return
            time.sleep(0.01)
        self.fail("the store never waited for the purge")
