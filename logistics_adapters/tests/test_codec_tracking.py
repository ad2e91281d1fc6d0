"""Carrier tracking codecs: published samples as published, status tables, times, errors, fuzz."""

import json
import pickle
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import cli, registry
from logistics_adapters.errors import AdapterError, ParseError
from logistics_adapters.formats.tracking import PartnerErrorResponse
from logistics_adapters.partners.aftership import statuses as aftership_statuses
from logistics_adapters.partners.dhl import statuses as dhl_statuses
from logistics_adapters.partners.fedex import statuses as fedex_statuses
from logistics_adapters.partners.shipengine import statuses as shipengine_statuses
from logistics_adapters.partners.ups import statuses as ups_statuses

from . import strategies
from .helpers import SAMPLES, needs_samples, parse_or_refuse, sample

FORMATS = (
    "ups-track",
    "ups-trackalert",
    "fedex-track",
    "dhl-tracking",
    "aftership-tracking",
    "aftership-webhook",
    "shipengine-tracking",
    "shipengine-webhook",
)
UTC = timezone.utc


def tz(hours):
    return timezone(timedelta(hours=hours))


def sample_json(name):
    return json.loads(sample(name))


def status_of(event):
    """An event's canonical status, with the partner's code and wording it comes from."""
    return (event.status, event.partner_status, event.partner_status_text)


def parse(fmt, document):
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return registry.get(fmt).parse(data)


# UPS Track Alert: no sample file. These are the webhook examples of UPS's published OpenAPI
# description, github.com/UPS-API/api-documentation UPSTrackAlert.yaml at commit
# 1265e9815bf21029eeb8f0e5b96264f8818e2069 (2025-06-13), webhooks.TrackingEvent examples
# '1', '2', '6' and '7', converted from YAML to JSON and otherwise unchanged (quirks kept:
# the leading space in example 1's tracking number, and its local time 5 hours AHEAD of GMT
# for a US package).
UPS_ALERT_MANIFEST = {
    "activityLocation": {"city": "", "country": "US", "postalCode": "", "stateProvince": ""},
    "activityStatus": {
        "code": "MP",
        "description": "Shipment Ready for UPS",
        "descriptionCode": "003",
        "type": "M",
    },
    "actualDeliveryDate": "",
    "actualDeliveryTime": "",
    "deliveryEndTime": "",
    "deliveryPhoto": "",
    "deliveryStartTime": "",
    "deliveryTimeDescription": "",
    "gmtActivityDate": "20240422",
    "gmtActivityTime": "041230",
    "localActivityDate": "20240422",
    "localActivityTime": "091230",
    "scheduledDeliveryDate": "",
    "trackingNumber": " 1ZABCXYZ0112346789",
}
UPS_ALERT_ON_THE_WAY = {
    "activityLocation": {
        "city": "Hickory",
        "country": "US",
        "postalCode": "",
        "stateProvince": "NC",
    },
    "activityStatus": {
        "code": "OR",
        "description": "On the Way",
        "descriptionCode": "005",
        "type": "I",
    },
    "actualDeliveryDate": "",
    "actualDeliveryTime": "",
    "deliveryEndTime": "",
    "deliveryPhoto": "",
    "deliveryStartTime": "",
    "deliveryTimeDescription": "end of day",
    "gmtActivityDate": "20240423",
    "gmtActivityTime": "012901",
    "localActivityDate": "20240422",
    "localActivityTime": "212901",
    "scheduledDeliveryDate": "20240423",
    "trackingNumber": "1ZABCXYZ0112346789",
}
UPS_ALERT_OUT_FOR_DELIVERY = {
    "trackingNumber": "1Z204W4R0308071865",
    "localActivityDate": "20240423",
    "localActivityTime": "091519",
    "activityLocation": {
        "city": "Charlotte",
        "stateProvince": "NC",
        "postalCode": "",
        "country": "US",
    },
    "activityStatus": {
        "type": "I",
        "code": "OT",
        "description": "Out for Delivery",
        "descriptionCode": "021",
    },
    "scheduledDeliveryDate": "20240423",
    "actualDeliveryDate": "",
    "actualDeliveryTime": "",
    "gmtActivityDate": "20240423",
    "gmtActivityTime": "131519",
    "deliveryStartTime": "",
    "deliveryEndTime": "",
    "deliveryTimeDescription": "end of day",
}
UPS_ALERT_DELIVERED = {
    "trackingNumber": "1Z204W4R0308071865",
    "localActivityDate": "20240423",
    "localActivityTime": "095004",
    "activityLocation": {
        "city": "CHARLOTTE",
        "stateProvince": "NC",
        "postalCode": "28209",
        "country": "US",
    },
    "activityStatus": {
        "type": "D",
        "code": "FS",
        "description": "Delivered",
        "descriptionCode": "011",
    },
    "scheduledDeliveryDate": "",
    "actualDeliveryDate": "20240423",
    "actualDeliveryTime": "095004",
    "gmtActivityDate": "20240423",
    "gmtActivityTime": "135004",
    "deliveryStartTime": "",
    "deliveryEndTime": "",
    "deliveryTimeDescription": "",
}
UPS_ALERT_EXAMPLES = [
    UPS_ALERT_MANIFEST,
    UPS_ALERT_ON_THE_WAY,
    UPS_ALERT_OUT_FOR_DELIVERY,
    UPS_ALERT_DELIVERED,
]


