"""The sandbox's carrier: 204s answered with 997 and 990 per scenario (accept, decline,
conditional, silent, per load), 214 timelines, cancellations, 210 invoices of the delivered
loads per billing scenario (exact, accessorial, none, duplicate, over), over local folders,
SFTP, HTTP, the background thread and the command line."""

import os
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.formats import interchange, x12
from logistics_adapters.formats.x12.transport import tender_segments
from logistics_adapters.sandbox import CarrierPartner, Sandbox
from logistics_adapters.sandbox.__main__ import _carrier, build_carrier_parser
from logistics_adapters.sandbox.__main__ import main as sandbox_main
from logistics_adapters.sandbox.carrier_edi import DEFAULT_CONDITIONS, parse_timeline
from logistics_adapters.tests import test_sandbox_edi as edi_tests
from logistics_adapters.tests.helpers import loopback_session, served_sandbox, write_settings

ODOO = ("ZZ", "ODOO")
CARRIER = ("ZZ", "PRFR")
TIMELINE = [("AF", 0), ("X6", 2.0), ("D1", 4.0)]
APPOINTMENT = datetime(2026, 3, 4, 15, 30, tzinfo=timezone.utc)
RESPONSE, STATUS = registry.get("x12-990"), registry.get("x12-214")
INVOICE = registry.get("x12-210")
WAIT = 5.0
#: The EDI partner's fixtures: its inbox and outbox (local folders), the SFTP folders.
folders = edi_tests.folders
sftp_folders = edi_tests.sftp_folders


def _order(reference="TO2600012", purpose="original"):
    """A load from Chicago to Dallas, as Odoo tenders it."""
    pickup = c.Stop(1, "pickup", address=c.Address(company="Acme", city="Chicago", state="IL"))
    pickup.address.country = "US"
    delivery = c.Stop(2, "delivery", appointment=APPOINTMENT)
    delivery.address = c.Address(company="Buyer", city="Dallas", state="TX", country="US")
    return c.TransportOrder(reference, purpose=purpose, carrier="PRFR", stops=[pickup, delivery])


def _odoo_204(*orders, first=500):
    """One interchange of a 204 per order, written as Odoo writes it."""
    settings = write_settings(
        receiver=CARRIER,
        receiver_application="PRFR",
        ack_requested=False,
        next_control_number=x12.sequential_numbers(first, first, first),
    )
    documents = [tender_segments(order) for order in orders or [_order()]]
    return interchange.render(settings, "204", documents).payload


def _tender(carrier, inbox, *orders, name="204.edi", first=500):
    """Odoo's 204 of ``orders`` dropped in the carrier's ``inbox`` and picked up: the entries
    the pickup logged."""
    inbox.write_atomic(name, _odoo_204(*orders, first=first))
    return carrier.pickup()


def _outbox(folder, kind=None):
    """``[(file name, payload)]`` of the outbox, oldest control number first (of ``kind``)."""
    names = sorted((e.name for e in folder.list_ready(min_age=0)), key=lambda n: n[4:])
    return [(n, folder.read(n)) for n in names if kind is None or n.startswith(f"{kind}_")]


def _kinds(folder):
    return [name.split("_", 1)[0] for name, _data in _outbox(folder)]


def _responses(folder):
    """Every 990 of the outbox, as TransportOrder objects."""
    return [order for _name, data in _outbox(folder, "990") for order in RESPONSE.parse(data)]


def _milestones(folder):
    """Every 214 of the outbox, one milestone each, in the order sent."""
    found = [STATUS.parse(data) for _name, data in _outbox(folder, "214")]
    assert all(len(milestones) == 1 for milestones in found), found
    return [milestones[0] for milestones in found]


def _invoices(folder):
    """Every 210 of the outbox, one invoice each, in the order sent."""
    found = [INVOICE.parse(data) for _name, data in _outbox(folder, "210")]
    assert all(len(invoices) == 1 for invoices in found), found
    return [invoices[0] for invoices in found]


def _charges(invoice):
    return [(charge.code, charge.amount) for charge in invoice.charges]


