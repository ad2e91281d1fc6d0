"""EDIFACT: published samples, envelope checks, release characters, writer, CONTRL, streaming."""

import contextlib
import time
import tracemalloc
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import registry
from logistics_adapters.errors import ParseError
from logistics_adapters.formats import edifact
from logistics_adapters.formats.edi import EnvelopeError, Group
from logistics_adapters.formats.edifact import codes

from .helpers import needs_samples, sample

IFTSTA = "edifact_iftsta_eancom_d96a_transport_status.edi"
CUSCAR = "edifact_cuscar_d03b_cbp_ace_cargo_report.edi"
CONTRL = "edifact_contrl_syntax_ack_edifabric.edi"
WHEN = datetime(2024, 5, 6, 7, 8)
UNH = ["UNH", "1", ["IFTSTA", "D", "96A", "UN"]]
MUTATIONS = [b"", b"'", b"+", b":", b"?", b"\xff", b"UNH", b"UNA:+.? '", b"UNZ+1+1'"]


def single(data, **options):
    """The one interchange of ``data`` and its units."""
    (reading,) = edifact.read(data, **options)
    return reading


def interchange(*body, unz="UNZ+1+1'", una=""):
    """An interchange of the given segments (text, one per argument) between A and B."""
    return (una + "UNB+UNOC:3+A:ZZ+B:ZZ+240506:0708+1'" + "".join(body) + unz).encode()


def message(ref="1", body="BGM+44+95-455+9'", count=3):
    return f"UNH+{ref}+IFTSTA:D:96A:UN'{body}UNT+{count}+{ref}'"


def lines(data):
    """The segments of an interchange (UNA excluded) as texts."""
    text = data.decode("latin-1")
    text = text[9:] if text.startswith("UNA") else text
    return text.split("'")[:-1]


# -- samples -----------------------------------------------------------------------------


@needs_samples
def test_iftsta_sample_reads_with_invalid_date_inside():
    interchange_, units = single(sample(IFTSTA), strict=True)
    assert interchange_.key == ("edifact", "", "SID", "", "RID", "I-EX1/1")
    assert (interchange_.version, interchange_.usage, interchange_.agreement) == (
        "UNOA:2",
        "P",
        "T01",
    )
    assert (interchange_.date, interchange_.time) == ("20130430", "1159")
    (unit,) = units
    assert (unit.kind, unit.version, unit.control_number) == ("IFTSTA", "D:96A:UN", "ME000021")
    assert (unit.segment_count, unit.first_segment, unit.group_control_number) == (34, 2, "")
    assert "DTM+334:20020148:102'" in unit.text
    assert unit.segments[0] == ["UNH", "ME000021", ("IFTSTA", "D", "96A", "UN", "EAN004")]
    assert [g.control_number for g in interchange_.groups] == [""]


@needs_samples
def test_cuscar_sample_has_its_ung_group_and_two_segments_on_one_line():
    interchange_, units = single(sample(CUSCAR), strict=True)
    assert (interchange_.version, interchange_.application_reference) == ("UNOA:4", "ACE")
    assert interchange_.sender == ("ZZ", "LOCK") and interchange_.receiver[1] == "CBP-ACE-TEST"
    (group,) = interchange_.groups
    assert (group.functional_id, group.control_number, group.version) == (
        "CUSCAR",
        "54",
        "D:03B:UN",
    )
    assert (group.sender, group.unit_count) == ("LOCK", 1)
    (unit,) = units
    assert (unit.kind, unit.version, unit.control_number) == ("CUSCAR", "D:03B:UN", "CUSCAR54")
    assert (unit.segment_count, unit.group_control_number, unit.first_segment) == (38, "54", 3)
    assert ["RFF", ("ABO", "ABO04100000")] in unit.segments


@needs_samples
def test_contrl_sample_unob_without_syntax_version():
    interchange_, units = single(sample(CONTRL), strict=True)
    assert (interchange_.syntax, interchange_.syntax_version, interchange_.version) == (
        "UNOB",
        "",
        "UNOB",
    )
    assert (interchange_.usage, interchange_.ack_requested) == ("T", True)
    assert interchange_.sender == ("1", "RECEIVER1")
    assert [(u.control_number, u.kind, u.version) for u in units] == [
        ("2", "CONTRL", "4:1:UN"),
        ("3", "CONTRL", "4:1:UN"),
    ]


