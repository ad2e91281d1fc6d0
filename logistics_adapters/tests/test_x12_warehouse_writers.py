"""The warehouse's side of the X12 warehouse sets: 945, 944 and 846 written from canonical
objects and read back the same by the codecs (property-based round trips), the segments
written, the 846 written as a stream, and what cannot be written."""

import types
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.formats import interchange, x12
from logistics_adapters.formats.x12.transport.common import number_text
from logistics_adapters.formats.x12.warehouse import (
    confirmation_segments,
    inventory_segments,
    read_inventory,
    receipt_segments,
)
from logistics_adapters.formats.x12.warehouse.common import primary
from logistics_adapters.formats.x12.warehouse.confirmations import finish
from logistics_adapters.formats.x12.warehouse.inventory import ON_HAND
from logistics_adapters.formats.x12.warehouse.receipt import CONDITIONS, DAMAGED

from .helpers import write_settings
from .test_x12_warehouse import codes, maybe, names, product_kinds, quantities, weights

ADVICE, RECEIPT, INVENTORY = (registry.get(name) for name in ("x12-945", "x12-944", "x12-846"))
NOTICE = registry.get("x12-856")
SHIPPED_AT = datetime(2026, 3, 4, 15, 30, 12, tzinfo=timezone.utc)


# --------------------------------------------------------------------------------------------
# Round trips: objects drawn as the readers give them back
# --------------------------------------------------------------------------------------------

offsets = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
naive_moments = st.datetimes(datetime(1990, 1, 1), datetime(2090, 1, 1)).map(
    lambda moment: moment.replace(microsecond=0)
)
moments = naive_moments | st.builds(datetime.replace, naive_moments, tzinfo=offsets)
heading_references = ["bill_of_lading", "seal", "shipper_id", "DJ", "purchase_order"]
heading_references += ["tracking_number", "pro", "equipment"]


@st.composite
def product_ids(draw):
    """Product ids with the product code the reader takes among them (VN when drawn)."""
    ids = draw(st.dictionaries(st.sampled_from(product_kinds), codes, max_size=2))
    return {"vendor_item": draw(codes), **ids} if not ids or draw(st.booleans()) else ids


@st.composite
def conditions(draw):
    """``(condition, quantity_damaged)`` as the 944 reader sums them up."""
    found, damaged = [], None
    for code in draw(st.lists(st.sampled_from([*CONDITIONS, "ZZ"]), max_size=3)):
        amount = draw(st.none() | quantities)
        word = CONDITIONS.get(code, code)
        found.append(word if amount is None else f"{word} {number_text(amount)}")
        if code == DAMAGED and amount is not None:
            damaged = (damaged or 0.0) + amount
    return ", ".join(found), damaged


@st.composite
def ship_lines(draw, packages, shipment):
    ids = draw(product_ids())
    lot_numbers = draw(st.lists(codes, max_size=2, unique=True))
    condition, damaged = ("", None) if shipment else draw(conditions())
    return c.ShipLine(
        primary(ids),
        draw(quantities),
        draw(maybe(codes)),
        quantity_ordered=draw(st.none() | quantities) if shipment else None,
        uom=draw(st.sampled_from(["", "EA", "CA"])),
        description=draw(st.lists(names, max_size=2).map("\n".join)),
        package_reference=draw(st.sampled_from(["", *packages])),
        lots=[c.Lot(number, draw(st.none() | quantities)) for number in lot_numbers],
        product_ids=ids,
        status=draw(st.sampled_from(["", "CC", "CP"])) if shipment else "",
        quantity_damaged=damaged,
        condition=condition,
        references=draw(st.dictionaries(st.sampled_from(["PJ", "DJ"]), codes)),
    )


@st.composite
def confirmations(draw, kind):
    shipment = kind == "shipment"
    references = draw(st.lists(codes, max_size=3, unique=True))
    lines = draw(st.lists(ship_lines(references, shipment), max_size=4))
    packages = [c.Package(reference) for reference in references]
    if shipment:
        for package in packages:
            package.tracking_number = draw(st.sampled_from(["", package.reference]) | codes)
    used = list(dict.fromkeys(line.package_reference for line in lines if line.package_reference))
    unused = [package for package in packages if package.reference not in used]
    in_order = [next(p for p in packages if p.reference == ref) for ref in used]
    kinds = heading_references if shipment else [*heading_references, "shipment_id"]
    confirmation = c.ShipConfirmation(
        draw(codes),
        kind=kind,
        partner_reference=draw(maybe(codes)),
        warehouse=draw(maybe(codes)),
        confirmed_at=draw(st.none() | (moments if shipment else naive_moments)),
        carrier=draw(maybe(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=4))),
        service=draw(maybe(names)),
        lines=lines,
        packages=in_order + (unused if shipment else []),
        references=draw(st.dictionaries(st.sampled_from(kinds), codes)),
        weight_kg=draw(weights) if shipment else None,
    )
    return finish(confirmation)


