"""X12 reader, writer and codec: published samples, envelope checks, streaming, round trips,
fuzzing and the command line."""

import io
import json
import time
import tracemalloc
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_adapters import registry
from logistics_adapters.errors import ParseError
from logistics_adapters.formats import edi, x12

from .helpers import needs_samples, run, sample, sample_names

WHEN = datetime(2025, 1, 2, 3, 4)
CODEC = registry.get("x12")
DELIMITERS = x12.Delimiters()
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
#: Samples whose envelopes hold no discrepancy at all: strict mode reads them.
STRICT_CLEAN = [
    "x12_204_motor_carrier_load_tender_stupidedi.edi",
    "x12_210_freight_invoice_edifabric.edi",
    "x12_214_canadapost_multi_transaction.edi",
    "x12_943_warehouse_stock_transfer_shipment_stupidedi.edi",
    "x12_997_functional_ack_accepted_bots.edi",
    "x12_999_implementation_ack_partial_ik3_ik4.edi",
]


def only(name, strict=False):
    """The one interchange of sample ``name``."""
    (reading,) = x12.read(sample(name), strict=strict)
    return reading


def interchange(sets, *, version="004010", delimiters=DELIMITERS, functional_id="QM"):
    """An interchange of ``sets`` (lists of body segments) written by our writer."""
    group = x12.FunctionalGroup(
        functional_id,
        7,
        [x12.TransactionSet("214", body, number) for number, body in enumerate(sets, 1)],
    )
    envelope = x12.Envelope(("ZZ", "SENDER"), ("ZZ", "RECEIVER"), 42, version=version, when=WHEN)
    return x12.render(envelope, [group], delimiters)


def discrepancies(reading):
    found = list(reading.interchange.all_discrepancies)
    for unit in reading.units:
        found.extend(unit.discrepancies)
    return [(d.element, d.expected, d.found, d.code) for d in found]


# --------------------------------------------------------------------------------------------
# Published samples
# --------------------------------------------------------------------------------------------


@needs_samples
@pytest.mark.parametrize("name", sample_names("x12_*.edi"))
def test_every_sample_reads_leniently(name):
    readings = x12.read(sample(name))
    assert len(readings) == 1
    reading = readings[0]
    assert reading.units
    assert sum(g.unit_count for g in reading.interchange.groups) == len(reading.units)
    for unit in reading.units:
        assert unit.text.count(unit.segments[0][0]) >= 1
        assert unit.segment_count == len(unit.segments)
        assert [unit.segments[0][0], unit.segments[-1][0]] == ["ST", "SE"]


@needs_samples
@pytest.mark.parametrize("name", STRICT_CLEAN)
def test_clean_samples_read_strictly(name):
    reading = only(name, strict=True)
    assert discrepancies(reading) == []


@needs_samples
def test_canada_post_zero_padded_counts_and_newline_terminator():
    reading = only("x12_214_canadapost_multi_transaction.edi", strict=True)
    interchange = reading.interchange
    assert interchange.delimiters.terminator == "\n"
    assert interchange.sender == ("02", "CPC")
    assert interchange.control_number == "000001644"
    assert [g.unit_count for g in interchange.groups] == [19]
    assert [u.control_number for u in reading.units] == [f"{n:09d}" for n in range(1, 20)]
    assert {u.kind for u in reading.units} == {"214"}
    assert reading.units[3].segment_count == 14


@needs_samples
def test_1edisource_214_iea02_differs_from_isa13():
    reading = only("x12_214_multi_lx_at7_1edisource.edi")
    assert discrepancies(reading) == [("IEA02", "000003438", "000002510", "001")]
    assert reading.interchange.version == "00400"
    assert reading.units[0].version == "004010"
    assert reading.units[0].segment_count == 27
    with pytest.raises(edi.EnvelopeError) as caught:
        x12.read(sample("x12_214_multi_lx_at7_1edisource.edi"), strict=True)
    assert caught.value.discrepancy.element == "IEA02"
    assert caught.value.segment == "IEA"
    assert caught.value.position == 31


