"""The sandbox's JSON 3PL (ShipBob-like): canonical orders in, shipments out as webhooks signed
``shipbob-hmac`` that the ``shipbob-webhook`` codec reads, retried, dropped (then found by
polling), duplicated or out of order; changes and cancellations, bad bodies, inventory levels
with drift, the background shipping and the command line."""

import contextlib
import json
from urllib.parse import quote

import pytest

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.sandbox import Json3pl, Sandbox, get_personality
from logistics_adapters.sandbox.__main__ import main as sandbox_main
from logistics_adapters.tests.helpers import loopback_session, served_sandbox
from logistics_adapters.tests.test_sandbox_carrier import _wait
from logistics_adapters.tests.webhook_receiver import WebhookReceiver
from logistics_adapters.transport.http import OutboundClient
from logistics_adapters.transport.signatures import get_header, get_scheme

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SCHEME = get_scheme("shipbob-hmac")
WEBHOOK, INVENTORY = registry.get("shipbob-webhook"), registry.get("shipbob-inventory")
REFERENCE = "WH/OUT/00042"
STOCK = {"TILE-6060": 1700, "ADH-20": [[4, "AD2611-07"], [40, "AD2612-02"]]}
#: Fast deliveries for the tests: the tracking update 50 ms after its shipment.
FAST = {"tracking_after": 0.05, "webhook_options": {"backoff": 0.02, "timeout": 2}}


def _order(reference=REFERENCE, purpose="original", lines=None):
    """120 tiles and 6 bags of adhesive, by UPS ground, as Odoo releases them."""
    lines = lines or [c.OrderLine("TILE-6060", 120, "1"), c.OrderLine("ADH-20", 6, "2")]
    return c.WarehouseOrder(
        reference, carrier="UPS", service="Ground", lines=lines, purpose=purpose
    )


def _post(http, sandbox, order):
    return http.post(f"{sandbox.url}/3pl/orders", json=c.to_jsonable(order), timeout=5)


@contextlib.contextmanager
def _three_pl(statuses=(), **options):
    """A JSON 3PL in a sandbox, its webhooks to a receiver checking ``shipbob-hmac``; yields
    ``(three_pl, sandbox, receiver)``."""
    with WebhookReceiver(SCHEME, SECRET, statuses=statuses) as receiver:
        settings = {"stock": STOCK, "first_number": 1, **FAST, **options}
        three_pl = Json3pl(webhook_url=receiver.url, secret=SECRET, **settings)
        with three_pl, Sandbox(port=0, route_sets=[three_pl]) as sandbox:
            three_pl.attach(sandbox)
            yield three_pl, sandbox, receiver


def _received(receiver):
    """``(topic, the one confirmation parsed)`` of each webhook received, all verified."""
    found = []
    for item in receiver.items():
        assert item["error"] is None and item["verified"].scheme == "shipbob-hmac", item
        (confirmation,) = WEBHOOK.parse(item["body"])
        found.append((get_header(item["headers"], "x-webhook-topic"), confirmation))
    return found


def _lines(confirmation):
    """``(product, quantity, line number, lots)`` of each line."""
    return [
        (
            line.product_code,
            line.quantity,
            line.line_number,
            [(x.lot_number, x.quantity) for x in line.lots],
        )
        for line in confirmation.lines
    ]


# -- orders in and shipments out -------------------------------------------------------------


