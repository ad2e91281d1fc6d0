"""X12 freight invoices: the x12-210 codec on the published samples (EdiFabric's truckload
invoice, UPS's five parcel invoices), the x12-110 codec on a set written after the published
guides (none is published), totals against charges, implied decimals and negatives, several
invoices per interchange, render -> parse round trips, bad input, fuzzing, the command line,
and the published element 150 list."""

import dataclasses
from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import ParseError
from logistics_adapters.formats import interchange, x12
from logistics_adapters.formats.x12.billing import (
    SPECIAL_CHARGE_CODES,
    UnknownChargeCode,
    charge_code_label,
    invoice_segments,
)
from logistics_adapters.formats.x12.transport.common import POUND_KG

from .helpers import (
    SAMPLES,
    assert_cli_parses_sample,
    each_parses_or_refuses,
    needs_samples,
    parsed_unit_by_unit,
    run,
    sample,
    write_settings,
    x12_interchange,
)
from .strategies import (
    mutated_bytes,
    x12_addresses,
    x12_cents,
    x12_charges,
    x12_days,
    x12_weights,
)

MOTOR = registry.get("x12-210")
AIR = registry.get("x12-110")
CODECS = (MOTOR, AIR)
EDIFABRIC = "x12_210_freight_invoice_edifabric.edi"
UPS = "x12_210_ups_multi_l1_accessorials.edi"
ELEMENT_150 = "x12_element150_special_charge_codes.md"
SAMPLE_NAMES = [EDIFABRIC, UPS] if SAMPLES.is_dir() else []

#: A 110 of two airbills, written after the published 004010 guides (no 110 is published):
#: heading, an LX loop per airbill (parties, pick-up, routing, proof of delivery, L5 loop),
#: the totals; a discount on the first airbill.
AIR_BODY = (
    "B3**AF2026031401*0457-88812345*PP*K*20260314*48250**20260312*035*ACAR~B3A*SS*2~C3*USD~"
    "ITD*01*3****20260413~N1*BT*ACME DISTRIBUTION~N3*100 HARBOR WAY~"
    "N4*OAKLAND*CA*94607*US~N9*CR*PO-7781~"
    "LX*1~N1*SH*ACME DISTRIBUTION~N4*OAKLAND*CA*94607*US~N1*CN*NORDIC PARTS AB~"
    "N4*GOTEBORG**41755*SE~P1*SD*20260309*140*0930~R1*ACAR**SFO*ACA*ORD*ACA*ARN~"
    "POD*20260312*1015*L SVENSSON~N9*AW*0457-88812345~L5*1*MACHINE PARTS***PCS~"
    "L0*1*250*FR*240*G***3*PCS**K~L1*1*300*FR*30000****080****AIR FREIGHT~"
    "L1*2*36*FR*3600****405****FUEL SURCHARGE~L1*3***-1500****DSC****VOLUME DISCOUNT~"
    "LX*2~N9*AW*0457-88812356~P1*SD*20260310*140~R1*ACAR**SFO*ACA*JFK~POD*20260312~"
    "L5*1*SPARES***PCS~L0*1*80*FR*75*G***1*PCS**K~L1*1*150*FR*15000****080~"
    "L1*2*11.50*FR*1150****405~L3*315*G***48250"
)
MOTOR_BODY = "B3**INV-1**PP**20260314*12345****ABCD~LX*1~L1*1*123.45*FR*12345****400~L3*****12345"


def _invoice_by_number(invoices, number):
    (found,) = [invoice for invoice in invoices if invoice.invoice_number == number]
    return found


# --------------------------------------------------------------------------------------------
# 210: EdiFabric's truckload invoice, billed to a third party
# --------------------------------------------------------------------------------------------


