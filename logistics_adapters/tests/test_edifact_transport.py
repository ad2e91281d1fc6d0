"""EDIFACT transport messages: the published IFTSTA sample, IFTMIN out and back, fuzz, CLI."""

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import cli, registry
from logistics_adapters.errors import ParseError
from logistics_adapters.formats.edifact import iftmin
from logistics_adapters.formats.edifact.transport import number_text, read_dtm, segments_of

from . import strategies
from .helpers import SAMPLES, needs_samples, parse_or_refuse, sample

IFTSTA = "edifact_iftsta_eancom_d96a_transport_status.edi"
NOTE = "invalid date '20020148' in DTM+334"


def iftsta_message(body, ref="M1"):
    """One IFTSTA message's text (UNH ... UNT) around ``body`` segments."""
    segments = ["BGM+44+R-1+9'", "DTM+137:20240506:102'", *body]
    return f"UNH+{ref}+IFTSTA:D:96A:UN'" + "".join(segments) + f"UNT+{len(segments) + 2}+{ref}'"


def interchange(*messages):
    return ("UNB+UNOC:3+A:ZZ+B:ZZ+240506:0708+9'" + "".join(messages) + "UNZ+1+9'").encode()


# -- IFTSTA: the published sample -----------------------------------------------------------


@needs_samples
def test_iftsta_sample_gives_the_four_consignments():
    milestones = registry.get("edifact-iftsta").parse(sample(IFTSTA))
    summary = [
        (m.reference, m.status, m.partner_status, m.reason_code, m.tracking_number)
        for m in milestones
    ]
    assert summary == [
        ("4215A", "delivered", "21", "", ""),
        ("5122C", "in_transit", "31", "", ""),
        ("5145E", "customs_hold", "17", "39", ""),
        ("7655S", "exception", "49", "", "354107380000001068"),
        ("7655S", "delivered", "21", "", "354107380000001051"),
        ("7655S", "delivered", "21", "", "354123451234567892"),
    ]
    delivered, en_route, held, lost = milestones[:4]
    assert delivered.occurred_at == datetime(2002, 2, 1, 14, 50)
    assert not delivered.time_zone_known
    assert delivered.references == {"DQ": "5/2334"}
    assert delivered.partner_status_text == "Delivered"
    assert delivered.partner_event_id == "95-455/1/1"
    # No DTM+334 (DTM+40E is the next report's date): dated by the report, DTM+137.
    assert en_route.occurred_at == datetime(2002, 2, 4)
    assert held.location == "H.MCUSTOMS AND EXCISE LONDON HEATHROW AIRPORT"
    assert held.occurred_at == datetime(2002, 1, 15)
    assert held.partner_status_text == "Refused by customs; Export restrictions"
    assert lost.partner_event_id == "95-455/4/1/354107380000001068"


@needs_samples
def test_iftsta_invalid_date_keeps_the_event_undated_with_a_note():
    packages = registry.get("edifact-iftsta").parse(sample(IFTSTA))[3:]
    assert [m.occurred_at for m in packages] == [None, None, None]
    assert packages[0].partner_status_text == f"Lost; {NOTE}"
    assert packages[1].partner_status_text == f"Delivered; {NOTE}"


@needs_samples
def test_iftsta_identify_and_status_table():
    codec = registry.get("edifact-iftsta")
    identity = codec.identify(sample(IFTSTA))
    assert identity.references == ("4215A", "5122C", "5145E", "7655S")
    assert identity.message_id == "95-455"
    assert codec.partner == "" and codec.statuses["21"] == ("delivered", "Delivered")
    assert codec.status_for("17") == "customs_hold"
    assert codec.status_for("99") == "unknown"
    assert {entry.status for entry in codec.statuses.values()} <= c.STATUS_CODES


