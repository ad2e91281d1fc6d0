import hashlib

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LogisticsCase


@tagged("post_install", "-at_install")
class TestIdempotency(LogisticsCase):
    def test_duplicate_key_counts_and_creates_nothing(self):
        first, created = self.Message.store_inbound(
            self.backend, self.inbound_type, b'{"key": "evt-1", "ref": "A"}'
        )
        self.assertTrue(created)
        again, created = self.Message.store_inbound(
            self.backend, self.inbound_type, b'{"key": "evt-1", "ref": "A", "resent": true}'
        )
        self.assertFalse(created)
        self.assertEqual(again, first)
        self.assertEqual(first.received_count, 2)
        self.assertEqual(self.Message.search_count([("backend_id", "=", self.backend.id)]), 1)
        # The first payload stays, the duplicate's is not stored.
        self.assertEqual(first.get_payload(), b'{"key": "evt-1", "ref": "A"}')

    def test_duplicate_after_processing_is_not_applied_twice(self):
        message = self.receive(key="evt-2")
        self.process()
        self.receive(key="evt-2")
        self.assertFalse(self.process())
        self.assertEqual(len(self.effects(message)), 1)
        self.assertEqual(message.received_count, 2)

    def test_without_key_the_payload_hash_is_the_key(self):
        payload = b'{"ref": "no-key"}'
        message, _created = self.Message.store_inbound(self.backend, self.inbound_type, payload)
        self.assertEqual(message.idempotency_key, hashlib.sha256(payload).hexdigest())
        _again, created = self.Message.store_inbound(self.backend, self.inbound_type, payload)
        self.assertFalse(created)

    def test_key_is_scoped_by_backend_and_direction(self):
        other = self._make_backend("other-backend")
        one = self.receive(key="shared")
        two = self.receive(backend=other, key="shared")
        out, _created = self.Message.enqueue_outbound(
            self.backend, self.outbound_type, b"{}", "shared"
        )
        self.assertEqual(len(one | two | out), 3)

    def test_database_enforces_the_key(self):
        message = self.receive(key="evt-3")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                """INSERT INTO logistics_message
                   (backend_id, type_id, direction, state, idempotency_key, priority)
                   VALUES (%s, %s, 'inbound', 'pending', 'evt-3', 10)""",
                (message.backend_id.id, message.type_id.id),
            )

    def test_payload_is_kept_byte_for_byte(self):
        payload = b'ISA*00*\r\n{"caf\xc3\xa9": "\xff\xfe binary"}\x00\r\n'
        message, _created = self.Message.store_inbound(
            self.backend,
            self.inbound_type,
            payload,
            idempotency_key="raw-1",
            content_type="application/edi-x12",
        )
        message.invalidate_recordset()
        self.assertEqual(message.get_payload(), payload)
        self.assertEqual(message.payload_sha256, hashlib.sha256(payload).hexdigest())
        self.assertEqual(message.payload_size, len(payload))
        self.env.cr.execute("SELECT payload FROM logistics_message WHERE id = %s", [message.id])
        self.assertEqual(bytes(self.env.cr.fetchone()[0]), payload)
        # Processing, failing and retrying never rewrite it.
        self.process()
        message.action_retry()
        self.assertEqual(message.get_payload(), payload)

    def test_rows_cannot_be_forged_or_rewritten(self):
        with self.assertRaises(AccessError):
            self.Message.create(
                {
                    "backend_id": self.backend.id,
                    "type_id": self.inbound_type.id,
                    "direction": "inbound",
                    "idempotency_key": "forged",
                }
            )
        with self.assertRaises(AccessError):
            self.Message.with_context(logistics_message_service=True).create(
                {
                    "backend_id": self.backend.id,
                    "type_id": self.inbound_type.id,
                    "direction": "inbound",
                    "idempotency_key": "forged",
                }
            )
        message = self.receive(key="evt-4")
        for vals in ({"state": "done"}, {"idempotency_key": "x"}, {"payload_sha256": "0"}):
            with self.assertRaises(AccessError):
                message.write(vals)
        message.write({"user_id": self.env.user.id, "note": "called the carrier"})
        self.assertEqual(message.user_id, self.env.user)
        with self.assertRaises(UserError):
            message.copy()

    def test_outbound_idempotency(self):
        first = self.enqueue("label:PICK/1:pkg-1")
        again = self.enqueue("label:PICK/1:pkg-1")
        self.assertEqual(first, again)
        self.process()
        self.assertEqual(len(self.effects(first)), 1)

    def test_flow_direction_must_match(self):
        with self.assertRaisesRegex(Exception, "cannot carry"):
            self.Message.enqueue_outbound(self.backend, self.inbound_type, b"{}", "k")