@needs_samples
def test_210_edifabric_heading_totals_and_implied_decimals():
    (invoice,) = MOTOR.parse(sample(EDIFABRIC))
    assert (invoice.invoice_number, invoice.shipment_reference) == ("3410889", "545930791T")
    assert (invoice.carrier, invoice.payment_method, invoice.currency) == (
        "NLMI",
        "third_party",
        "USD",
    )
    assert (invoice.invoice_date, invoice.delivery_date) == (date(2007, 10, 31), date(2007, 10, 29))
    assert invoice.mode == "motor"
    # B307 5165 and L104 5165 have two implied decimals; L102 (a rate) is written 51.65.
    assert invoice.total == Decimal("51.65") == invoice.charges_total()
    assert invoice.charges == [
        c.Charge(
            "400", Decimal("51.65"), rate=Decimal("51.65"), code_list="x12-150", rate_qualifier="FR"
        )
    ]
    assert charge_code_label(invoice.charges[0].code) == "Freight"
    assert invoice.shipments == []
    assert invoice.weight_kg == pytest.approx(2619 * POUND_KG, abs=0.001)  # L3, pounds
    assert invoice.references == {
        "shipment_id": "545930791T",
        "AE": "260451",
        "OP": "3410889",
        "IK": "545930791T",
    }


@needs_samples
def test_210_edifabric_parties():
    (invoice,) = MOTOR.parse(sample(EDIFABRIC))
    assert invoice.ship_from == c.Address(
        company="SIEMENS VDO S A DE C V - SIEMENS AUTOMOTIVE",
        street="PERIFERICO SUR 7999D COMPLEJO IND",
        city="TLAQUEPAQUE",
        state="MX",
        zip="99999",
        country="MX",
    )
    assert invoice.ship_to.company == "BRAMPTON ASSEMBLY - COLLINS AND AIKMAN"
    assert (invoice.ship_to.street, invoice.ship_to.street2) == (
        "500 LAIRD ROAD",
        "GUELPH PRODUCTS",
    )
    assert invoice.bill_to.company == "BRAMPTON ASSEMBLY - MAIN"
    assert invoice.bill_to.country == "CA"


# --------------------------------------------------------------------------------------------
# 210: UPS's five parcel invoices (| terminator, ISA/GS versions apart, one SE count wrong)
# --------------------------------------------------------------------------------------------


@needs_samples
def test_210_ups_five_invoices_whose_totals_are_their_charges():
    invoices = MOTOR.parse(sample(UPS))
    totals = {invoice.invoice_number: invoice.total for invoice in invoices}
    assert totals == {
        "0000001808WW308": Decimal("17.00"),
        "0000001502WW308": Decimal("94.15"),
        "0000004045WW308": Decimal("285.55"),
        "0000002063WW308": Decimal("1056.47"),
        "0000004469WW318": Decimal("21642.90"),
    }
    for invoice in invoices:  # B307 and L305 say so, and the L1 lines add up to it
        assert invoice.charges_total() == invoice.total
        assert (invoice.carrier, invoice.mode, invoice.payment_method) == (
            "UPSN",
            "parcel",
            "prepaid",
        )
    assert [invoice.currency for invoice in invoices] == ["USD"] * 4 + ["CAD"]
    charges = [charge for invoice in invoices for charge in invoice.all_charges()]
    assert len(charges) == 211
    assert sum(charge.amount < 0 for charge in charges) == 49
    codes = {charge.code for charge in charges}
    assert {"FUE", "400", "690", "AAJ", "SAC", "CDF"} <= codes
    assert all(code in SPECIAL_CHARGE_CODES for code in codes)  # UPS's codes are all published
    assert {charge.code_list for charge in charges} == {"x12-150"}


@needs_samples
def test_210_ups_packages_are_shipments_with_tracking_numbers_and_negative_charges():
    invoice = _invoice_by_number(MOTOR.parse(sample(UPS)), "0000001808WW308")
    assert invoice.invoice_date == date(2008, 7, 26)
    assert invoice.references == {"18": "0000980205"}
    assert invoice.charges == []  # every LX loop names its package (N9), or NA
    service, package, adjustment = invoice.shipments
    assert service.references == {"ZZ": "NA"}
    assert [(charge.code, charge.amount) for charge in service.charges] == [
        ("SAC", Decimal("17.00"))
    ]
    assert package.references == {
        "pro": "1Z1808WW0473048017",
        "D2": "01",
        "LU": "BT170",
        "customer_reference": "7803A-0005-0001-1",
    }
    assert package.tracking_numbers == ["1Z1808WW0473048017"]  # the parcel carrier's CN
    assert (package.pieces, package.service) == (1, "ZZ")
    assert package.ship_to == c.Address(
        name="SMITH",
        company="7803A-0005-0001",
        street="90 POLLUS BLVD",
        city="BELFEST",
        zip="BT170",
        country="GB",
    )
    assert [(charge.code, charge.amount) for charge in package.charges] == [
        ("400", Decimal("127.40")),
        ("395", Decimal("15.00")),
        ("FUE", Decimal("25.48")),
        ("295", Decimal("-12.74")),
    ]
    assert [(charge.code, charge.amount, charge.description) for charge in adjustment.charges] == [
        ("CDF", Decimal("-167.88"), "050"),  # L112: UPS's sub-code, kept as written
        ("275", Decimal("12.74"), ""),
    ]
    assert invoice.tracking_numbers == ["1Z1808WW0473048017"]
    assert invoice.tracking_number == "1Z1808WW0473048017"
    assert invoice.bill_to == c.Address(
        name="JARED",
        company="JOHN 117",
        street="435 SOUTH ST",
        street2="SUITE 301, INDUSTRIAL DISTRICT",  # two N3 segments
        city="MORRISTOWN",
        state="NJ",
        zip="07960",
        country="US",
    )