def test_iftsta_several_messages_bare_text_and_reasons():
    first = iftsta_message(
        [
            "NAD+CA+CARRIER1'",
            "CNI+1+C1'",
            "LOC+5+DEHAM:139:6:Hamburg'",
            "STS+1+13'",
            "DTM+334:202405060930?+0200:205'",
            "RFF+BM:BL-1'",
            "RFF+BM:BL-2'",
            "STS+1+54+231'",
            "DTM+334:20240507120015:204'",
            "CNI+2+C2'",
            "STS+1+77'",
        ]
    )
    second = iftsta_message(["CNI+1+C3'", "STS+1+21'"], ref="M2")
    codec = registry.get("edifact-iftsta")
    milestones = codec.parse(interchange(first, second))
    assert [(m.reference, m.status) for m in milestones] == [
        ("C1", "picked_up"),
        ("C1", "exception"),
        ("C2", "unknown"),
        ("C3", "delivered"),
    ]
    collected, not_collected, unknown, _delivered = milestones
    assert collected.occurred_at == datetime(2024, 5, 6, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert collected.location == "DEHAM, Hamburg" and collected.carrier == "CARRIER1"
    assert collected.references == {"bill_of_lading": "BL-1", "bill_of_lading_2": "BL-2"}
    assert not_collected.partner_status_text == "Not collected; Payment not received"
    assert not_collected.occurred_at == datetime(2024, 5, 7, 12, 0, 15)
    assert not_collected.location == "DEHAM, Hamburg"  # the consignment's place
    assert (unknown.partner_status, unknown.partner_status_text) == ("77", "")
    # One message's text alone (what the core hands on) reads the same.
    assert codec.parse(first.encode()) == milestones[:3]


def test_iftsta_refuses_what_holds_no_iftsta():
    with pytest.raises(ParseError, match="no IFTSTA message found"):
        registry.get("edifact-iftsta").parse(interchange("UNH+1+IFTMIN:D:96A:UN'UNT+2+1'"))
    with pytest.raises(ParseError):
        registry.get("edifact-iftsta").parse(b"not edifact at all")


@pytest.mark.parametrize(
    ("segment", "moment", "problem"),
    [
        ("DTM+334:20240229:102", datetime(2024, 2, 29), ""),
        ("DTM+334:202402291200:203", datetime(2024, 2, 29, 12), ""),
        (
            "DTM+334:202402291200-0530:205",
            datetime(2024, 2, 29, 12, tzinfo=timezone(-timedelta(hours=5, minutes=30))),
            "",
        ),
        ("DTM+334:20020148:102", None, "invalid date '20020148'"),
        ("DTM+334:2002014:102", None, "date '2002014' is not in format 102"),
        ("DTM+334:20020101:999", None, "date '20020101' is not in format 999"),
        ("DTM+334:202402291200?+2400:205", None, "invalid offset in '202402291200+2400'"),
    ],
)
def test_dtm_formats(segment, moment, problem):
    (dated,) = [read_dtm(s) for s in segments_of(segment + "'")]
    assert (dated.moment, dated.problem) == (moment, problem)


# -- IFTMIN ----------------------------------------------------------------------------------

ORDER = c.TransportOrder(
    "TO-1",
    partner_reference="CR9",
    purpose="change",
    carrier="SCAC",
    service_level="27",
    mode="3",
    equipment="45G1",
    payment_method="P",
    weight_kg=1250.5,
    volume_m3=3.2,
    pieces=12,
    estimated_cost=Decimal("1500.00"),
    currency="EUR",
    references={"bill_of_lading": "BL1", "DQ": "X"},
    stops=[
        c.Stop(
            1,
            "pickup",
            c.Address(name="Acme", street="1 Rue: A+B", city="Lyon", country="FR", phone="+33 1"),
            earliest=datetime(2024, 5, 6, 8, 0),
            latest=datetime(2024, 5, 6, 12, 0, tzinfo=timezone(timedelta(hours=2))),
            reference="PU1",
            instructions="Dock 4",
            location_id="5412345000013",
        ),
        c.Stop(2, "delivery", c.Address(name="Bob GmbH", city="Köln", country="DE")),
    ],
    goods=[
        c.Goods(
            "Widgets",
            reference="L1",
            purchase_order="PO7",
            weight_kg=100.0,
            pieces=4,
            packaging="PX",
            hazardous=True,
            un_number="1993",
            stop_sequence=2,
        )
    ],
    parties={"shipper": c.Address(name="Acme"), "bill_to": c.Address(email="a@b.c")},
    notes="Handle with care",
)
ORDER_SEGMENTS = (
    "UNH+1+IFTMIN:D:96A:UN'BGM+610+TO-1+5'TSR+27'FTX+AAI+++Handle with care'"
    "FTX+DEL++1+Dock 4'CNT+7:1250.5:KGM'CNT+11:12'CNT+15:3.2:MTQ'MOA+64:1500:EUR'CPI+++P'"
    "RFF+CN:CR9'RFF+BM:BL1'RFF+DQ:X'TDT+20++3++SCAC'EQD+CN++45G1'NAD+CA+SCAC'"
    "NAD+CZ+++Acme'NAD+FP'CTA+IC'COM+a@b.c:EM'"
    "NAD+PW+5412345000013++Acme+1 Rue?: A?+B+Lyon+++FR'CTA+IC'COM+?+33 1:TE'"
    "RFF+ZZZ:PU1:1'DTM+234:202405060800:203'DTM+235:202405061200?+0200:205'"
    "NAD+DP+++Bob GmbH++Köln+++DE'RFF+ZZZ::2'"
    "GID+1+4:PX'FTX+AAA+++Widgets'MEA+WT+G+KGM:100'DGS+++1993'RFF+ZZZ:L1:2'RFF+ON:PO7'"
    "UNT+35+1'"
)


def test_iftmin_render_writes_the_profile_and_reads_it_back():
    data = registry.get("edifact-iftmin").render([ORDER])
    text = data.decode("latin-1")
    assert text.startswith("UNA:+.? 'UNB+UNOC:3+SENDER:ZZZ+RECEIVER:ZZZ+")
    assert ORDER_SEGMENTS in text
    assert text.endswith("UNZ+1+1'")
    assert registry.get("edifact-iftmin").parse(data) == [ORDER]
    assert registry.get("edifact-iftmin").identify(data).references == ("TO-1",)


def test_iftmin_falls_back_to_unoy_and_refuses_what_it_cannot_name():
    order = c.TransportOrder("東京-1")
    data = registry.get("edifact-iftmin").render([order])
    assert data.startswith(b"UNA:+.?*'UNB+UNOY:4")
    assert registry.get("edifact-iftmin").parse(data) == [order]
    with pytest.raises(ValueError, match="not an RFF qualifier"):
        iftmin.documents([c.TransportOrder("X", references={"customer_po": "1"})])
    with pytest.raises(ValueError, match="not a NAD party qualifier"):
        iftmin.documents([c.TransportOrder("X", parties={"warehouse": c.Address()})])
    with pytest.raises(ValueError, match="not TrackingEvent"):
        iftmin.documents([c.TrackingEvent("1Z", "delivered")])
    with pytest.raises(ValueError, match="nan"):
        iftmin.documents([c.TransportOrder("X", weight_kg=float("nan"))])


@pytest.mark.parametrize(
    ("segment", "message"),
    [
        ("BGM+610+X+4'", "message function '4' is not 9, 5 or 1"),
        ("BGM+610++9'", "instruction number"),
        ("BGM+610+X+9'CNT+7:12kg:KGM'", "CNT\\+7 gross weight: '12kg' is not a number"),
        ("BGM+610+X+9'CNT+11:1.5'", "CNT\\+11 packages"),
        ("BGM+610+X+9'MOA+64:Infinity:EUR'", "MOA\\+64"),
        ("BGM+610+X+9'NAD+PW'DTM+234:20240231:102'", "DTM\\+234: invalid date"),
    ],
)
def test_iftmin_refuses_bad_values_naming_them(segment, message):
    data = interchange(f"UNH+1+IFTMIN:D:96A:UN'{segment}UNT+9+1'")
    with pytest.raises(ParseError, match=message):
        registry.get("edifact-iftmin").parse(data)


def test_number_text():
    assert [number_text(v) for v in (3.0, 12.5, 1e-7, 1e20, Decimal("1E+3"))] == [
        "3",
        "12.5",
        "0.0000001",
        "100000000000000000000",
        "1000",
    ]


_texts = st.text(st.characters(codec="latin-1", exclude_categories=["Cs", "Cc"]), max_size=12)
_codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=3)
_minutes = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)
_moments = (
    st.none()
    | _minutes
    | st.builds(
        lambda moment, minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes))),
        _minutes,
        st.integers(min_value=-23 * 60, max_value=23 * 60),
    )
)
_sizes = st.none() | st.floats(min_value=0, max_value=1e9, allow_nan=False)
_counts = st.none() | st.integers(min_value=0, max_value=10**6)
_addresses = st.builds(
    c.Address,
    **dict.fromkeys(("name", "company", "street", "street2", "city", "state", "zip"), _texts),
    country=st.sampled_from(["", "FR", "DE"]),
    phone=_texts,
    email=_texts,
)
_references = st.dictionaries(
    st.sampled_from(["bill_of_lading", "booking", "customer_reference", "DQ", "AAB", "ZZ"]),
    _texts.filter(bool),
    max_size=3,
)


