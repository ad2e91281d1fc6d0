"""Writing X12 110s (a carrier's side): airbills, charges, totals, dates, airports, weight
and pieces written in the 004010 layout and read back the same; discounts as negative
amounts with two implied decimals; several airbills per invoice; the guide-shaped 110 of
the reader's tests written back; what a 110 cannot say; render -> parse round trips of
drawn invoices; the command line."""

import dataclasses
from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.formats import interchange
from logistics_adapters.formats.x12.billing import air_invoice_segments, read_air_invoice

from .helpers import run, write_settings, x12_interchange
from .strategies import x12_addresses, x12_cents, x12_charges, x12_days, x12_weights
from .test_x12_billing import AIR_BODY

AIR = registry.get("x12-110")
X12_150 = c.CODE_LIST_X12_150
FIRST, SECOND = "0457-88812345", "0457-88812356"


def _charge(code, amount, description="", rate=None):
    return c.Charge(
        code,
        Decimal(amount),
        description,
        rate=None if rate is None else Decimal(rate),
        code_list=X12_150,
        rate_qualifier="FR" if rate is not None else "",
    )


def _airbill(number, charges, **values):
    return c.FreightShipment(
        references={"airbill": number}, tracking_numbers=[number], charges=charges, **values
    )


def two_airbills():
    """The invoice of the reader's guide-shaped 110, as the reader gives it back: two
    airbills from SFO, a volume discount on the first."""
    first = _airbill(
        FIRST,
        [
            _charge("080", "300.00", "AIR FREIGHT", "300"),
            _charge("405", "36.00", "FUEL SURCHARGE", "36"),
            _charge("DSC", "-15.00", "VOLUME DISCOUNT"),
        ],
        weight_kg=240.0,
        pieces=3,
        ship_from=c.Address(company="ACME DISTRIBUTION", city="OAKLAND", country="US"),
        ship_to=c.Address(company="NORDIC PARTS AB", city="GOTEBORG", zip="41755", country="SE"),
        origin="SFO",
        destination="ARN",
        ship_date=date(2026, 3, 9),
        delivery_date=date(2026, 3, 12),
    )
    second = _airbill(
        SECOND,
        [_charge("080", "150.00", rate="150"), _charge("405", "11.50", rate="11.50")],
        weight_kg=75.0,
        pieces=1,
        origin="SFO",
        destination="JFK",
        ship_date=date(2026, 3, 10),
        delivery_date=date(2026, 3, 12),
    )
    return c.FreightInvoice(
        "AF2026031401",
        invoice_date=date(2026, 3, 14),
        due_date=date(2026, 4, 13),
        carrier="ACAR",
        shipment_reference=FIRST,
        tracking_number=FIRST,
        payment_method="prepaid",
        currency="USD",
        total=Decimal("482.50"),
        weight_kg=315.0,
        bill_to=c.Address(
            company="ACME DISTRIBUTION", street="100 HARBOR WAY", city="OAKLAND", country="US"
        ),
        references={"shipment_id": FIRST, "customer_reference": "PO-7781"},
        tracking_numbers=[FIRST, SECOND],
        shipments=[first, second],
        mode="air",
        delivery_date=date(2026, 3, 12),
    )


def _lines(payload):
    return [line for line in payload.decode().replace("\n", "").split("~") if line]


# --------------------------------------------------------------------------------------------
# Round trips: what is written is read back the same
# --------------------------------------------------------------------------------------------


def test_two_airbills_written_then_read_give_the_same_invoice():
    invoice = two_airbills()
    payload = AIR.render([invoice])
    (back,) = AIR.parse(payload)
    assert back == invoice
    first, second = back.shipments
    assert [s.references["airbill"] for s in back.shipments] == [FIRST, SECOND]
    assert (first.origin, first.destination, second.destination) == ("SFO", "ARN", "JFK")
    assert (first.ship_date, first.delivery_date) == (date(2026, 3, 9), date(2026, 3, 12))
    assert (first.weight_kg, first.pieces, second.weight_kg, second.pieces) == (240, 3, 75, 1)
    assert back.total == Decimal("482.50") == back.charges_total()
    assert (back.invoice_date, back.due_date) == (date(2026, 3, 14), date(2026, 4, 13))


