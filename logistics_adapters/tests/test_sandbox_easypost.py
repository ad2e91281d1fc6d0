"""The sandbox's EasyPost personality: shipments, rates, labels, refunds, trackers, webhooks."""

import base64
import contextlib
import json
import time

import pytest
import requests

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import TransientError
from logistics_adapters.partners.easypost.sandbox import EasyPostCarrier
from logistics_adapters.sandbox import Sandbox
from logistics_adapters.tests.helpers import (
    loopback_session,
    needs_samples,
    sample,
    served_sandbox,
)
from logistics_adapters.tests.webhook_receiver import WebhookReceiver
from logistics_adapters.transport.http import OutboundClient
from logistics_adapters.transport.signatures import get_scheme

API_KEY = "sandbox-api-key"
SECRET = "s\u00e9cret-easypost"
SCHEME = get_scheme("easypost-hmac")
SHIPMENT = registry.get("easypost-shipment")
EVENT = registry.get("easypost-event")
TRACKER = registry.get("easypost-tracker")
STATUS_ORDER = ["pre_transit", "in_transit", "out_for_delivery", "delivered"]


def _session(auth=(API_KEY, "")):
    return loopback_session(auth)


def _shipment_body(label_format=None, weight=15.4):
    body = {
        "shipment": {
            "from_address": {
                "name": "Jack Sparrow",
                "street1": "388 Townsend St",
                "city": "San Francisco",
                "state": "CA",
                "zip": "94107",
                "country": "US",
            },
            "to_address": {
                "name": "Elizabeth Swan",
                "street1": "179 N Harbor Dr",
                "city": "Redondo Beach",
                "state": "CA",
                "zip": "90277",
                "country": "US",
            },
            "parcel": {"length": 10, "width": 8, "height": 4, "weight": weight},
            "reference": "SO042",
        }
    }
    if label_format:
        body["shipment"]["options"] = {"label_format": label_format}
    return body


def Receiver(statuses=()):
    """A receiver checking this module's scheme and secret (see ``WebhookReceiver``)."""
    return WebhookReceiver(SCHEME, SECRET, path="/easypost", statuses=statuses)


def _easypost_sandbox(**options):
    carrier = EasyPostCarrier(**options)
    sandbox = Sandbox(port=0, route_sets=[carrier])
    carrier.attach(sandbox)
    return sandbox


@pytest.fixture
def sandbox():
    with _easypost_sandbox(interval=0.05) as running:
        yield running


@pytest.fixture
def http_auth():
    return (API_KEY, "")


def _create(http, sandbox, **kwargs):
    response = http.post(f"{sandbox.url}/v2/shipments", json=_shipment_body(**kwargs), timeout=5)
    assert response.status_code == 201, response.text
    return response


def _buy(http, sandbox, shipment, service="GroundAdvantage", headers=None):
    rate = next(rate for rate in shipment["rates"] if rate["service"] == service)
    return http.post(
        f"{sandbox.url}/v2/shipments/{shipment['id']}/buy",
        json={"rate": {"id": rate["id"]}},
        headers=headers,
        timeout=5,
    )


# -- shipments and rates ----------------------------------------------------------------------


def test_create_answers_a_shipment_with_deterministic_rates(http, sandbox):
    response = _create(http, sandbox)
    shipment = response.json()
    assert shipment["object"] == "Shipment"
    assert shipment["id"].startswith("shp_")
    assert shipment["status"] == "unknown"
    assert shipment["tracking_code"] is None and shipment["postage_label"] is None
    carriers = {rate["carrier"] for rate in shipment["rates"]}
    assert {"USPS", "UPS", "FedEx"} <= carriers
    ground = {(r["carrier"], r["service"]): r["rate"] for r in shipment["rates"]}
    assert ground[("USPS", "GroundAdvantage")] == "6.07"  # 5.25 + 0.82 per started pound
    again = {
        (r["carrier"], r["service"]): r["rate"] for r in _create(http, sandbox).json()["rates"]
    }
    assert again == ground
    heavy = _create(http, sandbox, weight=40).json()["rates"]
    assert all(float(h["rate"]) > float(ground[(h["carrier"], h["service"])]) for h in heavy)

    objects = SHIPMENT.parse(response.content)
    parsed = objects[0]
    assert isinstance(parsed, c.Shipment)
    assert parsed.partner_reference == shipment["id"] and parsed.reference == "SO042"
    rates = [obj for obj in objects if isinstance(obj, c.Rate)]
    assert len(rates) == len(shipment["rates"])
    assert {rate.partner_rate_id for rate in rates} == {r["id"] for r in shipment["rates"]}


