"""``wco-notification``: the HMRC CDS notification samples read as published, the response
function codes, rejections with their errors, payment instructions, unsafe XML."""

import json
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import ParseError
from logistics_adapters.formats.wco.statuses import DMS_RESPONSE_STATUSES
from logistics_adapters.registry import Identity

from . import strategies
from .helpers import assert_cli_parses_sample, needs_samples, parse_or_refuse, sample

FORMAT = "wco-notification"
UTC = timezone.utc
ACCEPTED = "hmrc_cds_notification_01_DMSACC_accepted.xml"
TAX = "hmrc_cds_notification_02_DMSTAX_tax_calculation.xml"
CLEARED = "hmrc_cds_notification_04_DMSCLE_cleared.xml"
CONTROL = "hmrc_cds_notification_05_DMSCTL_under_control.xml"
DOCUMENTS = "hmrc_cds_notification_06_DMSDOC_documents_required.xml"
RELEASED = "hmrc_cds_notification_08_DMSROG_goods_released.xml"
#: Each sample: (FunctionCode, status, LRN, MRN, IssueDateTime, the notification's own id).
SAMPLES = {
    ACCEPTED: (
        "01",
        c.CLEARANCE_ACCEPTED,
        "7847767E1WB6",
        "24GB22WOA1EV2P6AR5",
        datetime(2024, 2, 22, 10, 9, 38, tzinfo=UTC),
        "42e66025ad574258b8a980ca3aec101e",
    ),
    TAX: (
        "13",
        c.CLEARANCE_ACCEPTED,
        "7847767E1WB6",
        "24GB22WOA1EV2P6AR5",
        datetime(2024, 2, 22, 10, 9, 38, tzinfo=UTC),
        "c7eac705f2b34f9a980940b028073f40",
    ),
    CLEARED: (
        "09",
        c.CLEARANCE_RELEASED,
        "7847767E1WB6",
        "24GB22WOA1EV2P6AR5",
        datetime(2024, 2, 22, 10, 9, 40, tzinfo=UTC),
        "88f50f36037e4f0e9d96d7d1db2dd972",
    ),
    CONTROL: (
        "05",
        c.CLEARANCE_HOLD,
        "IM08a_PHYCTL_002",
        "20GB1Q3RTK463FGVR4",
        datetime(2020, 2, 13, 11, 7, 23, tzinfo=UTC),
        "cf614e6aa7fe4c01ae675b40ef4dffcf",
    ),
    DOCUMENTS: (
        "06",
        c.CLEARANCE_HOLD,
        "CDCMRESLCTTT2211KM05",
        "23GBCXDLLRXMOCTAA4",
        datetime(2023, 11, 22, 16, 33, 45, tzinfo=UTC),
        "450a2ae1589b40cb9db92fef786e8777",
    ),
    RELEASED: (
        "08",
        c.CLEARANCE_RELEASED,
        "R251_TC05_2111_13",
        "20GB1OJPU2P01FGVR4",
        datetime(2020, 2, 12, 9, 15, 7, tzinfo=UTC),
        "b850b7f5b53a4e699713199658a2d17f",
    ),
}