@needs_samples
def test_210_ups_wrong_set_count_is_read_and_reported_by_the_envelope():
    units = [unit for reading in interchange.read(sample(UPS)) for unit in reading.units()]
    assert [unit.kind for unit in units] == ["210"] * 5
    assert [bool(unit.discrepancies) for unit in units] == [True, False, False, False, False]
    assert len(MOTOR.parse(sample(UPS))) == 5


@needs_samples
@pytest.mark.parametrize("name", [EDIFABRIC, UPS])
def test_210_samples_read_the_same_alone_written_back_and_on_the_command_line(name):
    invoices = MOTOR.parse(sample(name))
    assert parsed_unit_by_unit(MOTOR, sample(name)) == invoices
    assert MOTOR.parse(MOTOR.render(invoices)) == invoices
    assert_cli_parses_sample(MOTOR, name)


@needs_samples
def test_identify_gives_the_invoice_numbers():
    assert MOTOR.identify(sample(EDIFABRIC)).references == ("3410889",)
    assert len(MOTOR.identify(sample(UPS)).references) == 5


# --------------------------------------------------------------------------------------------
# 110: air freight, one shipment per airbill
# --------------------------------------------------------------------------------------------


def test_110_airbills_are_shipments_with_their_routes_dates_and_charges():
    (invoice,) = AIR.parse(x12_interchange("110", AIR_BODY))
    assert (invoice.invoice_number, invoice.mode, invoice.carrier) == (
        "AF2026031401",
        "air",
        "ACAR",
    )
    assert (invoice.invoice_date, invoice.due_date) == (date(2026, 3, 14), date(2026, 4, 13))
    assert invoice.total == Decimal("482.50") == invoice.charges_total()
    assert invoice.references == {"shipment_id": "0457-88812345", "customer_reference": "PO-7781"}
    assert invoice.tracking_numbers == ["0457-88812345", "0457-88812356"]
    assert invoice.weight_kg == 315
    first, second = invoice.shipments
    assert first.references == {"airbill": "0457-88812345"}
    assert (first.origin, first.destination) == ("SFO", "ARN")
    assert (first.ship_date, first.delivery_date) == (date(2026, 3, 9), date(2026, 3, 12))
    assert (first.weight_kg, first.pieces) == (240, 3)
    assert (first.ship_from.company, first.ship_to.country) == ("ACME DISTRIBUTION", "SE")
    assert [(charge.code, charge.amount, charge.description) for charge in first.charges] == [
        ("080", Decimal("300.00"), "AIR FREIGHT"),
        ("405", Decimal("36.00"), "FUEL SURCHARGE"),
        ("DSC", Decimal("-15.00"), "VOLUME DISCOUNT"),
    ]
    assert first.charges_total() == Decimal("321.00")
    assert (second.origin, second.destination, second.tracking_numbers) == (
        "SFO",
        "JFK",
        ["0457-88812356"],
    )
    assert second.charges[1].rate == Decimal("11.50")


def test_the_command_line_reads_a_110(tmp_path):
    assert AIR.can_render(), "written too: test_x12_air_invoice_writer.py"
    path = tmp_path / "invoice.edi"
    path.write_bytes(x12_interchange("110", AIR_BODY))
    result = run("parse", "x12-110", str(path))
    assert result.returncode == 0, result.stderr
    assert b'"invoice_number": "AF2026031401"' in result.stdout
    assert b'"mode": "air"' in result.stdout