@needs_samples
def test_the_published_create_request_is_accepted(http, sandbox):
    body = sample("easypost_shipment_create_request.json")
    response = http.post(
        f"{sandbox.url}/v2/shipments",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=5,
    )
    assert response.status_code == 201, response.text
    shipment = response.json()
    assert shipment["customs_info"]["id"].startswith("cstinfo_")
    assert shipment["customs_info"]["customs_items"][0]["value"] == "23.25"
    bought = _buy(http, sandbox, shipment)
    assert bought.json()["postage_label"]["label_file_type"] == "image/png"
    label = http.get(bought.json()["postage_label"]["label_url"], timeout=5)
    assert label.content.startswith(b"\x89PNG\r\n\x1a\n")
    kinds = [type(obj).__name__ for obj in SHIPMENT.parse(bought.content)]
    assert kinds[:2] == ["Shipment", "CustomsDeclaration"] and kinds[-1] == "Label"


def test_buy_answers_tracking_code_pdf_label_tracker_and_fees(http, sandbox):
    shipment = _create(http, sandbox).json()
    response = _buy(http, sandbox, shipment)
    assert response.status_code == 200, response.text
    bought = response.json()
    assert bought["tracking_code"]
    assert bought["selected_rate"]["service"] == "GroundAdvantage"
    assert bought["tracker"]["status"] == "pre_transit"
    assert bought["tracker"]["tracking_code"] == bought["tracking_code"]
    assert bought["tracker"]["id"].startswith("trk_")
    assert bought["tracker"]["public_url"].startswith(sandbox.url)
    assert {fee["type"]: fee["amount"] for fee in bought["fees"]} == {
        "LabelFee": "0.00000",
        "PostageFee": "6.07000",
    }
    label = bought["postage_label"]
    assert label["label_file_type"] == "application/pdf"
    assert label["label_url"] == label["label_pdf_url"]
    assert label["label_url"].startswith(f"{sandbox.url}/v2/labels/")
    pdf = requests.get(label["label_url"], timeout=5)  # no API key, like EasyPost's S3 URLs
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and pdf.content.rstrip().endswith(b"%%EOF")

    objects = SHIPMENT.parse(response.content)
    parsed, labels = objects[0], [obj for obj in objects if isinstance(obj, c.Label)]
    assert parsed.tracking_number == bought["tracking_code"]
    assert parsed.status == c.STATUS_LABEL_CREATED
    assert parsed.references["selected_rate_id"] == bought["selected_rate"]["id"]
    assert parsed.references["tracker_id"] == bought["tracker"]["id"]
    assert [(lab.file_format, lab.url) for lab in labels] == [("PDF", label["label_url"])]

    current = http.get(f"{sandbox.url}/v2/shipments/{shipment['id']}", timeout=5)
    assert current.status_code == 200
    assert current.json()["tracking_code"] == bought["tracking_code"]


def test_zpl_label_when_asked(http, sandbox):
    shipment = _create(http, sandbox, label_format="ZPL").json()
    bought = _buy(http, sandbox, shipment, service="Ground").json()
    label = bought["postage_label"]
    assert label["label_zpl_url"] == label["label_url"] and label["label_url"].endswith(".zpl")
    data = http.get(label["label_url"], timeout=5).content
    assert data.startswith(b"^XA") and data.rstrip().endswith(b"^XZ")
    assert bought["tracking_code"].encode() in data
    labels = [
        obj for obj in SHIPMENT.parse(json.dumps(bought).encode()) if isinstance(obj, c.Label)
    ]
    assert labels[0].file_format == "ZPL"


