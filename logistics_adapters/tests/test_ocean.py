"""Ocean formats: DCSA Track & Trace 2.2 events and Terminal49 webhooks, from published docs."""

import copy
import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import cli, registry
from logistics_adapters.errors import ParseError
from logistics_adapters.formats.tracking import PartnerErrorResponse

from . import strategies
from .helpers import parse_or_refuse

UTC = timezone.utc

# -- DCSA ------------------------------------------------------------------------------------
# Built from the example values of the DCSA T&T 2.2 OpenAPI and its domains
# (https://github.com/dcsaorg/DCSA-OpenAPI: tnt/v2/TNT_v2.2.0.yaml, domain/event/
# event_domain_v1.1.1.yaml (aggregates Event Domain 1.0.4), domain/dcsa/dcsa_domain_v1.0.3.yaml,
# domain/location/dcsa_location_v1.0.3.yaml; https://app.swaggerhub.com/apis/dcsaorg/DCSA_TNT/2.2.0).

DCSA_EQUIPMENT = {
    "eventID": "3cecb101-7a1a-43a4-9d62-e88a131651e2",
    "eventType": "EQUIPMENT",
    "eventClassifierCode": "ACT",
    "eventCreatedDateTime": "2021-01-09T14:12:56+01:00",
    "eventDateTime": "2019-11-12T07:41:00+08:30",
    "equipmentEventTypeCode": "LOAD",
    "equipmentReference": "APZU4812090",
    "ISOEquipmentCode": "22GP",
    "emptyIndicatorCode": "LADEN",
    "transportCall": {
        "transportCallID": "123e4567-e89b-12d3-a456-426614174000",
        "carrierServiceCode": "FE1",
        "exportVoyageNumber": "2103S",
        "importVoyageNumber": "2103N",
        "transportCallSequenceNumber": 2,
        "UNLocationCode": "FRPAR",
        "facilityCode": "ADT",
        "facilityCodeListProvider": "SMDG",
        "facilityTypeCode": "POTE",
        "modeOfTransport": "VESSEL",
        "location": {
            "locationName": "Eiffel Tower",
            "latitude": "48.8585500",
            "longitude": "2.294492036",
            "UNLocationCode": "FRPAR",
        },
        "vessel": {"vesselIMONumber": 9321483, "vesselName": "King of the Seas"},
    },
    "documentReferences": [
        {"documentReferenceType": "BKG", "documentReferenceValue": "ABC123123123"},
        {
            "documentReferenceType": "TRD",
            "documentReferenceValue": "85943567-eedb-98d3-f4ed-aed697474ed4",
        },
    ],
}
DCSA_TRANSPORT_ESTIMATE = {
    "eventID": "84db923d-2a19-4eb0-beb5-446c1ec57d34",
    "eventType": "TRANSPORT",
    "eventClassifierCode": "EST",
    "eventCreatedDateTime": "2021-01-09T14:12:56+01:00",
    "eventDateTime": "2019-11-12T07:41:00+08:30",
    "transportEventTypeCode": "ARRI",
    "delayReasonCode": "WEA",
    "changeRemark": "Bad weather",
    "transportCall": {
        "transportCallID": "123e4567-e89b-12d3-a456-426614174000",
        "UNLocationCode": "FRPAR",
        "modeOfTransport": "VESSEL",
    },
    "documentReferences": [
        {"documentReferenceType": "BKG", "documentReferenceValue": "ABC123123123"}
    ],
}
DCSA_SHIPMENT = {
    "eventID": "5e51e72c-d872-11ea-811c-0f8f10a32ea1",
    "eventType": "SHIPMENT",
    "eventClassifierCode": "ACT",
    "eventCreatedDateTime": "2021-01-09T14:12:56+01:00",
    "eventDateTime": "2021-01-09T14:12:56+01:00",
    "shipmentEventTypeCode": "HOLD",
    "documentTypeCode": "CUS",
    "documentID": "ABC123123123",
    "reason": "All good",
    "references": [{"referenceType": "PO", "referenceValue": "PO-4711"}],
}


def dcsa(document):
    return registry.get("dcsa-events").parse(json.dumps(document).encode())


