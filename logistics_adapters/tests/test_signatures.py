"""Webhook signature schemes: the published EasyPost and Standard Webhooks (ShipBob) vectors,
round trips and every refusal."""

import base64
import hashlib
import hmac
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_adapters.errors import SecurityError, error_kind
from logistics_adapters.transport import signatures
from logistics_adapters.transport.signatures import (
    SCHEMES,
    GenericHmacScheme,
    Verified,
    available_schemes,
    get_header,
    get_scheme,
    scheme_selection,
)

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
EASYPOST_BODY = SAMPLES / "easypost_webhook_event_tracker_updated.json"
# Published in EasyPost/examples official/fixtures/client-library-fixtures.json ("webhooks"),
# as recorded in easypost_webhook_event_tracker_updated.source.md.
EASYPOST_SECRET = "s\u00e9cret"
EASYPOST_SIGNATURE = (
    "hmac-sha256-hex=38f3f53c103713df81616a0a186d77141957323ec21d5fe9363db93840f527db"
)

SECRET = "whsec-current-0123456789"
OLD_SECRET = "whsec-previous-9876543210"
NOW = 1_700_000_000
BODY = b'{"event": "tracker.updated", "id": "evt_1"}'
SIGNED_SCHEMES = (
    "generic-hmac-sha256",
    "easypost-hmac",
    "aftership-hmac",
    "shiphero-hmac",
    "shipbob-hmac",
)
SECRET_SCHEMES = (*SIGNED_SCHEMES, "bearer", "basic")
SECRET_FOR = {"basic": "partner:pa55-w0rd-long"}


def _secret(code):
    return SECRET_FOR.get(code, SECRET)


def _signed(code, body=BODY, secret=None, now=NOW):
    scheme = get_scheme(code)
    return scheme, scheme.sign(body, secret or _secret(code), now=now)


def _refusal(scheme, headers, body=BODY, secrets=None, now=NOW):
    with pytest.raises(SecurityError) as info:
        scheme.verify(headers, body, secrets or [SECRET], now=now)
    message = str(info.value)
    assert message.startswith(f"{scheme.code}: ")
    for secret in (SECRET, OLD_SECRET, *SECRET_FOR.values()):
        assert secret not in message
    return message


# --- EasyPost published vector -----------------------------------------------------------


@pytest.fixture(scope="module")
def easypost_body():
    if not EASYPOST_BODY.exists():
        pytest.skip(f"shared samples not found at {SAMPLES.resolve()} (checkout without them)")
    raw = EASYPOST_BODY.read_bytes()
    # The sidecar: the vector signs the file bytes without its one trailing newline.
    assert raw.endswith(b"}\n")
    return raw[:-1]


def test_easypost_published_vector_verifies(easypost_body):
    headers = {"X-Hmac-Signature": EASYPOST_SIGNATURE}
    result = get_scheme("easypost-hmac").verify(headers, easypost_body, [EASYPOST_SECRET])
    assert result == Verified("easypost-hmac", None, 0)


def test_easypost_sign_reproduces_the_published_vector(easypost_body):
    headers = get_scheme("easypost-hmac").sign(easypost_body, EASYPOST_SECRET)
    assert headers == {"X-Hmac-Signature": EASYPOST_SIGNATURE}


def test_easypost_secret_is_nfkd_normalised(easypost_body):
    decomposed = "se\u0301cret"  # the same secret typed with a combining accent
    headers = {"x-hmac-signature": EASYPOST_SIGNATURE}
    assert get_scheme("easypost-hmac").verify(headers, easypost_body, [decomposed])


def test_easypost_vector_fails_with_the_trailing_newline(easypost_body):
    headers = {"X-Hmac-Signature": EASYPOST_SIGNATURE}
    scheme = get_scheme("easypost-hmac")
    message = _refusal(scheme, headers, easypost_body + b"\n", [EASYPOST_SECRET])
    assert "mismatch" in message


