"""The sandbox's EU VIES: the published WSDL served with its address rewritten, checkVat
answered over real HTTP (valid, invalid, INVALID_INPUT), outages, control routes, safe XML."""

import datetime

import pytest

from logistics_adapters.errors import BusinessError, TransientError, error_kind
from logistics_adapters.partners.eu_vies.client import (
    PUBLISHED_ADDRESS,
    TRANSIENT_FAULTS,
    WSDL,
    ViesClient,
)
from logistics_adapters.partners.eu_vies.sandbox import DEFAULT_NUMBERS, OUTAGES, ViesService
from logistics_adapters.sandbox import Sandbox

from .helpers import loopback_session, served_sandbox

SERVICE = "/taxation_customs/vies/services/checkVatService"
PUBLISHED_WSDL_PATH = "/taxation_customs/vies/checkVatService.wsdl"
CONTROL = "/_sandbox/eu-vies"
NUMBERS = {"PL5260250995": ("SANDBOX SPEDYCJA SP Z O O", "UL. PORTOWA 1\n00-001 WARSZAWA")}
CET = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture
def service():
    return ViesService(NUMBERS)


@pytest.fixture
def sandbox(service):
    with Sandbox(port=0, route_sets=[service]) as sandbox:
        yield sandbox


def _client(sandbox, http, **options):
    """A client whose WSDL comes from the sandbox (``?wsdl``, as from VIES)."""
    return ViesClient(f"{sandbox.url}{SERVICE}?wsdl", session=http, **options)


def _post(http, sandbox, body):
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
    return http.post(sandbox.url + SERVICE, data=body, headers=headers, timeout=5)


# --- the WSDL -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [f"{SERVICE}?wsdl", PUBLISHED_WSDL_PATH])
def test_the_published_wsdl_is_served_with_the_sandbox_address(sandbox, http, path):
    answer = http.get(sandbox.url + path, timeout=5)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/xml; charset=utf-8"
    own = f'location="{sandbox.url}{SERVICE}"'.encode()
    assert answer.content.count(own) == 1
    published = f'location="{PUBLISHED_ADDRESS}"'.encode()
    assert answer.content.replace(own, published) == WSDL.read_bytes()


def test_a_bad_host_header_is_refused(sandbox, http):
    answer = http.get(sandbox.url + SERVICE, headers={"Host": 'x"><evil'}, timeout=5)
    assert answer.status_code == 400
    assert "bad Host header" in answer.json()["error"]


# --- checks through the client --------------------------------------------------------------


def test_the_client_loads_the_wsdl_from_the_sandbox_and_checks_a_number(sandbox, http):
    client = _client(sandbox, http)
    assert client.endpoint == sandbox.url + SERVICE
    before = datetime.datetime.now(datetime.timezone.utc)
    result = client.check("pl", "PL 526-025-09-95")
    assert (result.country_code, result.vat_number, result.valid) == ("PL", "5260250995", True)
    assert (result.name, result.address) == NUMBERS["PL5260250995"]
    assert result.request_date == datetime.datetime.now(CET).date()
    assert result.checked_at >= before
    sent = sandbox.requests(path=SERVICE)
    assert [entry["method"] for entry in sent] == ["GET", "POST"]
    assert "<ns0:vatNumber>5260250995</ns0:vatNumber>" in sent[1]["body"]
    assert sent[1]["status"] == 200


def test_the_client_on_the_local_wsdl_calls_the_sandbox(sandbox, http):
    client = ViesClient(endpoint=sandbox.url + SERVICE, session=http)
    result = client.check("FR", "FR12345678901")
    assert (result.vat_id, result.valid, result.name, result.address) == (
        "FR12345678901",
        False,
        "",
        "",
    )
    assert [entry["method"] for entry in sandbox.requests()] == ["POST"]  # no WSDL fetched


def test_greece_is_asked_as_el_and_germany_gives_no_name(http):
    with Sandbox(port=0, route_sets=[ViesService()]) as sandbox:
        client = _client(sandbox, http)
        greek = client.check("GR", "GR123456789")
        german = client.check("DE", "123456789")
    assert (greek.vat_id, greek.valid, greek.name) == ("EL123456789", True, "SANDBOX SHIPPING AE")
    assert (german.vat_id, german.valid, german.name, german.address) == (
        "DE123456789",
        True,
        "",
        "",
    )
    assert DEFAULT_NUMBERS["DE123456789"] == ("---", "---")


