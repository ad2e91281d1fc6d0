"""The sandbox's 3PL: 940s and 943s acknowledged and kept, 945s by scenario (ship, partial,
short, lots, bad, hold, per order), changes and cancellations, 944 receipts, 846s with drift,
its stock, over local folders, SFTP, HTTP, the background thread and the command line."""

import json
from datetime import date

import pytest

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.formats import x12
from logistics_adapters.formats.x12.warehouse import order_segments, transfer_segments
from logistics_adapters.sandbox import Sandbox, ThreePlPartner
from logistics_adapters.sandbox.__main__ import main as sandbox_main
from logistics_adapters.sandbox.three_pl import BAD_PRODUCT, check_stock, sscc
from logistics_adapters.tests import test_sandbox_carrier as carrier_tests
from logistics_adapters.tests import test_sandbox_edi as edi_tests
from logistics_adapters.tests.helpers import loopback_session, served_sandbox

ODOO = ("ZZ", "ODOO")
THREE_PL = ("ZZ", "KEYMEM")
ADVICE, RECEIPT, INVENTORY = (registry.get(name) for name in ("x12-945", "x12-944", "x12-846"))
STOCK = {
    "TILE-6060": 1700,
    "ADH-20": [[60, "AD2611-07"], [40, "AD2612-02"]],
    "GRT-05": [220, ""],
}
#: The EDI partner's fixtures: its inbox and outbox (local folders), the SFTP folders.
folders = edi_tests.folders
sftp_folders = edi_tests.sftp_folders
_outbox, _kinds, _wait = carrier_tests._outbox, carrier_tests._kinds, carrier_tests._wait


def _line(code, quantity, number, lot=""):
    return c.OrderLine(code, quantity, str(number), uom="EA", lot_number=lot)


def _order(reference="WH/OUT/00042", purpose="original", lines=None):
    """120 tiles and 6 bags of adhesive for a customer, by UPS ground, as Odoo releases them."""
    lines = lines or [_line("TILE-6060", 120, 1), _line("ADH-20", 6, 2)]
    for line in lines:
        line.product_ids = {"vendor_item": line.product_code}
    ship_to = c.Address(company="Buyer", city="Dallas", state="TX", country="US")
    return c.WarehouseOrder(
        reference, warehouse="KEYMEM", ship_to=ship_to, carrier="UPSN", service="GND",
        lines=lines, purpose=purpose,
    )  # fmt: skip


def _transfer(reference="WH/IN/00007"):
    """40 bags of a new adhesive lot and 10 boxes of grout coming to the 3PL."""
    lines = [_line("ADH-20", 40, 1, lot="AD2703-01"), _line("GRT-05", 10, 2)]
    for line in lines:
        line.product_ids = {"vendor_item": line.product_code}
    return c.WarehouseOrder(reference, kind="inbound", requested_date=date(2026, 3, 2), lines=lines)


def _odoo(*orders, first=500):
    """One interchange of Odoo's 940s (943s for inbound orders), as Odoo writes them."""
    orders = orders or [_order()]
    kind = "943" if orders[0].kind == "inbound" else "940"
    write = transfer_segments if kind == "943" else order_segments
    return x12.render_sets(
        kind,
        [write(order) for order in orders],
        sender=ODOO,
        receiver=THREE_PL,
        control_numbers=x12.sequential_numbers(first, first, first),
    )


def _release(three_pl, inbox, *orders, name="940.edi", first=500):
    """Odoo's interchange of ``orders`` dropped in the 3PL's ``inbox`` and picked up: the
    entries the pickup logged."""
    inbox.write_atomic(name, _odoo(*orders, first=first))
    return three_pl.pickup()


def _read(folder, codec):
    """Every document of the outbox ``codec`` reads, in the order sent, one per file."""
    kind = codec.name.split("-")[1]
    found = [codec.parse(data) for _name, data in _outbox(folder, kind)]
    assert all(len(documents) == 1 for documents in found), found
    return [documents[0] for documents in found]


def _shipped(confirmation):
    """``(product, shipped, ordered, status, lots)`` of each line of a 945."""
    return [
        (line.product_code, line.quantity, line.quantity_ordered, line.status, _lots(line))
        for line in confirmation.lines
    ]


