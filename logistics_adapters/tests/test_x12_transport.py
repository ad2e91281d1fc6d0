"""X12 transport sets: the x12-204, x12-990 and x12-214 codecs on the published samples, the
AT7 status table, sets handed on alone, render -> parse round trips, fuzzing, the command line."""

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import ParseError
from logistics_adapters.formats import interchange, x12
from logistics_adapters.formats.x12 import transport
from logistics_adapters.formats.x12.transport import statuses
from logistics_adapters.formats.x12.transport.common import zone_of
from logistics_adapters.formats.x12.transport.shipment_status import describe

from .helpers import (
    SAMPLES,
    assert_cli_parses_sample,
    each_parses_or_refuses,
    needs_samples,
    parsed_unit_by_unit,
    sample,
    write_settings,
    x12_interchange,
)
from .strategies import mutated_bytes

TENDER = registry.get("x12-204")
RESPONSE = registry.get("x12-990")
STATUS = registry.get("x12-214")
CODECS = (TENDER, RESPONSE, STATUS)
SAMPLE_204 = "x12_204_motor_carrier_load_tender_stupidedi.edi"
SAMPLE_990 = "x12_990_load_tender_responses_accept_decline_counter.edi"
CANADA_POST = "x12_214_canadapost_multi_transaction.edi"
ONE_EDI_SOURCE = "x12_214_multi_lx_at7_1edisource.edi"
EDIFABRIC = "x12_214_shipment_status_edifabric.edi"
SAMPLES_BY_CODEC = [
    (TENDER, SAMPLE_204),
    (RESPONSE, SAMPLE_990),
    (STATUS, CANADA_POST),
    (STATUS, ONE_EDI_SOURCE),
    (STATUS, EDIFABRIC),
]
EASTERN_DAYLIGHT = timezone(timedelta(hours=-4))
CENTRAL_DAYLIGHT = timezone(timedelta(hours=-5))


# --------------------------------------------------------------------------------------------
# 204: the stupidedi load tender
# --------------------------------------------------------------------------------------------


@needs_samples
def test_204_tender_header_references_and_deadline():
    (order,) = TENDER.parse(sample(SAMPLE_204))
    assert (order.reference, order.purpose, order.status) == ("12345678", "original", "tendered")
    assert (order.mode, order.equipment, order.payment_method) == ("LT", "TL", "prepaid")
    assert order.references["shipper_id"] == "666555"
    assert order.references["shipper_id_2"] == "888777"
    assert order.references["equipment"] == "ZZ"
    assert order.references["FU"] == "354.02"
    assert order.respond_by == datetime(2022, 8, 22, 11, 20, tzinfo=EASTERN_DAYLIGHT)
    assert order.notes == "NOTE1\nNOTE2"
    assert order.weight_kg == pytest.approx(21230.12 * 0.45359237, abs=0.001)
    assert order.estimated_cost == Decimal("2152.67")


@needs_samples
def test_204_tender_has_its_two_stops_with_addresses_and_appointments():
    (order,) = TENDER.parse(sample(SAMPLE_204))
    pickup, delivery = order.stops
    assert (pickup.sequence, pickup.kind, delivery.sequence, delivery.kind) == (
        1,
        "pickup",
        2,
        "delivery",
    )
    assert pickup.address == c.Address(
        name="RECEIVING",
        company="FAKE_BIZ",
        street="700 RODNEY AUSTIN",
        city="ATTALLA",
        state="AL",
        zip="12345",
        country="US",
        phone="256-538-1111",
    )
    assert (pickup.location_id, pickup.pallets, pickup.instructions) == ("A9", 37, "NOTE3\nNOTE4")
    assert pickup.appointment == datetime(2022, 8, 23, 16, 30, tzinfo=CENTRAL_DAYLIGHT)
    assert delivery.address.company == "PUBLIX SUPER MARKETS - CHART"
    assert (delivery.address.city, delivery.address.state) == ("ORLANDO", "FL")
    assert delivery.appointment == datetime(2022, 8, 24, 7, 0, tzinfo=EASTERN_DAYLIGHT)