# A rejection, built after the structure of HMRC's DMSREJ notifications (WCO_RES_2_DMS.xsd:
# Error/ValidationCode, Description, Pointer/SequenceNumeric, DocumentSectionCode, TagID;
# Declaration/RejectionDateTime), since ../shared/samples holds no rejection. Unlike the
# published samples it carries the WCO namespaces, with a prefix, as live notifications do.
REJECTION = b"""<?xml version="1.0" encoding="UTF-8"?>
<md:MetaData xmlns:md="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"
    xmlns="urn:wco:datamodel:WCO:RES-DMS:2">
  <md:WCODataModelVersionCode>3.6</md:WCODataModelVersionCode>
  <md:WCOTypeName>RES</md:WCOTypeName>
  <Response>
    <FunctionCode>03</FunctionCode>
    <FunctionalReferenceID>rej-0001</FunctionalReferenceID>
    <IssueDateTime><DateTimeString formatCode="304">20250310081500Z</DateTimeString></IssueDateTime>
    <Error>
      <Description>The authorisation holder is not authorised for this procedure</Description>
      <ValidationCode>CDS12005</ValidationCode>
      <Pointer><DocumentSectionCode>42A</DocumentSectionCode></Pointer>
      <Pointer>
        <SequenceNumeric>1</SequenceNumeric>
        <DocumentSectionCode>17C</DocumentSectionCode>
        <TagID>R144</TagID>
      </Pointer>
    </Error>
    <Error>
      <ValidationCode>CDS10020</ValidationCode>
      <Pointer><DocumentSectionCode>42A</DocumentSectionCode></Pointer>
      <Pointer><DocumentSectionCode>67A</DocumentSectionCode></Pointer>
      <Pointer><SequenceNumeric>1</SequenceNumeric><DocumentSectionCode>68A</DocumentSectionCode></Pointer>
      <Pointer>
        <SequenceNumeric>2</SequenceNumeric>
        <DocumentSectionCode>02A</DocumentSectionCode>
        <TagID>360</TagID>
      </Pointer>
    </Error>
    <Declaration>
      <FunctionalReferenceID>WH/OUT/00042</FunctionalReferenceID>
      <ID>25GB1NA4Y2YSRFGVR6</ID>
      <RejectionDateTime>
        <DateTimeString formatCode="304">20250310081500Z</DateTimeString>
      </RejectionDateTime>
      <VersionID>1</VersionID>
    </Declaration>
  </Response>
</md:MetaData>
"""

# A duty calculation that is a payment instruction (immediate payment): the declaration's
# DutyTaxFee/Payment with its ReferenceID, DueDateTime, PaymentAmount and guarantee, as
# WCO_RES_2_DMS.xsd places them; a bare Response root, a date-time with a "+01" offset.
PAYMENT = b"""<Response xmlns="urn:wco:datamodel:WCO:RES-DMS:2">
  <FunctionCode>13</FunctionCode>
  <FunctionalReferenceID>tax-0002</FunctionalReferenceID>
  <IssueDateTime><DateTimeString formatCode="304">20250310091500+01</DateTimeString></IssueDateTime>
  <Declaration>
    <FunctionalReferenceID>WH/IN/00007</FunctionalReferenceID>
    <ID>25GB7HGPXUC5DFGVR2</ID>
    <DutyTaxFee>
      <Payment>
        <ReferenceID>CDSI1234567890</ReferenceID>
        <DueDateTime><DateTimeString formatCode="304">20250317170000Z</DateTimeString></DueDateTime>
        <PaymentAmount currencyID="GBP">226.40</PaymentAmount>
        <ObligationGuarantee><ReferenceID>1909241</ReferenceID></ObligationGuarantee>
      </Payment>
    </DutyTaxFee>
    <GoodsShipment>
      <GovernmentAgencyGoodsItem>
        <SequenceNumeric>2</SequenceNumeric>
        <Commodity>
          <DutyTaxFee>
            <TypeCode>A00</TypeCode>
            <Payment><TaxAssessedAmount currencyID="GBP">26.40</TaxAssessedAmount></Payment>
          </DutyTaxFee>
        </Commodity>
      </GovernmentAgencyGoodsItem>
    </GoodsShipment>
  </Declaration>
</Response>
"""


def parse(data):
    return registry.get(FORMAT).parse(data)


def refused(fmt, data):
    """The ParseError codec ``fmt`` refuses ``data`` with, raised on purpose: never an
    unexpected exception that the registry's guard turned into one."""
    with pytest.raises(ParseError) as caught:
        registry.get(fmt).parse(data)
    assert "unreadable document" not in str(caught.value)
    return caught.value


def assert_refused_at(fmt, data, field, says):
    """``data`` is refused by ``fmt`` with a message holding ``says``, about the element
    whose path ends with ``field``."""
    error = refused(fmt, data)
    assert error.field.endswith(field), error.field
    assert says in error.message


def refusal(data):
    return refused(FORMAT, data)