def test_dcsa_equipment_event_actual():
    (milestone,) = dcsa([DCSA_EQUIPMENT])
    assert milestone == c.Milestone(
        "APZU4812090",
        status="in_transit",
        partner_status="EQUIPMENT/LOAD",
        partner_status_text="Loaded",
        occurred_at=datetime(2019, 11, 12, 7, 41, tzinfo=timezone(timedelta(hours=8, minutes=30))),
        location="FRPAR, Eiffel Tower",
        latitude=48.85855,
        longitude=2.294492036,
        tracking_number="APZU4812090",
        equipment="APZU4812090",
        partner_event_id="3cecb101-7a1a-43a4-9d62-e88a131651e2",
        references={
            "booking": "ABC123123123",
            "bill_of_lading": "85943567-eedb-98d3-f4ed-aed697474ed4",
        },
    )
    assert milestone.time_zone_known


def test_dcsa_estimate_goes_to_estimated_at():
    (milestone,) = dcsa(DCSA_TRANSPORT_ESTIMATE)
    assert (milestone.reference, milestone.status) == ("ABC123123123", "in_transit")
    assert (milestone.partner_status, milestone.partner_status_text) == (
        "TRANSPORT/ARRI",
        "Arrived (estimated)",
    )
    assert milestone.occurred_at is None
    assert milestone.estimated_at == datetime(
        2019, 11, 12, 7, 41, tzinfo=timezone(timedelta(hours=8, minutes=30))
    )
    assert (milestone.location, milestone.reason_code) == ("FRPAR", "WEA")
    planned = dict(
        DCSA_TRANSPORT_ESTIMATE, eventClassifierCode="PLN", transportEventTypeCode="DEPA"
    )
    assert dcsa(planned)[0].partner_status_text == "Departed (planned)"


def test_dcsa_shipment_customs_hold_and_other_documents():
    (held,) = dcsa(DCSA_SHIPMENT)
    assert (held.reference, held.status, held.partner_status) == (
        "ABC123123123",
        "customs_hold",
        "SHIPMENT/HOLD/CUS",
    )
    assert held.partner_status_text == "On Hold (customs)"
    assert held.references == {"purchase_order": "PO-4711", "CUS": "ABC123123123"}
    booking_hold = dict(DCSA_SHIPMENT, documentTypeCode="BKG")
    (milestone,) = dcsa(booking_hold)
    assert (milestone.status, milestone.partner_status) == ("exception", "SHIPMENT/HOLD/BKG")
    assert milestone.references["booking"] == "ABC123123123"
    codec = registry.get("dcsa-events")
    assert codec.status_candidates("SHIPMENT/RELS/CUS") == ("SHIPMENT/RELS/CUS", "SHIPMENT/RELS")
    assert codec.status_for("SHIPMENT/RELS/CUS") == "customs_released"
    assert codec.status_for("EQUIPMENT/NOPE") == "unknown"


def test_dcsa_event_location_and_deprecated_code():
    event = copy.deepcopy(DCSA_EQUIPMENT)
    del event["equipmentEventTypeCode"]
    event["eventTypeCode"] = "DISC"
    event["eventLocation"] = {"locationName": "Eiffel Tower", "UNLocationCode": "FRPAR"}
    del event["transportCall"]
    (milestone,) = dcsa(event)
    assert (milestone.partner_status, milestone.location) == (
        "EQUIPMENT/DISC",
        "FRPAR, Eiffel Tower",
    )
    assert milestone.latitude is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"eventDateTime": None}, "[0].eventDateTime", "the event would have no time"),
        ({"eventDateTime": "yesterday"}, "[0].eventDateTime", "invalid date-time"),
        ({"eventType": "OPERATIONS"}, "[0].eventType", "unknown event type 'OPERATIONS'"),
        ({"equipmentEventTypeCode": None}, "[0].equipmentEventTypeCode", "missing"),
        ({"documentReferences": {}}, "[0].documentReferences", "expected an array"),
    ],
)
def test_dcsa_refuses_naming_the_field(change, field, message):
    event = {key: value for key, value in {**DCSA_EQUIPMENT, **change}.items() if value is not None}
    with pytest.raises(ParseError, match=message) as caught:
        dcsa([event])
    assert caught.value.field == field