@needs_samples
def test_204_tender_goods_per_stop_with_purchase_orders_and_weights():
    (order,) = TENDER.parse(sample(SAMPLE_204))
    assert [(g.stop_sequence, g.purchase_order) for g in order.goods] == [
        (1, "9999999-01"),
        (1, "27281628-01"),
        (2, "O2333171-01"),
        (2, "O222227171-01"),
    ]
    first = order.goods[0]
    assert (first.reference, first.nmfc) == ("4728162872", "RBU")
    assert first.weight_kg == pytest.approx(8888.88 * 0.45359237, abs=0.001)
    assert first.references == {"DP": "RBU", "DJ": "237291298-01", "shipper_id": "22982719"}
    stop_weight = sum(g.weight_kg for g in order.goods if g.stop_sequence == 1)
    assert stop_weight == pytest.approx(order.stops[0].weight_kg, abs=0.01)


# --------------------------------------------------------------------------------------------
# 990: accept, decline, counter-offer
# --------------------------------------------------------------------------------------------


@needs_samples
def test_990_accept_decline_and_conditional():
    accepted, declined, conditional = RESPONSE.parse(sample(SAMPLE_990))
    assert [o.status for o in (accepted, declined, conditional)] == [
        "accepted",
        "declined",
        "conditional",
    ]
    assert [o.reference for o in (accepted, declined, conditional)] == [
        "1055337",
        "876818668126-189",
        "2368ADC",
    ]
    # B101 is " SCAC" in the 2nd and 3rd sets, as published.
    assert {o.carrier for o in (accepted, declined, conditional)} == {"SCAC"}
    assert (accepted.partner_reference, accepted.references["CI"]) == ("3216547", "AUGBIX2")
    assert (declined.decline_reason, declined.partner_reference) == ("EQU", "9876541")
    assert conditional.notes == "Will haul for $0.50/mile more"
    assert conditional.decline_reason == accepted.decline_reason == ""


# --------------------------------------------------------------------------------------------
# 214: three published files
# --------------------------------------------------------------------------------------------

CANADA_POST_CITIES = [
    "WRENCH",
    "DRILL",
    "SAW",
    "SWITCH",
    "PAINTBRUSH",
    "PAINTBRUSH",
    "PAINTBRUSH",
    "PAINTBRUSH",
    "LASERLEVEL",
    "LASERLEVEL",
    "LASERLEVEL",
    "LASERLEVEL",
    "NAILGUN",
    "PAINTBRUSH",
    "LASERLEVEL",
    "PAINTBRUSH",
    "SHEETROCK",
    "PVCPIPE",
    "TORCH",
]


@needs_samples
def test_214_canada_post_gives_a_milestone_per_set_with_its_city():
    milestones = STATUS.parse(sample(CANADA_POST))
    assert len(milestones) == 19
    assert [m.location.split(", ")[0] for m in milestones] == CANADA_POST_CITIES
    assert {m.location.split(", ")[2] for m in milestones} == {"CA"}
    assert {m.carrier for m in milestones} == {"CPCC"}
    first = milestones[0]
    # B10 values are right-padded with spaces, as published.
    assert first.reference == first.tracking_number == "4343638097845589"
    assert first.references == {"97": "4343638097845589", "86": "0000"}
    codes = [m.partner_status for m in milestones]
    assert {code: codes.count(code) for code in set(codes)} == {
        "AF": 7,
        "XB": 6,
        "AP": 3,
        "AH": 1,
        "CA": 1,
        "D1": 1,
    }


@needs_samples
def test_214_canada_post_statuses_reasons_and_time_zones():
    by_code = {m.partner_status: m for m in STATUS.parse(sample(CANADA_POST))}
    assert by_code["D1"].status == c.STATUS_DELIVERED
    assert by_code["AF"].status == c.STATUS_PICKED_UP
    assert by_code["AH"].status == by_code["AP"].status == c.STATUS_DELIVERY_FAILED
    assert by_code["CA"].status == c.STATUS_CANCELLED
    assert by_code["CA"].partner_status_text == "Shipment Cancelled: Returned to Shipper"
    assert by_code["AP"].reason_code == "AG"
    assert by_code["D1"].occurred_at == datetime(
        2019, 11, 2, 16, 48, tzinfo=timezone(timedelta(hours=-6))
    )
    # The first set's AT707 is empty: a local time, left naive for the caller.
    first = STATUS.parse(sample(CANADA_POST))[0]
    assert (first.occurred_at, first.time_zone) == (datetime(2019, 11, 3, 15, 34), "")
    assert not first.time_zone_known and by_code["D1"].time_zone_known


