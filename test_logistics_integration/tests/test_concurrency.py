import json
import threading
import uuid

from odoo import api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

from odoo.addons.logistics_integration.engine import ClaimConflict
from odoo.addons.logistics_integration.tests.common import CommittedTransactionMixin

MESSAGES = 500


@tagged("post_install", "-at_install")
class TestConcurrentProcessors(CommittedTransactionMixin, BaseCase):
    """Real processors on real, committed transactions: no test cursor in between."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
            cls.backend_id = (
                env["logistics.backend"]
                .create(
                    {
                        "name": "Concurrency",
                        "code": f"concurrency-{uuid.uuid4().hex}",
                        "concurrency": 0,
                    }
                )
                .id
            )
            cls.type_id = (
                env["logistics.message.type"]
                .create(
                    {
                        "name": "concurrency",
                        "code": f"test.concurrency.{uuid.uuid4().hex}",
                        "direction": "inbound",
                        "handler_model": "logistics.handler.fake",
                        "realtime": False,
                    }
                )
                .id
            )

    @classmethod
    def _cleanup(cls):
        cls._remove_committed(
            [("backend_id", "=", cls.backend_id)],
            ("logistics.message.type", cls.type_id),
            ("logistics.backend", cls.backend_id),
        )

    @classmethod
    def _remove_committed(cls, messages_domain, *records):
        """Delete, in a transaction of its own, the messages of ``messages_domain`` with the
        effects the fake partner applied for them, then ``records`` (``(model, id)`` pairs)."""
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            messages = env["logistics.message"].search(messages_domain)
            env["test.logistics.effect"].search([("message_id", "in", messages.ids)]).unlink()
            messages.unlink()
            for model, record_id in records:
                env[model].browse(record_id).unlink()

    def _fill(self, count, backend_id=None):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            backend = env["logistics.backend"].browse(backend_id or self.backend_id)
            message_type = env["logistics.message.type"].browse(self.type_id)
            for index in range(count):
                payload = json.dumps({"ref": f"C{index}"}).encode()
                env["logistics.message"].store_inbound(backend, message_type, payload)

    def _processor_loop(self, results, name, batch_size):
        processed, conflicts = [], 0
        with self.registry.cursor() as cr:
            processor = self._env(cr)["logistics.processor"]
            while True:
                try:
                    messages = processor._claim(batch_size)
                except ClaimConflict:
                    conflicts += 1
                    cr.rollback()
                    continue
                if not messages:
                    break
                processor._process_claimed(messages)
                processed += messages.ids
                cr.commit()  # pylint: disable=invalid-commit
        results[name] = (processed, conflicts)

    def _run_processors(self, count, batch_size=20):
        results = {}
        threads = [
            threading.Thread(target=self._processor_loop, args=(results, f"p{index}", batch_size))
            for index in range(count)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        return results

    def test_two_processors_process_each_message_exactly_once(self):
        self._fill(MESSAGES)
        results = self._run_processors(2)
        self.assertEqual(set(results), {"p0", "p1"}, "both processors finished")
        first, second = results["p0"][0], results["p1"][0]
        self.assertFalse(set(first) & set(second), "no message claimed by both")
        self.assertTrue(first and second, "both processors took a share of the work")
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT m.state, count(DISTINCT m.id), count(e.id)
                     FROM logistics_message m
                LEFT JOIN test_logistics_effect e ON e.message_id = m.id
                    WHERE m.backend_id = %s GROUP BY m.state""",
                [self.backend_id],
            )
            rows = cr.fetchall()
        self.assertEqual(rows, [("done", MESSAGES, MESSAGES)], "every message applied once")
        self.assertEqual(len(first) + len(second), MESSAGES)

    def test_messages_of_one_partner_reference_go_to_one_processor(self):
        self.addCleanup(
            self._remove_committed,
            [("backend_id", "=", self.backend_id), ("idempotency_key", "=like", "ref-%")],
        )
        with self.registry.cursor() as cr:
            env = self._env(cr)
            backend = env["logistics.backend"].browse(self.backend_id)
            message_type = env["logistics.message.type"].browse(self.type_id)
            for index in range(6):
                ref = "PICK-A" if index % 2 == 0 else "PICK-B"
                payload = json.dumps({"key": f"ref-{index}", "ref": ref}).encode()
                env["logistics.message"].store_inbound(backend, message_type, payload)
        with self.registry.cursor() as cr_one, self.registry.cursor() as cr_two:
            one = self._env(cr_one)["logistics.processor"]._claim(1)
            two = self._env(cr_two)["logistics.processor"]._claim(10)
            self.assertEqual(one.mapped("partner_ref"), ["PICK-A"])
            # The first processor looked at three rows for its one message; the B row
            # among them waits for its transaction, the others go to the second.
            self.assertEqual(two.mapped("partner_ref"), ["PICK-B", "PICK-B"])
            cr_one.rollback()
            cr_two.rollback()
            again = self._env(cr_two)["logistics.processor"]._claim(10)
            self.assertEqual(len(again), 6, "free again once the transactions ended")
            cr_two.rollback()

    def _committed_backend(self, name):
        """A backend of one processor at a time, committed; its id."""
        return self._create_committed(
            "logistics.backend",
            {"name": name, "code": f"{name.lower()}-{uuid.uuid4().hex}", "concurrency": 1},
        )

    def test_concurrency_cap_holds_across_processors(self):
        capped_id = self._committed_backend("Capped")
        self.addCleanup(
            self._remove_committed,
            [("backend_id", "=", capped_id)],
            ("logistics.backend", capped_id),
        )
        self._fill(4, backend_id=capped_id)
        with self.registry.cursor() as cr_one, self.registry.cursor() as cr_two:
            one = self._env(cr_one)["logistics.processor"]._claim(2)
            two = self._env(cr_two)["logistics.processor"]._claim(2)
            self.assertEqual(len(one), 2)
            self.assertFalse(two, "the only slot of the backend is taken")
            cr_one.rollback()
            two = self._env(cr_two)["logistics.processor"]._claim(2)
            self.assertEqual(len(two), 2, "the slot is free once the first transaction ends")
            cr_two.rollback()

    def test_cron_processes_everything_committing_each_outbound_call(self):
        backend_id = self._committed_backend("Cron")
        type_id = self._create_committed(
            "logistics.message.type",
            {
                "name": "cron out",
                "code": f"test.cron.{uuid.uuid4().hex}",
                "direction": "outbound",
                "handler_model": "logistics.handler.fake",
                "realtime": False,
            },
        )
        self.addCleanup(
            self._remove_committed,
            [("backend_id", "=", backend_id)],
            ("logistics.message.type", type_id),
            ("logistics.backend", backend_id),
        )
        with self.registry.cursor() as cr:
            env = self._env(cr)
            backend = env["logistics.backend"].browse(backend_id)
            outbound_type = env["logistics.message.type"].browse(type_id)
            for index in range(12):
                env["logistics.message"].enqueue_outbound(
                    backend, outbound_type, b'{"ref": "out"}', f"cron-out-{index}"
                )
        self._fill(25, backend_id=backend_id)
        with self.registry.cursor() as cr:
            self._env(cr)["logistics.processor"]._cron_process(batch_size=7)
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT m.direction, m.state, count(DISTINCT m.id), count(e.id)
                     FROM logistics_message m
                LEFT JOIN test_logistics_effect e ON e.message_id = m.id
                    WHERE m.backend_id = %s
                 GROUP BY m.direction, m.state ORDER BY m.direction""",
                [backend_id],
            )
            rows = cr.fetchall()
        self.assertEqual(rows, [("inbound", "done", 25, 25), ("outbound", "done", 12, 12)])

    def test_two_people_replaying_at_once_make_two_copies(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            backend = env["logistics.backend"].browse(self.backend_id)
            message_type = env["logistics.message.type"].browse(self.type_id)
            done, _created = env["logistics.message"].store_inbound(
                backend, message_type, b'{"key": "replayed-at-once", "ref": "R1"}'
            )
            env["logistics.processor"].process_batch()
            self.assertEqual(done.state, "done")
            done_id = done.id
        self.addCleanup(
            self._remove_committed, ["|", ("id", "=", done_id), ("parent_id", "=", done_id)]
        )
        with self.registry.cursor() as cr_one, self.registry.cursor() as cr_two:
            one = self._env(cr_one)["logistics.message"].browse(done_id)
            two = self._env(cr_two)["logistics.message"].browse(done_id)
            # Both people look at the message, then each replays it.
            self.assertEqual((one.state, len(one.child_ids)), ("done", 0))
            self.assertEqual((two.state, len(two.child_ids)), ("done", 0))
            copy_one = one.replay(reason="first person")
            cr_one.commit()
            copy_two = two.replay(reason="second person")
            cr_two.commit()
            self.assertTrue(copy_one and copy_two)
            self.assertNotEqual(copy_one.idempotency_key, copy_two.idempotency_key)
        with self.registry.cursor() as cr:
            Message = self._env(cr)["logistics.message"]
            children = Message.search([("parent_id", "=", done_id)])
            self.assertEqual(len(children), 2, "each replay is a copy of its own")
            self.assertEqual(set(children.mapped("state")), {"pending"})
