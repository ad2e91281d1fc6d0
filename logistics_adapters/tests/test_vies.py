"""The EU VIES VAT check: the published WSDL and replies read through the client, input
normalised, VIES's faults classified (transient or business), each naming the number."""

import datetime

import pytest
import requests

from logistics_adapters.errors import BusinessError, TransientError, error_kind
from logistics_adapters.partners import KINDS, get_partner, partner_selection
from logistics_adapters.partners.eu_vies.client import (
    BUSINESS_FAULTS,
    ENDPOINT,
    PUBLISHED_ADDRESS,
    TRANSIENT_FAULTS,
    WSDL,
    MalformedVatNumber,
    VatCheck,
    ViesClient,
    check_vat,
    normalize_vat,
)
from logistics_adapters.sandbox import get_personality

from .helpers import SAMPLES, needs_samples, sample

VALID = "eu_vies_checkVat_response_valid.xml"
FAULT = "eu_vies_checkVat_fault_invalid_input.xml"
PUBLISHED_WSDL = "eu_vies_checkVatService.wsdl"
XML = "text/xml; charset=utf-8"
#: The faults VIES documents as temporary: the shipped 2014 WSDL's, then today's additions.
DOCUMENTED_2014 = ("SERVICE_UNAVAILABLE", "MS_UNAVAILABLE", "TIMEOUT", "SERVER_BUSY")
ADDED_SINCE = ("GLOBAL_MAX_CONCURRENT_REQ", "MS_MAX_CONCURRENT_REQ")


@pytest.fixture(scope="module")
def vies():
    """A client on the shipped WSDL (parsed once for the module)."""
    return ViesClient()


def _reply(mocked, body, status=200, headers=None):
    mocked.add("POST", ENDPOINT, body=body, status=status, headers=headers, content_type=XML)


def _fault(text):
    return sample(FAULT).replace(b"INVALID_INPUT", text.encode())


# --- the WSDL shipped with the package ----------------------------------------------------


@needs_samples
def test_the_shipped_wsdl_is_the_published_one_byte_for_byte():
    assert WSDL.read_bytes() == sample(PUBLISHED_WSDL)


def test_the_shipped_wsdl_documents_its_faults_and_names_the_2014_address():
    text = " ".join(WSDL.read_text(encoding="utf-8").split())
    assert f'location="{PUBLISHED_ADDRESS}"' in text
    for fault in (*DOCUMENTED_2014, "INVALID_INPUT"):
        assert f"- {fault}: " in text
    assert set(TRANSIENT_FAULTS) == {*DOCUMENTED_2014, *ADDED_SINCE}
    assert set(BUSINESS_FAULTS) == {"INVALID_INPUT"}


def test_the_client_loads_the_shipped_wsdl_offline_and_calls_over_https(vies):
    assert sorted(name for name, _operation in vies.soap.service) == ["checkVat", "checkVatApprox"]
    assert vies.endpoint == ENDPOINT == PUBLISHED_ADDRESS.replace("http://", "https://")
    assert vies.soap.transport.operation_timeout == (5, 30)


@needs_samples
def test_another_wsdl_keeps_its_own_address_unless_told():
    published = SAMPLES / PUBLISHED_WSDL
    assert ViesClient(published).endpoint == PUBLISHED_ADDRESS
    assert ViesClient(published, endpoint="https://vies.test/x").endpoint == "https://vies.test/x"
    assert ViesClient(endpoint="https://vies.test/y").endpoint == "https://vies.test/y"


def test_the_partner_and_its_personality_are_registered():
    partner = get_partner("eu-vies")
    assert (partner.name, partner.kind, dict(partner.statuses)) == ("EU VIES", "registry", {})
    assert "registry" in KINDS
    assert partner_selection("registry") == [("eu-vies", "EU VIES")]
    assert partner_selection("customs") == []
    assert get_personality("eu-vies").__name__ == "ViesService"


# --- the published replies ----------------------------------------------------------------


@needs_samples
def test_the_published_valid_reply_reads_as_published(mocked):
    _reply(mocked, sample(VALID))
    before = datetime.datetime.now(datetime.timezone.utc)
    result = check_vat("gb", "GB 333 289 454")
    after = datetime.datetime.now(datetime.timezone.utc)
    assert isinstance(result, VatCheck)
    assert (result.country_code, result.vat_number, result.vat_id) == (
        "GB",
        "333289454",
        "GB333289454",
    )
    assert result.valid is True
    assert result.name == "BRITISH BROADCASTING CORPORATION"
    assert result.address == (
        "BC0 B1 D1 BROADCAST CENTRE\nWHITE CITY PLACE\n201 WOOD LANE\nLONDON\n\nW12 7TP"
    )
    assert result.request_date == datetime.date(2016, 1, 16)  # "2016-01-16+01:00"
    assert before <= result.checked_at <= after
    assert result.checked_at.tzinfo is datetime.timezone.utc
    sent = mocked.calls[0].request
    assert sent.url == ENDPOINT
    assert b"<ns0:countryCode>GB</ns0:countryCode>" in sent.body
    assert b"<ns0:vatNumber>333289454</ns0:vatNumber>" in sent.body
    assert sent.req_kwargs["timeout"] == (5, 30)


