"""The sandbox partner: shipments, request log, faults seen by the outbound client, webhooks."""

import base64
import json
import time

import pytest

from logistics_adapters.errors import BusinessError, TransientError
from logistics_adapters.sandbox import Sandbox
from logistics_adapters.sandbox.__main__ import main as sandbox_main
from logistics_adapters.tests.helpers import loopback_session, served_sandbox
from logistics_adapters.tests.webhook_receiver import WebhookReceiver
from logistics_adapters.transport.http import OutboundClient
from logistics_adapters.transport.signatures import get_scheme

SECRET = "sandbox-test-secret"
SCHEME = get_scheme("generic-hmac-sha256")


@pytest.fixture
def sandbox():
    with Sandbox(port=0, secret=SECRET) as running:
        yield running


@pytest.fixture
def client(sandbox):
    with OutboundClient(sandbox.url, timeout=(2, 2), session=loopback_session()) as outbound:
        yield outbound


def Receiver(statuses=()):
    """A receiver checking this module's scheme and secret (see ``WebhookReceiver``)."""
    return WebhookReceiver(SCHEME, SECRET, path="/hooks", statuses=statuses)


def _play(http, sandbox, **spec):
    response = http.post(f"{sandbox.url}/_sandbox/timeline", json=spec, timeout=5)
    assert response.status_code == 202, response.text
    return response.json()


# -- shipments --------------------------------------------------------------------------------


def test_create_shipment_answers_id_tracking_and_pdf_label(client):
    response = client.post("/shipments", json={"reference": "WH/OUT/0001"})
    shipment = response.json()
    assert response.status == 201
    assert shipment["id"] == "shp_000001"
    assert shipment["tracking_number"].startswith("SBX")
    assert shipment["reference"] == "WH/OUT/0001"
    pdf = base64.b64decode(shipment["label"]["data"])
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert shipment["tracking_number"].encode() in pdf
    fetched = client.get(f"/shipments/{shipment['id']}").json()
    assert fetched["tracking_number"] == shipment["tracking_number"]


def test_zpl_label_and_unknown_label_format(client):
    shipment = client.post("/shipments", json={"label_format": "zpl"}).json()
    zpl = base64.b64decode(shipment["label"]["data"]).decode()
    assert shipment["label"]["format"] == "ZPL"
    assert zpl.startswith("^XA") and shipment["tracking_number"] in zpl
    with pytest.raises(BusinessError, match="422"):
        client.post("/shipments", json={"label_format": "GIF"})


def test_same_idempotency_key_answers_the_same_shipment_once(client, sandbox):
    first = client.post("/shipments", json={"reference": "A"}, idempotency_key="key-1")
    again = client.post("/shipments", json={"reference": "A"}, idempotency_key="key-1")
    other = client.post("/shipments", json={"reference": "A"}, idempotency_key="key-2")
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert other.json()["id"] != first.json()["id"]
    assert len(sandbox.route_sets[0].shipments) == 2
    with pytest.raises(BusinessError, match="already used"):
        client.post("/shipments", json={"reference": "B"}, idempotency_key="key-1")


def test_cancel_shipment_and_unknown_shipment(client):
    shipment = client.post("/shipments", json={}).json()
    cancelled = client.post(f"/shipments/{shipment['id']}/cancel").json()
    assert cancelled["status"] == "cancelled"
    assert client.get(f"/shipments/{shipment['id']}").json()["status"] == "cancelled"
    with pytest.raises(BusinessError, match="404"):
        client.get("/shipments/shp_999999")


def test_bad_shipment_body_and_wrong_method(http, sandbox):
    response = http.post(f"{sandbox.url}/shipments", data=b"{not json", timeout=5)
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]
    response = http.delete(f"{sandbox.url}/shipments", timeout=5)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


# -- request log ------------------------------------------------------------------------------


def test_every_partner_request_is_recorded_and_can_be_cleared(client, http, sandbox):
    client.post("/shipments", json={"reference": "R1"}, idempotency_key="k", correlation_id="c")
    client.get("/shipments/shp_000001")
    log = http.get(f"{sandbox.url}/_sandbox/requests", timeout=5).json()
    assert [(r["method"], r["path"], r["status"]) for r in log["requests"]] == [
        ("POST", "/shipments", 201),
        ("GET", "/shipments/shp_000001", 200),
    ]
    first = log["requests"][0]
    assert first["headers"]["Idempotency-Key"] == "k"
    assert first["headers"]["X-Correlation-ID"] == "c"
    assert json.loads(first["body"]) == {"reference": "R1"}
    assert first["time"].endswith("+00:00") and first["timestamp"] > 0
    only_get = http.get(f"{sandbox.url}/_sandbox/requests?method=get", timeout=5).json()
    assert only_get["count"] == 1
    assert http.delete(f"{sandbox.url}/_sandbox/requests", timeout=5).json() == {"cleared": 2}
    assert http.get(f"{sandbox.url}/_sandbox/requests", timeout=5).json()["count"] == 0


# -- faults as the outbound client sees them --------------------------------------------------


