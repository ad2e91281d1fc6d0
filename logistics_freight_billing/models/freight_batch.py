"""The audit's batch as plain rows: read in a few queries (:func:`read_batch`), judged by
:class:`~.freight_audit.FreightAudit`, written back set-based (:func:`write_batch`)."""

from dataclasses import dataclass, field

from .freight_sql import insert_rows, update_rows


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
    expected: float = 0.0
    source: str | None = None
    sale_order_id: int | None = None

    def values(self, key):
        """The values this shipment gives for matching ``key``."""
        value = self.references.get(key) or ""
        if key == "tracking_number":
            return [part.strip() for part in value.split(",") if part.strip()]
        return [value] if value else []


def read_batch(env, ids):
    """The invoices ``ids`` with their charges and shipments, as plain rows; their old
    comparison rows deleted."""
    cr = env.cr
    cr.execute(
        """SELECT id, name, carrier_id, COALESCE(carrier_code, ''), document_total,
                  billed_total, currency_id, COALESCE(invoice_date, received_at::date),
                  received_at
             FROM logistics_freight_invoice WHERE id = ANY(%s) ORDER BY id""",
        [ids],
    )
    invoices = {row[0]: Invoice(*row) for row in cr.fetchall()}
    cr.execute(
        """SELECT id, invoice_id, COALESCE(code, ''), COALESCE(code_list, ''),
                  COALESCE(description, code, ''), amount
             FROM logistics_freight_invoice_line WHERE invoice_id = ANY(%s)
            ORDER BY invoice_id, sequence, id""",
        [ids],
    )
    for line_id, invoice_id, code, code_list, label, amount in cr.fetchall():
        invoices[invoice_id].lines.append(
            {
                "id": line_id,
                "code": code,
                "list": code_list,
                "label": label,
                "amount": amount,
                "type": None,
            }
        )
    cr.execute(
        """SELECT id, invoice_id, pro_number, bol_number, po_number, shipment_ref,
                  tracking_numbers, picking_id, transport_order_id, matched_by
             FROM logistics_freight_invoice_shipment WHERE invoice_id = ANY(%s)
            ORDER BY invoice_id, sequence, id""",
        [ids],
    )
    for sid, invoice_id, pro, bol, po, ref, tracking, picking, order, by in cr.fetchall():
        invoice = invoices[invoice_id]
        references = {
            "pro": pro,
            "bill_of_lading": bol,
            "purchase_order": po,
            "shipment_id": ref,
            "tracking_number": tracking,
        }
        invoice.shipments.append(Shipment(sid, invoice, references, picking, order, by))
    cr.execute("DELETE FROM logistics_freight_audit_line WHERE invoice_id = ANY(%s)", [ids])
    return list(invoices.values())


def write_batch(env, invoices, shipments, rows):
    """Write back what the audit found: shipments matched and costed, invoices judged,
    their matches, comparison rows and charge types."""
    update_rows(
        env,
        "logistics.freight.invoice.shipment",
        (
            "picking_id",
            "transport_order_id",
            "matched_by",
            "expected",
            "expected_source",
            "sale_order_id",
        ),
        [
            (
                s.id,
                s.picking_id,
                s.order_id,
                s.matched_by,
                s.expected,
                s.source,
                s.sale_order_id,
            )
            for s in shipments
        ],
    )
    update_rows(
        env,
        "logistics.freight.invoice",
        ("state", "audit_note", "expected_total", "variance", "duplicate_of_id", "customer_id"),
        [
            (
                i.id,
                i.state or "approved",
                "\n".join(i.notes) or None,
                i.expected,
                i.billed_total - i.expected,
                i.duplicate_of,
                i.customer_id,
            )
            for i in invoices
        ],
    )
    _write_matches(env, invoices)
    insert_rows(env, "logistics.freight.audit.line", rows)
    update_rows(
        env,
        "logistics.freight.invoice.line",
        ("charge_type_id",),
        [(line["id"], line["type"]) for i in invoices for line in i.lines if line["type"]],
    )


def _write_matches(env, invoices):
    """The invoices' transfers, transport orders and sale orders (stored many2many
    fields), from their shipments."""
    ids = [invoice.id for invoice in invoices]
    Invoice = env["logistics.freight.invoice"]
    for name, column in (
        ("picking_ids", "picking_id"),
        ("transport_order_ids", "transport_order_id"),
        ("sale_order_ids", "sale_order_id"),
    ):
        relation = Invoice._fields[name]
        env.cr.execute(
            f'DELETE FROM "{relation.relation}" WHERE "{relation.column1}" = ANY(%s)', [ids]
        )
        env.cr.execute(
            f"""INSERT INTO "{relation.relation}" ("{relation.column1}", "{relation.column2}")
                SELECT DISTINCT invoice_id, {column} FROM logistics_freight_invoice_shipment
                 WHERE invoice_id = ANY(%s) AND {column} IS NOT NULL""",
            [ids],
        )
    Invoice.invalidate_model(["picking_ids", "transport_order_ids", "sale_order_ids"])
