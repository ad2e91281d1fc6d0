"""EasyPost codecs: published samples, mappings, errors, render round trips, CLI and fuzzing."""

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import ParseError
from logistics_adapters.partners.easypost import statuses as easypost_statuses

from . import strategies
from .helpers import NOT_JSON, SAMPLES, needs_samples, run, sample

EVENT = registry.get("easypost-event")
TRACKER = registry.get("easypost-tracker")
SHIPMENT = registry.get("easypost-shipment")
CODECS = (EVENT, TRACKER, SHIPMENT)

WEBHOOK = "easypost_webhook_event_tracker_updated.json"
TRACKER_RESPONSE = "easypost_tracker_create_response.json"
TRACKER_REQUEST = "easypost_tracker_create_request.json"
CREATE_REQUEST = "easypost_shipment_create_request.json"
CREATE_RESPONSE = "easypost_shipment_create_response.json"
BUY_REQUEST = "easypost_shipment_buy_request.json"
BUY_RESPONSE = "easypost_shipment_buy_response.json"
UTC = timezone.utc


def tracker(details=None, **fields):
    """A small EasyPost Tracker dict, with ``details`` as its tracking_details."""
    body = {
        "id": "trk_t",
        "object": "Tracker",
        "tracking_code": "EZ4000000004",
        "status": "in_transit",
        "status_detail": "arrived_at_facility",
        "carrier": "UPS",
        "signed_by": None,
        "updated_at": "2025-01-02T10:00:00Z",
        "tracking_details": details if details is not None else [detail()],
    }
    body.update(fields)
    return body


def detail(**fields):
    body = {
        "object": "TrackingDetail",
        "message": "Arrived at facility",
        "description": "",
        "status": "in_transit",
        "status_detail": "arrived_at_facility",
        "datetime": "2025-01-02T09:30:00Z",
        "carrier_code": "AR",
        "tracking_location": {"city": "AUSTIN", "state": "TX", "country": "US", "zip": "78701"},
    }
    body.update(fields)
    return body


def event_doc(result, description="tracker.updated"):
    return {"object": "Event", "id": "evt_t", "description": description, "result": result}


def dump(document, **kwargs):
    return json.dumps(document, **kwargs).encode("utf-8")


def parse_error(codec, data):
    with pytest.raises(ParseError) as info:
        codec.parse(data)
    assert info.value.format == codec.name
    return info.value


# --------------------------------------------------------------------------------------------
# Registration
# --------------------------------------------------------------------------------------------


def test_codecs_are_registered_with_descriptions():
    for name in ("easypost-event", "easypost-tracker", "easypost-shipment"):
        codec = registry.get(name)
        assert codec.description and codec.media_type == "application/json"
    assert SHIPMENT.can_render()
    assert not EVENT.can_render() and not TRACKER.can_render()


# --------------------------------------------------------------------------------------------
# Published samples, as published
# --------------------------------------------------------------------------------------------


@needs_samples
def test_webhook_event_sample_gives_one_event_per_tracking_detail():
    events = EVENT.parse(sample(WEBHOOK))
    assert len(events) == 7
    assert {e.tracking_number for e in events} == {"1"}
    assert {e.carrier for e in events} == {"FedEx"}
    assert [e.status for e in events] == ["label_created"] + ["in_transit"] * 6
    assert [e.partner_status for e in events] == [
        "pre_transit/label_created",
        "in_transit/arrived_at_facility",
        "in_transit/arrived_at_facility",
        "in_transit/departed_facility",
        "in_transit/unknown",
        "in_transit/unknown",
        "in_transit/arrived_at_facility",
    ]
    first, last = events[0], events[-1]
    assert first.occurred_at == datetime(2024, 7, 31, 15, 0, tzinfo=UTC)
    assert first.occurred_at.isoformat() == "2024-07-31T15:00:00+00:00"
    assert first.location == "32837, US"  # city and state are null in the sample
    assert first.description == "Shipment information sent to FedEx"
    assert first.partner_event_id == "trk_1/2024-07-31T15:00:00+00:00/pre_transit/OC"
    assert last.occurred_at == datetime(2024, 8, 2, 18, 50, tzinfo=UTC)
    assert last.location == "EDISON, NJ 08817, US"
    assert last.description == "Arrived at FedEx location"
    assert all(e.time_zone_known for e in events)
    assert len({e.partner_event_id for e in events}) == 7
    assert len({e.dedup_key() for e in events}) == 7
    assert all(e.signed_by == "" and e.shipment_reference == "" for e in events)