def aftership_webhook(tracking):
    """NOT PUBLISHED: a webhook built around the published Tracking object.

    The AfterShip sidecar says ``data.tracking`` is the object a webhook carries in ``msg``;
    the envelope keys around it are written here by hand.
    """
    return {"event": "tracking_update", "event_id": "hand-written", "msg": tracking, "ts": 1}


def shipengine_webhook(info):
    """NOT PUBLISHED: an API_TRACK webhook built around the published track response."""
    return {
        "resource_url": "https://api.shipengine.com/v1/tracking?hand-written",
        "resource_type": "API_TRACK",
        "data": info,
    }


def delivered_event(events):
    (event,) = [event for event in events if event.status == c.STATUS_DELIVERED]
    return event


def test_every_format_is_registered_with_a_description():
    for name in FORMATS:
        codec = registry.get(name)
        assert codec.name == name
        assert codec.description
        assert codec.media_type == "application/json"
    assert set(FORMATS) <= set(registry.available())


# --------------------------------------------------------------------------------------------
# UPS Track API
# --------------------------------------------------------------------------------------------


@needs_samples
def test_ups_track_sample_gives_manifest_then_delivery_in_local_time():
    events = parse("ups-track", sample("ups_track_api_response_delivered.json"))
    assert [e.tracking_number for e in events] == ["1Z1442YY7229014688"] * 2
    # UPS lists the newest activity first; events come out oldest first.
    assert [(e.status, e.partner_status) for e in events] == [
        ("label_created", "M/MP"),
        ("delivered", "D/F4"),
    ]
    manifest, delivered = events
    assert manifest.location == "US"
    assert manifest.occurred_at == datetime(2022, 1, 26, 15, 16, 41)
    # Local date and time without zone (no gmt fields in this sample): naive, not shifted.
    assert delivered.occurred_at == datetime(2022, 1, 26, 16, 30)
    assert delivered.occurred_at.tzinfo is None
    assert not delivered.time_zone_known
    assert delivered.location == "PARAMUS, NJ, 07652, US"
    # "DELIVERED " as published, trailing space dropped.
    assert delivered.partner_status_text == delivered.description == "DELIVERED"
    # Quirk as published: deliveryInformation.receivedBy holds a time, not a name.
    assert delivered.signed_by == "163000"
    assert delivered.carrier == "ups"


@needs_samples
def test_ups_track_uses_gmt_date_time_and_offset_when_given():
    document = sample_json("ups_track_api_response_delivered.json")
    activity = document["trackResponse"]["shipment"][0]["package"][0]["activity"][0]
    # Tracking.yaml's own examples: gmtOffset '-05:00', gmtTime '74700' (leading zero lost).
    activity.update(gmtDate="20220126", gmtTime="213000", gmtOffset="-05:00")
    delivered = delivered_event(parse("ups-track", document))
    assert delivered.occurred_at == datetime(2022, 1, 26, 16, 30, tzinfo=tz(-5))
    assert delivered.occurred_at.utcoffset() == timedelta(hours=-5)
    activity.update(gmtTime="74700", gmtOffset="")
    delivered = delivered_event(parse("ups-track", document))
    # No offset given: local minus GMT is not a real offset here, so the GMT instant in UTC.
    assert delivered.occurred_at == datetime(2022, 1, 26, 7, 47, tzinfo=UTC)
    activity.update(gmtDate="", gmtTime="", gmtOffset="-05:00")
    delivered = delivered_event(parse("ups-track", document))
    assert delivered.occurred_at.isoformat() == "2022-01-26T16:30:00-05:00"


def test_ups_track_error_documents_raise_the_partner_message():
    # The error and warning bodies of karrio's UPS test (named in the UPS sidecar).
    with pytest.raises(PartnerErrorResponse) as info:
        parse(
            "ups-track",
            {"response": {"errors": [{"code": "TV1002", "message": "Invalid inquiry number"}]}},
        )
    assert info.value.code == "TV1002"
    assert str(info.value) == (
        "ups-track: field 'response.errors[0]': UPS error TV1002: Invalid inquiry number"
    )
    warning = {"code": "TW0001", "message": "Tracking Information Not Found"}
    body = {"trackResponse": {"shipment": [{"inquiryNumber": "1Z", "warnings": [warning]}]}}
    with pytest.raises(PartnerErrorResponse, match="Tracking Information Not Found"):
        parse("ups-track", body)


@needs_samples
def test_ups_track_warning_next_to_data_is_ignored():
    document = sample_json("ups_track_api_response_delivered.json")
    assert document["trackResponse"]["shipment"][0]["warnings"][0]["code"] == "250003"
    assert len(parse("ups-track", document)) == 2


# --------------------------------------------------------------------------------------------
# UPS Track Alert
# --------------------------------------------------------------------------------------------


def test_ups_trackalert_published_examples():
    events = [parse("ups-trackalert", example)[0] for example in UPS_ALERT_EXAMPLES]
    assert [(e.status, e.partner_status) for e in events] == [
        ("label_created", "M/MP"),
        ("in_transit", "I/OR"),
        ("out_for_delivery", "I/OT"),
        ("delivered", "D/FS"),
    ]
    manifest, on_the_way, out_for_delivery, delivered = events
    assert manifest.tracking_number == "1ZABCXYZ0112346789"  # leading space dropped
    assert manifest.location == "US"
    # Quirk as published: local 09:12:30 and GMT 04:12:30. The GMT instant is kept and shown
    # at the offset UPS's two times imply; nothing is shifted.
    assert manifest.occurred_at.isoformat() == "2024-04-22T09:12:30+05:00"
    assert manifest.occurred_at == datetime(2024, 4, 22, 4, 12, 30, tzinfo=UTC)
    # Local date is the day before the GMT date: the offset is -04:00 (EDT).
    assert on_the_way.occurred_at.isoformat() == "2024-04-22T21:29:01-04:00"
    assert on_the_way.location == "Hickory, NC, US"
    assert out_for_delivery.partner_status_text == "Out for Delivery"
    assert delivered.tracking_number == "1Z204W4R0308071865"
    assert delivered.occurred_at.isoformat() == "2024-04-23T09:50:04-04:00"
    assert delivered.location == "CHARLOTTE, NC, 28209, US"
    assert delivered.carrier == "ups"