# -- the published samples ----------------------------------------------------------------


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_reads_as_published(name):
    code, status, lrn, mrn, issued, notification_id = SAMPLES[name]
    (found,) = parse(sample(name))
    assert (found.partner_status, found.status) == (code, status)
    assert (found.declaration_reference, found.mrn) == (lrn, mrn)
    assert found.occurred_at == issued and found.occurred_at.utcoffset() is not None
    assert found.notification_id == notification_id
    assert found.partner_status_text == DMS_RESPONSE_STATUSES[code].label
    assert found.errors == []


@needs_samples
def test_accepted_sample_says_nothing_more():
    (found,) = parse(sample(ACCEPTED))
    assert found.partner_status_text == "DMSACC: declaration accepted"
    assert (found.duties, found.remarks, found.currency, found.due_at) == ([], [], "", None)


@needs_samples
def test_tax_calculation_sample_gives_the_duties_of_the_goods_item():
    (found,) = parse(sample(TAX))
    assert found.duties == [
        c.Duty(
            "A00",
            Decimal("20.00"),
            base=Decimal("1000.00"),
            rate=Decimal("2.00"),
            currency="GBP",
            item=1,
        ),
        c.Duty(
            "B00",
            Decimal("204.00"),
            base=Decimal("1020.00"),
            rate=Decimal("20.00"),
            currency="GBP",
            item=1,
        ),
    ]
    assert found.currency == "GBP"
    assert sum(duty.amount for duty in found.duties) == Decimal("224.00")
    assert found.remarks == ["Bank for duties and taxes BARCGB22, account GB16BARC20051723372545"]
    assert (found.payment_reference, found.total_payable) == ("", None)


@needs_samples
def test_statements_become_remarks_and_the_documents_deadline_is_due_at():
    assert parse(sample(CLEARED))[0].remarks == ["Statement AFB/A2"]
    assert parse(sample(RELEASED))[0].remarks == ["Statement AFB/A1"]
    (documents,) = parse(sample(DOCUMENTS))
    assert documents.remarks == ["Statement ACA/ACA"]  # its StatementDescription is empty
    assert documents.due_at == datetime(2026, 9, 11, 16, 33, 45, tzinfo=UTC)
    assert parse(sample(CONTROL))[0].remarks == []


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_identify_gives_the_lrn_and_the_notification_id(name):
    _code, _status, lrn, _mrn, _issued, notification_id = SAMPLES[name]
    assert registry.get(FORMAT).identify(sample(name)) == Identity((lrn,), notification_id)


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_command_line_prints_the_clearance_status(name):
    assert_cli_parses_sample(registry.get(FORMAT), name)


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_statuses_survive_the_canonical_json_round_trip(name):
    for found in parse(sample(name)):
        assert c.from_jsonable(json.loads(json.dumps(c.to_jsonable(found)))) == found


# -- the response function codes ------------------------------------------------------------


def test_status_table_holds_the_guides_codes_with_clearance_statuses():
    assert sorted(DMS_RESPONSE_STATUSES) == [
        *("01", "02", "03", "05", "06", "07", "08", "09", "10", "11"),
        *("13", "14", "15", "16", "17", "18", "50", "51"),
    ]
    clearance = {code for code, _label in c.CLEARANCE_STATUSES}
    for code, entry in DMS_RESPONSE_STATUSES.items():
        assert entry.status in clearance, code
        assert entry.label.startswith("DMS"), code
    codec = registry.get(FORMAT)
    assert codec.statuses is DMS_RESPONSE_STATUSES and codec.partner == ""