def test_a_country_outside_vies_is_invalid_input(sandbox, http):
    with pytest.raises(BusinessError) as info:
        _client(sandbox, http).check("US", "123456789")
    assert str(info.value) == (
        "VIES check of US123456789: INVALID_INPUT: VIES refuses the country code or finds the "
        "VAT number empty"
    )
    assert (info.value.faultcode, info.value.response.status) == ("env:Server", 500)


# --- outages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["MS_UNAVAILABLE", "MS_MAX_CONCURRENT_REQ", "TIMEOUT"])
def test_an_outage_fault_is_transient(http, mode):
    service = ViesService(NUMBERS, outage=mode)
    with Sandbox(port=0, route_sets=[service]) as sandbox, pytest.raises(TransientError) as info:
        _client(sandbox, http).check("PL", "5260250995")
    assert str(info.value) == f"VIES check of PL5260250995: {mode}: {TRANSIENT_FAULTS[mode]}"
    assert (info.value.faultcode, info.value.faultstring) == ("env:Server", mode)
    assert error_kind(info.value) == "transient"


def test_an_http_503_outage_is_transient(http):
    with Sandbox(port=0, route_sets=[ViesService(NUMBERS, outage="503")]) as sandbox:
        client = _client(sandbox, http)  # the WSDL is still served
        with pytest.raises(TransientError) as info:
            client.check("PL", "5260250995")
    assert str(info.value) == (
        f"VIES check of PL5260250995: POST {sandbox.url}{SERVICE}: HTTP 503 Service Unavailable"
    )
    assert info.value.response.status == 503


def test_an_outage_of_one_member_state_set_and_ended_by_the_control_route(sandbox, http):
    client = _client(sandbox, http)
    switched = http.post(
        sandbox.url + CONTROL + "/outage",
        json={"mode": "MS_UNAVAILABLE", "countries": ["PL"]},
        timeout=5,
    )
    assert switched.json() == {"outage": "MS_UNAVAILABLE", "countries": ["PL"]}
    with pytest.raises(TransientError, match="PL5260250995: MS_UNAVAILABLE"):
        client.check("PL", "5260250995")
    assert client.check("FR", "12345678901").valid is False  # other member states answer
    ended = http.post(sandbox.url + CONTROL + "/outage", json={"mode": None}, timeout=5)
    assert ended.json() == {"outage": None, "countries": []}
    assert client.check("PL", "5260250995").valid is True  # retried later, it goes through


def test_reset_goes_back_to_the_constructor_state(sandbox, service, http):
    service.set_outage("GLOBAL_MAX_CONCURRENT_REQ")
    service.set_number("PL5260250995", valid=False)
    changed = http.get(sandbox.url + CONTROL, timeout=5).json()
    assert (changed["numbers"], changed["outage"]) == ([], "GLOBAL_MAX_CONCURRENT_REQ")
    http.post(sandbox.url + "/_sandbox/reset", timeout=5)
    name, address = NUMBERS["PL5260250995"]
    assert http.get(sandbox.url + CONTROL, timeout=5).json() == {
        "numbers": [{"vat": "PL5260250995", "name": name, "address": address}],
        "outage": None,
        "countries": [],
    }


# --- control routes ---------------------------------------------------------------------------


def test_numbers_are_added_and_withdrawn_by_the_control_route(sandbox, http):
    client = _client(sandbox, http)
    added = http.post(
        sandbox.url + CONTROL + "/numbers",
        json={"vat": "NL 123456789B01", "name": "SANDBOX B.V.", "address": "Kade 2"},
        timeout=5,
    )
    assert added.status_code == 200
    entry = {"vat": "NL123456789B01", "name": "SANDBOX B.V.", "address": "Kade 2"}
    assert entry in added.json()["numbers"]
    result = client.check("NL", "123456789B01")
    assert (result.valid, result.name, result.address) == (True, "SANDBOX B.V.", "Kade 2")
    withdrawn = {"vat": "NL123456789B01", "valid": False}
    http.post(sandbox.url + CONTROL + "/numbers", json=withdrawn, timeout=5)
    assert client.check("NL", "123456789B01").valid is False