def test_ups_trackalert_gmt_offset_and_naive_local_time():
    # NOT PUBLISHED as a payload: the newer UPSTrackAlert.yaml documents gmtOffset as
    # "(-/+)HH.MM", e.g. "-04.00", and receivedBy; added by hand to a published example.
    message = {**UPS_ALERT_DELIVERED, "gmtOffset": "-04.00", "receivedBy": "JOHN"}
    event = parse("ups-trackalert", message)[0]
    assert event.occurred_at.isoformat() == "2024-04-23T09:50:04-04:00"
    assert event.signed_by == "JOHN"
    local_only = {**UPS_ALERT_DELIVERED, "gmtActivityDate": "", "gmtActivityTime": ""}
    event = parse("ups-trackalert", local_only)[0]
    assert event.occurred_at == datetime(2024, 4, 23, 9, 50, 4)
    assert not event.time_zone_known


def test_ups_trackalert_requires_tracking_number_and_activity_status():
    with pytest.raises(ParseError) as info:
        parse("ups-trackalert", {**UPS_ALERT_DELIVERED, "trackingNumber": "  "})
    assert info.value.field == "trackingNumber"
    no_status = {k: v for k, v in UPS_ALERT_DELIVERED.items() if k != "activityStatus"}
    with pytest.raises(ParseError) as info:
        parse("ups-trackalert", no_status)
    assert str(info.value) == "ups-trackalert: field 'activityStatus': required field missing"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("localActivityDate", "2024-04-23", "invalid date '2024-04-23', want YYYYMMDD"),
        ("localActivityDate", "20241323", "invalid date-time 20241323 095004"),
        ("gmtActivityTime", "9:50", "invalid time '9:50', want HHMMSS"),
        ("gmtOffset", "-25.00", "invalid offset '-25.00'"),
        ("gmtOffset", "EST", "invalid offset 'EST'"),
    ],
)
def test_ups_trackalert_bad_dates_name_the_field(field, value, message):
    with pytest.raises(ParseError) as info:
        parse("ups-trackalert", {**UPS_ALERT_DELIVERED, field: value})
    assert info.value.field == field
    assert info.value.message == message


# --------------------------------------------------------------------------------------------
# FedEx
# --------------------------------------------------------------------------------------------


@needs_samples
def test_fedex_docs_example_gives_one_pickup_with_offset():
    events = parse("fedex-track", sample("fedex_track_response_docs_example.json"))
    assert len(events) == 1  # the second number's NOTFOUND result has no events: skipped
    (event,) = events
    # trackingNumberInfo (the package tracked) wins over the requested 123456789012.
    assert event.tracking_number == "128667043726"
    assert status_of(event) == ("picked_up", "PU", "Picked Up")
    assert event.occurred_at.isoformat() == "2018-02-02T12:01:00-07:00"
    assert event.location == "SEATTLE, WA, 98101, US"
    assert event.description == "Picked Up - Package available for clearance"
    assert event.signed_by == ""  # signedByName "Reciever" only goes on a delivery
    assert event.carrier == "fedex"


@needs_samples
def test_fedex_result_errors_alone_raise_the_partner_message():
    document = sample_json("fedex_track_response_docs_example.json")
    del document["output"]["completeTrackResults"][0]
    with pytest.raises(PartnerErrorResponse) as info:
        parse("fedex-track", document)
    assert info.value.code == "TRACKING.TRACKINGNUMBER.NOTFOUND"
    assert info.value.partner_message.startswith("Tracking number cannot be found.")
    assert info.value.field == "output.completeTrackResults[0].trackResults[0].error"


@needs_samples
def test_fedex_error_response_raises_partner_error():
    with pytest.raises(PartnerErrorResponse) as info:
        parse("fedex-track", sample("fedex_track_error_response.json"))
    exc = info.value
    assert isinstance(exc, ParseError)
    assert (exc.code, exc.partner_message) == (
        "TRACKING.TRACKINGNUMBER.EMPTY",
        "Please provide tracking number.",
    )
    assert str(exc) == (
        "fedex-track: field 'errors[0]': FedEx error TRACKING.TRACKINGNUMBER.EMPTY: "
        "Please provide tracking number."
    )
    again = pickle.loads(pickle.dumps(exc))
    assert (type(again), again.code, str(again)) == (type(exc), exc.code, str(exc))


@needs_samples
def test_fedex_delivered_event_gets_the_signature():
    document = sample_json("fedex_track_response_docs_example.json")
    result = document["output"]["completeTrackResults"][0]["trackResults"][0]
    result["scanEvents"][0].update(eventType="DL", derivedStatusCode="DL")
    (event,) = parse("fedex-track", document)
    assert (event.status, event.signed_by) == ("delivered", "Reciever")
    result["scanEvents"][0].update(eventType="ZZ", derivedStatusCode="RL")
    (event,) = parse("fedex-track", document)
    assert (event.status, event.partner_status) == ("exception", "ZZ")


