"""X12 warehouse sets: the x12-940, x12-943, x12-945, x12-856, x12-944 and x12-846 codecs on
the published samples (and on sets written after published guides where none is published),
render -> parse round trips, the 846 as a stream, fuzzing, the command line."""

import tracemalloc
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import ParseError
from logistics_adapters.formats import interchange, x12
from logistics_adapters.formats.x12.transport.common import POUND_KG
from logistics_adapters.formats.x12.warehouse import read_inventory
from logistics_adapters.formats.x12.warehouse.common import primary

from .helpers import (
    SAMPLES,
    X12_ISA,
    assert_cli_parses_sample,
    each_parses_or_refuses,
    needs_samples,
    parsed_unit_by_unit,
    run,
    sample,
    write_settings,
    x12_interchange,
)
from .strategies import mutated_bytes

ORDER = registry.get("x12-940")
TRANSFER = registry.get("x12-943")
ADVICE = registry.get("x12-945")
NOTICE = registry.get("x12-856")
RECEIPT = registry.get("x12-944")
INVENTORY = registry.get("x12-846")
CODECS = (ORDER, TRANSFER, ADVICE, NOTICE, RECEIPT, INVENTORY)
SAMPLE_940 = "x12_940_simplot_warehouse_shipping_order.edi"
SAMPLE_943 = "x12_943_warehouse_stock_transfer_shipment_stupidedi.edi"
SAMPLE_944 = "x12_944_warehouse_stock_transfer_receipt_lots.edi"
SAMPLE_945 = "x12_945_warehouse_shipping_advice_edifabric.edi"
SAMPLE_846 = "x12_846_inventory_advice_tilde_brace_delimiters.edi"
MALFORMED_846 = "x12_846_inventory_advice_star_terminator_malformed.edi"
SAMPLES_BY_CODEC = [
    (ORDER, SAMPLE_940),
    (TRANSFER, SAMPLE_943),
    (ADVICE, SAMPLE_945),
    (RECEIPT, SAMPLE_944),
    (INVENTORY, SAMPLE_846),
]


# --------------------------------------------------------------------------------------------
# 940: the J.R. Simplot order to its 3PL
# --------------------------------------------------------------------------------------------


@needs_samples
def test_940_order_heading_parties_dates_and_carrier():
    (order,) = ORDER.parse(sample(SAMPLE_940))
    assert (order.reference, order.kind, order.purpose) == ("01235639", "outbound", "original")
    assert order.references == {"purchase_order": "3353558", "shipper_id": "03908202"}
    assert order.warehouse == "708090"
    assert order.parties["warehouse"].company == "Distribution Unlimited Inc 090"
    assert order.parties["depositor"].company == "J.R. SIMPLOT FOOD GROUP"
    assert order.ship_to == c.Address(
        company="McLane Foodservice Inc",
        street="Northeaster Industrial Park Bldg 22",
        city="Guilderland Center",
        state="NY",
        zip="12085",
        country="US",
    )
    assert (order.requested_date, order.delivery_date) == (date(2011, 1, 13), date(2011, 1, 14))
    assert order.notes == "ORDER MGMT=Diana Tyvand Ext. 8207\nLOAD ON SLIP SHEETS"
    assert (order.payment_method, order.mode, order.service) == ("collect", "H", "CUST")
    assert order.weight_kg == pytest.approx(44118 * POUND_KG, abs=0.001)


@needs_samples
def test_940_order_lines_with_product_ids_line_numbers_and_weights():
    (order,) = ORDER.parse(sample(SAMPLE_940))
    fries, tots = order.lines
    assert (fries.product_code, fries.quantity, fries.uom) == ("007117900989", 972, "CA")
    assert fries.product_ids == {"upc_case": "007117900989", "gtin14": "10071179009894"}
    assert (fries.line_number, fries.description) == ("1000", "KFC Fries Seas Wedge 14Cut 6/6#")
    assert fries.references == {"PJ": "PBU"}
    assert fries.weight_kg == pytest.approx(36936 * POUND_KG, abs=0.001)
    assert (tots.product_code, tots.quantity, tots.line_number) == ("007117901707", 189, "2000")
    assert sum(line.quantity for line in order.lines) == 1161  # W7601


@needs_samples
def test_940_sample_written_back_reads_the_same():
    orders = ORDER.parse(sample(SAMPLE_940))
    written = ORDER.render(orders)
    assert b"W05*N*01235639*3353558~" in written
    assert b"W01*972*CA*007117900989*UK*10071179009894~" in written
    assert ORDER.parse(written) == orders