@pytest.mark.parametrize(
    ("path", "body", "reason"),
    [
        ("/outage", {"mode": "DOWN"}, "outage 'DOWN' is not one of SERVICE_UNAVAILABLE"),
        ("/outage", {"mode": "TIMEOUT", "countries": "DE"}, "must be a list of VIES country"),
        ("/outage", {"mode": "TIMEOUT", "countries": ["GB"]}, "must be a list of VIES country"),
        ("/outage", {"mode": "TIMEOUT", "for": 1}, "unknown key(s) in an outage: for"),
        ("/numbers", {"vat": "123456789"}, "a VAT number starts with its country code"),
        ("/numbers", {"name": "NO NUMBER"}, "None: a VAT number starts with its country code"),
        ("/numbers", {"vat": "US123456789"}, "US is not a VIES country code"),
        ("/numbers", {"vat": "DE1"}, "is not 2 to 12 letters"),
        ("/numbers", {"vat": "DE123456789", "valid": "no"}, "'valid' must be true or false"),
    ],
)
def test_bad_control_requests_say_why(sandbox, http, path, body, reason):
    answer = http.post(sandbox.url + CONTROL + path, json=body, timeout=5)
    assert answer.status_code == 400
    assert reason in answer.json()["error"]


def test_bad_constructor_arguments_are_refused():
    with pytest.raises(ValueError, match="outage 'SOON'"):
        ViesService(outage="SOON")
    with pytest.raises(ValueError, match="a VAT number starts with its country code"):
        ViesService({"123456789": ("A", "B")})
    assert set(OUTAGES) == {*TRANSIENT_FAULTS, "503"}


# --- what the service reads -------------------------------------------------------------------


def test_a_request_with_an_entity_is_refused_without_reading_it(sandbox, http, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    body = (
        f'<!DOCTYPE e [<!ENTITY leak SYSTEM "file://{secret}">]>'
        '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/">'
        "<soap-env:Body><checkVat>&leak;</checkVat></soap-env:Body></soap-env:Envelope>"
    )
    answer = _post(http, sandbox, body.encode())
    assert answer.status_code == 500
    assert "<faultcode>env:Client</faultcode>" in answer.text
    assert "document type declaration (&lt;!DOCTYPE e&gt;) is refused" in answer.text
    assert "TOP-SECRET-CONTENT" not in answer.text


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<unclosed>", "invalid XML"),
        (b"<a/>", "not a SOAP 1.1 envelope with a body"),
        (
            b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>'
            b'<t:checkVatApprox xmlns:t="urn:ec.europa.eu:taxud:vies:services:checkVat:types"/>'
            b"</e:Body></e:Envelope>",
            "the sandbox answers checkVat only, not checkVatApprox",
        ),
    ],
)
def test_requests_that_are_not_check_vat_get_a_client_fault(sandbox, http, body, reason):
    answer = _post(http, sandbox, body)
    assert answer.status_code == 500
    assert "<faultcode>env:Client</faultcode>" in answer.text
    assert reason in answer.text


def test_a_number_outside_the_published_pattern_is_invalid_input(sandbox, http):
    body = (
        b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>'
        b'<t:checkVat xmlns:t="urn:ec.europa.eu:taxud:vies:services:checkVat:types">'
        b"<t:countryCode>DE</t:countryCode><t:vatNumber>12/3</t:vatNumber></t:checkVat>"
        b"</e:Body></e:Envelope>"
    )
    answer = _post(http, sandbox, body)
    assert answer.status_code == 500
    assert "<faultstring>INVALID_INPUT</faultstring>" in answer.text


# --- command line -------------------------------------------------------------------------------


def test_the_command_line_serves_the_personality():
    with served_sandbox("--personality", "eu-vies") as url, loopback_session() as http:
        client = ViesClient(f"{url}{SERVICE}?wsdl", session=http, cache=False)
        result = client.check("BE", "BE0123.456.749")
    assert (result.vat_id, result.valid, result.name) == (
        "BE0123456749",
        True,
        "SANDBOX LOGISTICS NV",
    )