def _wait(condition, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {WAIT} s")


@pytest.fixture
def carrier(folders):
    inbox, outbox = folders
    partner = CarrierPartner(
        inbox.path,
        outbox.path,
        scac="PRFR",
        first_control=1,
        first_pro=41,
        first_invoice=1,
        timeline=TIMELINE,
    )
    yield partner
    partner.stop()


# -- answers ---------------------------------------------------------------------------------


def test_an_accepted_tender_gets_a_997_then_a_990(carrier, folders):
    inbox, outbox = folders
    [entry] = _tender(carrier, inbox, name="204_500.edi")
    assert _kinds(outbox) == ["997", "990"]
    [(_name, ack)] = _outbox(outbox, "997")
    [report] = x12.read_acknowledgements(ack)
    assert (report.functional_id, report.status, report.accepted) == ("SM", "A", 1)
    [(name, data)] = _outbox(outbox, "990")
    [response] = _responses(outbox)
    assert (response.reference, response.status, response.carrier) == (
        "TO2600012",
        "accepted",
        "PRFR",
    )
    assert response.partner_reference == "PRFR0000041"
    header = x12.read_header(data)
    assert (header.sender, header.receiver, header.usage) == (CARRIER, ODOO, "T")
    assert header.control_number == "000000002"  # the carrier's own numbers, after the 997's
    [tender] = entry["tenders"]
    assert tender["reference"] == "TO2600012" and tender["purpose"] == "original"
    assert (tender["scenario"], tender["pro"], tender["answer"]["file"]) == (
        "accept",
        "PRFR0000041",
        name,
    )
    [sent] = carrier.entries("sent")
    assert (sent["kind"], sent["file"], sent["reference"], sent["status"]) == (
        "990",
        name,
        "TO2600012",
        "accepted",
    )
    assert os.listdir(os.path.join(inbox.path, "archive")) == ["204_500.edi"]


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        ("decline", ("declined", "EQU", "", False)),
        ("conditional", ("conditional", "", DEFAULT_CONDITIONS, True)),
    ],
)
def test_a_declined_or_conditional_tender_says_why(carrier, folders, scenario, expected):
    inbox, outbox = folders
    carrier.set_scenario(scenario)
    _tender(carrier, inbox)
    [response] = _responses(outbox)
    found = (response.status, response.decline_reason, response.notes)
    assert (*found, response.partner_reference.startswith("PRFR")) == expected
    assert carrier.play_now() == []  # no timeline (a conditional one: until accepted)
    assert carrier.loads()[0]["status"] == expected[0]


def test_a_silent_carrier_only_acknowledges(carrier, folders):
    inbox, outbox = folders
    carrier.set_scenario("silent")
    [entry] = _tender(carrier, inbox)
    assert _kinds(outbox) == ["997"]
    assert entry["tenders"][0]["answer"] is None
    assert carrier.play_now() == []


def test_a_scenario_per_load_overrides_the_carriers(carrier, folders):
    inbox, outbox = folders
    carrier.set_scenario("decline", reason="WTH")
    carrier.set_scenario("accept", reference="TO2600012")
    carrier.set_scenario("conditional", reference="TO2600013", note="Tarp needed: 50 USD")
    orders = [_order("TO2600011"), _order("TO2600012"), _order("TO2600013")]
    _tender(carrier, inbox, *orders)
    answers = {r.reference: (r.status, r.decline_reason, r.notes) for r in _responses(outbox)}
    assert answers == {
        "TO2600011": ("declined", "WTH", ""),
        "TO2600012": ("accepted", "", ""),
        "TO2600013": ("conditional", "", "Tarp needed: 50 USD"),
    }
    assert _kinds(outbox) == ["997", "990", "990", "990"]  # one interchange per file


def test_a_rejected_tender_gets_no_990(carrier, folders):
    inbox, outbox = folders
    carrier.set_mode("reject")
    [entry] = _tender(carrier, inbox)
    assert _kinds(outbox) == ["997"]
    assert entry["tenders"] == []