@pytest.mark.parametrize(
    ("code", "status", "shipment_status"),
    [
        ("01", c.CLEARANCE_ACCEPTED, None),
        ("02", c.CLEARANCE_SUBMITTED, None),
        ("03", c.CLEARANCE_REJECTED, c.STATUS_CUSTOMS_HOLD),
        ("05", c.CLEARANCE_HOLD, c.STATUS_CUSTOMS_HOLD),
        ("06", c.CLEARANCE_HOLD, c.STATUS_CUSTOMS_HOLD),
        ("08", c.CLEARANCE_RELEASED, c.STATUS_CUSTOMS_RELEASED),
        ("09", c.CLEARANCE_RELEASED, c.STATUS_CUSTOMS_RELEASED),
        ("10", c.CLEARANCE_CANCELLED, None),
        ("13", c.CLEARANCE_ACCEPTED, None),
        ("14", c.CLEARANCE_HOLD, c.STATUS_CUSTOMS_HOLD),
        ("16", c.CLEARANCE_RELEASED, c.STATUS_CUSTOMS_RELEASED),
    ],
)
def test_function_code_maps_to_its_clearance_and_shipment_status(code, status, shipment_status):
    assert registry.get(FORMAT).status_for(code) == status
    assert c.CLEARANCE_TO_SHIPMENT_STATUS.get(status) == shipment_status
    (found,) = parse(PAYMENT.replace(b"<FunctionCode>13<", f"<FunctionCode>{code}<".encode()))
    assert (found.partner_status, found.status) == (code, status)


def test_unknown_function_code_is_refused_naming_it():
    error = refusal(PAYMENT.replace(b"<FunctionCode>13<", b"<FunctionCode>99<"))
    assert error.field == "Response/FunctionCode"
    assert "unknown response function code '99' (known: 01, 02, 03" in str(error)


# -- rejections, payments, several responses ----------------------------------------------


def test_rejection_gives_its_errors_with_their_pointers():
    (found,) = parse(REJECTION)
    assert found.status == c.CLEARANCE_REJECTED
    assert c.CLEARANCE_TO_SHIPMENT_STATUS[found.status] == c.STATUS_CUSTOMS_HOLD
    assert (found.declaration_reference, found.mrn) == ("WH/OUT/00042", "25GB1NA4Y2YSRFGVR6")
    assert found.partner_status_text == "DMSREJ: declaration rejected"
    assert found.occurred_at == datetime(2025, 3, 10, 8, 15, tzinfo=UTC)
    assert found.errors == [
        c.ClearanceError(
            "CDS12005",
            description="The authorisation holder is not authorised for this procedure",
            pointer="42A/17C[1]/R144",
            location="Declaration / Authorisation holder 1 / Authorisation holder, coded",
        ),
        c.ClearanceError(
            "CDS10020",
            pointer="42A/67A/68A[1]/02A[2]/360",
            location=(
                "Declaration / Goods shipment / Government agency goods item 1 / "
                "Additional document 2 / LPCO Exemption Code"
            ),
        ),
    ]
    assert registry.get(FORMAT).identify(REJECTION) == Identity(("WH/OUT/00042",), "rej-0001")


def test_payment_instruction_gives_reference_total_and_due_date():
    (found,) = parse(PAYMENT)
    assert found.occurred_at == datetime(2025, 3, 10, 8, 15, tzinfo=UTC)
    assert found.payment_reference == "CDSI1234567890"
    assert (found.total_payable, found.currency) == (Decimal("226.40"), "GBP")
    assert found.due_at == datetime(2025, 3, 17, 17, 0, tzinfo=UTC)
    assert found.duties == [c.Duty("A00", Decimal("26.40"), currency="GBP", item=2)]
    assert found.remarks == ["Guarantee reference 1909241"]


def test_each_response_of_a_notification_is_a_status():
    second = REJECTION.split(b"<Response>")[1].split(b"</Response>")[0]
    second = second.replace(b"<FunctionCode>03<", b"<FunctionCode>06<").replace(
        b"rej-0001", b"doc-0002"
    )
    both = REJECTION.replace(
        b"</md:MetaData>", b"<Response>" + second + b"</Response>\n</md:MetaData>"
    )
    statuses = parse(both)
    assert [s.partner_status for s in statuses] == ["03", "06"]
    assert registry.get(FORMAT).identify(both) == Identity(("WH/OUT/00042",), "doc-0002,rej-0001")


