"""3PL JSON partners: the shiphero-webhook, shipbob-webhook and shipbob-inventory codecs on the
published samples and on bodies modeled on the partners' documentation, their times for
keeping the latest status, ShipBob's polled lists of shipments, bad bodies, the command line,
the partners' registration."""

import json
from datetime import date, datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import ParseError
from logistics_adapters.partners import get_partner, partner_selection
from logistics_adapters.registry import PollRequest

from .helpers import NOT_JSON, SAMPLES, each_parses_or_refuses, needs_samples, sample
from .test_cli import run

SHIPHERO = registry.get("shiphero-webhook")
SHIPBOB = registry.get("shipbob-webhook")
SHIPBOB_INVENTORY = registry.get("shipbob-inventory")
CODECS = (SHIPHERO, SHIPBOB, SHIPBOB_INVENTORY)
ALLOCATED = "shiphero_webhook_order_allocated.json"
TRACKING_RECEIVED = "shipbob_webhook_order_shipment_tracking_received.json"
OUNCE_KG = 0.028349523125


def body(document):
    return json.dumps(document).encode()


# --------------------------------------------------------------------------------------------
# ShipHero: orders allocated, deallocated, canceled
# --------------------------------------------------------------------------------------------


@needs_samples
def test_shiphero_order_allocated_sample():
    (order,) = SHIPHERO.parse(sample(ALLOCATED))
    assert (order.reference, order.partner_reference, order.warehouse) == (
        "MO351",
        "204159062",
        "11790",
    )
    assert (order.status, order.status_at) == ("allocated", datetime(2021, 7, 24, 2, 3, 1))
    assert order.references == {"allocation": "362137624", "order_number": "MO351"}
    assert order.lines == [
        c.OrderLine("1122335364", 1, "MO351-301706334", product_ids={"sku": "1122335364"})
    ]
    assert SHIPHERO.identify(sample(ALLOCATED)).references == ("MO351",)


# developer.shiphero.com/webhooks/order-deallocated-webhook, the documentation's body.
DEALLOCATED = {
    "webhook_type": "Order Deallocated",
    "allocation_reference": 362137624,
    "account_id": 6334,
    "account_uuid": "QWNjb3VudDo2MzM0",
    "order_id": 204159062,
    "order_number": "MO351",
    "order_uuid": "T3JkZXI6MjA0MTU5MDYy",
    "partner_order_id": "MO351",
    "deallocated_at": "2021-07-24T02:07:56",
}


@needs_samples
def test_shiphero_deallocation_comes_after_the_allocation_it_undoes():
    (allocated,) = SHIPHERO.parse(sample(ALLOCATED))
    (deallocated,) = SHIPHERO.parse(body(DEALLOCATED))
    assert (deallocated.reference, deallocated.status) == ("MO351", "deallocated")
    assert deallocated.references["allocation"] == allocated.references["allocation"]
    assert deallocated.lines == []
    # Both naive, ShipHero's clock: comparable, so the later status wins, never the earlier.
    assert deallocated.status_at > allocated.status_at
    latest = max([deallocated, allocated], key=lambda order: order.status_at)
    assert latest.status == "deallocated"


def test_shiphero_order_canceled():
    # developer.shiphero.com/webhooks/order-canceled-webhook, the documentation's body.
    canceled = {
        "order_number": "9035013-2",
        "partner_order_id": "9035013-2",
        "fulfillment-status": "canceled",
        "order_id": 389118717,
        "order_uuid": "T3JkZXI6Mzg5MTE4NzE3",
        "shop_name": "public-api",
        "shop_order_number": "9035013-2",
        "webhook_type": "Order Canceled",
    }
    (order,) = SHIPHERO.parse(body(canceled))
    assert (order.reference, order.partner_reference, order.status) == (
        "9035013-2",
        "389118717",
        "cancelled",
    )
    assert order.status_at is None