@pytest.mark.parametrize(
    ("code", "purpose"),
    [("N", "original"), ("00", "original"), ("R", "change"), ("04", "change"), ("F", "cancel")],
)
def test_940_purpose_codes(code, purpose):
    (order,) = ORDER.parse(x12_interchange("940", f"W05*{code}*ORD-1~W76*0"))
    assert order.purpose == purpose


def test_940_order_from_odoo_written_in_its_envelope():
    order = c.WarehouseOrder(
        "WH/OUT/00042",
        warehouse="DC01",
        ship_to=c.Address(company="ACME", street="1 Main St", city="Springfield", country="US"),
        carrier="UPSN",
        service="GROUND",
        requested_date=date(2025, 3, 14),
        lines=[c.OrderLine("SKU-1", 3, "1", uom="EA", product_ids={"upc": "012345678905"})],
        purpose="change",
    )
    rendered = interchange.render(write_settings(), "940", ORDER.documents([order]))
    assert b"GS*OW*ODOO*PARTNER*" in rendered.payload
    assert b"W05*R*WH/OUT/00042~" in rendered.payload
    assert b"W01*3*EA**VN*SKU-1*UP*012345678905~" in rendered.payload
    (back,) = ORDER.parse(rendered.payload)
    # The product code is written as the vendor's item number: it comes back among the ids.
    assert back.lines[0].product_ids == {"vendor_item": "SKU-1", "upc": "012345678905"}
    back.lines[0].product_ids = {"upc": "012345678905"}
    assert back == order


@pytest.mark.parametrize(
    ("order", "message"),
    [
        (c.WarehouseOrder("R1", kind="inbound"), "carries outbound orders"),
        (c.WarehouseOrder("R1", lines=[c.OrderLine("", 1)]), "has no product code"),
        (c.WarehouseOrder("R1", references={"our id": "7"}), "no X12 qualifier"),
        (
            c.WarehouseOrder("R1", lines=[c.OrderLine("A", 1, product_ids={k: k for k in "BCDE"})]),
            "a W01 holds 3",
        ),
        (c.WarehouseOrder("R*1"), "delimiter"),
    ],
)
def test_940_render_refuses_what_a_940_cannot_say(order, message):
    with pytest.raises(ValueError, match=message):
        ORDER.render([order])


def test_940_bad_quantity_is_refused_naming_element_and_segment():
    body = "W05*N*ORD-1~LX*1~W01*lots*CA**VN*A~"
    with pytest.raises(ParseError) as caught:
        ORDER.parse(x12_interchange("940", body))
    error = caught.value
    assert (error.segment, error.field, error.position) == ("W01", "W0101", 4)
    assert "940 set 0001, segment 4: W0101 'lots' is not a number" in str(error)


# --------------------------------------------------------------------------------------------
# 943: an inbound transfer announced to the warehouse
# --------------------------------------------------------------------------------------------


@needs_samples
def test_943_inbound_transfer():
    (order,) = TRANSFER.parse(sample(SAMPLE_943))
    assert (order.reference, order.kind, order.requested_date) == (
        "DO12345",
        "inbound",
        date(2026, 7, 14),
    )
    assert (order.warehouse, order.parties["warehouse"].company) == ("ACME01", "ACME WAREHOUSE")
    assert (order.mode, order.carrier, order.service) == ("M", "SCAC", "RTE")
    assert (order.payment_method, order.references) == ("prepaid", {"equipment": "EQNUM"})
    (line,) = order.lines
    assert (line.product_code, line.quantity, line.uom, line.line_number) == (
        "ITEM123",
        100,
        "EA",
        "REF456",
    )
    assert TRANSFER.parse(TRANSFER.render([order])) == [order]


def test_943_needs_its_ship_date_and_inbound_orders():
    with pytest.raises(ValueError, match="needs requested_date"):
        TRANSFER.render([c.WarehouseOrder("T1", kind="inbound")])
    with pytest.raises(ValueError, match="carries inbound orders"):
        TRANSFER.render([c.WarehouseOrder("T1", requested_date=date(2025, 1, 1))])


# --------------------------------------------------------------------------------------------
# 945: the EdiFabric template (Simplot style) and a set with SSCC marks
# --------------------------------------------------------------------------------------------