# --------------------------------------------------------------------------------------------
# DHL
# --------------------------------------------------------------------------------------------


@needs_samples
def test_dhl_sample_status_code_wins_over_the_contradicting_status():
    events = parse("dhl-tracking", sample("dhl_unified_tracking_response.json"))
    (event,) = events
    assert event.tracking_number == "7777777770"  # an integer id in the sample
    # statusCode "pre-transit" is DHL's normalised code; status "DELIVERED" is free text.
    assert status_of(event) == ("label_created", "pre-transit", "DELIVERED")
    assert event.description == (
        "JESSICA - The shipment is pending completion of customs inspection."
    )
    assert event.location == "Oderweg 2, AMSTERDAM, 1043 AG, NL"
    # events[].timestamp has no offset in the sample: stays naive.
    assert event.occurred_at == datetime(2018, 3, 2, 7, 53, 47)
    assert not event.time_zone_known
    assert event.signed_by == ""


@needs_samples
def test_dhl_without_events_uses_the_current_status_and_keeps_its_offset():
    document = sample_json("dhl_unified_tracking_response.json")
    shipment = document["shipments"][0]
    shipment["events"] = []
    shipment["status"]["statusCode"] = "delivered"
    (event,) = parse("dhl-tracking", document)
    assert event.occurred_at == datetime(2018, 3, 2, 7, 53, 47, tzinfo=UTC)
    assert event.occurred_at.utcoffset() == timedelta(0)
    assert (event.status, event.signed_by) == ("delivered", "John")


@needs_samples
def test_dhl_404_raises_partner_error():
    with pytest.raises(PartnerErrorResponse) as info:
        parse("dhl-tracking", sample("dhl_unified_tracking_error_404.json"))
    assert info.value.http_status == 404
    assert str(info.value) == (
        "dhl-tracking: DHL error 404: No result found: "
        "No shipment with given tracking number found."
    )


# --------------------------------------------------------------------------------------------
# AfterShip
# --------------------------------------------------------------------------------------------


@needs_samples
def test_aftership_tracking_sample_gives_fourteen_checkpoints():
    events = parse("aftership-tracking", sample("aftership_get_tracking_response_delivered.json"))
    assert len(events) == 14
    assert {e.tracking_number for e in events} == {"111111111111"}
    assert {e.carrier for e in events} == {"fedex"}
    first, picked_up, last = events[0], events[1], events[-1]
    assert status_of(first) == ("label_created", "InfoReceived_001", "Info Received")
    assert first.occurred_at.isoformat() == "2018-07-23T01:21:39-05:00"
    assert first.location == ""
    assert (picked_up.status, picked_up.location) == ("picked_up", "DONGGUAN CN")
    assert events[-2].status == "out_for_delivery"
    assert (last.status, last.partner_status) == ("delivered", "Delivered_001")
    assert last.occurred_at.isoformat() == "2018-07-25T10:10:00+09:00"
    assert (last.location, last.description, last.signed_by) == (
        "SAPPORO JP",
        "Delivered",
        "..KOSUTOKO",
    )
    assert [e.status for e in events].count("in_transit") == 10


@needs_samples
def test_aftership_webhook_carries_the_same_tracking():
    tracking_object = sample_json("aftership_get_tracking_response_delivered.json")["data"][
        "tracking"
    ]
    webhook = parse("aftership-webhook", aftership_webhook(tracking_object))
    published = parse(
        "aftership-tracking", sample("aftership_get_tracking_response_delivered.json")
    )
    assert webhook == published


@needs_samples
def test_aftership_checkpoint_time_without_zone_stays_naive():
    document = sample_json("aftership_get_tracking_response_delivered.json")
    document["data"]["tracking"]["checkpoints"][-1]["checkpoint_time"] = "2018-07-25T10:10:00"
    last = parse("aftership-tracking", document)[-1]
    assert last.occurred_at == datetime(2018, 7, 25, 10, 10)
    assert not last.time_zone_known


def test_aftership_without_checkpoints_and_error_envelope():
    # No checkpoint and no time on the tracking either: refused, naming what is missing
    # (an event without time would be applied as "now"; point 14 of the hardening issue).
    with pytest.raises(ParseError, match="updated_at"):
        parse(
            "aftership-webhook",
            {"msg": {"tracking_number": "TN1", "slug": "ups", "tag": "Pending", "checkpoints": []}},
        )
    assert_aftership_error_envelope_is_a_partner_error()


def assert_aftership_error_envelope_is_a_partner_error():
    """AfterShip's error envelope raises a PartnerErrorResponse with its code and message."""
    error = {"meta": {"code": 4004, "message": "Tracking does not exist.", "type": "NotFound"}}
    with pytest.raises(PartnerErrorResponse) as info:
        parse("aftership-tracking", {**error, "data": {}})
    assert (info.value.code, info.value.partner_message) == ("4004", "Tracking does not exist.")


# --------------------------------------------------------------------------------------------
# ShipEngine
# --------------------------------------------------------------------------------------------