@needs_samples
def test_214_1edisource_three_lx_loops_of_six_at7():
    milestones = STATUS.parse(sample(ONE_EDI_SOURCE))
    assert len(milestones) == 18
    assert {(m.reference, m.tracking_number, m.carrier) for m in milestones} == {
        ("99948782", "995551", "XXXX")
    }
    orders = [m.references["delivery_order"] for m in milestones]
    assert orders == ["99997666"] * 6 + ["99990835"] * 6 + ["99991280"] * 6
    assert [m.partner_status for m in milestones[:6]] == [
        "appointment/AA",
        "X3",
        "CP",
        "appointment/AB",
        "X1",
        "D1",
    ]
    assert [m.status for m in milestones[:6]] == [
        c.STATUS_UNKNOWN,
        c.STATUS_LABEL_CREATED,
        c.STATUS_PICKED_UP,
        c.STATUS_UNKNOWN,
        c.STATUS_OUT_FOR_DELIVERY,
        c.STATUS_DELIVERED,
    ]


@needs_samples
def test_214_1edisource_appointments_are_times_to_come_not_events():
    milestones = STATUS.parse(sample(ONE_EDI_SOURCE))
    pacific = timezone(timedelta(hours=-8))
    pickup, delivery = milestones[0], milestones[9]
    assert pickup.occurred_at is None and pickup.reason_code == "NA"
    assert pickup.appointment_at == datetime(2011, 12, 17, 8, 30, tzinfo=pacific)
    assert delivery.partner_status == "appointment/AB"
    assert delivery.appointment_at == datetime(2011, 12, 18, 11, 0, tzinfo=pacific)
    assert milestones[4].partner_status_text == (
        "Arrived at Delivery Location: Customer Requested Future Delivery"
    )
    assert milestones[5].occurred_at == datetime(2011, 12, 22, 7, 45, tzinfo=pacific)


@needs_samples
def test_214_edifabric_position_from_ms1_latitude_longitude():
    (milestone,) = STATUS.parse(sample(EDIFABRIC))
    assert (milestone.partner_status, milestone.status) == ("X3", c.STATUS_LABEL_CREATED)
    assert (milestone.reference, milestone.carrier) == ("123456", "BAWC")
    assert milestone.longitude == pytest.approx(-(91 + 47 / 60 + 26 / 3600), abs=1e-6)
    assert milestone.latitude == pytest.approx(43 + 18 / 60 + 36 / 3600, abs=1e-6)
    # CT is Central Time: daylight saving time on 25 September 1997.
    assert milestone.occurred_at == datetime(1997, 9, 25, 8, 30, tzinfo=CENTRAL_DAYLIGHT)
    assert milestone.references == {"equipment": "55555555"}


@pytest.mark.parametrize(
    ("ms1", "latitude", "longitude", "location"),
    [
        (["MS1", "TORONTO", "ON", "CA"], None, None, "TORONTO, ON, CA"),
        (["MS1", "", "", "", "-79.3832", "43.6532"], 43.6532, -79.3832, ""),
        (["MS1", "", "", "", "79.3832", "43.6532", "W", "N"], 43.6532, -79.3832, ""),
        (["MS1", "", "", "", "1511500", "335500", "E", "S"], -33.916667, 151.25, ""),
    ],
)
def test_214_ms1_variants(ms1, latitude, longitude, location):
    (milestone,) = STATUS.parse(_one_214([["LX", "1"], _at7("X6"), ms1]))
    assert (milestone.latitude, milestone.longitude, milestone.location) == (
        latitude,
        longitude,
        location,
    )


def _at7(code, when="20250102", clock="0930", zone=""):
    return ["AT7", code, "NS", "", "", when, clock, zone]


def _one_214(body, b10=("PRO1", "SHIP1", "SCAC")):
    """An interchange of one 214 whose body is a B10 and ``body``."""
    transaction_set = x12.TransactionSet("214", [["B10", *b10], *body], 1)
    envelope = x12.Envelope(("ZZ", "S"), ("ZZ", "R"), 1, when=datetime(2025, 1, 2))
    return x12.render(envelope, [x12.FunctionalGroup("QM", 1, [transaction_set])])