@needs_samples
def test_webhook_event_ids_are_stable_across_deliveries():
    document = json.loads(sample(WEBHOOK))
    document["id"], document["created_at"] = "evt_2", "2024-08-03T00:00:00Z"
    assert EVENT.parse(dump(document, indent=2)) == EVENT.parse(sample(WEBHOOK))


@needs_samples
def test_tracker_codec_reads_the_tracker_inside_the_webhook_event_the_same_way():
    result = json.loads(sample(WEBHOOK))["result"]
    assert TRACKER.parse(dump(result)) == EVENT.parse(sample(WEBHOOK))


@needs_samples
def test_tracker_create_response_sample():
    events = TRACKER.parse(sample(TRACKER_RESPONSE))
    assert len(events) == 2
    assert [e.description for e in events] == [
        "Pre-Shipment Info Sent to USPS",
        "Shipping Label Created",
    ]
    assert {e.tracking_number for e in events} == {"EZ1000000001"}
    assert {e.carrier for e in events} == {"USPS"}
    assert {e.status for e in events} == {"label_created"}
    assert {e.partner_status for e in events} == {"pre_transit/status_update"}
    assert events[0].location == ""  # every tracking_location field is null
    assert events[1].location == "HOUSTON, TX 77063"
    assert events[1].occurred_at == datetime(2025, 2, 7, 8, 25, 26, tzinfo=UTC)
    assert events[0].partner_event_id == (
        "trk_e7e8f143f3eb40d38be9562e3767c36a/2025-02-06T19:48:26+00:00/pre_transit"
    )


@needs_samples
def test_shipment_create_response_sample():
    objects = SHIPMENT.parse(sample(CREATE_RESPONSE))
    shipment, customs, *rates = objects
    assert isinstance(shipment, c.Shipment) and isinstance(customs, c.CustomsDeclaration)
    assert shipment.reference == "123"
    assert shipment.partner_reference == "shp_16578f588f9546ec914afd2474e24ff5"
    assert (shipment.status, shipment.tracking_number, shipment.carrier) == ("unknown", "", "")
    assert shipment.currency == "USD"
    assert shipment.ship_from.name == "Jack Sparrow" and shipment.ship_from.street2 == "Apt 20"
    assert shipment.ship_from.phone == "<REDACTED>"  # as the cassette recorder left it
    assert shipment.ship_to.city == "Redondo Beach" and shipment.ship_to.zip == "90277"
    (parcel,) = shipment.parcels
    assert parcel.weight_kg == pytest.approx(15.4 * 0.028349523125)
    assert (parcel.length_cm, parcel.width_cm, parcel.height_cm) == pytest.approx(
        (25.4, 20.32, 10.16)
    )
    assert shipment.references["options.label_format"] == "PNG"
    assert shipment.references["customs_info.eel_pfc"] == "NOEEI 30.37(a)"
    assert [type(r) for r in rates] == [c.Rate] * 3
    assert [(r.service, r.amount, r.delivery_days) for r in rates] == [
        ("Express", Decimal("34.15"), 1),
        ("Priority", Decimal("7.42"), 2),
        ("GroundAdvantage", Decimal("6.07"), 3),
    ]
    assert {(r.carrier, r.currency, r.shipment_reference) for r in rates} == {
        ("USPS", "USD", "123")
    }
    assert rates[2].partner_rate_id == "rate_4d1f36fa716c4b1292cacbdf19227c2d"
    assert customs.partner_reference == "cstinfo_f7b53f1e1fc34b5c8d19c1e5632d86fa"
    assert customs.declaration_type == "merchandise" and customs.declarant.name == "Steve Brule"
    (item,) = customs.items
    assert (item.description, item.hs_code, item.origin_country) == ("Sweet shirts", "654321", "US")
    assert (item.quantity, item.value) == (2.0, Decimal("23.25"))
    assert item.net_weight_kg == pytest.approx(11 * 0.028349523125)
    assert customs.total_value == Decimal("23.25")


