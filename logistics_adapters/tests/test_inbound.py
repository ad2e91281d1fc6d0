import dataclasses
import json

import hypothesis
import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_adapters.transport import inbound
from logistics_adapters.transport.inbound import BackendSettings, check_request, stored_answer
from logistics_adapters.transport.signatures import get_scheme

from .strategies import HOSTILE_BODIES, hostile_bodies, sized_body

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


# -- whatever a signed body holds, it is stored with a verdict, never a failure ---------------

JSON_PROBLEMS = {
    "deep-array": "invalid JSON: nested too deeply (over 256 levels)",
    "deep-object": "invalid JSON: nested too deeply (over 256 levels)",
    "deep-closed": "invalid JSON: nested too deeply (over 256 levels)",
    "deep-in-value": "invalid JSON: nested too deeply (over 256 levels)",
    "huge-integer": "invalid JSON: Exceeds the limit (4300 digits)",
    "huge-exponent": None,
    "huge-float": None,
    "invalid-utf8": "invalid JSON: 'utf-8' codec can't decode byte 0xe9",
    "overlong-utf8": "invalid JSON: 'utf-8' codec can't decode byte 0xc0",
    "lone-surrogate": None,
    "bom-json": None,
    "bom-only": "invalid JSON: Expecting value",
    "utf16-json": None,
    "nul-bytes": "invalid JSON: Invalid control character",
    "nul-escaped": None,
    "nul-only": "invalid JSON: Expecting value",
    "mixed-line-endings": "invalid JSON: Invalid control character",
    "empty": "invalid JSON: Expecting value",
    "whitespace": "invalid JSON: Expecting value",
    "xml-doctype": "invalid JSON: Expecting value",
    "xml-bomb": "invalid JSON: Expecting value",
    "xml-deep": "invalid JSON: Expecting value",
    "xml-parameter-entity": "invalid JSON: Expecting value",
}
DOCTYPE_REFUSED = "XML with a document type declaration (<!DOCTYPE r>) is refused"
XML_PROBLEMS = {
    "xml-doctype": DOCTYPE_REFUSED,
    "xml-bomb": DOCTYPE_REFUSED,
    "xml-parameter-entity": DOCTYPE_REFUSED,
    # libxml2 words the limit differently across releases (256, 257, "use XML_PARSE_HUGE").
    "xml-deep": "invalid XML: Excessive depth in document: ",
}


@pytest.fixture
def roomy(settings):
    """The backend of ``settings`` with room for the hostile bodies, taking plain text too."""
    return dataclasses.replace(
        settings,
        code="roomy",
        max_payload_size=64 * 1024,
        content_types=("application/json", "application/xml", "text/plain"),
    )


@pytest.mark.parametrize("name", sorted(HOSTILE_BODIES))
def test_each_hostile_json_body_is_stored_with_its_reason(roomy, name):
    body = HOSTILE_BODIES[name]
    verdict = check_request(roomy, signed(body), body, "application/json", now=NOW)
    assert (verdict.store, verdict.status) == (True, 0)
    expected = JSON_PROBLEMS[name]
    if expected is None:
        assert verdict.problem is None
    else:
        assert verdict.problem.startswith(expected), verdict.problem


@pytest.mark.parametrize("name", sorted(HOSTILE_BODIES))
def test_each_hostile_xml_body_is_stored_with_its_reason(roomy, name):
    body = HOSTILE_BODIES[name]
    verdict = check_request(roomy, signed(body), body, "application/xml", now=NOW)
    assert (verdict.store, verdict.status) == (True, 0)
    assert verdict.problem.startswith(XML_PROBLEMS.get(name, "invalid XML: ")), verdict.problem
    answer = stored_answer("LGM/1", "c", True, verdict.problem)
    assert (answer.status, answer.body["stored"]) == (400, True)


@hypothesis.settings(max_examples=150)
@given(
    body=hostile_bodies(max_size=8192),
    content_type=st.sampled_from(["application/json", "application/xml", "text/plain"]),
)
def test_no_signed_body_makes_the_contract_fail(body, content_type):
    settings_ = BackendSettings(
        code="roomy",
        signature_scheme="generic-hmac-sha256",
        secrets=[SECRET],
        max_payload_size=8192,
        content_types=("application/json", "application/xml", "text/plain"),
    )
    verdict = check_request(settings_, signed(body), body, content_type, now=NOW)
    assert (verdict.store, verdict.status) == (True, 0)
    assert verdict.problem is None or (isinstance(verdict.problem, str) and verdict.problem)
    assert content_type != "text/plain" or verdict.problem is None
    answer = stored_answer("LGM/1", "c", True, verdict.problem)
    assert answer.status in (202, 400)
    json.dumps(answer.body)  # the answer can always be written


@pytest.mark.parametrize(
    "error",
    [RecursionError("maximum recursion depth exceeded"), MemoryError(), OverflowError("x")],
    ids=["recursion", "memory", "overflow"],
)
def test_a_parser_failing_in_any_way_is_still_a_stored_400(roomy, monkeypatch, error):
    def explode(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(inbound.json, "loads", explode)
    monkeypatch.setattr(inbound.etree, "fromstring", explode)
    for content_type in ("application/json", "application/xml"):
        verdict = check_request(roomy, signed(b"{}"), b"{}", content_type, now=NOW)
        assert verdict.store and verdict.problem, content_type


def test_the_size_limit_is_exact(settings):
    for size in (998, 999, 1000):
        body = sized_body(size)
        assert len(body) == size
        verdict = check_request(settings, signed(body), body, "application/json", now=NOW)
        assert (verdict.store, verdict.problem) == (True, None), size
    body = sized_body(1001)
    assert check_request(settings, signed(body), body, "application/json", now=NOW).status == 413


def test_doctype_is_refused_before_its_declarations_are_read(roomy):
    # The internal subset is not even well-formed: the parser never got that far.
    body = b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd"> GARBAGE ]><r>&e;</r>'
    verdict = check_request(roomy, signed(body), body, "application/xml", now=NOW)
    assert verdict.problem == (
        "XML with a document type declaration (<!DOCTYPE r>) is refused: "
        "DTDs and entities are not accepted"
    )
    for prolog in (b"", b'<?xml version="1.0"?>\n', b"\xef\xbb\xbf<!-- c -->\r\n"):
        body = prolog + b"<!DOCTYPE r><r/>"
        problem = check_request(roomy, signed(body), body, "application/xml", now=NOW).problem
        assert problem.startswith("XML with a document type declaration"), prolog
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r><r/>'.encode("utf-16")
    assert "document type declaration" in inbound.malformed(utf16, "application/xml")
    # Not a declaration: text that reads like one inside CDATA or a comment is fine.
    for body in (b"<r><![CDATA[<!DOCTYPE html>]]></r>", b"<r><!-- <!DOCTYPE x> --></r>"):
        assert inbound.malformed(body, "application/xml") is None


@pytest.mark.parametrize("code", ["generic-hmac-sha256", "shipbob-hmac"])
def test_the_backend_window_applies_to_every_scheme_whose_signatures_hold_a_time(code):
    settings_ = BackendSettings(code="timed", signature_scheme=code, secrets=[SECRET])
    settings_.signature_window = 42
    assert settings_.scheme().tolerance == 42
    untimed = BackendSettings(code="untimed", signature_scheme="shiphero-hmac", secrets=[SECRET])
    assert not hasattr(untimed.scheme(), "tolerance")