# --------------------------------------------------------------------------------------------
# ShipHero: shipments
# --------------------------------------------------------------------------------------------

# developer.shiphero.com/webhooks/shipment-update-webhook: the documentation's body (legacy
# fields), with a lot and serial numbers on the second line.
SHIPMENT_UPDATE = {
    "test": "0",
    "webhook_type": "Shipment Update",
    "fulfillment": {
        "shipment_id": 315518042,
        "shipment_uuid": "U2hpcG1lbnQ6MzE1NTE4MDQy",
        "warehouse": "Primary",
        "warehouse_id": 76733,
        "partner_order_id": "test-track-url",
        "order_number": "test-track-url",
        "tracking_number": "15619819718",
        "line_items": [
            {
                "id": "test-track-url-363346570",
                "shiphero_id": 828656700,
                "quantity": 1,
                "sku": "FU2314R",
                "serial_numbers": [],
                "package": "Package #1",
                "lot_id": None,
                "lot_name": None,
                "lot_expiration": None,
            },
            {
                "id": "test-track-url-363343850",
                "shiphero_id": 828656701,
                "quantity": 2,
                "sku": "FU3314R",
                "serial_numbers": ["SN-1", "SN-2"],
                "package": "Package #2",
                "lot_id": 114475,
                "lot_name": "LOT01",
                "lot_expiration": "2025-03-25",
            },
        ],
        "custom_tracking_url": "",
        "package_number": 1,
        "total_packages": 2,
        "shipping_method": "Super Shipping",
        "shipping_carrier": "API - TomasFD",
        "completed": True,
        "created_at": "2022-12-26 15:29:26",
        "order_uuid": "T3JkZXI6MjcyMjcxNzA2",
    },
}


def test_shiphero_shipment_update_lines_lots_and_serials():
    (confirmation,) = SHIPHERO.parse(body(SHIPMENT_UPDATE))
    assert (confirmation.kind, confirmation.order_reference) == ("shipment", "test-track-url")
    assert (confirmation.partner_reference, confirmation.warehouse) == ("315518042", "Primary")
    assert confirmation.confirmed_at == datetime(2022, 12, 26, 15, 29, 26)
    assert (confirmation.carrier, confirmation.service) == ("API - TomasFD", "Super Shipping")
    assert confirmation.tracking_number == "15619819718"
    first, second = confirmation.lines
    assert (first.product_code, first.quantity, first.package_reference) == (
        "FU2314R",
        1,
        "Package #1",
    )
    assert first.lots == [] and first.line_number == "test-track-url-363346570"
    assert second.lots == [
        c.Lot("LOT01", 2, date(2025, 3, 25)),
        c.Lot("SN-1", 1),
        c.Lot("SN-2", 1),
    ]
    # Two packages named by the lines; the one tracking number is the fulfillment's.
    assert [(p.reference, p.tracking_number) for p in confirmation.packages] == [
        ("Package #1", ""),
        ("Package #2", ""),
    ]


def test_shiphero_shipment_update_packages_array_gives_each_its_label():
    document = json.loads(json.dumps(SHIPMENT_UPDATE))
    document["total_packages"] = 2
    document["packages"] = [
        {
            "name": "Package #1",
            "weight_in_oz": 16,
            "shipping_label": {
                "tracking_number": "1Z999AA10123456784",
                "carrier": "ups",
                "shipping_method": "Ground",
            },
        },
        {"name": "Package #2", "tracking_number": "1Z999AA10123456791"},
    ]
    del document["fulfillment"]["shipping_carrier"]
    (confirmation,) = SHIPHERO.parse(body(document))
    assert confirmation.packages == [
        c.Package("Package #1", "1Z999AA10123456784", weight_kg=round(16 * OUNCE_KG, 3)),
        c.Package("Package #2", "1Z999AA10123456791"),
    ]
    assert (confirmation.carrier, confirmation.service) == ("ups", "Super Shipping")
    assert {line.package_reference for line in confirmation.lines} == {
        "Package #1",
        "Package #2",
    }