@needs_samples
def test_ups_210_first_set_has_wrong_segment_count():
    reading = only("x12_210_ups_multi_l1_accessorials.edi")
    assert reading.interchange.delimiters.terminator == "|"
    assert [u.control_number for u in reading.units] == [f"{n:09d}" for n in range(158669, 158674)]
    first = reading.units[0]
    assert [(d.segment, d.element, d.expected, d.found, d.code) for d in first.discrepancies] == [
        ("SE", "SE01", "48", "46", "4")
    ]
    assert all(not u.discrepancies for u in reading.units[1:])
    n9 = next(s for s in first.segments if s[0] == "N9" and len(s) > 7)
    assert n9[7] == ("ZZ", "MX", "ZZ", "031")


@needs_samples
def test_simplot_940_mismatched_ge_and_iea():
    reading = only("x12_940_simplot_warehouse_shipping_order.edi")
    assert sorted(discrepancies(reading)) == [
        ("GE02", "177818711", "940001777", "4"),
        ("IEA02", "398161180", "940001777", "001"),
    ]
    assert reading.interchange.delimiters.terminator == "\r"
    assert reading.interchange.version == "00200"
    assert reading.units[0].kind == "940"


@needs_samples
@pytest.mark.parametrize(
    "name",
    ["x12_214_shipment_status_edifabric.edi", "x12_945_warehouse_shipping_advice_edifabric.edi"],
)
def test_edifabric_ge01_says_two_sets_for_one(name):
    reading = only(name)
    assert discrepancies(reading) == [("GE01", "1", "2", "5")]


@needs_samples
def test_990_non_fixed_width_isa_reads_and_widths_are_flagged():
    reading = only("x12_990_load_tender_responses_accept_decline_counter.edi")
    assert [u.control_number for u in reading.units] == ["10000742", "20000742", "30000742"]
    assert [u.segment_count for u in reading.units] == [7, 5, 8]
    assert reading.interchange.sender == ("ZZ", "ITC-WEBSITENAME")
    assert [d[0] for d in discrepancies(reading)] == ["ISA02", "ISA04", "ISA06", "ISA08"]
    with pytest.raises(edi.EnvelopeError, match="ISA02"):
        x12.read(sample("x12_990_load_tender_responses_accept_decline_counter.edi"), strict=True)


@needs_samples
def test_846_tilde_element_separator_brace_terminator_bom():
    reading = only("x12_846_inventory_advice_tilde_brace_delimiters.edi")
    delimiters = reading.interchange.delimiters
    assert (delimiters.element, delimiters.terminator, delimiters.suffix) == ("~", "}", "\r\n")
    (unit,) = reading.units
    assert (unit.kind, unit.control_number, unit.segment_count) == ("846", "1979", 16)
    assert discrepancies(reading) == [("ISA11", "U", " ", "016")]


@needs_samples
def test_846_fused_segments_are_read_as_published_not_dropped():
    """Decision: the envelope is intact (SE~24 counts the fused file), so the set is read;
    the fused text stays in the segment's elements for the 846 mapping to refuse (a REF has
    at most 4 elements); nothing is dropped."""
    reading = only("x12_846_inventory_advice_star_terminator_malformed.edi")
    assert reading.interchange.delimiters.terminator == "*"
    (unit,) = reading.units
    assert (unit.kind, unit.control_number, unit.segment_count) == ("846", "0008505", 24)
    assert unit.discrepancies == []
    assert ["REF", "ZZ", "ASIAQTY", "17", "403.32", "FT"] in unit.segments
    assert ["QTY", "17", "7280", "FTCTT", "5"] in unit.segments


@needs_samples
def test_846_fused_trailer_is_refused_strictly_and_flagged_leniently():
    data = sample("x12_846_inventory_advice_star_terminator_malformed.edi")
    fused = data.replace(b"FTCTT~5*\r\n    SE~24", b"FTCTT~5SE~24")
    with pytest.raises(edi.EnvelopeError, match="SE missing") as caught:
        list(x12.X12Reader(fused.replace(b"~ ~00401", b"~U~00401"), strict=True))
    assert caught.value.segment == "SE"
    (unit,) = x12.read(fused)[0].units
    assert [(d.element, d.code) for d in unit.discrepancies] == [("SE", "2")]


