"""The audit's batch as plain rows: read in a few queries (:func:`read_batch`), judged by
:class:`~.freight_audit.FreightAudit`, written back set-based (:func:`write_batch`)."""

from dataclasses import dataclass, field

from psycopg2.extras import execute_values

from .freight_sql import PAGE, insert_rows, update_rows


@dataclass
class Invoice:
    """An invoice of the batch, as the audit reads and judges it."""

    id: int
    name: str
    carrier_id: int | None
    carrier_code: str
    document_total: float
    billed_total: float
    currency_id: int
    day: object
    received_at: object
    lines: list = field(default_factory=list)
    shipments: list = field(default_factory=list)
    expected: float = 0.0
    customer_id: int | None = None
    duplicate_of: int | None = None
    state: str = ""
    notes: list = field(default_factory=list)


@dataclass
class Shipment:
    id: int
    invoice: Invoice
    references: dict
    picking_id: int | None
    order_id: int | None
    matched_by: str | None
    sequence: int = 0
    expected: float = 0.0
    source: str | None = None
    sale_order_id: int | None = None

    def values(self, key):
        """The values this shipment gives for matching ``key``."""
        value = self.references.get(key) or ""
        if key == "tracking_number":
            return [part.strip() for part in value.split(",") if part.strip()]
        return [value] if value else []

    def describe(self, env):
        """The shipment in words: the references it gives."""
        parts = [
            f"{label} {value}"
            for label, value in (
                ("PRO", self.references.get("pro")),
                ("BOL", self.references.get("bill_of_lading")),
                (env._("shipment"), self.references.get("shipment_id")),
                (env._("tracking"), self.references.get("tracking_number")),
                ("PO", self.references.get("purchase_order")),
            )
            if value
        ]
        return " / ".join(parts) or env._("Shipment %(n)s", n=self.sequence)


def _references(row):
    """A shipment row's references, by matching key."""
    return {
        "pro": row["pro_number"],
        "bill_of_lading": row["bol_number"],
        "purchase_order": row["po_number"],
        "shipment_id": row["shipment_ref"],
        "tracking_number": row["tracking_numbers"],
    }


def new_batch(invoice_rows, shipment_rows, line_rows):
    """The invoices about to be inserted (their rows, ids given), as :func:`read_batch`
    would read them back: audited before they are written."""
    lines = sorted(line_rows, key=lambda row: (row["invoice_id"], row["sequence"], row["id"]))
    return _assemble(invoice_rows, lines, shipment_rows)


def read_batch(env, ids):
    """The invoices ``ids`` with their charges and shipments, as plain rows; their old
    comparison rows deleted."""
    cr = env.cr
    cr.execute(
        """SELECT id, name, carrier_id, carrier_code, document_total, billed_total,
                  currency_id, invoice_date, received_at
             FROM logistics_freight_invoice WHERE id = ANY(%s) ORDER BY id""",
        [ids],
    )
    invoice_rows = cr.dictfetchall()
    cr.execute(
        """SELECT id, invoice_id, code, code_list, description, amount
             FROM logistics_freight_invoice_line WHERE invoice_id = ANY(%s)
            ORDER BY invoice_id, sequence, id""",
        [ids],
    )
    line_rows = cr.dictfetchall()
    cr.execute(
        """SELECT id, invoice_id, pro_number, bol_number, po_number, shipment_ref,
                  tracking_numbers, picking_id, transport_order_id, matched_by, sequence
             FROM logistics_freight_invoice_shipment WHERE invoice_id = ANY(%s)
            ORDER BY invoice_id, sequence, id""",
        [ids],
    )
    shipment_rows = cr.dictfetchall()
    cr.execute("DELETE FROM logistics_freight_audit_line WHERE invoice_id = ANY(%s)", [ids])
    return _assemble(invoice_rows, line_rows, shipment_rows)


def _assemble(invoice_rows, line_rows, shipment_rows):
    """The plain invoices of these rows (column values by name; the lines and shipments
    in their order), each with its charges and shipments."""
    invoices = {
        row["id"]: Invoice(
            row["id"],
            row["name"],
            row["carrier_id"],
            row["carrier_code"] or "",
            row["document_total"],
            row["billed_total"],
            row["currency_id"],
            row["invoice_date"] or (row["received_at"] and row["received_at"].date()),
            row["received_at"],
        )
        for row in invoice_rows
    }
    for row in line_rows:
        invoices[row["invoice_id"]].lines.append(
            {
                "id": row["id"],
                "code": row["code"] or "",
                "list": row["code_list"] or "",
                "label": row["description"] or row["code"] or "",
                "amount": row["amount"],
                "type": None,
            }
        )
    for row in shipment_rows:
        invoice = invoices[row["invoice_id"]]
        invoice.shipments.append(
            Shipment(
                row["id"],
                invoice,
                _references(row),
                row.get("picking_id"),
                row.get("transport_order_id"),
                row.get("matched_by"),
                row["sequence"],
            )
        )
    return list(invoices.values())