@needs_samples
@pytest.mark.parametrize(
    "edit",
    [
        lambda xml: xml.replace(b"BRITISH BROADCASTING CORPORATION", b"---").replace(
            b"BC0 B1 D1 BROADCAST CENTRE\nWHITE CITY PLACE\n201 WOOD LANE\nLONDON\n\nW12 7TP",
            b"---",
        ),
        lambda xml: xml[: xml.index(b"<ns2:name>")] + xml[xml.index(b"</ns2:checkVatResponse>") :],
    ],
    ids=["dashes", "absent"],
)
def test_a_name_and_address_not_given_are_empty(mocked, vies, edit):
    _reply(mocked, edit(sample(VALID)))
    result = vies.check("GB", "333289454")
    assert (result.valid, result.name, result.address) == (True, "", "")


@needs_samples
def test_the_published_fault_is_a_business_error_naming_the_number(mocked, vies):
    _reply(mocked, sample(FAULT), status=500)
    with pytest.raises(BusinessError) as info:
        vies.check("XX", "123")
    error = info.value
    assert str(error) == (
        "VIES check of XX123: INVALID_INPUT: VIES refuses the country code or finds the VAT "
        "number empty"
    )
    assert (error.faultcode, error.faultstring, error.vat_id) == (
        "env:Server",
        "INVALID_INPUT",
        "XX123",
    )
    assert not isinstance(error, TransientError)
    assert error_kind(error) == "business"
    assert error.response.status == 500
    assert error.request_record.startswith(f"POST {ENDPOINT}")


@needs_samples
@pytest.mark.parametrize("code", [*DOCUMENTED_2014, *ADDED_SINCE])
def test_each_temporary_fault_is_transient_naming_the_number(mocked, vies, code):
    _reply(mocked, _fault(code), status=500)
    with pytest.raises(TransientError) as info:
        vies.check("DE", "DE123456789")
    assert str(info.value) == f"VIES check of DE123456789: {code}: {TRANSIENT_FAULTS[code]}"
    assert info.value.faultstring == code
    assert error_kind(info.value) == "transient"


@needs_samples
def test_a_temporary_fault_without_faultcode_is_transient(mocked, vies):
    # The fixture file of the published fault also shows MS_UNAVAILABLE with no faultcode.
    body = _fault("MS_UNAVAILABLE").replace(b"<faultcode>env:Server</faultcode>", b"")
    _reply(mocked, body, status=500)
    with pytest.raises(TransientError, match="DE123456789: MS_UNAVAILABLE"):
        vies.check("DE", "123456789")


@needs_samples
def test_an_undocumented_fault_stays_business(mocked, vies):
    _reply(mocked, _fault("VAT_BLOCKED"), status=500)
    with pytest.raises(BusinessError) as info:
        vies.check("DE", "123456789")
    assert not isinstance(info.value, TransientError)
    assert str(info.value) == (
        "VIES check of DE123456789: SOAP checkVat: SOAP fault env:Server: VAT_BLOCKED"
    )


def test_http_503_and_timeouts_are_transient_naming_the_number(mocked, vies):
    _reply(mocked, b"", status=503, headers={"Retry-After": "120"})
    with pytest.raises(TransientError) as info:
        vies.check("NL", "NL123456789B01")
    assert str(info.value) == (
        f"VIES check of NL123456789B01: POST {ENDPOINT}: HTTP 503 Service Unavailable"
    )
    assert info.value.retry_after == 120
    mocked.replace("POST", ENDPOINT, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(TransientError, match=r"^VIES check of NL123456789B01: .*read timed out"):
        vies.check("NL", "NL123456789B01")


# --- input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "number", "expected"),
    [
        ("DE", "DE 123.456.789", ("DE", "123456789")),
        ("de", "de123456789", ("DE", "123456789")),
        ("BE", "0477-472-701", ("BE", "0477472701")),
        ("GR", "094259216", ("EL", "094259216")),
        ("EL", "GR094259216", ("EL", "094259216")),
        ("gr", "EL 094 259 216", ("EL", "094259216")),
        (None, "GR094259216", ("EL", "094259216")),
        ("", "ATU12345678", ("AT", "U12345678")),
        (" nl ", "nl123456789b01", ("NL", "123456789B01")),
        ("IE", "1234567\u00a0FA", ("IE", "1234567FA")),
        ("IE", "8Z49289F", ("IE", "8Z49289F")),
        ("ES", "X1234567X", ("ES", "X1234567X")),
        ("FR", "FRXX999999999", ("FR", "XX999999999")),
    ],
)
def test_input_is_normalised(country, number, expected):
    assert normalize_vat(country, number) == expected


@pytest.mark.parametrize(
    ("country", "number", "message"),
    [
        ("DE", "", r"^VAT number '' \(DE\) is empty$"),
        ("DE", "DE", r"^VAT number 'DE' \(DE\) is empty$"),
        ("DE", "1", "is not 2 to 12 letters, digits"),
        ("DE", "1234567890123", r"\('1234567890123'\)$"),
        ("DE", "12/345", "'12/345'"),
        ("DE", "12345ß", "is not 2 to 12 letters"),
        ("D1", "123456789", "^country code 'D1' of VAT number '123456789' is not two letters"),
        ("DEU", "123456789", "country code 'DEU'"),
        (None, "123456789", "^VAT number '123456789' has no country: give the country code"),
        ("DE", None, "are text, not None and 'DE'"),
        (49, "123", "are text"),
    ],
)
def test_malformed_input_is_refused_without_asking_vies(mocked, vies, country, number, message):
    with pytest.raises(MalformedVatNumber, match=message) as info:
        vies.check(country, number)
    assert isinstance(info.value, BusinessError) and isinstance(info.value, ValueError)
    assert error_kind(info.value) == "business"
    assert len(mocked.calls) == 0