@needs_samples
def test_shipment_buy_response_sample():
    objects = SHIPMENT.parse(sample(BUY_RESPONSE))
    shipment = objects[0]
    rates = [obj for obj in objects if isinstance(obj, c.Rate)]
    (label,) = [obj for obj in objects if isinstance(obj, c.Label)]
    assert shipment.tracking_number == "9400100208303109505657"
    assert (shipment.carrier, shipment.service) == ("USPS", "GroundAdvantage")
    assert shipment.status == "label_created"  # EasyPost still says "unknown"
    assert shipment.ship_date == date(2025, 3, 7)
    assert shipment.tracking_url.startswith("https://track.easypost.com/djE6dHJr")
    assert shipment.parcels[0].tracking_number == "9400100208303109505657"
    assert shipment.ship_to.zip == "90277-2506"  # verified address
    refs = shipment.references
    assert refs["selected_rate_id"] == "rate_4d1f36fa716c4b1292cacbdf19227c2d"
    assert refs["tracker_id"] == "trk_279431562ef84af89555e5c8a2029b2f"
    assert (refs["fee.LabelFee"], refs["fee.PostageFee"]) == ("0.00000", "6.07000")
    assert len(rates) == 3  # the selected rate is one of the quotes, not repeated
    (selected,) = [r for r in rates if r.partner_rate_id == refs["selected_rate_id"]]
    assert (selected.amount, selected.currency, selected.delivery_days) == (
        Decimal("6.07"),
        "USD",
        3,
    )
    assert Decimal(refs["fee.PostageFee"]) == selected.amount
    assert label.tracking_number == "9400100208303109505657"
    assert (label.carrier, label.service, label.file_format) == ("USPS", "GroundAdvantage", "PNG")
    assert label.url == (
        "https://easypost-files.s3.us-west-2.amazonaws.com/files/postage_label/"
        "20250307/e813a2cf6d079c4ea49714758be7711be0.png"
    )
    assert label.partner_reference == "pl_6b404afa1ac543c3a447abdcb6e5ccbb"
    assert label.shipment_reference == "123"


@needs_samples
def test_tracker_of_a_fresh_label_without_details_gives_its_summary_event():
    tracker_doc = json.loads(sample(BUY_RESPONSE))["tracker"]
    (event,) = TRACKER.parse(dump(tracker_doc))
    assert (event.tracking_number, event.carrier) == ("9400100208303109505657", "USPS")
    assert (event.status, event.partner_status) == ("unknown", "unknown/unknown")
    assert event.occurred_at == datetime(2025, 3, 7, 16, 46, 20, tzinfo=UTC)
    assert event.shipment_reference == "shp_16578f588f9546ec914afd2474e24ff5"
    assert event.partner_event_id.endswith("/tracker")


@needs_samples
def test_shipment_create_request_sample_parses_and_renders_back_byte_for_byte():
    objects = SHIPMENT.parse(sample(CREATE_REQUEST))
    shipment, customs = objects
    assert shipment.ship_from.phone == "5555555555" and shipment.partner_reference == ""
    assert customs.items[0].value == Decimal("23.25")
    assert SHIPMENT.render(objects) == sample(CREATE_REQUEST)


@needs_samples
def test_rendering_the_created_shipment_gives_the_request_that_created_it():
    rendered = json.loads(SHIPMENT.render(SHIPMENT.parse(sample(CREATE_RESPONSE))))["shipment"]
    request = json.loads(sample(CREATE_REQUEST))["shipment"]
    for side in ("from_address", "to_address"):  # the recorder redacted phone and email
        for key in ("phone", "email"):
            rendered[side].pop(key)
            request[side].pop(key)
    assert rendered["options"].pop("currency") == "USD"  # EasyPost's default, echoed back
    assert rendered == request


