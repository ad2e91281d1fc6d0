"""The Odoo core's one door to X12 and EDIFACT (``formats.interchange``): identify, read as a
stream, wrap each document alone, acknowledge by policy, read acknowledgements, write ours."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_adapters.errors import ParseError
from logistics_adapters.formats import edifact, x12
from logistics_adapters.formats import interchange as edi_io

from .helpers import EDI_SAMPLES, needs_samples, sample, write_settings
from .strategies import mutated_bytes


def ack_settings(policy="auto", strict=False, ta1=False):
    return edi_io.AckSettings(policy, ta1, strict, write_settings())


def acknowledged(name, *args, **kwargs):
    """The one acknowledgement of sample ``name``, under ``ack_settings(*args, **kwargs)``."""
    (result,) = edi_io.acknowledge(sample(name), ack_settings(*args, **kwargs))
    return result


def read_all(data, strict=False):
    """Every interchange with its units, read the way the core reads them."""
    return [(reading, list(reading.units())) for reading in edi_io.read(data, strict=strict)]


def two_sets():
    body = [["B10", "PRO1", "SHIP1", "SCAC"], ["L11", "PO-1", "PO"]]
    return [body, [["B10", "PRO2", "SHIP2", "SCAC"]]]


@needs_samples
@pytest.mark.parametrize("name", EDI_SAMPLES)
def test_each_document_of_a_sample_stands_alone_as_an_interchange(name):
    data = sample(name)
    identity = edi_io.identify(data)
    assert identity.message_id.startswith(f"{edi_io.standard_of(data)}:")
    for reading, units in read_all(data):
        assert units, name
        described = reading.describe()
        assert described["document_count"] == len(units)
        assert identity.message_id.endswith(described["control_number"]) or len(EDI_SAMPLES)
        for unit in units:
            alone = read_all(reading.unit_payload(unit))
            assert len(alone) == 1
            (again, again_units) = alone[0]
            assert [(u.kind, u.control_number, u.version) for u in again_units] == [
                (unit.kind, unit.control_number, unit.version)
            ]
            assert again.interchange.control_number == reading.interchange.control_number
            assert again.interchange.sender == reading.interchange.sender


@needs_samples
def test_the_wrapped_document_keeps_the_partners_header_segments_verbatim():
    data = sample("x12_214_canadapost_multi_transaction.edi")
    reading, units = read_all(data)[0]
    alone = reading.unit_payload(units[1]).decode()
    lines = alone.splitlines()
    assert lines[0] == data.decode().splitlines()[0].rstrip("\r")
    assert lines[1].startswith("GS*QM*CPC*00602679321*20191103*1800*000001644*X*004010")
    assert lines[2] == "ST*214*000000002"
    assert lines[-2:] == ["GE*1*000001644", "IEA*1*000001644"]
    assert reading.describe()["documents"] == "214 x 19"


@needs_samples
def test_several_interchanges_in_one_file_are_read_in_order_one_at_a_time():
    data = (
        sample("x12_214_shipment_status_edifabric.edi")
        + b"\r\n"
        + sample("x12_990_load_tender_responses_accept_decline_counter.edi")
    )
    found = [(reading.interchange.control_number, len(units)) for reading, units in read_all(data)]
    assert found == [("000000263", 1), ("000000742", 3)]


@needs_samples
def test_discrepancies_of_the_envelope_and_of_each_set_are_described():
    reading, _units = read_all(sample("x12_210_ups_multi_l1_accessorials.edi"))[0]
    described = reading.describe()
    assert described["documents"] == "210 x 5"
    assert any("SE01" in text and "000158669" in text for text in described["discrepancies"])


@needs_samples
def test_strict_reading_refuses_the_first_discrepancy():
    with pytest.raises(ParseError, match="SE01"):
        read_all(sample("x12_210_ups_multi_l1_accessorials.edi"), strict=True)


def test_a_payload_in_no_edi_standard_is_refused_by_name():
    with pytest.raises(ParseError, match="neither X12"):
        edi_io.identify(b'{"not": "edi"}')


# -- acknowledging what we receive --------------------------------------------------------


@needs_samples
def test_no_policy_sends_nothing():
    assert (
        edi_io.acknowledge(sample("x12_214_shipment_status_edifabric.edi"), ack_settings("none"))
        == []
    )


@needs_samples
@pytest.mark.parametrize(
    ("name", "answer"),
    [
        ("x12_214_canadapost_multi_transaction.edi", ("997", "accepted", "000001644")),
        ("edifact_iftsta_eancom_d96a_transport_status.edi", ("CONTRL", "accepted", "I-EX1/1")),
    ],
)
def test_a_clean_interchange_is_accepted_in_the_acknowledgement_of_its_standard(name, answer):
    result = acknowledged(name)
    assert (result.kind, result.verdict, result.interchange_control) == answer


@needs_samples
def test_a_clean_004010_interchange_gets_a_997_accepting_every_set():
    result = acknowledged("x12_214_canadapost_multi_transaction.edi")
    assert result.set_verdicts == {}, "only the sets not simply accepted are listed"
    assert {result.verdict_of(f"{n:09d}") for n in range(1, 20)} == {"accepted"}
    text = result.payload.decode()
    assert "AK1*QM*000001644~" in text and "AK9*A*19*19*19~" in text
    assert result.control == x12.read_header(result.payload).control_number


@needs_samples
def test_a_partner_wanting_999_gets_one_even_for_004010():
    result = acknowledged("x12_214_shipment_status_edifabric.edi", "999")
    assert result.kind.split("/") == ["TA1", "999"]  # the sample asks for a TA1 (ISA14 = 1)
    assert "ST*999*" in result.payload.decode()


@needs_samples
def test_a_wrong_segment_count_is_an_error_noted_leniently_and_a_rejection_strictly():
    lenient = acknowledged("x12_210_ups_multi_l1_accessorials.edi")
    strict = acknowledged("x12_210_ups_multi_l1_accessorials.edi", strict=True)
    assert lenient.set_verdicts["000158669"] == "accepted_errors"
    assert lenient.verdict == "accepted_errors"
    assert strict.set_verdicts["000158669"] == "rejected"
    assert strict.verdict_of("000158670") == "accepted"
    assert strict.verdict == "accepted_errors"  # partially accepted: four of five
    assert "Number of Included Segments Does Not Match Actual Count" in strict.detail


@needs_samples
def test_a_ta1_answers_a_broken_envelope_when_the_partner_wants_one():
    result = acknowledged("x12_940_simplot_warehouse_shipping_order.edi", strict=True, ta1=True)
    assert result.kind == "TA1/997"
    assert result.verdict == "rejected"
    assert "TA1*398161180*" in result.payload.decode()
    assert "Header and Trailer Do Not Match" in result.detail


@needs_samples
def test_an_edifact_interchange_gets_a_contrl_with_our_control_reference():
    result = acknowledged("edifact_iftsta_eancom_d96a_transport_status.edi")
    assert result.control == "500"
    assert edifact.read_header(result.payload).control_number == "500"
    assert result.verdict_of("ME000021") == "accepted"


# -- acknowledgements we receive ------------------------------------------------------------


@needs_samples
def test_a_rejecting_997_is_read_with_its_errors_in_words():
    (report,) = edi_io.read_ack(sample("x12_997_functional_ack_rejected_ak3_ak4_edifabric.edi"))
    assert (report.kind, report.level, report.state) == ("997", "group", "rejected")
    assert "segment TXI at 54: Segment Has Data Element Errors" in report.detail
    assert "Invalid Code Value" in report.detail


@needs_samples
def test_a_partially_accepting_999_is_accepted_with_errors():
    (report,) = edi_io.read_ack(sample("x12_999_implementation_ack_partial_ik3_ik4.edi"))
    assert (report.kind, report.state) == ("999", "accepted_errors")
    assert "rejected" in set(report.set_states.values())


@needs_samples
def test_a_contrl_is_read_per_interchange():
    reports = edi_io.read_ack(sample("edifact_contrl_syntax_ack_edifabric.edi"))
    assert {(r.kind, r.level, r.control_number, r.state) for r in reports} == {
        ("CONTRL", "interchange", "131", "accepted")
    }


def test_a_ta1_inside_an_interchange_is_reported_for_its_interchange():
    envelope = x12.Envelope(("ZZ", "PARTNER"), ("ZZ", "ODOO"), 77, usage="T")
    data = x12.render(
        envelope, [], interchange_segments=[["TA1", "000000501", "261201", "1200", "R", "022"]]
    )
    (reading, _units) = read_all(data)[0]
    (report,) = edi_io.interchange_reports(reading)
    assert (report.kind, report.level, report.control_number, report.state) == (
        "TA1",
        "interchange",
        "000000501",
        "rejected",
    )


# -- writing ours ---------------------------------------------------------------------------


def test_our_documents_take_fresh_control_numbers_and_the_partners_identifiers():
    rendered = edi_io.render(write_settings(), "214", two_sets())
    (reading, units) = read_all(rendered.payload)[0]
    header = reading.interchange
    assert (header.sender, header.receiver, header.usage) == (
        ("ZZ", "ODOO"),
        ("ZZ", "PARTNER"),
        "T",
    )
    assert header.ack_requested
    assert [(u.kind, u.control_number) for u in units] == [("214", "0502"), ("214", "0503")]
    assert rendered.control == "000000500" == header.control_number
    assert rendered.describe()["groups"] == ["501"]
    assert reading.describe()["discrepancies"] == []
    assert "GS*QM*ODOO*PARTNER*" in rendered.payload.decode()


def test_a_delimiter_inside_our_data_is_refused_by_name():
    with pytest.raises(ParseError, match="214"):
        edi_io.render(write_settings(), "214", [[["B10", "PRO*1", "SHIP1", "SCAC"]]])


def test_our_edifact_messages_get_their_references_and_a_unb_of_ours():
    messages = [[["UNH", "X", ("IFTSTA", "D", "96A", "UN")], ["BGM", "23", "R1"]]]
    rendered = edi_io.render(write_settings("edifact", "UNOC:3"), "IFTSTA", messages)
    (reading, units) = read_all(rendered.payload)[0]
    assert reading.interchange.control_number == rendered.control == "500"
    assert [(u.kind, u.control_number, u.version) for u in units] == [("IFTSTA", "501", "D:96A:UN")]
    assert reading.interchange.usage == "T"


def test_an_edifact_message_without_its_unh_is_refused():
    with pytest.raises(ParseError, match="UNH"):
        edi_io.render(write_settings("edifact", "UNOC:3"), "IFTSTA", [[["BGM", "23", "R1"]]])


def test_ten_thousand_sets_stream_through_one_at_a_time():
    body = [["B10", "PRO", "SHIP", "SCAC"], ["AT7", "X1", "NS"]]
    rendered = edi_io.render(write_settings(), "214", [body] * 10_000)
    reading = next(edi_io.read(rendered.payload))
    count = sum(1 for _unit in reading.units())
    assert count == 10_000
    assert reading.describe()["documents"] == "214 x 10000"


# -- whatever arrives -----------------------------------------------------------------------


@given(st.binary(max_size=400))
def test_any_bytes_give_a_reading_or_a_parse_error(data):
    _exercise(data)


@needs_samples
@given(st.sampled_from(EDI_SAMPLES).flatmap(lambda name: mutated_bytes(sample(name))))
def test_any_damaged_sample_gives_a_reading_or_a_parse_error(data):
    _exercise(data)


def _exercise(data):
    try:
        edi_io.identify(data)
        for reading in edi_io.read(data):
            for unit in reading.units():
                reading.unit_payload(unit)
            reading.describe()
        edi_io.acknowledge(data, ack_settings(ta1=True))
    except ParseError:
        pass


def test_an_edifact_interchange_cut_short_is_still_read_with_its_envelope():
    data = (
        b"\xef\xbb\xbfUNB+UNOA:4+LOCK:ZZ+CBP-ACE-TEST:ZZ+20041016:1604+54++ACE'\r\n"
        b"UNG+CUSCAR+LOCK:ZZ+CBP-ACE-TEST:ZZ+20041016:1604+54+UN+D:03B'\r\n"
        b"UNH+CUSCAR54+CUSCAR:D:03B:UN'\r\nBGM+85:::STANDARD+LOCKKH04112206+22'"
    )
    ((reading, units),) = read_all(data)
    assert reading.interchange.control_number == "54"
    (alone,) = read_all(reading.unit_payload(units[0]))
    assert [unit.kind for unit in alone[1]] == ["CUSCAR"]
    assert any("UNT" in text for text in reading.describe()["discrepancies"])


@needs_samples
def test_a_ta1_on_errors_answers_only_the_interchange_whose_envelope_is_wrong():
    broken = sample("x12_940_simplot_warehouse_shipping_order.edi")  # IEA02 != ISA13
    clean = sample("x12_214_canadapost_multi_transaction.edi")  # ISA14 = 0, no discrepancy
    results = edi_io.acknowledge(clean + b"\n" + broken, ack_settings(ta1=True))
    assert [result.kind for result in results] == ["997", "TA1/997"]