def _lots(line):
    return [(lot.lot_number, lot.quantity) for lot in line.lots]


def _status(three_pl, reference="WH/OUT/00042"):
    return next(order["status"] for order in three_pl.orders() if order["reference"] == reference)


@pytest.fixture
def three_pl(folders):
    inbox, outbox = folders
    partner = ThreePlPartner(
        inbox.path, outbox.path, warehouse="KEYMEM", stock=STOCK, first_control=1, first_number=1
    )
    yield partner
    partner.stop()


# -- orders in -------------------------------------------------------------------------------


def test_a_940_is_acknowledged_and_kept_until_advanced(three_pl, folders):
    inbox, outbox = folders
    [entry] = _release(three_pl, inbox)
    assert _kinds(outbox) == ["997"]
    [(_name, ack)] = _outbox(outbox, "997")
    [report] = x12.read_acknowledgements(ack)
    assert (report.functional_id, report.status, report.accepted) == ("OW", "A", 1)
    assert entry["orders"] == [
        {
            "set": "0500",
            "kind": "940",
            "reference": "WH/OUT/00042",
            "purpose": "original",
            "kept": True,
            "status": "open",
        }
    ]
    [held] = three_pl.orders()
    assert (held["status"], held["due_in"]) == ("open", None)
    assert [(line["product_code"], line["quantity"]) for line in held["lines"]] == [
        ("TILE-6060", 120.0),
        ("ADH-20", 6.0),
    ]


def test_a_rejected_order_is_not_kept(three_pl, folders):
    inbox, outbox = folders
    three_pl.set_mode("reject")
    [entry] = _release(three_pl, inbox)
    assert (entry["orders"], three_pl.orders(), three_pl.advance()) == ([], [], [])
    assert _kinds(outbox) == ["997"]


# -- scenarios -------------------------------------------------------------------------------


WHOLE = [
    ("TILE-6060", 120.0, 120.0, "CC", []),
    ("ADH-20", 6.0, 6.0, "CC", [("AD2611-07", 6.0)]),
]
HALF = [
    ("TILE-6060", 60.0, 120.0, "CP", []),
    ("ADH-20", 3.0, 6.0, "CP", [("AD2611-07", 3.0)]),
]
TWO_LOTS = [WHOLE[0], ("ADH-20", 6.0, 6.0, "CC", [("AD2611-07", 3.0), ("AD2612-02", 3.0)])]
#: The adhesive left once six bags shipped from the first lot.
SIX_FROM_FIRST = [[54.0, "AD2611-07"], [40.0, "AD2612-02"]]


@pytest.mark.parametrize(
    ("scenario", "status", "shipped", "adhesive"),
    [
        ("ship", "shipped", WHOLE, SIX_FROM_FIRST),
        ("short", "short", HALF, [[57.0, "AD2611-07"], [40.0, "AD2612-02"]]),
        ("lots", "shipped", TWO_LOTS, [[57.0, "AD2611-07"], [37.0, "AD2612-02"]]),
        ("bad", "shipped", [(BAD_PRODUCT, *WHOLE[0][1:]), WHOLE[1]], SIX_FROM_FIRST),
    ],
)
def test_a_scenario_ships_one_945_and_no_more(
    three_pl, folders, scenario, status, shipped, adhesive
):
    inbox, outbox = folders
    three_pl.set_scenario(scenario)
    _release(three_pl, inbox)
    [sent] = three_pl.advance()
    assert (sent["kind"], sent["scenario"], sent["status"]) == ("945", scenario, status)
    assert (three_pl.advance(), _status(three_pl)) == ([], status)
    [confirmation] = _read(outbox, ADVICE)
    assert _shipped(confirmation) == shipped
    assert three_pl.stock()["ADH-20"] == adhesive
    assert three_pl.stock()["TILE-6060"] == [[1700.0 - shipped[0][1], ""]]


