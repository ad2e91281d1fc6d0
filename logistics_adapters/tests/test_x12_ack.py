"""X12 acknowledgements: the 997 / 999 / TA1 written for good and broken files, segment by
segment, and the acknowledgements partners send read back in words."""

import hashlib
import io
import sys
import tracemalloc
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_adapters import cli
from logistics_adapters.errors import ParseError
from logistics_adapters.formats import x12

from .helpers import SAMPLES, needs_samples, sample
from .test_x12 import interchange

WHEN = datetime(2025, 1, 2, 3, 4)
ISA_997 = (
    "ISA*00*          *00*          *ZZ*RECEIVER       *ZZ*SENDER         *250102*0304*U*"
    "00401*000000500*0*P*>"
)


def ack(data, **options):
    """The segments of each acknowledgement interchange of ``data``, written with ``~``."""
    options.setdefault("delimiters", x12.Delimiters())
    numbers = x12.sequential_numbers(interchange=500, group=60, set=7)
    answers = x12.acknowledge(data, control_numbers=numbers, when=WHEN, **options)
    return [answer.decode().split("~")[:-1] for answer in answers]


def body(segments):
    """The segments between ST and SE of an acknowledgement."""
    start = next(i for i, s in enumerate(segments) if s.startswith("ST*"))
    end = next(i for i, s in enumerate(segments) if s.startswith("SE*"))
    return segments[start + 1 : end]


def test_clean_004010_group_gets_an_accepting_997():
    (segments,) = ack(interchange([[["LX", "1"]], [["LX", "2"]]]), strict=True)
    assert segments == [
        ISA_997,
        "GS*FA*RECEIVER*SENDER*20250102*0304*60*X*004010",
        "ST*997*0007",
        "AK1*QM*7",
        "AK2*214*0001",
        "AK5*A",
        "AK2*214*0002",
        "AK5*A",
        "AK9*A*2*2*2",
        "SE*8*0007",
        "GE*1*60",
        "IEA*1*000000500",
    ]


def test_005010_group_gets_a_999_with_gs08_in_ak103():
    (segments,) = ack(interchange([[["LX", "1"]]], version="005010"))
    assert segments[0].split("*")[11:13] == ["^", "00501"]
    assert segments[1] == "GS*FA*RECEIVER*SENDER*20250102*0304*60*X*005010X231"
    assert segments[2] == "ST*999*0007*005010X231"
    assert body(segments) == ["AK1*QM*7*005010", "AK2*214*0001", "IK5*A", "AK9*A*1*1*1"]


@needs_samples
def test_wrong_se_count_is_rejected_strictly_and_noted_leniently():
    data = sample("x12_210_ups_multi_l1_accessorials.edi")
    strict = ack(data, strict=True)[0]
    lenient = ack(data)[0]
    assert body(strict)[:3] == ["AK1*IM*2767", "AK2*210*000158669", "AK5*R*4"]
    assert body(strict)[-1] == "AK9*P*5*5*4"
    assert body(lenient)[2] == "AK5*E*4"
    assert body(lenient)[-1] == "AK9*E*5*5*5"


def test_missing_trailer_is_rejected_even_leniently():
    data = interchange([[["LX", "1"]], [["LX", "2"]]]).replace(b"SE*3*0001~", b"")
    assert body(ack(data)[0]) == [
        "AK1*QM*7",
        "AK2*214*0001",
        "AK5*R*2",
        "AK2*214*0002",
        "AK5*A",
        "AK9*P*2*2*1",
    ]


def test_every_set_rejected_rejects_the_group_and_control_mismatch_is_code_3():
    data = interchange([[["LX", "1"]]]).replace(b"SE*3*0001", b"SE*3*0009")
    assert body(ack(data, strict=True)[0])[1:] == ["AK2*214*0001", "AK5*R*3", "AK9*R*1*1*0"]


def test_unsupported_set_kind_is_rejected_with_code_1():
    data = interchange([[["LX", "1"]]])
    assert body(ack(data, supported={"204"})[0])[2:] == ["AK5*R*1", "AK9*R*1*1*0"]