@needs_samples
@pytest.mark.parametrize(
    ("codec", "name", "expected"),
    [
        (TRACKER, TRACKER_REQUEST, "required field missing (expected 'Tracker')"),
        (SHIPMENT, BUY_REQUEST, "required field missing (expected 'Shipment')"),
        (EVENT, TRACKER_RESPONSE, "expected 'Event', got 'Tracker'"),
        (TRACKER, WEBHOOK, "expected 'Tracker', got 'Event'"),
        (EVENT, BUY_RESPONSE, "expected 'Event', got 'Shipment'"),
    ],
)
def test_request_bodies_and_other_objects_are_refused_clearly(codec, name, expected):
    exc = parse_error(codec, sample(name))
    assert exc.field == "object"
    assert expected in str(exc)


# --------------------------------------------------------------------------------------------
# Tracking mappings and edge cases
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "canonical"),
    [
        ("pre_transit", "label_created"),
        ("in_transit", "in_transit"),
        ("out_for_delivery", "out_for_delivery"),
        ("delivered", "delivered"),
        ("available_for_pickup", "available_for_pickup"),
        ("return_to_sender", "returned_to_sender"),
        ("failure", "delivery_failed"),
        ("cancelled", "cancelled"),
        ("error", "exception"),
        ("unknown", "unknown"),
        ("teleported", "unknown"),
    ],
)
def test_status_mapping(status, canonical):
    (event,) = TRACKER.parse(dump(tracker([detail(status=status, status_detail=None)])))
    assert event.status == canonical
    assert event.partner_status == status
    assert canonical in c.STATUS_CODES


def test_a_summary_without_update_time_is_dated_by_creation_else_refused():
    created = tracker([], status="pre_transit", updated_at=None, created_at="2025-01-01T08:00:00Z")
    (event,) = EVENT.parse(dump(event_doc(created)))
    assert event.occurred_at == datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
    assert event.status == "label_created"
    undated = tracker([], status="pre_transit", updated_at=None)
    exc = parse_error(EVENT, dump(event_doc(undated)))
    assert exc.field == "result.updated_at"
    assert exc.message == (
        "required field missing or empty, and so is created_at: the event would have no time"
    )
    assert parse_error(TRACKER, dump(undated)).field == "updated_at"


def test_empty_tracking_details_give_the_tracker_summary():
    (event,) = EVENT.parse(dump(event_doc(tracker([], status="out_for_delivery"))))
    assert event.status == "out_for_delivery"
    assert event.partner_status == "out_for_delivery/arrived_at_facility"
    assert event.occurred_at == datetime(2025, 1, 2, 10, 0, tzinfo=UTC)
    assert event.partner_event_id == "trk_t/2025-01-02T10:00:00+00:00/out_for_delivery/tracker"
    assert (event.location, event.description) == ("", "")


def test_missing_or_null_tracking_details_are_empty():
    without = tracker()
    del without["tracking_details"]
    assert len(TRACKER.parse(dump(without))) == 1
    assert len(TRACKER.parse(dump(tracker(tracking_details=None)))) == 1


def test_null_or_missing_tracking_location_gives_no_location():
    data = tracker([detail(tracking_location=None), detail(datetime="2025-01-03T00:00:00Z")])
    del data["tracking_details"][1]["tracking_location"]
    assert [e.location for e in TRACKER.parse(dump(data))] == ["", ""]


def test_detail_without_status_detail_keeps_the_plain_status():
    no_key = detail()
    del no_key["status_detail"]
    data = tracker([no_key, detail(status_detail=""), detail(status_detail=None)])
    assert {e.partner_status for e in TRACKER.parse(dump(data))} == {"in_transit"}


def test_delivered_events_carry_the_signature():
    data = tracker(
        [detail(), detail(status="delivered", status_detail="arrived_at_destination")],
        signed_by="J. DOE",
    )
    assert [e.signed_by for e in TRACKER.parse(dump(data))] == ["", "J. DOE"]


