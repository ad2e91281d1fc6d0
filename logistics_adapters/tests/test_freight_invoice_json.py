"""The freight-invoice-json codec: the suite's own JSON freight invoice read from a document
written here after its schema (its module doc), totals against charges, negatives, several
invoices and shipments, render -> parse round trips, errors naming the JSON path, fuzzing,
the command line."""

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import ParseError

from . import strategies
from .helpers import NOT_JSON, each_parses_or_refuses, run
from .strategies import mutated_bytes, with_one_value_changed

CODEC = registry.get("freight-invoice-json")

#: Two invoices: a truckload with its charges (a discount among them), and a parcel
#: carrier's invoice of two packages plus a charge of its own.
DOCUMENT = {
    "invoices": [
        {
            "invoice_number": "PRFR-2026-0042",
            "invoice_date": "2026-03-14",
            "due_date": "2026-04-13",
            "delivery_date": "2026-03-12",
            "carrier": "PRFR",
            "mode": "motor",
            "payment_method": "prepaid",
            "currency": "EUR",
            "total": "1150.25",
            "weight_kg": 5400.5,
            "shipment_reference": "SHP-881",
            "references": {
                "pro": "PRO-77120",
                "bill_of_lading": "BOL-5531",
                "purchase_order": "PO-9",
            },
            "tracking_numbers": ["PRO-77120"],
            "bill_to": {"company": "ACME Distribution", "city": "Lyon", "country": "FR"},
            "ship_from": {"company": "ACME Distribution", "zip": "69007", "country": "FR"},
            "ship_to": {"company": "Nordic Parts AB", "city": "Göteborg", "country": "SE"},
            "charges": [
                {
                    "code": "400",
                    "code_list": "x12-150",
                    "description": "Linehaul",
                    "quantity": 1,
                    "rate": "1050.00",
                    "amount": "1050.00",
                },
                {
                    "code": "405",
                    "code_list": "x12-150",
                    "description": "Fuel surcharge",
                    "rate": "0.12",
                    "rate_qualifier": "PC",
                    "amount": 126.00,
                },
                {
                    "code": "DSC",
                    "code_list": "x12-150",
                    "description": "Discount",
                    "amount": "-25.75",
                },
            ],
        },
        {
            "invoice_number": "PX-0311",
            "invoice_date": "2026-03-15",
            "carrier": "PCLX",
            "mode": "parcel",
            "currency": "EUR",
            "total": 31.9,
            "charges": [{"code": "SVC", "code_list": "pclx", "amount": "2.50"}],
            "shipments": [
                {
                    "tracking_numbers": ["PX100200300"],
                    "references": {"customer_reference": "ORD-1"},
                    "weight_kg": 2.4,
                    "pieces": 1,
                    "ship_date": "2026-03-10",
                    "delivery_date": "2026-03-11",
                    "service": "express",
                    "ship_to": {"name": "J. Doe", "street": "1 Rue Neuve", "city": "Paris"},
                    "charges": [
                        {"code": "BASE", "code_list": "pclx", "amount": "18.40"},
                        {"code": "RES", "code_list": "x12-150", "amount": "3.00"},
                    ],
                },
                {
                    "tracking_numbers": ["PX100200301"],
                    "charges": [
                        {"code": "BASE", "code_list": "pclx", "amount": "9.90"},
                        {"code": "ADJ", "code_list": "pclx", "amount": "-1.90"},
                    ],
                },
            ],
        },
    ]
}
DATA = json.dumps(DOCUMENT, ensure_ascii=False, indent=1).encode("utf-8")


