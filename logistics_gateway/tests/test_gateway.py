"""The edge gateway without Odoo and without PostgreSQL: a fake store stands for the tables."""

import asyncio
import hashlib
import json
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters.registry import storable_text
from logistics_adapters.tests.strategies import HOSTILE_BODIES, hostile_bodies, sized_body
from logistics_adapters.transport.inbound import stored_answer
from logistics_adapters.transport.secrets import SecretBox, generate_key
from logistics_adapters.transport.signatures import get_scheme
from logistics_gateway import (
    BackendRow,
    ConfigError,
    Flow,
    GatewayApp,
    Headers,
    InboundService,
    Store,
    Stored,
    load_config,
)
from logistics_gateway.asgi import route
from logistics_gateway.config import config_from_args
from logistics_gateway.sequence import local_now, sequence_name

KEY = generate_key()
SECRET = "gateway-secret"
TECH_USER = 77
NOW = datetime(2026, 3, 1, 12, 0, 0)
CONTENT_TYPES = "application/json, application/xml, text/xml, text/plain"
DEFAULT_FLOW = Flow(id=5, code="carrier.tracking", priority=3, realtime=True)
OTHER_FLOW = Flow(id=6, code="carrier.pod", priority=20, realtime=False)
EASYPOST_FLOW = Flow(id=7, code="carrier.tracking.easypost", codec="easypost-event")


def backend_row(**values):
    box = SecretBox(KEY)
    return BackendRow(
        **{
            "id": 1,
            "code": "acme",
            "company_id": 1,
            "technical_user_id": TECH_USER,
            "signature_scheme": "generic-hmac-sha256",
            "signature_window": 300,
            "max_payload_size": 1000,
            "accepted_content_types": CONTENT_TYPES,
            "inbound_rate_limit": 6000,
            "webhook_secret_encrypted": box.encrypt(SECRET),
            "default_flow": DEFAULT_FLOW,
            **values,
        }
    )


class FakeStore(Store):
    """The inbox, the flows and the security events in memory."""

    def __init__(self, *backends, flows=(OTHER_FLOW,)):
        self.backends = {backend.code: backend for backend in backends}
        self.flows = {flow.code: flow for flow in flows}
        self.messages = {}
        self.hits = {}
        self.events = []
        self.backend_reads = 0
        self.fail = None
        self.closed = False

    def find_backend(self, code):
        self.backend_reads += 1
        return self.backends.get(code)

    def find_flow(self, backend_id, code):
        return self.flows.get(code)

    def take_rate_token(self, key, per_minute):
        self.hits[key] = self.hits.get(key, 0) + 1
        return 0 if self.hits[key] <= per_minute else 30

    def record_security_event(self, backend_row, flow, reason, remote_addr):
        self.events.append((backend_row.id, flow, reason, remote_addr))

    def store_message(self, message):
        if self.fail:
            raise self.fail
        refuse_what_postgres_refuses(message)
        key = (message.backend_id, message.direction, message.idempotency_key)
        known = self.messages.get(key)
        if known:
            known["received_count"] += 1
            return Stored(known["name"], known["message"].correlation_id, False)
        name = f"LGM/2026/{len(self.messages) + 1:07d}"
        self.messages[key] = {"name": name, "message": message, "received_count": 1}
        return Stored(name, message.correlation_id, True)

    def close(self):
        self.closed = True

    def stored(self):
        return [entry["message"] for entry in self.messages.values()]


def refuse_what_postgres_refuses(message):
    """Fail as PostgreSQL would on a row it cannot hold: NUL or unpaired surrogates in text
    (psycopg2's ValueError, UnicodeEncodeError), a key too large for its btree index."""
    for name in ("idempotency_key", "partner_ref", "correlation_id", "content_type", "flow"):
        value = getattr(message, name)
        if value is not None and not storable_text(value):
            raise ValueError(f"{name}: A string literal cannot contain NUL (0x00) characters.")
    if len(message.idempotency_key.encode()) > 2704:
        raise ValueError("index row size exceeds btree version 4 maximum 2704")
    assert isinstance(message.payload, bytes)


class Clock:
    def __init__(self):
        self.value = 1000.0

    def __call__(self):
        return self.value


