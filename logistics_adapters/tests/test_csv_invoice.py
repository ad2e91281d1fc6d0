"""Freight invoices from a carrier's CSV file: a column mapping of the carrier's own layout
(decimal commas, day-first dates, a legacy encoding), rows grouped into invoices and
shipments, totals against charges, negatives, the suite's own layout (the
freight-invoice-csv codec), bad cells named by row and column, fuzzing, the command line."""

import dataclasses
import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import ParseError
from logistics_adapters.formats.csv_invoice import CsvInvoiceMapping, read_csv_invoices

from .helpers import each_parses_or_refuses, run
from .strategies import mutated_bytes

CODEC = registry.get("freight-invoice-csv")

#: A small carrier's monthly export: its own headers, ``;``, decimal commas with ``.``
#: thousands, day-first dates, Windows-1252; two invoices, the first of two PROs and a
#: charge of its own, a discount in parentheses.
CARRIER_FILE = """\
Rechnung;Datum;Fällig;PRO;Sendung;Code;Text;Menge;Satz;Betrag;Währung;Summe
F-1001;14.03.2026;13.04.2026;PRO1;;400;Fracht;2;60,25;120,50;EUR;1.155,25
F-1001;14.03.2026;13.04.2026;PRO1;;FUE;Diesel;;;(12,05);EUR;1.155,25
F-1001;14.03.2026;13.04.2026;PRO2;;400;Fracht;;;1.041,80;EUR;1.155,25

F-1001;14.03.2026;13.04.2026;;;MAUT;Maut pauschal;;;"5,00";EUR;1.155,25
F-1002;15.03.2026;;;JJD0001;RES;Privatzustellung;;;-5,00;EUR;-5,00
""".encode("cp1252")
CARRIER = CsvInvoiceMapping(
    invoice_number="rechnung",
    invoice_date="Datum",
    due_date="Fällig",
    references={"pro": "PRO"},
    tracking_number="Sendung",
    code="Code",
    description="Text",
    quantity="Menge",
    rate="Satz",
    amount="Betrag",
    currency="Währung",
    total="Summe",
    code_list="kdtx",
    mode="motor",
    date_format="%d.%m.%Y",
    decimal_comma=True,
    delimiter=";",
    encoding="cp1252",
)
OWN_LAYOUT = b"""\
invoice_number,invoice_date,carrier,currency,total,tracking_number,code,description,amount
INV-7,2026-03-14,PCLX,USD,"1,016.40",1Z001,400,Freight,"1,000.00"
INV-7,2026-03-14,PCLX,USD,"1,016.40",1Z001,FUE,Fuel,18.40
INV-7,2026-03-14,PCLX,USD,"1,016.40",,DSC,Discount,-2.00
"""


def test_carrier_file_grouped_into_invoices_and_shipments():
    first, second = read_csv_invoices(CARRIER_FILE, CARRIER)
    assert (first.invoice_number, first.invoice_date, first.due_date) == (
        "F-1001",
        date(2026, 3, 14),
        date(2026, 4, 13),
    )
    assert (first.currency, first.mode, first.total) == ("EUR", "motor", Decimal("1155.25"))
    assert first.charges_total() == first.total
    pro1, pro2 = first.shipments
    assert (pro1.references, pro2.references) == ({"pro": "PRO1"}, {"pro": "PRO2"})
    assert pro1.charges == [
        c.Charge("400", Decimal("120.50"), "Fracht", 2.0, Decimal("60.25"), "kdtx"),
        c.Charge("FUE", Decimal("-12.05"), "Diesel", code_list="kdtx"),
    ]
    assert pro2.charges[0].amount == Decimal("1041.80")
    assert first.charges == [c.Charge("MAUT", Decimal("5.00"), "Maut pauschal", code_list="kdtx")]
    assert second.total == second.charges_total() == Decimal("-5.00")
    assert second.tracking_numbers == [second.tracking_number] == ["JJD0001"]
    assert second.shipments[0].tracking_numbers == ["JJD0001"]


def test_suite_layout_read_by_the_codec():
    (invoice,) = CODEC.parse(OWN_LAYOUT)
    assert (invoice.carrier, invoice.total) == ("PCLX", Decimal("1016.40"))
    assert invoice.total == invoice.charges_total()
    assert [charge.amount for charge in invoice.all_charges()] == [
        Decimal("-2.00"),
        Decimal("1000.00"),
        Decimal("18.40"),
    ]
    assert CODEC.identify(OWN_LAYOUT).references == ("INV-7",)


def test_suite_layout_needs_only_invoice_number_and_amount():
    (invoice,) = CODEC.parse(b"Invoice_Number , AMOUNT\nA,1.50\nA,-0.50\n")
    assert invoice.charges_total() == Decimal(1)
    with pytest.raises(ParseError, match=r"column 'amount' \(amount\) is not in the header row"):
        CODEC.parse(b"invoice_number,total\nA,1\n")


def test_command_line_parses_the_suite_layout():
    result = run("parse", "freight-invoice-csv", "-", stdin=OWN_LAYOUT)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == c.to_jsonable(CODEC.parse(OWN_LAYOUT))


def test_mapping_is_plain_values_to_store():
    stored = json.loads(json.dumps(dataclasses.asdict(CARRIER)))
    assert CsvInvoiceMapping(**stored) == CARRIER


def _changed(old, new):
    return CARRIER_FILE.replace(old.encode("cp1252"), new.encode("cp1252"), 1)