def test_acceptance_with_a_warning_keeps_it_as_error_and_remark():
    # An acceptance may carry a credibility warning (Error and AdditionalInformation, both
    # with pointers), as the RES schema allows on any response.
    warning = (
        b"<AdditionalInformation><StatementCode>smartErrorMsg</StatementCode>"
        b"<StatementDescription>Credibility check: value too low</StatementDescription>"
        b"<StatementTypeCode>1</StatementTypeCode>"
        b"<Pointer><SequenceNumeric>1</SequenceNumeric><DocumentSectionCode>68A"
        b"</DocumentSectionCode></Pointer></AdditionalInformation>"
        b"<Error><ValidationCode>CDS13000</ValidationCode>"
        b"<Pointer><DocumentSectionCode>42A</DocumentSectionCode><TagID>D014</TagID></Pointer>"
        b"</Error><Declaration>"
    )
    accepted = PAYMENT.replace(b"<FunctionCode>13<", b"<FunctionCode>01<")
    (found,) = parse(accepted.replace(b"<Declaration>", warning, 1))
    assert found.status == c.CLEARANCE_ACCEPTED
    assert found.errors == [
        c.ClearanceError(
            "CDS13000", pointer="42A/D014", location="Declaration / Document reference number"
        )
    ]
    assert found.remarks[0] == (
        "Statement 1/smartErrorMsg: Credibility check: value too low "
        "(Government agency goods item 1)"
    )


def test_identify_falls_back_on_the_mrn_without_lrn():
    received = PAYMENT.replace(b"<FunctionalReferenceID>WH/IN/00007</FunctionalReferenceID>", b"")
    assert registry.get(FORMAT).identify(received).references == ("25GB7HGPXUC5DFGVR2",)


# -- bad and unsafe documents -------------------------------------------------------------


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE MetaData [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        b'<!DOCTYPE MetaData SYSTEM "http://127.0.0.1:9/wco.dtd">',
        b'<!DOCTYPE MetaData [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
    ],
)
def test_document_type_declarations_are_refused_before_anything_is_read(doctype):
    document = b'<?xml version="1.0"?>' + doctype + b"<MetaData><Response>&x;</Response></MetaData>"
    error = refusal(document)
    assert error.format == FORMAT
    assert "document type declaration (<!DOCTYPE MetaData>) is refused" in str(error)
    assert "DTDs and entities are not accepted" in str(error)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "invalid XML: Document is empty"),
        (b'{"Response": {}}', "invalid XML"),
        (b"<MetaData><Response></MetaData>", "invalid XML: Opening and ending tag mismatch"),
        (b"<Declaration/>", "expected a WCO notification, got <Declaration>"),
        (b"<MetaData><WCOTypeName>DEC</WCOTypeName></MetaData>", "read it with wco-declaration"),
        (b"<MetaData/>", "no Response: not a notification"),
        (b"<Response/>", "field 'Response/FunctionCode': required element missing or empty"),
    ],
)
def test_bad_documents_are_refused_saying_why(data, says):
    assert says in str(refusal(data))


def test_syntax_error_gives_its_line():
    error = refusal(b"<MetaData>\n<Response>\n</Respons>\n</MetaData>")
    assert (error.line, error.format) == (3, FORMAT)


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        (b"20250310091500+01", b"20251310091500Z", "IssueDateTime/DateTimeString", "month"),
        (b"20250310091500+01", b"2025-03-10T09:15", "IssueDateTime/DateTimeString", "invalid"),
        (b"IssueDateTime>", b"IssueTime>", "Response/IssueDateTime", "would have no time"),
        (b"226.40", b"1e9999", "Declaration/DutyTaxFee/Payment/PaymentAmount", "invalid amount"),
        (b"<TypeCode>A00</TypeCode>", b"", "Commodity/DutyTaxFee/TypeCode", "missing"),
        (b"<SequenceNumeric>2<", b"<SequenceNumeric>two<", "SequenceNumeric", "invalid number"),
    ],
)
def test_bad_values_are_refused_naming_the_element(old, new, field, says):
    assert_refused_at(FORMAT, PAYMENT.replace(old, new), field, says)


@settings(max_examples=150)
@given(data=st.data())
def test_fuzz_mutated_notifications_read_or_are_refused(data):
    document = data.draw(st.sampled_from([REJECTION, PAYMENT]))
    parse_or_refuse(FORMAT, data.draw(strategies.mutated_bytes(document)), refusal=ParseError)