def test_an_order_ships_partially_in_two_signed_webhooks_the_codec_reads(http):
    with _three_pl(scenario="partial") as (three_pl, sandbox, receiver):
        taken = _post(http, sandbox, _order())
        three_pl.advance()
        sandbox.wait_deliveries(2)
        three_pl.advance()
        records = sandbox.wait_deliveries(4)
        received = _received(receiver)
        order = http.get(f"{sandbox.url}/3pl/orders/{quote(REFERENCE, safe='')}", timeout=5)
    assert taken.status_code == 201
    assert taken.json() == {
        "id": 1,
        "reference_id": REFERENCE,
        "status": "Processing",
        "purpose": "original",
    }
    assert order.json()["status"] == "Fulfilled"
    assert [record["state"] for record in records] == ["delivered"] * 4
    topics = [topic for topic, _confirmation in received]
    assert topics == ["order.shipped", "order.shipment.tracking_received"] * 2
    first, first_tracking, second, second_tracking = (found for _t, found in received)
    assert _lines(first) == [
        ("TILE-6060", 60, "1", []),
        ("ADH-20", 3, "2", [("AD2611-07", 3)]),
    ]
    assert _lines(second) == [
        ("TILE-6060", 60, "1", []),
        ("ADH-20", 3, "2", [("AD2611-07", 1), ("AD2612-02", 2)]),
    ]
    for shipped, tracking in ((first, first_tracking), (second, second_tracking)):
        assert shipped.order_reference == tracking.order_reference == REFERENCE
        assert (shipped.carrier, shipped.service, shipped.warehouse) == (
            "UPS",
            "Ground",
            "SANDBOX3PL",
        )
        assert shipped.partner_reference == tracking.partner_reference
        assert shipped.tracking_number == tracking.tracking_number
        assert shipped.tracking_number.startswith("1Z999AA1")
        assert shipped.packages == [c.Package(shipped.tracking_number, shipped.tracking_number)]
        assert (shipped.status, tracking.status) == (c.STATUS_PICKED_UP, c.STATUS_IN_TRANSIT)
        assert tracking.lines == [] and tracking.confirmed_at > shipped.confirmed_at
    assert first.partner_reference != second.partner_reference
    # The stock took what was shipped, lot by lot.
    assert three_pl.stock()["ADH-20"] == [[0.0, "AD2611-07"], [38.0, "AD2612-02"]]


def test_each_webhook_says_its_topic_and_the_same_body_keeps_its_message_id(http):
    with _three_pl(duplicate=True) as (three_pl, sandbox, receiver):
        _post(http, sandbox, _order())
        three_pl.advance()
        sandbox.wait_deliveries(4)
        items = receiver.items()
    ids = [get_header(item["headers"], "webhook-id") for item in items]
    assert ids[0] == ids[1] != ids[2] == ids[3]
    assert [json.loads(item["body"])["reference_id"] for item in items] == [REFERENCE] * 4


def test_out_of_order_sends_the_tracking_update_before_the_shipment(http):
    with _three_pl(out_of_order=True) as (three_pl, sandbox, receiver):
        _post(http, sandbox, _order())
        three_pl.advance()
        sandbox.wait_deliveries(2)
        received = _received(receiver)
    assert [topic for topic, _found in received] == [
        "order.shipment.tracking_received",
        "order.shipped",
    ]
    (_topic, tracking), (_topic, shipped) = received
    # Dated as it happened: the later news, arriving first, is the later one still.
    assert tracking.confirmed_at > shipped.confirmed_at
    assert c.advance_status(tracking.status, shipped.status) == c.STATUS_IN_TRANSIT


def test_deliveries_are_retried_after_a_5xx_and_a_refused_connection(http):
    options = {"max_attempts": 2, "backoff": 0.02, "timeout": 2}
    with _three_pl([503], webhook_options=options) as (three_pl, sandbox, receiver):
        _post(http, sandbox, _order())
        three_pl.advance()
        records = sandbox.wait_deliveries(2)
        assert len(receiver.items()) == 3
        with WebhookReceiver(SCHEME, SECRET) as gone:
            closed = gone.url
        three_pl.set_webhooks(webhook_url=closed)
        _post(http, sandbox, _order("WH/OUT/00043"))
        three_pl.advance("WH/OUT/00043")
        failed = sandbox.wait_deliveries(4, timeout=10)[2:]
    first = records[0]
    assert (first["state"], first["attempts"]) == ("delivered", 2)
    assert [attempt["status_code"] for attempt in first["attempt_log"]] == [503, 200]
    assert [(r["state"], r["attempts"]) for r in failed] == [("failed", 2)] * 2
    assert all("Connection" in attempt["error"] for attempt in failed[0]["attempt_log"])


# -- polling ---------------------------------------------------------------------------------