def test_dcsa_identify():
    codec = registry.get("dcsa-events")
    body = json.dumps([DCSA_EQUIPMENT, DCSA_TRANSPORT_ESTIMATE]).encode()
    identity = codec.identify(body)
    assert identity.references == (
        "85943567-eedb-98d3-f4ed-aed697474ed4",
        "ABC123123123",
        "APZU4812090",
    )
    assert identity.message_id == (
        "3cecb101-7a1a-43a4-9d62-e88a131651e2,84db923d-2a19-4eb0-beb5-446c1ec57d34"
    )
    assert codec.identify(json.dumps(DCSA_SHIPMENT).encode()).message_id == DCSA_SHIPMENT["eventID"]


# -- Terminal49 --------------------------------------------------------------------------------
# From Terminal49's published webhook payload examples, trimmed to the records the notification
# relates to (values as published): https://terminal49.com/docs/api-docs/useful-info/
# webhook-events-examples (Terminal49/API docs/api-docs/useful-info/webhook-events-examples.mdx)
# and https://terminal49.com/docs/api-docs/webhooks/payloads.


def t49_link(record_id, record_type):
    """A JSON:API relationship to one record."""
    return {"data": {"id": record_id, "type": record_type}}


def t49_notification(
    notification_id, event, created_at, about, *, status="succeeded", webhook="", **members
):
    """A Terminal49 webhook notification as published: ``about`` the (id, type) of the record
    it reports, ``status`` its delivery status, ``webhook`` the id of the webhook that sent it
    (with its empty log list) when the example shows one; ``members`` the top-level members
    beside ``data``."""
    relationships = {"reference_object": t49_link(*about)}
    if webhook:
        relationships["webhook"] = t49_link(webhook, "webhook")
        relationships["webhook_notification_logs"] = {"data": []}
    attributes = {
        "id": notification_id,
        "event": event,
        "delivery_status": status,
        "created_at": created_at,
    }
    data = {
        "id": notification_id,
        "type": "webhook_notification",
        "attributes": attributes,
        "relationships": relationships,
    }
    return {"data": data, **members}