# --- round trips and registry ------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(available_schemes()))
def test_sign_then_verify_round_trip(code):
    scheme, headers = _signed(code)
    result = scheme.verify(headers, BODY, [_secret(code)], now=NOW)
    assert isinstance(result, Verified)
    assert result.scheme == code


def test_generic_result_exposes_timestamp_and_secret_index():
    scheme, headers = _signed("generic-hmac-sha256")
    result = scheme.verify(headers, BODY, [SECRET], now=NOW + 10)
    assert result.timestamp == NOW
    assert result.secret_index == 0
    # No replay key to keep: a replay is a duplicate by idempotency key (see the README).
    assert not hasattr(result, "replay_key")


def test_generic_signature_is_the_documented_contract():
    headers = get_scheme("generic-hmac-sha256").sign(BODY, SECRET, now=NOW)
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert headers == {"X-Logistics-Timestamp": str(NOW), "X-Logistics-Signature": expected}


def test_aftership_signature_is_base64_of_hmac_sha256():
    headers = get_scheme("aftership-hmac").sign(BODY, SECRET)
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()
    assert headers == {"aftership-hmac-sha256": base64.b64encode(digest).decode()}


def test_shiphero_signature_is_base64_of_hmac_sha256_of_the_body():
    headers = get_scheme("shiphero-hmac").sign(BODY, SECRET)
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()
    assert headers == {"x-shiphero-hmac-sha256": base64.b64encode(digest).decode()}


def test_basic_and_bearer_headers():
    basic = get_scheme("basic").sign(b"", "partner:pw")
    assert basic == {"Authorization": "Basic " + base64.b64encode(b"partner:pw").decode()}
    assert get_scheme("bearer").sign(b"", "tok") == {"Authorization": "Bearer tok"}


def test_none_accepts_anything():
    result = get_scheme("none").verify({}, b"anything", [])
    assert result == Verified("none")
    assert get_scheme("none").sign(b"x", "") == {}


def test_registry_and_selection():
    codes = [code for code, _label in scheme_selection()]
    assert codes == list(SCHEMES)
    assert set(codes) == {*SECRET_SCHEMES, "none"}
    assert all(label for _code, label in scheme_selection())
    with pytest.raises(LookupError, match="unknown signature scheme 'hmac'; known schemes: "):
        get_scheme("hmac")


def test_generic_window_is_configurable():
    scheme = get_scheme("generic-hmac-sha256", tolerance=30)
    headers = scheme.sign(BODY, SECRET, now=NOW)
    assert scheme.verify(headers, BODY, [SECRET], now=NOW + 30)
    assert "window" in _refusal(scheme, headers, now=NOW + 31)


# --- ShipBob: Standard Webhooks ----------------------------------------------------------

# The Standard Webhooks specification's test vector (standardwebhooks.com; the secret is the
# one ShipBob's own page shows as an example).
STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
STANDARD_BODY = b'{"test": 2432232314}'
STANDARD_HEADERS = {
    "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "webhook-timestamp": "1614265330",
    "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}


def test_shipbob_published_vector_verifies_and_is_reproduced():
    scheme = get_scheme("shipbob-hmac")
    result = scheme.verify(STANDARD_HEADERS, STANDARD_BODY, [STANDARD_SECRET], now=1614265330)
    assert result == Verified("shipbob-hmac", 1614265330, 0)
    message_id = STANDARD_HEADERS["webhook-id"]
    signed = scheme.sign(STANDARD_BODY, STANDARD_SECRET, now=1614265330, message_id=message_id)
    assert signed == STANDARD_HEADERS
    # The key is the base64 after whsec_, not the secret's text.
    assert "mismatch" in _refusal(
        scheme, STANDARD_HEADERS, STANDARD_BODY, ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], 1614265330
    )