def test_shiphero_one_package_gets_the_fulfillment_tracking_number():
    document = json.loads(json.dumps(SHIPMENT_UPDATE))
    for item in document["fulfillment"]["line_items"]:
        item["package"] = "Package #1"
    (confirmation,) = SHIPHERO.parse(body(document))
    assert confirmation.packages == [c.Package("Package #1", "15619819718")]


# --------------------------------------------------------------------------------------------
# ShipHero: inventory
# --------------------------------------------------------------------------------------------

# developer.shiphero.com/webhooks/inventory-update-webhook, the documentation's body.
INVENTORY_UPDATE = {
    "account_id": 63898,
    "account_uuid": "QWNjb3VudDo2Mzg5OA==",
    "webhook_type": "Inventory Update",
    "inventory": [
        {
            "sku": "string",
            "inventory": "113",
            "backorder_quantity": "0",
            "on_hand": "148",
            "virtual": False,
            "sell_ahead": 20,
            "qty_in_totes": 1,
            "reserve": 45,
            "updated_warehouse": {
                "warehouse_id": 12345,
                "warehouse_uuid": "V2FyZWhvdXNlJHIKby",
                "identifier": "Primary",
                "inventory": "13",
                "backorder_quantity": "0",
                "on_hand": "48",
                "sell_ahead": 10,
                "qty_in_totes": 1,
                "reserve": 25,
                "non_sellable": 250,
            },
            "non_sellable": 1250,
        }
    ],
}


def test_shiphero_inventory_update_gives_the_warehouse_levels():
    (snapshot,) = SHIPHERO.parse(body(INVENTORY_UPDATE))
    assert (snapshot.warehouse, snapshot.partial, snapshot.taken_at) == ("Primary", True, None)
    (line,) = snapshot.lines
    assert (line.product_code, line.quantity) == ("string", 48)
    assert line.quantities == {
        "available": 13,
        "backorder": 0,
        "reserve": 25,
        "sell_ahead": 10,
        "non_sellable": 250,
        "in_totes": 1,
        "account_on_hand": 148,
        "account_available": 113,
    }


def test_shiphero_inventory_change_reports_the_bin_and_the_change():
    # developer.shiphero.com/webhooks/inventory-change-webhook, the documentation's body.
    change = {
        "webhook_type": "Inventory Change",
        "account_uuid": "QWNjb3VudDo2Mzg5OA==",
        "account_id": 18963,
        "warehouse_id": 76733,
        "warehouse_uuid": "V2FyZWhvdXNlOjc2NzMz",
        "user_id": 489254,
        "user_uuid": "VXNlcjoxNTg4MjY=",
        "sku": "LOT01",
        "quantity": 10,
        "old_quantity": 0,
        "location_name": "AA-05-01-01",
        "previous_on_hand": 110,
        "timestamp": "2025-02-03 13:19:30",
        "reason": "Change from the product page via the ShipHero Web Dashboard.",
        "source": "manual",
        "lot_id": 114475,
        "lot_uuid": "TG90OjExNDQ3NQ==",
        "lot_expiration": "2025-03-25",
    }
    (snapshot,) = SHIPHERO.parse(body(change))
    assert (snapshot.warehouse, snapshot.partial) == ("76733", True)
    assert snapshot.taken_at == datetime(2025, 2, 3, 13, 19, 30)
    (line,) = snapshot.lines
    assert (line.product_code, line.quantity, line.location) == ("LOT01", 10, "AA-05-01-01")
    assert line.quantities == {"on_hand": 10, "previous": 0, "change": 10, "previous_on_hand": 110}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"webhook_type": "Tote Cleared"}, "webhook type 'Tote Cleared' is not read"),
        ({"order_number": "1"}, "field 'webhook_type': required field missing"),
        (
            {**DEALLOCATED, "deallocated_at": "24/07/2021"},
            "field 'deallocated_at': invalid date-time '24/07/2021'",
        ),
        (
            {"webhook_type": "Order Allocated", "order_number": "1", "line_items": [{"sku": "A"}]},
            r"field 'line_items\[0\].quantity': required field missing",
        ),
        ({"webhook_type": "Shipment Update"}, "field 'fulfillment': required field missing"),
    ],
)
def test_shiphero_bad_bodies_are_refused_naming_the_field(document, message):
    with pytest.raises(ParseError, match=message):
        SHIPHERO.parse(body(document))


