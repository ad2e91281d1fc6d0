from odoo import api, fields, models

from logistics_adapters.canonical import CODE_LIST_X12_150
from logistics_adapters.formats.csv_invoice import CsvInvoiceMapping

#: Mapping fields naming a column, as the adapters' mapping names them.
COLUMNS = (
    "invoice_number",
    "amount",
    "invoice_date",
    "due_date",
    "carrier",
    "currency",
    "total",
    "tracking_number",
    "code",
    "description",
    "quantity",
    "rate",
)
#: Reference kinds with a column of their own: field -> canonical kind.
REFERENCE_COLUMNS = {
    "pro_column": "pro",
    "bol_column": "bill_of_lading",
    "po_column": "purchase_order",
    "shipment_column": "shipment_id",
    "airbill_column": "airbill",
}


def _column(string, default=""):
    return fields.Char(string=string, default=default, help="The header of its column.")


class LogisticsFreightCsvMapping(models.Model):
    """How a carrier's CSV invoice file is laid out: which column holds what (one charge a
    row, the invoice's values repeated), how dates and numbers are written. A backend
    whose CSV invoices are read with it names it."""

    _name = "logistics.freight.csv.mapping"
    _description = "Freight Invoice CSV Layout"

    name = fields.Char(required=True)
    invoice_number = _column("Invoice number", "invoice_number")
    amount = _column("Amount", "amount")
    invoice_date = _column("Invoice date")
    due_date = _column("Due date")
    carrier = _column("Carrier")
    currency = _column("Currency")
    total = _column("Invoice total")
    tracking_number = _column("Tracking number")
    code = _column("Charge code")
    description = _column("Charge description")
    quantity = _column("Quantity")
    rate = _column("Rate")
    pro_column = _column("PRO")
    bol_column = _column("Bill of lading")
    po_column = _column("Purchase order")
    shipment_column = _column("Shipment id")
    airbill_column = _column("Airbill")
    code_list = fields.Char(
        default=CODE_LIST_X12_150,
        help="The list the charge codes are from: x12-150, or the carrier's own (mapped "
        "with the carrier set, list 'carrier').",
    )
    date_format = fields.Char(default="%Y-%m-%d", help="As Python writes it: %d/%m/%Y...")
    decimal_comma = fields.Boolean(help="Amounts written 1.234,56.")
    delimiter = fields.Char(default=",", size=1, required=True)
    encoding = fields.Char(default="utf-8", required=True)
    all_columns = fields.Boolean(
        string="Every column required",
        default=True,
        help="Refuse a file that lacks a column named here (else only the invoice number "
        "and the amount are required).",
    )

    @api.model
    def _mapping_of(self, record):
        """The adapters' :class:`CsvInvoiceMapping` of ``record`` (a mapping record)."""
        return CsvInvoiceMapping(
            **{name: record[name] or "" for name in COLUMNS},
            references={
                kind: record[name] for name, kind in REFERENCE_COLUMNS.items() if record[name]
            },
            code_list=record.code_list or "",
            date_format=record.date_format or "%Y-%m-%d",
            decimal_comma=record.decimal_comma,
            delimiter=record.delimiter or ",",
            encoding=record.encoding or "utf-8",
            all_columns=record.all_columns,
        )