def test_shipbob_the_same_body_is_the_same_message_id():
    scheme = get_scheme("shipbob-hmac")
    first, again = scheme.sign(BODY, SECRET, now=NOW), scheme.sign(BODY, SECRET, now=NOW + 60)
    assert first["webhook-id"] == again["webhook-id"]
    assert first["webhook-id"].startswith("msg_")
    assert scheme.sign(BODY + b" ", SECRET, now=NOW)["webhook-id"] != first["webhook-id"]


def test_shipbob_any_of_several_signatures_may_match():
    scheme = get_scheme("shipbob-hmac")
    old = scheme.sign(BODY, OLD_SECRET, now=NOW)
    new = scheme.sign(BODY, SECRET, now=NOW)
    both = f"{old['webhook-signature']}  {new['webhook-signature']}"
    rotating = {**new, "webhook-signature": both}
    assert scheme.verify(rotating, BODY, [SECRET], now=NOW).secret_index == 0
    assert scheme.verify(rotating, BODY, [OLD_SECRET], now=NOW).secret_index == 0
    assert scheme.verify(rotating, BODY, ["whsec-third", OLD_SECRET], now=NOW).secret_index == 1
    # A version the scheme does not know is skipped, not refused.
    other = {**new, "webhook-signature": "v1a,c2lnbmVkIHdpdGggYSBrZXk= " + new["webhook-signature"]}
    assert scheme.verify(other, BODY, [SECRET], now=NOW)


