"""The outbound client: headers, failure classes, Retry-After, masking, rate limit, timeouts."""

import base64
import json
import logging
import threading
import time
import traceback
from email.utils import formatdate

import pytest
import requests

from logistics_adapters.errors import BusinessError, ParseError, TransientError, error_kind
from logistics_adapters.transport import records
from logistics_adapters.transport.http import (
    CORRELATION_HEADER,
    IDEMPOTENCY_HEADER,
    OutboundClient,
    OutboundResponse,
    parse_retry_after,
)
from logistics_adapters.transport.ratelimit import RateLimiter, shared_rate_limiter
from logistics_adapters.transport.records import mask_url
from logistics_adapters.transport.secrets import MASK, Masker

BASE = "https://api.partner.test/v2"
API_KEY = "key-live-7f3a9c2e81d04b56"
PASSWORD = "hunter2-but-longer-9931"
TOKEN = "tok_9b8c7d6e5f4a3b2c1d0e"


class FakeClock:
    """A monotonic clock that moves only when told, and a sleep that records and advances."""

    def __init__(self, now=1000.0):
        self.now = now
        self.sleeps = []
        self.lock = threading.Lock()

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        with self.lock:
            self.sleeps.append(seconds)


@pytest.fixture
def client():
    with OutboundClient(
        BASE,
        timeout=(2.5, 7),
        headers={"X-Api-Key": API_KEY},
        secrets_to_mask=[PASSWORD],
    ) as outbound:
        yield outbound


def _assert_no_secret(*texts):
    for text in texts:
        for secret in (API_KEY, PASSWORD, TOKEN):
            assert secret not in text


# --- what is sent ------------------------------------------------------------------------


def test_headers_body_params_and_timeout_are_sent(mocked, client):
    mocked.add("POST", f"{BASE}/shipments", json={"id": "shp_1"}, status=201)
    response = client.request(
        "post",
        "/shipments",
        json={"to": "Lyon"},
        params={"mode": "test"},
        headers={"X-Extra": "1"},
        idempotency_key="msg-42",
        correlation_id="corr-7",
    )
    sent = mocked.calls[0].request
    assert sent.url == f"{BASE}/shipments?mode=test"
    assert sent.headers[IDEMPOTENCY_HEADER] == "msg-42"
    assert sent.headers[CORRELATION_HEADER] == "corr-7"
    assert sent.headers["X-Api-Key"] == API_KEY
    assert sent.headers["X-Extra"] == "1"
    assert sent.headers["User-Agent"].startswith("logistics-adapters/19.0.")
    assert json.loads(sent.body) == {"to": "Lyon"}
    assert sent.req_kwargs["timeout"] == (2.5, 7)
    assert response.status == 201
    assert response.json() == {"id": "shp_1"}
    assert response.ok
    assert isinstance(response.elapsed_ms, int)
    assert response.elapsed_ms >= 0


def test_optional_headers_are_absent_when_not_given(mocked, client):
    mocked.add("GET", f"{BASE}/rates", body="[]")
    client.get("rates")
    sent = mocked.calls[0].request.headers
    assert IDEMPOTENCY_HEADER not in sent
    assert CORRELATION_HEADER not in sent


def test_form_data_is_sent(mocked, client):
    mocked.add("POST", f"{BASE}/form", body="ok")
    client.post("form", data={"a": "1", "b": "2"})
    assert mocked.calls[0].request.body == "a=1&b=2"


def test_json_and_data_together_are_refused(client):
    with pytest.raises(ValueError, match="json or data"):
        client.post("x", json={}, data="a")


def test_absolute_urls_are_refused_to_keep_credentials_home(client):
    with pytest.raises(ValueError, match="relative to base_url"):
        client.get("https://elsewhere.test/steal")


def test_redirects_are_returned_not_followed(mocked, client):
    mocked.add("GET", f"{BASE}/label", status=302, headers={"Location": "https://cdn.test/l"})
    response = client.get("label")
    assert response.status == 302
    assert response.headers["Location"] == "https://cdn.test/l"
    assert len(mocked.calls) == 1