#: The invoice's stored many2many fields of its matches -> the shipments' attribute.
MATCH_FIELDS = {
    "picking_ids": "picking_id",
    "transport_order_ids": "order_id",
    "sale_order_ids": "sale_order_id",
}
SHIPMENT_AUDITED = (
    "picking_id",
    "transport_order_id",
    "matched_by",
    "expected",
    "expected_source",
    "sale_order_id",
)
INVOICE_AUDITED = (
    "state",
    "audit_note",
    "expected_total",
    "variance",
    "duplicate_of_id",
    "customer_id",
)


def _shipment_audited(s):
    """What the audit found of shipment ``s``, in the order of SHIPMENT_AUDITED."""
    return (s.picking_id, s.order_id, s.matched_by, s.expected, s.source, s.sale_order_id)


def _invoice_audited(i):
    """What the audit found of invoice ``i``, in the order of INVOICE_AUDITED."""
    return (
        i.state or "approved",
        "\n".join(i.notes) or None,
        i.expected,
        i.billed_total - i.expected,
        i.duplicate_of,
        i.customer_id,
    )


def write_batch(env, invoices, shipments, rows):
    """Write back what the audit found: shipments matched and costed, invoices judged,
    their matches, comparison rows and charge types."""
    update_rows(
        env,
        "logistics.freight.invoice.shipment",
        SHIPMENT_AUDITED,
        [(s.id, *_shipment_audited(s)) for s in shipments],
    )
    update_rows(
        env,
        "logistics.freight.invoice",
        INVOICE_AUDITED,
        [(i.id, *_invoice_audited(i)) for i in invoices],
    )
    Invoice = env["logistics.freight.invoice"]
    for name in MATCH_FIELDS:
        relation = Invoice._fields[name]
        env.cr.execute(
            f'DELETE FROM "{relation.relation}" WHERE "{relation.column1}" = ANY(%s)',
            [[invoice.id for invoice in invoices]],
        )
    _insert_matches(env, invoices)
    insert_rows(env, "logistics.freight.audit.line", rows)
    update_rows(
        env,
        "logistics.freight.invoice.line",
        ("charge_type_id",),
        [(line["id"], line["type"]) for i in invoices for line in i.lines if line["type"]],
    )


def insert_batch(env, rows, invoices=None, audit_rows=()):
    """Insert new invoices: ``rows`` maps each model to its rows (ids given), in the order
    they refer to each other; with ``invoices`` (:func:`new_batch`, audited), what the
    audit found is inserted with them, at once."""
    if invoices is not None:
        found = {
            i.id: dict(zip(INVOICE_AUDITED, _invoice_audited(i), strict=True)) for i in invoices
        }
        shipments = {
            s.id: dict(zip(SHIPMENT_AUDITED, _shipment_audited(s), strict=True))
            for i in invoices
            for s in i.shipments
        }
        types = {line["id"]: line["type"] for i in invoices for line in i.lines}
        for row in rows["logistics.freight.invoice"]:
            row.update(found[row["id"]])
        for row in rows["logistics.freight.invoice.shipment"]:
            row.update(shipments[row["id"]])
        for row in rows["logistics.freight.invoice.line"]:
            row["charge_type_id"] = types[row["id"]]
    for model, model_rows in rows.items():
        insert_rows(env, model, model_rows)
    if invoices is not None:
        _insert_matches(env, invoices)
        insert_rows(env, "logistics.freight.audit.line", list(audit_rows))


def _insert_matches(env, invoices):
    """The invoices' transfers, transport orders and sale orders (stored many2many
    fields), from their audited shipments."""
    Invoice = env["logistics.freight.invoice"]
    for name, attribute in MATCH_FIELDS.items():
        relation = Invoice._fields[name]
        pairs = sorted(
            {(i.id, getattr(s, attribute)) for i in invoices for s in i.shipments}
            - {(i.id, None) for i in invoices}
        )
        if pairs:
            execute_values(
                env.cr,
                f'INSERT INTO "{relation.relation}" ("{relation.column1}", "{relation.column2}") '
                "VALUES %s",
                pairs,
                page_size=PAGE,
            )
    Invoice.invalidate_model(list(MATCH_FIELDS))