def test_214_lx_g62_estimate_and_stop_sequence():
    body = [
        ["LX", "1"],
        _at7("X6", zone="UT"),
        ["L11", "3", "QN"],
        ["L11", "PO-7", "PO"],
        ["G62", "17", "20250103", "", "1400", "UT"],
    ]
    (milestone,) = STATUS.parse(_one_214(body))
    assert milestone.stop_sequence == 3
    assert milestone.references == {"purchase_order": "PO-7"}
    assert milestone.estimated_at == datetime(2025, 1, 3, 14, tzinfo=timezone.utc)
    assert milestone.status == c.STATUS_OUT_FOR_DELIVERY


def test_214_estimate_code_dates_the_estimate_not_the_event():
    (milestone,) = STATUS.parse(_one_214([["LX", "1"], _at7("AG", zone="ES")]))
    assert milestone.occurred_at is None
    assert milestone.estimated_at == datetime(
        2025, 1, 2, 9, 30, tzinfo=timezone(timedelta(hours=-5))
    )
    assert milestone.status == c.STATUS_UNKNOWN


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([["LX", "1"], ["AT7", "X3", "NS"]], "has no date"),
        ([["LX", "1"], _at7("X3", when="20251340")], "is no date"),
        ([["LX", "1"], _at7("X3"), ["MS1", "", "", "", "1819999"]], "no position"),
    ],
)
def test_214_bad_values_are_refused_naming_them(body, message):
    with pytest.raises(ParseError, match=message):
        STATUS.parse(_one_214(body))


# --------------------------------------------------------------------------------------------
# The AT7 status table
# --------------------------------------------------------------------------------------------


def _published_codes(section):
    text = (SAMPLES / "x12_214_at7_status_codes.md").read_text(encoding="utf-8")
    part = text.split(f"## {section}")[1].split("\n## ")[0]
    return dict(re.findall(r"^\| (\w+) \| (.+?) \|$", part, re.MULTILINE)[1:])


@needs_samples
def test_table_holds_every_published_code_with_its_wording():
    published = _published_codes("E1650")
    assert len(published) == 43
    assert {code: statuses.SHIPMENT_STATUSES[code].label for code in published} == published
    assert _published_codes("E1651") == statuses.REASONS
    appointments = _published_codes("E1652")
    assert {f"appointment/{code}": label for code, label in appointments.items()} == {
        code: entry.label for code, entry in statuses.APPOINTMENT_STATUSES.items()
    }


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("X3", c.STATUS_LABEL_CREATED),
        ("XB", c.STATUS_LABEL_CREATED),
        ("AF", c.STATUS_PICKED_UP),
        ("CP", c.STATUS_PICKED_UP),
        ("X4", c.STATUS_IN_TRANSIT),
        ("X1", c.STATUS_OUT_FOR_DELIVERY),
        ("D1", c.STATUS_DELIVERED),
        ("A3", c.STATUS_RETURNED_TO_SENDER),
        ("CA", c.STATUS_CANCELLED),
        ("A9", c.STATUS_EXCEPTION),
        ("SD", c.STATUS_EXCEPTION),
        ("AP", c.STATUS_DELIVERY_FAILED),
        ("PR", c.STATUS_CUSTOMS_HOLD),
        ("AG", c.STATUS_UNKNOWN),
        ("appointment/AB", c.STATUS_UNKNOWN),
        ("Q9", c.STATUS_UNKNOWN),
        ("", c.STATUS_UNKNOWN),
    ],
)
def test_at7_codes_map_to_canonical_statuses(code, status):
    assert STATUS.status_for(code) == status


def test_codec_describes_its_table():
    assert STATUS.statuses is statuses.STATUSES
    assert STATUS.partner == ""
    assert STATUS.status_candidates("X3") == ("X3",)
    codes = {code for code, _label in c.STATUSES}
    assert all(entry.status in codes for entry in statuses.STATUSES.values())


def test_code_outside_the_table_keeps_partner_status_and_is_unknown():
    (milestone,) = STATUS.parse(_one_214([["LX", "1"], _at7("Q9")]))
    assert (milestone.partner_status, milestone.status) == ("Q9", c.STATUS_UNKNOWN)
    assert milestone.partner_status_text == ""


# --------------------------------------------------------------------------------------------
# Identify, the command line, sets handed on alone
# --------------------------------------------------------------------------------------------