def test_each_line_ships_in_a_package_with_an_sscc_and_a_tracking_number(three_pl, folders):
    inbox, outbox = folders
    _release(three_pl, inbox)
    three_pl.advance()
    [confirmation] = _read(outbox, ADVICE)
    assert (confirmation.order_reference, confirmation.warehouse) == ("WH/OUT/00042", "KEYMEM")
    assert (confirmation.carrier, confirmation.service) == ("UPSN", "GND")
    assert confirmation.partner_reference.startswith("SH")
    packages = confirmation.packages
    assert [line.package_reference for line in confirmation.lines] == [
        p.reference for p in packages
    ]
    assert all(p.reference == sscc(int(p.reference[8:17])) for p in packages)
    assert [len(p.reference) for p in packages] == [18, 18]
    assert len({p.tracking_number for p in packages}) == 2
    assert confirmation.tracking_number == packages[0].tracking_number
    header = x12.read_header(_outbox(outbox, "945")[0][1])
    assert (header.sender, header.receiver) == (THREE_PL, ODOO)


def test_partial_ships_half_then_the_rest_on_the_next_advance(three_pl, folders):
    inbox, outbox = folders
    three_pl.set_scenario("partial")
    _release(three_pl, inbox)
    assert [sent["status"] for sent in three_pl.advance()] == ["partial"]
    assert _status(three_pl) == "partial"
    assert [sent["status"] for sent in three_pl.advance()] == ["shipped"]
    assert three_pl.advance() == []
    first, rest = _read(outbox, ADVICE)
    assert _shipped(first) == [
        ("TILE-6060", 60.0, 120.0, "CP", []),
        ("ADH-20", 3.0, 6.0, "CP", [("AD2611-07", 3.0)]),
    ]
    assert _shipped(rest) == [
        ("TILE-6060", 60.0, 60.0, "CC", []),
        ("ADH-20", 3.0, 3.0, "CC", [("AD2611-07", 3.0)]),
    ]
    assert not {p.reference for p in first.packages} & {p.reference for p in rest.packages}
    assert three_pl.stock()["TILE-6060"] == [[1580.0, ""]]


def test_a_lot_the_order_names_is_the_one_shipped(three_pl, folders):
    inbox, outbox = folders
    _release(three_pl, inbox, _order(lines=[_line("ADH-20", 50, 1, lot="AD2612-02")]))
    three_pl.advance()
    [confirmation] = _read(outbox, ADVICE)
    assert _shipped(confirmation) == [("ADH-20", 50.0, 50.0, "CC", [("AD2612-02", 50.0)])]
    assert three_pl.stock()["ADH-20"] == [[60.0, "AD2611-07"], [0.0, "AD2612-02"]]


def test_hold_ships_nothing_until_the_scenario_changes(three_pl, folders):
    inbox, outbox = folders
    three_pl.set_scenario("hold", reference="WH/OUT/00042")
    _release(three_pl, inbox, _order(), _order("WH/OUT/00043"))
    assert [sent["reference"] for sent in three_pl.advance()] == ["WH/OUT/00043"]
    assert _status(three_pl) == "held"
    three_pl.set_scenario("partial", reference="WH/OUT/00042")
    assert [sent["status"] for sent in three_pl.advance("WH/OUT/00042")] == ["partial"]
    assert [c.order_reference for c in _read(outbox, ADVICE)] == ["WH/OUT/00043", "WH/OUT/00042"]
    with pytest.raises(LookupError, match="WH/OUT/9"):
        three_pl.advance("WH/OUT/9")


def test_bad_scenarios_and_stock_are_refused(three_pl, folders):
    with pytest.raises(ValueError, match="ship, partial, short, lots, bad, hold"):
        three_pl.set_scenario("maybe")
    with pytest.raises(ValueError, match="damaged"):
        three_pl.set_scenario("ship", damaged=-1)
    with pytest.raises(ValueError, match="reference"):
        three_pl.set_scenario("ship", reference="")
    with pytest.raises(ValueError, match="ship_after"):
        ThreePlPartner(*folders, ship_after=-1)
    assert check_stock({"A": 2, "B": [3, "L1"], "C": [[1, "L1"], [2, "L2"], [4, "L1"]]}) == {
        "A": {"": 2.0},
        "B": {"L1": 3.0},
        "C": {"L1": 5.0, "L2": 2.0},
    }
    for wrong in ([1], {"A": "lots"}, {"A": [[-1, "L"]]}, {"A": -1}, {"": 1}, {"A": [[1, 2]]}):
        with pytest.raises(ValueError, match="stock"):
            check_stock(wrong)
    assert three_pl.scenario.name == "ship"
    assert ThreePlPartner(*folders).partner_id == ("ZZ", "SANDBOX3PL")