@needs_samples
def test_reading_the_sample_contrl():
    first, second = edifact.read_acknowledgements(sample(CONTRL))
    assert (first.contrl_reference, second.contrl_reference) == ("2", "3")
    assert first.interchange_reference == "131"
    assert (first.sender, first.receiver) == (("14", "SENDER1"), ("1", "RECEIVER1"))
    assert (first.action, first.status, first.action_text) == (
        "8",
        "received",
        "interchange received",
    )
    assert first.errors == [] and first.messages == []


@needs_samples
@pytest.mark.parametrize("name", [IFTSTA, CUSCAR, CONTRL])
def test_codec_describes_each_sample(name):
    codec = registry.get("edifact")
    (described,) = codec.parse(sample(name))
    assert described["standard"] == "edifact" and described["discrepancies"] == []
    assert described["message_count"] == len(described["messages"]) > 0
    identity = codec.identify(sample(name))
    assert identity.message_id.startswith("edifact:")
    assert identity.message_id.endswith(":" + described["control_reference"])


@needs_samples
def test_codec_details():
    codec = edifact.EdifactCodec()
    (cuscar,) = codec.parse(sample(CUSCAR))
    assert cuscar["group_count"] == 1 and cuscar["groups"][0]["functional_id"] == "CUSCAR"
    assert cuscar["messages"][0]["group_reference"] == "54"
    (iftsta,) = codec.parse(sample(IFTSTA))
    assert iftsta["messages"][0]["association"] == "EAN004"
    (contrl,) = codec.parse(sample(CONTRL))
    assert contrl["messages"][1]["acknowledgement"]["status"] == "received"
    assert codec.identify(sample(IFTSTA)).message_id == "edifact::SID::RID:I-EX1/1"


# -- envelope checks ---------------------------------------------------------------------


BROKEN = interchange(message(count=4), "UNH+2+IFTSTA:D:96A:UN'BGM+1'UNT+3+X'", unz="UNZ+3+9'")


def test_lenient_records_every_discrepancy():
    interchange_, units = single(BROKEN)
    assert [d.element for d in units[0].discrepancies] == ["UNT01"]
    assert (units[0].discrepancies[0].expected, units[0].discrepancies[0].found) == ("3", "4")
    assert [d.element for d in units[1].discrepancies] == ["UNT02"]
    assert [(d.element, d.found) for d in interchange_.discrepancies] == [
        ("UNZ01", "3"),
        ("UNZ02", "9"),
    ]
    assert interchange_.discrepancies[1].position == 8


def test_strict_raises_the_first_discrepancy():
    with pytest.raises(EnvelopeError) as caught:
        edifact.read(BROKEN, strict=True)
    assert caught.value.discrepancy.element == "UNT01"
    assert isinstance(caught.value, ParseError)


def test_missing_trailers_and_stray_segments():
    data = interchange("UNG+IFTSTA+A+B+240506:0708+7+UN+D:96A'", "FTX+X'", message()[:-8], unz="")
    interchange_, (unit,) = single(data)
    assert [(d.segment, d.found) for d in unit.discrepancies] == [("UNT", "end of data")]
    assert [(d.segment, d.element) for d in interchange_.all_discrepancies] == [
        ("FTX", "FTX"),
        ("UNZ", "UNZ"),
        ("UNE", "UNE"),
    ]


def test_une_checks_and_zero_padded_counts():
    group = "UNG+IFTSTA+A+B+240506:0708+7+UN+D:96A'"
    data = interchange(group, message(count="003"), "UNE+2+8'", unz="UNZ+00001+1'")
    interchange_, _units = single(data)
    assert [(d.element, d.expected) for d in interchange_.groups[0].discrepancies] == [
        ("UNE01", "1"),
        ("UNE02", "7"),
    ]
    assert interchange_.discrepancies == []


