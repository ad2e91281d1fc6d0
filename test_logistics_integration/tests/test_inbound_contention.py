import json
import threading
import uuid
from unittest.mock import patch

import requests

from odoo.modules.registry import Registry
from odoo.orm.registry import DummyRLock
from odoo.tests import BaseCase, tagged
from odoo.tools import config

from odoo.addons.logistics_integration.tests.common import CommittedTransactionMixin

from logistics_adapters.transport.signatures import get_scheme

SECRET = "contention-secret"
SENDERS = 16


@tagged("post_install", "-at_install")
class TestInboundContention(CommittedTransactionMixin, BaseCase):
    """The Odoo route under real concurrency: real server threads, committed transactions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The loading thread holds the registry lock while tests run: let Odoo's HTTP
        # server threads find the registry, as the registry test mode does.
        cls.startClassPatcher(patch.object(Registry, "_lock", DummyRLock()))
        cls._use_committed_transactions(config.get("logistics_secret_key"))
        tag = uuid.uuid4().hex[:8]
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            flow = env["logistics.message.type"].create(
                {
                    "name": "contention",
                    "code": f"test.contention.{tag}",
                    "direction": "inbound",
                    "handler_model": "logistics.handler.fake",
                    "realtime": False,
                }
            )
            backend = env["logistics.backend"].create(
                {
                    "name": "Contention",
                    "code": f"contention-{tag}",
                    "webhook_secret": SECRET,
                    "inbound_type_id": flow.id,
                }
            )
            cls.flow_id, cls.backend_id, cls.code = flow.id, backend.id, backend.code
            cls.user_id = backend.technical_user_id.id
        cls.addClassCleanup(cls._cleanup)
        host = config.get("http_interface") or "127.0.0.1"
        host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        cls.url = f"http://{host}:{config['http_port']}/logistics/inbound/{cls.code}"

    @classmethod
    def _cleanup(cls):
        cls._remove_committed_backend(cls.backend_id, cls.flow_id, cls.user_id)

    def _post_at_once(self, body, count):
        """Post ``body`` from ``count`` connections released together; the responses."""
        headers = {
            "Content-Type": "application/json",
            **get_scheme("generic-hmac-sha256").sign(body, SECRET),
        }
        start = threading.Barrier(count)
        responses = [None] * count

        def send(index):
            with requests.Session() as session:
                start.wait()
                responses[index] = session.post(self.url, data=body, headers=headers, timeout=60)

        threads = [threading.Thread(target=send, args=(index,)) for index in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return responses

    def test_one_delivery_from_sixteen_connections_at_once_is_stored_once(self):
        body = json.dumps({"key": f"evt-{uuid.uuid4().hex}", "ref": "1Z999"}).encode()
        # No concurrency error at all: none retried by Odoo's HTTP layer (which answers
        # 500 once its tries are spent), none logged as a failed query.
        with self.assertNoLogs("odoo.service.model"), self.assertNoLogs("odoo.sql_db", "ERROR"):
            responses = self._post_at_once(body, SENDERS)
        statuses = sorted(response.status_code for response in responses)
        self.assertEqual(
            statuses, [200] * (SENDERS - 1) + [202], [response.text for response in responses]
        )
        replies = [response.json() for response in responses]
        self.assertEqual(
            sorted(reply["status"] for reply in replies), ["accepted"] + ["duplicate"] * 15
        )
        self.assertEqual(len({reply["reference"] for reply in replies}), 1, replies)
        self.assertEqual(len({reply["correlation_id"] for reply in replies}), 1, replies)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT name, correlation_id, received_count, payload FROM logistics_message"
                " WHERE backend_id = %s",
                [self.backend_id],
            )
            rows = cr.fetchall()
        self.assertEqual(len(rows), 1, "one row")
        name, correlation_id, received_count, payload = rows[0]
        self.assertEqual(
            (name, correlation_id), (replies[0]["reference"], replies[0]["correlation_id"])
        )
        self.assertEqual(received_count, SENDERS, "every delivery counted")
        self.assertEqual(bytes(payload), body)