@needs_samples
def test_945_template_date_is_listed_not_guessed():
    (advice,) = ADVICE.parse(sample(SAMPLE_945))
    # W0603 is the literal "CCYYMMDD" as published: no date, said so, quantities all read.
    assert advice.confirmed_at is None
    assert advice.discrepancies == [
        "W0603 'CCYYMMDD' is not a date and time (W06, segment 2): the ship date is not known"
    ]
    assert sum(line.quantity for line in advice.lines) == 144


@needs_samples
def test_945_shipped_lines_split_over_their_license_plates():
    (advice,) = ADVICE.parse(sample(SAMPLE_945))
    assert (advice.order_reference, advice.partner_reference) == ("12345", "123456")
    assert (advice.kind, advice.warehouse, advice.carrier, advice.service) == (
        "shipment",
        "123456",
        "TRUK",
        "TRUCKING",
    )
    assert advice.references == {
        "seal": "Seal Number",
        "ZZ": "Temperature Recording Device Number",
        "equipment": "Equipment ID",
    }
    assert advice.weight_kg == pytest.approx(15360 * POUND_KG, abs=0.001)
    assert [(line.quantity, line.package_reference) for line in advice.lines] == [
        (36, "00100752782101847618"),
        (36, "00100752782101847619"),
        (72, "00100752782101847620"),
    ]
    assert [p.reference for p in advice.packages] == [
        "00100752782101847618",
        "00100752782101847619",
        "00100752782101847620",
    ]
    first, second, third = advice.lines
    assert first.lots == [c.Lot("40550", 36)] and second.lots == [c.Lot("40550", 36)]
    assert third.lots == [c.Lot("40551", 72)]
    # The ordered 72 is shared by the two plates of the first W12, not counted twice.
    assert [line.quantity_ordered for line in advice.lines] == [36, 36, 72]
    assert {line.status for line in advice.lines} == {"CC"}
    assert first.product_ids == {"upc_case": "007117901645", "gtin14": "10071179016458"}
    assert (first.line_number, first.references) == ("1000", {"PC": "989JAN281301"})


# A 945 with MAN marks after the Infoplus baseline 945 map (support.infopluscommerce.com
# "945 - Warehouse Shipping Advice": MAN01 GM = SSCC-18, MAN04 CN = carton tracking number,
# W1201 CC / CP, W1202 ordered, W1203 shipped): no published sample has MAN segments.
ADVICE_WITH_MARKS = """
W06*F*SO-1001*20250312*SH778899**PO-55~
N1*WH*Main DC*9*DC01~
N9*BM*BOL445566~
G62*11*20250312*8*1430*CT~
W27*M*UPSN*UPS GROUND*PP~
LX*1~
MAN*GM*00106141412345678904**CN*1Z999AA10123456784~
W12*CC*10*10**EA*012345678905*VN*SKU-1*LOT-A~
G69*WIDGET BLUE~
N9*LI*1~
LX*2~
MAN*GM*00106141412345678911**CN*1Z999AA10123456791~
W12*CP*5*3*2*EA**VN*SKU-2~
N9*LI*2~
N9*LT*LOT-B*2~
N9*LT*LOT-C*1~
W12*CC*4*4**EA**VN*SKU-3~
N9*LI*3~
W03*17*12.5*LB~
"""


def test_945_packages_from_marks_with_their_tracking_numbers():
    (advice,) = ADVICE.parse(x12_interchange("945", ADVICE_WITH_MARKS))
    assert advice.confirmed_at == datetime(2025, 3, 12, 14, 30, tzinfo=ZoneInfo("America/Chicago"))
    assert (advice.bill_of_lading, advice.tracking_number) == ("BOL445566", "1Z999AA10123456784")
    assert advice.references["purchase_order"] == "PO-55"
    assert advice.packages == [
        c.Package("00106141412345678904", "1Z999AA10123456784"),
        c.Package("00106141412345678911", "1Z999AA10123456791"),
    ]
    assert [(line.product_code, line.package_reference) for line in advice.lines] == [
        ("SKU-1", "00106141412345678904"),
        ("SKU-2", "00106141412345678911"),
        ("SKU-3", "00106141412345678911"),
    ]
    partial = advice.lines[1]
    assert (partial.status, partial.quantity, partial.quantity_ordered) == ("CP", 3, 5)
    assert partial.lots == [c.Lot("LOT-B", 2), c.Lot("LOT-C", 1)]
    assert advice.lines[0].lots == [c.Lot("LOT-A", 10)]
    assert advice.lines[0].product_ids == {"upc_case": "012345678905", "vendor_item": "SKU-1"}
    assert advice.weight_kg == pytest.approx(12.5 * POUND_KG, abs=0.001)