def test_buying_twice_is_refused_unless_the_same_idempotency_key_is_sent(http, sandbox):
    shipment = _create(http, sandbox).json()
    key = {"Idempotency-Key": "buy-1"}
    first = _buy(http, sandbox, shipment, headers=key)
    assert first.status_code == 200
    replay = _buy(http, sandbox, shipment, headers=key)
    assert replay.status_code == 200
    assert replay.content == first.content
    assert replay.headers["Idempotent-Replayed"] == "true"

    for headers in (None, {"Idempotency-Key": "buy-2"}):
        again = _buy(http, sandbox, shipment, service="Priority", headers=headers)
        assert again.status_code == 422
        error = again.json()["error"]
        assert error["code"] == "SHIPMENT.POSTAGE.EXISTS"
        assert "already purchased" in error["message"]
        assert isinstance(error["errors"], list)

    other_body = _buy(http, sandbox, shipment, service="Priority", headers=key)
    assert other_body.status_code == 422
    assert "another request body" in other_body.json()["error"]["message"]
    assert [r["status"] for r in sandbox.requests(path="/v2/shipments/", method="POST")] == [
        200,
        200,
        422,
        422,
        422,
    ]


def test_refund_is_submitted_only_for_a_bought_label(http, sandbox):
    shipment = _create(http, sandbox).json()
    url = f"{sandbox.url}/v2/shipments/{shipment['id']}/refund"
    early = http.post(url, timeout=5)
    assert early.status_code == 422 and early.json()["error"]["code"]
    _buy(http, sandbox, shipment)
    refunded = http.post(url, timeout=5)
    assert refunded.status_code == 200
    assert refunded.json()["refund_status"] == "submitted"
    assert http.post(url, timeout=5).json()["refund_status"] == "submitted"
    assert SHIPMENT.parse(refunded.content)[0].tracking_number


@needs_samples
def test_trackers_create_get_and_easypost_test_codes(http, sandbox):
    url = f"{sandbox.url}/v2/trackers"
    body = json.loads(sample("easypost_tracker_create_request.json"))
    first = http.post(url, json=body, timeout=5)
    assert first.status_code == 200, first.text
    tracker = first.json()
    assert tracker["object"] == "Tracker" and tracker["id"].startswith("trk_")
    assert tracker["status"] == "pre_transit" and tracker["carrier"] == "USPS"
    assert [event.status for event in TRACKER.parse(first.content)] == [c.STATUS_LABEL_CREATED]

    delivered = http.post(
        url, json={"tracker": {"tracking_code": "EZ4000000004", "carrier": "UPS"}}, timeout=5
    ).json()
    assert delivered["status"] == "delivered" and delivered["carrier"] == "UPS"
    assert [d["status"] for d in delivered["tracking_details"]] == STATUS_ORDER
    assert [e.status for e in TRACKER.parse(json.dumps(delivered).encode())][-1] == "delivered"

    again = http.post(url, json=body, timeout=5).json()
    assert again["id"] == tracker["id"]
    fetched = http.get(f"{url}/{tracker['id']}", timeout=5)
    assert fetched.status_code == 200 and fetched.json()["tracking_code"] == "EZ1000000001"
    assert http.get(f"{url}/trk_nope", timeout=5).status_code == 404
    assert http.get(tracker["public_url"], timeout=5).status_code == 200

    bought = _buy(http, sandbox, _create(http, sandbox).json()).json()
    same = http.post(url, json={"tracker": {"tracking_code": bought["tracking_code"]}}, timeout=5)
    assert same.json()["id"] == bought["tracker"]["id"]