@needs_samples
def test_shipengine_sample_with_empty_status_code():
    (event,) = parse("shipengine-tracking", sample("shipengine_track_response_unknown.json"))
    assert event.tracking_number == "1026167028310292"
    # The event's status_code is "" as published: unknown, and the empty code is kept.
    assert status_of(event) == ("unknown", "", "")
    assert event.occurred_at == datetime(2021, 7, 10, 2, 58, 1, tzinfo=UTC)
    assert event.occurred_at.isoformat() == "2021-07-10T02:58:01+00:00"
    assert event.description == "Electronic information submitted by shipper"
    assert event.location == ""


@needs_samples
def test_shipengine_webhook_and_codes():
    info = sample_json("shipengine_track_response_unknown.json")
    assert parse("shipengine-webhook", shipengine_webhook(info)) == parse(
        "shipengine-tracking", info
    )
    info["events"][0].update(status_code="DE", signer="J DOE", city_locality="Austin")
    (event,) = parse("shipengine-tracking", info)
    assert status_of(event) == ("delivered", "DE", "Delivered")
    assert (event.signed_by, event.location) == ("J DOE", "Austin")
    info["events"][0].update(status_code="EX", status_detail_code="HELD_BY_IMPORT_CUSTOMS")
    (event,) = parse("shipengine-tracking", info)
    assert (event.status, event.partner_status) == ("customs_hold", "EX/HELD_BY_IMPORT_CUSTOMS")
    info["events"] = []
    # No event and no delivery date: nothing dated to apply, refused naming the field.
    with pytest.raises(ParseError, match="events"):
        parse("shipengine-tracking", info)


def test_shipengine_errors_and_other_webhooks():
    error = {"request_id": "x", "errors": [{"error_code": "not_found", "message": "Not found"}]}
    with pytest.raises(PartnerErrorResponse, match="ShipEngine error not_found"):
        parse("shipengine-tracking", error)
    with pytest.raises(ParseError, match="not a tracking webhook: 'API_BATCH'"):
        parse("shipengine-webhook", {"resource_type": "API_BATCH", "data": {}})


@needs_samples
def test_shipengine_status_table_covers_the_published_enums():
    text = (SAMPLES / "shipengine_tracking_status_codes.md").read_text()
    status_line = next(line for line in text.splitlines() if line.startswith("enum: UN"))
    codes = status_line.removeprefix("enum: ").split(", ")
    assert set(codes) == set(shipengine_statuses.STATUS_CODES) - {""}
    detail_line = next(line for line in text.splitlines() if "CARRIER_STATUS_NOT_MAPPED," in line)
    details = set(detail_line.removeprefix("enum: ").split(", "))
    assert set(shipengine_statuses.DETAIL_CODES) <= details


# --------------------------------------------------------------------------------------------
# Status tables
# --------------------------------------------------------------------------------------------

TABLES = [
    ups_statuses.TYPES,
    ups_statuses.ACTIVITY_CODES,
    fedex_statuses.EVENT_TYPES,
    fedex_statuses.DERIVED_CODES,
    dhl_statuses.STATUSES,
    aftership_statuses.TAGS,
    aftership_statuses.SUBTAGS,
    shipengine_statuses.STATUS_CODES,
    shipengine_statuses.DETAIL_CODES,
]


@pytest.mark.parametrize("table", TABLES)
def test_status_tables_give_canonical_statuses(table):
    assert {entry.status for entry in table.values()} <= c.STATUS_CODES


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            ups_statuses.TYPES,
            {"D": "delivered", "I": "in_transit", "P": "picked_up", "M": "label_created"},
        ),
        (ups_statuses.TYPES, {"X": "exception", "RS": "returned_to_sender"}),
        (ups_statuses.TYPES, {"MV": "cancelled", "U": "unknown"}),
        (
            fedex_statuses.EVENT_TYPES,
            {"PU": "picked_up", "IT": "in_transit", "OD": "out_for_delivery"},
        ),
        (fedex_statuses.EVENT_TYPES, {"DL": "delivered", "DE": "delivery_failed"}),
        (
            dhl_statuses.STATUSES,
            {
                "pre-transit": "label_created",
                "transit": "in_transit",
                "delivered": "delivered",
                "failure": "exception",
                "unknown": "unknown",
            },
        ),
        (
            aftership_statuses.TAGS,
            {
                "InfoReceived": "label_created",
                "InTransit": "in_transit",
                "OutForDelivery": "out_for_delivery",
                "AttemptFail": "delivery_failed",
                "Delivered": "delivered",
                "AvailableForPickup": "available_for_pickup",
                "Exception": "exception",
                "Expired": "exception",
                "Pending": "unknown",
            },
        ),
        (
            shipengine_statuses.STATUS_CODES,
            {
                "AC": "picked_up",
                "IT": "in_transit",
                "DE": "delivered",
                "EX": "exception",
                "UN": "unknown",
                "AT": "delivery_failed",
                "NY": "label_created",
                "SP": "available_for_pickup",
                "": "unknown",
            },
        ),
    ],
)
def test_status_tables(table, expected):
    assert {code: table[code].status for code in expected} == expected


def test_unknown_partner_codes_give_unknown():
    message = {**UPS_ALERT_DELIVERED, "activityStatus": {"type": "Q", "code": "ZZ"}}
    assert parse("ups-trackalert", message)[0].status == "unknown"
    webhook = {
        "msg": {
            "tracking_number": "T",
            "tag": "Teleported",
            "subtag": "Teleported_001",
            "updated_at": "2026-11-20T10:00:00+00:00",
        }
    }
    assert parse("aftership-webhook", webhook)[0].status == "unknown"


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_invalid_json_gives_line_and_column(fmt):
    with pytest.raises(ParseError) as info:
        registry.get(fmt).parse(b'{\n  "a": 1,\n  "b" 2\n}')
    exc = info.value
    assert (exc.format, exc.line, exc.column) == (fmt, 3, 7)
    assert str(exc).startswith(f"{fmt}: invalid JSON: Expecting ':' delimiter")