@needs_samples
def test_999_repetition_separator_from_version_00501():
    reading = only("x12_999_implementation_ack_partial_ik3_ik4.edi", strict=True)
    assert reading.interchange.delimiters.repetition == "^"
    assert reading.units[0].segments[0] == ["ST", "999", "2870001", "005010X231"]


@needs_samples
def test_944_newline_terminator_and_unknown_standards_identifier():
    reading = only("x12_944_warehouse_stock_transfer_receipt_lots.edi")
    assert reading.units[0].segment_count == 21
    assert discrepancies(reading) == [("ISA11", "U", "X", "016")]


# --------------------------------------------------------------------------------------------
# Input forms and structural garbage
# --------------------------------------------------------------------------------------------


def test_several_interchanges_with_their_own_delimiters_bom_and_lower_case():
    first = interchange([[["B10", "1", "2"]]])
    second = interchange([[["LX", "1"]]] * 2, delimiters=x12.Delimiters("|", ":", "^", "'", "\n"))
    data = b"\xef\xbb\xbf \r\n" + first + b"\n\xef\xbb\xbf" + second.lower() + b"\x1a"
    readings = x12.read(data, strict=True)
    assert [len(r.units) for r in readings] == [1, 2]
    assert readings[1].interchange.delimiters.terminator == "'"
    assert readings[1].units[0].segments[1] == ["LX", "1"]
    assert readings[1].interchange.sender == ("zz", "sender")


def test_file_object_chunks_and_text_read_alike():
    data = interchange([[["LX", str(n)]] for n in range(50)])
    expected = [u.segments for u in x12.X12Reader(data)]
    assert [u.segments for u in x12.X12Reader(io.BytesIO(data), chunk_size=7)] == expected
    chunks = (data[i : i + 3] for i in range(0, len(data), 3))
    assert [u.segments for u in x12.X12Reader(chunks)] == expected
    assert [u.segments for u in x12.X12Reader(data.decode())] == expected


def test_non_utf8_bytes_read_as_latin1():
    data = interchange([[["N1", "ST", "Caf\u00e9"]]]).replace("\u00e9".encode(), b"\xe9")
    assert x12.read(data)[0].units[0].segments[1] == ["N1", "ST", "Caf\u00e9"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \r\n", "empty"),
        (b"GS*FA*X~", "expected an ISA segment"),
        (b"ISA*00*  ", "truncated ISA"),
        (b"ISA100*", "invalid element separator"),
        (b"ISA*00*\n*00*" + b"*" * 20, "truncated ISA"),
    ],
)
def test_structural_garbage_raises_parse_error(data, message):
    with pytest.raises(ParseError, match=message):
        x12.read(data)


def test_garbage_after_an_interchange_is_refused_with_its_position():
    data = interchange([[["LX", "1"]]]) + b"garbage"
    with pytest.raises(ParseError, match="expected an ISA segment") as caught:
        x12.read(data)
    assert caught.value.position == len(data) - len(b"garbage")


def test_missing_trailers_and_unexpected_segments():
    text = interchange([[["LX", "1"]], [["LX", "2"]]]).decode()
    text = text.replace("SE*3*0001~", "").replace("GE*2*7~", "").replace("IEA*1*000000042~", "")
    text = text.replace("ST*214*0002~", "N9*X~ST*214*0002~")
    reading = x12.read(text.encode())[0]
    assert [(d.element, d.code) for d in reading.units[0].discrepancies] == [("SE", "2")]
    assert [(d.segment, d.code) for d in reading.interchange.discrepancies] == [("IEA", "023")]
    assert [(d.element, d.code) for d in reading.interchange.groups[0].discrepancies] == [
        ("GE", "3")
    ]
    with pytest.raises(edi.EnvelopeError, match="SE missing"):
        x12.read(text.encode(), strict=True)