def test_945_line_without_shipped_quantity_is_refused():
    body = "W06*F*SO-1*20250312~LX*1~W12*CC*10***EA**VN*SKU-1~"
    with pytest.raises(ParseError, match=r"segment 4: W1203 \(quantity\) is empty") as caught:
        ADVICE.parse(x12_interchange("945", body))
    assert (caught.value.segment, caught.value.field) == ("W12", "W1203")


# --------------------------------------------------------------------------------------------
# 856 from a 3PL in place of a 945
# --------------------------------------------------------------------------------------------

# Written after the pick-and-pack structure (HL S / O / P / I) of published 856 guides: X12
# 004010, Stedi's Shoe Carnival 856 guide (stedi.com/app/guides/view/shoe-carnival/
# ship-noticemanifest) and the Belk Stores 856 guide; MAN GM (SSCC-18) with CP (carrier
# package id) per pack, LIN with VN / UP and an LT lot, SN1 shipped and ordered, REF*LT lots.
# No published sample of a 3PL's 856 exists in the shared samples.
SHIP_NOTICE = """
BSN*00*SHP-2025-0042*20250314*1530*0001~
HL*1**S~
TD1*CTN25*3****G*21.6*LB~
TD5**2*UPSN*M*UPS GROUND~
REF*BM*BOL-889900~
DTM*011*20250314*1530*ET~
N1*ST*ACME STORES 12*92*0012~
N3*100 MAIN ST~
N4*SPRINGFIELD*IL*62701*US~
N1*WH*MAIN DC*91*DC01~
HL*2*1*O~
PRF*SO-1001***20250310~
REF*PO*PO-4455~
HL*3*2*P~
MAN*GM*00106141412345678904**CP*1Z999AA10123456784~
HL*4*3*I~
LIN*1*VN*SKU-1*UP*012345678905*LT*LOT-A~
SN1*1*10*EA**10*EA~
PID*F****WIDGET BLUE~
HL*5*3*I~
LIN*2*VN*SKU-2~
SN1*2*3*EA**5*EA~
REF*LT*LOT-B~
HL*6*2*P~
MAN*GM*00106141412345678911**CP*1Z999AA10123456791~
HL*7*6*I~
LIN*2*VN*SKU-2~
SN1*2*2*EA**5*EA~
REF*LT*LOT-C~
HL*8*1*O~
PRF*SO-1002~
HL*9*8*I~
LIN*1*VN*SKU-9~
SN1*1*4*CA**6*CA**BP~
CTT*9*19~
"""


def test_856_a_confirmation_per_order_with_the_shipment_values():
    first, second = NOTICE.parse(x12_interchange("856", SHIP_NOTICE))
    assert [first.order_reference, second.order_reference] == ["SO-1001", "SO-1002"]
    eastern = ZoneInfo("America/New_York")
    for confirmation in (first, second):
        assert confirmation.kind == "shipment"
        assert confirmation.partner_reference == "SHP-2025-0042"
        assert confirmation.confirmed_at == datetime(2025, 3, 14, 15, 30, tzinfo=eastern)
        assert (confirmation.carrier, confirmation.service) == ("UPSN", "UPS GROUND")
        assert (confirmation.warehouse, confirmation.bill_of_lading) == ("DC01", "BOL-889900")
        assert confirmation.weight_kg is None  # TD1 weighs the shipment of two orders
    assert first.references == {"bill_of_lading": "BOL-889900", "purchase_order": "PO-4455"}
    assert second.packages == [] and second.tracking_number == ""
    (line,) = second.lines
    assert (line.product_code, line.quantity, line.uom, line.quantity_ordered, line.status) == (
        "SKU-9",
        4,
        "CA",
        6,
        "BP",
    )