def test_several_interchanges_each_with_its_una_and_newlines():
    first = interchange(message(), una="UNA|*.#~!").decode()
    first = first.replace("'", "!").replace("+", "*").replace(":", "|")
    second = interchange(message("7")).decode().replace("'", "'\r\n")
    readings = edifact.read((first + "\n" + second).encode())
    assert [r.interchange.delimiters.terminator for r in readings] == ["!", "'"]
    assert [r.units[0].control_number for r in readings] == ["1", "7"]
    assert readings[0].units[0].text.startswith("UNA|*.#~!UNH*1*IFTSTA|D")
    assert edifact.segments_of(readings[0].units[0].text)[1].value(2) == "95-455"


def test_unb_without_unz_before_the_next_unb():
    data = interchange(message(), unz="") + interchange(message())
    first, second = edifact.read(data)
    assert [d.segment for d in first.interchange.discrepancies] == ["UNZ"]
    assert second.interchange.discrepancies == []


def test_level_a_repertoire_is_checked_on_read():
    _interchange, (unit,) = single(
        interchange(message(body="FTX+AAA+++lower'")).replace(b"UNOC", b"UNOA")
    )
    (discrepancy,) = unit.discrepancies
    assert (discrepancy.element, discrepancy.found, discrepancy.position) == ("FTX04", "l", 3)


# -- release character and tokenizer -----------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [("a?'b", "a'b"), ("a?+b", "a+b"), ("a?:b", "a:b"), ("a??", "a?"), ("???'", "?'")],
)
def test_release_character(written, value):
    _interchange, (unit,) = single(interchange(message(body=f"FTX+{written}+X'")))
    assert unit.segments[1] == ["FTX", value, "X"]


def test_chunked_input_reads_the_same():
    data = interchange(message(body="FTX+a?'b??'"), message("2"), unz="UNZ+2+1'")
    whole = single(data).units
    assert single([data[i : i + 1] for i in range(len(data))]).units == whole


@pytest.mark.parametrize(
    "data",
    [b"", b"   \r\n", b"UNH+1+X'", b"UNB+UNOA:4+A+B+1+1", b"UNA:::::'", b"unb+x'", b"UNA:+"],
)
def test_bad_inputs_raise_parse_errors(data):
    with pytest.raises(ParseError):
        edifact.read(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_random_bytes(data):
    assert_only_parse_errors(data)


def assert_only_parse_errors(data, strict=False):
    """Every entry point on ``data`` returns or raises a ParseError, nothing else."""
    codec = edifact.EdifactCodec()
    calls = (
        lambda: edifact.read(data, strict=strict),
        lambda: codec.parse(data),
        lambda: codec.identify(data),
        lambda: edifact.read_acknowledgements(data),
        lambda: edifact.acknowledge(data, control_reference="1", when=WHEN, strict=strict),
    )
    for call in calls:
        with contextlib.suppress(ParseError):
            call()


@needs_samples
@settings(max_examples=300, deadline=None)
@given(st.sampled_from([IFTSTA, CUSCAR, CONTRL]), st.data())
def test_fuzz_mutated_samples(name, data):
    raw = bytearray(sample(name))
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(raw) - 1))
        raw[index : index + 1] = data.draw(st.sampled_from(MUTATIONS))
    for strict in (False, True):
        assert_only_parse_errors(bytes(raw), strict=strict)


# -- writer ------------------------------------------------------------------------------


def render(messages, **options):
    options = {
        "sender": ("ZZ", "ME"),
        "receiver": ("14", "YOU"),
        "control_reference": "42",
    } | options
    return edifact.render(messages, when=WHEN, **options)


def test_render_syntax_4_with_group():
    group = Group("IFTSTA", "ME", "YOU", "7", "D:96A:UN")
    data = render([[UNH, ["BGM", "44", "1", "9"]]] * 2, group=group, test=True, ack_requested=True)
    assert lines(data) == [
        "UNB+UNOC:4+ME:ZZ+YOU:14+20240506:0708+42++++1++1",
        "UNG+IFTSTA+ME+YOU+20240506:0708+7+UN+D:96A",
        "UNH+1+IFTSTA:D:96A:UN",
        "BGM+44+1+9",
        "UNT+3+1",
        "UNH+1+IFTSTA:D:96A:UN",
        "BGM+44+1+9",
        "UNT+3+1",
        "UNE+2+7",
        "UNZ+1+42",
    ]
    assert data.startswith(b"UNA:+.?*'")
    interchange_, _units = single(data, strict=True)
    assert (interchange_.usage, interchange_.ack_requested) == ("T", True)