@st.composite
def inventory_lines(draw):
    ids = draw(product_ids())
    quantity = draw(quantities)
    others = draw(st.lists(st.sampled_from(["damaged", "on_hold", "on_order"]), unique=True))
    return c.InventoryLine(
        primary(ids),
        quantity,
        uom=draw(st.sampled_from(["", "EA", "FT"])),
        lot_number=draw(maybe(codes)),
        location=draw(maybe(codes)),
        product_ids=ids,
        quantities={
            draw(st.sampled_from(ON_HAND)): quantity,
            **{kind: draw(quantities) for kind in others},
        },
    )


snapshots = st.builds(
    c.InventorySnapshot,
    warehouse=maybe(codes),
    partner_reference=maybe(codes),
    taken_at=st.none() | moments,
    lines=st.lists(inventory_lines(), max_size=4),
    partial=st.booleans(),
)


@pytest.mark.parametrize(
    ("codec", "drawn"),
    [
        (ADVICE, confirmations("shipment")),
        (RECEIPT, confirmations("receipt")),
        (INVENTORY, snapshots),
    ],
    ids=["945", "944", "846"],
)
@settings(max_examples=40)
@given(data=st.data())
def test_render_then_parse_gives_the_objects_back(codec, drawn, data):
    found = data.draw(st.lists(drawn, min_size=1, max_size=3))
    assert codec.parse(codec.render(found)) == found


# --------------------------------------------------------------------------------------------
# What is written
# --------------------------------------------------------------------------------------------


def _shipment():
    """150 of 200 tiles from two lots in one carton, 6 bags of adhesive in another."""
    tiles = c.ShipLine("TILE-6060", 150, "1", 200, "EA", package_reference="00106141410000000012")
    tiles.lots = [c.Lot("T1", 100), c.Lot("T2", 50)]
    tiles.product_ids, tiles.status = {"vendor_item": "TILE-6060"}, "CP"
    adhesive = c.ShipLine("ADH-20", 6, "2", 6, "EA", package_reference="1Z999AA10000000002")
    adhesive.product_ids, adhesive.status = {"vendor_item": "ADH-20"}, "CC"
    return c.ShipConfirmation(
        "WH/OUT/00042",
        partner_reference="SH000001",
        warehouse="KEYMEM",
        confirmed_at=SHIPPED_AT,
        carrier="UPSN",
        service="GND",
        tracking_number="1Z999AA10000000001",
        lines=[tiles, adhesive],
        packages=[
            c.Package("00106141410000000012", "1Z999AA10000000001"),
            c.Package("1Z999AA10000000002", "1Z999AA10000000002"),
        ],
        references={"purchase_order": "PO-77"},
        weight_kg=612.5,
    )


def test_a_945_says_what_shipped_in_which_package_and_lots():
    assert confirmation_segments(_shipment()) == [
        ["W06", "N", "WH/OUT/00042", "20260304", "SH000001", "", "PO-77"],
        ["N1", "WH", "", "93", "KEYMEM"],
        ["G62", "11", "20260304", "8", "153012", "UT"],
        ["W27", "M", "UPSN", "GND"],
        ["LX", "1"],
        ["MAN", "GM", "00106141410000000012", "", "CP", "1Z999AA10000000001"],
        ["W12", "CP", "200", "150", "50", "EA", "", "VN", "TILE-6060"],
        ["N9", "LI", "1"],
        ["N9", "LT", "T1", "100"],
        ["N9", "LT", "T2", "50"],
        ["LX", "2"],
        ["MAN", "CP", "1Z999AA10000000002"],
        ["W12", "CC", "6", "6", "", "EA", "", "VN", "ADH-20"],
        ["N9", "LI", "2"],
        ["W03", "156", "612.5", "KG"],
    ]
    assert ADVICE.parse(ADVICE.render([_shipment()])) == [_shipment()]


def test_a_945_written_through_the_interchange_is_read_as_sent():
    documents = ADVICE.documents([_shipment(), _shipment()])
    payload = interchange.render(write_settings(), "945", documents).payload
    assert x12.read_header(payload).receiver == ("ZZ", "PARTNER")
    assert ADVICE.parse(payload) == [_shipment(), _shipment()]


def test_a_945_says_a_tracking_number_or_bill_of_lading_no_package_gives():
    found = c.ShipConfirmation("SO1", tracking_number="PRO123", bill_of_lading="BOL9")
    segments = confirmation_segments(found)
    assert ["N9", "BM", "BOL9"] in segments and ["N9", "2I", "PRO123"] in segments
    [back] = ADVICE.parse(ADVICE.render([found]))
    assert (back.tracking_number, back.bill_of_lading) == ("PRO123", "BOL9")
    derived = _shipment()
    assert not any(segment[:2] == ["N9", "2I"] for segment in confirmation_segments(derived))


def _receipt(**values):
    line = c.ShipLine("TILE-6060", 40, "1", uom="EA", lots=[c.Lot("T9", 40)], **values)
    line.product_ids = {"vendor_item": "TILE-6060"}
    return c.ShipConfirmation(
        "WH/IN/00007",
        kind="receipt",
        partner_reference="RC000003",
        warehouse="KEYMEM",
        confirmed_at=datetime(2026, 3, 5, 8, 0, 30),
        lines=[line],
        references={"shipment_id": "ASN-1", "seal": "S-55"},
    )