def test_bad_scenarios_and_timelines_are_refused(carrier, folders):
    with pytest.raises(ValueError, match="accept, decline, conditional, silent"):
        carrier.set_scenario("maybe")
    with pytest.raises(ValueError, match="V908"):
        carrier.set_scenario("decline", reason="too long")
    with pytest.raises(ValueError, match="reference"):
        carrier.set_scenario("accept", reference="")
    with pytest.raises(ValueError, match="no AT701"):
        CarrierPartner(*folders, timeline=[("ZZ", 1)])
    with pytest.raises(ValueError, match="between 0"):
        CarrierPartner(*folders, timeline=[("AF", -1)])
    assert parse_timeline("AF:0, X6:1.5,D1:3") == [("AF", 0.0), ("X6", 1.5), ("D1", 3.0)]
    with pytest.raises(ValueError, match="CODE:SECONDS"):
        parse_timeline("AF:soon")
    assert carrier.scenario.name == "accept"
    assert CarrierPartner(*folders, partner_id=("02", "ABCD")).scac == "ABCD"


# -- the 214 timeline ------------------------------------------------------------------------


def test_advance_writes_the_timeline_in_order_with_the_stops_cities(carrier, folders):
    inbox, outbox = folders
    _tender(carrier, inbox)
    pro = _responses(outbox)[0].partner_reference
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    for expected in ("AF", "X6", "D1"):
        [sent] = carrier.advance()
        assert (sent["reference"], sent["status"]) == ("TO2600012", expected)
    assert carrier.advance() == []
    milestones = _milestones(outbox)
    assert [m.partner_status for m in milestones] == ["AF", "X6", "D1"]
    assert [m.status for m in milestones] == ["picked_up", "out_for_delivery", "delivered"]
    assert [m.location for m in milestones] == ["Chicago, IL, US", "", "Dallas, TX, US"]
    assert {(m.reference, m.tracking_number, m.carrier) for m in milestones} == {
        ("TO2600012", pro, "PRFR")
    }
    assert all(m.time_zone == "UT" and m.occurred_at >= before for m in milestones)
    names = [name for name, _data in _outbox(outbox, "214")]
    # 997, 990, the three 214s and the 210 of the delivery, each with its own number
    assert len({x12.read_header(data).control_number for _n, data in _outbox(outbox)}) == 6
    sent = [entry for entry in carrier.entries("sent") if entry["kind"] == "214"]
    assert [(e["file"], e["status"]) for e in sent] == list(zip(names, ["AF", "X6", "D1"]))


def test_an_estimate_carries_the_delivery_appointment(folders):
    inbox, outbox = folders
    carrier = CarrierPartner(*folders, scac="PRFR", timeline=[("AG", 0), ("AF", 1)])
    _tender(carrier, inbox)
    assert [sent["status"] for sent in carrier.play_now()] == ["AG", "AF"]
    estimate, departed = _milestones(outbox)
    assert (estimate.estimated_at, estimate.occurred_at) == (APPOINTMENT, None)
    assert (estimate.location, departed.location) == ("Dallas, TX, US", "Chicago, IL, US")


def test_play_due_follows_the_clock(folders):
    inbox, outbox = folders
    now = [100.0]
    carrier = CarrierPartner(*folders, scac="PRFR", timeline=TIMELINE, clock=lambda: now[0])
    _tender(carrier, inbox)
    assert [sent["status"] for sent in carrier.play_due()] == ["AF"]
    now[0] = 103.0
    assert [sent["status"] for sent in carrier.play_due()] == ["X6"]
    assert carrier.loads()[0]["pending"] == [{"status": "D1", "due_in": 1.0}]
    now[0] = 110.0
    assert [sent["status"] for sent in carrier.play_due()] == ["D1"]
    assert [m.partner_status for m in _milestones(outbox)] == ["AF", "X6", "D1"]


def test_a_cancellation_stops_the_timeline(carrier, folders):
    inbox, outbox = folders
    _tender(carrier, inbox)
    carrier.advance()
    [entry] = _tender(carrier, inbox, _order(purpose="cancel"), name="204_cancel.edi", first=600)
    assert entry["tenders"][0] | {"set": None} == {
        "set": None,
        "reference": "TO2600012",
        "purpose": "cancel",
        "cancelled": True,
        "dropped": ["X6", "D1"],
    }
    assert _kinds(outbox) == ["997", "990", "214", "997"]
    assert carrier.play_now() == []
    assert carrier.loads()[0]["status"] == "cancelled"
    with pytest.raises(LookupError, match="TO9"):
        carrier.advance("TO9")