@pytest.fixture
def store():
    return FakeStore(backend_row(), flows=(OTHER_FLOW, EASYPOST_FLOW))


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(store, clock):
    service = InboundService(store, KEY, clock=clock, now=lambda: NOW)
    gateway = GatewayApp(service, threads=2)
    yield gateway
    gateway.executor.shutdown(wait=True)


def call(app, path="/logistics/inbound/acme", body=b"", *, method="POST", headers=(), chunks=None):
    """Run one request through the ASGI app; return ``(status, headers, body, reads)``."""
    chunks = [body] if chunks is None else chunks
    incoming = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    reads, sent = [], []

    async def receive():
        reads.append(1)
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers],
        "client": ("203.0.113.9", 40000),
    }
    asyncio.run(app(scope, receive, send))
    start, payload = sent
    answer_headers = {name.decode(): value.decode() for name, value in start["headers"]}
    return start["status"], answer_headers, json.loads(payload["body"]), len(reads)


def signed(body, secret=SECRET, content_type="application/json", now=None, **extra):
    headers = get_scheme("generic-hmac-sha256").sign(body, secret, now=now)
    return [("Content-Type", content_type), *headers.items(), *extra.items()]


def post(app, body=b'{"event": "delivered"}', path="/logistics/inbound/acme", **options):
    headers = options.pop("headers", None)
    return call(app, path, body, headers=headers or signed(body, **options))


# -- accepted, duplicate, malformed -------------------------------------------------------


def test_accepts_and_stores_what_odoo_stores(app, store):
    body = b'{"event": "delivered", "note": "caf\xc3\xa9"}'
    headers = signed(
        body,
        content_type="Application/JSON; charset=utf-8",
        **{"X-Correlation-ID": "corr-1", "X-Partner-Reference": "SO42"},
    )
    status, answer_headers, reply, _reads = call(app, body=body, headers=headers)
    assert status == 202
    assert answer_headers["content-type"] == "application/json"
    assert reply == stored_answer("LGM/2026/0000001", "corr-1", True, None).body
    assert list(reply) == ["reference", "correlation_id", "status"]
    (message,) = store.stored()
    sha256 = hashlib.sha256(body).hexdigest()
    assert message.payload == body
    assert (message.idempotency_key, message.payload_sha256) == (sha256, sha256)
    assert message.payload_size == len(body)
    assert (message.backend_id, message.company_id, message.user_id) == (1, 1, TECH_USER)
    assert (message.type_id, message.flow, message.priority) == (5, "carrier.tracking", 3)
    assert (message.direction, message.state, message.received_count) == ("inbound", "pending", 1)
    assert (message.partner_ref, message.correlation_id) == ("SO42", "corr-1")
    assert message.content_type == "application/json"
    assert message.now == NOW and message.realtime


def test_tracking_numbers_are_the_partner_reference_as_the_odoo_route_has_them(app, store):
    event = {
        "object": "Event",
        "description": "tracker.updated",
        "result": {
            "object": "Tracker",
            "id": "trk_1",
            "tracking_code": "9400100000000000000001",
            "status": "in_transit",
            "tracking_details": [],
            "updated_at": "2026-11-20T10:00:00Z",
        },
    }
    body = json.dumps(event).encode()
    path = "/logistics/inbound/acme/carrier.tracking.easypost"
    assert post(app, body=body, path=path)[0] == 202
    assert post(app, body=b"{not json", path=path)[0] == 400
    tracked, unreadable = store.stored()
    assert tracked.partner_ref == "9400100000000000000001"
    assert unreadable.partner_ref is None, "stored all the same, reported when processed"
    assert post(app)[0] == 202
    assert store.stored()[-1].partner_ref is None, "no codec, no reference"


def test_flow_in_the_url_and_a_new_correlation_id(app, store):
    status, _headers, reply, _reads = post(app, path="/logistics/inbound/acme/carrier.pod")
    assert status == 202
    (message,) = store.stored()
    assert (message.type_id, message.priority, message.realtime) == (6, 20, False)
    assert message.partner_ref is None
    assert len(reply["correlation_id"]) == 32 and int(reply["correlation_id"], 16) >= 0


def test_duplicate_answers_200_with_the_original_reference(app, store):
    first = post(app)[2]
    status, _headers, again, _reads = post(app, **{"X-Correlation-ID": "other"})
    assert status == 200
    assert again == {**first, "status": "duplicate"}
    (entry,) = store.messages.values()
    assert entry["received_count"] == 2