def test_the_110_is_written_in_the_004010_layout():
    lines = _lines(AIR.render([two_airbills()]))
    assert lines[2:8] == [
        "ST*110*0001",
        "B3**AF2026031401*0457-88812345*PP**20260314*48250**20260312*035*ACAR",
        "C3*USD",
        "ITD*01*3****20260413",
        "N1*BT*ACME DISTRIBUTION",
        "N3*100 HARBOR WAY",
    ]
    start = lines.index("LX*1")
    assert lines[start : lines.index("LX*2")] == [
        "LX*1",
        "N1*SH*ACME DISTRIBUTION",
        "N4*OAKLAND***US",
        "N1*CN*NORDIC PARTS AB",
        "N4*GOTEBORG**41755*SE",
        "P1**20260309*011",  # shipped on
        "R1*ACAR**SFO**ARN",  # the SCAC's route; R104 (the flight's air carrier) not kept
        "POD*20260312",
        "N9*AW*0457-88812345",
        "L5*1",
        "L0*1***240*G***3*PCS**K",
        "L1*1*300*FR*30000****080****AIR FREIGHT",
        "L1*1*36*FR*3600****405****FUEL SURCHARGE",
        "L1*1***-1500****DSC****VOLUME DISCOUNT",
    ]
    assert lines[-4:-3] == ["L3*315*G***48250*******K"]  # L312: kilograms
    assert lines[-3] == f"SE*{len(lines) - 4}*0001"  # ST to SE, ISA GS GE IEA aside
    assert lines[0].startswith("ISA*") and lines[1].startswith("GS*IA*")


def test_the_guide_shaped_110_read_written_and_read_again_is_the_same():
    (invoice,) = AIR.parse(x12_interchange("110", AIR_BODY))
    assert AIR.parse(AIR.render([invoice])) == [invoice]
    # What the model does not keep is not written back: B3A, the stop at ORD, POD03, L5 text.
    lines = _lines(AIR.render([invoice]))
    assert not [line for line in lines if line.startswith("B3A")]
    assert "R1*ACAR**SFO**ARN" in lines and "POD*20260312" in lines


def test_written_through_the_cores_door_in_group_ia():
    invoice = two_airbills()
    rendered = interchange.render(write_settings(), "110", AIR.documents([invoice]))
    assert b"GS*IA*ODOO*PARTNER*" in rendered.payload
    assert b"ST*110*" in rendered.payload
    assert AIR.parse(rendered.payload) == [invoice]
    assert read_air_invoice(air_invoice_segments(invoice)) == invoice


# --------------------------------------------------------------------------------------------
# Discounts, several airbills
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "written"),
    [("-15.00", "-1500"), ("-0.05", "-5"), ("-1234567.89", "-123456789"), ("0", "0")],
)
def test_a_discount_is_a_negative_amount_with_two_implied_decimals(amount, written):
    invoice = dataclasses.replace(
        two_airbills(),
        total=None,
        shipments=[_airbill(FIRST, [_charge("080", "100.00"), _charge("DSC", amount)])],
        tracking_numbers=[FIRST],
    )
    lines = _lines(AIR.render([invoice]))
    assert f"L1*1***{written}****DSC" in lines
    (back,) = AIR.parse(AIR.render([invoice]))
    (discount,) = [charge for charge in back.all_charges() if charge.code == "DSC"]
    assert discount.amount == Decimal(amount)
    # No total given: B307 and L305 say the charges' sum, the discount taken off.
    assert back.total == Decimal("100.00") + Decimal(amount) == back.charges_total()