def test_offsets_are_kept_and_times_without_zone_are_not_shifted():
    data = tracker(
        [
            detail(datetime="2025-01-02T11:30:00+02:00"),
            detail(datetime="2025-01-02T11:30:00"),
            detail(datetime="2025-01-02T09:30:00.000Z"),
        ]
    )
    aware, naive, utc = TRACKER.parse(dump(data))
    assert aware.occurred_at.utcoffset() == timedelta(hours=2)
    assert aware.occurred_at.isoformat() == "2025-01-02T11:30:00+02:00"
    assert naive.occurred_at == datetime(2025, 1, 2, 11, 30)
    assert not naive.time_zone_known
    assert utc.occurred_at == datetime(2025, 1, 2, 9, 30, tzinfo=UTC) == aware.occurred_at


def test_tracker_created_events_are_accepted_and_other_events_refused():
    assert len(EVENT.parse(dump(event_doc(tracker(), "tracker.created")))) == 1
    exc = parse_error(EVENT, dump(event_doc(tracker(), "batch.updated")))
    assert exc.field == "description"
    assert "unsupported event 'batch.updated'" in str(exc)


def test_events_without_tracker_id_use_the_tracking_code():
    data = tracker(id=None)
    assert TRACKER.parse(dump(data))[0].partner_event_id.startswith("EZ4000000004/")


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


def test_invalid_json_names_line_and_column():
    exc = parse_error(EVENT, b'{\n  "object": "Event",\n  "result" {}\n}')
    assert (exc.line, exc.column) == (3, 12)
    assert str(exc).startswith("easypost-event: invalid JSON: Expecting ':' delimiter")


def test_invalid_date_names_the_path_the_value_and_the_line():
    details = [detail(), detail(), detail(datetime="2020-13-01")]
    data = dump(event_doc(tracker(details)), indent=2)
    exc = parse_error(EVENT, data)
    assert exc.field == "result.tracking_details[2].datetime"
    line = data.decode().splitlines().index('        "datetime": "2020-13-01",') + 1
    assert str(exc) == (
        "easypost-event: field 'result.tracking_details[2].datetime': "
        f"invalid date '2020-13-01' (line {line}, column 21)"
    )


@pytest.mark.parametrize(
    ("codec", "document", "field", "message"),
    [
        (EVENT, event_doc(None), "result", "required field missing"),
        (EVENT, event_doc([]), "result", "expected a Tracker object, got an array"),
        (EVENT, {"object": "Event", "result": tracker()}, "description", "missing"),
        (TRACKER, tracker(tracking_code=""), "tracking_code", "required field is empty"),
        (TRACKER, tracker(status=None), "status", "required field missing"),
        (TRACKER, tracker(tracking_details={}), "tracking_details", "expected an array"),
        (TRACKER, tracker([detail(), 7]), "tracking_details[1]", "expected a TrackingDetail"),
        (
            TRACKER,
            tracker([detail(), detail(), detail(datetime=None)]),
            "tracking_details[2].datetime",
            "required field missing",
        ),
        (
            TRACKER,
            tracker([detail(message=12)]),
            "tracking_details[0].message",
            "expected a string, got a number",
        ),
        (
            TRACKER,
            tracker([detail(tracking_location="AUSTIN")]),
            "tracking_details[0].tracking_location",
            "expected an object, got a string",
        ),
        (SHIPMENT, {"shipment": 5}, "shipment", "expected a shipment object, got a number"),
        (
            SHIPMENT,
            {"object": "Shipment", "rates": [{"carrier": "USPS", "service": "X"}]},
            "rates[0].rate",
            "required field missing",
        ),
        (
            SHIPMENT,
            {"object": "Shipment", "rates": [{"carrier": "USPS", "rate": "abc"}]},
            "rates[0].rate",
            "invalid amount 'abc'",
        ),
        (
            SHIPMENT,
            {"object": "Shipment", "parcel": {"weight": "heavy"}},
            "parcel.weight",
            "expected a number, got a string",
        ),
        (
            SHIPMENT,
            {"object": "Shipment", "parcel": {"weight": 1e300}},
            "parcel.weight",
            "number out of range",
        ),
        (
            SHIPMENT,
            {"object": "Shipment", "fees": [{"type": "PostageFee", "amount": None}]},
            "fees[0].amount",
            "required field missing",
        ),
        (
            SHIPMENT,
            {"object": "Shipment", "postage_label": {"label_date": "yesterday"}},
            "postage_label.label_date",
            "invalid date 'yesterday'",
        ),
    ],
)
def test_field_errors_name_the_json_path(codec, document, field, message):
    exc = parse_error(codec, dump(document))
    assert exc.field == field
    assert message in str(exc)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        *NOT_JSON,
        (b"[]", "expected an EasyPost"),
        (b'"Event"', "expected an EasyPost"),
        (b'{"object": "Event"}\xff', "invalid UTF-8 byte 0xff"),
        (b'{"object": NaN}', "NaN is not allowed"),
        (b'{"object": ' + b"9" * 5000 + b"}", "invalid JSON"),
    ],
)
@pytest.mark.parametrize("codec", [EVENT, SHIPMENT])
def test_bad_documents_are_refused(codec, data, message):
    assert message in str(parse_error(codec, data))