# --------------------------------------------------------------------------------------------
# ShipBob
# --------------------------------------------------------------------------------------------


@needs_samples
def test_shipbob_tracking_received_sample():
    (confirmation,) = SHIPBOB.parse(sample(TRACKING_RECEIVED))
    assert (confirmation.order_reference, confirmation.partner_reference) == (
        "TEST101",
        "100000001",
    )
    assert confirmation.confirmed_at == datetime(
        2025, 10, 23, 15, 55, 9, 361476, tzinfo=timezone.utc
    )
    assert (confirmation.carrier, confirmation.service) == ("USPS", "ParcelSelect")
    assert confirmation.tracking_number == "9261290306529427911297"
    assert confirmation.status == c.STATUS_LABEL_CREATED
    assert confirmation.packages == [c.Package("9261290306529427911297", "9261290306529427911297")]
    assert confirmation.lines == []  # tracking only: no quantities to confirm
    assert SHIPBOB.identify(sample(TRACKING_RECEIVED)).references == ("TEST101",)


# The legacy ``order_shipped`` body is ShipBob's Shipment object (developer.shipbob.com, API
# 1.0 "Get one Shipment": id, order_id, reference_id, status, location, tracking, products
# with inventory_items, measurements, actual_fulfillment_date).
ORDER_SHIPPED = {
    "id": 100810005,
    "order_id": 100000001,
    "reference_id": "TEST101",
    "status": "Completed",
    "location": {"id": 10, "name": "Cicero (IL)"},
    "tracking": {
        "carrier": "USPS",
        "tracking_number": "9400111899223334445566",
        "carrier_service": "Priority",
        "tracking_url": "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223334445566",
        "bol": "BOL-7",
        "shipping_date": "2025-10-24T14:15:22Z",
    },
    "products": [
        {
            "id": 1,
            "reference_id": "TShirtBlueM",
            "name": "Blue T-Shirt",
            "sku": "TShirtBlueM",
            "inventory_items": [
                {
                    "id": 7,
                    "name": "Blue T-Shirt",
                    "quantity": 2,
                    "lot": "LOT-7",
                    "expiration_date": "2026-01-31T00:00:00Z",
                    "serial_numbers": [],
                },
                {
                    "id": 7,
                    "name": "Blue T-Shirt",
                    "quantity": 1,
                    "lot": "LOT-8",
                    "expiration_date": None,
                    "serial_numbers": [],
                },
            ],
        },
        {"id": 2, "reference_id": "Mug", "name": "Mug", "sku": "MUG-1", "quantity": 4},
    ],
    "measurements": {"total_weight_oz": 20, "length_in": 10, "width_in": 8, "depth_in": 4},
    "actual_fulfillment_date": "2025-10-24T16:00:00Z",
}