@st.composite
def _stops(draw):
    sequences = draw(st.lists(st.integers(1, 99), unique=True, max_size=3))
    return [
        c.Stop(
            sequence,
            draw(st.sampled_from(["pickup", "delivery"])),
            draw(_addresses),
            earliest=draw(_moments),
            latest=draw(_moments),
            reference=draw(_texts),
            instructions=draw(_texts),
            location_id=draw(_texts),
            references=draw(_references),
        )
        for sequence in sorted(sequences)
    ]


_goods = st.builds(
    c.Goods,
    description=_texts,
    reference=_texts,
    purchase_order=_texts,
    weight_kg=_sizes,
    volume_m3=_sizes,
    pieces=_counts,
    packaging=_codes | st.just(""),
    hazardous=st.booleans(),
    un_number=_texts,
    stop_sequence=st.none() | st.integers(1, 99),
    references=st.just({}),
).map(lambda goods: goods if goods.hazardous else _unhazardous(goods))


def _unhazardous(goods):
    goods.un_number = ""
    return goods


orders = st.builds(
    c.TransportOrder,
    reference=_texts.filter(bool),
    partner_reference=_texts,
    purpose=st.sampled_from(c.TENDER_PURPOSES),
    carrier=_texts,
    service_level=_texts,
    mode=_texts,
    equipment=_texts,
    payment_method=_texts,
    stops=_stops(),
    weight_kg=_sizes,
    volume_m3=_sizes,
    pieces=_counts,
    estimated_cost=st.none() | strategies.amounts,
    currency=st.sampled_from(["", "EUR"]),
    references=_references,
    goods=st.lists(_goods, max_size=2),
    parties=st.dictionaries(st.sampled_from(["shipper", "consignee", "bill_to", "OB"]), _addresses),
    notes=st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=1200),
)