# --------------------------------------------------------------------------------------------
# Render
# --------------------------------------------------------------------------------------------


def a_shipment(**fields):
    values = {
        "reference": "WH/OUT/00042",
        "ship_from": c.Address(name="Warehouse", street="1 Main St", city="Austin", country="US"),
        "ship_to": c.Address(name="Ann", company="ACME", street="2 Elm", zip="10001", country="US"),
        "parcels": [c.Parcel(weight_kg=1.0, length_cm=30.0, width_cm=20.0, height_cm=10.0)],
    }
    values.update(fields)
    return c.Shipment(**values)


def test_render_converts_units_to_ounces_and_inches_at_one_decimal():
    body = json.loads(SHIPMENT.render(a_shipment()))["shipment"]
    assert body["parcel"] == {"length": 11.8, "width": 7.9, "height": 3.9, "weight": 35.3}
    assert body["to_address"] == {
        "name": "Ann",
        "company": "ACME",
        "street1": "2 Elm",
        "zip": "10001",
        "country": "US",
    }
    assert body["reference"] == "WH/OUT/00042"
    assert "customs_info" not in body and "options" not in body


def test_render_writes_options_currency_incoterm_and_returns():
    shipment = a_shipment(
        currency="EUR",
        incoterm="DDP",
        is_return=True,
        references={"options.label_format": "ZPL", "tracker_id": "trk_x"},
    )
    shipment.parcels[0] = c.Parcel(weight_kg=0.001, package_type="FlatRateEnvelope")
    body = json.loads(SHIPMENT.render([shipment, c.Rate("USPS", "Priority", Decimal(1))]))
    body = body["shipment"]
    assert body["options"] == {"label_format": "ZPL", "currency": "EUR", "incoterm": "DDP"}
    assert body["is_return"] is True
    assert body["parcel"] == {"predefined_package": "FlatRateEnvelope", "weight": 0.1}


@pytest.mark.parametrize(
    ("objects", "message"),
    [
        ([], "expected exactly one Shipment, got 0"),
        ([a_shipment(), a_shipment()], "expected exactly one Shipment, got 2"),
        ([a_shipment(), c.TrackingEvent("1", "delivered")], "cannot render TrackingEvent"),
        (a_shipment(ship_to=None), "needs ship_from and ship_to"),
        (a_shipment(parcels=[]), "one parcel per shipment, got 0"),
        (a_shipment(parcels=[c.Parcel(weight_kg=1)] * 2), "one parcel per shipment, got 2"),
        (a_shipment(parcels=[c.Parcel()]), "positive parcel weight"),
    ],
)
def test_render_refuses_what_easypost_cannot_take(objects, message):
    with pytest.raises(ValueError, match=message):
        SHIPMENT.render(objects)


