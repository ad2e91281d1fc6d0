"""The codec API that describes partners, and the partner registry, on the published samples."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import ParseError
from logistics_adapters.partners import (
    Partner,
    available_partners,
    get_partner,
    partner_selection,
)
from logistics_adapters.registry import Identity, PollRequest, StatusEntry
from logistics_adapters.sandbox import available_personalities, get_personality
from logistics_adapters.transport.signatures import get_scheme, scheme_selection

from .helpers import needs_samples, sample

PARTNER_CODECS = {
    "easypost": ("easypost-event", "easypost-tracker", "easypost-shipment"),
    "ups": ("ups-track", "ups-trackalert"),
    "fedex": ("fedex-track",),
    "dhl": ("dhl-tracking",),
    "aftership": ("aftership-tracking", "aftership-webhook"),
    "shipengine": ("shipengine-tracking", "shipengine-webhook"),
    "shiphero": ("shiphero-webhook",),
    "shipbob": ("shipbob-webhook", "shipbob-inventory"),
}
#: Published samples, as published (the webhooks are built around the published objects).
SAMPLE_FILES = {
    "easypost-event": "easypost_webhook_event_tracker_updated.json",
    "easypost-tracker": "easypost_tracker_create_response.json",
    "ups-track": "ups_track_api_response_delivered.json",
    "fedex-track": "fedex_track_response_docs_example.json",
    "dhl-tracking": "dhl_unified_tracking_response.json",
    "aftership-tracking": "aftership_get_tracking_response_delivered.json",
    "shipengine-tracking": "shipengine_track_response_unknown.json",
}


def sample_of(fmt):
    """The published sample of codec ``fmt``."""
    return sample(SAMPLE_FILES[fmt])


def test_every_partner_codec_names_its_partner_and_shares_its_table():
    for code, names in PARTNER_CODECS.items():
        partner = get_partner(code)
        for name in names:
            codec = registry.get(name)
            assert codec.partner == code
            assert codec.statuses is partner.statuses
            assert all(isinstance(entry, StatusEntry) for entry in codec.statuses.values())
            assert {entry.status for entry in codec.statuses.values()} <= c.STATUS_CODES
    assert registry.get("canonical-json").partner == ""
    assert registry.get("canonical-json").statuses == {}


def test_every_codec_outside_the_list_is_partner_free():
    listed = {name for names in PARTNER_CODECS.values() for name in names}
    for name in registry.available():
        assert (registry.get(name).partner != "") == (name in listed), name


@needs_samples
@pytest.mark.parametrize("fmt", sorted(SAMPLE_FILES))
def test_sample_statuses_resolve_through_the_candidates(fmt):
    codec = registry.get(fmt)
    partner = get_partner(codec.partner)
    events = [obj for obj in codec.parse(sample_of(fmt)) if isinstance(obj, c.TrackingEvent)]
    assert events
    for event in events:
        if fmt == "fedex-track":
            continue  # checked below with its derived code
        assert codec.status_for(event.partner_status) == event.status
        assert partner.status_for(event.partner_status) == event.status
        assert partner.status_candidates(event.partner_status)[0] == event.partner_status


@needs_samples
def test_fedex_sample_status_resolves_through_its_event_type():
    codec = registry.get("fedex-track")
    for event in codec.parse(sample_of("fedex-track")):
        assert codec.status_for(event.partner_status) == event.status


@pytest.mark.parametrize(
    ("fmt", "code", "candidates", "status"),
    [
        ("ups-trackalert", "I/OT", ("I/OT", "OT", "I"), "out_for_delivery"),
        ("ups-track", "X/SR", ("X/SR", "SR", "X"), "customs_released"),
        ("ups-track", "D/FS", ("D/FS", "FS", "D"), "delivered"),
        ("shipengine-webhook", "IT/DELIVERED", ("IT/DELIVERED", "DELIVERED", "IT"), "delivered"),
        ("shipengine-tracking", "", ("",), "unknown"),
        ("aftership-webhook", "InTransit_002", ("InTransit_002", "InTransit"), "picked_up"),
        ("aftership-webhook", "InTransit_009", ("InTransit_009", "InTransit"), "in_transit"),
        (
            "easypost-event",
            "in_transit/unknown",
            ("in_transit/unknown", "in_transit"),
            "in_transit",
        ),
        ("fedex-track", "ZZ/RL", ("ZZ/RL", "RL", "ZZ"), "exception"),
        ("dhl-tracking", "teleported", ("teleported",), "unknown"),
    ],
)
def test_status_candidates_and_status_for(fmt, code, candidates, status):
    codec = registry.get(fmt)
    assert codec.status_candidates(code) == candidates
    assert codec.status_for(code) == status
    partner = get_partner(codec.partner)
    assert partner.status_candidates(code) == candidates
    assert partner.status_for(code) == status


def test_labels_come_from_the_tables():
    assert get_partner("shipengine").statuses["SP"].label == "Delivered To Collection Location"
    assert get_partner("ups").statuses["OT"] == StatusEntry("out_for_delivery", "Out for Delivery")
    assert get_partner("dhl").statuses["transit"].label == ""


@needs_samples
@pytest.mark.parametrize(
    ("fmt", "references", "message_id"),
    [
        ("easypost-event", ("1",), "evt_1"),
        ("ups-track", ("1Z1442YY7229014688",), ""),
        ("fedex-track", ("128667043726",), ""),
        ("dhl-tracking", ("7777777770",), ""),
        ("shipengine-tracking", ("1026167028310292",), ""),
    ],
)
def test_identify_published_samples(fmt, references, message_id):
    identity = registry.get(fmt).identify(sample_of(fmt))
    assert isinstance(identity, Identity)
    assert identity.references == references
    assert identity.message_id == message_id
    assert identity.partner_ref == ", ".join(references)


@needs_samples
def test_identify_aftership_webhook_gives_its_event_id():
    tracking = json.loads(sample_of("aftership-tracking"))["data"]["tracking"]
    body = {"event": "tracking_update", "event_id": "e-1", "msg": tracking, "ts": 1}
    identity = registry.get("aftership-webhook").identify(json.dumps(body).encode())
    assert identity.message_id == "e-1"
    assert identity.references == (tracking["tracking_number"],)


def test_identity_partner_ref_is_cut_at_200():
    identity = Identity(tuple(f"{n:030d}" for n in range(10)))
    assert len(identity.partner_ref) == 200
    assert Identity().partner_ref == ""


def test_identify_refuses_bad_input_like_parse():
    for name in registry.available():
        with pytest.raises(ParseError):
            registry.get(name).identify(b"{")


def test_poll_requests():
    assert registry.get("ups-track").poll_request("1Z9") == PollRequest(
        "GET", "/api/track/v1/details/1Z9", {}
    )
    assert registry.get("dhl-tracking").poll_request("777") == (
        "GET",
        "/track/shipments",
        {"params": {"trackingNumber": "777"}},
    )
    assert registry.get("fedex-track").poll_request("123") == (
        "POST",
        "/track/v1/trackingnumbers",
        {
            "json": {
                "includeDetailedScans": True,
                "trackingInfo": [{"trackingNumberInfo": {"trackingNumber": "123"}}],
            }
        },
    )
    assert registry.get("shipbob-webhook").poll_request("WH/OUT/00042") == (
        "GET",
        "/orders/WH%2FOUT%2F00042/shipments",
        {},
    )
    polled = {"ups-track", "dhl-tracking", "fedex-track", "shipbob-webhook"}
    for name in set(registry.available()) - polled:
        assert registry.get(name).poll_request("X") is None


def test_partner_registry():
    assert partner_selection() == [
        ("aftership", "AfterShip"),
        ("dhl", "DHL"),
        ("easypost", "EasyPost"),
        ("eu-vies", "EU VIES"),
        ("fedex", "FedEx"),
        ("shipbob", "ShipBob"),
        ("shipengine", "ShipEngine"),
        ("shiphero", "ShipHero"),
        ("ups", "UPS"),
        ("x12-carrier", "X12 motor carrier"),
    ]
    assert partner_selection("wms") == [("shipbob", "ShipBob"), ("shiphero", "ShipHero")]
    assert partner_selection("tms") == [("x12-carrier", "X12 motor carrier")]
    assert get_partner("x12-carrier").statuses["D1"].status == "delivered"
    assert [partner.code for partner in available_partners("carrier")][:2] == ["aftership", "dhl"]
    ups = get_partner("ups")
    assert (ups.tracking_webhook, ups.tracking_poll) == ("ups-trackalert", "ups-track")
    assert get_partner("easypost").tracking_webhook == "easypost-event"
    assert get_partner("fedex").tracking_poll == "fedex-track"
    assert get_partner("dhl").tracking_poll == "dhl-tracking"
    assert get_partner("aftership").tracking_webhook == "aftership-webhook"
    assert get_partner("shipengine").tracking_webhook == "shipengine-webhook"
    with pytest.raises(LookupError, match="unknown partner 'nope'; known partners: aftership"):
        get_partner("nope")
    with pytest.raises(ValueError, match="kind"):
        Partner("x", "X", "airline")


def test_partner_codecs_exist():
    for partner in available_partners():
        for name in (partner.tracking_webhook, partner.tracking_poll):
            if name:
                assert registry.get(name).partner == partner.code


def test_signature_schemes_and_personalities_register_on_import():
    codes = [code for code, _label in scheme_selection()]
    assert {"easypost-hmac", "aftership-hmac"} <= set(codes)
    assert get_partner("easypost").signature_scheme == "easypost-hmac"
    assert get_partner("aftership").signature_scheme == "aftership-hmac"
    assert get_scheme("easypost-hmac").code == "easypost-hmac"
    assert {"generic", "easypost"} <= set(available_personalities())
    assert get_personality("easypost").__name__ == "EasyPostCarrier"
    with pytest.raises(LookupError, match="known personalities"):
        get_personality("nope")


@pytest.mark.parametrize("fmt", sorted(registry.available()))
@settings(max_examples=40)
@given(data=st.binary(max_size=200))
def test_fuzz_identify(fmt, data):
    try:
        identity = registry.get(fmt).identify(data)
    except ParseError:
        return
    assert isinstance(identity, Identity)
    assert all(isinstance(reference, str) and reference for reference in identity.references)
    assert isinstance(identity.message_id, str)


def test_easypost_sandbox_events_have_unique_ids_across_resets():
    carrier = get_personality("easypost")()
    tracker = {"updated_at": "2024-01-01T00:00:00Z"}
    first = carrier._event(tracker, None, "http://127.0.0.1/x")
    carrier.reset()
    second = carrier._event(tracker, None, "http://127.0.0.1/x")
    assert first["id"].startswith("evt_") and first["id"] != second["id"]


def test_can_poll_names_exactly_the_formats_with_a_poll_request():
    from logistics_adapters import registry

    pollable = {name for name in registry.available() if registry.get(name).can_poll()}
    assert pollable == {"ups-track", "fedex-track", "dhl-tracking", "shipbob-webhook"}
    for name in registry.available():
        codec = registry.get(name)
        assert (codec.poll_request("1Z999") is not None) == codec.can_poll(), name