def test_a_dropped_webhook_is_found_by_polling(http):
    with _three_pl(drop=1) as (three_pl, sandbox, receiver):
        _post(http, sandbox, _order())
        method, path, options = WEBHOOK.poll_request(REFERENCE)
        with OutboundClient(f"{sandbox.url}/3pl", session=loopback_session()) as client:
            before = client.request(method, path, **options)
            [sent] = three_pl.advance()
            sandbox.wait_deliveries(1)
            after = client.request(method, path, **options)
        unknown = http.get(f"{sandbox.url}/3pl/orders/WH%2FOUT%2F99999/shipments", timeout=5)
        received = _received(receiver)
    assert WEBHOOK.can_poll() and path == "/orders/WH%2FOUT%2F00042/shipments"
    assert (before.status, WEBHOOK.parse(before.body)) == (200, [])
    assert [hook["state"] for hook in sent["webhooks"]] == ["dropped", "sent"]
    # Only the tracking update came: the shipment itself is known by asking.
    assert [topic for topic, _found in received] == ["order.shipment.tracking_received"]
    (polled,) = WEBHOOK.parse(after.body)
    assert _lines(polled) == [
        ("TILE-6060", 120, "1", []),
        ("ADH-20", 6, "2", [("AD2611-07", 4), ("AD2612-02", 2)]),
    ]
    assert polled.partner_reference == received[0][1].partner_reference
    assert WEBHOOK.identify(after.body).references == (REFERENCE,)
    assert unknown.status_code == 404 and "WH/OUT/99999" in unknown.json()["error"]


def test_a_fraction_of_webhooks_is_dropped_at_random_by_seed(http):
    with _three_pl(drop=0.5, seed=7) as (three_pl, sandbox, _receiver):
        for number in range(10):
            _post(http, sandbox, _order(f"WH/OUT/{number:05d}"))
        sent = three_pl.advance()
    states = [hook["state"] for shipment in sent for hook in shipment["webhooks"]]
    assert 0 < states.count("dropped") < len(states) == 20


# -- changes, cancellations, bad bodies --------------------------------------------------------


def test_a_change_replaces_the_lines_and_a_cancellation_closes_the_order(http):
    with _three_pl(scenario="partial") as (three_pl, sandbox, _receiver):
        _post(http, sandbox, _order())
        three_pl.advance()
        bigger = [c.OrderLine("TILE-6060", 150, "1"), c.OrderLine("ADH-20", 3, "2")]
        changed = _post(http, sandbox, _order(purpose="change", lines=bigger))
        [second] = three_pl.advance()
        shipments = http.get(f"{sandbox.url}/3pl/orders/WH%2FOUT%2F00042/shipments", timeout=5)
        late = _post(http, sandbox, _order(purpose="cancel"))
        _post(http, sandbox, _order("WH/OUT/00043"))
        cancelled = _post(http, sandbox, _order("WH/OUT/00043", purpose="cancel"))
        again = _post(http, sandbox, _order("WH/OUT/00043", purpose="cancel"))
        nothing = three_pl.advance("WH/OUT/00043")
        unknown = _post(http, sandbox, _order("WH/OUT/00099", purpose="change"))
    assert changed.status_code == 200 and changed.json()["id"] == 1
    # What was shipped of each line counts against the new quantities.
    assert _lines(WEBHOOK.parse(shipments.content)[1]) == [("TILE-6060", 90, "1", [])]
    assert second["status"] == "shipped"
    assert (late.status_code, late.json()["error"]) == (
        409,
        "order 'WH/OUT/00042' is fulfilled: too late to cancel it",
    )
    assert [answer.json()["status"] for answer in (cancelled, again)] == ["Cancelled"] * 2
    assert nothing == []
    assert (unknown.status_code, unknown.json()["error"]) == (404, "no order 'WH/OUT/00099'")


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"", "a JSON object is required"),
        (b"{not json", "the body is not valid JSON"),
        (b"[]", "the body must be a JSON object"),
        (b'{"type": "TransportOrder", "reference": "A"}', "one canonical WarehouseOrder"),
        (b'{"type": "WarehouseOrder"}', "field 'reference': required field missing"),
        (
            b'{"type": "WarehouseOrder", "reference": "A", "lines": [{"type": "OrderLine", '
            b'"product_code": "X", "quantity": "many"}]}',
            "lines[0].quantity",
        ),
        (b'{"type": "WarehouseOrder", "reference": "A"}', "order 'A' has no lines"),
        (b'{"type": "WarehouseOrder", "reference": " "}', "the order has no reference"),
        (
            b'{"type": "WarehouseOrder", "reference": "A", "kind": "inbound"}',
            "outbound orders only",
        ),
        (
            b'{"type": "WarehouseOrder", "reference": "A", "lines": [{"type": "OrderLine", '
            b'"product_code": "X", "quantity": 0}]}',
            "lines[0]: a product code and a positive quantity",
        ),
    ],
)
def test_bad_bodies_are_a_400_saying_what_is_wrong(http, body, said):
    with Sandbox(port=0, route_sets=[Json3pl()]) as sandbox:
        answer = http.post(f"{sandbox.url}/3pl/orders", data=body, timeout=5)
    assert answer.status_code == 400
    assert said in answer.json()["error"]