def test_856_items_in_their_packs_with_lots_and_tracking():
    first, _second = NOTICE.parse(x12_interchange("856", SHIP_NOTICE))
    assert first.packages == [
        c.Package("00106141412345678904", "1Z999AA10123456784"),
        c.Package("00106141412345678911", "1Z999AA10123456791"),
    ]
    assert first.tracking_number == "1Z999AA10123456784"
    assert [
        (line.line_number, line.product_code, line.quantity, line.package_reference)
        for line in first.lines
    ] == [
        ("1", "SKU-1", 10, "00106141412345678904"),
        ("2", "SKU-2", 3, "00106141412345678904"),
        ("2", "SKU-2", 2, "00106141412345678911"),
    ]
    widget = first.lines[0]
    assert widget.lots == [c.Lot("LOT-A")] and widget.description == "WIDGET BLUE"
    assert widget.product_ids == {"vendor_item": "SKU-1", "upc": "012345678905"}
    assert [line.lots for line in first.lines[1:]] == [[c.Lot("LOT-B")], [c.Lot("LOT-C")]]
    # Line 2 ordered 5 in two packs: 3 + 2 shipped, nothing missing, counted once.
    assert [line.quantity_ordered for line in first.lines] == [10, 3, 2]


def test_856_one_order_gets_the_shipment_weight():
    body = SHIP_NOTICE.split("HL*8*1*O~")[0]
    (confirmation,) = NOTICE.parse(x12_interchange("856", body))
    assert confirmation.weight_kg == pytest.approx(21.6 * POUND_KG, abs=0.001)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("BSN*00*S1*20250314~HL*1**S~HL*2*9*O~", "HL02 '9' names no HL before it"),
        ("BSN*00*S1*20250314~HL*1**S~HL*2*1*O~HL*3*2*I~LIN*1*VN*A~", "HL 3 .* has no SN1"),
        ("BSN*00*S1*20250314~HL*1**S~LIN*1*VN*A~", "not an item"),
        ("BSN*00*S1*2025031~", "BSN03 '2025031' is not a date"),
    ],
)
def test_856_bad_hierarchy_is_refused(body, message):
    with pytest.raises(ParseError, match=message):
        NOTICE.parse(x12_interchange("856", body))


# --------------------------------------------------------------------------------------------
# 944: five pallets received, one lot each
# --------------------------------------------------------------------------------------------


@needs_samples
def test_944_receipt_of_five_lots():
    (receipt,) = RECEIPT.parse(sample(SAMPLE_944))
    assert (receipt.kind, receipt.order_reference, receipt.partner_reference) == (
        "receipt",
        "0450366097",
        "4280",
    )
    assert receipt.confirmed_at == datetime(2023, 9, 29)
    assert (receipt.warehouse, receipt.carrier) == ("PC1234", "0000")
    assert receipt.references == {"equipment": "1234", "seal": "123456789"}
    assert [line.lots for line in receipt.lines] == [
        [c.Lot(str(number), 120)] for number in range(22413962, 22413967)
    ]
    assert {(line.product_code, line.quantity, line.uom) for line in receipt.lines} == {
        ("100000154", 120, "CA")
    }
    assert receipt.lines[0].product_ids == {"vendor_item": "100000154"}
    assert receipt.lines[0].references == {"PC": "20230904"}
    assert sum(line.quantity for line in receipt.lines) == 600  # W14


def test_944_exceptions_damaged_short_and_over():
    body = (
        "W17*F*20250401*R-77*DO-9**8*1015~N1*WH*DC*91*DC01~"
        "W07*95*EA**VN*SKU-1***LOT-1~W13*3*EA*01**WC~W13*5*EA*02~"
        "W07*12*EA**VN*SKU-2~W13*2*EA*03~"
    )
    (receipt,) = RECEIPT.parse(x12_interchange("944", body))
    assert receipt.confirmed_at == datetime(2025, 4, 1, 10, 15)
    damaged, over = receipt.lines
    assert (damaged.quantity, damaged.quantity_damaged) == (95, 3)
    assert damaged.condition == "damaged 3, short 5"
    assert damaged.lots == [c.Lot("LOT-1", 95)]
    assert (over.quantity_damaged, over.condition) == (None, "over 2")


def test_944_exception_before_any_line_is_refused():
    with pytest.raises(ParseError, match=r"W13 .* follows no W07"):
        RECEIPT.parse(x12_interchange("944", "W17*F*20250401*R-77*DO-9~W13*3*EA*01~"))


# --------------------------------------------------------------------------------------------
# 846: the Sanmina-style advice, the malformed one, a stream of 100,000 lines
# --------------------------------------------------------------------------------------------