@needs_samples
def test_identify_gives_the_shipment_references():
    assert TENDER.identify(sample(SAMPLE_204)).references == ("12345678",)
    assert RESPONSE.identify(sample(SAMPLE_990)).references == (
        "1055337",
        "2368ADC",
        "876818668126-189",
    )
    assert STATUS.identify(sample(ONE_EDI_SOURCE)).references == ("995551", "99948782")
    identity = STATUS.identify(sample(CANADA_POST))
    assert len(identity.references) == 16 and identity.message_id == ""


@needs_samples
@pytest.mark.parametrize(("codec", "name"), SAMPLES_BY_CODEC, ids=lambda v: getattr(v, "name", v))
def test_a_set_handed_on_alone_parses_as_within_its_interchange(codec, name):
    assert parsed_unit_by_unit(codec, sample(name)) == codec.parse(sample(name))


@needs_samples
@pytest.mark.parametrize(("codec", "name"), SAMPLES_BY_CODEC, ids=lambda v: getattr(v, "name", v))
def test_cli_parse_prints_canonical_objects(codec, name):
    assert_cli_parses_sample(codec, name)


@needs_samples
def test_a_codec_refuses_an_interchange_without_its_set():
    with pytest.raises(ParseError, match="no 204 transaction set"):
        TENDER.parse(sample(SAMPLE_990))


def test_codecs_are_registered():
    assert {"x12-204", "x12-990", "x12-214"} <= set(registry.available())
    assert all(codec.can_render() for codec in CODECS)


# --------------------------------------------------------------------------------------------
# Writing: errors, the Odoo side's envelope
# --------------------------------------------------------------------------------------------


def test_render_refuses_what_a_set_cannot_say():
    goods = c.Goods(description="BOXES", stop_sequence=9)
    with pytest.raises(ValueError, match="stop 9"):
        TENDER.render([c.TransportOrder("T1", stops=[c.Stop(1, "pickup")], goods=[goods])])
    with pytest.raises(ValueError, match="no X12 qualifier"):
        TENDER.render([c.TransportOrder("T1", references={"our id": "7"})])
    with pytest.raises(ValueError, match="answers accepted"):
        RESPONSE.render([c.TransportOrder("T1")])
    with pytest.raises(ValueError, match="has no occurred_at"):
        STATUS.render([c.Milestone("T1", c.STATUS_DELIVERED, partner_status="D1")])
    with pytest.raises(ValueError, match="delimiter"):
        TENDER.render([c.TransportOrder("T*1")])


def _settings():
    return write_settings(
        sender=("ZZ", "US"),
        receiver=("02", "SCAC"),
        sender_application="US",
        receiver_application="SCAC",
        usage="P",
        ack_requested=False,
        next_control_number=lambda _level: 5,
    )


def test_documents_written_in_the_odoo_side_envelope_parse_back():
    order = c.TransportOrder(
        "LOAD-1",
        carrier="ABCD",
        stops=[c.Stop(1, "pickup", pallets=3), c.Stop(2, "delivery")],
        goods=[c.Goods(description="PAPER", weight_kg=120.5, pieces=3, stop_sequence=1)],
    )
    rendered = interchange.render(_settings(), "204", TENDER.documents([order]))
    assert rendered.envelope["documents"] == "204 x 1"
    assert b"GS*SM*US*SCAC*" in rendered.payload
    assert TENDER.parse(rendered.payload) == [order]
    answer = c.TransportOrder("LOAD-1", carrier="ABCD", status="declined", decline_reason="EQU")
    payload = interchange.render(_settings(), "990", RESPONSE.documents([answer])).payload
    assert RESPONSE.parse(payload) == [answer]


def test_regional_time_code_follows_daylight_saving():
    winter = STATUS.parse(_one_214([["LX", "1"], _at7("X3", "20250115", zone="ET")]))[0]
    summer = STATUS.parse(_one_214([["LX", "1"], _at7("X3", "20250715", zone="ET")]))[0]
    assert winter.occurred_at.utcoffset() == timedelta(hours=-5)
    assert summer.occurred_at.utcoffset() == timedelta(hours=-4)
    local = STATUS.parse(_one_214([["LX", "1"], _at7("X3", zone="LT")]))[0]
    assert local.occurred_at.tzinfo is None and local.time_zone == "LT"


# --------------------------------------------------------------------------------------------
# Round trips
# --------------------------------------------------------------------------------------------

