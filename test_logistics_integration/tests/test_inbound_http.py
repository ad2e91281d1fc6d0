import json
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME
from odoo.tools import mute_logger

from logistics_adapters.sandbox import Sandbox
from logistics_adapters.transport.secrets import generate_key
from logistics_adapters.transport.signatures import get_scheme

from .common import InboundHttpCase

SECRET = "sandbox-secret"
KEY = generate_key()


@tagged("post_install", "-at_install")
class TestInboundHttp(InboundHttpCase):
    """The real route, over real HTTP, against the server Odoo runs for tests."""

    backend_name, code = "HTTP partner", "http-partner"
    flow_name, flow_code = "fake inbound", "test.http"
    secret, secret_key = SECRET, KEY

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_flow = cls._make_inbound_flow("fake other", "test.http.other")
        cls.backend.inbound_flow_ids = [Command.set(cls.other_flow.ids)]
        cls.scheme = get_scheme("generic-hmac-sha256")

    def test_accepts_stores_verbatim_and_wakes_the_processor(self):
        body = b'{"key": "evt-1", "ref": "SO1", "note": "caf\xc3\xa9"}'
        cron = self.env.ref("logistics_integration.ir_cron_logistics_process")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        response = self.post(body)
        self.assertEqual(response.status_code, 202, response.text)
        reply = response.json()
        self.assertEqual(reply["status"], "accepted")
        message = self.messages()
        self.assertEqual(reply["reference"], message.name)
        self.assertEqual(message.get_payload(), body)
        self.assertEqual((message.type_id, message.partner_ref), (self.flow, "SO1"))
        self.assertEqual(message.create_uid, self.backend.technical_user_id)
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers
        )

    def test_duplicate_answers_200_with_the_original_reference(self):
        first = self.post({"key": "evt-2"}).json()
        again = self.post({"key": "evt-2"})
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json()["reference"], first["reference"])
        self.assertEqual(again.json()["status"], "duplicate")
        self.assertEqual(self.messages().received_count, 2)

    def test_partner_idempotency_key_header_wins(self):
        first = self.post({"n": 1}, headers={"Idempotency-Key": "evt_900"})
        again = self.post({"n": 1, "resent_at": "later"}, headers={"Idempotency-Key": "evt_900"})
        self.assertEqual((first.status_code, again.status_code), (202, 200))
        self.assertEqual(self.messages().idempotency_key, "evt_900")
        other = self.post({"n": 1}, headers={"Idempotency-Key": "evt_901"})
        self.assertEqual(other.status_code, 202, "same body, another partner message")

    def test_sandbox_webhooks_duplicated_and_shuffled_are_stored_once_each(self):
        with self.allow_requests(), Sandbox(port=0) as sandbox:
            # The sandbox plays the partner; Odoo's test server only serves requests that
            # carry the test cookie, so its events carry it too.
            cookie = f"{TEST_CURSOR_COOKIE_NAME}={self.opener.cookies[TEST_CURSOR_COOKIE_NAME]}"
            events = [
                {
                    "after": index * 0.05,
                    "body": {"key": f"trk-{index}", "ref": "1Z9"},
                    "headers": {"Cookie": cookie},
                }
                for index in range(4)
            ]
            sandbox.play(
                {
                    "webhook_url": f"{self.base_url()}/logistics/inbound/http-partner",
                    "secret": SECRET,
                    "events": events,
                    "duplicate": 3,
                    "shuffle": 7,
                }
            )
            deliveries = sandbox.wait_deliveries(12, timeout=30)
        statuses = sorted(delivery["status_code"] for delivery in deliveries)
        self.assertEqual(statuses, [200] * 8 + [202] * 4, deliveries[0]["response_body"])
        messages = self.messages()
        self.assertEqual(len(messages), 4)
        self.assertEqual(set(messages.mapped("received_count")), {3})

    @mute_logger("odoo.addons.logistics_integration.models.logistics_security_event")
    def test_flow_in_the_url(self):
        response = self.post({"key": "evt-3"}, flow="test.http.other")
        self.assertEqual(response.status_code, 202)
        self.assertEqual(self.messages().type_id, self.other_flow)
        self.assertEqual(self.post({"key": "evt-4"}, flow="nope").status_code, 404)

    @mute_logger("odoo.addons.logistics_integration.models.logistics_security_event")
    def test_bad_signatures_are_refused_and_kept_as_security_events(self):
        cases = {
            "wrong secret": {"secret": "guess"},
            "no signature": {"secret": ""},
            "too old": {"now": fields.Datetime.now().timestamp() - 3600},
            "forged header": {"headers": {"X-Logistics-Signature": "0" * 64}},
        }
        for label, options in cases.items():
            with self.subTest(label):
                response = self.post({"key": f"bad-{label}"}, **options)
                self.assertEqual(response.status_code, 401, response.text)
                self.assertIn("signature rejected", response.json()["error"])
        self.assertFalse(self.messages(), "the body of a refused request is not stored")
        events = self.env["logistics.security.event"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(len(events), 4)
        self.assertTrue(
            any("outside the 300 s window" in reason for reason in events.mapped("reason"))
        )
        self.assertFalse(any(SECRET in reason for reason in events.mapped("reason")))

    @mute_logger("odoo.addons.logistics_integration.models.logistics_security_event")
    def test_previous_secret_accepted_during_rotation_only(self):
        self.backend.write(
            {
                "webhook_secret": "new-secret",
                "webhook_secret_previous": SECRET,
                "webhook_secret_previous_until": fields.Datetime.now() + timedelta(days=1),
            }
        )
        self.assertEqual(self.post({"key": "rot-1"}).status_code, 202)
        self.assertEqual(self.post({"key": "rot-2"}, secret="new-secret").status_code, 202)
        self.backend.webhook_secret_previous_until = fields.Datetime.now() - timedelta(seconds=1)
        self.assertEqual(self.post({"key": "rot-3"}).status_code, 401)

    def test_client_errors_get_their_status(self):
        self.assertEqual(self.post({"a": 1}, code="nobody").status_code, 404)
        archived = self.backend.copy({"code": "archived-partner", "active": False})
        self.assertEqual(self.post({"a": 1}, code=archived.code).status_code, 404)
        self.assertEqual(self.url_open("/logistics/inbound/http-partner").status_code, 405)
        self.backend.max_payload_size = 100
        too_large = self.post({"blob": "x" * 200})
        self.assertEqual(too_large.status_code, 413)
        self.assertIn("larger than 100 bytes", too_large.json()["error"])
        self.backend.max_payload_size = 1024 * 1024
        wrong_type = self.post(b"x", content_type="application/octet-stream")
        self.assertEqual(wrong_type.status_code, 415)
        self.assertFalse(self.messages())

    def test_malformed_body_is_400_and_kept_for_audit(self):
        response = self.post(b'{"key": "truncated', content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("invalid JSON", response.json()["error"])
        self.assertTrue(response.json()["stored"])
        self.assertEqual(self.messages().get_payload(), b'{"key": "truncated')

    def test_xml_entities_are_never_resolved(self):
        body = (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
        )
        response = self.post(body, content_type="application/xml")
        self.assertEqual(response.status_code, 400)
        self.assertIn("document type declaration", response.json()["error"])
        self.assertNotIn("root:", response.text)

    def test_rate_limit_answers_429(self):
        self.backend.inbound_rate_limit = 1  # one a minute
        statuses = [self.post({"key": f"rl-{index}"}).status_code for index in range(3)]
        self.assertEqual(statuses[0], 202)
        self.assertIn(429, statuses)
        limited = self.post({"key": "rl-x"})
        self.assertEqual(limited.status_code, 429)
        self.assertTrue(int(limited.headers["Retry-After"]) >= 1)

    def test_never_a_500_for_garbage(self):
        for body in (b"", b"\xff\xfe\x00", b"{" * 5000, b"' OR 1=1; --<script>"):
            response = self.post(body)
            self.assertLess(response.status_code, 500, body[:20])

    @mute_logger("odoo.addons.logistics_integration.models.logistics_security_event")
    def test_a_replayed_request_is_a_duplicate_then_refused_once_stale(self):
        """No replay store: the same signed request again is a duplicate of the first (one
        message, processed once); once its timestamp is out of the window it is refused."""
        body = b'{"note": "replayed as captured"}'
        captured = {"Content-Type": "application/json", **self.scheme.sign(body, SECRET)}
        url = "/logistics/inbound/http-partner"
        first = self.url_open(url, data=body, headers=captured)
        replayed = self.url_open(url, data=body, headers=captured)
        self.assertEqual((first.status_code, replayed.status_code), (202, 200), replayed.text)
        self.assertEqual(replayed.json(), {**first.json(), "status": "duplicate"})
        self.assertEqual(self.messages().received_count, 2)
        stale = self.post(body, now=time.time() - 301)
        self.assertEqual(stale.status_code, 401)
        self.assertIn("outside the 300 s window", stale.json()["error"])
        self.assertEqual((len(self.messages()), self.messages().received_count), (1, 2))


@tagged("post_install", "-at_install")
class TestSecretsAtRest(HttpCase):
    def test_secrets_are_encrypted_and_masked(self):
        with patch.dict("os.environ", {"LOGISTICS_SECRET_KEY": KEY}):
            backend = self.env["logistics.backend"].create(
                {
                    "name": "Vault",
                    "code": "vault",
                    "secret": "api-key-123456",
                    "webhook_secret": "whsec-abcdef",
                }
            )
            self.env.flush_all()
            self.env.cr.execute(
                "SELECT secret_encrypted, webhook_secret_encrypted FROM logistics_backend"
                " WHERE id = %s",
                [backend.id],
            )
            stored = self.env.cr.fetchone()
            self.assertTrue(all(value.startswith("fernet:") for value in stored))
            self.env.cr.execute(
                "SELECT row_to_json(b)::text FROM logistics_backend b WHERE id = %s", [backend.id]
            )
            row = self.env.cr.fetchone()[0]
            self.assertNotIn("api-key-123456", row)
            self.assertNotIn("whsec-abcdef", row)
            backend.invalidate_recordset()
            self.assertNotIn("123456", backend.secret[:-4] if backend.secret else "")
            self.assertNotEqual(backend.secret, "api-key-123456")
            self.assertEqual(backend._get_secret("secret"), "api-key-123456")
            form_values = backend.web_read({"secret": {}, "webhook_secret": {}})[0]
            self.assertNotIn("api-key-123456", json.dumps(form_values))

    def test_saving_a_secret_without_a_key_says_what_to_do(self):
        # A production database: no demo data, so no development key to fall back to.
        self.env.cr.execute("UPDATE ir_module_module SET demo = false WHERE name = 'base'")
        with (
            patch.dict("os.environ", {"LOGISTICS_SECRET_KEY": ""}),
            self.assertRaisesRegex(UserError, "logistics_secret_key"),
        ):
            self.env["logistics.backend"].create(
                {"name": "No key", "code": "nokey", "webhook_secret": "x"}
            )