@needs_samples
def test_group_count_mismatch_in_ak9():
    data = sample("x12_945_warehouse_shipping_advice_edifabric.edi")
    assert body(ack(data, strict=True, ta1=False)[0])[-1] == "AK9*R*2*1*1*5"
    assert body(ack(data, ta1=False)[0])[-1] == "AK9*E*2*1*1*5"


@needs_samples
def test_simplot_group_control_mismatch_and_ta1():
    data = sample("x12_940_simplot_warehouse_shipping_order.edi")
    (segments,) = ack(data, ta1=True, strict=True)
    assert segments[1] == "TA1*398161180*111214*1400*R*001"
    assert "AK9*R*1*1*1*4" in segments


@needs_samples
def test_the_answer_keeps_the_partner_delimiters():
    data = sample("x12_940_simplot_warehouse_shipping_order.edi")
    numbers = x12.sequential_numbers()
    (answer,) = x12.acknowledge(data, control_numbers=numbers, when=WHEN)
    assert answer.endswith(b"\r\nIEA*1*000000001\r\n")
    assert b"\r\nAK1*OW*177818711\r\n" in answer


@needs_samples
def test_ta1_follows_isa14_and_reports_iea02():
    data = sample("x12_214_multi_lx_at7_1edisource.edi")
    assert [s for s in ack(data)[0] if s.startswith("TA1")] == []
    assert [s for s in ack(data, ta1=True)[0] if "TA1" in s] == ["TA1*000003438*101127*1719*E*001"]
    requested = sample("x12_210_freight_invoice_edifabric.edi")
    assert ack(requested)[0][1] == "TA1*000000263*071216*1406*A*000"


@needs_samples
def test_acknowledgements_are_not_acknowledged():
    assert ack(sample("x12_997_functional_ack_accepted_bots.edi")) == []
    (only_ta1,) = ack(sample("x12_999_implementation_ack_partial_ik3_ik4.edi"), ta1=True)
    assert [s[:4] for s in only_ta1] == ["ISA*", "TA1*", "IEA*"]


def test_generated_acks_read_back():
    data = interchange([[["LX", "1"]], [["LX", "2"]]]).replace(b"SE*3*0001", b"SE*9*0001")
    answers = x12.acknowledge(data, control_numbers=x12.sequential_numbers(), strict=True, ta1=True)
    (ta1, group) = x12.read_acknowledgements(answers[0])
    assert (ta1.status, ta1.note_code, ta1.control_number) == ("A", "000", "000000042")
    assert (group.ack_kind, group.functional_id, group.control_number) == ("997", "QM", "7")
    assert (group.status, group.included, group.received, group.accepted) == ("P", 2, 2, 1)
    assert group.status_text == "Partially Accepted, At Least One Transaction Set Was Rejected"
    first, second = group.sets
    assert (first.control_number, first.status, first.codes) == ("0001", "R", ("4",))
    assert first.errors == ("Number of Included Segments Does Not Match Actual Count",)
    assert second.accepted and not first.accepted


@needs_samples
def test_reads_the_published_997_with_ak3_ak4():
    (group,) = x12.read_acknowledgements(
        sample("x12_997_functional_ack_rejected_ak3_ak4_edifabric.edi")
    )
    assert (group.functional_id, group.control_number, group.status) == ("IN", "000000001", "R")
    assert (group.included, group.received, group.accepted) == (2, 2, 1)
    accepted, rejected = group.sets
    assert (accepted.kind, accepted.control_number, accepted.status) == ("810", "ST02", "A")
    assert rejected.errors == ("One or More Segments in Error",)
    (segment,) = rejected.segment_errors
    assert (segment.segment_id, segment.position, segment.code) == ("TXI", "54", "8")
    assert segment.text == "Segment Has Data Element Errors"
    (element,) = segment.elements
    assert (element.position, element.reference, element.code, element.bad_value) == (
        "1",
        "963",
        "7",
        "C1",
    )
    assert element.text == "Invalid Code Value"