def test_shipbob_order_shipped_shipment_with_lots():
    (confirmation,) = SHIPBOB.parse(body(ORDER_SHIPPED))
    assert (confirmation.order_reference, confirmation.partner_reference) == (
        "TEST101",
        "100810005",
    )
    assert (confirmation.warehouse, confirmation.status) == ("Cicero (IL)", c.STATUS_PICKED_UP)
    assert confirmation.confirmed_at == datetime(2025, 10, 24, 14, 15, 22, tzinfo=timezone.utc)
    assert (confirmation.bill_of_lading, confirmation.service) == ("BOL-7", "Priority")
    shirt, mug = confirmation.lines
    assert (shirt.product_code, shirt.quantity, shirt.line_number) == (
        "TShirtBlueM",
        3,
        "TShirtBlueM",
    )
    assert shirt.lots == [c.Lot("LOT-7", 2, date(2026, 1, 31)), c.Lot("LOT-8", 1)]
    assert (mug.product_code, mug.quantity, mug.lots) == ("MUG-1", 4, [])
    assert {line.package_reference for line in confirmation.lines} == {"9400111899223334445566"}
    assert confirmation.packages == [
        c.Package("9400111899223334445566", "9400111899223334445566", weight_kg=0.567)
    ]


@needs_samples
def test_shipbob_events_compare_by_time_and_status_never_regresses():
    (label,) = SHIPBOB.parse(sample(TRACKING_RECEIVED))
    delivered = json.loads(sample(TRACKING_RECEIVED))
    delivered.update(event_time="2025-10-25T09:00:00Z", status="Delivered")
    (done,) = SHIPBOB.parse(body(delivered))
    assert done.status == c.STATUS_DELIVERED and done.confirmed_at > label.confirmed_at
    # Arriving late, the earlier label does not move the shipment back.
    assert c.advance_status(done.status, label.status) == c.STATUS_DELIVERED


def test_shipbob_a_polled_list_of_shipments_gives_one_confirmation_each():
    tracking = {**ORDER_SHIPPED, "id": 100810006, "products": []}
    tracking["tracking"] = {
        **ORDER_SHIPPED["tracking"],
        "tracking_number": "9400111899223334445573",
    }
    found = SHIPBOB.parse(body([ORDER_SHIPPED, tracking]))
    assert [(each.partner_reference, each.tracking_number) for each in found] == [
        ("100810005", "9400111899223334445566"),
        ("100810006", "9400111899223334445573"),
    ]
    assert found[0] == SHIPBOB.parse(body(ORDER_SHIPPED))[0]
    assert SHIPBOB.identify(body([ORDER_SHIPPED, tracking])).references == ("TEST101",)
    assert SHIPBOB.parse(b"[]") == [] and SHIPBOB.identify(b"[]").references == ()
    # What is wrong in a list is named by its place in it.
    with pytest.raises(ParseError, match=r"field '\[1\]\.reference_id': required field missing"):
        SHIPBOB.parse(body([ORDER_SHIPPED, {"order_id": 1}]))
    with pytest.raises(ParseError, match=r"field '\[0\]\.tracking': expected an object"):
        SHIPBOB.parse(body([{"reference_id": "A", "tracking": []}]))


def test_shipbob_webhook_codec_polls_the_shipments_of_our_order():
    assert SHIPBOB.can_poll() and not SHIPBOB_INVENTORY.can_poll()
    assert SHIPBOB.poll_request("TEST101") == ("GET", "/orders/TEST101/shipments", {})
    # Our references have slashes (Odoo's picking names): one path segment all the same.
    assert SHIPBOB.poll_request("WH/OUT/00042") == PollRequest(
        "GET", "/orders/WH%2FOUT%2F00042/shipments", {}
    )