def test_bought_label_in_pdf_points_at_the_pdf_url():
    document = {
        "object": "Shipment",
        "tracking_code": "1Z",
        "options": {"label_format": "PDF"},
        "postage_label": {
            "label_url": "https://x/l.png",
            "label_pdf_url": "https://x/l.pdf",
            "label_file_type": "image/png",
        },
    }
    label = SHIPMENT.parse(dump(document))[-1]
    assert (label.file_format, label.url, label.tracking_number) == ("PDF", "https://x/l.pdf", "1Z")
    document["postage_label"]["label_pdf_url"] = None  # not generated yet: fall back to PNG
    label = SHIPMENT.parse(dump(document))[-1]
    assert (label.file_format, label.url) == ("PNG", "https://x/l.png")


texts = st.text(max_size=12)
sizes = st.floats(min_value=0, max_value=1000)
# Every field drawn, within what EasyPost takes: short texts, sizes and amounts not negative.
by_type = {
    **strategies.TYPE_STRATEGIES,
    str: texts,
    float: sizes,
    Decimal: st.decimals(min_value=0, max_value=10**9, places=4),
}
by_name = {
    "country": st.sampled_from(["", "US", "DE", "CA"]),
    "currency": st.sampled_from(["", "USD", "EUR"]),
    "incoterm": st.sampled_from(["", "DAP", "DDP"]),
    "declaration_type": st.sampled_from(["", "merchandise", "gift", "documents"]),
    "hs_code": st.text("0123456789.", max_size=10),
    "quantity": st.none() | st.integers(1, 1000).map(float) | st.floats(0.5, 1000),
    "weight_kg": st.floats(min_value=0.001, max_value=1000),
}
addresses = strategies.every_field(c.Address, by_type, by_name)
parcels = strategies.every_field(c.Parcel, by_type, by_name)
customs_items = strategies.every_field(c.CustomsItem, by_type, by_name)
declarations = strategies.every_field(c.CustomsDeclaration, by_type, by_name)
references = st.dictionaries(
    st.sampled_from(
        [
            "options.label_format",
            "options.invoice_number",
            "options.print_custom_1",
            "customs_info.eel_pfc",
            "customs_info.non_delivery_option",
            "tracker_id",
        ]
    ),
    texts,
    max_size=4,
)
shipments = strategies.every_field(
    c.Shipment,
    by_type,
    {
        **by_name,
        "ship_from": addresses,
        "ship_to": addresses,
        "parcels": parcels.map(lambda parcel: [parcel]),
        "references": references,
    },
)


@given(shipments, st.none() | declarations)
def test_render_parse_render_round_trip(shipment, declaration):
    objects = [shipment] if declaration is None else [shipment, declaration]
    rendered = SHIPMENT.render(objects)
    parsed = SHIPMENT.parse(rendered)
    assert SHIPMENT.render(parsed) == rendered
    back = parsed[0]
    assert (back.ship_from, back.ship_to) == (shipment.ship_from, shipment.ship_to)
    assert (back.reference, back.is_return) == (shipment.reference, shipment.is_return)
    assert (back.currency, back.incoterm) == (shipment.currency, shipment.incoterm)
    weight = json.loads(rendered)["shipment"]["parcel"]["weight"]
    assert weight == pytest.approx(
        max(0.1, shipment.parcels[0].weight_kg / 0.028349523125), abs=0.05
    )
    if declaration is not None:
        items = parsed[1].items
        assert [i.value for i in items] == [i.value for i in declaration.items]
        assert [i.hs_code for i in items] == [i.hs_code for i in declaration.items]
        assert [i.quantity for i in items] == [i.quantity for i in declaration.items]


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


@needs_samples
def test_cli_parse_webhook_event_prints_tracking_events():
    result = run("parse", "easypost-event", str(SAMPLES / WEBHOOK))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    events = json.loads(result.stdout)
    assert len(events) == 7
    for key in ("tracking_number", "status", "partner_status", "occurred_at", "location"):
        assert all(key in event for event in events)
    assert {event["type"] for event in events} == {"TrackingEvent"}
    assert events[1]["status"] == "in_transit"
    assert events[1]["partner_status"] == "in_transit/arrived_at_facility"
    assert events[1]["occurred_at"] == "2024-07-31T19:27:00+00:00"
    assert events[1]["location"] == "ORLANDO, FL 32809, US"
    assert events[1]["description"] == "Picked up"
    assert c.from_jsonable(events) == EVENT.parse(sample(WEBHOOK))