# --------------------------------------------------------------------------------------------
# Implied decimals, totals, several invoices, bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "amount"),
    [("5165", "51.65"), ("-1274", "-12.74"), ("0", "0.00"), ("7", "0.07"), ("-5", "-0.05")],
)
def test_amounts_have_two_implied_decimals(written, amount):
    body = f"B3**INV-1**PP**20260314*{written}****ABCD~LX*1~L1*1***{written}****400"
    (invoice,) = MOTOR.parse(x12_interchange("210", body))
    assert invoice.total == invoice.charges[0].amount == Decimal(amount)


def test_total_from_l3_when_b3_gives_none_and_a_total_the_charges_do_not_make():
    body = "B3**INV-1**CC**20260314*****ABCD~LX*1~L1*1***1000****400~L1*1***250****405~L3*****1300"
    (invoice,) = MOTOR.parse(x12_interchange("210", body))
    assert (invoice.payment_method, invoice.total) == ("collect", Decimal("13.00"))
    assert invoice.charges_total() == Decimal("12.50")  # the audit's business, not the codec's


def test_several_sets_give_several_invoices_in_order():
    sets = [
        [["B3", "", f"INV-{n}", "", "PP", "", "20260314", "1000", "", "", "", "ABCD"]]
        for n in (1, 2, 3)
    ]
    rendered = interchange.render(write_settings(), "210", sets)
    assert rendered.payload.count(b"GS*IM*") == 1
    assert [invoice.invoice_number for invoice in MOTOR.parse(rendered.payload)] == [
        "INV-1",
        "INV-2",
        "INV-3",
    ]


@pytest.mark.parametrize(
    ("body", "segment", "element", "message"),
    [
        (
            MOTOR_BODY.replace("*12345****400", "*123.45****400"),
            "L1",
            "L104",
            "not an amount in cents",
        ),
        (MOTOR_BODY.replace("INV-1", ""), "B3", "B302", "invoice number"),
        (MOTOR_BODY.replace("20260314", "20261314"), "B3", "B306", "no date"),
        (MOTOR_BODY.replace("*12345****ABCD", "*1.5****ABCD"), "B3", "B307", "not an amount"),
        (MOTOR_BODY.replace("*12345****400", "****400"), "L1", "L104", r"charge\) is empty"),
        (MOTOR_BODY.replace("123.45*FR", "1e5*FR"), "L1", "L102", "not a number"),
        (MOTOR_BODY + "~ITD*01*3*****99999999", "ITD", "ITD07", "no payment term"),
        (MOTOR_BODY.replace("LX*1~", "LX*1~L0*1***heavy*G~"), "L0", "L004", "not a number"),
    ],
)
def test_bad_values_are_refused_naming_segment_element_and_position(
    body, segment, element, message
):
    with pytest.raises(ParseError, match=message) as caught:
        MOTOR.parse(x12_interchange("210", body))
    error = caught.value
    assert (error.format, error.segment, error.field) == ("x12-210", segment, element)
    assert error.position >= 2
    assert "210 set 0001, segment" in str(error)


def test_an_interchange_without_the_set_is_refused():
    with pytest.raises(ParseError, match="no 110 transaction set"):
        AIR.parse(x12_interchange("210", MOTOR_BODY))


# --------------------------------------------------------------------------------------------
# Writing a 210 (the sandbox carrier's side), and what a 210 cannot say
# --------------------------------------------------------------------------------------------