@needs_samples
def test_846_quantities_by_qualifier_and_the_on_hand_one():
    (snapshot,) = INVENTORY.parse(sample(SAMPLE_846))
    assert (snapshot.warehouse, snapshot.partner_reference, snapshot.partial) == (
        "SAN003",
        "10353",
        False,
    )
    assert snapshot.taken_at == datetime(2004, 8, 11, 23, 0, tzinfo=timezone.utc)
    (line,) = snapshot.lines
    assert (line.product_code, line.quantity, line.uom) == ("46L5055", 5250, "EA")
    assert line.quantities == {
        "noncommitted": 5250,
        "on_hold": 100,
        "QB": 50,
        "received": 75,
    }
    assert line.product_ids["manufacturer_part"] == "1234123232"


@needs_samples
def test_846_fused_segments_refuse_the_set_naming_each():
    with pytest.raises(ParseError) as caught:
        INVENTORY.parse(sample(MALFORMED_846))
    message = str(caught.value)
    assert "846 set 0008505 refused, 3 malformed segment(s)" in message
    assert (
        "segment 13 (REF): 5 elements, X12 defines 4 ('ASIAQTY' runs into a QTY segment: "
        "a segment terminator '*' is missing before it)" in message
    )
    assert "segment 11 (LIN): 'H316L0750040' gives no on-hand quantity" in message
    assert "segment 23 (QTY): QTY03 'FTCTT' is no unit of measure code" in message
    assert (caught.value.segment, caught.value.position) == ("LIN", 11)


@needs_samples
def test_846_malformed_sample_with_its_terminators_restored_reads_every_quantity():
    repaired = sample(MALFORMED_846).replace(b"ASIAQTY", b"ASIA*QTY").replace(b"FTCTT", b"FT*CTT")
    (snapshot,) = INVENTORY.parse(repaired)
    assert [(line.product_code, line.quantity, line.uom) for line in snapshot.lines] == [
        ("H304L0750040", 1998.61, "FT"),
        ("H304L0750080", 1777.18, "FT"),
        ("H316L0750040", 403.32, "FT"),
        ("H316L0750080", 3621.25, "FT"),
        ("I304/0250035Z", 7280, "FT"),
    ]
    assert snapshot.lines[2].quantities == {"on_hand": 403.32, "on_order": 1000}
    assert snapshot.lines[0].product_ids["buyer_part"] == "38490-B"
    assert snapshot.taken_at == datetime(2003, 8, 28, 0, 23, 46)


def test_846_lots_locations_and_a_partial_snapshot():
    body = (
        "BIA*04*MM*SNAP-7*20250102*0600~DTM*007*20250102*0630*UT~N1*WH*DC*91*DC01~"
        "LIN**SK*SKU-1*LT*L-1~N1*WH*BIN A-01~QTY*33*12*EA~QTY*74*2*EA~"
        "LIN**SK*SKU-1~REF*LT*L-2~QTY*17*5~UIT*CA~CTT*2~"
    )
    (snapshot,) = INVENTORY.parse(x12_interchange("846", body))
    assert (snapshot.partial, snapshot.warehouse) == (True, "DC01")
    assert snapshot.taken_at == datetime(2025, 1, 2, 6, 30, tzinfo=timezone.utc)
    first, second = snapshot.lines
    assert (first.lot_number, first.location, first.quantity) == ("L-1", "BIN A-01", 12)
    assert first.quantities == {"available": 12, "damaged": 2}
    assert (second.lot_number, second.quantity, second.uom) == ("L-2", 5, "CA")


def _big_846(lines):
    """An 846 of ``lines`` LIN loops, handed on in chunks as a file would be read."""
    yield (
        f"{X12_ISA}GS*IB*3PL*US*20250101*1200*1*X*004010~ST*846*0001~BIA*00*MM*SNAP-1*20250101~"
        "N1*WH*DC*91*DC01~"
    ).encode()
    for start in range(0, lines, 1000):
        loops = (f"LIN**VN*SKU{i}~QTY*17*{i % 50}*EA~" for i in range(start, start + 1000))
        yield "".join(loops).encode()
    yield f"CTT*{lines}~SE*{2 * lines + 5}*0001~GE*1*1~IEA*1*000000042~".encode()


def test_846_of_100000_lines_reads_as_a_stream():
    count = total = 0
    for snapshot, line in read_inventory(_big_846(100_000)):
        if line is not None:
            count, total = count + 1, total + line.quantity
            assert snapshot.lines == []  # the caller keeps what it wants
    assert (count, total) == (100_000, sum(i % 50 for i in range(100_000)))