# -- changes and cancellations ---------------------------------------------------------------


def test_a_change_replaces_the_lines_what_was_shipped_counting(three_pl, folders):
    inbox, outbox = folders
    three_pl.set_scenario("partial")
    _release(three_pl, inbox)
    three_pl.advance()
    changed = _order(purpose="change", lines=[_line("TILE-6060", 100, 1), _line("GRT-05", 4, 3)])
    [entry] = _release(three_pl, inbox, changed, name="940_change.edi", first=600)
    assert entry["orders"][0] | {"set": None} == {
        "set": None,
        "kind": "940",
        "reference": "WH/OUT/00042",
        "purpose": "change",
        "kept": True,
        "status": "partial",
        "replaced": True,
    }
    three_pl.advance()
    _first, rest = _read(outbox, ADVICE)
    assert _shipped(rest) == [("TILE-6060", 40.0, 40.0, "CC", []), ("GRT-05", 4.0, 4.0, "CC", [])]


def test_a_cancellation_drops_the_order(three_pl, folders):
    inbox, outbox = folders
    _release(three_pl, inbox, _order(), _order("WH/OUT/00043"))
    cancel = _order("WH/OUT/00043", purpose="cancel")
    [entry] = _release(three_pl, inbox, cancel, name="940_cancel.edi", first=600)
    assert entry["orders"][0]["cancelled"] is True
    assert [sent["reference"] for sent in three_pl.advance()] == ["WH/OUT/00042"]
    assert _status(three_pl, "WH/OUT/00043") == "cancelled"
    late = _order(purpose="cancel")
    [entry] = _release(three_pl, inbox, late, name="940_late.edi", first=700)
    assert (entry["orders"][0]["cancelled"], entry["orders"][0]["status"]) == (False, "shipped")
    again = _release(three_pl, inbox, _order("WH/OUT/00043"), name="940_again.edi", first=800)
    assert again[0]["orders"][0]["status"] == "open"  # released again after the cancellation
    assert _kinds(outbox) == ["997", "997", "945", "997", "997"]


def test_reset_forgets_orders_and_scenarios_and_restores_the_stock(three_pl, folders):
    inbox, _outbox_folder = folders
    three_pl.set_scenario("hold", reference="WH/OUT/00042")
    three_pl.set_scenario("short")
    _release(three_pl, inbox, _order("WH/OUT/00041"))
    three_pl.advance()
    three_pl.reset()
    assert (three_pl.orders(), three_pl.entries(), three_pl.scenario.name) == ([], [], "ship")
    assert three_pl.scenario_for("WH/OUT/00042").name == "ship"
    assert three_pl.stock()["TILE-6060"] == [[1700.0, ""]]


# -- receipts and inventory ------------------------------------------------------------------


def test_a_943_is_received_with_a_944_and_stocked(three_pl, folders):
    inbox, outbox = folders
    three_pl.set_scenario("ship", damaged=2)
    [entry] = _release(three_pl, inbox, _transfer(), name="943.edi")
    assert (entry["orders"][0]["kind"], entry["orders"][0]["reference"]) == ("943", "WH/IN/00007")
    [sent] = three_pl.advance()
    assert (sent["kind"], sent["status"]) == ("944", "received")
    [receipt] = _read(outbox, RECEIPT)
    assert (receipt.kind, receipt.order_reference, receipt.warehouse) == (
        "receipt",
        "WH/IN/00007",
        "KEYMEM",
    )
    assert [
        (line.product_code, line.quantity, line.quantity_damaged, _lots(line))
        for line in receipt.lines
    ] == [("ADH-20", 40.0, 2.0, [("AD2703-01", 40.0)]), ("GRT-05", 10.0, 2.0, [])]
    stock = three_pl.stock()
    assert stock["ADH-20"][-1] == [38.0, "AD2703-01"]
    assert stock["GRT-05"] == [[228.0, ""]]
    assert three_pl.advance() == []