def test_render_syntax_3_dates_and_escapes():
    data = render([[UNH, ["FTX", "A+B", ["C:D", "E'F?"], "*"]]], syntax="UNOA", syntax_version=3)
    assert lines(data)[0] == "UNB+UNOA:3+ME:ZZ+YOU:14+240506:0708+42"
    assert data.startswith(b"UNA:+.? '") and b"FTX+A?+B+C?:D:E?'F??+*'" in data


@pytest.mark.parametrize(("syntax", "value"), [("UNOA", "lower"), ("UNOB", "é"), ("UNOC", "€")])
def test_render_refuses_characters_outside_the_repertoire(syntax, value):
    with pytest.raises(edifact.RepertoireError, match=f"outside the {syntax} repertoire") as caught:
        render([[UNH, ["FTX", "AAA", ["X", value]]]], syntax=syntax)
    assert (caught.value.segment, caught.value.element, caught.value.component) == ("FTX", 2, 2)


def test_render_refuses_malformed_messages():
    for bad in ([["BGM", "1"]], [UNH, ["UNT", "2", "1"]], [UNH, ["bgm"]], [UNH, ["BGM", 1.5]]):
        with pytest.raises(ValueError):
            render([bad])


VALUES = st.text(st.characters(codec="latin-1", categories=("L", "N", "P", "S", "Zs")), max_size=8)
ELEMENTS = st.one_of(VALUES, st.lists(VALUES, min_size=1, max_size=4))
SEGMENTS = st.lists(
    st.tuples(st.from_regex(r"[A-Z][A-Z0-9]{2}", fullmatch=True), st.lists(ELEMENTS, max_size=5)),
    max_size=5,
)


def normalized(element):
    """An element as the reader gives it back: trailing empty components dropped."""
    components = list(element) if isinstance(element, list) else [element]
    while len(components) > 1 and components[-1] == "":
        components.pop()
    return components[0] if len(components) == 1 else tuple(components)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(SEGMENTS, min_size=1, max_size=3),
    st.sampled_from([3, 4]),
    st.sampled_from([None, edifact.Delimiters("|", "*", ",", "#", " ", "!")]),
)
def test_round_trip(messages, version, delimiters):
    bodies = [[[tag, *elements] for tag, elements in body if tag[:2] != "UN"] for body in messages]
    data = render([[UNH, *body] for body in bodies], syntax_version=version, delimiters=delimiters)
    _interchange, units = single(data, strict=True)
    for body, unit in zip(bodies, units, strict=True):
        for written, read in zip(body, unit.segments[1:-1], strict=True):
            expected = [written[0], *map(normalized, written[1:])]
            while len(expected) > 1 and expected[-1] == "":
                expected.pop()
            assert read == expected


# -- CONTRL ------------------------------------------------------------------------------


def test_acknowledge_a_good_interchange():
    data = interchange(message(), message("2"), unz="UNZ+2+1'")
    assert lines(edifact.acknowledge(data, control_reference="9", when=WHEN)) == [
        "UNB+UNOC:3+B:ZZ+A:ZZ+240506:0708+9",
        "UNH+1+CONTRL:2:2:UN",
        "UCI+1+A:ZZ+B:ZZ+7",
        "UCM+1+IFTSTA:D:96A:UN+7",
        "UCM+2+IFTSTA:D:96A:UN+7",
        "UNT+5+1",
        "UNZ+1+9",
    ]


def test_acknowledge_broken_counts_lenient_and_strict():
    lenient = lines(edifact.acknowledge(BROKEN, control_reference="9", when=WHEN))
    assert lenient[2:6] == [
        "UCI+1+A:ZZ+B:ZZ+7+29+UNZ+1",
        "UCM+1+IFTSTA:D:96A:UN+7+29+UNT+1",
        "UCM+2+IFTSTA:D:96A:UN+7+28+UNT+2",
        "UNT+5+1",
    ]
    strict = lines(edifact.acknowledge(BROKEN, control_reference="9", when=WHEN, strict=True))
    assert strict[2:4] == ["UCI+1+A:ZZ+B:ZZ+4+29+UNZ+1", "UNT+3+1"]