@needs_samples
def test_reads_the_published_999_partially_accepted():
    (group,) = x12.read_acknowledgements(
        sample("x12_999_implementation_ack_partial_ik3_ik4.edi"), strict=True
    )
    assert (group.ack_kind, group.functional_id, group.version) == ("999", "HC", "004010X098A1")
    assert (group.status, group.included, group.received, group.accepted) == ("P", 3, 3, 1)
    assert [s.control_number for s in group.sets] == ["0001", "002", "0003"]
    assert [s.status for s in group.sets] == ["A", "R", "R"]
    assert group.sets[1].segment_errors[0].elements[0].text == "Required Data Element Missing"
    assert group.sets[2].segment_errors[0].text == "Required Segment Missing"


@needs_samples
def test_reads_the_published_accepted_997():
    (group,) = x12.read_acknowledgements(sample("x12_997_functional_ack_accepted_bots.edi"))
    assert (group.functional_id, group.control_number, group.status) == ("BE", "13360001", "A")
    assert [(s.kind, s.status_text) for s in group.sets] == [("834", "Accepted")]


# --------------------------------------------------------------------------------------------
# Segment and element errors (AK3 / AK4, IK3 / IK4)
# --------------------------------------------------------------------------------------------

#: A set whose third segment (ST is 1) has an ID no X12 segment can have.
BAD_ID = [["LX", "1"], ["1X", "A"], ["LX", "2"]]
#: A set whose N1 holds a control character in N102 and in the second component of N103.
BAD_CHARACTER = [["LX", "1"], ["N1", "ST", "ACME\x01 INC", ("A", "B\x02")]]


def test_bad_segment_id_gets_ak3_code_1():
    data = interchange([BAD_ID])
    assert body(ack(data)[0])[1:] == ["AK2*214*0001", "AK3*1X*3**1", "AK5*E*5", "AK9*E*1*1*1"]
    assert body(ack(data, strict=True)[0])[1:] == [
        "AK2*214*0001",
        "AK3*1X*3**1",
        "AK5*R*5",
        "AK9*R*1*1*0",
    ]


def test_bad_segment_id_in_a_999_gets_ik3():
    data = interchange([BAD_ID, [["LX", "1"]]], version="005010")
    assert body(ack(data, strict=True)[0])[1:] == [
        "AK2*214*0001",
        "IK3*1X*3**1",
        "IK5*R*5",
        "AK2*214*0002",
        "IK5*A",
        "AK9*P*2*2*1",
    ]


def test_control_character_gets_ak3_code_8_and_ak4_code_6():
    data = interchange([BAD_CHARACTER, [["LX", "2"]]])
    expected = ["AK3*N1*3**8", "AK4*2**6*ACME INC", "AK4*3>2**6*B"]
    lenient = body(ack(data)[0])
    assert lenient[1:] == ["AK2*214*0001", *expected, "AK5*E*5", "AK2*214*0002", "AK5*A"] + [
        "AK9*E*2*2*2"
    ]
    strict = body(ack(data, strict=True)[0])
    assert strict[2:6] == [*expected, "AK5*R*5"]
    assert strict[-1] == "AK9*P*2*2*1"
    implementation = body(ack(interchange([BAD_CHARACTER], version="005010"))[0])
    assert implementation[2:] == [
        "IK3*N1*3**8",
        "IK4*2**6*ACME INC",
        "IK4*3>2**6*B",
        "IK5*E*5",
        "AK9*E*1*1*1",
    ]


def test_segment_errors_add_code_5_after_the_envelope_codes():
    data = interchange([BAD_ID]).replace(b"SE*5*0001", b"SE*9*0001")
    assert body(ack(data)[0])[2:4] == ["AK3*1X*3**1", "AK5*E*4*5"]


