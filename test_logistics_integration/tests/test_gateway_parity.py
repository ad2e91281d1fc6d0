import hashlib
import json
import re
import select
import threading
import time
import unittest

import psycopg2
import requests

from odoo.tests import tagged
from odoo.tests.common import get_db_name
from odoo.tools import config, mute_logger

from logistics_adapters.transport.signatures import get_scheme
from logistics_gateway.cli import create_app
from logistics_gateway.config import GatewayConfig

from .common import ServedInboundCase, odoo_url

try:
    import uvicorn
except ImportError:  # the gateway is optional
    uvicorn = None

SECRET = "parity-secret"
MAX_SIZE = 2000
# Columns whose values differ between two messages by nature (identity, time, content).
OWN_COLUMNS = {
    "id",
    "name",
    "correlation_id",
    "idempotency_key",
    "payload",
    "payload_sha256",
    "payload_size",
    "received_at",
    "last_received_at",
    "next_attempt_at",
    "create_date",
    "write_date",
}
QUIET = mute_logger(
    "odoo.addons.logistics_integration.models.logistics_security_event",
    "logistics_gateway.service",
)


@tagged("post_install", "-at_install")
@unittest.skipUnless(uvicorn, "the edge gateway needs uvicorn")
class TestGatewayParity(ServedInboundCase):
    """The Odoo route and the edge gateway, on the same requests and the same database.

    Everything is committed: the gateway works on its own connections, so a test cursor
    would hide its rows from Odoo and Odoo's from it.
    """

    maxDiff = None
    flow_name = "parity"
    flow_values = {"priority": 7, "realtime": True}
    backend_values = {"webhook_secret": SECRET, "max_payload_size": MAX_SIZE}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            cls.cron_id = cls._env(cr).ref("logistics_integration.ir_cron_logistics_process").id
        cls.scheme = get_scheme("generic-hmac-sha256")
        cls.odoo_url = odoo_url()
        cls._start_gateway(cls.secret_key)

    @classmethod
    def _start_gateway(cls, key):
        cls.gateway_config = GatewayConfig(
            dbname=get_db_name(),
            db_host=config.get("db_host") or None,
            db_port=int(config["db_port"]) if config.get("db_port") else None,
            db_user=config.get("db_user") or None,
            db_password=config.get("db_password") or None,
            secret_key=key,
            threads=4,
        )
        app = create_app(cls.gateway_config)
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False)
        )
        thread = threading.Thread(target=server.run, name="logistics-gateway", daemon=True)
        thread.start()

        def stop():
            server.should_exit = True
            thread.join(timeout=10)

        cls.addClassCleanup(stop)
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        cls.gateway_url = f"http://127.0.0.1:{port}"

    # -- helpers -----------------------------------------------------------------------

    def post(self, base_url, body, *, code=None, flow=None, secret=SECRET, headers=None, **kw):
        signed = self.scheme.sign(body, secret) if secret else {}
        url = f"{base_url}/logistics/inbound/{code or self.code}" + (f"/{flow}" if flow else "")
        content_type = kw.get("content_type", "application/json")
        response = requests.post(
            url,
            data=body,
            headers={"Content-Type": content_type, **signed, **(headers or {})},
            timeout=20,
        )
        return response

    def exchange(self, base_url, side):
        """The same sequence of requests; ``side`` makes the bodies of new messages unique."""
        valid = json.dumps({"event": "delivered", "side": side, "note": "café"}).encode()
        malformed = b'{"event": "truncated-' + side.encode()
        requests_ = {
            "valid": {
                "body": valid,
                "flow": self.flow_code,
                "headers": {"X-Correlation-ID": f"corr-{side}", "X-Partner-Reference": "PR-1"},
            },
            "duplicate": {"body": valid},
            "bad signature": {"body": valid, "secret": "guess"},
            "no signature": {"body": b'{"event": "unsigned"}', "secret": None},
            "malformed": {"body": malformed},
            "unknown flow": {"body": valid, "flow": "test.parity.nope"},
            "unknown backend": {"body": valid, "code": f"nobody-{self.tag}"},
            "too large": {"body": b'{"blob": "' + b"x" * MAX_SIZE + b'"}'},
            "wrong content type": {"body": valid, "content_type": "application/pdf"},
            "xml with a doctype": {
                "body": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><r>&x;'
                + side.encode()
                + b"</r>",
                "content_type": "application/xml",
            },
        }
        with QUIET:
            answers = {
                label: self.post(base_url, **options) for label, options in requests_.items()
            }
        return answers, valid, malformed

    def normalized(self, response):
        """Status, body with reference values replaced, and the answer headers that matter."""
        body = response.json()
        if "reference" in body:
            self.assertRegex(body["reference"], r"^LGM/\d{4}/\d{7}$")
            body["reference"] = "<reference>"
        if body.get("correlation_id", "").startswith("corr-"):
            body["correlation_id"] = "<given>"
        elif "correlation_id" in body:
            self.assertRegex(body["correlation_id"], r"^[0-9a-f]{32}$")
            body["correlation_id"] = "<uuid4>"
        return (
            response.status_code,
            body,
            response.headers.get("Content-Type"),
            response.headers.get("Retry-After"),
        )

    def rows(self, query, params):
        with self.registry.cursor() as cr:
            cr.execute(query, params)
            columns = [column.name for column in cr.description]
            return [dict(zip(columns, row)) for row in cr.fetchall()]

    def listen(self):
        """A connection listening to the cron workers' channel, as they do."""
        kwargs = self.gateway_config.connect_kwargs("postgres")
        connection = psycopg2.connect(**kwargs)
        connection.autocommit = True
        connection.cursor().execute("LISTEN cron_trigger")
        self.addCleanup(connection.close)
        return connection

    def notifications(self, connection):
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and not connection.notifies:
            select.select([connection], [], [], 0.1)
            connection.poll()
        return [notify.payload for notify in connection.notifies]

    # -- the test ----------------------------------------------------------------------

    def test_both_entry_points_answer_and_store_alike(self):
        odoo, odoo_valid, odoo_malformed = self.exchange(self.odoo_url, "odoo")
        # As if the processors had run: the gateway must wake them again.
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM ir_cron_trigger WHERE create_uid = %s", [self.user_id])
        listener = self.listen()
        gateway, gateway_valid, gateway_malformed = self.exchange(self.gateway_url, "gateway")
        self.assertIn(get_db_name(), self.notifications(listener), "the cron workers are woken")

        for label in odoo:
            with self.subTest(label):
                self.assertEqual(self.normalized(gateway[label]), self.normalized(odoo[label]))
        statuses = {label: response.status_code for label, response in odoo.items()}
        self.assertEqual(
            statuses,
            {
                "valid": 202,
                "duplicate": 200,
                "bad signature": 401,
                "no signature": 401,
                "malformed": 400,
                "unknown flow": 404,
                "unknown backend": 404,
                "too large": 413,
                "wrong content type": 415,
                "xml with a doctype": 400,
            },
        )
        for answers in (odoo, gateway):
            self.assertEqual(
                answers["duplicate"].json()["reference"], answers["valid"].json()["reference"]
            )

        # one inbox, one idempotency rule: each entry point knows the other's messages
        crossed = {
            "odoo": self.post(self.gateway_url, odoo_valid),
            "gateway": self.post(self.odoo_url, gateway_valid),
        }
        for side, answers in (("odoo", odoo), ("gateway", gateway)):
            self.assertEqual(crossed[side].status_code, 200, crossed[side].text)
            self.assertEqual(
                crossed[side].json(), {**answers["valid"].json(), "status": "duplicate"}
            )

        self._check_messages(
            {
                "odoo": (odoo_valid, odoo_malformed, odoo["valid"], odoo["xml with a doctype"]),
                "gateway": (
                    gateway_valid,
                    gateway_malformed,
                    gateway["valid"],
                    gateway["xml with a doctype"],
                ),
            }
        )
        self._check_security_events()
        self._check_cron_triggers()

    def _check_messages(self, sides):
        rows = self.rows(
            "SELECT * FROM logistics_message WHERE backend_id = %s ORDER BY id", [self.backend_id]
        )
        self.assertEqual(len(rows), 6, "valid, malformed and XML from each side")
        by_payload = {bytes(row["payload"]): row for row in rows}
        for odoo_body, gateway_body in zip(sides["odoo"][:2], sides["gateway"][:2]):
            odoo_row, gateway_row = by_payload[odoo_body], by_payload[gateway_body]
            for row, body in ((odoo_row, odoo_body), (gateway_row, gateway_body)):
                sha256 = hashlib.sha256(body).hexdigest()
                self.assertEqual(
                    (row["payload_sha256"], row["idempotency_key"], row["payload_size"]),
                    (sha256, sha256, len(body)),
                )
                self.assertEqual(row["received_at"], row["next_attempt_at"])
                self.assertEqual(row["received_at"].microsecond, 0)
                self.assertGreaterEqual(row["last_received_at"], row["received_at"])
                self.assertIsNotNone(row["create_date"])
                self.assertEqual(row["create_date"], row["write_date"])
            self.assertEqual(
                re.sub(r"\d", "9", gateway_row["name"]), re.sub(r"\d", "9", odoo_row["name"])
            )
            self.assertEqual(
                {k: v for k, v in gateway_row.items() if k not in OWN_COLUMNS},
                {k: v for k, v in odoo_row.items() if k not in OWN_COLUMNS},
            )
        odoo_row, gateway_row = by_payload[sides["odoo"][0]], by_payload[sides["gateway"][0]]
        self.assertEqual((odoo_row["state"], odoo_row["priority"]), ("pending", 7))
        self.assertEqual((odoo_row["create_uid"], odoo_row["partner_ref"]), (self.user_id, "PR-1"))
        self.assertEqual(odoo_row["received_count"], 3, "valid, duplicate, crossed duplicate")
        self.assertEqual(odoo_row["name"], sides["odoo"][2].json()["reference"])
        self.assertEqual(gateway_row["name"], sides["gateway"][2].json()["reference"])
        self.assertEqual(gateway_row["correlation_id"], "corr-gateway")
        ids = [row["id"] for row in rows]
        counts = self.rows(
            "SELECT (SELECT count(*) FROM mail_message WHERE model = 'logistics.message'"
            "           AND res_id = ANY(%(ids)s)) AS messages,"
            "       (SELECT count(*) FROM mail_followers WHERE res_model = 'logistics.message'"
            "           AND res_id = ANY(%(ids)s)) AS followers",
            {"ids": ids},
        )
        self.assertEqual(counts, [{"messages": 0, "followers": 0}], "no chatter on either side")

    def _check_security_events(self):
        events = self.rows(
            "SELECT * FROM logistics_security_event WHERE backend_id = %s ORDER BY id",
            [self.backend_id],
        )
        # Bad and missing signature, and a flow the backend may not post to, on each side.
        self.assertEqual(len(events), 6, events)
        ignored = {"id", "create_date", "write_date"}
        odoo_events = [{k: v for k, v in e.items() if k not in ignored} for e in events[:3]]
        gateway_events = [{k: v for k, v in e.items() if k not in ignored} for e in events[3:]]
        self.assertEqual(gateway_events, odoo_events)
        self.assertTrue(all(event["create_date"] for event in events))

    def _check_cron_triggers(self):
        triggers = self.rows(
            "SELECT cron_id, create_uid, write_uid, call_at, create_date FROM ir_cron_trigger"
            " WHERE create_uid = %s ORDER BY id",
            [self.user_id],
        )
        # The gateway's three new messages of a real-time flow: one trigger per second.
        self.assertTrue(1 <= len(triggers) <= 3, triggers)
        self.assertEqual(
            len({t["call_at"] for t in triggers}), len(triggers), "one per processor and second"
        )
        self.assertEqual(
            {(t["cron_id"], t["create_uid"], t["write_uid"]) for t in triggers},
            {(self.cron_id, self.user_id, self.user_id)},
        )
        self.assertTrue(all(t["call_at"] and t["create_date"] for t in triggers))