def test_segment_between_sets_and_st_outside_a_group_are_flagged():
    text = interchange([[["LX", "1"]]]).decode()
    stray = text.replace("ST*214", "N9*X~ST*214").replace("GE*1*7~", "GE*1*7~ST*214*9~SE*2*9~")
    reading = x12.read(stray.encode())[0]
    assert [(d.segment, d.code) for d in reading.interchange.discrepancies] == [
        ("N9", "024"),
        ("ST", "024"),
    ]
    assert len(reading.units) == 2
    assert len(reading.interchange.groups) == 1


# --------------------------------------------------------------------------------------------
# Writer
# --------------------------------------------------------------------------------------------


def test_writer_renders_padded_isa_and_counts():
    data = interchange([[["B10", "1", ("A", "B")]]], version="005010")
    lines = data.decode().split("~")
    assert lines[0] == (
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *250102*0304*^*"
        "00501*000000042*0*P*>"
    )
    assert len(lines[0]) + 1 == 106
    assert lines[1:] == [
        "GS*QM*SENDER*RECEIVER*20250102*0304*7*X*005010",
        "ST*214*0001",
        "B10*1*A>B",
        "SE*3*0001",
        "GE*1*7",
        "IEA*1*000000042",
        "",
    ]
    assert discrepancies(x12.read(data, strict=True)[0]) == []


def test_writer_uses_u_before_00402():
    data = interchange([[["LX", "1"]]], version="004010")
    assert data.split(b"*")[11] == b"U"
    assert x12.read(data)[0].interchange.delimiters.repetition == ""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([["LX", "1*2"]], "holds the delimiter"),
        ([["LX", ("A", "B>C")]], "holds the delimiter"),
        ([["LX", "a\nb"]], "holds the delimiter"),
        ([["SE", "1"]], "cannot be written inside"),
        ([["LX", 5]], "is not text"),
    ],
)
def test_writer_refuses_what_cannot_be_written(body, message):
    with pytest.raises(ValueError, match=message):
        interchange([body])


def test_writer_refuses_bad_envelope_values():
    group = x12.FunctionalGroup("QM", 1, [])
    with pytest.raises(ValueError, match="longer than 15"):
        x12.render(x12.Envelope(("ZZ", "X" * 16), ("ZZ", "R"), 1), [group])
    with pytest.raises(ValueError, match="control number"):
        x12.render(x12.Envelope(("ZZ", "S"), ("ZZ", "R"), 10**9), [group])
    with pytest.raises(ValueError, match="distinct"):
        x12.render(x12.Envelope(("ZZ", "S"), ("ZZ", "R"), 1), [group], x12.Delimiters("*", "*"))


@st.composite
def delimiter_sets(draw):
    chars = draw(st.permutations(PUNCTUATION).map(lambda p: p[:4]))
    terminator = draw(st.sampled_from([chars[3], "\n", "\r"]))
    suffix = (
        ""
        if terminator == "\n"
        else draw(st.sampled_from(["", "\n"] + ["\r\n"] * (terminator != "\r")))
    )
    return x12.Delimiters(chars[0], chars[1], chars[2], terminator, suffix)


@st.composite
def interchanges(draw):
    delimiters = draw(delimiter_sets())
    reserved = delimiters.reserved | {"\r", "\n"}
    alphabet = st.characters(min_codepoint=32, max_codepoint=0x24F).filter(
        lambda c: c not in reserved
    )
    text = st.text(alphabet, max_size=8)
    element = text | st.lists(text, min_size=2, max_size=3).map(tuple)
    tag = st.from_regex(r"[A-Z][A-Z0-9]{1,2}", fullmatch=True).filter(
        lambda t: t not in {"ISA", "IEA", "GS", "GE", "ST", "SE", "TA1"}
    )
    segment = st.builds(lambda t, rest: [t, *rest], tag, st.lists(element, max_size=5))
    sets = draw(st.lists(st.lists(segment, max_size=6), max_size=4))
    version = draw(st.sampled_from(["004010", "005010", "004030", "003040"]))
    return sets, version, delimiters


@given(interchanges())
def test_round_trip_gives_the_same_sets_back(case):
    sets, version, delimiters = case
    data = interchange(sets, version=version, delimiters=delimiters)
    (reading,) = x12.read(data, strict=True)
    assert [unit.segments[1:-1] for unit in reading.units] == sets
    assert reading.interchange.delimiters.with_repetition(
        version[:5]
    ) == delimiters.with_repetition(version[:5])
    assert reading.interchange.control_number == "000000042"