def _peak_memory(lines):
    tracemalloc.start()
    try:
        for _item in read_inventory(_big_846(lines)):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_846_stream_memory_stays_flat_in_the_number_of_lines():
    small, large = _peak_memory(1_000), _peak_memory(10_000)
    assert large < small * 1.5 + 50_000


def test_846_line_without_on_hand_quantity_is_refused():
    body = "BIA*00*MM*S1*20250102~LIN**VN*SKU-1~QTY*63*40~"
    with pytest.raises(ParseError, match=r"'SKU-1' gives no on-hand quantity .* only: on_order"):
        INVENTORY.parse(x12_interchange("846", body))


def test_846_bad_date_is_refused_naming_the_element():
    with pytest.raises(ParseError, match=r"segment 2: BIA04 20251301 .*is no date") as caught:
        INVENTORY.parse(x12_interchange("846", "BIA*00*MM*S1*20251301~"))
    assert (caught.value.segment, caught.value.field, caught.value.position) == ("BIA", "BIA04", 2)


# --------------------------------------------------------------------------------------------
# Identify, sets alone, the command line, registration
# --------------------------------------------------------------------------------------------


@needs_samples
def test_identify_gives_the_order_references():
    assert ORDER.identify(sample(SAMPLE_940)).references == ("01235639",)
    assert RECEIPT.identify(sample(SAMPLE_944)).references == ("0450366097", "4280")
    assert ADVICE.identify(sample(SAMPLE_945)).references == ("12345", "123456")
    assert INVENTORY.identify(sample(SAMPLE_846)).references == ("10353",)


@needs_samples
@pytest.mark.parametrize(("codec", "name"), SAMPLES_BY_CODEC, ids=lambda v: getattr(v, "name", v))
def test_each_sample_reads_the_same_alone_and_on_the_command_line(codec, name):
    assert parsed_unit_by_unit(codec, sample(name)) == codec.parse(sample(name))
    assert_cli_parses_sample(codec, name)


@needs_samples
def test_cli_refuses_the_malformed_846_with_its_reasons():
    result = run("parse", "x12-846", str(SAMPLES / MALFORMED_846))
    assert result.returncode == 1
    assert b"error: x12-846: segment 'LIN': 846 set 0008505 refused" in result.stderr


def test_codecs_are_registered_and_the_856_alone_is_read_only():
    assert {codec.name for codec in CODECS} <= set(registry.available())
    assert sorted(codec.name for codec in CODECS if codec.can_render()) == [
        "x12-846",
        "x12-940",
        "x12-943",
        "x12-944",
        "x12-945",
    ]
    assert x12.FUNCTIONAL_IDS["940"] == "OW"


@needs_samples
def test_a_codec_refuses_an_interchange_without_its_set():
    with pytest.raises(ParseError, match="no 945 transaction set"):
        ADVICE.parse(sample(SAMPLE_940))
    with pytest.raises(ParseError, match="no 846 transaction set"):
        INVENTORY.parse(sample(SAMPLE_940))


# --------------------------------------------------------------------------------------------
# Round trips
# --------------------------------------------------------------------------------------------

# Plain alphabets rather than regular expressions: drawing stays fast.
ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
codes = st.text(ALPHANUMERIC + "-", min_size=1, max_size=10)
words = st.text(ALPHANUMERIC + "abcxyz$./-&", min_size=1, max_size=8)
names = st.lists(words, min_size=1, max_size=3).map(" ".join)
maybe = lambda strategy: st.just("") | strategy  # noqa: E731
notes = st.lists(names, max_size=3).map("\n".join)
quantities = st.decimals(0, 10**6, places=3).map(float)
weights = st.none() | quantities
some_days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1))
days = st.none() | some_days
addresses = st.builds(
    c.Address,
    company=names,
    street=maybe(names),
    city=maybe(names),
    state=maybe(st.sampled_from(["IL", "ON"])),
    zip=maybe(codes),
    country=st.sampled_from(["", "US", "CA"]),
)
references = st.dictionaries(
    st.sampled_from(["bill_of_lading", "seal", "shipper_id", "DJ", "purchase_order"]), codes
)
product_kinds = ["vendor_item", "sku", "buyer_part", "upc_case", "upc", "gtin14"]