def test_an_846_reports_the_stock_with_its_drift(three_pl, folders):
    inbox, outbox = folders
    _release(three_pl, inbox)
    three_pl.advance()
    sent = three_pl.inventory(drift={"TILE-6060": -2, "KEY-PALLET": 14})
    assert (sent["lines"], sent["reference"][:2]) == (5, "IN")
    [snapshot] = _read(outbox, INVENTORY)
    assert (snapshot.warehouse, snapshot.partner_reference) == ("KEYMEM", sent["reference"])
    assert snapshot.taken_at.tzinfo is not None and not snapshot.partial
    assert [(i.product_code, i.quantity, i.lot_number, i.uom) for i in snapshot.lines] == [
        ("TILE-6060", 1578.0, "", "EA"),
        ("ADH-20", 54.0, "AD2611-07", "EA"),
        ("ADH-20", 40.0, "AD2612-02", "EA"),
        ("GRT-05", 220.0, "", "EA"),
        ("KEY-PALLET", 14.0, "", "EA"),
    ]
    assert three_pl.stock()["TILE-6060"] == [[1580.0, ""]]  # the drift is in the report only
    three_pl.inventory(percent=10, products=2)
    _counted, drifted = _read(outbox, INVENTORY)
    assert [line.quantity for line in drifted.lines] == [1738.0, 59.4, 44.0, 220.0]
    with pytest.raises(ValueError, match="drift"):
        three_pl.inventory(drift={"TILE-6060": "two"})
    with pytest.raises(ValueError, match="products"):
        three_pl.inventory(percent=5, products=-1)


# -- working on its own ----------------------------------------------------------------------


def test_orders_ship_when_due_by_the_clock(folders):
    inbox, outbox = folders
    now = [100.0]
    three_pl = ThreePlPartner(*folders, scenario="partial", ship_after=5, clock=lambda: now[0])
    _release(three_pl, inbox)
    assert (_kinds(outbox), three_pl.orders()[0]["due_in"]) == (["997"], 5.0)
    now[0] = 105.0
    assert [sent["status"] for sent in three_pl.ship_due()] == ["partial"]
    now[0] = 108.0
    assert three_pl.pickup() == [] and _kinds(outbox) == ["997", "945"]
    now[0] = 110.0
    three_pl.pickup()
    assert _kinds(outbox) == ["997", "945", "945"]


def test_the_background_thread_acknowledges_and_ships(folders):
    inbox, outbox = folders
    with ThreePlPartner(*folders, ship_after=0).start(poll_seconds=0.1) as three_pl:
        inbox.write_atomic("940.edi", _odoo(_order()))
        _wait(lambda: len(_outbox(outbox, "945")) == 1, "a 945")
        # Files are written before they are logged: wait for the log too.
        _wait(lambda: len(three_pl.entries("sent")) == 1, "the log of the 945")
    assert _kinds(outbox) == ["997", "945"]
    assert _status(three_pl) == "shipped"


def test_sftp_order_acknowledged_and_shipped(sftp_folders):
    odoo_out, odoo_in = sftp_folders("/to_partner"), sftp_folders("/from_partner")
    three_pl = ThreePlPartner(
        sftp_folders("/to_partner"), sftp_folders("/from_partner"), stock=STOCK, first_control=7
    )
    odoo_out.write_atomic("940.edi", _odoo(_order(), _order("WH/OUT/00043")))
    three_pl.set_scenario("lots", reference="WH/OUT/00043")
    three_pl.pickup()
    assert len(three_pl.advance()) == 2
    assert _kinds(odoo_in) == ["997", "945", "945"]
    plain, lots = _read(odoo_in, ADVICE)
    assert _lots(plain.lines[1]) == [("AD2611-07", 6.0)]
    assert _lots(lots.lines[1]) == [("AD2611-07", 3.0), ("AD2612-02", 3.0)]
    three_pl.stop()