def test_an_airbill_credited_in_full_nets_negative():
    credit = _airbill(FIRST, [_charge("080", "-300.00", "CREDIT"), _charge("405", "-36.00")])
    invoice = c.FreightInvoice(
        "AF-CREDIT",
        carrier="ACAR",
        total=Decimal("-336.00"),
        shipments=[credit],
        tracking_number=FIRST,
        tracking_numbers=[FIRST],
        mode="air",
    )
    lines = _lines(AIR.render([invoice]))
    assert "B3**AF-CREDIT*****-33600****ACAR" in lines
    assert "L3*****-33600" in lines
    (back,) = AIR.parse(AIR.render([invoice]))
    assert back == invoice
    assert back.shipments[0].charges_total() == Decimal("-336.00")


def test_several_airbills_each_an_lx_loop_with_its_own_charges():
    numbers = [f"176-{n:08d}" for n in (1, 2, 3, 4)]
    shipments = [
        _airbill(
            number,
            [_charge("080", f"{100 * rank}.00"), _charge("405", f"{rank}.25")],
            weight_kg=10.5 * rank,
            pieces=rank,
            origin="ORD",
            destination=("LHR", "FRA", "CDG", "AMS")[rank - 1],
            ship_date=date(2026, 5, rank),
        )
        for rank, number in enumerate(numbers, start=1)
    ]
    invoice = c.FreightInvoice(
        "AF-WEEK-19",
        invoice_date=date(2026, 5, 8),
        carrier="ACAR",
        currency="EUR",
        total=Decimal("1011.00"),
        shipments=shipments,
        tracking_number=numbers[0],
        tracking_numbers=numbers,
        mode="air",
    )
    lines = _lines(AIR.render([invoice]))
    assert [line for line in lines if line.startswith("LX")] == ["LX*1", "LX*2", "LX*3", "LX*4"]
    assert [line for line in lines if line.startswith("N9")] == [f"N9*AW*{n}" for n in numbers]
    (back,) = AIR.parse(AIR.render([invoice]))
    assert back == invoice
    assert [s.charges_total() for s in back.shipments] == [
        Decimal("101.25"),
        Decimal("202.25"),
        Decimal("303.25"),
        Decimal("404.25"),
    ]
    assert back.charges_total() == back.total == Decimal("1011.00")
    assert [s.destination for s in back.shipments] == ["LHR", "FRA", "CDG", "AMS"]
    assert back.tracking_numbers == numbers


def test_several_invoices_are_several_sets_of_one_interchange():
    first = two_airbills()
    second = dataclasses.replace(
        first,
        invoice_number="AF2026031402",
        shipments=first.shipments[1:],
        tracking_number=SECOND,
        tracking_numbers=[SECOND],
        total=Decimal("161.50"),
        weight_kg=75.0,
    )
    payload = AIR.render([first, second])
    assert payload.count(b"ST*110*") == 2 and payload.count(b"GS*IA*") == 1
    assert AIR.parse(payload) == [first, second]
    assert AIR.identify(payload).references == ("AF2026031401", "AF2026031402")


# --------------------------------------------------------------------------------------------
# What a 110 cannot say
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mode": "motor"}, "air freight, not 'motor'"),
        ({"shipments": []}, "has no shipment"),
        ({"charges": [_charge("SCR", "5.00")]}, "the invoice's own charges have no place"),
        ({"shipments": [c.FreightShipment(charges=[_charge("080", "1")])]}, r"N9\*AW"),
        ({"shipments": [_airbill(FIRST, [], service="ND")]}, "no service level"),
        ({"shipments": [_airbill(FIRST, [], origin="SFO")]}, "both its origin and"),
        ({"shipments": [_airbill(FIRST, [], destination="JFK")]}, "both its origin and"),
        (
            {"shipments": [_airbill(FIRST, [c.Charge("FRT", Decimal(1), code_list="iag")])]},
            "a 110 \\(L108\\) holds X12 element 150 codes",
        ),
        ({"shipments": [_airbill(FIRST, [_charge("080", "1.005")])]}, "fractions of a cent"),
    ],
)
def test_what_a_110_cannot_say_is_refused(changes, message):
    invoice = dataclasses.replace(two_airbills(), **changes)
    with pytest.raises(ValueError, match=message):
        air_invoice_segments(invoice)
    with pytest.raises(ValueError, match=message):
        AIR.render([invoice])