SHIPMENT_SEAU = {
    "id": "a65a7f43-0038-4f60-acff-c97a4979d323",
    "type": "shipment",
    "attributes": {
        "bill_of_lading_number": "914595688",
        "normalized_number": "914595688",
        "shipping_line_scac": "SEAU",
        "shipping_line_name": "Sealand Americas",
        "port_of_lading_locode": "CLARI",
        "port_of_lading_name": "Arica",
        "pol_atd_at": "2022-09-28T19:51:00Z",
        "pol_timezone": "America/Santiago",
    },
    "relationships": {
        "containers": {
            "data": [{"id": "56ad45c8-dbd0-4c1e-bee7-7c4376db3924", "type": "container"}]
        }
    },
}
CONTAINER_MNBU = {
    "id": "56ad45c8-dbd0-4c1e-bee7-7c4376db3924",
    "type": "container",
    "attributes": {
        "number": "MNBU4188482",
        "equipment_type": "reefer",
        "equipment_length": 40,
        "equipment_height": "high_cube",
    },
    "relationships": {"shipment": t49_link("a65a7f43-0038-4f60-acff-c97a4979d323", "shipment")},
}
PORT_ARICA = {
    "id": "cbf247a7-a86c-491f-948e-6a95a41e9199",
    "type": "port",
    "attributes": {
        "id": "cbf247a7-a86c-491f-948e-6a95a41e9199",
        "name": "Arica",
        "code": "CLARI",
        "country_code": "CL",
        "latitude": "-18.471872947",
        "longitude": "-70.327958963",
        "time_zone": "America/Santiago",
    },
}
VESSEL_DEPARTED = t49_notification(
    "f65f7fff-2384-4f90-919b-b716c16bc670",
    "container.transport.vessel_departed",
    "2022-10-21T20:16:41Z",
    ("2b8eb6b3-6dcb-4acc-a234-dfc971408762", "transport_event"),
    webhook="501aae38-e752-4f15-ab6e-73ea0ede3ca2",
    included=[
        SHIPMENT_SEAU,
        CONTAINER_MNBU,
        PORT_ARICA,
        {
            "id": "2b8eb6b3-6dcb-4acc-a234-dfc971408762",
            "type": "transport_event",
            "attributes": {
                "event": "container.transport.vessel_departed",
                "created_at": "2022-10-21T20:15:38Z",
                "voyage_number": "239N",
                "timestamp": "2022-09-28T19:51:00Z",
                "data_source": "shipping_line",
                "location_locode": "CLARI",
                "timezone": "America/Santiago",
            },
            "relationships": {
                "shipment": t49_link("a65a7f43-0038-4f60-acff-c97a4979d323", "shipment"),
                "container": t49_link("56ad45c8-dbd0-4c1e-bee7-7c4376db3924", "container"),
                "vessel": t49_link("95016ff7-1084-416a-9c85-4af24e91d883", "vessel"),
                "location": t49_link("cbf247a7-a86c-491f-948e-6a95a41e9199", "port"),
                "terminal": {"data": None},
            },
        },
    ],
)
ESTIMATED_DEPARTURE = t49_notification(
    "85eb9ac3-8bbb-41c2-9230-b8434c8af5cd",
    "container.transport.estimated.vessel_departed",
    "2024-06-26T21:22:21Z",
    ("3e1f544c-72a4-45d3-9cf0-14c892a63f34", "transport_event"),
    webhook="188e6629-d9e0-446e-8dd8-078090eba7b3",
    included=[
        {
            "id": "3e1f544c-72a4-45d3-9cf0-14c892a63f34",
            "type": "transport_event",
            "attributes": {
                "event": "container.transport.estimated.vessel_departed",
                "created_at": "2024-06-26T21:22:21Z",
                "voyage_number": "098N",
                "timestamp": "2024-06-28T21:22:21Z",
                "data_source": "shipping_line",
                "location_locode": "MXZLO",
                "timezone": "America/Mexico_City",
            },
        }
    ],
)
SHIPMENT_ETA = t49_notification(
    "0a6b1c26-25c1-4309-b190-ff7cb50f75e3",
    "shipment.estimated.arrival",
    "2022-10-21T20:19:13Z",
    ("0db4d1a2-ec3e-4123-9d80-1431c81733e6", "estimated_event"),
    included=[
        {
            "id": "fd0b571a-d6bc-4059-93ed-fc5b00a83b15",
            "type": "shipment",
            "attributes": {
                "bill_of_lading_number": "OOLU2136060630",
                "shipping_line_scac": "OOLU",
                "port_of_discharge_locode": "USLAX",
                "pod_eta_at": "2022-11-01T14:00:00Z",
            },
        },
        {
            "id": "56adff5b-0ec1-4b81-985f-3380bca38b0b",
            "type": "port",
            "attributes": {"name": "Los Angeles", "code": "USLAX", "country_code": "US"},
        },
        {
            "id": "0db4d1a2-ec3e-4123-9d80-1431c81733e6",
            "type": "estimated_event",
            "attributes": {
                "created_at": "2022-10-21T20:19:13Z",
                "estimated_timestamp": "2022-11-01T14:00:00Z",
                "voyage_number": "0TUPFE1MA",
                "event": "shipment.estimated.arrival",
                "location_locode": "USLAX",
                "data_source": "shipping_line",
                "timezone": "America/Los_Angeles",
            },
            "relationships": {
                "shipment": t49_link("fd0b571a-d6bc-4059-93ed-fc5b00a83b15", "shipment"),
                "port": t49_link("56adff5b-0ec1-4b81-985f-3380bca38b0b", "port"),
            },
        },
    ],
)
TRACKING_SUCCEEDED = t49_notification(
    "0b27a595-e531-4f93-8d5a-22e1675d863a",
    "tracking_request.succeeded",
    "2022-10-21T20:18:36Z",
    ("bf1d2f9d-f88a-4aed-901b-a86cddb0a665", "tracking_request"),
    included=[
        {
            "id": "2444986c-5ebe-4bc5-ad55-d24293424943",
            "type": "container",
            "attributes": {"number": "MRKU3700927", "equipment_type": "dry"},
        },
        {
            "id": "6af82332-9bff-4b4a-a1e1-a382e0f82ca5",
            "type": "shipment",
            "attributes": {"bill_of_lading_number": "MAEU221876618", "shipping_line_scac": "MAEU"},
        },
        {
            "id": "bf1d2f9d-f88a-4aed-901b-a86cddb0a665",
            "type": "tracking_request",
            "attributes": {
                "request_number": "MAEU221876618",
                "request_type": "bill_of_lading",
                "scac": "MAEU",
                "status": "created",
                "failed_reason": None,
            },
        },
    ],
)
TRACKING_FAILED = t49_notification(
    "dfa9f92b-dbc5-403e-b03f-d5683abbd074",
    "tracking_request.failed",
    "2022-10-21T20:19:14Z",
    ("5fe62a78-86af-4408-a79c-2d03c907a68b", "tracking_request"),
    status="pending",
    included=[
        {
            "id": "5fe62a78-86af-4408-a79c-2d03c907a68b",
            "type": "tracking_request",
            "attributes": {
                "request_number": "MAEU11875506",
                "request_type": "bill_of_lading",
                "scac": "MAEU",
                "status": "failed",
                "failed_reason": "not_found",
            },
        }
    ],
)
# Published as is: the notification only, no ``included``.
AVAILABLE = t49_notification(
    "fb111726-d489-4ef7-bac9-d39f2cbe66ba",
    "container.transport.available",
    "2025-02-26T12:51:52Z",
    ("7adced6b-0ae4-4554-8c51-f85e58e57eb7", "transport_event"),
    webhook="91357e6c-43f9-49c2-b052-a2941a003751",
    links={
        "self": "https://api.terminal49.com/v2/webhook_notifications/fb111726-d489-4ef7-bac9-d39f2cbe66ba"
    },
)
T49_DOCUMENTS = [
    VESSEL_DEPARTED,
    ESTIMATED_DEPARTURE,
    SHIPMENT_ETA,
    TRACKING_SUCCEEDED,
    TRACKING_FAILED,
    AVAILABLE,
]