def test_an_accepted_change_keeps_the_timeline_going(carrier, folders):
    inbox, outbox = folders
    _tender(carrier, inbox)
    carrier.advance()
    changed = _order(purpose="change")
    changed.stops[1].address.city = "Houston"
    _tender(carrier, inbox, changed, name="204_change.edi", first=600)
    first, again = _responses(outbox)
    assert (again.status, again.partner_reference) == ("accepted", first.partner_reference)
    assert [sent["status"] for sent in carrier.play_now("TO2600012")] == ["X6", "D1"]
    assert _milestones(outbox)[-1].location == "Houston, TX, US"


def test_reset_forgets_loads_and_scenarios(carrier, folders):
    inbox, _outbox = folders
    carrier.set_scenario("silent", reference="TO2600012")
    _tender(carrier, inbox)
    carrier.set_scenario("decline")
    carrier.reset()
    assert (carrier.loads(), carrier.entries(), carrier.scenario.name) == ([], [], "accept")
    assert carrier.scenario_for("TO2600012").name == "accept"


# -- billing: the 210 of a delivered load ----------------------------------------------------


def _priced_order(reference="TO2600012", cost="2100.00"):
    """A load as Odoo tenders it with its estimated cost (L305), bill of lading and PO."""
    order = _order(reference)
    order.estimated_cost = Decimal(cost)
    order.references = {"bill_of_lading": f"BOL-{reference}", "purchase_order": "PO-4471"}
    return order


def test_a_delivered_load_is_billed_by_a_210_of_its_estimated_cost(carrier, folders):
    inbox, outbox = folders
    _tender(carrier, inbox, _priced_order())
    pro = _responses(outbox)[0].partner_reference
    before = datetime.now(timezone.utc).date()
    carrier.advance()
    carrier.advance()
    assert _outbox(outbox, "210") == []  # picked up, en route: nothing to bill yet
    [delivered] = carrier.advance()
    after = datetime.now(timezone.utc).date()
    assert _kinds(outbox) == ["997", "990", "214", "214", "214", "210"]
    [invoice] = _invoices(outbox)
    assert (invoice.invoice_number, invoice.carrier, invoice.currency) == (
        "PRFR-I000001",
        "PRFR",
        "USD",
    )
    assert invoice.shipment_reference == "TO2600012"
    assert invoice.references == {
        "shipment_id": "TO2600012",
        "pro": pro,
        "bill_of_lading": "BOL-TO2600012",
        "purchase_order": "PO-4471",
    }
    assert _charges(invoice) == [("400", Decimal("2100.00"))]
    assert (invoice.charges[0].code_list, invoice.charges[0].description) == ("x12-150", "Freight")
    assert invoice.total == invoice.charges_total() == Decimal("2100.00")
    assert invoice.invoice_date == invoice.delivery_date and before <= invoice.invoice_date <= after
    assert (invoice.ship_from.company, invoice.ship_from.city) == ("Acme", "Chicago")
    assert (invoice.ship_to.company, invoice.ship_to.city) == ("Buyer", "Dallas")
    [(name, data)] = _outbox(outbox, "210")
    header = x12.read_header(data)
    assert (header.sender, header.receiver, header.control_number) == (CARRIER, ODOO, "000000006")
    assert delivered["status"] == "D1" and delivered["invoice"]["number"] == "PRFR-I000001"
    assert delivered["invoice"]["sent"] == [{"file": name, "control_number": "000000006"}]
    [billed] = carrier.invoices()
    assert (billed["number"], billed["reference"], billed["pro"]) == (
        "PRFR-I000001",
        "TO2600012",
        pro,
    )
    assert (billed["total"], billed["charges"][0]["amount"]) == ("2100.00", "2100.00")
    assert carrier.loads()[0]["invoice"] == "PRFR-I000001"
    sent = carrier.entries("sent")[-1]
    assert (sent["kind"], sent["file"], sent["invoice"]) == ("210", name, "PRFR-I000001")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, [("400", "850.00")]),
        ({"default_freight": "1200.50"}, [("400", "1200.50")]),
        ({"billing": "accessorial"}, [("400", "850.00"), ("LFT", "75.00")]),
        ({"over": 12.5}, [("400", "956.25")]),
    ],
)
def test_a_load_without_an_estimate_is_billed_the_default_freight(folders, options, expected):
    inbox, outbox = folders
    carrier = CarrierPartner(*folders, scac="PRFR", timeline=[("D1", 0)], **options)
    _tender(carrier, inbox)
    carrier.play_now()
    [invoice] = _invoices(outbox)
    assert _charges(invoice) == [(code, Decimal(amount)) for code, amount in expected]
    assert invoice.total == invoice.charges_total()
    assert invoice.invoice_number.startswith("PRFR-I")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"scenario": "accessorial"}, [("400", "2100.00"), ("LFT", "75.00")]),
        (
            {"accessorials": {"RES": "95.50", "DET": 120}},
            [("400", "2100.00"), ("RES", "95.50"), ("DET", "120.00")],
        ),
        ({"over": 12.5}, [("400", "2362.50")]),
        ({"scenario": "accessorial", "over": "10"}, [("400", "2310.00"), ("LFT", "75.00")]),
    ],
)
def test_billing_scenarios_set_the_charges(carrier, folders, change, expected):
    inbox, outbox = folders
    carrier.set_billing(**change)
    _tender(carrier, inbox, _priced_order())
    carrier.play_now()
    [invoice] = _invoices(outbox)
    assert _charges(invoice) == [(code, Decimal(amount)) for code, amount in expected]
    assert invoice.total == invoice.charges_total() == sum(Decimal(a) for _c, a in expected)
    assert carrier.invoices()[0]["total"] == str(invoice.total)