def test_invoice_written_in_its_envelope_with_group_im():
    invoice = c.FreightInvoice(
        "INV-9",
        invoice_date=date(2026, 3, 14),
        due_date=date(2026, 4, 13),
        carrier="PRFR",
        payment_method="prepaid",
        currency="USD",
        total=Decimal("105.50"),
        bill_to=c.Address(company="ACME", city="Springfield", country="US"),
        charges=[
            c.Charge("400", Decimal("120.50"), code_list="x12-150"),
            c.Charge("DSC", Decimal("-15")),
        ],
        references={"bill_of_lading": "BOL-1"},
        tracking_number="TRK-1",
        mode="motor",
    )
    rendered = interchange.render(write_settings(), "210", MOTOR.documents([invoice]))
    payload = rendered.payload
    assert b"GS*IM*ODOO*PARTNER*" in payload
    assert b"B3**INV-9**PP**20260314*10550****PRFR~" in payload
    assert b"ITD*01*3****20260413~" in payload
    assert b"N9*BM*BOL-1~\nN9*2I*TRK-1~" in payload
    assert b"L1*1***-1500****DSC~" in payload
    assert b"L3*****10550~" in payload
    (back,) = MOTOR.parse(payload)
    assert back.total == Decimal("105.50") == back.charges_total()
    assert back.references == {"bill_of_lading": "BOL-1", "tracking_number": "TRK-1"}
    assert back.tracking_numbers == ["TRK-1"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"charges": [c.Charge("X1", Decimal(1), code_list="ups")]}, "holds X12 element 150 codes"),
        ({"charges": [c.Charge("400", Decimal("1.005"))]}, "fractions of a cent"),
        ({"mode": "parcel", "shipments": [c.FreightShipment({"pro": "1"})]}, "CD3 service level"),
        ({"shipments": [c.FreightShipment({"pro": "1"}, service="01")]}, "no small package"),
        ({"shipments": [c.FreightShipment()]}, "named by its references"),
        ({"mode": "air"}, "motor or parcel"),
    ],
)
def test_what_a_210_cannot_say_is_refused(changes, message):
    invoice = dataclasses.replace(c.FreightInvoice("INV-1", total=Decimal(1)), **changes)
    with pytest.raises(ValueError, match=message):
        invoice_segments(invoice)


def test_documents_refuse_other_objects():
    with pytest.raises(ValueError, match="from FreightInvoice objects"):
        MOTOR.documents([c.Charge("400", Decimal(1))])


# --------------------------------------------------------------------------------------------
# Round trips: invoices drawn as the 210 reader gives them back
# --------------------------------------------------------------------------------------------

codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=10)
reference_kinds = st.sampled_from(
    ["bill_of_lading", "purchase_order", "DJ", "customer_reference", "18"]
)
addresses = x12_addresses("1 MAIN ST", "SPRINGFIELD", "12345", ("US", "CA"))


charges = partial(
    x12_charges,
    ["", "400", "405", "FUE", "DSC", "RES"],
    ["", "FUEL SURCHARGE", "050"],
    ["FR", "PH"],
)


def tracking_kind(kind, parcel):
    """Whether the 210 reader takes references of ``kind`` as tracking numbers."""
    base = kind.rsplit("_", 1)[0] if kind[-1].isdigit() else kind
    return base == "tracking_number" or (parcel and base == "pro")


@st.composite
def shipments(draw, parcel):
    references = draw(st.dictionaries(reference_kinds, codes, max_size=2))
    kind = draw(st.sampled_from(["pro", "tracking_number"]))
    for rank, number in enumerate(draw(st.lists(codes, max_size=2)), start=1):
        references[kind if rank == 1 else f"{kind}_{rank}"] = number
    if not references:
        references["pro"] = draw(codes)
    numbers = [number for kind, number in references.items() if tracking_kind(kind, parcel)]
    return c.FreightShipment(
        references=references,
        tracking_numbers=list(dict.fromkeys(numbers)),
        weight_kg=draw(x12_weights),
        pieces=draw(st.none() | st.integers(1, 999)),
        ship_from=draw(addresses),
        ship_to=draw(addresses),
        service=draw(st.sampled_from(["", "ZZ", "SG"])) if parcel else "",
        charges=draw(st.lists(charges(), max_size=3)),
    )


