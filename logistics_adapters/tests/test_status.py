"""Canonical shipment statuses: ranking and the rule that a status never regresses."""

import pytest

from logistics_adapters import canonical as c

RANKED = [
    "label_created",
    "picked_up",
    "in_transit",
    "out_for_delivery",
    "available_for_pickup",
    "delivered",
]
SIDE = ["exception", "delivery_failed", "customs_hold", "customs_released"]
TERMINAL = ["returned_to_sender", "cancelled"]


def test_statuses_selection_lists_every_code_once_in_display_order():
    codes = [code for code, _label in c.STATUSES]
    assert codes == [*RANKED, *TERMINAL, *SIDE, "unknown"]
    assert all(isinstance(label, str) and label for _code, label in c.STATUSES)
    assert frozenset(codes) == c.STATUS_CODES


def test_ranked_statuses_rank_strictly_increasing():
    ranks = [c.status_rank(code) for code in RANKED]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == len(ranks)
    assert ranks[0] > 0


@pytest.mark.parametrize("code", TERMINAL)
def test_terminal_statuses_rank_above_delivered(code):
    assert c.is_terminal(code)
    assert c.status_rank(code) > c.status_rank("delivered")


@pytest.mark.parametrize("code", [*SIDE, "unknown"])
def test_side_and_unknown_statuses_carry_no_rank(code):
    assert c.status_rank(code) == 0
    assert not c.is_terminal(code)
    assert c.is_side_status(code) == (code != "unknown")


@pytest.mark.parametrize("code", RANKED)
def test_ranked_statuses_are_neither_terminal_nor_side(code):
    assert not c.is_terminal(code)
    assert not c.is_side_status(code)


@pytest.mark.parametrize("function", [c.status_rank, c.is_terminal, c.is_side_status])
def test_unknown_code_is_refused_with_the_known_list(function):
    with pytest.raises(ValueError, match=r"unknown canonical status 'shipped'.*label_created"):
        function("shipped")


ADVANCE_CASES = [
    # (current, incoming, expected, why)
    (None, "label_created", "label_created", "first status"),
    (None, "in_transit", "in_transit", "first status may skip steps"),
    (None, "exception", "exception", "first status even if side"),
    (None, "unknown", "unknown", "first status even if unknown"),
    ("", "picked_up", "picked_up", "empty string is no status"),
    (False, "delivered", "delivered", "Odoo's False is no status"),
    ("label_created", "picked_up", "picked_up", "normal progress"),
    ("picked_up", "delivered", "delivered", "skipping steps forward"),
    ("in_transit", "in_transit", "in_transit", "same status"),
    ("delivered", "in_transit", "delivered", "late event never regresses"),
    ("out_for_delivery", "picked_up", "out_for_delivery", "late event never regresses"),
    ("available_for_pickup", "out_for_delivery", "available_for_pickup", "late event"),
    ("in_transit", "exception", "in_transit", "side status flags only"),
    ("in_transit", "delivery_failed", "in_transit", "side status flags only"),
    ("in_transit", "customs_hold", "in_transit", "side status flags only"),
    ("in_transit", "customs_released", "in_transit", "side status flags only"),
    ("in_transit", "unknown", "in_transit", "unknown changes nothing"),
    ("exception", "in_transit", "in_transit", "progress after a side status"),
    ("unknown", "label_created", "label_created", "progress after unknown"),
    ("exception", "customs_hold", "exception", "side after side changes nothing"),
    ("in_transit", "cancelled", "cancelled", "terminal wins over progress"),
    ("delivered", "returned_to_sender", "returned_to_sender", "return after delivery"),
    ("cancelled", "delivered", "cancelled", "never leaves terminal"),
    ("cancelled", "returned_to_sender", "cancelled", "never leaves terminal"),
    ("returned_to_sender", "in_transit", "returned_to_sender", "never leaves terminal"),
    ("returned_to_sender", "exception", "returned_to_sender", "never leaves terminal"),
]


@pytest.mark.parametrize(("current", "incoming", "expected", "why"), ADVANCE_CASES)
def test_advance_status(current, incoming, expected, why):
    assert c.advance_status(current, incoming) == expected, why


def test_advance_status_over_out_of_order_events_keeps_the_highest():
    events = ["label_created", "in_transit", "picked_up", "exception", "delivered", "in_transit"]
    status = None
    for incoming in events:
        status = c.advance_status(status, incoming)
    assert status == "delivered"


@pytest.mark.parametrize(("current", "incoming"), [("in_transit", "bogus"), ("bogus", "delivered")])
def test_advance_status_refuses_non_canonical_codes(current, incoming):
    with pytest.raises(ValueError, match="bogus"):
        c.advance_status(current, incoming)


def test_clearance_statuses_raise_the_matching_side_status():
    codes = {code for code, _label in c.CLEARANCE_STATUSES}
    assert set(c.CLEARANCE_TO_SHIPMENT_STATUS) <= codes
    assert c.CLEARANCE_TO_SHIPMENT_STATUS["hold"] == "customs_hold"
    assert c.CLEARANCE_TO_SHIPMENT_STATUS["released"] == "customs_released"
    assert all(c.is_side_status(s) for s in c.CLEARANCE_TO_SHIPMENT_STATUS.values())
