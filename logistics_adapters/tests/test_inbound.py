import json

import pytest

from logistics_adapters.transport.inbound import BackendSettings, check_request, stored_answer
from logistics_adapters.transport.signatures import get_scheme

SECRET = "sandbox-secret"
NOW = 1_800_000_000


@pytest.fixture
def settings():
    return BackendSettings(
        code="sandbox-carrier",
        signature_scheme="generic-hmac-sha256",
        secrets=[SECRET],
        max_payload_size=1000,
        content_types=("application/json", "application/xml"),
    )


def signed(body, secret=SECRET, now=NOW):
    return get_scheme("generic-hmac-sha256").sign(body, secret, now=now)


def test_valid_request_is_stored_without_problem(settings):
    body = json.dumps({"id": "evt_1"}).encode()
    verdict = check_request(settings, signed(body), body, "application/json", now=NOW)
    assert verdict.store and verdict.problem is None and verdict.status == 0


def test_content_type_parameters_are_ignored(settings):
    body = b"{}"
    verdict = check_request(
        settings, signed(body), body, "Application/JSON; charset=utf-8", now=NOW
    )
    assert verdict.store


def test_too_large_before_anything_else(settings):
    body = b"x" * 1001
    verdict = check_request(settings, {}, body, "text/csv", now=NOW)
    assert (verdict.status, verdict.store) == (413, False)
    assert "1000 bytes" in verdict.body["error"]


def test_unsupported_content_type(settings):
    verdict = check_request(settings, signed(b"a"), b"a", "text/csv", now=NOW)
    assert verdict.status == 415
    assert verdict.body["accepted"] == ["application/json", "application/xml"]


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "missing header"),
        (signed(b"{}", secret="other"), "signature mismatch"),
        (signed(b"{}", now=NOW - 301), "outside the 300 s window"),
    ],
)
def test_bad_signatures_are_401_with_a_reason_and_never_stored(settings, headers, reason):
    verdict = check_request(settings, headers, b"{}", "application/json", now=NOW)
    assert (verdict.status, verdict.store) == (401, False)
    assert reason in verdict.security_reason
    assert SECRET not in json.dumps(verdict.body)


def test_malformed_json_is_stored_with_its_problem(settings):
    body = b'{"id": '
    verdict = check_request(settings, signed(body), body, "application/json", now=NOW)
    assert verdict.store
    assert verdict.problem.startswith("invalid JSON")
    assert stored_answer("LGM/1", "c", True, verdict.problem).status == 400


def test_xml_entities_are_refused_not_resolved(settings):
    body = b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>'
    verdict = check_request(settings, signed(body), body, "application/xml", now=NOW)
    assert "document type declaration" in verdict.problem
    bomb = b'<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>'
    assert (
        "document type"
        in check_request(settings, signed(bomb), bomb, "application/xml", now=NOW).problem
    )


def test_stored_answers():
    assert stored_answer("LGM/1", "c1", True, None).status == 202
    duplicate = stored_answer("LGM/1", "c1", False, None)
    assert (duplicate.status, duplicate.body["status"], duplicate.body["reference"]) == (
        200,
        "duplicate",
        "LGM/1",
    )


def test_partner_idempotency_key_header():
    from logistics_adapters.transport.inbound import header_idempotency_key

    assert header_idempotency_key({}) is None
    assert header_idempotency_key({"Idempotency-Key": "  "}) is None
    assert header_idempotency_key({"Idempotency-Key": " evt_42 "}) == "evt_42"
    long_key = "k" * 500
    hashed = header_idempotency_key({"Idempotency-Key": long_key})
    assert hashed.startswith("sha256:") and len(hashed) == 71
    assert hashed == header_idempotency_key({"Idempotency-Key": long_key}), "deterministic"