def test_missing_or_wrong_api_key_is_refused_with_401(sandbox):
    url = f"{sandbox.url}/v2/shipments"
    for auth in (None, ("wrong-key", ""), ("", API_KEY)):
        with _session(auth) as session:
            response = session.post(url, json=_shipment_body(), timeout=5)
        assert response.status_code == 401
        error = response.json()["error"]
        assert set(error) == {"code", "message", "errors"}
        assert error["code"].startswith("APIKEY.") and error["errors"] == []
    assert sandbox.requests(path="/v2/shipments")[-1]["status"] == 401


def test_bearer_and_basic_carry_the_api_key_as_on_easypost(sandbox):
    url = f"{sandbox.url}/v2/shipments"
    basic = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
    for header, status in [
        (f"Bearer {API_KEY}", 201),  # EasyPost's own client libraries
        (f"bearer   {API_KEY} ", 201),
        (basic, 201),
        ("Bearer wrong-key", 401),
        ("Bearer ", 401),
        (f"Token {API_KEY}", 401),
        ("Basic %%%", 401),
    ]:
        with _session(None) as session:
            response = session.post(
                url, json=_shipment_body(), headers={"Authorization": header}, timeout=5
            )
        assert response.status_code == status, (header, response.text)
    assert "Bearer" in response.json()["error"]["message"]


def test_the_official_easypost_client_drives_the_sandbox(sandbox, monkeypatch):
    """What a new user does first, with EasyPost's own Python library (Bearer auth), against
    the sandbox's loopback URL only."""
    import easypost  # requirements-test.txt; imported here so the other tests run without it

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    client = easypost.EasyPostClient(API_KEY, api_base=f"{sandbox.url}/v2", timeout=5)
    assert client.api_base.startswith("http://127.0.0.1:")

    shipment = client.shipment.create(**_shipment_body()["shipment"])
    assert shipment.id.startswith("shp_") and len(shipment.rates) >= 3
    lowest = shipment.lowest_rate()
    assert float(lowest.rate) == min(float(rate.rate) for rate in shipment.rates)
    bought = client.shipment.buy(shipment.id, rate=lowest)
    assert bought.selected_rate.id == lowest.id
    assert bought.tracking_code and bought.tracker.status == "pre_transit"
    assert bought.postage_label.label_url.startswith(sandbox.url)

    tracker = client.tracker.create(tracking_code="EZ1000000001", carrier="USPS")
    assert tracker.id.startswith("trk_") and tracker.status == "pre_transit"
    assert client.tracker.retrieve(tracker.id).tracking_code == "EZ1000000001"

    refunded = client.shipment.refund(shipment.id)
    assert refunded.refund_status == "submitted"

    with pytest.raises(easypost.errors.NotFoundError) as info:
        client.shipment.retrieve("shp_nope")
    assert info.value.http_status == 404
    with pytest.raises(easypost.errors.UnauthorizedError):
        easypost.EasyPostClient("wrong", api_base=client.api_base).shipment.retrieve(shipment.id)

    recorded = sandbox.requests(path="/v2/")
    assert recorded and all(r["headers"]["Authorization"].startswith("Bearer ") for r in recorded)
    assert [r["status"] for r in recorded][:6] == [201, 200, 200, 200, 200, 404]


def test_a_configured_api_key_replaces_the_default():
    with _easypost_sandbox(api_key="ep-test-123") as running:
        url = f"{running.url}/v2/shipments"
        with _session() as default, _session(("ep-test-123", "")) as configured:
            assert default.post(url, json=_shipment_body(), timeout=5).status_code == 401
            assert configured.post(url, json=_shipment_body(), timeout=5).status_code == 201


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v2/shipments", b"{not json", None),
        ("/v2/shipments", b"[]", None),
        ("/v2/shipments", b"{}", "shipment"),
        ("/v2/shipments", b'{"shipment": 3}', "shipment"),
        ("/v2/shipments", b'{"shipment": {"to_address": {}}}', "shipment.from_address"),
        ("/v2/trackers", b'{"tracker": {}}', "tracker.tracking_code"),
    ],
)
def test_bad_bodies_answer_422_in_easypost_shape(http, sandbox, path, body, field):
    response = http.post(
        f"{sandbox.url}{path}", data=body, headers={"Content-Type": "application/json"}, timeout=5
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] and error["message"]
    if field:
        assert error["errors"][0]["field"] == field


