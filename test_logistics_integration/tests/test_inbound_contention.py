import json
import threading
import uuid

import requests

from odoo.tests import tagged

from logistics_adapters.transport.signatures import get_scheme

from .common import ServedInboundCase, odoo_url

SECRET = "contention-secret"
SENDERS = 16


@tagged("post_install", "-at_install")
class TestInboundContention(ServedInboundCase):
    """The Odoo route under real concurrency: real server threads, committed transactions."""

    flow_name = "contention"
    flow_values = {"realtime": False}
    backend_values = {"webhook_secret": SECRET}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.url = f"{odoo_url()}/logistics/inbound/{cls.code}"

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