codes = st.from_regex(r"[A-Z0-9][A-Z0-9-]{0,9}", fullmatch=True)
names = st.from_regex(r"[A-Z][A-Z0-9 .&-]{0,20}[A-Z0-9]", fullmatch=True)
maybe = lambda strategy: st.just("") | strategy  # noqa: E731
words = st.from_regex(r"[A-Za-z0-9$./-]{1,8}", fullmatch=True)
note_line = st.lists(words, min_size=1, max_size=3).map(" ".join)
notes = st.lists(note_line, max_size=3).map("\n".join)
quantities = st.none() | st.decimals(0, 10**6, places=3).map(float)
counts = st.none() | st.integers(0, 10**5)
FIXED_CODES = ["UT", "ES", "CD", "PS", "05", "17"]
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)).map(
    lambda value: value.replace(microsecond=0)
)
times = st.none() | moments | moments.map(lambda value: value.replace(tzinfo=timezone.utc))
references = st.dictionaries(
    st.sampled_from(["bill_of_lading", "purchase_order", "seal", "booking", "DJ"]),
    codes,
    max_size=3,
)
addresses = st.builds(
    c.Address,
    name=maybe(names),
    company=names,
    street=maybe(names),
    street2=maybe(names),
    city=maybe(names),
    state=maybe(st.sampled_from(["AL", "ON", "FL"])),
    zip=maybe(codes),
    country=st.sampled_from(["", "US", "CA", "DE"]),
    phone=maybe(st.from_regex(r"\+?[0-9]{6,12}", fullmatch=True)),
    email=maybe(st.just("ops@example.com")),
)


@st.composite
def stops(draw, sequence):
    address = draw(st.none() | addresses)
    return c.Stop(
        sequence,
        draw(st.sampled_from(c.STOP_KINDS)),
        address=address,
        earliest=draw(times),
        latest=draw(times),
        reference=draw(maybe(codes)),
        instructions=draw(notes),
        appointment=draw(times),
        location_id=draw(maybe(codes)) if address else "",
        weight_kg=draw(quantities),
        volume_m3=draw(quantities),
        pieces=draw(counts),
        pallets=draw(counts),
        references=draw(references),
    )


@st.composite
def goods(draw, sequences):
    hazardous = draw(st.booleans())
    return c.Goods(
        description=draw(maybe(names)),
        reference=draw(maybe(codes)),
        purchase_order=draw(maybe(codes)),
        weight_kg=draw(quantities),
        volume_m3=draw(quantities),
        pieces=draw(counts),
        packaging=draw(st.sampled_from(["", "PLT", "CTN"])),
        freight_class=draw(st.sampled_from(["", "50", "92.5"])),
        nmfc=draw(maybe(codes)),
        hazardous=hazardous,
        un_number=draw(maybe(st.just("UN1203"))) if hazardous else "",
        stop_sequence=draw(st.sampled_from(sequences)),
        references=draw(references),
    )


@st.composite
def tenders(draw):
    sequences = draw(st.lists(st.integers(1, 99), unique=True, max_size=4))
    order_stops = [draw(stops(sequence)) for sequence in sequences]
    lines = draw(st.lists(goods(sequences), max_size=4)) if sequences else []
    return c.TransportOrder(
        draw(codes),
        purpose=draw(st.sampled_from(c.TENDER_PURPOSES)),
        carrier=draw(maybe(st.from_regex(r"[A-Z]{2,4}", fullmatch=True))),
        mode=draw(maybe(st.sampled_from(["LT", "LC"]))),
        equipment=draw(maybe(st.sampled_from(["TL", "TF"]))),
        payment_method=draw(st.sampled_from(["", "prepaid", "collect", "third_party"])),
        stops=order_stops,
        weight_kg=draw(quantities),
        volume_m3=draw(quantities),
        pieces=draw(counts),
        estimated_cost=draw(st.none() | st.decimals(0, 10**7, places=2)),
        references=draw(references),
        goods=[g for s in sequences for g in lines if g.stop_sequence == s],
        parties=draw(
            st.dictionaries(st.sampled_from(["bill_to", "shipper", "consignee", "ZZ"]), addresses)
        ),
        notes=draw(notes),
        respond_by=draw(times),
    )


@settings(max_examples=150)
@given(st.lists(tenders(), min_size=1, max_size=3))
def test_204_render_then_parse_gives_the_orders_back(orders):
    assert TENDER.parse(TENDER.render(orders)) == orders