# --------------------------------------------------------------------------------------------
# Fuzzing: any input raises nothing but ParseError
# --------------------------------------------------------------------------------------------


def _consume(data, strict):
    try:
        x12.read(data, strict=strict)
        CODEC.parse(data)
        CODEC.identify(data)
    except ParseError:
        pass


@given(st.binary(max_size=400), st.booleans())
def test_random_bytes_raise_only_parse_error(data, strict):
    _consume(data, strict)
    _consume(b"ISA" + data, strict)


@needs_samples
@given(
    st.sampled_from(sample_names("x12_*.edi") or ["none"]),
    st.lists(st.tuples(st.integers(0, 2000), st.binary(max_size=4), st.integers(0, 4)), max_size=4),
    st.booleans(),
)
def test_mutated_samples_raise_only_parse_error(name, edits, strict):
    data = bytearray(sample(name)[:2500])
    for offset, insert, remove in edits:
        offset %= len(data) + 1
        data[offset : offset + remove] = insert
    _consume(bytes(data), strict)


# --------------------------------------------------------------------------------------------
# Streaming
# --------------------------------------------------------------------------------------------


def _big(sets):
    body = [["B10", "1Z999", "SHIP"], ["LX", "1"], ["AT7", "X3", "NS", "", "", "20250102", "0930"]]
    return interchange([body] * sets)


def _peak(data):
    tracemalloc.start()
    count = sum(1 for _ in x12.X12Reader(io.BytesIO(data), chunk_size=4096))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return count, peak


def test_ten_thousand_sets_stream_fast_with_flat_memory():
    small, large = _big(1_000), _big(10_000)
    started = time.perf_counter()
    count = sum(1 for _ in x12.X12Reader(io.BytesIO(large)))
    elapsed = time.perf_counter() - started
    assert count == 10_000
    assert count / elapsed > 2_000
    small_count, small_peak = _peak(small)
    large_count, large_peak = _peak(large)
    assert (small_count, large_count) == (1_000, 10_000)
    assert large_peak < small_peak * 2 + 64 * 1024


# --------------------------------------------------------------------------------------------
# Codec and command line
# --------------------------------------------------------------------------------------------


@needs_samples
def test_codec_describes_each_interchange_as_json():
    (described,) = CODEC.parse(sample("x12_210_ups_multi_l1_accessorials.edi"))
    json.dumps(described)
    assert described["key"] == "x12:02:UPSN:ZZ:PHH:000002838"
    assert described["version"] == "00400"
    (group,) = described["groups"]
    assert (group["functional_id"], group["version"], group["set_count"]) == ("IM", "004030", 5)
    assert group["sets"][0]["discrepancies"][0]["element"] == "SE01"
    assert group["sets"][1]["segment_count"] > 0
    assert CODEC.media_type == "application/edi-x12"


@needs_samples
def test_identify_gives_the_interchange_key():
    identity = CODEC.identify(sample("x12_940_simplot_warehouse_shipping_order.edi"))
    assert identity.message_id == "x12:ZZ:UP:ZZ:COMPANY C:398161180"
    assert identity.references == ()


def test_cli_parse_prints_the_description():
    result = run("parse", "x12", "-", stdin=interchange([[["LX", "1"]]]))
    assert result.returncode == 0, result.stderr
    (described,) = json.loads(result.stdout)
    assert described["groups"][0]["sets"][0]["kind"] == "214"


def test_cli_parse_refuses_garbage():
    result = run("parse", "x12", "-", stdin=b"hello")
    assert result.returncode == 1
    assert result.stderr.startswith(b"error: x12: expected an ISA segment")


def test_detect_standard():
    assert edi.detect_standard(b"\xef\xbb\xbf\r\n isa*00") == edi.X12
    assert edi.detect_standard(b"UNA:+.? 'UNB+UNOC") == edi.EDIFACT
    assert edi.detect_standard(b"UNB+UNOC:3") == edi.EDIFACT
    assert edi.detect_standard(b"{}") == ""