def _add_fault(http, sandbox, **spec):
    response = http.post(f"{sandbox.url}/_sandbox/faults", json=spec, timeout=5)
    assert response.status_code == 201, response.text
    return response.json()["fault"]


def test_5xx_fault_is_transient_for_count_requests_then_clears(client, http, sandbox):
    _add_fault(http, sandbox, mode="5xx", count=2, retry_after=7)
    for _attempt in range(2):
        with pytest.raises(TransientError) as caught:
            client.post("/shipments", json={})
        assert caught.value.response.status == 503
        assert caught.value.retry_after == 7
    assert client.post("/shipments", json={}).status == 201
    statuses = [(r["status"], r["fault"]) for r in sandbox.requests()]
    assert statuses == [(503, "5xx"), (503, "5xx"), (201, None)]


def test_429_fault_is_transient_with_retry_after(client, http, sandbox):
    _add_fault(http, sandbox, mode="429", retry_after=3)
    with pytest.raises(TransientError) as caught:
        client.get("/shipments/x")
    assert caught.value.response.status == 429
    assert caught.value.retry_after == 3


def test_timeout_fault_is_transient_and_stop_wakes_the_hanging_handler(sandbox):
    sandbox.add_fault(mode="timeout", delay=30)
    started = time.monotonic()
    with OutboundClient(sandbox.url, timeout=(2, 0.3), session=loopback_session()) as client:
        with pytest.raises(TransientError, match="no answer"):
            client.post("/shipments", json={})
        assert time.monotonic() - started < 3
        assert client.post("/shipments", json={}).status == 201
    started = time.monotonic()
    sandbox.stop()
    assert time.monotonic() - started < 2


def test_drop_fault_closes_the_connection_without_answer(client, http, sandbox):
    _add_fault(http, sandbox, mode="drop")
    with pytest.raises(TransientError, match="connection failed") as caught:
        client.post("/shipments", json={})
    assert caught.value.response is None
    assert sandbox.requests()[0]["status"] is None
    assert sandbox.requests()[0]["fault"] == "drop"


def test_slow_fault_answers_after_the_delay(client, http, sandbox):
    _add_fault(http, sandbox, mode="slow", delay=0.3)
    response = client.post("/shipments", json={})
    assert response.status == 201
    assert response.elapsed_ms >= 280


def test_fault_paths_prefix_and_seconds_bound_and_clear(client, http, sandbox):
    _add_fault(http, sandbox, mode="5xx", seconds=0.4, paths="/shipments/")
    assert client.post("/shipments", json={}).status == 201
    with pytest.raises(TransientError):
        client.get("/shipments/shp_000001")
    assert len(http.get(f"{sandbox.url}/_sandbox/faults", timeout=5).json()["faults"]) == 1
    time.sleep(0.5)
    assert client.get("/shipments/shp_000001").status == 200
    _add_fault(http, sandbox, mode="5xx", count=100)
    assert http.delete(f"{sandbox.url}/_sandbox/faults", timeout=5).json() == {"cleared": 1}
    assert client.get("/shipments/shp_000001").status == 200


@pytest.mark.parametrize(
    ("path", "body", "reason"),
    [
        ("faults", {"mode": "boom"}, "'mode' must be one of"),
        ("faults", {"mode": "5xx", "count": 0}, "'count' must be between 1"),
        ("faults", {"mode": "slow", "delay": 3600}, "'delay' must be between 0 and 60"),
        ("faults", {"mode": "5xx", "seconds": 10**9}, "'seconds' must be between"),
        ("faults", {"mode": "5xx", "forever": True}, "unknown key(s) in a fault: forever"),
        ("faults", "not an object", "must be a JSON object"),
        ("timeline", {"webhook_url": "http://127.0.0.1:9/x"}, "'events' must be a non-empty"),
        ("timeline", {"events": [{"body": {}}]}, "'webhook_url' is required"),
        ("timeline", {"webhook_url": "ftp://x", "events": [{"body": {}}]}, "http(s) URL"),
        (
            "timeline",
            {"webhook_url": "http://127.0.0.1:9/x", "events": [{"body": {}, "raw": "x"}]},
            "exactly one of 'body'",
        ),
        (
            "timeline",
            {
                "webhook_url": "http://127.0.0.1:9/x",
                "secret": "s",
                "shuffle": "yes",
                "events": [{"raw": ""}],
            },
            "'shuffle' must be",
        ),
        (
            "timeline",
            {
                "webhook_url": "http://127.0.0.1:9/x",
                "secret": "s",
                "scheme": "rot13",
                "events": [{"raw": ""}],
            },
            "unknown signature scheme",
        ),
    ],
)
def test_bad_control_request_answers_400_with_a_reason(http, path, body, reason):
    with Sandbox(port=0) as bare:  # no default webhook URL or secret
        response = http.post(f"{bare.url}/_sandbox/{path}", json=body, timeout=5)
    assert response.status_code == 400
    assert reason in response.json()["error"]


# -- signed webhooks on a timeline ------------------------------------------------------------