@st.composite
def responses(draw):
    partner_reference = draw(maybe(codes))
    order_references = draw(references)
    if partner_reference:
        order_references = {"pro": partner_reference, **order_references}
    return c.TransportOrder(
        draw(codes),
        partner_reference=partner_reference,
        status=draw(st.sampled_from(["accepted", "declined", "conditional"])),
        decline_reason=draw(maybe(st.sampled_from(["EQU", "CAP"]))),
        carrier=draw(maybe(st.from_regex(r"[A-Z]{2,4}", fullmatch=True))),
        references=order_references,
        notes=draw(notes),
    )


@given(st.lists(responses(), min_size=1, max_size=3))
def test_990_render_then_parse_gives_the_answers_back(orders):
    assert RESPONSE.parse(RESPONSE.render(orders)) == orders


STATUS_CODES = [*statuses.STATUSES, "Q9"]
positions = st.none() | st.integers(-90 * 3600, 90 * 3600).map(lambda s: round(s / 3600, 6))


@st.composite
def milestones(draw, shipment):
    code = draw(st.sampled_from(STATUS_CODES))
    zone_code = draw(st.sampled_from(["", "LT", *FIXED_CODES]))
    zone = zone_of(zone_code)
    when = moments.map(lambda value: value.replace(tzinfo=zone) if zone else value)
    field = {"appointment_at": None, "estimated_at": None, "occurred_at": None}
    main = _time_field(code)
    for name in field:
        field[name] = draw(when) if name == main else draw(st.none() | when)
    if main != "occurred_at":
        field["occurred_at"] = None
    reason = draw(st.sampled_from(["", "NS", "AG", "ZZ"]))
    reference, tracking, carrier = shipment
    return c.Milestone(
        reference,
        STATUS.status_for(code),
        partner_status=code,
        partner_status_text=describe(code, reason),
        reason_code=reason,
        location=draw(st.sampled_from(["", "WRENCH, ON, CA", "ORLANDO"])),
        stop_sequence=draw(st.none() | st.integers(1, 20)),
        tracking_number=tracking,
        carrier=carrier,
        latitude=draw(positions),
        longitude=draw(positions),
        time_zone=zone_code,
        equipment=draw(maybe(codes)),
        references=draw(references),
        **field,
    )


def _time_field(code):
    if code.startswith(statuses.APPOINTMENT_PREFIX):
        return "appointment_at"
    return "estimated_at" if code in statuses.ESTIMATE_CODES else "occurred_at"


@st.composite
def status_reports(draw):
    shipment_keys = draw(
        st.lists(st.tuples(codes, maybe(codes), maybe(st.just("SCAC"))), min_size=1, max_size=3)
    )
    found = draw(st.lists(st.sampled_from(shipment_keys).flatmap(milestones), min_size=1))
    return [m for group in transport.shipments(found) for m in group]


@settings(max_examples=150)
@given(status_reports())
def test_214_render_then_parse_gives_the_milestones_back(report):
    assert STATUS.parse(STATUS.render(report)) == report


# --------------------------------------------------------------------------------------------
# Fuzzing: any input raises nothing but ParseError
# --------------------------------------------------------------------------------------------


def _consume(data):
    each_parses_or_refuses(CODECS, data, ParseError)


@given(st.binary(max_size=300))
def test_random_bytes_raise_only_parse_error(data):
    _consume(data)
    _consume(b"ISA" + data)


@needs_samples
@given(
    st.sampled_from([name for _codec, name in SAMPLES_BY_CODEC]).flatmap(
        lambda name: mutated_bytes(sample(name)[:3000])
    )
)
def test_mutated_samples_raise_only_parse_error(data):
    _consume(data)


@given(
    st.lists(
        st.sampled_from(
            [
                "S5*x",
                "AT7*X3*NS***2025",
                "MS1****9999999",
                "L3*1e999",
                "OID*1*2**PC*NaN",
                "G62*69*20250230",
                "B1*A*B*C*Q",
                "LX",
            ]
        ),
        max_size=5,
    )
)
def test_bad_values_in_sets_raise_only_parse_error(lines):
    body = "~".join(["B10*1*2*3", "B2**X**1", "B1*X*1*20250101*A", *lines])
    for kind in ("204", "990", "214"):
        _consume(x12_interchange(kind, body))