@settings(max_examples=150)
@given(batch=st.lists(orders, min_size=1, max_size=3))
def test_iftmin_round_trip(batch):
    codec = registry.get("edifact-iftmin")
    assert codec.parse(codec.render(batch)) == batch


# -- fuzz: whatever the bytes, only a ParseError -------------------------------------------------


@pytest.mark.parametrize("fmt", ["edifact-iftsta", "edifact-iftmin"])
@settings(max_examples=80)
@given(data=st.binary(max_size=300))
def test_fuzz_arbitrary_bytes(fmt, data):
    parse_or_refuse(fmt, data)


@needs_samples
@pytest.mark.parametrize("fmt", ["edifact-iftsta", "edifact-iftmin"])
@settings(max_examples=120)
@given(data=st.data())
def test_fuzz_mutated_documents(fmt, data):
    source = sample(IFTSTA) if fmt == "edifact-iftsta" else registry.get(fmt).render([ORDER])
    parse_or_refuse(fmt, data.draw(strategies.mutated_bytes(source)))


# -- command line --------------------------------------------------------------------------------


@needs_samples
def test_cli_parse_iftsta(capsys):
    assert cli.main(["parse", "edifact-iftsta", str(SAMPLES / IFTSTA)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [item["type"] for item in printed] == ["Milestone"] * 6
    assert printed[2]["status"] == "customs_hold"
    assert printed[0]["occurred_at"] == "2002-02-01T14:50:00"


def test_cli_parse_iftmin(tmp_path, capsys):
    path = tmp_path / "iftmin.edi"
    path.write_bytes(registry.get("edifact-iftmin").render([ORDER]))
    assert cli.main(["parse", "edifact-iftmin", str(path)]) == 0
    (printed,) = json.loads(capsys.readouterr().out)
    assert c.from_jsonable(printed) == ORDER
    path.write_bytes(b"UNB+UNOC:3+A+B+240506:0708+1'UNH+1+IFTMIN:D:96A:UN'BGM+610+X+4'")
    assert cli.main(["parse", "edifact-iftmin", str(path)]) == 1
    assert "message function '4'" in capsys.readouterr().err