def test_a_single_shipment_invoice_with_its_charges_and_discount():
    invoice, _parcel = CODEC.parse(DATA)
    assert (invoice.invoice_number, invoice.carrier, invoice.mode) == (
        "PRFR-2026-0042",
        "PRFR",
        "motor",
    )
    assert (invoice.invoice_date, invoice.due_date, invoice.delivery_date) == (
        date(2026, 3, 14),
        date(2026, 4, 13),
        date(2026, 3, 12),
    )
    assert invoice.total == Decimal("1150.25") == invoice.charges_total()
    assert invoice.charges[1] == c.Charge(
        "405", Decimal("126.00"), "Fuel surcharge", None, Decimal("0.12"), "x12-150", "PC"
    )
    assert invoice.charges[2].amount == Decimal("-25.75")
    assert invoice.charges[0].quantity == 1.0
    assert invoice.references == {
        "pro": "PRO-77120",
        "bill_of_lading": "BOL-5531",
        "purchase_order": "PO-9",
    }
    assert (invoice.tracking_number, invoice.shipment_reference) == ("PRO-77120", "SHP-881")
    assert invoice.ship_to == c.Address(company="Nordic Parts AB", city="Göteborg", country="SE")
    assert (invoice.weight_kg, invoice.payment_method, invoice.currency) == (
        5400.5,
        "prepaid",
        "EUR",
    )


def test_a_parcel_invoice_of_several_shipments():
    _truck, invoice = CODEC.parse(DATA)
    assert invoice.total == Decimal("31.9") == invoice.charges_total()  # a JSON number, exact
    assert [charge.code for charge in invoice.charges] == ["SVC"]  # the invoice's own
    first, second = invoice.shipments
    assert first.charges_total() == Decimal("21.40")
    assert second.charges[1].amount == Decimal("-1.90")
    assert (first.service, first.pieces, first.weight_kg) == ("express", 1, 2.4)
    assert (first.ship_date, first.delivery_date) == (date(2026, 3, 10), date(2026, 3, 11))
    assert first.ship_to == c.Address(name="J. Doe", street="1 Rue Neuve", city="Paris")
    assert invoice.tracking_numbers == ["PX100200300", "PX100200301"]
    assert invoice.tracking_number == "PX100200300"
    assert {charge.code_list for charge in invoice.all_charges()} == {"pclx", "x12-150"}


def test_one_invoice_object_is_a_document_too():
    (invoice,) = CODEC.parse(json.dumps(DOCUMENT["invoices"][1]).encode())
    assert invoice == CODEC.parse(DATA)[1]


def test_identify_gives_the_invoice_numbers():
    assert CODEC.identify(DATA).references == ("PRFR-2026-0042", "PX-0311")


def test_written_back_it_reads_the_same_and_leaves_out_what_has_no_value():
    invoices = CODEC.parse(DATA)
    written = json.loads(CODEC.render(invoices))
    assert CODEC.parse(CODEC.render(invoices)) == invoices
    assert written["invoices"][1]["shipments"][1] == {
        "tracking_numbers": ["PX100200301"],
        "charges": [
            {"code": "BASE", "code_list": "pclx", "amount": "9.90"},
            {"code": "ADJ", "code_list": "pclx", "amount": "-1.90"},
        ],
    }
    assert written["invoices"][0]["total"] == "1150.25"


def test_an_invoice_built_without_tracking_numbers_keeps_its_tracking_number():
    invoice = c.FreightInvoice("1", tracking_number="1Z9", charges=[c.Charge("400", Decimal(5))])
    (back,) = CODEC.parse(CODEC.render(invoice))
    assert (back.tracking_number, back.tracking_numbers) == ("1Z9", ["1Z9"])


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda d: d["invoices"][0].update(totl="1"), "invoices[0].totl", "unknown member"),
        (lambda d: d["invoices"][0].pop("invoice_number"), "invoices[0].invoice_number", "missing"),
        (
            lambda d: d["invoices"][0].update(invoice_number=" "),
            "invoices[0].invoice_number",
            "empty",
        ),
        (
            lambda d: d["invoices"][0]["charges"][1].update(amount="12,50"),
            "invoices[0].charges[1].amount",
            "invalid amount",
        ),
        (
            lambda d: d["invoices"][0]["charges"][2].pop("amount"),
            "invoices[0].charges[2].amount",
            "missing",
        ),
        (
            lambda d: d["invoices"][0].update(invoice_date="14/03/2026"),
            "invoices[0].invoice_date",
            "invalid date",
        ),
        (
            lambda d: d["invoices"][0].update(mode="truck"),
            "invoices[0].mode",
            "unknown mode 'truck'",
        ),
        (
            lambda d: d["invoices"][1]["shipments"][0].update(tracking_numbers=[7]),
            "invoices[1].shipments[0].tracking_numbers[0]",
            "expected text, got a number",
        ),
        (
            lambda d: d["invoices"][1]["shipments"][0].update(pieces=1.5),
            "invoices[1].shipments[0].pieces",
            "expected an integer",
        ),
        (
            lambda d: d["invoices"][0]["references"].update(pro=""),
            "invoices[0].references.pro",
            "empty",
        ),
        (
            lambda d: d["invoices"][0]["bill_to"].update(town="Lyon"),
            "invoices[0].bill_to.town",
            "unknown",
        ),
        (lambda d: d.update(invoices={}), "invoices", "expected an array"),
        (lambda d: d.update(sender="x"), "sender", "unknown member"),
    ],
)
def test_bad_values_are_refused_naming_their_json_path(change, path, message):
    document = json.loads(DATA)
    change(document)
    with pytest.raises(ParseError, match=message) as caught:
        CODEC.parse(json.dumps(document).encode())
    assert (caught.value.format, caught.value.field) == ("freight-invoice-json", path)