def test_billing_none_sends_no_invoice_unless_a_load_says_otherwise(carrier, folders):
    inbox, outbox = folders
    carrier.set_billing("none")
    carrier.set_billing("accessorial", reference="TO2600013")
    _tender(carrier, inbox, _priced_order("TO2600012"), _priced_order("TO2600013", "990.00"))
    delivered = [sent for sent in carrier.play_now() if sent["status"] == "D1"]
    assert [sent["invoice"] and sent["invoice"]["number"] for sent in delivered] == [
        None,
        "PRFR-I000001",
    ]
    [invoice] = _invoices(outbox)
    assert invoice.shipment_reference == "TO2600013"
    assert _charges(invoice) == [("400", Decimal("990.00")), ("LFT", Decimal("75.00"))]
    assert [billed["reference"] for billed in carrier.invoices()] == ["TO2600013"]
    assert [load["invoice"] for load in carrier.loads()] == ["", "PRFR-I000001"]


def test_a_duplicate_invoice_comes_twice_in_two_interchanges(carrier, folders):
    inbox, outbox = folders
    assert carrier.set_billing(duplicate=True).name == "exact"
    _tender(carrier, inbox, _priced_order())
    carrier.play_now()
    assert _kinds(outbox)[-2:] == ["210", "210"]
    first, second = _invoices(outbox)
    assert first == second and first.invoice_number == "PRFR-I000001"
    controls = [x12.read_header(data).control_number for _name, data in _outbox(outbox, "210")]
    assert controls == ["000000006", "000000007"]
    [billed] = carrier.invoices()
    assert [sent["control_number"] for sent in billed["sent"]] == controls
    assert [entry.get("copy") for entry in carrier.entries("sent")[-2:]] == [1, 2]


def test_a_load_is_billed_once_and_numbers_go_on_after_a_reset(folders):
    inbox, outbox = folders
    timeline = [("AF", 0), ("D1", 1), ("CD", 2)]  # two steps that say delivered
    carrier = CarrierPartner(*folders, scac="PRFR", timeline=timeline, first_invoice=7)
    _tender(carrier, inbox)
    sent = carrier.play_now()
    assert [step.get("invoice", {}) and step["invoice"]["number"] for step in sent] == [
        {},
        "PRFR-I000007",
        None,
    ]
    carrier.reset()
    assert carrier.invoices() == []
    _tender(carrier, inbox, name="204_again.edi", first=600)
    carrier.play_now()
    assert [invoice.invoice_number for invoice in _invoices(outbox)] == [
        "PRFR-I000007",
        "PRFR-I000008",
    ]