@pytest.mark.parametrize(
    ("data", "row", "column", "message"),
    [
        (
            _changed("(12,05)", "12.05 EUR"),
            3,
            "Betrag",
            "'12.05 EUR' is not a number written with a decimal comma",
        ),
        (_changed("120,50;EUR", ";EUR"), 2, "Betrag", "the amount is empty"),
        (
            _changed("F-1001;14.03.2026;13.04.2026;PRO2", ";14.03.2026;13.04.2026;PRO2"),
            4,
            "Rechnung",
            "invoice number",
        ),
        (
            _changed("14.03.2026;13.04.2026;PRO2", "2026-03-14;13.04.2026;PRO2"),
            4,
            "Datum",
            "not a date",
        ),
        (
            _changed("Fracht;;;1.041,80;EUR;1.155,25", "Fracht;;;1.041,80;EUR;1.155,26"),
            4,
            "Summe",
            "differs from",
        ),
        (_changed("2;60,25", "zwei;60,25"), 2, "Menge", "'zwei' is not a number"),
    ],
)
def test_bad_cells_are_refused_naming_row_and_column(data, row, column, message):
    with pytest.raises(ParseError, match=message) as caught:
        read_csv_invoices(data, CARRIER)
    error = caught.value
    assert (error.format, error.field, error.line) == ("freight-invoice-csv", column, row)
    assert str(error).startswith(f"freight-invoice-csv: field {column!r}: row {row}: ")
    assert (
        error.column == CARRIER_FILE.decode("cp1252").splitlines()[0].split(";").index(column) + 1
    )


def test_row_numbers_count_records_as_a_spreadsheet_shows_them():
    data = b'invoice_number,description,amount\nA,"two\nlines",1\nA,x,oops\n'
    with pytest.raises(ParseError, match="row 3: 'oops'") as caught:
        CODEC.parse(data)
    assert caught.value.line == 4  # the file's line, past the cell written on two


@pytest.mark.parametrize(
    ("data", "mapping", "message"),
    [
        (b"", CARRIER, "no header row"),
        (
            CARRIER_FILE.replace("Summe".encode("cp1252"), b"Total"),
            CARRIER,
            r"column 'Summe' \(total\)",
        ),
        (
            CARRIER_FILE,
            dataclasses.replace(CARRIER, references={"bill_of_lading": "BOL"}),
            "bill_of_lading reference",
        ),
        (CARRIER_FILE, dataclasses.replace(CARRIER, encoding="utf-8"), "invalid UTF-8 byte"),
        (
            b"invoice_number,amount\nA,\xff\n",
            dataclasses.replace(CARRIER, encoding="ascii"),
            "not ascii",
        ),
        (b'invoice_number,amount\nA,"1\n', CsvInvoiceMapping(), "unreadable CSV"),
    ],
)
def test_what_cannot_be_read_at_all_is_refused(data, mapping, message):
    with pytest.raises(ParseError, match=message):
        read_csv_invoices(data, mapping)


@pytest.mark.parametrize(
    ("written", "comma", "value"),
    [
        ("1,234.50", False, "1234.50"),
        ("1234.5", False, "1234.5"),
        (".5", False, "0.5"),
        ("-12.74", False, "-12.74"),
        ("(12.74)", False, "-12.74"),
        ("+3", False, "3"),
        ("1.234,50", True, "1234.50"),
        ("1 234,50", True, "1234.50"),
        ("1\u00a0234,50", True, "1234.50"),
        ("-0,05", True, "-0.05"),
        ("( 7,5 )", True, "-7.5"),
    ],
)
def test_numbers_with_either_decimal_mark(written, comma, value):
    mapping = CsvInvoiceMapping(decimal_comma=comma, delimiter=";")
    (invoice,) = read_csv_invoices(f"invoice_number;amount\nA;{written}\n", mapping)
    assert invoice.charges[0].amount == Decimal(value)


@pytest.mark.parametrize(
    ("written", "comma"),
    [
        ("12,5", False),
        ("1,23,456", False),
        ("12.5", True),
        ("1.23.456,5", True),
        ("1e3", False),
        ("--1", False),
    ],
)
def test_ambiguous_or_foreign_numbers_are_refused_not_guessed(written, comma):
    mapping = CsvInvoiceMapping(decimal_comma=comma, delimiter=";")
    with pytest.raises(ParseError, match="is not a number"):
        read_csv_invoices(f"invoice_number;amount\nA;{written}\n", mapping)


@settings(max_examples=100)
@given(st.decimals(-(10**9), 10**9, places=2, allow_nan=False, allow_infinity=False), st.booleans())
def test_amounts_written_as_spreadsheets_do_read_exactly(amount, comma):
    grouped = f"{abs(amount):,.2f}"
    if comma:
        grouped = grouped.replace(",", " ").replace(".", ",")
    written = f"({grouped})" if amount < 0 else grouped
    mapping = CsvInvoiceMapping(decimal_comma=comma, delimiter=";")
    (invoice,) = read_csv_invoices(f"invoice_number;amount\nA;{written}\n", mapping)
    assert invoice.charges[0].amount == amount


@settings(max_examples=150)
@given(st.one_of(st.binary(max_size=200), mutated_bytes(OWN_LAYOUT)))
def test_random_and_mutated_files_are_read_or_refused(data):
    each_parses_or_refuses([CODEC], data, ParseError)