def test_malformed_body_is_stored_and_answered_400(app, store):
    status, _headers, reply, _reads = post(app, body=b'{"event": "trunc')
    assert status == 400
    assert reply["stored"] is True and reply["error"].startswith("invalid JSON")
    assert reply["reference"] == "LGM/2026/0000001"
    assert store.stored()[0].payload == b'{"event": "trunc'


# -- refusals ---------------------------------------------------------------------------


def test_bad_signature_is_401_kept_as_security_event_and_not_stored(app, store):
    status, _headers, reply, _reads = post(app, path="/logistics/inbound/acme/x", secret="guess")
    assert status == 401
    assert reply == {"error": "signature rejected: generic-hmac-sha256: signature mismatch"}
    assert store.events == [(1, "x", "generic-hmac-sha256: signature mismatch", "203.0.113.9")]
    assert not store.messages


def test_unknown_backend_and_unknown_flow_are_404(app, store):
    status, _headers, reply, _reads = post(app, path="/logistics/inbound/nobody")
    assert (status, reply) == (404, {"error": "unknown backend 'nobody'"})
    status, _headers, reply, _reads = post(app, path="/logistics/inbound/acme/nope")
    assert (status, reply) == (404, {"error": "unknown flow 'nope' for backend 'acme'"})
    # the signature is checked first: an unsigned request learns nothing about flows
    assert post(app, path="/logistics/inbound/acme/nope", secret="guess")[0] == 401
    assert not store.messages


def test_no_default_flow_is_404(store, clock):
    store.backends["acme"] = backend_row(default_flow=None)
    gateway = GatewayApp(InboundService(store, KEY, clock=clock), threads=1)
    status, _headers, reply, _reads = post(gateway)
    assert (status, reply) == (404, {"error": "unknown flow None for backend 'acme'"})


def test_declared_too_large_is_413_before_reading_the_body(app, store):
    body = b"x" * 1001
    headers = [*signed(body), ("Content-Length", "1001")]
    status, _headers, reply, reads = call(app, body=body, headers=headers)
    assert (status, reply) == (413, {"error": "body larger than 1000 bytes"})
    assert reads == 0
    assert not store.messages


def test_streamed_body_stops_being_read_past_the_limit(app):
    chunks = [b"x" * 600] * 10
    status, _headers, _reply, reads = call(app, chunks=chunks, headers=signed(b"".join(chunks)))
    assert status == 413
    assert reads == 2


def test_wrong_content_type_is_415(app, store):
    status, _headers, reply, _reads = post(app, body=b"x", content_type="application/pdf")
    assert status == 415
    assert reply["accepted"] == [part.strip() for part in CONTENT_TYPES.split(",")]
    assert not store.messages and not store.events


def test_rate_limit_answers_429_with_retry_after(store, clock):
    store.backends["acme"] = backend_row(inbound_rate_limit=1)  # one a minute
    gateway = GatewayApp(InboundService(store, KEY, clock=clock), threads=1)
    first = post(gateway, body=b'{"n": 1}')
    limited = post(gateway, body=b'{"n": 2}')
    assert first[0] == 202
    assert limited[0] == 429
    assert limited[2] == {"error": "rate limit exceeded, retry later"}
    assert int(limited[1]["retry-after"]) >= 1


def test_the_signature_is_checked_before_the_partner_budget_is_spent(store, clock):
    """Strangers who know a backend's code spend their own address's budget, never the
    partner's: its signed webhooks keep being accepted while they are answered 429."""
    store.backends["acme"] = backend_row(inbound_rate_limit=1)
    gateway = GatewayApp(InboundService(store, KEY, clock=clock), threads=1)
    forged = [post(gateway, body=b'{"n": 0}', secret="guess")[0] for _ in range(61)]
    assert forged == [401] * 60 + [429], "their own budget: 60 a minute per address"
    assert len(store.events) == 60, "refusals past the budget are not recorded one by one"
    assert post(gateway, body=b'{"n": 1}')[0] == 202, "the partner's budget is intact"
    assert post(gateway, body=b'{"n": 2}')[0] == 429, "then the partner's own limit holds"
    assert post(gateway, body=b'{"n": 3}', secret="guess")[0] == 429


def test_method_and_paths(app):
    assert call(app, method="GET")[0] == 405
    assert call(app, method="GET")[1]["allow"] == "POST"
    for path in ("/", "/logistics/inbound", "/logistics/inbound/", "/logistics/inbound/a/b/c"):
        assert call(app, path)[0] == 404, path