def test_shipbob_inventory_levels_by_lot_and_fulfillment_center():
    # developer.shipbob.com, "Get Inventory Levels Grouped By Lot" (the documented shape).
    by_lot = {
        "inventory_id": 7,
        "name": "Blue T-Shirt",
        "sku": "TShirtBlueM",
        "lots": [
            {
                "lot_number": "LOT-7",
                "lot_date": "2026-01-31T00:00:00Z",
                "on_hand_quantity": 12,
                "fulfillable_quantity": 10,
                "committed_quantity": 2,
                "awaiting_quantity": 0,
                "internal_transfer_quantity": 0,
                "locations": [
                    {
                        "location_id": 10,
                        "name": "Cicero (IL)",
                        "on_hand_quantity": 8,
                        "fulfillable_quantity": 7,
                        "committed_quantity": 1,
                    },
                    {
                        "location_id": 11,
                        "name": "Moreno Valley (CA)",
                        "on_hand_quantity": 4,
                        "fulfillable_quantity": 3,
                        "committed_quantity": 1,
                    },
                ],
            }
        ],
    }
    by_location = {
        "inventory_id": 8,
        "sku": "MUG-1",
        "locations": [{"location_id": 10, "name": "Cicero (IL)", "on_hand_quantity": 30}],
    }
    (snapshot,) = SHIPBOB_INVENTORY.parse(body({"items": [by_lot, by_location]}))
    assert (snapshot.partial, snapshot.taken_at) == (True, None)
    assert [
        (line.product_code, line.lot_number, line.location, line.quantity)
        for line in snapshot.lines
    ] == [
        ("TShirtBlueM", "LOT-7", "Cicero (IL)", 8),
        ("TShirtBlueM", "LOT-7", "Moreno Valley (CA)", 4),
        ("MUG-1", "", "Cicero (IL)", 30),
    ]
    assert snapshot.lines[0].quantities == {"on_hand": 8, "available": 7, "committed": 1}
    assert SHIPBOB_INVENTORY.parse(body([by_location]))[0].lines[0].quantity == 30


@pytest.mark.parametrize(
    ("codec", "document", "message"),
    [
        (SHIPBOB, {"order_id": 1}, "field 'reference_id': required field missing"),
        (SHIPBOB, {"reference_id": "A", "event_time": "yesterday"}, "invalid date-time"),
        (
            SHIPBOB,
            {"reference_id": "A", "products": [{"sku": "X", "inventory_items": [{}]}]},
            r"field 'products\[0\].inventory_items\[0\].quantity': required field missing",
        ),
        (SHIPBOB_INVENTORY, {"sku": "X", "locations": [{"name": "A"}]}, "on_hand_quantity"),
        (SHIPBOB_INVENTORY, [1], r"field '\[0\]': expected an object"),
    ],
)
def test_shipbob_bad_bodies_are_refused_naming_the_field(codec, document, message):
    with pytest.raises(ParseError, match=message):
        codec.parse(body(document))


# --------------------------------------------------------------------------------------------
# Every codec: what is no JSON, the command line, the partners
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("codec", CODECS, ids=lambda codec: codec.name)
@pytest.mark.parametrize(("data", "message"), NOT_JSON)
def test_what_is_no_json_is_refused_alike(codec, data, message):
    with pytest.raises(ParseError) as caught:
        codec.parse(data)
    assert message in str(caught.value)


@given(st.binary(max_size=200) | st.sampled_from([b"{}", b"[]", b'{"webhook_type": 1}']))
def test_random_bodies_are_read_or_refused(data):
    each_parses_or_refuses(CODECS, data)


@needs_samples
@pytest.mark.parametrize(
    ("codec", "name"), [(SHIPHERO, ALLOCATED), (SHIPBOB, TRACKING_RECEIVED)], ids=str
)
def test_cli_parse_prints_canonical_objects(codec, name):
    result = run("parse", codec.name, str(SAMPLES / name))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == c.to_jsonable(codec.parse(sample(name)))


def test_partners_are_warehouse_partners_sharing_their_tables():
    assert get_partner("shiphero").signature_scheme == "shiphero-hmac"
    assert get_partner("shipbob").signature_scheme == "shipbob-hmac"
    assert ("shiphero", "ShipHero") in partner_selection("wms")
    assert ("shipbob", "ShipBob") in partner_selection("wms")
    assert SHIPHERO.statuses is get_partner("shiphero").statuses
    assert SHIPBOB.statuses is SHIPBOB_INVENTORY.statuses is get_partner("shipbob").statuses
    assert SHIPBOB.status_for("Exception") == c.STATUS_EXCEPTION
    assert not any(codec.can_render() for codec in CODECS)