def test_timeline_delivers_signed_webhooks_in_time_order(http, sandbox):
    events = [
        {"after": 0.2, "body": {"n": 2}},
        {"after": 0.0, "body": {"n": 1}, "path": "/carrier"},
        {"after": 0.3, "raw": '{"n": 3}', "headers": {"X-Partner": "sbx"}},
    ]
    with Receiver() as receiver:
        started = time.monotonic()
        plan = _play(http, sandbox, webhook_url=receiver.url, events=events)
        records = sandbox.wait_deliveries(3, timeout=5)
        assert time.monotonic() - started >= 0.3
        assert receiver.bodies() == [{"n": 1}, {"n": 2}, {"n": 3}]
        assert all(item["verified"] is not None for item in receiver.received)
        assert receiver.received[0]["path"] == "/hooks/carrier"
    assert plan["deliveries"] == 3
    assert [r["state"] for r in records] == ["delivered"] * 3
    assert {r["status_code"] for r in records} == {200}
    assert {r["attempts"] for r in records} == {1}
    assert json.loads(records[0]["response_body"]) == {"ok": True, "error": None}
    served = http.get(f"{sandbox.url}/_sandbox/deliveries", timeout=5).json()
    assert served["count"] == 3


def test_timeline_retries_after_the_receiver_fails_once(http, sandbox):
    with Receiver(statuses=[503]) as receiver:
        _play(http, sandbox, webhook_url=receiver.url, backoff=0.05, events=[{"body": {"n": 1}}])
        (record,) = sandbox.wait_deliveries(1, timeout=5)
        assert len(receiver.received) == 2
        assert all(item["verified"] is not None for item in receiver.received)
    assert record["state"] == "delivered"
    assert record["attempts"] == 2
    assert [a["status_code"] for a in record["attempt_log"]] == [503, 200]


def test_timeline_gives_up_after_max_attempts_on_connection_errors(http, sandbox):
    with Receiver() as closed:
        url = closed.url  # the port is free again once the receiver is closed
    spec = {"webhook_url": url, "max_attempts": 3, "backoff": 0.01, "events": [{"raw": "{}"}]}
    _play(http, sandbox, **spec)
    (record,) = sandbox.wait_deliveries(1, timeout=5)
    assert record["state"] == "failed"
    assert record["attempts"] == 3
    assert record["status_code"] is None and record["error"]


def test_timeline_does_not_retry_a_refused_signature(http, sandbox):
    with Receiver() as receiver:
        events = [{"body": {"n": 1}, "signature": "invalid"}, {"body": {"n": 2}, "after": 0.05}]
        _play(http, sandbox, webhook_url=receiver.url, backoff=0.01, events=events)
        first, second = sandbox.wait_deliveries(2, timeout=5)
        assert "signature mismatch" in receiver.received[0]["error"]
    assert (first["state"], first["status_code"], first["attempts"]) == ("failed", 401, 1)
    assert (second["state"], second["status_code"]) == ("delivered", 200)


def test_timeline_duplicates_each_event(http, sandbox):
    events = [{"body": {"n": 1}}, {"body": {"n": 2}, "after": 0.05}]
    with Receiver() as receiver:
        _play(http, sandbox, webhook_url=receiver.url, duplicate=3, events=events)
        records = sandbox.wait_deliveries(6, timeout=5)
        assert receiver.bodies() == [{"n": 1}] * 3 + [{"n": 2}] * 3
    assert sorted((r["event"], r["copy"]) for r in records) == [
        (event, copy) for event in range(2) for copy in range(3)
    ]


def test_timeline_shuffle_sends_events_out_of_order(http, sandbox):
    events = [{"body": {"n": n}, "after": n * 0.01} for n in range(6)]
    with Receiver() as receiver:
        plan = _play(http, sandbox, webhook_url=receiver.url, shuffle=7, events=events)
        sandbox.wait_deliveries(6, timeout=5)
        received = [body["n"] for body in receiver.bodies()]
    planned = [item["event"] for item in plan["plan"]]
    assert planned != sorted(planned)
    assert received == planned
    assert sorted(received) == list(range(6))


# -- command line -----------------------------------------------------------------------------


def test_command_line_refuses_a_remote_host(capsys):
    assert sandbox_main(["--host", "0.0.0.0", "--port", "0"]) == 2
    assert "not a loopback address" in capsys.readouterr().err
    with pytest.raises(ValueError, match="loopback"):
        Sandbox(host="192.0.2.1")


def test_command_line_serves_plays_its_scenario_and_stops_on_sigterm(tmp_path, http):
    with Receiver() as receiver:
        scenario = tmp_path / "scenario.json"
        scenario.write_text(
            json.dumps({"events": [{"body": {"hello": "world"}}], "faults": [{"mode": "5xx"}]})
        )
        options = ["--webhook-url", receiver.url, "--secret", SECRET, "--scenario", str(scenario)]
        with served_sandbox(*options) as url:  # stopped by SIGTERM, checked on the way out
            assert http.post(f"{url}/shipments", json={}, timeout=5).status_code == 503
            assert http.post(f"{url}/shipments", json={}, timeout=5).status_code == 201
            deadline = time.monotonic() + 5
            while not receiver.received and time.monotonic() < deadline:
                time.sleep(0.02)
            assert receiver.bodies() == [{"hello": "world"}]