# --- classification ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 410, 422])
def test_other_4xx_are_business_errors_naming_status_and_body(mocked, client, status):
    body = {"error": {"code": "ADDRESS.INVALID", "message": "street " * 100}}
    mocked.add("POST", f"{BASE}/shipments", json=body, status=status)
    with pytest.raises(BusinessError) as info:
        client.post("shipments", json={})
    message = str(info.value)
    assert f"POST {BASE}/shipments: HTTP {status} " in message
    assert "ADDRESS.INVALID" in message
    assert len(message) < 500
    assert error_kind(info.value) == "business"
    assert info.value.response.status == status


@pytest.mark.parametrize("status", [408, 425, 429, 500, 502, 503, 504])
def test_429_5xx_and_timeouts_statuses_are_transient(mocked, client, status):
    mocked.add("GET", f"{BASE}/trackers/1", body="busy", status=status)
    with pytest.raises(TransientError) as info:
        client.get("trackers/1")
    assert f"HTTP {status}" in str(info.value)
    assert str(info.value).endswith(": busy")
    assert info.value.retry_after is None
    assert error_kind(info.value) == "transient"


def test_retry_after_in_seconds(mocked, client):
    mocked.add("GET", f"{BASE}/t", status=429, headers={"Retry-After": "17"})
    with pytest.raises(TransientError) as info:
        client.get("t")
    assert info.value.retry_after == 17


def test_retry_after_as_http_date(mocked, client):
    when = formatdate(time.time() + 120, usegmt=True)
    mocked.add("GET", f"{BASE}/t", status=503, headers={"Retry-After": when})
    with pytest.raises(TransientError) as info:
        client.get("t")
    assert 115 <= info.value.retry_after <= 121


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120),
        (" 0 ", 0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 90),
        ("Wed, 21 Oct 2015 07:26:00 GMT", 0),  # in the past
        ("Wednesday, 21-Oct-15 07:28:00 GMT", 90),  # obsolete RFC 850 form
        ("soon", None),
        ("-5", None),
        ("1.5", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value, expected):
    now = 1445412390.0  # 2015-10-21 07:26:30 UTC
    assert parse_retry_after(value, now=now) == expected


def test_errors_carry_the_masked_exchange(mocked, client):
    mocked.add("POST", f"{BASE}/s", json={"echo": API_KEY}, status=422)
    with pytest.raises(BusinessError) as info:
        client.post("s", json={"password": PASSWORD})
    error = info.value
    assert error.request_record.startswith(f"POST {BASE}/s")
    assert MASK in error.request_record
    assert "HTTP 422" in error.response.response_record()
    _assert_no_secret(str(error), error.request_record, error.response.response_record())


# --- masking -----------------------------------------------------------------------------


def test_records_mask_url_headers_and_bodies(mocked):
    client = OutboundClient(
        BASE,
        headers={"Authorization": f"Bearer {TOKEN}"},
        auth=("account", PASSWORD),
        secrets_to_mask=[API_KEY],
    )
    mocked.add(
        "POST",
        f"{BASE}/labels",
        body=json.dumps({"token": TOKEN, "api_key": API_KEY, "ok": True}),
        status=200,
        content_type="application/json",
        headers={"Set-Cookie": "session=abcdef0123456789"},
    )
    response = client.post(
        "labels",
        params={"api_key": API_KEY, "carrier": "ups"},
        json={"password": PASSWORD, "note": f"token {TOKEN}"},
    )
    request_text = response.request_record()
    response_text = response.response_record()
    _assert_no_secret(request_text, response_text, repr(response))
    assert request_text.startswith(f"POST {BASE}/labels?api_key={MASK}&carrier=ups\n")
    assert f"Authorization: Basic {MASK}" in request_text  # auth= wins over the header
    assert base64.b64encode(f"account:{PASSWORD}".encode()).decode() not in request_text
    assert '"note": "token ' in request_text
    assert response_text.startswith("HTTP 200 OK (")
    assert "abcdef0123456789" not in response_text
    assert '"ok": true' in response_text


def test_query_parameters_with_sensitive_names_are_masked_even_if_unknown():
    masked = mask_url("https://u:pw@h.test/p?access_token=abc&sig=x&q=1&key=", Masker())
    assert masked == f"https://u:{MASK}@h.test/p?access_token={MASK}&sig={MASK}&q=1&key="