@st.composite
def invoices(draw):
    parcel = draw(st.booleans())
    drawn = draw(st.lists(shipments(parcel), max_size=3))
    if parcel and not any(shipment.service for shipment in drawn):
        drawn.append(dataclasses.replace(draw(shipments(parcel)), service="ZZ"))
    references = draw(st.dictionaries(reference_kinds, codes, max_size=3))
    shipment_id = draw(st.sampled_from(["", "SHIP-1"]))
    if shipment_id:
        references = {"shipment_id": shipment_id, **references}
    tracking = [number for shipment in drawn for number in shipment.tracking_numbers]
    tracking = list(dict.fromkeys(tracking))
    return c.FreightInvoice(
        draw(codes),
        invoice_date=draw(x12_days),
        due_date=draw(x12_days),
        carrier=draw(st.sampled_from(["", "ABCD", "UPSN"])),
        shipment_reference=shipment_id,
        tracking_number=next(iter(tracking), ""),
        payment_method=draw(st.sampled_from(["", "prepaid", "collect", "third_party", "DE"])),
        currency=draw(st.sampled_from(["", "USD", "CAD"])),
        total=draw(x12_cents),
        weight_kg=draw(x12_weights),
        bill_to=draw(addresses),
        ship_from=draw(addresses),
        ship_to=draw(addresses),
        charges=draw(st.lists(charges(), max_size=3)),
        references=references,
        tracking_numbers=tracking,
        shipments=drawn,
        mode="parcel" if parcel else "motor",
        delivery_date=draw(x12_days),
    )


@settings(max_examples=100)
@given(invoices())
def test_210_render_then_parse_gives_the_invoices_back(invoice):
    assert MOTOR.parse(MOTOR.render([invoice])) == [invoice]


# --------------------------------------------------------------------------------------------
# Element 150: the published list
# --------------------------------------------------------------------------------------------


def test_element_150_holds_the_published_list():
    assert len(SPECIAL_CHARGE_CODES) == 1122
    assert charge_code_label("405") == "Fuel Surcharge"
    assert charge_code_label("RES") == "Residential Delivery"
    assert charge_code_label("ZZZ") == "Mutually Defined"
    with pytest.raises(UnknownChargeCode, match="'XYZ' is not an X12 element 150"):
        charge_code_label("XYZ")
    for unknown in ("405 ", "fue", "", None):  # looked up as written: no guessing
        with pytest.raises(LookupError):
            charge_code_label(unknown)
    with pytest.raises(TypeError):
        SPECIAL_CHARGE_CODES["NEW"] = "Invented"


@needs_samples
def test_element_150_table_is_the_sample_verbatim():
    rows = [
        line.split("|")[1:3]
        for line in sample(ELEMENT_150).decode("utf-8").splitlines()
        if line.startswith("| ") and not line.startswith("| Code |")
    ]
    assert {code.strip(): label.strip() for code, label in rows} == dict(SPECIAL_CHARGE_CODES)


# --------------------------------------------------------------------------------------------
# Fuzzing: any input raises nothing but ParseError
# --------------------------------------------------------------------------------------------


#: What the fuzzers start from: the 110 above, and the published 210s where present.
FUZZ_SOURCES = [x12_interchange("110", AIR_BODY), *(sample(n)[:3000] for n in SAMPLE_NAMES)]
#: Values no reader can take, in the segments they go in.
BAD_SEGMENTS = ["L1*1***12.5****400", "L1*1*x**100", "L0*1***1e999*G", "L0*1*******-1.5*PCS"]
BAD_SEGMENTS += ["L3*x", "ITD*01*3*****-1", "B3**", "N3*A~N3*B~N3*C", "P1*SD*2026"]
BAD_SEGMENTS += ["POD*20260230", "R1", "CD3*B*1", "LX", "N9*2I"]


@settings(max_examples=200)
@given(
    st.binary(max_size=300).map(lambda data: b"ISA" + data)
    | st.sampled_from(FUZZ_SOURCES).flatmap(mutated_bytes)
)
def test_random_and_mutated_bytes_are_read_or_refused(data):
    each_parses_or_refuses(CODECS, data, ParseError)


@given(st.lists(st.sampled_from(BAD_SEGMENTS), max_size=5), st.sampled_from(CODECS))
def test_bad_values_in_sets_raise_only_parse_error(lines, codec):
    body = "B3**INV-1**PP**20260314*100~" + "~".join(lines)
    each_parses_or_refuses([codec], x12_interchange(codec.kind, body), ParseError)


def test_codecs_are_registered_with_their_groups():
    assert (MOTOR.can_render(), x12.FUNCTIONAL_IDS["210"], x12.FUNCTIONAL_IDS["110"]) == (
        True,
        "IM",
        "IA",
    )
    assert MOTOR.media_type == AIR.media_type == "application/edi-x12"