# -- HTTP and the command line ---------------------------------------------------------------


def test_http_routes_drive_the_3pl(three_pl, folders):
    _inbox, outbox = folders
    with Sandbox(port=0, route_sets=[three_pl]) as sandbox, loopback_session() as http:
        base = f"{sandbox.url}/_sandbox/edi"

        def post(path, spec=None):
            return http.post(f"{base}/{path}", json=spec, timeout=5)

        assert http.post(f"{sandbox.url}/edi/interchanges", data=_odoo(), timeout=5).ok
        assert post("scenario", {"scenario": "partial"}).json()["scenario"] == "partial"
        spec = {"scenario": "ship", "reference": "WH/OUT/00042", "damaged": 1}
        assert post("scenario", spec).json() == {**spec, "damaged": 1.0}
        assert post("pickup").json()["count"] == 1
        advanced = post("advance", {"reference": "WH/OUT/00042"}).json()
        assert [sent["status"] for sent in advanced["sent"]] == ["shipped"]
        counted = post("inventory", {"drift": {"GRT-05": -3}}).json()
        stock = post("stock", {"stock": {"TILE-6060": [10, ""]}}).json()
        orders = http.get(f"{base}/orders", timeout=5).json()
        refused = [
            post("advance", {"reference": "WH/OUT/9"}),
            post("scenario", {"scenario": "maybe"}),
            post("scenario", {"scenario": "ship", "when": "now"}),
            post("inventory", {"drift": [1]}),
            post("stock", {"stock": {"TILE-6060": "many"}}),
        ]
    assert [answer.status_code for answer in refused] == [404, 400, 400, 400, 400]
    assert "unknown key(s) in a 3PL control request: when" in refused[2].json()["error"]
    assert counted["lines"] == 4 and counted["file"].startswith("846_")
    assert stock == {"stock": {"TILE-6060": [[10.0, ""]]}}
    assert (orders["warehouse"], orders["scenario"]["scenario"]) == ("KEYMEM", "partial")
    assert orders["overrides"]["WH/OUT/00042"] == {"scenario": "ship", "damaged": 1.0}
    assert [order["status"] for order in orders["orders"]] == ["shipped"]
    assert orders["stock"] == stock["stock"]
    [snapshot] = _read(outbox, INVENTORY)
    assert [line.quantity for line in snapshot.lines if line.product_code == "GRT-05"] == [217.0]


def test_command_line_plays_the_3pl(folders, tmp_path):
    inbox, outbox = folders
    stock = tmp_path / "stock.json"
    stock.write_text(json.dumps(STOCK), encoding="utf-8")
    served = served_sandbox(
        *("3pl", "--inbox", inbox.path, "--outbox", outbox.path, "--poll", "0.1"),
        *("--warehouse", "KEYMEM", "--stock", str(stock), "--scenario", "lots"),
        banner="logistics 3PL sandbox KEYMEM control on http://",
    )
    with served as url, loopback_session() as http:
        inbox.write_atomic("940.edi", _odoo())
        _wait(lambda: len(_outbox(outbox, "945")) == 1, "a 945")
        stock = http.get(f"{url}/orders", timeout=5).json()["stock"]
    assert stock["ADH-20"] == [[57.0, "AD2611-07"], [37.0, "AD2612-02"]]
    assert _shipped(_read(outbox, ADVICE)[0]) == TWO_LOTS


def test_command_line_refuses_bad_options(tmp_path, capsys):
    paths = ["--inbox", str(tmp_path), "--outbox", str(tmp_path)]
    assert sandbox_main(["3pl", *paths, "--stock", str(tmp_path / "none.json")]) == 2
    assert "cannot read stock" in capsys.readouterr().err
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"TILE-6060": "many"}', encoding="utf-8")
    assert sandbox_main(["3pl", *paths, "--stock", str(wrong)]) == 2
    assert "stock of TILE-6060" in capsys.readouterr().err
    missing = ["--inbox", str(tmp_path / "nope"), "--outbox", str(tmp_path)]
    assert sandbox_main(["3pl", *missing]) == 2
    assert "nope" in capsys.readouterr().err