def test_cli_refuses_a_bad_event_with_exit_1(tmp_path):
    path = tmp_path / "event.json"
    path.write_bytes(dump(event_doc(tracker([detail(datetime="2020-13-01")]))))
    result = run("parse", "easypost-event", str(path))
    assert result.returncode == 1
    assert result.stdout == b""
    assert result.stderr.decode().startswith(
        "error: easypost-event: field 'result.tracking_details[0].datetime': "
        "invalid date '2020-13-01'"
    )


def test_cli_renders_a_canonical_shipment(tmp_path):
    path = tmp_path / "shipment.json"
    path.write_text(json.dumps(c.to_jsonable([a_shipment()])), encoding="utf-8")
    result = run("render", "easypost-shipment", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["shipment"]["parcel"]["weight"] == 35.3
    path.write_text(json.dumps(c.to_jsonable([a_shipment(parcels=[])])), encoding="utf-8")
    result = run("render", "easypost-shipment", str(path))
    assert result.returncode == 1
    assert b"one parcel per shipment" in result.stderr


# --------------------------------------------------------------------------------------------
# Fuzzing: anything either parses into canonical objects or raises ParseError
# --------------------------------------------------------------------------------------------


def accepts_or_refuses_cleanly(codec, data):
    try:
        result = codec.parse(data)
    except ParseError as exc:
        assert str(exc).startswith(f"{codec.name}: ")
        return
    assert isinstance(result, list)
    assert c.from_jsonable(c.to_jsonable(result)) == result  # valid canonical objects
    json.dumps(c.to_jsonable(result))


@given(st.sampled_from(CODECS), st.binary(max_size=200))
def test_fuzz_arbitrary_bytes(codec, data):
    accepts_or_refuses_cleanly(codec, data)


def _sample_pairs():
    if not SAMPLES.is_dir():
        return [(EVENT, dump(event_doc(tracker())))]
    return [
        (EVENT, sample(WEBHOOK)),
        (TRACKER, sample(TRACKER_RESPONSE)),
        (SHIPMENT, sample(CREATE_RESPONSE)),
        (SHIPMENT, sample(BUY_RESPONSE)),
        (SHIPMENT, sample(CREATE_REQUEST)),
    ]


SAMPLE_PAIRS = _sample_pairs()


@st.composite
def mutated_samples(draw):
    """A published sample with a few bytes deleted, inserted, replaced or cut."""
    codec, original = draw(st.sampled_from(SAMPLE_PAIRS))
    return codec, draw(strategies.mutated_bytes(original))


@given(mutated_samples())
def test_fuzz_mutated_samples(pair):
    accepts_or_refuses_cleanly(*pair)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["2025-01-02T09:30:00Z", "2025-13-01", "Tracker", "delivered", "6.07"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def samples_with_a_wrong_value(draw):
    """A published sample where one value anywhere in the tree is replaced or removed."""
    codec, original = draw(st.sampled_from(SAMPLE_PAIRS))
    changed = strategies.with_one_value_changed(json.loads(original), json_values)
    return codec, dump(draw(changed))


@given(samples_with_a_wrong_value())
def test_fuzz_wrong_values_in_samples(pair):
    accepts_or_refuses_cleanly(*pair)


def test_status_table_covers_every_documented_easypost_status():
    assert set(easypost_statuses.STATUSES) == {
        "unknown",
        "pre_transit",
        "in_transit",
        "out_for_delivery",
        "delivered",
        "available_for_pickup",
        "return_to_sender",
        "failure",
        "cancelled",
        "error",
    }
    assert {entry.status for entry in easypost_statuses.STATUSES.values()} <= c.STATUS_CODES
    assert TRACKER.status_for("") == TRACKER.status_for("new_status") == "unknown"