def t49(document):
    return registry.get("terminal49-webhook").parse(json.dumps(document).encode())


def test_terminal49_vessel_departed():
    (milestone,) = t49(VESSEL_DEPARTED)
    assert milestone == c.Milestone(
        "MNBU4188482",
        status="in_transit",
        partner_status="container.transport.vessel_departed",
        partner_status_text="Vessel departed the port of lading",
        occurred_at=datetime(2022, 9, 28, 19, 51, tzinfo=UTC),
        location="CLARI, Arica",
        tracking_number="MNBU4188482",
        equipment="MNBU4188482",
        carrier="SEAU",
        time_zone="America/Santiago",
        partner_event_id="2b8eb6b3-6dcb-4acc-a234-dfc971408762",
        references={"bill_of_lading": "914595688"},
    )
    identity = registry.get("terminal49-webhook").identify(json.dumps(VESSEL_DEPARTED).encode())
    assert identity.references == ("914595688", "MNBU4188482")
    assert identity.message_id == "f65f7fff-2384-4f90-919b-b716c16bc670"


def test_terminal49_estimates_go_to_estimated_at():
    (departure,) = t49(ESTIMATED_DEPARTURE)
    assert (departure.reference, departure.status, departure.location) == (
        "",
        "in_transit",
        "MXZLO",
    )
    assert departure.occurred_at is None
    assert departure.estimated_at == datetime(2024, 6, 28, 21, 22, 21, tzinfo=UTC)
    assert departure.partner_status_text == "Vessel departed the port of lading (estimated)"
    (eta,) = t49(SHIPMENT_ETA)
    assert (eta.reference, eta.carrier, eta.location) == (
        "OOLU2136060630",
        "OOLU",
        "USLAX, Los Angeles",
    )
    assert (eta.occurred_at, eta.estimated_at) == (None, datetime(2022, 11, 1, 14, tzinfo=UTC))
    assert eta.references == {"bill_of_lading": "OOLU2136060630"}


def test_terminal49_notification_without_its_event_is_dated_by_the_notification():
    (milestone,) = t49(AVAILABLE)
    assert (milestone.reference, milestone.status) == ("", "available_for_pickup")
    assert milestone.occurred_at == datetime(2025, 2, 26, 12, 51, 52, tzinfo=UTC)
    assert milestone.partner_status_text == (
        "Available for pickup at destination; dated by the notification: its event is not included"
    )
    assert milestone.partner_event_id == ""