@pytest.mark.parametrize("fmt", FORMATS)
def test_invalid_utf8_and_non_object_are_refused(fmt):
    with pytest.raises(ParseError) as info:
        registry.get(fmt).parse(b'{"a": "\xff"}')
    assert (info.value.line, info.value.column) == (1, 8)
    with pytest.raises(ParseError, match="expected a JSON object at the top, got an array"):
        registry.get(fmt).parse(b"[]")


@pytest.mark.parametrize(
    ("fmt", "document", "field"),
    [
        ("ups-track", {}, "trackResponse"),
        ("ups-track", {"trackResponse": {}}, "trackResponse.shipment"),
        (
            "ups-track",
            {"trackResponse": {"shipment": [{"package": [{"activity": [{}]}]}]}},
            "trackResponse.shipment[0].package[0].trackingNumber",
        ),
        (
            "ups-track",
            {
                "trackResponse": {
                    "shipment": [{"package": [{"trackingNumber": "1Z", "activity": [{}]}]}]
                }
            },
            "trackResponse.shipment[0].package[0].activity[0].status",
        ),
        ("fedex-track", {}, "output"),
        ("fedex-track", {"output": {}}, "output.completeTrackResults"),
        (
            "fedex-track",
            {"output": {"completeTrackResults": [{"trackingNumber": "1"}]}},
            "output.completeTrackResults[0].trackResults",
        ),
        ("dhl-tracking", {}, "shipments"),
        ("dhl-tracking", {"shipments": [{"events": []}]}, "shipments[0].id"),
        ("aftership-tracking", {"meta": {"code": 200}}, "data"),
        ("aftership-tracking", {"data": {"tracking": {}}}, "data.tracking.tracking_number"),
        ("aftership-webhook", {"event": "tracking_update"}, "msg"),
        ("shipengine-tracking", {"events": []}, "tracking_number"),
        ("shipengine-webhook", {"resource_type": "API_TRACK"}, "data"),
        ("shipengine-webhook", {"data": {"status_code": "DE"}}, "data.tracking_number"),
    ],
)
def test_missing_required_fields_name_the_json_path(fmt, document, field):
    with pytest.raises(ParseError) as info:
        parse(fmt, document)
    assert info.value.field == field
    assert info.value.format == fmt
    assert f"field '{field}'" in str(info.value)


@pytest.mark.parametrize(
    ("fmt", "document", "field", "message"),
    [
        (
            "fedex-track",
            {
                "output": {
                    "completeTrackResults": [{"trackResults": [{"scanEvents": [{"date": "x"}]}]}]
                }
            },
            "output.completeTrackResults[0].trackResults[0].trackingNumberInfo.trackingNumber",
            "required field missing or empty",
        ),
        (
            "fedex-track",
            {
                "output": {
                    "completeTrackResults": [
                        {"trackingNumber": "1", "trackResults": [{"scanEvents": [{"date": "x"}]}]}
                    ]
                }
            },
            "output.completeTrackResults[0].trackResults[0].scanEvents[0].date",
            "invalid date-time 'x'",
        ),
        (
            "dhl-tracking",
            {"shipments": [{"id": "1", "events": {"a": 1}}]},
            "shipments[0].events",
            "expected an array, got an object",
        ),
        (
            "aftership-webhook",
            {"msg": {"tracking_number": "1", "checkpoints": [{"tag": ["InTransit"]}]}},
            "msg.checkpoints[0].tag",
            "expected a string, got an array",
        ),
        (
            "shipengine-tracking",
            {"tracking_number": "1", "events": [{"occurred_at": 1.5}]},
            "events[0].occurred_at",
            "expected a string, got a number",
        ),
    ],
)
def test_wrong_values_name_the_json_path(fmt, document, field, message):
    with pytest.raises(ParseError) as info:
        parse(fmt, document)
    assert (info.value.field, info.value.message) == (field, message)


# --------------------------------------------------------------------------------------------
# Every event has a time and the status the document gives it
# --------------------------------------------------------------------------------------------


def _ups_sample_without(*keys):
    document = sample_json("ups_track_api_response_delivered.json")
    activity = document["trackResponse"]["shipment"][0]["package"][0]["activity"][1]
    for key in keys:
        activity.pop(key, None)
    return document


def _fedex_sample(**scan):
    document = sample_json("fedex_track_response_docs_example.json")
    result = document["output"]["completeTrackResults"][0]["trackResults"][0]
    result["scanEvents"][0].update(scan)
    return document


def _dhl_sample(events=None, **status):
    document = sample_json("dhl_unified_tracking_response.json")
    shipment = document["shipments"][0]
    if events is not None:
        shipment["events"] = events
    shipment["status"].update(status)
    return document


def _aftership_tracking(**tracking):
    document = sample_json("aftership_get_tracking_response_delivered.json")
    document["data"]["tracking"].update(tracking)
    return document


def _shipengine_info(**info):
    return {**sample_json("shipengine_track_response_unknown.json"), **info}