def test_route():
    assert route("/logistics/inbound/acme") == ("acme", None)
    assert route("/logistics/inbound/acme/") == ("acme", None)
    assert route("/logistics/inbound/acme/carrier.pod") == ("acme", "carrier.pod")
    assert route("/logistics/inbound//x") is None
    assert route("/other/acme") is None


# -- failures are 503, never 500 ----------------------------------------------------------


def test_database_failure_is_503_without_a_trace(app, store):
    store.fail = RuntimeError("connection refused, password=hunter2")
    status, _headers, reply, _reads = post(app)
    assert (status, reply) == (503, {"error": "temporarily unavailable, retry later"})


def test_secret_under_another_key_is_503(store, clock):
    gateway = GatewayApp(InboundService(store, generate_key(), clock=clock), threads=1)
    assert post(gateway)[0] == 503


def test_no_secret_needs_no_key_and_refuses(store, clock):
    store.backends["acme"] = backend_row(webhook_secret_encrypted=None)
    gateway = GatewayApp(InboundService(store, None, clock=clock), threads=1)
    status, _headers, reply, _reads = post(gateway)
    assert status == 401
    assert "no secret configured" in reply["error"]


@given(
    body=st.binary(max_size=1200),
    content_type=st.sampled_from(["application/json", "text/xml", "", "a/b; x=1", "\x7f"]),
    header_names=st.lists(st.text(min_size=1, max_size=20), max_size=3),
    path=st.text(max_size=40),
)
def test_never_a_500_for_garbage(body, content_type, header_names, path):
    store = FakeStore(backend_row())
    gateway = GatewayApp(InboundService(store, KEY), threads=1)
    try:
        headers = signed(body, content_type=content_type) + [(name, "v") for name in header_names]
        headers = [
            (name.encode("utf-8", "replace").decode("latin-1"), value) for name, value in headers
        ]
        for target in ("/logistics/inbound/acme", "/logistics/inbound/" + path):
            status = call(gateway, target, body, headers=headers)[0]
            assert status in (200, 202, 400, 401, 404, 413, 415), status
    finally:
        gateway.executor.shutdown(wait=True)


# -- whatever a signed body holds: stored and answered 2xx or 4xx, never 503 -----------------


def roomy_gateway(**values):
    store = FakeStore(
        backend_row(max_payload_size=16 * 1024, **values), flows=(OTHER_FLOW, EASYPOST_FLOW)
    )
    return store, GatewayApp(InboundService(store, KEY, now=lambda: NOW), threads=1)


@pytest.mark.parametrize("name", sorted(HOSTILE_BODIES))
@pytest.mark.parametrize("path", ["acme", "acme/carrier.tracking.easypost"])
@pytest.mark.parametrize("content_type", ["application/json", "application/xml", "text/plain"])
def test_each_hostile_body_is_stored_and_answered_with_a_reason(name, path, content_type):
    body = HOSTILE_BODIES[name]
    store, gateway = roomy_gateway()
    try:
        status, _headers, reply, _reads = post(
            gateway, body=body, path=f"/logistics/inbound/{path}", content_type=content_type
        )
        assert status in (202, 400), (status, reply)
        assert reply["stored"] is True if status == 400 else reply["status"] == "accepted"
        (message,) = store.stored()
        assert message.payload == body, "stored byte for byte"
        again = post(
            gateway, body=body, path=f"/logistics/inbound/{path}", content_type=content_type
        )
        assert again[0] in (200, 400) and len(store.stored()) == 1, "nothing applied twice"
    finally:
        gateway.executor.shutdown(wait=True)


@settings(max_examples=120)
@given(
    body=hostile_bodies(max_size=4096),
    path=st.sampled_from(["acme", "acme/carrier.tracking.easypost"]),
    content_type=st.sampled_from(["application/json", "application/xml", "text/plain"]),
)
def test_no_signed_body_is_answered_503_or_lost(body, path, content_type):
    store, gateway = roomy_gateway()
    try:
        status, _headers, reply, _reads = post(
            gateway, body=body, path=f"/logistics/inbound/{path}", content_type=content_type
        )
        assert status in (202, 400), (status, reply, body[:60])
        assert [message.payload for message in store.stored()] == [body]
    finally:
        gateway.executor.shutdown(wait=True)