def test_repetitions_are_positioned_in_the_999_and_a_control_delimiter_is_no_error():
    delimiters = x12.Delimiters(element="*", component="\x1f", repetition="^", terminator="~")
    data = interchange([[["REF", "ZZ", "A@B\x03C@D"]]], version="005010", delimiters=delimiters)
    data = data.replace(b"@", b"^")
    (segments,) = ack(data)
    assert body(segments)[2:4] == ["IK3*REF*2**8", "IK4*2>>2**6*BC"]
    (group,) = x12.read_acknowledgements("~".join(segments).encode() + b"~")
    (element,) = group.sets[0].segment_errors[0].elements
    assert (element.position, element.bad_value) == ("2::2", "BC")
    clean = interchange([[["REF", ("ZZ", "1"), "A@B"]]], version="005010", delimiters=delimiters)
    clean = clean.replace(b"@", b"^")
    assert body(ack(clean)[0])[2] == "IK5*A"


def test_the_copy_drops_what_the_answer_cannot_carry():
    delimiters = x12.Delimiters(element="|", component=":", terminator="'")
    data = interchange([[["N1", "ST", "A*B~C>D\x00^"]]], delimiters=delimiters)
    assert body(ack(data)[0])[2:4] == ["AK3*N1*2**8", "AK4*2**6*ABCD^"]
    only_bad = interchange([[["N1", "ST", "\x00\x01"]]])
    assert body(ack(only_bad)[0])[3] == "AK4*2**6"
    long_value = interchange([[["MSG", "x" * 150 + "\x07"]]])
    assert body(ack(long_value)[0])[3] == "AK4*1**6*" + "x" * 99


def test_unrecognized_ids_are_cut_and_cleaned():
    """AK301 is the ID cut to 3 characters; an ID of control characters alone gets no AK3."""
    delimiters = x12.Delimiters(element="|")
    data = interchange([[["LX", "1"]]], delimiters=delimiters)
    data = data.replace(b"LX|1~", b"LX|1~N-1|A~ABCD|B~\x01|C~").replace(b"SE|3|", b"SE|6|")
    assert body(ack(data)[0])[2:5] == ["AK3*N-1*3**1", "AK3*ABC*4**1", "AK5*E*5"]


def test_binary_segments_are_not_checked_for_characters():
    data = interchange([[["BIN", "3", "\x00\x01\x02"]]])
    assert body(ack(data)[0])[2] == "AK5*A"


def test_at_most_ten_ak3_per_set():
    data = interchange([[["LX", "1"]] + [["1X", str(n)] for n in range(25)]])
    found = body(ack(data)[0])
    assert [s for s in found if s.startswith("AK3")] == [f"AK3*1X*{n}**1" for n in range(3, 13)]
    assert found[-2:] == ["AK5*E*5", "AK9*E*1*1*1"]


def test_generated_segment_errors_read_back_in_words():
    for version, kind in (("004010", "997"), ("005010", "999")):
        answers = x12.acknowledge(
            interchange([BAD_CHARACTER, BAD_ID], version=version),
            control_numbers=x12.sequential_numbers(),
            strict=True,
        )
        (group,) = x12.read_acknowledgements(answers[0])
        assert (group.ack_kind, group.status, group.received, group.accepted) == (kind, "R", 2, 0)
        characters, segment_id = group.sets
        assert characters.status_text == "Rejected"
        assert characters.errors == segment_id.errors == ("One or More Segments in Error",)
        (segment,) = characters.segment_errors
        assert (segment.segment_id, segment.position, segment.loop) == ("N1", "3", "")
        assert segment.text == "Segment Has Data Element Errors"
        assert [(e.position, e.reference, e.code, e.bad_value) for e in segment.elements] == [
            ("2", "", "6", "ACME INC"),
            ("3:2", "", "6", "B"),
        ]
        assert {e.text for e in segment.elements} == {"Invalid Character In Data Element"}
        (unrecognized,) = segment_id.segment_errors
        assert (unrecognized.segment_id, unrecognized.position, unrecognized.code) == (
            "1X",
            "3",
            "1",
        )
        assert unrecognized.text == "Unrecognized segment ID"
        assert unrecognized.elements == []
    data = interchange([BAD_CHARACTER, BAD_ID])
    lenient = x12.acknowledge(data, control_numbers=x12.sequential_numbers())
    (group,) = x12.read_acknowledgements(lenient[0])
    assert (group.status, group.accepted) == ("E", 2)
    assert [s.status_text for s in group.sets] == ["Accepted But Errors Were Noted"] * 2