@pytest.mark.parametrize(("body", "message"), [*NOT_JSON, (b"[]", "a JSON object at the top")])
def test_what_is_not_a_json_object_is_refused(body, message):
    with pytest.raises(ParseError) as caught:
        CODEC.parse(body)
    assert message in str(caught.value)


def test_render_refuses_other_objects():
    with pytest.raises(ValueError, match="from FreightInvoice objects"):
        CODEC.render([c.Charge("400", Decimal(1))])


def test_command_line_parses_and_renders(tmp_path):
    path = tmp_path / "invoices.json"
    path.write_bytes(DATA)
    parsed = run("parse", "freight-invoice-json", str(path))
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout) == c.to_jsonable(CODEC.parse(DATA))
    canonical = tmp_path / "canonical.json"
    canonical.write_bytes(parsed.stdout)
    rendered = run("render", "freight-invoice-json", str(canonical))
    assert rendered.returncode == 0, rendered.stderr
    assert CODEC.parse(rendered.stdout) == CODEC.parse(DATA)


# --------------------------------------------------------------------------------------------
# Round trips and fuzzing
# --------------------------------------------------------------------------------------------

words = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=10)
by_name = {
    **strategies.FIELD_STRATEGIES,
    "invoice_number": words,
    "references": st.dictionaries(
        st.sampled_from(["pro", "bill_of_lading", "DJ"]), words, max_size=3
    ),
    "tracking_numbers": st.lists(words, max_size=3),
    "tracking_number": st.just(""),
    "pieces": st.none() | st.integers(0, 10**6),
    "mode": st.sampled_from(["", *c.FREIGHT_MODES]),
}
shipments = strategies.every_field(c.FreightShipment, by_name=by_name)
drawn_invoices = strategies.every_field(
    c.FreightInvoice, by_name={**by_name, "shipments": st.lists(shipments, max_size=3)}
)


def as_read(invoice):
    """``invoice`` with the tracking numbers the reader gives: its own, then its shipments'."""
    found = [*invoice.tracking_numbers, *(n for s in invoice.shipments for n in s.tracking_numbers)]
    invoice.tracking_numbers = list(dict.fromkeys(found))
    invoice.tracking_number = next(iter(invoice.tracking_numbers), "")
    return invoice


@settings(max_examples=80)
@given(st.lists(drawn_invoices.map(as_read), max_size=3))
def test_render_then_parse_gives_the_invoices_back(invoices):
    assert CODEC.parse(CODEC.render(invoices)) == invoices


values = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=5)
    | st.lists(st.none(), max_size=1)
)


@settings(max_examples=150)
@given(
    st.one_of(
        mutated_bytes(DATA),
        with_one_value_changed(DOCUMENT, values).map(lambda d: json.dumps(d).encode()),
    )
)
def test_mutated_documents_are_read_or_refused(data):
    each_parses_or_refuses([CODEC], data, ParseError)
