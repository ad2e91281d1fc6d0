import hashlib
import json
import logging

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from logistics_adapters.tests.strategies import HOSTILE_BODIES, hostile_bodies, sized_body
from logistics_adapters.transport.signatures import get_scheme

from .common import InboundFlowMixin

_logger = logging.getLogger(__name__)

SECRET = "fuzz-secret"
EXAMPLES = 300
NASTY = [
    "' OR '1'='1",
    "'; DROP TABLE logistics_message; --",
    "<script>alert(1)</script>",
    "\x00",
    "\ud7ff",
    "%s%s%n",
    "../../etc/passwd",
    "A" * 5000,
    "{{7*7}}",
    "${jndi:ldap://x}",
]
XML_ATTACKS = [
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><r>&c;&c;&c;</r>',
    b'<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd"/></r>',
    b"<r><unclosed></r>",
]

texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=200))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(texts, children, max_size=5),
    max_leaves=20,
)
bodies = st.one_of(
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=3000),
    json_values.map(lambda value: json.dumps(value).encode()[: len(json.dumps(value)) // 2]),
    texts.map(lambda text: text.encode("utf-16", errors="surrogatepass")),
    st.sampled_from(XML_ATTACKS),
    # what a parser chokes on: deep nesting, huge numbers, bad UTF-8, BOMs, NULs, line ends
    hostile_bodies(max_size=2048),
)
content_types = st.sampled_from(
    ["application/json", "application/xml", "text/plain", "application/x-evil", ""]
)
signings = st.sampled_from(["valid", "missing", "forged", "expired", "other-secret"])


@tagged("post_install", "-at_install")
class TestInboundFuzz(InboundFlowMixin, HttpCase):
    """Bounded property-based fuzzing of the real inbound route."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_secret_key()
        flow = cls._make_inbound_flow("fuzz", "test.fuzz", realtime=False)
        cls.backend = cls._make_inbound_backend(
            "Fuzz", "fuzz-partner", flow, SECRET, max_payload_size=2048, inbound_rate_limit=0
        )
        cls.scheme = get_scheme("generic-hmac-sha256")
        codec_flow = cls._make_inbound_flow(
            "fuzz with a codec",
            "test.fuzz.codec",
            handler_model="logistics.handler.store",
            codec="easypost-event",
            realtime=False,
        )
        cls.roomy = {
            "fuzz-roomy": flow,  # the fake handler reads the payload as JSON to identify it
            "fuzz-codec": codec_flow,  # the default handler asks the flow's codec
        }
        for code, inbound_flow in cls.roomy.items():
            cls._make_inbound_backend(
                code, code, inbound_flow, SECRET, max_payload_size=32 * 1024, inbound_rate_limit=0
            )

    def _post(self, code, body, content_type="application/json"):
        return self.opener.post(
            f"{self.base_url()}/logistics/inbound/{code}",
            data=body,
            headers={"Content-Type": content_type, **self._headers(body, "valid")},
            timeout=30,
        )

    def _stored(self, code, body):
        backend = self.env["logistics.backend"].search([("code", "=", code)])
        return self.env["logistics.message"].search(
            [
                ("backend_id", "=", backend.id),
                ("payload_sha256", "=", hashlib.sha256(body).hexdigest()),
            ]
        )

    @mute_logger(
        "odoo.addons.logistics_integration.models.logistics_message",
        "odoo.http",
    )
    def test_every_signed_hostile_body_is_stored_and_answered_with_a_reason(self):
        """Deep nesting, huge numbers, bad UTF-8, a BOM, NULs, line endings, an empty body,
        a DTD: stored byte for byte once, answered 2xx or 400 with the reason, never 5xx.
        The same body again (under any content type) is the same message."""
        for code in self.roomy:
            for name, body in sorted(HOSTILE_BODIES.items()):
                reference = None
                for content_type in ("application/json", "application/xml", "text/plain"):
                    with self.subTest(code=code, body=name, content_type=content_type):
                        response = self._post(code, body, content_type)
                        reply = response.json()
                        allowed = (202, 400) if reference is None else (200, 400)
                        self.assertIn(response.status_code, allowed, response.text)
                        if response.status_code == 400:
                            self.assertTrue(reply["stored"] and reply["error"], reply)
                        reference = reference or reply["reference"]
                        self.assertEqual(reply["reference"], reference, "one message")
                message = self._stored(code, body)
                self.assertEqual(len(message), 1, f"{name}: stored once")
                self.assertEqual(message.name, reference)
                self.assertEqual(message.get_payload(), body, f"{name}: byte for byte")
                self.assertEqual(message.received_count, 3)

    def test_deep_json_and_a_doctype_name_their_reason(self):
        deep = self._post("fuzz-codec", HOSTILE_BODIES["deep-array"])
        self.assertEqual(deep.status_code, 400)
        self.assertEqual(deep.json()["error"], "invalid JSON: nested too deeply (over 256 levels)")
        doctype = self._post("fuzz-codec", HOSTILE_BODIES["xml-bomb"], "application/xml")
        self.assertEqual(doctype.status_code, 400)
        self.assertEqual(
            doctype.json()["error"],
            "XML with a document type declaration (<!DOCTYPE r>) is refused: "
            "DTDs and entities are not accepted",
        )
        self.assertTrue(doctype.json()["stored"], "kept for audit")

    def test_a_body_one_byte_under_the_limit_is_stored(self):
        limit = self.backend.max_payload_size
        for size, status in ((limit - 1, 202), (limit, 202), (limit + 1, 413)):
            with self.subTest(size=size):
                body = sized_body(size)
                response = self.opener.post(
                    f"{self.base_url()}/logistics/inbound/fuzz-partner",
                    data=body,
                    headers={"Content-Type": "application/json", **self._headers(body, "valid")},
                    timeout=30,
                )
                self.assertEqual(response.status_code, status, response.text)
                self.assertEqual(len(self._stored("fuzz-partner", body)), int(status == 202))

    def _headers(self, body, signing):
        if signing == "missing":
            return {}
        if signing == "forged":
            return {"X-Logistics-Timestamp": "1", "X-Logistics-Signature": "f" * 64}
        now = None
        if signing == "expired":
            now = 1_000_000_000
        secret = "not-the-secret" if signing == "other-secret" else SECRET
        return self.scheme.sign(body, secret, now=now)

    @mute_logger(
        "odoo.addons.logistics_integration.models.logistics_security_event",
        "odoo.addons.logistics_integration.models.logistics_message",
        "odoo.http",
    )
    def test_no_input_gets_a_5xx_or_is_lost(self):
        tried = {"count": 0, "stored": 0, "refused": 0}

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(body=bodies, content_type=content_types, signing=signings)
        def check(body, content_type, signing):
            tried["count"] += 1
            response = self.opener.post(
                f"{self.base_url()}/logistics/inbound/fuzz-partner",
                data=body,
                headers={"Content-Type": content_type, **self._headers(body, signing)},
                timeout=30,
            )
            self.assertLess(response.status_code, 500, (body[:80], content_type, signing))
            self.assertNotIn("Traceback", response.text)
            reply = response.json()
            if response.status_code in (200, 202, 400):
                tried["stored"] += 1
                message = self.env["logistics.message"].search([("name", "=", reply["reference"])])
                self.assertEqual(message.get_payload(), body, "stored byte for byte")
            else:
                tried["refused"] += 1
                accepted = signing == "valid" and content_type in (
                    "application/json",
                    "application/xml",
                    "text/plain",
                )
                if accepted:
                    self.assertEqual(response.status_code, 413, reply)

        # hypothesis supplies the arguments of check()
        check()  # pylint: disable=no-value-for-parameter
        _logger.info(
            "Inbound fuzz: %(count)s inputs, %(stored)s stored, %(refused)s refused, no 5xx",
            tried,
        )
        self.assertEqual(tried["count"], EXAMPLES)