def test_a_body_one_byte_under_the_limit_is_stored_and_one_over_is_413(app, store):
    under, at, over = sized_body(999), sized_body(1000), sized_body(1001)
    assert [post(app, body=body)[0] for body in (under, at, over)] == [202, 202, 413]
    assert [message.payload for message in store.stored()] == [under, at]


def test_an_unstorable_message_id_is_hashed_and_still_a_duplicate_key(store, clock):
    event = {
        "object": "Event",
        "id": "evt\u0000" + "x" * 500,
        "description": "tracker.updated",
        "result": {
            "object": "Tracker",
            "tracking_code": "1Z",
            "status": "in_transit",
            "updated_at": "2026-11-20T10:00:00Z",
        },
    }
    body = json.dumps(event).encode()
    path = "/logistics/inbound/acme/carrier.tracking.easypost"
    assert post(store_app(store, clock), body=body, path=path)[0] == 202
    (message,) = store.stored()
    assert message.idempotency_key.startswith("sha256:") and message.partner_ref == "1Z"


def store_app(store, clock):
    return GatewayApp(InboundService(store, KEY, clock=clock, now=lambda: NOW), threads=1)


# -- replays: a duplicate while the signature is fresh, refused once it is stale -------------


def test_a_replayed_signed_request_is_a_duplicate_then_refused_when_stale(app, store):
    body = b'{"event": "delivered", "ref": "SO7"}'
    stamp = int(time.time())
    headers = signed(body, now=stamp)
    first = call(app, body=body, headers=headers)
    replayed = call(app, body=body, headers=headers)
    assert (first[0], replayed[0]) == (202, 200)
    assert replayed[2] == {**first[2], "status": "duplicate"}
    (entry,) = store.messages.values()
    assert entry["received_count"] == 2, "stored once, processed once"
    stale = call(app, body=body, headers=signed(body, now=stamp - 301))
    assert stale[0] == 401 and "outside the 300 s window" in stale[2]["error"]
    assert len(store.messages) == 1 and entry["received_count"] == 2


# -- settings cache and secret rotation -------------------------------------------------


def test_a_new_secret_applies_once_the_cache_expires(app, store, clock):
    assert post(app, body=b'{"n": 1}')[0] == 202
    store.backends["acme"] = backend_row(webhook_secret_encrypted=SecretBox(KEY).encrypt("new"))
    assert post(app, body=b'{"n": 2}', secret="new")[0] == 401, "cached for a few seconds"
    clock.value += 5.1
    assert post(app, body=b'{"n": 3}', secret="new")[0] == 202
    assert store.backend_reads == 2


def test_previous_secret_only_during_its_rotation(store, clock):
    box = SecretBox(KEY)
    rotating = {
        "webhook_secret_encrypted": box.encrypt("new"),
        "webhook_secret_previous_encrypted": box.encrypt(SECRET),
    }
    store.backends["acme"] = backend_row(
        webhook_secret_previous_until=NOW + timedelta(hours=1), **rotating
    )
    service = InboundService(store, KEY, clock=clock, now=lambda: NOW)
    gateway = GatewayApp(service, threads=1)
    assert post(gateway, body=b'{"n": 1}')[0] == 202
    assert post(gateway, body=b'{"n": 2}', secret="new")[0] == 202
    store.backends["acme"] = backend_row(
        webhook_secret_previous_until=NOW - timedelta(seconds=1), **rotating
    )
    clock.value += 6
    assert post(gateway, body=b'{"n": 3}')[0] == 401