def test_a_944_says_what_was_received_and_damaged():
    assert receipt_segments(_receipt(quantity_damaged=3.0)) == [
        ["W17", "F", "20260305", "RC000003", "WH/IN/00007", "ASN-1", "", "080030"],
        ["N1", "WH", "", "93", "KEYMEM"],
        ["W08", "M", "", "", "", "", "S-55"],
        ["W07", "40", "EA", "", "VN", "TILE-6060"],
        ["N9", "LI", "1"],
        ["N9", "LT", "T9", "40"],
        ["W13", "3", "EA", "01"],
        ["W14", "40"],
    ]
    [back] = RECEIPT.parse(RECEIPT.render([_receipt(quantity_damaged=3.0)]))
    assert (back.lines[0].quantity_damaged, back.lines[0].condition) == (3.0, "damaged 3")
    noted = _receipt(condition="damaged 2, short 5, good", quantity_damaged=2.0)
    w13 = [segment for segment in receipt_segments(noted) if segment[0] == "W13"]
    assert w13 == [["W13", "2", "EA", "01"], ["W13", "5", "EA", "02"], ["W13", "", "EA", "07"]]
    assert RECEIPT.parse(RECEIPT.render([noted])) == [noted]


def test_a_944_writes_an_aware_time_in_utc_and_reads_it_naive():
    found = _receipt()
    found.confirmed_at = datetime(2026, 3, 5, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    [back] = RECEIPT.parse(RECEIPT.render([found]))
    assert back.confirmed_at == datetime(2026, 3, 5, 8, 0)


def _snapshot(count=2, **values):
    lines = [
        c.InventoryLine(
            f"SKU-{index:06d}",
            float(index),
            "EA",
            f"L{index}" if index % 2 else "",
            product_ids={"vendor_item": f"SKU-{index:06d}"},
            quantities={"on_hand": float(index)},
        )
        for index in range(count)
    ]
    return c.InventorySnapshot("KEYMEM", "IN000009", SHIPPED_AT, lines, **values)


def test_an_846_lists_each_product_and_lot_on_hand():
    assert list(inventory_segments(_snapshot())) == [
        ["BIA", "00", "MM", "IN000009", "20260304", "153012"],
        ["DTM", "007", "20260304", "153012", "UT"],
        ["N1", "WH", "", "93", "KEYMEM"],
        ["LIN", "", "VN", "SKU-000000"],
        ["QTY", "17", "0", "EA"],
        ["LIN", "", "VN", "SKU-000001", "LT", "L1"],
        ["QTY", "17", "1", "EA"],
        ["CTT", "2"],
    ]
    naive = _snapshot(partial=True)
    naive.taken_at = datetime(2026, 3, 4, 15, 30)
    heading = next(iter(inventory_segments(naive)))
    assert heading == ["BIA", "04", "MM", "IN000009", "20260304", "153000"]
    assert INVENTORY.parse(INVENTORY.render([naive])) == [naive]


def test_a_large_846_is_written_and_read_as_a_stream():
    segments = inventory_segments(_snapshot(20_000))
    assert isinstance(segments, types.GeneratorType)
    assert next(segments)[0] == "BIA"
    payload = INVENTORY.render([_snapshot(20_000)])
    count, last = 0, None
    for _snapshot_read, line in read_inventory(payload):
        if line is not None:
            count, last = count + 1, line
    assert count == 20_000
    assert (last.product_code, last.quantity, last.lot_number) == ("SKU-019999", 19999.0, "L19999")


# --------------------------------------------------------------------------------------------
# Refusals
# --------------------------------------------------------------------------------------------


def test_what_cannot_be_written_is_refused_by_name():
    with pytest.raises(ValueError, match="945 confirms a shipment; 'WH/IN/00007' is a receipt"):
        confirmation_segments(_receipt())
    with pytest.raises(ValueError, match="944 confirms a receipt"):
        receipt_segments(_shipment())
    with pytest.raises(ValueError, match="written from ShipConfirmation objects"):
        ADVICE.render([_snapshot()])
    with pytest.raises(ValueError, match="written from InventorySnapshot objects"):
        inventory_segments(_shipment())
    with pytest.raises(ValueError, match="condition 'crushed flat' has no receiving condition"):
        receipt_segments(_receipt(condition="crushed flat"))
    odd_unit = _snapshot()
    odd_unit.lines[0].uom = "EACH"
    with pytest.raises(ValueError, match="unit 'EACH' is no 2-character code"):
        INVENTORY.render([odd_unit])
    delimiter = _shipment()
    delimiter.lines[0].lots[0].lot_number = "T*1"
    with pytest.raises(ValueError, match="delimiter"):
        ADVICE.render([delimiter])


def test_the_warehouse_sets_are_written_but_the_856():
    assert ADVICE.can_render() and RECEIPT.can_render() and INVENTORY.can_render()
    assert not NOTICE.can_render()