@needs_samples
@pytest.mark.parametrize(
    ("fmt", "document", "field", "message"),
    [
        (
            "ups-track",
            lambda: _ups_sample_without("date", "time"),
            "trackResponse.shipment[0].package[0].activity[1].date",
            "required field missing or empty, and so is gmtDate: the event would have no time",
        ),
        (
            "ups-trackalert",
            lambda: {**UPS_ALERT_DELIVERED, "localActivityDate": "", "gmtActivityDate": ""},
            "localActivityDate",
            "required field missing or empty, and so is gmtActivityDate: "
            "the event would have no time",
        ),
        (
            "fedex-track",
            lambda: _fedex_sample(date=None),
            "output.completeTrackResults[0].trackResults[0].scanEvents[0].date",
            "required field missing or empty: the event would have no time",
        ),
        (
            "dhl-tracking",
            lambda: _dhl_sample(events=[{"statusCode": "transit", "status": "In transit"}]),
            "shipments[0].events[0].timestamp",
            "required field missing or empty: the event would have no time",
        ),
        (
            "dhl-tracking",
            lambda: _dhl_sample(events=[], timestamp=None),
            "shipments[0].status.timestamp",
            "required field missing or empty: the event would have no time",
        ),
        (
            "aftership-tracking",
            lambda: _aftership_tracking(
                checkpoints=[{"tag": "InTransit", "message": "Departed", "checkpoint_time": ""}]
            ),
            "data.tracking.checkpoints[0].checkpoint_time",
            "required field missing or empty: the event would have no time",
        ),
        (
            "aftership-webhook",
            lambda: aftership_webhook(
                {"tracking_number": "TN1", "slug": "ups", "tag": "Pending", "checkpoints": []}
            ),
            "msg.updated_at",
            "required field missing or empty, and so is created_at: the event would have no time",
        ),
        (
            "shipengine-tracking",
            lambda: _shipengine_info(
                events=[{"status_code": "IT", "occurred_at": None, "carrier_occurred_at": ""}]
            ),
            "events[0].occurred_at",
            "required field missing or empty, and so is carrier_occurred_at: "
            "the event would have no time",
        ),
        (
            "shipengine-webhook",
            lambda: shipengine_webhook(_shipengine_info(events=[], status_code="IT")),
            "data.events",
            "no event, and the status 'IT' has no time of its own (ship_date and "
            "estimated_delivery_date date no status): the event would have no time",
        ),
    ],
)
def test_an_event_without_time_is_refused_naming_the_field(fmt, document, field, message):
    with pytest.raises(ParseError) as info:
        parse(fmt, document())
    assert (info.value.format, info.value.field, info.value.message) == (fmt, field, message)


@needs_samples
def test_ups_gmt_date_alone_dates_the_activity():
    document = _ups_sample_without("date", "time")
    activity = document["trackResponse"]["shipment"][0]["package"][0]["activity"][1]
    activity.update(gmtDate="20220126", gmtTime="201641")
    (manifest,) = [e for e in parse("ups-track", document) if e.status == "label_created"]
    assert manifest.occurred_at == datetime(2022, 1, 26, 20, 16, 41, tzinfo=UTC)


@needs_samples
def test_aftership_without_checkpoints_uses_the_tracking_update_time():
    # The published Tracking object, before its first checkpoint: its tag holds since its
    # last update (updated_at), else since it was created (created_at).
    document = _aftership_tracking(checkpoints=[], tag="InfoReceived", subtag="InfoReceived_001")
    (event,) = parse("aftership-tracking", document)
    assert (event.status, event.partner_status) == ("label_created", "InfoReceived_001")
    assert event.occurred_at.isoformat() == "2018-08-17T05:10:46+00:00"
    del document["data"]["tracking"]["updated_at"]
    (event,) = parse("aftership-tracking", document)
    assert event.occurred_at.isoformat() == "2018-08-17T05:10:38+00:00"
    webhook = aftership_webhook(document["data"]["tracking"])
    assert parse("aftership-webhook", webhook) == [event]


def test_aftership_error_envelope_is_still_a_partner_error():
    assert_aftership_error_envelope_is_a_partner_error()


@needs_samples
def test_aftership_latest_checkpoint_without_tag_takes_the_tracking_tag():
    document = sample_json("aftership_get_tracking_response_delivered.json")
    checkpoints = document["data"]["tracking"]["checkpoints"]
    for checkpoint in (checkpoints[3], checkpoints[-1]):
        checkpoint.pop("tag")
        checkpoint.pop("subtag")
        checkpoint.pop("subtag_message", None)
    events = parse("aftership-tracking", document)
    # The tracking is Delivered_001 as of its latest checkpoint; an earlier checkpoint
    # without a tag has no status in the document.
    assert (events[-1].status, events[-1].partner_status) == ("delivered", "")
    assert events[-1].signed_by == "" and events[3].status == "unknown"


@needs_samples
def test_dhl_latest_event_without_status_code_takes_the_shipment_status():
    document = _dhl_sample(statusCode="transit")
    del document["shipments"][0]["events"][0]["statusCode"]
    (event,) = parse("dhl-tracking", document)
    assert status_of(event) == ("in_transit", "", "DELIVERED")
    older = {**document["shipments"][0]["events"][0], "timestamp": "2018-03-01T07:53:47"}
    document["shipments"][0]["events"].append(older)
    newest, oldest = parse("dhl-tracking", document)[::-1]
    assert (oldest.status, newest.status) == ("unknown", "in_transit")


