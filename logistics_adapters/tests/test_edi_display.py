"""EDI payloads shown as HTML: published samples, element names, escaping, refusals, the
bound on segments, and fuzzing."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logistics_adapters.formats import display, edifact, x12
from logistics_adapters.formats.display import MAX_SEGMENTS, SEGMENT_CLASS, segments_html

from .helpers import EDI_SAMPLES, needs_samples, sample

OTHER_SAMPLES = [
    "easypost_webhook_event_tracker_updated.json",
    "hmrc_cds_notification_01_DMSACC_accepted.xml",
    "x12_214_at7_status_codes.md",
]
ISA_VALUES = ["00", "", "00", "", "ZZ", "SENDER", "ZZ", "RECEIVER", "250102", "0304", "U"]
ISA_VALUES += ["00401", "000000042", "0", "T"]
#: Characters an HTML field cannot hold (see display._UNPRINTABLE).
UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def lines(html):
    """The number of segment lines of ``html``."""
    return html.count(f'<li class="{SEGMENT_CLASS}">')


def isa(element="*", component=":", terminator="~"):
    """An ISA header padded to its fixed widths."""
    widths = x12.syntax.ISA_WIDTHS
    values = [value.ljust(width) for value, width in zip(ISA_VALUES, widths)]
    return "ISA" + element + element.join(values) + element + component + terminator


def x12_payload(body, **delimiters):
    """One interchange holding one 214 of ``body`` segments (joined with ``~``)."""
    segments = ["GS*QM*SENDER*RECEIVER*20250102*0304*7*X*004010", "ST*214*0001", *body]
    segments += [f"SE*{len(body) + 2}*0001", "GE*1*7", "IEA*1*000000042"]
    return (isa(**delimiters) + "~".join(segments) + "~").encode()


def x12_segment_count(data):
    """The segments the lenient X12 reader reads: envelopes, sets and TA1s."""
    count = 0
    for reading in x12.read(data):
        count += 2 + 2 * len(reading.interchange.groups) + len(reading.segments)
        count += sum(unit.segment_count for unit in reading.units)
    return count


def edifact_segment_count(data):
    """The segments the EDIFACT tokenizer reads, each UNA counted as one."""
    return len(edifact.segments_of(data)) + data.count(b"UNA")


# -- published samples -----------------------------------------------------------------------


@needs_samples
@pytest.mark.parametrize("name", EDI_SAMPLES)
def test_every_sample_renders_one_line_per_segment(name):
    data = sample(name)
    html = segments_html(data)
    assert html.startswith("<div") and html.endswith("</div>")
    count = x12_segment_count(data) if name.startswith("x12") else edifact_segment_count(data)
    assert lines(html) == count
    assert "could not be read" not in html
    assert not UNPRINTABLE.search(html)


@needs_samples
def test_x12_elements_are_named():
    html = segments_html(sample("x12_214_canadapost_multi_transaction.edi"))
    assert '<span title="B10-02 Shipment Identification Number">4343638097845589' in html
    assert '<span title="ISA-06 Interchange Sender ID">' in html
    assert 'title="B10 Beginning Segment for Transportation Carrier Shipment Status' in html
    html = segments_html(sample("x12_214_multi_lx_at7_1edisource.edi"))
    assert '<span title="AT7-01 Shipment Status Code">X3</span>' in html
    assert '<span title="AT7-05 Date">20111217</span>' in html


@needs_samples
def test_x12_envelope_and_sets_are_blocks():
    html = segments_html(sample("x12_214_shipment_status_edifabric.edi"))
    envelope, rest = html.split("<section", 1)
    assert "bg-light" in envelope and ">ISA<" in envelope and ">GS<" in envelope
    document, trailer = rest.split("</section>", 1)
    heading = "Transaction set 214 — Transportation Carrier Shipment Status Message"
    assert f"{heading} · control number 0006</h6>" in document
    assert ">ST<" in document and ">SE<" in document and ">GE<" not in document
    assert "bg-light" in trailer and ">GE<" in trailer and ">IEA<" in trailer


@needs_samples
def test_x12_each_set_has_its_heading():
    html = segments_html(sample("x12_990_load_tender_responses_accept_decline_counter.edi"))
    assert html.count("<h6") == html.count("<section") == 3


@needs_samples
def test_x12_delimiters_are_shown_as_written():
    html = segments_html(sample("x12_846_inventory_advice_tilde_brace_delimiters.edi"))
    assert ">ST</span>~<span" in html and "}</li>" in html


@needs_samples
def test_unknown_segment_elements_carry_their_position():
    html = segments_html(x12_payload(["ZZZ*A*B:C"]))
    assert '<span title="ZZZ-02">B:C</span>' in html
    assert '<span class="fw-bold">ZZZ</span>' in html


@needs_samples
def test_edifact_elements_are_named():
    html = segments_html(sample("edifact_iftsta_eancom_d96a_transport_status.edi"))
    assert (
        '<span title="STS-01 Status category">1</span>+<span title="STS-02 Status">21</span>'
        in html
    )
    assert '<span title="UNB-01 Syntax identifier">UNOA:2</span>' in html
    assert "Message IFTSTA D:96A:UN — International multimodal status report" in html
    assert "· reference ME000021</h6>" in html


@needs_samples
def test_edifact_groups_and_acknowledgements():
    html = segments_html(sample("edifact_cuscar_d03b_cbp_ace_cargo_report.edi"))
    envelope = html.split("<section", 1)[0]
    assert ">UNB<" in envelope and ">UNG<" in envelope
    html = segments_html(sample("edifact_contrl_syntax_ack_edifabric.edi"))
    assert '<span title="UCI-04 Action, coded">8</span>' in html
    assert html.count("<section") == 2


def test_edifact_una_and_release_characters():
    data = b"UNA|*.# !UNB*UNOC|3*S*R*250102|0304*1!UNH*1*IFTSTA|D|96A|UN!"
    data += b"FTX*AAI***A#*B#!C!UNT*3*1!UNZ*1*1!"
    html = segments_html(data)
    assert lines(html) == 6
    assert '<span title="UNA-04 Release character">#</span>' in html
    assert '<span title="UNB-01 Syntax identifier">UNOC|3</span>' in html
    assert '<span title="FTX-04 Text literal">A#*B#!C</span>!' in html


def test_edifact_each_interchange_shows_its_una():
    data = b"UNA:+.? '\r\nUNB+UNOC:3+S+R+250102:0304+1'UNZ+0+1'\n"
    data += b"UNA|*.# !UNB*UNOC|3*S*R*250102|0304*2!UNZ*0*2!"
    html = segments_html(data)
    assert lines(html) == 6 and html.count(">UNA<") == 2
    assert '<span title="UNZ-02 Interchange control reference">2</span>!' in html


def test_edifact_level_b_separators_are_shown_as_pictures():
    data = b"UNB\x1dUNOB\x1f3\x1dS\x1dR\x1d250102\x1f0304\x1d1\x1cUNZ\x1d0\x1d1\x1c"
    html = segments_html(data)
    assert lines(html) == 2
    assert "UNOB\u241f3" in html and not UNPRINTABLE.search(html)


# -- untrusted data ----------------------------------------------------------------------------


def test_x12_markup_is_escaped():
    html = segments_html(x12_payload(['B10*<script>alert("x")</script>*A&B', "<b>*'"]))
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "A&amp;B" in html and "&lt;b&gt;" in html and "&#x27;" in html


def test_edifact_markup_is_escaped():
    data = b"UNB+UNOC:3+S+R+250102:0304+1'UNH+1+<img src=x onerror=alert(1)>'"
    data += b"FTX+AAI+++\" onmouseover=\"alert(1)'UNT+3+1'UNZ+1+1'"
    html = segments_html(data)
    assert "<img" not in html and '" onmouseover' not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&quot; onmouseover" in html


@pytest.mark.parametrize(
    "payload",
    [b"", b"   \n", b"hello", b'{"ISA": 1}', b"<?xml version='1.0'?><UNB/>", "text", None, 42],
)
def test_non_edi_gives_false(payload):
    assert segments_html(payload) is False


@pytest.mark.parametrize(
    "payload",
    [b"ISA", b"ISA*00*short~", b"ISAA*00", b"UNA:+.? ", b"UNB+UNOC:3+no terminator"],
)
def test_unreadable_edi_gives_false(payload):
    assert segments_html(payload) is False


@needs_samples
@pytest.mark.parametrize("name", OTHER_SAMPLES)
def test_other_samples_give_false(name):
    assert segments_html(sample(name)) is False


def test_text_payload_is_accepted():
    assert lines(segments_html(x12_payload(["LX*1"]).decode())) == 7


def test_unreadable_tail_is_reported_after_what_was_read():
    html = segments_html(x12_payload(["LX*1"]) + b"\nnot an interchange")
    assert lines(html) == 7
    assert 'class="alert alert-warning' in html and "could not be read" in html


def test_control_characters_as_delimiters_are_pictured():
    html = segments_html(x12_payload(["LX*1"]).replace(b"*", b"\x1d"))
    assert lines(html) == 7 and not UNPRINTABLE.search(html)
    assert "LX</span>\u241d<span" in html


# -- bounds ------------------------------------------------------------------------------------


def test_segments_past_the_bound_are_counted_not_shown():
    extra = 150
    body = [f"LX*{number}" for number in range(MAX_SEGMENTS + extra - 6)]
    html = segments_html(x12_payload(body))
    assert lines(html) == MAX_SEGMENTS
    assert f"{extra:,} more segments not shown" in html
    assert html.count("<section") == html.count("</section>") == 1


def test_bound_is_exact(monkeypatch):
    monkeypatch.setattr(display, "MAX_SEGMENTS", 7)
    html = segments_html(x12_payload(["LX*1"]))
    assert lines(html) == 7 and "not shown" not in html
    monkeypatch.setattr(display, "MAX_SEGMENTS", 6)
    html = segments_html(x12_payload(["LX*1"]))
    assert lines(html) == 6 and "1 more segments not shown" in html


# -- fuzzing -----------------------------------------------------------------------------------

HEADS = st.sampled_from(
    [b"", b"ISA*", b"UNA:+.? '", b"UNB+", b"\xef\xbb\xbfISA", b" UNB\x1d", isa().encode()]
)
#: Bytes made mostly of delimiters, tags, markup and control characters.
SYNTAX = st.text(alphabet="*~:^+'?|UNBISTGE0129 \n\r<>&\"\x00\x1c\x1d\x85é", max_size=400)
TAILS = st.binary(max_size=400) | SYNTAX.map(lambda text: text.encode("utf-8"))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(html):
    assert html is False or (isinstance(html, str) and html.startswith("<div"))
    if html:
        assert not UNPRINTABLE.search(html)


@FUZZ
@given(HEADS, TAILS)
def test_random_bytes_never_raise(head, tail):
    check(segments_html(head + tail))


@FUZZ
@given(st.sampled_from(["ISA*", "UNB+", "UNA"]), st.text(max_size=300))
def test_random_text_never_raises(head, tail):
    check(segments_html(head + tail))


@needs_samples
@FUZZ
@given(
    st.sampled_from(EDI_SAMPLES),
    st.lists(st.tuples(st.integers(0, 10**6), st.binary(max_size=4)), min_size=1, max_size=6),
    st.integers(0, 10**6),
)
def test_mutated_samples_never_raise(name, edits, cut):
    data = bytearray(sample(name))
    for position, replacement in edits:
        position %= len(data)
        data[position : position + len(replacement) % 3] = replacement
    check(segments_html(bytes(data[: max(1, cut % (len(data) + 1))])))