@needs_samples
@pytest.mark.parametrize("path", sorted(SAMPLES.glob("x12_*.edi")), ids=lambda p: p.stem)
def test_no_published_sample_gets_segment_errors(path):
    """The published samples hold no unrecognized segment ID nor control character in their
    data (the fused segments of the 846 sample keep valid IDs): no AK3 / IK3 is written."""
    for kind in ("997", "999"):
        for answer in x12.acknowledge(
            path.read_bytes(), control_numbers=x12.sequential_numbers(), kind=kind
        ):
            assert b"AK3" not in answer
            assert b"IK3" not in answer
            assert b"AK4" not in answer
            assert b"IK4" not in answer
            groups = [g for g in x12.read_acknowledgements(answer) if isinstance(g, x12.GroupAck)]
            for group in groups:
                assert all(not s.segment_errors for s in group.sets)
                assert all("5" not in s.codes for s in group.sets)


def test_code_tables_in_words():
    assert x12.codes.describe(x12.codes.GROUP_ERRORS, "5").startswith("Number of Included")
    assert x12.codes.describe(x12.codes.NOTE_CODES, "021") == (
        "Invalid Number of Included Groups Value"
    )
    assert x12.codes.describe(x12.codes.SET_ERRORS, "99") == "unknown code '99'"
    assert x12.codes.describe(x12.codes.SEGMENT_ERRORS, "1") == "Unrecognized segment ID"
    assert x12.codes.describe(x12.codes.SEGMENT_ERRORS, "8") == "Segment Has Data Element Errors"
    assert x12.codes.describe(x12.codes.ELEMENT_ERRORS, "6") == "Invalid Character In Data Element"
    assert x12.codes.describe(x12.codes.SET_ERRORS, "5") == "One or More Segments in Error"


@given(st.binary(max_size=300))
def test_acknowledge_raises_only_parse_error(data):
    for prefix in (b"", interchange([[["LX", "1"]]])[:120]):
        try:
            x12.acknowledge(prefix + data, control_numbers=x12.sequential_numbers())
            x12.read_acknowledgements(prefix + data)
        except ParseError:
            pass


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def test_cli_ack_prints_the_997(tmp_path, capsysbinary):
    path = tmp_path / "in.edi"
    path.write_bytes(interchange([[["LX", "1"]]]).replace(b"SE*3", b"SE*4"))
    assert cli.main(["ack", str(path)]) == 0
    assert b"AK5*R*4~" in capsysbinary.readouterr().out
    assert cli.main(["ack", "--lenient", str(path)]) == 0
    assert b"AK5*E*4~AK9*E*1*1*1~" in capsysbinary.readouterr().out


def test_cli_ack_without_edifact_support_is_a_usage_error(tmp_path, capsys, monkeypatch):
    path = tmp_path / "in.edi"
    path.write_bytes(b"UNA:+.? 'UNB+UNOC:3+S+R+250102:0304+1'")
    monkeypatch.setitem(sys.modules, "logistics_adapters.formats.edifact", None)
    assert cli.main(["ack", str(path)]) == cli.EXIT_USAGE
    assert "EDIFACT acknowledgements are not available" in capsys.readouterr().err


def test_cli_ack_dispatches_edifact(tmp_path, capsysbinary, monkeypatch):
    path = tmp_path / "in.edi"
    path.write_bytes(b"UNB+UNOC:3+S+R+250102:0304+1'")
    fake = type(sys)("fake_edifact")
    fake.acknowledge = lambda data: b"UNB+CONTRL'" + data[:3]
    monkeypatch.setitem(sys.modules, "logistics_adapters.formats.edifact", fake)
    assert cli.main(["ack", str(path)]) == 0
    assert capsysbinary.readouterr().out == b"UNB+CONTRL'UNB"