def test_documents_refuse_other_objects():
    with pytest.raises(ValueError, match="from FreightInvoice objects"):
        AIR.documents([two_airbills().shipments[0]])


def test_the_command_line_renders_canonical_json_as_a_110(tmp_path):
    invoice = two_airbills()
    path = tmp_path / "invoice.json"
    path.write_bytes(registry.get("canonical-json").render([invoice]))
    result = run("render", "x12-110", str(path))
    assert result.returncode == 0, result.stderr
    assert b"ST*110*" in result.stdout
    assert AIR.parse(result.stdout) == [invoice]


# --------------------------------------------------------------------------------------------
# Round trips of drawn invoices, as the 110 reader gives them back
# --------------------------------------------------------------------------------------------

codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=12)
airports = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=5)
reference_kinds = st.sampled_from(["bill_of_lading", "purchase_order", "customer_reference", "DJ"])
addresses = x12_addresses("1 AIRPORT RD", "CHICAGO", "60666", ("US", "DE"))


charges = partial(
    x12_charges,
    ["", "080", "405", "FUE", "DSC", "090", "550"],
    ["", "AIR FREIGHT", "SECURITY"],
    ["FR", "KG"],
)


@st.composite
def airbills(draw):
    references = draw(st.dictionaries(reference_kinds, codes, max_size=2))
    kind = draw(st.sampled_from(["airbill", "tracking_number"]))
    for rank, number in enumerate(draw(st.lists(codes, min_size=1, max_size=2)), start=1):
        references[kind if rank == 1 else f"{kind}_{rank}"] = number
    numbers = [value for key, value in references.items() if key.startswith(kind)]
    route = draw(st.none() | st.tuples(airports, airports))
    origin, destination = route or ("", "")
    return c.FreightShipment(
        references=references,
        tracking_numbers=list(dict.fromkeys(numbers)),
        weight_kg=draw(x12_weights),
        pieces=draw(st.none() | st.integers(1, 9999)),
        ship_from=draw(addresses),
        ship_to=draw(addresses),
        origin=origin,
        destination=destination,
        ship_date=draw(x12_days),
        delivery_date=draw(x12_days),
        charges=draw(st.lists(charges(), max_size=4)),
    )


@st.composite
def air_invoices(draw):
    drawn = draw(st.lists(airbills(), min_size=1, max_size=4))
    references = draw(st.dictionaries(reference_kinds, codes, max_size=2))
    shipment_id = draw(st.sampled_from(["", "SHIP-1"]))
    if shipment_id:
        references = {"shipment_id": shipment_id, **references}
    tracking = list(dict.fromkeys(n for shipment in drawn for n in shipment.tracking_numbers))
    return c.FreightInvoice(
        draw(codes),
        invoice_date=draw(x12_days),
        due_date=draw(x12_days),
        carrier=draw(st.sampled_from(["", "ACAR", "FDXE"])),
        shipment_reference=shipment_id,
        tracking_number=tracking[0],
        payment_method=draw(st.sampled_from(["", "prepaid", "collect", "third_party"])),
        currency=draw(st.sampled_from(["", "USD", "EUR"])),
        total=draw(x12_cents),
        weight_kg=draw(x12_weights),
        bill_to=draw(addresses),
        ship_from=draw(addresses),
        ship_to=draw(addresses),
        references=references,
        tracking_numbers=tracking,
        shipments=drawn,
        mode="air",
        delivery_date=draw(x12_days),
    )


@settings(max_examples=100)
@given(air_invoices())
def test_110_render_then_parse_gives_the_invoices_back(invoice):
    assert AIR.parse(AIR.render([invoice])) == [invoice]


@settings(max_examples=50)
@given(st.lists(air_invoices(), min_size=1, max_size=3))
def test_each_drawn_invoice_is_its_own_set(invoices):
    payload = AIR.render(invoices)
    assert payload.count(b"ST*110*") == len(invoices)
    assert AIR.parse(payload) == invoices