def test_bad_billing_is_refused_and_changes_nothing(carrier, folders):
    bad = [
        ({"scenario": "maybe"}, "scenario must be one of exact, accessorial, none"),
        ({"accessorials": {"NOPE": 5}}, "accessorials: 'NOPE' is not an X12 element 150"),
        ({"accessorials": {"LFT": "7.505"}}, "the amount of LFT must be an amount"),
        ({"accessorials": {"400": 5}}, "400 is the freight charge"),
        ({"accessorials": {}}, "accessorials must map"),
        ({"scenario": "exact", "accessorials": {"LFT": 5}}, "accessorial scenario only"),
        ({"duplicate": "yes"}, "duplicate must be true or false"),
        ({"over": -1}, "over must be a percentage"),
        ({"over": True}, "over must be a percentage"),
        ({"reference": ""}, "reference must be"),
    ]
    for change, message in bad:
        with pytest.raises(ValueError, match=message):
            carrier.set_billing(**change)
    assert carrier.set_billing().describe() == {
        "scenario": "exact",
        "accessorials": {"LFT": "75.00"},
        "duplicate": False,
        "over": 0.0,
    }
    with pytest.raises(ValueError, match="default_freight"):
        CarrierPartner(*folders, default_freight="lots")
    with pytest.raises(ValueError, match="scenario must be"):
        CarrierPartner(*folders, billing="free")


# -- background thread -----------------------------------------------------------------------


def test_the_background_thread_answers_and_plays_the_timeline(folders):
    inbox, outbox = folders
    fast = [("AF", 0), ("X6", 0.2), ("D1", 0.4)]
    with CarrierPartner(*folders, scac="PRFR", timeline=fast).start(poll_seconds=0.1) as carrier:
        inbox.write_atomic("204.edi", _odoo_204())
        _wait(lambda: len(_outbox(outbox, "210")) == 1, "three 214s and a 210")
        # Files are written before they are logged: wait for the log too.
        _wait(lambda: len(carrier.entries("sent")) == 5, "the log of the 990, 214s and 210")
    assert _kinds(outbox) == ["997", "990", "214", "214", "214", "210"]
    assert [m.partner_status for m in _milestones(outbox)] == ["AF", "X6", "D1"]
    assert carrier.entries("received")[0]["tenders"][0]["scenario"] == "accept"


# -- SFTP ------------------------------------------------------------------------------------


def test_sftp_tender_answer_and_timeline(sftp_folders):
    odoo_out, odoo_in = sftp_folders("/to_partner"), sftp_folders("/from_partner")
    carrier = CarrierPartner(
        sftp_folders("/to_partner"), sftp_folders("/from_partner"), scac="PRFR", first_control=7
    )
    odoo_out.write_atomic("204.edi", _odoo_204(_order("TO1"), _order("TO2")))
    carrier.set_scenario("decline", reference="TO2")
    carrier.pickup()
    assert _kinds(odoo_in) == ["997", "990", "990"]
    assert [(r.reference, r.status) for r in _responses(odoo_in)] == [
        ("TO1", "accepted"),
        ("TO2", "declined"),
    ]
    assert len(carrier.play_now()) == 3
    milestones = _milestones(odoo_in)
    assert [(m.reference, m.partner_status) for m in milestones] == [
        ("TO1", "AF"),
        ("TO1", "X6"),
        ("TO1", "D1"),
    ]
    assert milestones[0].location == "Chicago, IL, US"
    carrier.stop()


def test_sftp_background_thread_with_a_cancellation(sftp_folders):
    odoo_out, odoo_in = sftp_folders("/to_partner"), sftp_folders("/from_partner")
    carrier = CarrierPartner(
        sftp_folders("/to_partner"),
        sftp_folders("/from_partner"),
        scac="PRFR",
        timeline=[("AF", 0), ("D1", 60)],
    )
    with carrier.start(poll_seconds=0.1):
        odoo_out.write_atomic("204.edi", _odoo_204())
        _wait(lambda: _kinds(odoo_in) == ["997", "990", "214"], "the 997, 990 and AF")
        odoo_out.write_atomic("cancel.edi", _odoo_204(_order(purpose="cancel"), first=600))
        _wait(lambda: len(carrier.entries("received")) == 2, "the cancellation")
    assert carrier.loads()[0]["status"] == "cancelled"
    assert carrier.loads()[0]["pending"] == []


# -- HTTP and the command line ---------------------------------------------------------------