def test_lifespan_closes_the_store(app, store):
    messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent = []

    async def receive():
        return messages.pop(0)

    async def send(message):
        sent.append(message["type"])

    asyncio.run(app({"type": "lifespan"}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert store.closed


def test_headers_are_case_insensitive():
    headers = Headers.from_asgi([(b"x-correlation-id", b"a"), (b"X-Correlation-ID", b"b")])
    assert headers.get("X-CORRELATION-ID") == "a"
    assert headers["x-correlation-id"] == "a"
    assert "Content-Type" not in headers


# -- references ---------------------------------------------------------------------------


def test_sequence_name_like_ir_sequence():
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert sequence_name("LGM/%(year)s/", None, 7, 42, now) == "LGM/2026/0000042"
    assert sequence_name("%(y)s%(month)s-", "/%(range_day)s", 3, 5, now) == "2601-005/02"
    assert sequence_name(None, "", 0, 9, now) == "9"
    with pytest.raises(Exception, match="invalid prefix"):
        sequence_name("%(nope)s", None, 1, 1, now)


def test_local_now_uses_the_user_time_zone():
    assert local_now("Pacific/Kiritimati").utcoffset() == timedelta(hours=14)
    assert local_now(None).utcoffset() == timedelta(0)
    assert local_now("Not/AZone").utcoffset() == timedelta(0)


# -- configuration ------------------------------------------------------------------------

ODOO_CONF = """[options]
addons_path = /opt/odoo/addons
db_host = db.internal
db_port = 6432
db_user = odoo
db_password = s3cret
db_name = prod
db_sslmode = False
logistics_secret_key = {key}
proxy_mode = True
"""


def test_reads_the_odoo_configuration_file(tmp_path):
    path = tmp_path / "odoo.conf"
    path.write_text(ODOO_CONF.format(key=KEY))
    config = load_config(str(path), environ={})
    assert (config.dbname, config.db_host, config.db_port) == ("prod", "db.internal", 6432)
    assert (config.db_user, config.db_password, config.secret_key) == ("odoo", "s3cret", KEY)
    assert config.proxy_mode
    kwargs = config.connect_kwargs()
    assert "sslmode" not in kwargs
    assert kwargs["dbname"] == "prod" and config.connect_kwargs("postgres")["dbname"] == "postgres"


def test_secret_key_falls_back_to_the_environment_and_d_wins(tmp_path):
    path = tmp_path / "odoo.conf"
    path.write_text("[options]\ndb_host = False\ndb_name = a,b\nlogistics_secret_key = False\n")
    with pytest.raises(ConfigError, match="several databases"):
        load_config(str(path), environ={})
    config = config_from_args(
        ["-c", str(path), "-d", "b", "--port", "9000", "--workers", "3"],
        environ={"LOGISTICS_SECRET_KEY": KEY},
    )
    assert (config.dbname, config.db_host, config.secret_key) == ("b", None, KEY)
    assert (config.host, config.port, config.workers) == ("127.0.0.1", 9000, 3)


def test_configuration_errors_say_what_to_fix(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(str(tmp_path / "missing.conf"))
    path = tmp_path / "odoo.conf"
    path.write_text("[other]\nx = 1\n")
    with pytest.raises(ConfigError, match=r"no \[options\]"):
        load_config(str(path))
    path.write_text("[options]\ndb_user = odoo\n")
    with pytest.raises(ConfigError, match="no database"):
        load_config(str(path))


# -- over real HTTP -----------------------------------------------------------------------


def test_over_http_with_uvicorn(store):
    uvicorn = pytest.importorskip("uvicorn")
    gateway = GatewayApp(InboundService(store, KEY), threads=2)
    server = uvicorn.Server(uvicorn.Config(gateway, host="127.0.0.1", port=0, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        url = f"http://127.0.0.1:{port}/logistics/inbound/acme"
        body = b'{"over": "http"}'
        request = urllib.request.Request(url, data=body, headers=dict(signed(body)))
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 202
            assert json.loads(response.read())["status"] == "accepted"
        request = urllib.request.Request(url, data=body, headers=dict(signed(body, secret="x")))
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 401
        assert store.events[0][3] == "127.0.0.1"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _postgres_reachable():
    try:
        import psycopg2

        psycopg2.connect(dbname="postgres", host="127.0.0.1", connect_timeout=2).close()
    except Exception:
        return False
    return True


@pytest.mark.skipif(not _postgres_reachable(), reason="no PostgreSQL on 127.0.0.1")
def test_pool_keeps_its_connections_between_requests():
    from logistics_gateway.postgres import _KeepingPool

    pool = _KeepingPool(0, 2, dbname="postgres", host="127.0.0.1")
    try:
        first, second = pool.getconn(), pool.getconn()
        pids = {first.get_backend_pid(), second.get_backend_pid()}
        pool.putconn(first)
        pool.putconn(second)
        assert not first.closed and not second.closed, "given back, still open"
        again = [pool.getconn(), pool.getconn()]
        assert {conn.get_backend_pid() for conn in again} == pids, "the same sessions reused"
        pool.putconn(again[0], close=True)
        assert again[0].closed, "a connection given back to close is closed"
    finally:
        pool.closeall()