# -- scenarios and the background ----------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "lines"),
    [
        ("short", [("TILE-6060", 60, "1", []), ("ADH-20", 3, "2", [("AD2611-07", 3)])]),
        (
            "lots",
            [("TILE-6060", 120, "1", []), ("ADH-20", 6, "2", [("AD2611-07", 3), ("AD2612-02", 3)])],
        ),
        (
            "bad",
            [
                ("NO-SUCH-ITEM", 120, "1", []),
                ("ADH-20", 6, "2", [("AD2611-07", 4), ("AD2612-02", 2)]),
            ],
        ),
        ("hold", None),
    ],
)
def test_scenarios_ship_as_the_edi_3pl_does(http, scenario, lines):
    three_pl = Json3pl(stock=STOCK, scenario=scenario)
    with Sandbox(port=0, route_sets=[three_pl]) as sandbox:
        _post(http, sandbox, _order())
        sent = three_pl.advance() + three_pl.advance()
        polled = http.get(f"{sandbox.url}/3pl/orders/WH%2FOUT%2F00042/shipments", timeout=5)
    shipments = WEBHOOK.parse(polled.content)
    assert [_lines(found) for found in shipments] == ([lines] if lines else [])
    assert [shipment["webhooks"][0]["state"] for shipment in sent] == (
        ["not sent"] if lines else []
    )


def test_orders_ship_by_themselves_after_ship_after(http):
    with _three_pl(ship_after=0.05) as (three_pl, sandbox, receiver):
        _post(http, sandbox, _order())
        sandbox.wait_deliveries(2)
        orders = three_pl.orders()
    assert [topic for topic, _found in _received(receiver)] == [
        "order.shipped",
        "order.shipment.tracking_received",
    ]
    assert orders[0]["status"] == "shipped"


# -- inventory -------------------------------------------------------------------------------


def test_inventory_levels_with_drift_read_by_the_inventory_codec(http):
    with _three_pl() as (three_pl, sandbox, receiver):
        plain = http.get(f"{sandbox.url}/3pl/inventory", timeout=5)
        drifted = http.post(
            f"{sandbox.url}/_sandbox/json-3pl/inventory",
            json={"drift": {"TILE-6060": -2, "GRT-05": 10}, "send": True},
            timeout=5,
        )
        sandbox.wait_deliveries(1)
        standing = http.get(f"{sandbox.url}/3pl/inventory", timeout=5)
        [item] = receiver.items()
        refused = http.post(
            f"{sandbox.url}/_sandbox/json-3pl/inventory", json={"percent": "lots"}, timeout=5
        )

    def levels(body):
        (snapshot,) = INVENTORY.parse(body)
        return [(x.product_code, x.lot_number, x.location, x.quantity) for x in snapshot.lines]

    assert levels(plain.content) == [
        ("TILE-6060", "", "SANDBOX3PL", 1700),
        ("ADH-20", "AD2611-07", "SANDBOX3PL", 4),
        ("ADH-20", "AD2612-02", "SANDBOX3PL", 40),
    ]
    expected = [
        ("TILE-6060", "", "SANDBOX3PL", 1698),
        ("ADH-20", "AD2611-07", "SANDBOX3PL", 4),
        ("ADH-20", "AD2612-02", "SANDBOX3PL", 40),
        ("GRT-05", "", "SANDBOX3PL", 10),
    ]
    assert levels(standing.content) == levels(item["body"]) == expected
    assert drifted.json()["webhooks"] == [
        {"topic": "sandbox.inventory_levels", "state": "sent", "timeline": sandbox.timelines[0].id}
    ]
    assert get_header(item["headers"], "x-webhook-topic") == "sandbox.inventory_levels"
    assert INVENTORY.parse(plain.content)[0].lines[0].quantities["available"] == 1700
    assert three_pl.stock()["TILE-6060"] == [[1700.0, ""]]  # the stock itself did not drift
    assert refused.status_code == 400 and "percent" in refused.json()["error"]


