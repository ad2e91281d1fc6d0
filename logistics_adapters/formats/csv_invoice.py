"""Freight invoices from a carrier's CSV file, through a configurable column mapping.

Small carriers send spreadsheets, each with its own columns. A :class:`CsvInvoiceMapping`
says which column (by its header) holds what; :func:`read_csv_invoices` reads a file with
it, one charge a row:

* Rows are grouped into invoices by invoice number, in the order they first appear, and
  within an invoice into shipments by the shipment's references (its tracking number and the
  mapped reference columns): the rows with the same values are one :class:`FreightShipment`.
  A row without any is a charge of the invoice itself.
* The invoice's values (date, due date, carrier, currency, total) come from its rows; a row
  giving another value than an earlier row of the same invoice is refused.
* Each row is a :class:`Charge`: code (from the list the mapping's ``code_list`` names),
  description, quantity, rate and amount (required; negative for a discount, written
  ``-12.50`` or ``(12.50)``).
* Numbers: a decimal point and optional ``,`` thousands groups (``1,234.50``), or with
  ``decimal_comma`` a decimal comma and optional ``.`` or space groups (``1.234,50``,
  ``1 234,50``). Anything else is refused: ``12,5`` without ``decimal_comma`` is not read as
  125 or 12.5. Dates are read with ``date_format``.
* A column the mapping names must be in the header row (headers are compared without case
  and surrounding blanks), unless ``all_columns`` is False; then only the invoice number and
  amount columns must be. Blank rows are skipped; a quote out of place is refused.

Every error is a :class:`ParseError` naming the row (the header being row 1, as a
spreadsheet shows it) and the column, with the file's ``line`` and ``column`` number.

The ``freight-invoice-csv`` codec reads the suite's own layout: :data:`DEFAULT_MAPPING`,
whose headers are the canonical field names (``invoice_number``, ``amount``, ``pro``...),
every column but those two optional.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ..canonical import Charge, FreightInvoice, FreightShipment
from ..errors import ParseError
from ..registry import Codec, Identity
from .json import decode_text

FORMAT = "freight-invoice-csv"
#: Mapping fields naming an invoice's columns, a shipment's, a charge's.
INVOICE_COLUMNS = ("invoice_date", "due_date", "carrier", "currency", "total")
CHARGE_COLUMNS = ("code", "description", "quantity", "rate")
REQUIRED_COLUMNS = ("invoice_number", "amount")
_NUMBERS = {
    False: re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?|[0-9]*\.?[0-9]+|[0-9]+\."),
    True: re.compile(r"[0-9]{1,3}(?:[. ][0-9]{3})+(?:,[0-9]*)?|[0-9]*,?[0-9]+|[0-9]+,"),
}
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})
#: Amounts this large are no freight charge.
_LARGEST = Decimal(10) ** 15


@dataclass(frozen=True)
class CsvInvoiceMapping:
    """Which column holds what: each field is the header of its column (``""``: none),
    ``references`` maps reference kinds (``pro``, ``bill_of_lading``...) to headers, and the
    rest says how the file is written. Plain values, so it can be stored as JSON
    (``CsvInvoiceMapping(**stored)``)."""

    invoice_number: str = "invoice_number"
    amount: str = "amount"
    invoice_date: str = ""
    due_date: str = ""
    carrier: str = ""
    currency: str = ""
    total: str = ""
    tracking_number: str = ""
    references: dict = field(default_factory=dict)
    code: str = ""
    description: str = ""
    quantity: str = ""
    rate: str = ""
    #: The list the codes are from (``Charge.code_list``: ``x12-150``, the carrier's name).
    code_list: str = ""
    #: The invoices' transport mode (``FreightInvoice.mode``), when the file is of one.
    mode: str = ""
    date_format: str = "%Y-%m-%d"
    decimal_comma: bool = False
    delimiter: str = ","
    encoding: str = "utf-8"
    #: Whether every column named must be in the file (else only invoice number and amount).
    all_columns: bool = True

    def columns(self):
        """``(key, header)`` of every column named: a field's name, or ``("references",
        kind)`` for a reference."""
        named = [(name, getattr(self, name)) for name in _COLUMN_FIELDS]
        named += [(("references", kind), header) for kind, header in self.references.items()]
        return [(key, header) for key, header in named if header]


_COLUMN_FIELDS = (*REQUIRED_COLUMNS, *INVOICE_COLUMNS, "tracking_number", *CHARGE_COLUMNS)
_REFERENCE_KINDS = ("pro", "bill_of_lading", "purchase_order", "shipment_id", "airbill")
#: The suite's own layout: the canonical names as headers, every column optional but two.
DEFAULT_MAPPING = CsvInvoiceMapping(
    **{name: name for name in _COLUMN_FIELDS},
    references={kind: kind for kind in _REFERENCE_KINDS},
    all_columns=False,
)


def read_csv_invoices(data, mapping=DEFAULT_MAPPING):
    """The :class:`FreightInvoice` objects of the CSV file ``data`` (bytes or text) read with
    ``mapping``; ParseError names the row and column of what cannot be read."""
    source = io.StringIO(_text(data, mapping), newline="")
    rows = csv.reader(source, delimiter=mapping.delimiter, strict=True)
    try:
        header = next(rows, None)
        if header is None:
            raise ParseError("empty file: no header row", format=FORMAT, line=1)
        invoices = _Invoices(mapping, _columns(header, mapping))
        for number, cells in enumerate(rows, start=2):
            if any(cell.strip() for cell in cells):
                invoices.add(_Row(number, rows.line_num, cells, invoices.columns))
    except csv.Error as exc:
        raise ParseError(f"unreadable CSV: {exc}", format=FORMAT, line=rows.line_num) from None
    return invoices.done()


def _text(data, mapping):
    if isinstance(data, str) or mapping.encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
        return decode_text(FORMAT, data)
    try:
        return bytes(data).decode(mapping.encoding)
    except UnicodeDecodeError as exc:
        message = f"byte 0x{data[exc.start]:02x} is not {mapping.encoding}"
        raise ParseError(message, format=FORMAT, position=exc.start) from None


def _columns(header, mapping):
    """Mapping key -> ``(index, header)`` of the named columns found in ``header``."""
    found = {}
    for index, title in enumerate(header):
        found.setdefault(title.strip().casefold(), (index, title.strip()))
    columns = {}
    for key, title in mapping.columns():
        place = found.get(title.strip().casefold())
        if place is not None:
            columns[key] = place
        elif mapping.all_columns or key in REQUIRED_COLUMNS:
            titles = ", ".join(repr(title) for title in header)
            message = f"column {title!r} ({_label(key)}) is not in the header row: {titles}"
            raise ParseError(message, format=FORMAT, field=title, line=1)
    return columns


def _label(key):
    return f"{key[1]} reference" if isinstance(key, tuple) else key.replace("_", " ")


class _Row:
    """One row: its cells read by mapping key, every error naming the row and the column."""

    def __init__(self, number, line, cells, columns):
        self.number, self.line, self.cells, self.columns = number, line, cells, columns

    def text(self, key):
        """The cell of column ``key`` without surrounding blanks, ``""`` when not mapped."""
        place = self.columns.get(key)
        if place is None or place[0] >= len(self.cells):
            return ""
        return self.cells[place[0]].strip()

    def error(self, key, message):
        """A ParseError at this row's cell of column ``key``."""
        index, title = self.columns[key]
        where = {"field": title, "line": self.line, "column": index + 1}
        return ParseError(f"row {self.number}: {message}", format=FORMAT, **where)

    def required(self, key):
        """The cell of ``key``; an error when it is empty."""
        value = self.text(key)
        if not value:
            raise self.error(key, f"the {_label(key)} is empty")
        return value

    def decimal(self, key, comma):
        """The number in the cell of ``key`` as a Decimal (see the module doc), or None."""
        value = self.text(key)
        if not value:
            return None
        digits, negative = value.translate(_SPACES), False
        if digits.startswith("(") and digits.endswith(")"):
            digits, negative = digits[1:-1].strip(), True
        elif digits[:1] in "-+":
            digits, negative = digits[1:].strip(), digits[0] == "-"
        if not _NUMBERS[comma].fullmatch(digits):
            written = "a decimal comma" if comma else "a decimal point"
            raise self.error(key, f"{value!r} is not a number written with {written}")
        grouping, point = (". ", ",") if comma else (",", ".")
        number = Decimal(digits.translate(str.maketrans(point, ".", grouping)))
        if number >= _LARGEST:
            raise self.error(key, f"{value!r} is out of range")
        return -number if negative else number

    def day(self, key, date_format):
        """The date in the cell of ``key`` (``date_format``), or None."""
        value = self.text(key)
        if not value:
            return None
        try:
            return datetime.strptime(value, date_format).date()
        except ValueError:
            raise self.error(key, f"{value!r} is not a date as {date_format!r}") from None