@needs_samples
def test_fedex_latest_scan_without_type_takes_the_latest_status_detail():
    document = _fedex_sample(eventType="", derivedStatusCode="")
    (event,) = parse("fedex-track", document)
    assert (event.status, event.partner_status) == ("picked_up", "")
    result = document["output"]["completeTrackResults"][0]["trackResults"][0]
    result["latestStatusDetail"].update(code="ZZ", derivedCode="DL")
    assert parse("fedex-track", document)[0].status == "delivered"


@needs_samples
def test_shipengine_latest_event_without_status_code_takes_the_track_status():
    info = _shipengine_info(status_code="IT", status_detail_code="HUB_SCAN_IN")
    (event,) = parse("shipengine-tracking", info)
    assert (event.status, event.partner_status) == ("in_transit", "")
    earlier = {**info["events"][0], "occurred_at": "2021-07-09T10:00:00Z"}
    info["events"].append(earlier)
    assert [e.status for e in parse("shipengine-tracking", info)] == ["unknown", "in_transit"]
    # As published (UN): the latest event is unknown because ShipEngine says so.
    (published,) = parse("shipengine-tracking", _shipengine_info())
    assert (published.status, published.partner_status) == ("unknown", "")


@needs_samples
def test_shipengine_delivery_without_events_is_dated_by_its_delivery():
    info = _shipengine_info(
        events=[], status_code="DE", actual_delivery_date="2021-07-12T15:04:00Z"
    )
    (event,) = parse("shipengine-webhook", shipengine_webhook(info))
    assert (event.status, event.partner_status) == ("delivered", "DE")
    assert event.occurred_at == datetime(2021, 7, 12, 15, 4, tzinfo=UTC)
    assert event.description == "Electronic information submitted by shipper"


TIMED_FORMATS = (*FORMATS, "easypost-event", "easypost-tracker")


@needs_samples
@pytest.mark.parametrize("fmt", TIMED_FORMATS)
@settings(max_examples=60)
@given(data=st.data())
def test_no_codec_ever_emits_an_event_without_time(fmt, data):
    document = data.draw(strategies.with_one_value_changed(_sample_for(fmt), json_values))
    try:
        events = registry.get(fmt).parse(json.dumps(document).encode())
    except AdapterError:
        return
    for event in events:
        assert event.occurred_at is not None, event


def _sample_for(fmt):
    if fmt == "easypost-event":
        return sample_json("easypost_webhook_event_tracker_updated.json")
    if fmt == "easypost-tracker":
        return sample_json("easypost_tracker_create_response.json")
    return SAMPLE_FOR_FORMAT[fmt]()


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


@needs_samples
def test_cli_parse_prints_tracking_events(capsysbinary):
    path = str(SAMPLES / "aftership_get_tracking_response_delivered.json")
    assert cli.main(["parse", "aftership-tracking", path]) == 0
    printed = json.loads(capsysbinary.readouterr().out)
    assert len(printed) == 14
    assert printed[-1]["type"] == "TrackingEvent"
    assert {
        key: printed[-1][key]
        for key in ("tracking_number", "status", "partner_status", "occurred_at", "location")
    } == {
        "tracking_number": "111111111111",
        "status": "delivered",
        "partner_status": "Delivered_001",
        "occurred_at": "2018-07-25T10:10:00+09:00",
        "location": "SAPPORO JP",
    }


@needs_samples
def test_cli_refuses_an_error_document(capsys):
    path = str(SAMPLES / "dhl_unified_tracking_error_404.json")
    assert cli.main(["parse", "dhl-tracking", path]) == 1
    assert "error: dhl-tracking: DHL error 404: No result found" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# Fuzz: arbitrary bytes and mutated samples either parse or raise ParseError
# --------------------------------------------------------------------------------------------

SAMPLE_FOR_FORMAT = {
    "ups-track": lambda: sample_json("ups_track_api_response_delivered.json"),
    "ups-trackalert": lambda: UPS_ALERT_DELIVERED,
    "fedex-track": lambda: sample_json("fedex_track_response_docs_example.json"),
    "dhl-tracking": lambda: sample_json("dhl_unified_tracking_response.json"),
    "aftership-tracking": lambda: sample_json("aftership_get_tracking_response_delivered.json"),
    "aftership-webhook": lambda: aftership_webhook(
        sample_json("aftership_get_tracking_response_delivered.json")["data"]["tracking"]
    ),
    "shipengine-tracking": lambda: sample_json("shipengine_track_response_unknown.json"),
    "shipengine-webhook": lambda: shipengine_webhook(
        sample_json("shipengine_track_response_unknown.json")
    ),
}

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(
        ["", "20220126", "9999123123", "163000", "74700", "-05:00", "+14.45", "D", "DL"]
        + ["2018-07-23T16:58:00+08:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00"]
    )
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)


def _parse_or_refuse(fmt, data):
    """:func:`parse_or_refuse`, and what it reads are valid tracking events."""
    events = parse_or_refuse(fmt, data)
    assert events is None or isinstance(events, list)
    for event in events or []:
        assert isinstance(event, c.TrackingEvent)
        assert event.status in c.STATUS_CODES
        json.dumps(c.to_jsonable(event))


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=60)
@given(data=st.binary(max_size=200))
def test_fuzz_arbitrary_bytes(fmt, data):
    _parse_or_refuse(fmt, data)


@needs_samples
@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=80)
@given(data=st.data())
def test_fuzz_mutated_samples(fmt, data):
    document = data.draw(strategies.with_one_value_changed(SAMPLE_FOR_FORMAT[fmt](), json_values))
    _parse_or_refuse(fmt, json.dumps(document).encode())