def test_cli_ack_refuses_what_is_not_edi(tmp_path, capsys):
    path = tmp_path / "in.txt"
    path.write_bytes(b"hello")
    assert cli.main(["ack", str(path)]) == cli.EXIT_BAD_INPUT
    assert "not an EDI file" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# The answers written as the sets are read are those written before, byte for byte
# --------------------------------------------------------------------------------------------

#: A set whose N1 holds control characters beside ``^``: the repetition separator of an
#: 005010 answer, which its AK4 copies must leave out and those of an 004010 answer keep.
CARET = [["N1", "ST", "A^B\x01C", ("D^", "\x02")]]
CLEAN = [["LX", "1"]]
#: Answer delimiters given instead of the inbound ones (no repetition separator: an 005010
#: answer takes ``^``).
OVERRIDE = x12.Delimiters(element="|", component=":", repetition="", terminator="'", suffix="\r\n")
#: ``(strict, kind, ta1, delimiters, supported)``: each input is answered with each of these.
OPTION_MATRIX = [
    (strict, kind, ta1, delimiters, None)
    for strict in (False, True)
    for kind in (None, "997", "999")
    for ta1 in (None, True)
    for delimiters in (None, OVERRIDE)
] + [(False, None, None, None, {"204"}), (True, "999", False, None, ())]


def _interchange_of(*groups, version="004010", ack_requested=False, control=42):
    """An interchange of ``groups`` (``(functional_id, version, sets)``: 214 sets numbered
    from 1 in each group) written by our writer with ``*``, ``>`` and ``~``."""
    built = [
        x12.FunctionalGroup(
            functional_id,
            70 + index,
            [x12.TransactionSet("214", body, number) for number, body in enumerate(sets, 1)],
            version=group_version,
        )
        for index, (functional_id, group_version, sets) in enumerate(groups)
    ]
    envelope = x12.Envelope(
        ("ZZ", "SENDER"),
        ("ZZ", "RECEIVER"),
        control,
        version=version,
        ack_requested=ack_requested,
        when=WHEN,
    )
    return x12.render(envelope, built, x12.Delimiters())


def _without_segment(data, start):
    """``data`` without its first segment starting with ``start``."""
    begin = data.index(start)
    return data[:begin] + data[data.index(b"~", begin) + 1 :]


def _many(count, version):
    """``count`` sets, now and then with an unrecognized ID, a control character or both
    a control character and ``^``."""
    sets = []
    for index in range(count):
        if index % 251 == 0:
            sets.append(CARET)
        elif index % 97 == 0:
            sets.append(BAD_CHARACTER)
        elif index % 89 == 0:
            sets.append(BAD_ID)
        else:
            sets.append([["LX", str(index)]])
    return ("QM", version, sets)