def test_http_routes_drive_the_carrier(carrier, folders):
    _inbox, outbox = folders
    with Sandbox(port=0, route_sets=[carrier]) as sandbox, loopback_session() as http:
        base = f"{sandbox.url}/_sandbox/edi"
        posted = http.post(f"{sandbox.url}/edi/interchanges", data=_odoo_204(), timeout=5)
        assert posted.status_code == 202
        spec = {"scenario": "decline", "reason": "WTH"}
        assert http.post(f"{base}/scenario", json=spec, timeout=5).json()["reason"] == "WTH"
        spec = {"scenario": "accept", "reference": "TO2600012"}
        assert http.post(f"{base}/scenario", json=spec, timeout=5).status_code == 200
        assert http.post(f"{base}/pickup", timeout=5).json()["count"] == 1
        advanced = http.post(f"{base}/advance", timeout=5).json()
        assert [sent["status"] for sent in advanced["sent"]] == ["AF"]
        rest = http.post(f"{base}/advance", json={"all": True}, timeout=5).json()
        assert rest["count"] == 2
        loads = http.get(f"{base}/loads", timeout=5).json()
        missing = http.post(f"{base}/advance", json={"reference": "TO9"}, timeout=5)
        bad = http.post(f"{base}/scenario", json={"scenario": "maybe"}, timeout=5)
    assert loads["scenario"]["scenario"] == "decline"
    assert loads["overrides"]["TO2600012"]["scenario"] == "accept"
    assert [s["status"] for s in loads["loads"][0]["sent"]] == ["AF", "X6", "D1"]
    assert (missing.status_code, bad.status_code) == (404, 400)
    assert [r.status for r in _responses(outbox)] == ["accepted"]


def test_command_line_plays_the_carrier(folders):
    inbox, outbox = folders
    options = ["carrier", "--scac", "PRFR", "--inbox", inbox.path, "--outbox", outbox.path]
    options += ["--poll", "0.1", "--timeline", "AF:0,D1:0.2", "--scenario", "accept"]
    banner = "logistics carrier sandbox PRFR control on http://"
    with served_sandbox(*options, banner=banner) as url:
        inbox.write_atomic("204.edi", _odoo_204())
        _wait(lambda: len(_outbox(outbox, "214")) == 2, "two 214s")
        with loopback_session() as http:
            loads = http.get(f"{url}/loads", timeout=5).json()
    assert loads["scac"] == "PRFR"
    assert [m.partner_status for m in _milestones(outbox)] == ["AF", "D1"]


def test_command_line_refuses_bad_options(tmp_path, capsys):
    paths = ["--inbox", str(tmp_path), "--outbox", str(tmp_path)]
    assert sandbox_main(["carrier", "--scac", "PRFR", *paths, "--timeline", "ZZ:1"]) == 2
    assert "ZZ" in capsys.readouterr().err
    missing = ["--inbox", str(tmp_path / "nope"), "--outbox", str(tmp_path)]
    assert sandbox_main(["carrier", "--scac", "PRFR", *missing]) == 2
    assert "nope" in capsys.readouterr().err