def test_acknowledge_rejects_one_message_and_reports_segments():
    data = interchange(message(count=4), message("2", "FTX+AAA+++\x01'"), unz="UNZ+2+1'")
    strict = lines(
        edifact.acknowledge(data.replace(b"UNOC", b"UNOA"), control_reference="9", strict=True)
    )
    assert strict[2:7] == [
        "UCI+1+A:ZZ+B:ZZ+7",
        "UCM+1+IFTSTA:D:96A:UN+4+29+UNT+1",
        "UCM+2+IFTSTA:D:96A:UN+4",
        "UCS+2",
        "UCD+21+4",
    ]
    (ack,) = edifact.read_acknowledgements(
        edifact.acknowledge(data, control_reference="9", strict=True)
    )
    assert [m.status for m in ack.messages] == ["rejected", "acknowledged"]
    assert ack.messages[0].errors[0].text == codes.SYNTAX_ERRORS["29"]


def test_acknowledge_groups_received_only_and_unreadable():
    group = "UNG+IFTSTA+A+B+240506:0708+7+UN+D:96A'"
    data = interchange(group, message(), "UNE+1+7'")
    assert lines(edifact.acknowledge(data, control_reference="9", when=WHEN))[2:5] == [
        "UCI+1+A:ZZ+B:ZZ+7",
        "UCF+7+A+B+7",
        "UCM+1+IFTSTA:D:96A:UN+7",
    ]
    received = edifact.acknowledge(data, received_only=True, when=WHEN)
    assert lines(received)[0] == "UNB+UNOC:3+B:ZZ+A:ZZ+240506:0708+240506070800"
    assert lines(received)[2] == "UCI+1+A:ZZ+B:ZZ+8"
    truncated = edifact.acknowledge(data[:-4], control_reference="9", sender=("1", "US"))
    assert lines(truncated)[0].startswith("UNB+UNOC:3+US:1+A:ZZ")
    assert lines(truncated)[2] == "UCI+1+A:ZZ+B:ZZ+4+18"


@needs_samples
def test_acknowledge_samples_round_trip_through_the_contrl_reader():
    for name, version in ((IFTSTA, "CONTRL:2:2:UN"), (CUSCAR, "CONTRL:4:1:UN")):
        answer = edifact.acknowledge(sample(name), control_reference="9", when=WHEN)
        assert lines(answer)[1] == f"UNH+1+{version}"
        (ack,) = edifact.read_acknowledgements(answer)
        assert ack.status == "acknowledged" and [m.status for m in ack.messages] == ["acknowledged"]
    assert (
        edifact.read_acknowledgements(edifact.acknowledge(sample(CUSCAR), control_reference="9"))[0]
        .groups[0]
        .reference
        == "54"
    )


def test_code_tables_in_words():
    assert codes.describe_action("4") == "this level and all lower levels rejected"
    assert codes.describe_error("16") == "too many constituents"
    assert codes.describe_error("999") == "unknown syntax error code '999'"


# -- streaming ---------------------------------------------------------------------------


def big_interchange(count):
    body = "".join(
        message(str(n), "BGM+44+95-455+9'DTM+137:20020204:102'STS+1+21'", 5) for n in range(count)
    )
    return interchange(body, unz=f"UNZ+{count}+1'")


def test_streams_ten_thousand_messages_quickly():
    data = big_interchange(10_000)
    start = time.perf_counter()
    reader = edifact.EdifactReader(data, strict=True)
    count = sum(1 for _unit in reader)
    elapsed = time.perf_counter() - start
    assert count == 10_000 and reader.current is None
    assert count / elapsed >= 2_000


def test_memory_does_not_grow_with_the_number_of_messages():
    def peak(count):
        data = big_interchange(count)
        chunks = (data[i : i + 4096] for i in range(0, len(data), 4096))
        tracemalloc.start()
        for _unit in edifact.EdifactReader(chunks):
            pass
        result = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return result

    small, large = peak(1_000), peak(10_000)
    assert large < small * 2 + 100_000