def _generated_inputs():
    """Interchanges with errors of every kind the acknowledgement answers, by name."""
    errors = [CLEAN, BAD_ID, BAD_CHARACTER, CLEAN, CLEAN, CLEAN]
    broken = _interchange_of(("QM", "004010", [CLEAN, CLEAN]), ("SM", "004010", [CLEAN]))
    broken = broken.replace(b"GE*2*70", b"GE*5*70").replace(b"GE*1*71", b"GE*1*79")
    implicit = _interchange_of(("QM", "004010", [CLEAN, BAD_ID]))
    caret_control = _interchange_of(("QM", "004010", [CLEAN]), ("IN", "005010", [CLEAN]))
    caret_control = caret_control.replace(b"ST*214*0001~", b"ST*214*00^1~", 1)
    return {
        "errors_004010": _interchange_of(("QM", "004010", errors))
        .replace(b"SE*3*0004", b"SE*9*0004")
        .replace(b"SE*3*0005~", b"")
        .replace(b"ST*214*0006", b"ST*2^4*0006"),
        "errors_005010": _interchange_of(("QM", "005010", errors), version="005010")
        .replace(b"SE*3*0004", b"SE*9*0004")
        .replace(b"SE*3*0005~", b""),
        "mixed_versions_caret": _interchange_of(
            ("QM", "004010", [CLEAN, CARET, BAD_ID]),
            ("SM", "005010", [CARET, CLEAN]),
            ("FA", "004010", [CLEAN, CARET]),
        ),
        "caret_004010_only": _interchange_of(("QM", "004010", [CARET, CLEAN, CARET])),
        "caret_in_control_number": caret_control,
        "many_sets_004010": _interchange_of(_many(1300, "004010"), ("SM", "004010", [CLEAN])),
        "many_sets_005010": _interchange_of(_many(1300, "005010"), ("QM", "004010", [CARET])),
        "three_interchanges": _interchange_of(("QM", "004010", [CLEAN, BAD_ID]), ack_requested=True)
        + b"\r\n"
        + _interchange_of(("SM", "005010", [BAD_CHARACTER]), version="005010", control=43)
        + _interchange_of(("FA", "004010", [CLEAN, BAD_ID]), control=44),
        "broken_envelopes": broken[: broken.rindex(b"IEA")],
        "implicit_group": _without_segment(_without_segment(implicit, b"GS*"), b"GE*"),
        "empty_group": _interchange_of(("QM", "004010", []), ("SM", "004010", [CLEAN])),
        "delimiters_in_data": _interchange_of(
            ("QM", "004010", [[["N1", "ST", "A|B'C\x01:D"], ["REF", "ZZ", "X|Y"]]])
        ),
        "delimiter_in_control_number": _interchange_of(("QM", "004010", [CLEAN])).replace(
            b"0001~", b"0|01~"
        ),
        "delimiter_in_group_and_set": _interchange_of(("QM", "004010", [CLEAN, CLEAN]))
        .replace(b"GS*QM*SENDER", b"GS*QM*SEN|DER")
        .replace(b"0002~", b"0|02~"),
    }


def _answers_digest(data):
    """A digest of everything ``acknowledge_each`` gives for ``data`` with each option set
    of :data:`OPTION_MATRIX`: the answers, the control numbers drawn in order, the error,
    and the answers read back."""
    digest = hashlib.sha256()
    for strict, kind, ta1, delimiters, supported in OPTION_MATRIX:
        drawn = []
        numbers = x12.sequential_numbers(interchange=500, group=60, set=7)

        def control_numbers(level, numbers=numbers, drawn=drawn):
            drawn.append(level)
            return numbers(level)

        options = {"strict": strict, "kind": kind, "ta1": ta1, "delimiters": delimiters}
        answers = x12.acknowledge_each(
            data, control_numbers=control_numbers, when=WHEN, supported=supported, **options
        )
        found = []
        try:
            for interchange_read, answer in answers:
                read_back = x12.read_acknowledgements(answer) if answer else None
                found.append((interchange_read.control_number, answer, repr(read_back)))
        except ParseError as exc:
            found.append(f"ParseError: {exc}")
        digest.update(repr((strict, kind, ta1, supported, found, drawn)).encode())
    return digest.hexdigest()[:32]