def test_bad_parcel_and_rate_and_unknown_shipment(http, sandbox):
    body = _shipment_body()
    del body["shipment"]["parcel"]["weight"]
    response = http.post(f"{sandbox.url}/v2/shipments", json=body, timeout=5)
    assert response.json()["error"]["errors"][0]["field"] == "shipment.parcel.weight"
    bad_format = http.post(
        f"{sandbox.url}/v2/shipments", json=_shipment_body(label_format="GIF"), timeout=5
    )
    assert bad_format.status_code == 422
    shipment = _create(http, sandbox).json()
    buy_url = f"{sandbox.url}/v2/shipments/{shipment['id']}/buy"
    assert http.post(buy_url, json={"rate": {"id": "rate_x"}}, timeout=5).status_code == 422
    assert http.post(buy_url, json={"rate": {}}, timeout=5).status_code == 422
    missing = http.get(f"{sandbox.url}/v2/shipments/shp_missing", timeout=5)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"


# -- faults and the request log ---------------------------------------------------------------


def test_a_5xx_fault_on_shipments_is_transient_for_the_outbound_client(sandbox):
    sandbox.add_fault(mode="5xx", count=1, paths="/v2/shipments")
    with OutboundClient(
        sandbox.url, timeout=(2, 2), auth=(API_KEY, ""), session=_session(None)
    ) as client:
        with pytest.raises(TransientError):
            client.request("POST", "/v2/shipments", json=_shipment_body())
        answer = client.request("POST", "/v2/shipments", json=_shipment_body())
    assert answer.status == 201 and answer.json()["object"] == "Shipment"
    records = sandbox.requests(path="/v2/shipments")
    assert [(r["status"], r["fault"]) for r in records] == [(503, "5xx"), (201, None)]


# -- webhooks ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _bought_with_webhooks(http, **options):
    with Receiver() as receiver:
        carrier = EasyPostCarrier(webhook_url=receiver.url, webhook_secret=SECRET, **options)
        with Sandbox(port=0, route_sets=[carrier]) as sandbox:
            carrier.attach(sandbox)
            bought = _buy(http, sandbox, _create(http, sandbox).json()).json()
            yield sandbox, receiver, bought


def test_tracker_updated_webhooks_are_signed_and_arrive_in_status_order(http):
    with _bought_with_webhooks(http, interval=0.05) as (sandbox, receiver, bought):
        records = sandbox.wait_deliveries(4, timeout=5)
        items = receiver.items()
        final = http.get(f"{sandbox.url}/v2/shipments/{bought['id']}", timeout=5).json()
    assert [r["state"] for r in records] == ["delivered"] * 4
    assert all(item["error"] is None and item["verified"] for item in items)
    events = [json.loads(item["body"]) for item in items]
    assert {event["object"] for event in events} == {"Event"}
    assert {event["description"] for event in events} == {"tracker.updated"}
    assert [event["result"]["status"] for event in events] == STATUS_ORDER
    assert [len(event["result"]["tracking_details"]) for event in events] == [1, 2, 3, 4]
    assert {event["result"]["id"] for event in events} == {bought["tracker"]["id"]}
    assert [event["previous_attributes"].get("status") for event in events] == [
        None,
        *STATUS_ORDER[:-1],
    ]
    assert len({event["id"] for event in events}) == 4
    parsed = [EVENT.parse(item["body"]) for item in items]
    assert [len(tracking) for tracking in parsed] == [1, 2, 3, 4]
    last = parsed[-1]
    assert [e.status for e in last] == [
        c.STATUS_LABEL_CREATED,
        c.STATUS_IN_TRANSIT,
        c.STATUS_OUT_FOR_DELIVERY,
        c.STATUS_DELIVERED,
    ]
    assert {e.tracking_number for e in last} == {bought["tracking_code"]}
    assert last[-1].signed_by == "ELIZABETH SWAN"
    assert final["status"] == "delivered" and final["tracker"]["finalized"] is True