def test_debug_logger_callable_gets_masked_records(mocked):
    lines = []
    client = OutboundClient(
        BASE,
        headers={"X-Api-Key": API_KEY},
        debug_logger=lambda text, label: lines.append((label, text)),
    )
    mocked.add("GET", f"{BASE}/t", body=f"echo {API_KEY}")
    client.get("t")
    assert [label for label, _text in lines] == ["request GET t", "response GET t"]
    assert "echo" in lines[1][1]
    _assert_no_secret(*(text for _label, text in lines))


def test_debug_logger_as_logging_logger(mocked, caplog):
    logger = logging.getLogger("test.outbound")
    client = OutboundClient(BASE, secrets_to_mask=[PASSWORD], debug_logger=logger)
    mocked.add("POST", f"{BASE}/t", body="fine")
    with caplog.at_level(logging.DEBUG, logger="test.outbound"):
        client.post("t", data=f"password={PASSWORD}")
    assert len(caplog.records) == 2
    assert "password=" in caplog.text
    _assert_no_secret(caplog.text)


def test_module_logger_logs_masked_records_at_debug(mocked, caplog):
    client = OutboundClient(BASE, headers={"X-Api-Key": API_KEY})
    mocked.add("GET", f"{BASE}/t", body="ok")
    with caplog.at_level(logging.DEBUG, logger="logistics_adapters.http"):
        client.get("t")
    assert "request GET t" in caplog.text
    _assert_no_secret(caplog.text)


def test_binary_bodies_are_summarised_and_long_bodies_truncated(mocked, client, monkeypatch):
    mocked.add(
        "GET", f"{BASE}/label.pdf", body=b"%PDF-1.4" + bytes(100), content_type="application/pdf"
    )
    assert client.get("label.pdf").response_record().endswith("[108 bytes of application/pdf]")
    monkeypatch.setattr(records, "RECORD_BODY_LIMIT", 10)
    mocked.add("GET", f"{BASE}/long", body="x" * 25, content_type="text/plain")
    assert client.get("long").response_record().endswith("x" * 10 + "\n[... 15 more chars]")


def test_response_json_error_names_position():
    response = OutboundResponse(status=200, headers={}, body=b'{"a": }', elapsed_ms=1)
    with pytest.raises(ParseError) as info:
        response.json()
    assert info.value.position == 6
    assert info.value.line == 1
    with pytest.raises(ParseError, match="not valid JSON"):
        OutboundResponse(status=200, headers={}, body=b"\xff", elapsed_ms=1).json()


def test_response_text_uses_declared_charset():
    headers = {"Content-Type": "text/plain; charset=iso-8859-1"}
    response = OutboundResponse(
        status=200, headers=headers, body="\u00e9".encode("latin-1"), elapsed_ms=0
    )
    assert response.text == "\u00e9"


# --- network failures --------------------------------------------------------------------


def _raiser(exc):
    def callback(request):
        raise exc

    return callback


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (requests.exceptions.ConnectTimeout("connect timed out"), "no connection within 2.5 s"),
        (requests.exceptions.ReadTimeout("read timed out"), "no answer within 7 s"),
        (requests.exceptions.ConnectionError("refused"), "connection failed"),
        (requests.exceptions.ChunkedEncodingError("cut"), "connection failed"),
    ],
)
def test_timeouts_and_connection_errors_are_transient(mocked, client, exc, expected):
    mocked.add_callback("GET", f"{BASE}/t", callback=_raiser(exc))
    with pytest.raises(TransientError) as info:
        client.get("t")
    assert expected in str(info.value)
    assert info.value.response is None
    assert info.value.request_record.startswith(f"GET {BASE}/t")


def test_network_error_text_is_masked_including_the_traceback(mocked, client):
    leaked = requests.exceptions.ConnectionError(f"Max retries exceeded with url: /t?k={API_KEY}")
    mocked.add_callback("GET", f"{BASE}/t", callback=_raiser(leaked))
    with pytest.raises(TransientError) as info:
        client.get("t", params={"k": API_KEY})
    rendered = "".join(traceback.format_exception(info.type, info.value, info.tb))
    assert "Max retries exceeded" in rendered
    _assert_no_secret(str(info.value), rendered, info.value.request_record)