class _Invoices:
    """The invoices being read, row by row."""

    def __init__(self, mapping, columns):
        self.mapping, self.columns = mapping, columns
        self.invoices, self.shipments, self.seen = {}, {}, {}

    def add(self, row):
        """Add the charge of ``row`` to its invoice (and shipment)."""
        number = row.required("invoice_number")
        invoice = self.invoices.get(number)
        if invoice is None:
            invoice = self.invoices[number] = FreightInvoice(number, mode=self.mapping.mode)
        self._invoice_values(invoice, row)
        charge = self._charge(row)
        shipment = self._shipment(invoice, row)
        (invoice if shipment is None else shipment).charges.append(charge)

    def _invoice_values(self, invoice, row):
        mapping = self.mapping
        for key in INVOICE_COLUMNS:
            if key not in self.columns or not row.text(key):
                continue
            if key in ("invoice_date", "due_date"):
                value = row.day(key, mapping.date_format)
            elif key == "total":
                value = row.decimal(key, mapping.decimal_comma)
            else:
                value = row.text(key)
            self._agree(invoice, key, value, row)

    def _agree(self, invoice, key, value, row):
        """Set ``key`` of ``invoice`` to ``value``, unless an earlier row said otherwise."""
        earlier = self.seen.setdefault((invoice.invoice_number, key), (value, row.number))
        if earlier[0] != value:
            message = (
                f"{row.text(key)!r} differs from what row {earlier[1]} gives invoice "
                f"{invoice.invoice_number!r}"
            )
            raise row.error(key, message)
        setattr(invoice, key, value)

    def _charge(self, row):
        mapping, comma = self.mapping, self.mapping.decimal_comma
        amount = row.decimal("amount", comma)
        if amount is None:
            raise row.error("amount", "the amount is empty")
        quantity = row.decimal("quantity", comma)
        code = row.text("code")
        return Charge(
            code,
            amount,
            row.text("description"),
            None if quantity is None else float(quantity),
            row.decimal("rate", comma),
            mapping.code_list if code else "",
        )

    def _shipment(self, invoice, row):
        """The shipment of ``row`` in ``invoice`` (added when new), None for none."""
        tracking = row.text("tracking_number")
        references = {kind: row.text(("references", kind)) for kind in self.mapping.references}
        references = {kind: value for kind, value in references.items() if value}
        if not tracking and not references:
            return None
        key = (invoice.invoice_number, tracking, tuple(references.items()))
        shipment = self.shipments.get(key)
        if shipment is None:
            shipment = self.shipments[key] = FreightShipment(references=references)
            shipment.tracking_numbers = [tracking] if tracking else []
            invoice.shipments.append(shipment)
        return shipment

    def done(self):
        """The invoices read, with their tracking numbers."""
        for invoice in self.invoices.values():
            found = [n for shipment in invoice.shipments for n in shipment.tracking_numbers]
            invoice.tracking_numbers = list(dict.fromkeys(found))
            invoice.tracking_number = next(iter(invoice.tracking_numbers), "")
        return list(self.invoices.values())


class CsvInvoiceCodec(Codec, name=FORMAT, media_type="text/csv"):
    """Freight invoices as CSV, one charge a row, in the suite's own column layout.

    The headers are the canonical names (see ``formats.csv_invoice``); a carrier's own
    layout is read with :func:`read_csv_invoices` and its :class:`CsvInvoiceMapping`.
    """

    mapping = DEFAULT_MAPPING

    def parse(self, data):
        """The FreightInvoice objects of the CSV file; ParseError names row and column."""
        return read_csv_invoices(data, self.mapping)

    def identify(self, data):
        """The invoice numbers, no message id."""
        return Identity(tuple(sorted({invoice.invoice_number for invoice in self.parse(data)})))


__all__ = [
    "DEFAULT_MAPPING",
    "FORMAT",
    "CsvInvoiceCodec",
    "CsvInvoiceMapping",
    "read_csv_invoices",
]