def test_webhooks_can_be_duplicated_and_shuffled(http):
    options = {"interval": 0.02, "duplicate": 2, "shuffle": 5}
    with _bought_with_webhooks(http, **options) as (sandbox, receiver, _bought):
        sandbox.wait_deliveries(8, timeout=5)
        items = receiver.items()
        plan = sandbox.timelines[0].summary()["plan"]
    statuses = [json.loads(item["body"])["result"]["status"] for item in items]
    assert sorted(statuses) == sorted(STATUS_ORDER * 2)
    assert statuses == [STATUS_ORDER[step["event"]] for step in plan]
    assert all(item["verified"] for item in items)


def test_webhooks_carry_the_extra_headers_asked_for(http):
    options = {"interval": 0.02, "webhook_options": {"headers": {"Cookie": "test_cursor=abc"}}}
    with _bought_with_webhooks(http, **options) as (sandbox, receiver, _bought):
        sandbox.wait_deliveries(4, timeout=5)
        items = receiver.items()
    assert [item["headers"].get("Cookie") for item in items] == ["test_cursor=abc"] * 4
    assert all(item["verified"] for item in items), "the extra header does not break the signature"


def test_refund_stops_the_tracker_and_its_webhooks(http):
    with _bought_with_webhooks(http, interval=[0.5, 5, 5]) as (sandbox, receiver, bought):
        refunded = http.post(f"{sandbox.url}/v2/shipments/{bought['id']}/refund", timeout=5)
        time.sleep(0.6)
        records = sandbox.deliveries()
        tracker = http.get(f"{sandbox.url}/v2/trackers/{bought['tracker']['id']}", timeout=5)
    assert refunded.json()["refund_status"] == "submitted"
    assert tracker.json()["status"] == "pre_transit"
    assert [r["state"] for r in records].count("cancelled") >= 3
    assert len(receiver.items()) <= 1


def test_no_webhooks_without_a_secret_and_sandbox_defaults_are_used(http):
    with Receiver() as receiver:
        carrier = EasyPostCarrier(interval=0)
        with Sandbox(port=0, webhook_url=receiver.url, route_sets=[carrier]) as sandbox:
            carrier.attach(sandbox)
            _buy(http, sandbox, _create(http, sandbox).json())
            assert sandbox.timelines == []
        carrier = EasyPostCarrier(interval=0)
        with Sandbox(
            port=0, webhook_url=receiver.url, secret=SECRET, route_sets=[carrier]
        ) as sandbox:
            carrier.attach(sandbox)
            _buy(http, sandbox, _create(http, sandbox).json())
            sandbox.wait_deliveries(4, timeout=5)
        assert [item["verified"] is not None for item in receiver.items()] == [True] * 4


@pytest.mark.parametrize(
    "options",
    [
        {"statuses": ["pre_transit", "teleported"]},
        {"interval": [1, 2]},
        {"interval": -1},
        {"duplicate": 11},
        {"webhook_options": {"retries": 3}},
        {"api_key": ""},
    ],
)
def test_bad_carrier_options_are_refused(options):
    with pytest.raises(ValueError):
        EasyPostCarrier(**options)


def test_command_line_serves_the_easypost_personality(http):
    with served_sandbox("--personality", "easypost") as url:
        assert http.post(f"{url}/v2/shipments", json=_shipment_body(), timeout=5).status_code == 201
        assert http.post(f"{url}/shipments", json={}, timeout=5).status_code == 404


@pytest.mark.parametrize("honour", [True, False])
def test_a_carrier_that_ignores_idempotency_keys_does_a_request_again(http, honour):
    headers = {"Idempotency-Key": "label:1"}
    url_path = "/v2/shipments"
    with _easypost_sandbox(honour_idempotency_keys=honour) as sandbox:
        ids = [
            http.post(
                f"{sandbox.url}{url_path}", json=_shipment_body(), headers=headers, timeout=5
            ).json()["id"]
            for _ in range(2)
        ]
    assert (ids[0] == ids[1]) is honour, ids