# -- control, options, personality, command line -------------------------------------------


def test_control_routes_set_scenarios_webhooks_and_reset(http):
    with _three_pl() as (_three_pl_partner, sandbox, receiver):
        control = f"{sandbox.url}/_sandbox/json-3pl"
        _post(http, sandbox, _order())
        held = http.post(f"{control}/scenario", json={"scenario": "hold"}, timeout=5)
        http.post(f"{control}/advance", json={}, timeout=5)
        on_hold = http.get(f"{control}/orders", timeout=5).json()
        settings = http.post(f"{control}/webhooks", json={"drop": 2}, timeout=5).json()
        typo = http.post(f"{control}/webhooks", json={"dropp": 2}, timeout=5)
        http.post(f"{control}/scenario", json={"scenario": "ship"}, timeout=5)
        advanced = http.post(f"{control}/advance", json={"reference": REFERENCE}, timeout=5)
        missing = http.post(f"{control}/advance", json={"reference": "nope"}, timeout=5)
        http.post(f"{sandbox.url}/_sandbox/reset", timeout=5)
        after_reset = http.get(f"{control}/orders", timeout=5).json()
        assert receiver.items() == []  # both webhooks dropped
    assert held.json()["scenario"] == "hold"
    assert [order["status"] for order in on_hold["orders"]] == ["held"]
    assert (settings["drop_next"], settings["secret_set"]) == (2, True)
    assert typo.status_code == 400 and "dropp" in typo.json()["error"]
    assert advanced.json()["count"] == 1
    assert [hook["state"] for hook in advanced.json()["sent"][0]["webhooks"]] == ["dropped"] * 2
    assert missing.status_code == 404
    assert after_reset["orders"] == [] and after_reset["stock"]["ADH-20"][0] == [4.0, "AD2611-07"]


@pytest.mark.parametrize(
    "options",
    [
        {"scenario": "maybe"},
        {"drop": -1},
        {"drop": 1.5},
        {"secret": "whsec_not base64!"},
        {"webhook_url": "ftp://127.0.0.1/hooks"},
        {"tracking_after": -1},
        {"duplicate": "yes"},
        {"ship_after": "soon"},
        {"webhook_options": {"retries": 3}},
        {"webhook_options": {"max_attempts": 0}},
        {"stock": {"TILE-6060": "many"}},
    ],
)
def test_bad_options_are_refused(options):
    with pytest.raises(ValueError):
        Json3pl(**options)


def test_the_personality_is_registered_by_the_shipbob_package():
    assert get_personality("json-3pl") is Json3pl
    assert (Json3pl.name, Json3pl.prefix) == ("json-3pl", "/3pl")


def test_command_line_plays_the_json_3pl(http, tmp_path):
    stock = tmp_path / "stock.json"
    stock.write_text(json.dumps(STOCK), encoding="utf-8")
    with WebhookReceiver(SCHEME, SECRET) as receiver:
        served = served_sandbox(
            *("json-3pl", "--webhook-url", receiver.url, "--secret", SECRET),
            *("--stock", str(stock), "--scenario", "lots", "--ship-after", "0"),
            *("--tracking-after", "0.05"),
            banner="logistics JSON 3PL sandbox listening on http://127.0.0.1:",
        )
        with served as url:
            taken = http.post(f"{url}/3pl/orders", json=c.to_jsonable(_order()), timeout=5)
            _wait(lambda: len(receiver.items()) == 2, "two webhooks")
            polled = http.get(f"{url}/3pl/orders/{quote(REFERENCE, safe='')}/shipments", timeout=5)
        received = _received(receiver)
    assert taken.status_code == 201
    assert [topic for topic, _found in received] == [
        "order.shipped",
        "order.shipment.tracking_received",
    ]
    assert _lines(WEBHOOK.parse(polled.content)[0]) == _lines(received[0][1])


def test_command_line_refuses_bad_options(tmp_path, capsys):
    assert sandbox_main(["json-3pl", "--stock", str(tmp_path / "none.json")]) == 2
    assert "cannot read stock" in capsys.readouterr().err
    assert sandbox_main(["json-3pl", "--secret", "whsec_!!", "--port", "0"]) == 2
    assert "base64" in capsys.readouterr().err
    assert sandbox_main(["json-3pl", "--host", "192.0.2.1"]) == 2
    assert "not a loopback address" in capsys.readouterr().err