#: The digests of :func:`_answers_digest` as the answers were written when each set was
#: kept until the interchange ended and the whole answer rendered at once.
EXPECTED_DIGESTS = {
    "errors_004010": "a5e033429fceaf6b9f9c1a1f3930dec5",
    "errors_005010": "d78d5245d548ed3e99a133af5666135b",
    "mixed_versions_caret": "0df2737f7b90db15b2ea10345e01ca86",
    "caret_004010_only": "8e152f2b7fd6e0c54864f397fbe6f948",
    "caret_in_control_number": "22004b3ada550cf14cbee05cc9598b54",
    "many_sets_004010": "abb78ab22bd00af38cd6c445012d2fcf",
    "many_sets_005010": "7f0e6d85c9c15690d176eeeb4dc16266",
    "three_interchanges": "79a0f9208ee10a16bf044f6c2a51fc60",
    "broken_envelopes": "5ceccb73679658b4b04d4935e79a5065",
    "implicit_group": "93a4ef5c9d6e7d18be5ae44309872b05",
    "empty_group": "cc0458083797719adab20f150ff3aafa",
    "delimiters_in_data": "d2dfcf23c30c187646d9431c6bcfe4a4",
    "delimiter_in_control_number": "7293783f1bc71841942f425d33bc470c",
    "delimiter_in_group_and_set": "e600f8e5a32e24d694f82fd9c9c22ac4",
    "x12_204_motor_carrier_load_tender_stupidedi": "918b6a547ea4ac15bd65084b023cca97",
    "x12_210_freight_invoice_edifabric": "76441a33a46d273926b564e69f99caa1",
    "x12_210_ups_multi_l1_accessorials": "645cb5d79ebf23079ae7df8f604f5381",
    "x12_214_canadapost_multi_transaction": "9bb0d6d0538ef59b69022b928cab89e7",
    "x12_214_multi_lx_at7_1edisource": "278d0b1ab77a64115378e09dafe8c0a5",
    "x12_214_shipment_status_edifabric": "baf25742f6b33b4a4e378fc075012f3d",
    "x12_846_inventory_advice_star_terminator_malformed": "b7ab713cf1ffc6081e4b0de8e0fb4ece",
    "x12_846_inventory_advice_tilde_brace_delimiters": "a0af56b0e87d2eff8fdc9e2bda267f4a",
    "x12_940_simplot_warehouse_shipping_order": "1645f7b2904594dce4c577fe1842a165",
    "x12_943_warehouse_stock_transfer_shipment_stupidedi": "d9d91715656f60533a4a12d6d3c301a5",
    "x12_944_warehouse_stock_transfer_receipt_lots": "a81780971e9ee7de2fef8661ee297081",
    "x12_945_warehouse_shipping_advice_edifabric": "ea6933967f35e5e00a7eff73f8ee57d3",
    "x12_990_load_tender_responses_accept_decline_counter": "054ea56906c9c7ff1947286ec163ddea",
    "x12_997_functional_ack_accepted_bots": "8d258313debec7d11b8926f1a482137d",
    "x12_997_functional_ack_rejected_ak3_ak4_edifabric": "3b88814c8e0f47b84b268e4661afdea9",
    "x12_999_implementation_ack_partial_ik3_ik4": "0d4d76f5d815eb43b34485e70deed78d",
}


def test_generated_answers_are_those_written_before():
    found = {name: _answers_digest(data) for name, data in _generated_inputs().items()}
    expected = {name: EXPECTED_DIGESTS[name] for name in found}
    assert found == expected


@needs_samples
def test_sample_answers_are_those_written_before():
    paths = sorted(SAMPLES.glob("x12_*.edi"))
    found = {path.stem: _answers_digest(path.read_bytes()) for path in paths}
    expected = {name: EXPECTED_DIGESTS.get(name) for name in found}
    assert found == expected


def _ack_peak(data):
    """The answers of ``data`` and the most memory (bytes) held while they are written."""
    tracemalloc.start()
    answers = x12.acknowledge(io.BytesIO(data), control_numbers=x12.sequential_numbers())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return answers, peak


def test_the_answer_costs_about_its_own_size_per_set():
    """Each set adds its AK2 loop's text to the memory held (19 bytes here, ``AK2*214*0001~``
    and ``AK5*A~``), about three times over as the answer is joined and encoded, not a result
    and segments per set (about 800 bytes): 9,000 more sets take less than 150 bytes each."""
    body = [["B10", "1Z999", "SHIP"], ["LX", "1"], ["AT7", "X3", "NS", "", "", "20250102"]]
    (small,), small_peak = _ack_peak(interchange([body] * 1_000))
    (large,), large_peak = _ack_peak(interchange([body] * 10_000))
    assert large.count(b"AK5*A~") == 10_000
    assert len(large) - len(small) < 9_000 * 20
    assert large_peak - small_peak < 9_000 * 150