@st.composite
def order_lines(draw, number):
    # As a line is read back: its product code is the first id of the priority order.
    ids = draw(st.dictionaries(st.sampled_from(product_kinds), codes, max_size=2))
    if not ids or ("vendor_item" not in ids and draw(st.booleans())):
        ids = {"vendor_item": draw(codes), **ids}
    return c.OrderLine(
        primary(ids),
        draw(quantities),
        str(number) if draw(st.booleans()) else draw(codes),
        description=draw(maybe(names)),
        uom=draw(st.sampled_from(["", "EA", "CA"])),
        lot_number=draw(maybe(codes)),
        product_ids=ids,
        weight_kg=draw(weights),
        references=draw(st.dictionaries(st.sampled_from(["PJ", "DJ"]), codes)),
    )


@st.composite
def warehouse_orders(draw, kind):
    lines = [draw(order_lines(number)) for number in range(1, draw(st.integers(0, 3)) + 1)]
    parties = draw(st.dictionaries(st.sampled_from(["bill_to", "depositor", "ZZ"]), addresses))
    if draw(st.booleans()):
        parties["warehouse"] = draw(addresses)
    inbound = kind == "inbound"
    return c.WarehouseOrder(
        draw(codes),
        kind=kind,
        warehouse=draw(maybe(codes)),
        ship_to=draw(st.none() | addresses),
        ship_from=draw(st.none() | addresses),
        carrier=draw(maybe(st.text(ALPHANUMERIC[:26], min_size=2, max_size=4))),
        service=draw(maybe(names)),
        requested_date=draw(some_days if inbound else days),
        notes=draw(notes),
        lines=lines,
        references=draw(references),
        purpose="original" if inbound else draw(st.sampled_from(["original", "change", "cancel"])),
        delivery_date=draw(days),
        payment_method=draw(st.sampled_from(["", "prepaid", "collect", "third_party"])),
        mode=draw(st.sampled_from(["", "M", "H"])),
        parties=parties,
        weight_kg=draw(weights),
    )


@settings(max_examples=80)
@given(st.lists(warehouse_orders("outbound"), min_size=1, max_size=3))
def test_940_render_then_parse_gives_the_orders_back(orders):
    assert ORDER.parse(ORDER.render(orders)) == orders


@settings(max_examples=50)
@given(st.lists(warehouse_orders("inbound"), min_size=1, max_size=3))
def test_943_render_then_parse_gives_the_transfers_back(orders):
    assert TRANSFER.parse(TRANSFER.render(orders)) == orders


# --------------------------------------------------------------------------------------------
# Fuzzing: any input raises nothing but ParseError
# --------------------------------------------------------------------------------------------


def _consume(data):
    each_parses_or_refuses(CODECS, data, ParseError)


fuzzed = st.binary(max_size=300).flatmap(lambda data: st.sampled_from([data, b"ISA" + data]))
if SAMPLES.is_dir():
    sources = [*(name for _codec, name in SAMPLES_BY_CODEC), MALFORMED_846]
    fuzzed |= st.sampled_from(sources).flatmap(lambda name: mutated_bytes(sample(name)[:3000]))


@settings(max_examples=300)
@given(fuzzed)
def test_random_and_mutated_bytes_are_read_or_refused(data):
    _consume(data)


@given(
    st.lists(
        st.sampled_from(
            [
                "W01*x*EA",
                "W12*CC*1",
                "W07**EA",
                "W13*1*EA*01",
                "HL*2*7*I",
                "LIN*1*VN",
                "SN1*1*1e999",
                "QTY*17*NaN",
                "MAN*GM",
                "N9*LV*P1*x",
                "G62*11*20251340",
                "LX",
            ]
        ),
        max_size=5,
    )
)
def test_bad_values_in_sets_raise_only_parse_error(lines):
    heading = "W05*N*1~W06*F*1*20250101~W17*F*20250101*1*1~BSN*00*1*20250101~BIA*00*MM*1~"
    for kind in ("940", "943", "945", "856", "944", "846"):
        _consume(x12_interchange(kind, heading + "~".join(lines)))


def test_naive_and_aware_times_stay_as_sent():
    (advice,) = ADVICE.parse(x12_interchange("945", "W06*F*SO-1*20250312~G62*11*20250312*8*0900"))
    assert advice.confirmed_at == datetime(2025, 3, 12, 9, 0)
    body = "W06*F*SO-1*20250312~G62*11*20250312*8*0900*UT"
    (advice,) = ADVICE.parse(x12_interchange("945", body))
    assert advice.confirmed_at.utcoffset() == timedelta(0)