def test_debug_logger_sees_masked_network_errors(mocked):
    lines = []
    client = OutboundClient(
        BASE, secrets_to_mask=[API_KEY], debug_logger=lambda *a: lines.append(a)
    )
    failure = requests.exceptions.ConnectionError(f"refused for {API_KEY}")
    mocked.add_callback("GET", f"{BASE}/t", callback=_raiser(failure))
    with pytest.raises(TransientError):
        client.get("t")
    assert [label for _text, label in lines] == ["request GET t", "error GET"]
    assert "connection failed: refused for" in lines[1][0]
    _assert_no_secret(*(text for text, _label in lines))


def test_requests_that_cannot_be_sent_are_business_errors(mocked):
    mocked.add_callback(
        "GET", f"{BASE}/t", callback=_raiser(requests.exceptions.InvalidHeader("bad"))
    )
    with pytest.raises(BusinessError, match="request refused before sending"):
        OutboundClient(BASE).get("t")
    with pytest.raises(BusinessError, match="cannot build GET"):
        OutboundClient("no-scheme.test").get("t")


def test_client_never_retries(mocked, client):
    mocked.add("GET", f"{BASE}/t", status=503)
    with pytest.raises(TransientError):
        client.get("t")
    assert len(mocked.calls) == 1


# --- sessions ----------------------------------------------------------------------------


def test_client_closes_only_its_own_session():
    session = requests.Session()
    closed = []
    session.close = lambda: closed.append(True)
    with OutboundClient(BASE, session=session) as outbound:
        assert outbound.session is session
    assert closed == []
    own = OutboundClient(BASE)
    own.session.close = lambda: closed.append("own")
    own.close()
    assert closed == ["own"]


# --- rate limiting -----------------------------------------------------------------------


def test_rate_limiter_allows_a_burst_then_waits():
    clock = FakeClock()
    limiter = RateLimiter(120, burst=2, clock=clock, sleep=clock.sleep)
    assert [limiter.acquire(), limiter.acquire()] == [0.0, 0.0]
    assert limiter.acquire() == pytest.approx(0.5)
    assert clock.sleeps == [pytest.approx(0.5)]


def test_rate_limiter_refills_with_time():
    clock = FakeClock()
    limiter = RateLimiter(60, clock=clock, sleep=clock.sleep)
    assert limiter.capacity == 1
    limiter.acquire()
    clock.now += 1.0
    assert limiter.acquire() == 0.0
    clock.now += 10.0  # idle time does not bank more than the burst
    limiter.acquire()
    assert limiter.acquire() == pytest.approx(1.0)


def test_rate_limiter_raises_transient_beyond_max_wait_without_taking_a_token():
    clock = FakeClock()
    limiter = RateLimiter(6, clock=clock, sleep=clock.sleep, max_wait=5)
    limiter.acquire()
    with pytest.raises(TransientError, match="rate limit of 6 calls per minute") as info:
        limiter.acquire()
    assert info.value.retry_after == 10
    clock.now += 10
    assert limiter.acquire() == 0.0
    assert clock.sleeps == []


def test_rate_limiter_is_thread_safe_each_caller_gets_its_own_slot():
    clock = FakeClock()
    limiter = RateLimiter(600, burst=1, clock=clock, sleep=clock.sleep, max_wait=60)
    threads = [threading.Thread(target=limiter.acquire) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(round(s, 6) for s in clock.sleeps) == [round(0.1 * i, 6) for i in range(1, 10)]


def test_rate_limiter_refuses_non_positive_rates():
    with pytest.raises(ValueError):
        RateLimiter(0)


def test_client_rate_limit_stops_before_sending(mocked):
    clock = FakeClock()
    limiter = RateLimiter(1, clock=clock, sleep=clock.sleep)
    client = OutboundClient(BASE, rate_limiter=limiter)
    mocked.add("GET", f"{BASE}/t", body="ok")
    client.get("t")
    with pytest.raises(TransientError) as info:
        client.get("t")
    assert info.value.retry_after == 60
    assert len(mocked.calls) == 1


def test_shared_limiter_is_reused_per_key_and_replaced_on_new_rate():
    first = OutboundClient(BASE, rate_limit_per_minute=90, rate_limit_key="test-backend-1")
    second = OutboundClient(BASE, rate_limit_per_minute=90, rate_limit_key="test-backend-1")
    assert first.rate_limiter is second.rate_limiter
    assert shared_rate_limiter("test-backend-1", 90) is first.rate_limiter
    assert shared_rate_limiter("test-backend-1", 30) is not first.rate_limiter
    assert OutboundClient(BASE).rate_limiter is None