def test_http_routes_set_the_billing_and_list_the_invoices(carrier, folders):
    inbox, outbox = folders
    inbox.write_atomic("204.edi", _odoo_204(_priced_order()))
    with Sandbox(port=0, route_sets=[carrier]) as sandbox, loopback_session() as http:
        base = f"{sandbox.url}/_sandbox/edi"
        spec = {"reference": "TO2600012", "accessorials": {"RES": "95.50"}, "duplicate": True}
        chosen = http.post(f"{base}/billing", json=spec, timeout=5)
        over = http.post(f"{base}/billing", json={"over": 10}, timeout=5)
        refused = {
            key: http.post(f"{base}/billing", json=value, timeout=5)
            for key, value in [
                ("scenarios", {"scenarios": "exact"}),
                ("scenario", {"scenario": "maybe"}),
                ("accessorials", {"accessorials": ["LFT"]}),
                ("LFT", {"accessorials": {"LFT": None}}),
                ("NOPE", {"accessorials": {"NOPE": 5}}),
                ("duplicate", {"duplicate": "yes"}),
                ("over", {"over": "a lot"}),
                ("reference", {"reference": 12, "scenario": "none"}),
            ]
        }
        not_json = http.post(f"{base}/billing", data=b"{", timeout=5)
        http.post(f"{base}/pickup", timeout=5)
        http.post(f"{base}/advance", json={"all": True}, timeout=5)
        listed = http.get(f"{base}/invoices", timeout=5).json()
    assert chosen.status_code == 200
    assert chosen.json() == {
        "scenario": "accessorial",
        "accessorials": {"RES": "95.50"},
        "duplicate": True,
        "over": 0.0,
        "reference": "TO2600012",
    }
    assert over.json()["scenario"] == "exact" and over.json()["over"] == 10.0
    for key, answer in refused.items():
        assert answer.status_code == 400, (key, answer.text)
        assert key in answer.json()["error"], (key, answer.json())
    assert not_json.status_code == 400
    assert listed["billing"]["over"] == 10.0  # the refused changes changed nothing
    assert listed["overrides"]["TO2600012"]["accessorials"] == {"RES": "95.50"}
    [billed] = listed["invoices"]
    assert (listed["count"], billed["number"], billed["reference"]) == (
        1,
        "PRFR-I000001",
        "TO2600012",
    )
    assert (billed["total"], [c["code"] for c in billed["charges"]]) == ("2195.50", ["400", "RES"])
    assert len(billed["sent"]) == 2
    first, second = _invoices(outbox)
    assert first == second and first.total == first.charges_total() == Decimal("2195.50")


def test_command_line_billing_options(folders):
    inbox, outbox = folders
    options = ["carrier", "--scac", "PRFR", "--inbox", inbox.path, "--outbox", outbox.path]
    options += ["--billing", "accessorial", "--accessorial", "RES=95.50"]
    options += ["--accessorial", "DET=120", "--duplicate-invoices", "--over", "10"]
    carrier = _carrier(build_carrier_parser().parse_args(options[1:]))
    _tender(carrier, inbox, _priced_order())
    carrier.play_now()
    first, second = _invoices(outbox)
    assert first == second
    assert _charges(first) == [
        ("400", Decimal("2310.00")),
        ("RES", Decimal("95.50")),
        ("DET", Decimal("120.00")),
    ]
    defaults = build_carrier_parser().parse_args(options[1:5] + ["--outbox", outbox.path])
    assert (defaults.billing, defaults.accessorial, defaults.duplicate_invoices) == (
        None,
        None,
        False,
    )


def test_command_line_serves_a_billing_carrier(folders):
    inbox, outbox = folders
    options = ["carrier", "--scac", "PRFR", "--inbox", inbox.path, "--outbox", outbox.path]
    options += ["--poll", "0.1", "--timeline", "AF:0,D1:0.1", "--accessorial", "LFT=80"]
    banner = "logistics carrier sandbox PRFR control on http://"
    with served_sandbox(*options, banner=banner) as url:
        inbox.write_atomic("204.edi", _odoo_204(_priced_order()))
        _wait(lambda: len(_outbox(outbox, "210")) == 1, "a 210")
        with loopback_session() as http:
            listed = http.get(f"{url}/invoices", timeout=5).json()
    [invoice] = _invoices(outbox)
    assert _charges(invoice) == [("400", Decimal("2100.00")), ("LFT", Decimal("80.00"))]
    assert listed["billing"]["scenario"] == "accessorial"
    assert listed["invoices"][0]["number"] == invoice.invoice_number


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--billing", "maybe"], "invalid choice: 'maybe'"),
        (["--accessorial", "LFT"], "is not CODE=AMOUNT"),
        (["--accessorial", "NOPE=5"], "'NOPE' is not an X12 element 150"),
        (["--accessorial", "LFT=7.505"], "must be an amount in dollars and cents"),
        (["--over=-3"], "over must be a percentage"),
        (["--default-freight", "free"], "the default freight must be an amount"),
        (["--billing", "exact", "--accessorial", "LFT=75"], "billed by --billing accessorial"),
    ],
)
def test_command_line_refuses_bad_billing_options(tmp_path, capsys, options, message):
    # Not a loopback host: options that parse make the command stop at once (status 2),
    # never serve.
    paths = ["--inbox", str(tmp_path), "--outbox", str(tmp_path), "--host", "192.0.2.1"]
    with pytest.raises(SystemExit) as exited:
        sandbox_main(["carrier", "--scac", "PRFR", *paths, *options])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