def test_terminal49_tracking_requests():
    assert t49(TRACKING_SUCCEEDED) == []
    identity = registry.get("terminal49-webhook").identify(json.dumps(TRACKING_SUCCEEDED).encode())
    assert identity == registry.Identity(
        ("MAEU221876618", "MRKU3700927"), "0b27a595-e531-4f93-8d5a-22e1675d863a"
    )
    with pytest.raises(PartnerErrorResponse) as caught:
        t49(TRACKING_FAILED)
    assert str(caught.value) == (
        "terminal49-webhook: Terminal49 tracking request MAEU11875506 failed: not_found"
    )
    assert caught.value.code == "not_found"


def test_terminal49_status_table():
    codec = registry.get("terminal49-webhook")
    assert codec.status_for("container.transport.full_out") == "out_for_delivery"
    assert codec.status_for("container.transport.estimated.vessel_arrived") == "in_transit"
    assert codec.status_for("container.transport.teleported") == "unknown"
    for table in (codec.statuses, registry.get("dcsa-events").statuses):
        assert {entry.status for entry in table.values()} <= c.STATUS_CODES
        assert all(entry.label for entry in table.values())


@pytest.mark.parametrize(
    ("document", "field", "message"),
    [
        ({"data": {"type": "webhook", "id": "1"}}, "data.type", "expected 'webhook_notification'"),
        ({"data": []}, "data", "expected an object"),
        ({}, "data", "required field missing"),
        (
            {"data": {"type": "webhook_notification", "id": "1", "attributes": {}}},
            "data.attributes.event",
            "required field missing",
        ),
    ],
)
def test_terminal49_refuses_naming_the_field(document, field, message):
    with pytest.raises(ParseError, match=message) as caught:
        t49(document)
    assert caught.value.field == field


# -- fuzz: whatever the bytes, only a ParseError ----------------------------------------------

OCEAN = {
    "dcsa-events": [[DCSA_EQUIPMENT, DCSA_TRANSPORT_ESTIMATE, DCSA_SHIPMENT]],
    "terminal49-webhook": T49_DOCUMENTS,
}
json_values = st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.just([])


@pytest.mark.parametrize("fmt", sorted(OCEAN))
@settings(max_examples=80)
@given(data=st.binary(max_size=200))
def test_fuzz_arbitrary_bytes(fmt, data):
    parse_or_refuse(fmt, data)


@pytest.mark.parametrize("fmt", sorted(OCEAN))
@settings(max_examples=150)
@given(data=st.data())
def test_fuzz_one_value_changed(fmt, data):
    document = data.draw(st.sampled_from(OCEAN[fmt]))
    changed = data.draw(strategies.with_one_value_changed(document, json_values))
    parse_or_refuse(fmt, json.dumps(changed).encode())


@pytest.mark.parametrize("fmt", sorted(OCEAN))
@settings(max_examples=80)
@given(data=st.data())
def test_fuzz_mutated_bytes(fmt, data):
    document = data.draw(st.sampled_from(OCEAN[fmt]))
    parse_or_refuse(fmt, data.draw(strategies.mutated_bytes(json.dumps(document).encode())))


# -- command line ------------------------------------------------------------------------------


def test_cli_parse_dcsa(tmp_path, capsys):
    path = tmp_path / "events.json"
    path.write_text(json.dumps([DCSA_EQUIPMENT, DCSA_TRANSPORT_ESTIMATE]))
    assert cli.main(["parse", "dcsa-events", str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [(m["type"], m["partner_status"]) for m in printed] == [
        ("Milestone", "EQUIPMENT/LOAD"),
        ("Milestone", "TRANSPORT/ARRI"),
    ]
    assert printed[1]["estimated_at"] == "2019-11-12T07:41:00+08:30"


def test_cli_parse_terminal49(tmp_path, capsys):
    path = tmp_path / "webhook.json"
    path.write_text(json.dumps(VESSEL_DEPARTED))
    assert cli.main(["parse", "terminal49-webhook", str(path)]) == 0
    (printed,) = json.loads(capsys.readouterr().out)
    assert c.from_jsonable(printed) == t49(VESSEL_DEPARTED)[0]
    path.write_text(json.dumps(TRACKING_FAILED))
    assert cli.main(["parse", "terminal49-webhook", str(path)]) == 1
    assert "failed: not_found" in capsys.readouterr().err