@pytest.mark.parametrize("header", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_shipbob_each_missing_header_is_named(header):
    scheme, headers = _signed("shipbob-hmac")
    del headers[header]
    assert _refusal(scheme, headers).endswith(f"missing header {header}")
    # A legacy (API 1.0 / 2.0) delivery is not signed at all.
    legacy = {"shipbob-topic": "order_shipped", "shipbob-subscription-id": "12345"}
    assert _refusal(scheme, legacy).endswith("missing header webhook-id")


@pytest.mark.parametrize(("age", "said"), [(301, "(301 s old)"), (-400, "(400 s in the future)")])
def test_shipbob_stale_or_future_timestamp_is_refused(age, said):
    scheme, headers = _signed("shipbob-hmac", now=NOW - age)
    message = _refusal(scheme, headers)
    assert "timestamp outside the 300 s window" in message and said in message
    assert scheme.verify(headers, BODY, [SECRET], now=NOW - age + 300).timestamp == NOW - age


def test_shipbob_window_is_configurable_and_checked_after_the_signature():
    scheme = get_scheme("shipbob-hmac", tolerance=30)
    headers = scheme.sign(BODY, SECRET, now=NOW)
    assert scheme.verify(headers, BODY, [SECRET], now=NOW + 30)
    assert "window" in _refusal(scheme, headers, now=NOW + 31)
    assert _refusal(scheme, headers, secrets=[OLD_SECRET], now=NOW + 3600).endswith("mismatch")


def test_shipbob_a_whsec_secret_that_is_no_base64_is_named_not_shown():
    scheme, headers = _signed("shipbob-hmac")
    secret = "whsec_not base64 at all!"
    with pytest.raises(SecurityError, match="must go on in base64") as info:
        scheme.verify(headers, BODY, [secret], now=NOW)
    assert secret not in str(info.value)


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", SIGNED_SCHEMES)
def test_tampered_body_is_refused(code):
    scheme, headers = _signed(code)
    assert _refusal(scheme, headers, BODY.replace(b"evt_1", b"evt_2")).endswith(
        "signature mismatch"
    )


@pytest.mark.parametrize("code", SECRET_SCHEMES)
def test_wrong_secret_is_refused(code):
    scheme, headers = _signed(code)
    message = _refusal(scheme, headers, secrets=["partner:another-secret"])
    assert "mismatch" in message


@pytest.mark.parametrize("code", SECRET_SCHEMES)
def test_missing_header_is_named(code):
    scheme, headers = _signed(code)
    missing = next(iter(headers))
    del headers[missing]
    if not headers:
        headers = {"X-Other": "1"}
    assert _refusal(scheme, headers).endswith(f"missing header {missing}")


@pytest.mark.parametrize(
    ("code", "header", "value"),
    [
        ("generic-hmac-sha256", "X-Logistics-Timestamp", "yesterday"),
        ("generic-hmac-sha256", "X-Logistics-Timestamp", "\u0661\u0662"),  # Arabic digits
        ("generic-hmac-sha256", "X-Logistics-Signature", "abc"),
        ("easypost-hmac", "X-Hmac-Signature", "sha256=" + "0" * 64),
        ("easypost-hmac", "X-Hmac-Signature", "hmac-sha256-hex=zz"),
        ("aftership-hmac", "aftership-hmac-sha256", "not base64!"),
        ("aftership-hmac", "aftership-hmac-sha256", base64.b64encode(b"short").decode()),
        ("shiphero-hmac", "x-shiphero-hmac-sha256", "not base64!"),
        ("shiphero-hmac", "x-shiphero-hmac-sha256", base64.b64encode(b"short").decode()),
        ("shipbob-hmac", "webhook-timestamp", "2023-11-14T22:13:20Z"),
        ("shipbob-hmac", "webhook-signature", "v1"),
        ("shipbob-hmac", "webhook-signature", "v1,not-base64!"),
        ("shipbob-hmac", "webhook-signature", "v1," + base64.b64encode(b"short").decode()),
        ("shipbob-hmac", "webhook-signature", "v1a,c2lnbmVkIHdpdGggYSBwcml2YXRlIGtleQ=="),
        ("bearer", "Authorization", "Token abc"),
        ("basic", "Authorization", "Basic !!!"),
        ("basic", "Authorization", "Basic " + base64.b64encode(b"no-colon").decode()),
    ],
)
def test_malformed_header_is_named(code, header, value):
    scheme, headers = _signed(code)
    headers[header] = value
    assert f"malformed header {header}" in _refusal(scheme, headers)


def test_timestamp_too_old_is_refused():
    scheme, headers = _signed("generic-hmac-sha256", now=NOW - 301)
    message = _refusal(scheme, headers)
    assert "timestamp outside the 300 s window (301 s old)" in message


def test_timestamp_in_the_future_is_refused():
    scheme, headers = _signed("generic-hmac-sha256", now=NOW + 400)
    assert "(400 s in the future)" in _refusal(scheme, headers)


def test_timestamp_at_the_window_edge_is_accepted():
    scheme, headers = _signed("generic-hmac-sha256", now=NOW - 300)
    assert scheme.verify(headers, BODY, [SECRET], now=NOW).timestamp == NOW - 300


def test_forged_old_request_reports_mismatch_not_window():
    scheme, headers = _signed("generic-hmac-sha256", now=NOW - 3600)
    assert _refusal(scheme, headers, secrets=[OLD_SECRET]).endswith("signature mismatch")


@pytest.mark.parametrize("code", SECRET_SCHEMES)
@pytest.mark.parametrize("secrets", [[], None, ["", None]])
def test_no_secret_fails_closed(code, secrets):
    scheme, headers = _signed(code)
    with pytest.raises(SecurityError, match="no secret configured"):
        scheme.verify(headers, BODY, secrets, now=NOW)


def test_a_single_string_is_one_secret_not_a_list_of_characters():
    scheme, headers = _signed("bearer", secret="x")
    with pytest.raises(SecurityError, match="token mismatch"):
        scheme.verify(headers, BODY, "xyz")
    assert scheme.verify(headers, BODY, "x").secret_index == 0


def test_body_must_be_raw_bytes():
    scheme, headers = _signed("generic-hmac-sha256")
    with pytest.raises(TypeError, match="raw request body as bytes"):
        scheme.verify(headers, BODY.decode(), [SECRET], now=NOW)
    assert scheme.verify(headers, bytearray(BODY), [SECRET], now=NOW)


def test_security_errors_are_filed_as_security():
    scheme, headers = _signed("aftership-hmac")
    with pytest.raises(SecurityError) as info:
        scheme.verify(headers, b"other", [SECRET])
    assert error_kind(info.value) == "security"


# --- rotation ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", SIGNED_SCHEMES)
def test_previous_secret_accepted_only_when_passed(code):
    scheme, headers = _signed(code, secret=OLD_SECRET)
    result = scheme.verify(headers, BODY, [SECRET, OLD_SECRET], now=NOW)
    assert result.secret_index == 1
    assert "mismatch" in _refusal(scheme, headers, secrets=[SECRET])


# --- headers and constant time -----------------------------------------------------------


def test_header_lookup_is_case_insensitive():
    scheme, headers = _signed("generic-hmac-sha256")
    lowered = {name.lower(): value for name, value in headers.items()}
    assert scheme.verify(lowered, BODY, [SECRET], now=NOW)
    upper = {name.upper(): value for name, value in headers.items()}
    assert scheme.verify(upper, BODY, [SECRET], now=NOW)


def test_werkzeug_headers_are_accepted():
    datastructures = pytest.importorskip("werkzeug.datastructures", reason="werkzeug absent")
    scheme, headers = _signed("easypost-hmac")
    lowered = {name.lower(): value for name, value in headers.items()}
    assert scheme.verify(datastructures.Headers(lowered), BODY, [SECRET]).scheme == scheme.code


def test_get_header_decodes_bytes_and_handles_none():
    assert get_header({"X-A": b"v"}, "x-a") == "v"
    assert get_header(None, "x-a") is None
    assert get_header({}, "x-a") is None


def test_uppercase_hex_verifies_alike():
    scheme, headers = _signed("generic-hmac-sha256")
    upper = {**headers, "X-Logistics-Signature": headers["X-Logistics-Signature"].upper()}
    first = scheme.verify(headers, BODY, [SECRET], now=NOW)
    assert scheme.verify(upper, BODY, [SECRET], now=NOW) == first


@pytest.mark.parametrize("code", SECRET_SCHEMES)
def test_comparison_uses_compare_digest_for_every_secret(code):
    old = "partner:old-pass" if code == "basic" else OLD_SECRET
    scheme, headers = _signed(code, secret=old)
    with mock.patch.object(signatures.hmac, "compare_digest", wraps=hmac.compare_digest) as compare:
        result = scheme.verify(headers, BODY, [_secret(code), old], now=NOW)
    assert result.secret_index == 1
    assert compare.call_count == 2  # every secret compared, no early exit


# --- properties --------------------------------------------------------------------------


@pytest.mark.parametrize("code", SIGNED_SCHEMES)
@given(body=st.binary(max_size=512), data=st.data())
def test_property_round_trip_and_any_bit_flip_fails(code, body, data):
    scheme = get_scheme(code)
    headers = scheme.sign(body, SECRET, now=NOW)
    assert scheme.verify(headers, body, [SECRET], now=NOW).scheme == code
    if body:
        bit = data.draw(st.integers(0, len(body) * 8 - 1), label="bit")
        flipped = bytearray(body)
        flipped[bit // 8] ^= 1 << (bit % 8)
        with pytest.raises(SecurityError, match="signature mismatch"):
            scheme.verify(headers, bytes(flipped), [SECRET], now=NOW)


@given(secret=st.text(min_size=1, max_size=40), body=st.binary(max_size=64))
def test_property_any_unicode_secret_round_trips(secret, body):
    for code in SIGNED_SCHEMES:
        scheme = get_scheme(code)
        headers = scheme.sign(body, secret, now=NOW)
        assert scheme.verify(headers, body, [secret], now=NOW)


def test_generic_scheme_default_tolerance():
    assert GenericHmacScheme().tolerance == signatures.DEFAULT_TOLERANCE == 300
