import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from logistics_adapters import canonical as c
from logistics_adapters.canonical import FREIGHT_MODES

from .freight_audit import FreightAudit
from .freight_batch import insert_batch, new_batch
from .freight_sql import next_ids

_logger = logging.getLogger(__name__)
STATES = [
    ("received", "Received"),
    ("unmatched", "Unmatched"),
    ("exception", "Exception"),
    ("variance", "Variance"),
    ("disputed", "Disputed"),
    ("approved", "Approved"),
    ("billed", "Billed"),
    ("duplicate", "Duplicate"),
    ("cancelled", "Cancelled"),
]
#: States an audit may still change: the others were decided.
OPEN_STATES = ("received", "unmatched", "exception", "variance", "disputed")
#: The scheduled action that bills approved invoices.
BILL_CRON = "logistics_freight_billing.ir_cron_freight_bill"
#: Reference kinds of the canonical model kept in fields of their own.
REFERENCE_FIELDS = {
    "pro": "pro_number",
    "bill_of_lading": "bol_number",
    "purchase_order": "po_number",
    "shipment_id": "shipment_ref",
}


class LogisticsFreightInvoice(models.Model):
    """A carrier's invoice for freight, as it arrived (X12 210 / 110, JSON, CSV): matched
    to the shipments it bills, audited against what they were expected to cost, then billed
    (a vendor bill) or left for a person to approve, dispute or short-pay."""

    _name = "logistics.freight.invoice"
    _description = "Freight Invoice"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "received_at desc, id desc"

    name = fields.Char(string="Invoice number", required=True, readonly=True, index=True)
    carrier_id = fields.Many2one("res.partner", index=True, tracking=True)
    carrier_code = fields.Char(readonly=True, help="The carrier as the invoice names it.")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    backend_id = fields.Many2one(
        "logistics.backend", readonly=True, groups="logistics_integration.group_logistics_user"
    )
    message_id = fields.Many2one("logistics.message", readonly=True, ondelete="set null")
    position = fields.Integer(readonly=True, help="Its place among the invoices of its message.")
    received_at = fields.Datetime(readonly=True, default=fields.Datetime.now, index=True)
    invoice_date = fields.Date(readonly=True)
    due_date = fields.Date(readonly=True)
    delivery_date = fields.Date(readonly=True)
    mode = fields.Selection([(m, m.title()) for m in FREIGHT_MODES], readonly=True)
    state = fields.Selection(STATES, default="received", required=True, index=True, tracking=True)
    pro_number = fields.Char(string="PRO", readonly=True, index="btree_not_null")
    bol_number = fields.Char(string="BOL", readonly=True)
    po_number = fields.Char(string="PO", readonly=True)
    shipment_ref = fields.Char(string="Shipment id", readonly=True)
    tracking_numbers = fields.Char(readonly=True)
    document_total = fields.Monetary(
        readonly=True, help="The total the invoice states, when it states one."
    )
    billed_total = fields.Monetary(string="Billed", readonly=True)
    expected_total = fields.Monetary(string="Expected", readonly=True)
    variance = fields.Monetary(readonly=True, help="Billed minus expected.")
    disputed_amount = fields.Monetary(
        readonly=True, tracking=True, help="What the company refuses to pay of this invoice."
    )
    line_ids = fields.One2many(
        "logistics.freight.invoice.line", "invoice_id", string="Charges", readonly=True
    )
    shipment_ids = fields.One2many(
        "logistics.freight.invoice.shipment", "invoice_id", string="Shipments"
    )
    audit_line_ids = fields.One2many(
        "logistics.freight.audit.line",
        "invoice_id",
        string="Billed against expected",
        readonly=True,
    )
    picking_ids = fields.Many2many(
        "stock.picking",
        "logistics_freight_invoice_picking_rel",
        compute="_compute_matches",
        store=True,
        string="Transfers",
    )
    transport_order_ids = fields.Many2many(
        "logistics.transport.order",
        "logistics_freight_invoice_order_rel",
        compute="_compute_matches",
        store=True,
        string="Transport orders",
    )
    sale_order_ids = fields.Many2many(
        "sale.order",
        "logistics_freight_invoice_sale_rel",
        compute="_compute_matches",
        store=True,
        string="Sale orders",
    )
    customer_id = fields.Many2one(
        "res.partner", compute="_compute_matches", store=True, index="btree_not_null"
    )
    duplicate_of_id = fields.Many2one("logistics.freight.invoice", readonly=True)
    move_id = fields.Many2one("account.move", string="Vendor bill", readonly=True, copy=False)
    audit_note = fields.Text(string="Audit", readonly=True)
    dispute_reason = fields.Text(readonly=True, tracking=True)
    decided_by_id = fields.Many2one("res.users", string="Decided by", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible", tracking=True, index="btree_not_null"
    )

    _message_position_unique = models.UniqueIndex(
        "(message_id, position) WHERE message_id IS NOT NULL",
        "An invoice of a message is received once.",
    )
    _carrier_number_idx = models.Index("(carrier_id, name)")

    @api.depends(
        "shipment_ids.picking_id", "shipment_ids.transport_order_id", "shipment_ids.sale_order_id"
    )
    def _compute_matches(self):
        for invoice in self:
            shipments = invoice.shipment_ids
            invoice.picking_ids = shipments.picking_id
            invoice.transport_order_ids = shipments.transport_order_id
            invoice.sale_order_ids = shipments.sale_order_id
            invoice.customer_id = shipments.sale_order_id[:1].partner_id.commercial_partner_id

    # ------------------------------------------------------------------ receiving

    @api.model
    def _receive_many(self, items):
        """The freight invoices of each ``(message, documents)`` of ``items`` (documents
        canonical), with their shipments and charges, audited and inserted a batch at a
        time (each already in the state its audit gives: the rows are judged before they
        are written, so that each is written once); a message worked again receives
        nothing twice. Return the new invoices.

        Should the audit fail, the invoices are inserted as received all the same, for
        *Audit again*."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT message_id, position FROM logistics_freight_invoice WHERE message_id = ANY(%s)",
            [[message.id for message, _documents in items]],
        )
        done = set(self.env.cr.fetchall())
        lookups = _Lookups(self.env)
        rows, received = [], []
        for message, documents in items:
            for position, document in enumerate(documents):
                if isinstance(document, c.FreightInvoice) and (message.id, position) not in done:
                    rows.append(self._invoice_row(message, position, document, lookups))
                    received.append(document)
        Shipment = self.env["logistics.freight.invoice.shipment"]
        Line = self.env["logistics.freight.invoice.line"]
        shipment_rows, line_rows = [], []
        for invoice_id, row, document in zip(
            next_ids(self.env, self._name, len(rows)), rows, received, strict=True
        ):
            row["id"] = invoice_id
            own = document.charges if document.shipments else []
            line_rows += [Line._row(charge, invoice_id, None, n) for n, charge in enumerate(own)]
            for sequence, shipment in enumerate(document.shipments or [self._whole(document)], 1):
                shipment_rows.append(
                    Shipment._row(invoice_id, row["company_id"], sequence, shipment)
                )
                shipment_rows[-1]["charges"] = shipment.charges
        for shipment_id, row in zip(
            next_ids(self.env, Shipment._name, len(shipment_rows)), shipment_rows, strict=True
        ):
            row["id"] = shipment_id
            charges = row.pop("charges")
            line_rows += [
                Line._row(charge, row["invoice_id"], shipment_id, n)
                for n, charge in enumerate(charges)
            ]
        for line_id, row in zip(
            next_ids(self.env, Line._name, len(line_rows)), line_rows, strict=True
        ):
            row["id"] = line_id
        tables = {self._name: rows, Shipment._name: shipment_rows, Line._name: line_rows}
        invoices = new_batch(rows, shipment_rows, line_rows)
        by_company = defaultdict(list)
        for row, invoice in zip(rows, invoices, strict=True):
            by_company[row["company_id"]].append(invoice)
        Company = self.env["res.company"]
        try:
            with self.env.cr.savepoint():
                audits = []
                for company_id, mine in sorted(by_company.items()):
                    company = Company.browse(company_id)
                    audit = FreightAudit(self.browse().with_company(company), company)
                    audits.append((audit, *audit.judge(mine)))
        except Exception:
            _logger.exception("Audit of %s received freight invoices failed", len(rows))
            insert_batch(self.env, tables)
            return self.browse([row["id"] for row in rows])
        insert_batch(
            self.env, tables, invoices, [row for _a, judged, _u in audits for row in judged]
        )
        for audit, _rows, unmatched in audits:
            audit.propose(unmatched)
        new = self.browse([row["id"] for row in rows])
        if any(invoice.state == "approved" for invoice in invoices):
            self._wake_billing()
        return new

    @api.model
    def _invoice_row(self, message, position, document, lookups):
        """The column values of the invoice of canonical ``document``."""
        backend = message.backend_id.sudo()
        company = backend.company_id or self.env.company
        references = {
            field: document.references.get(kind) or None for kind, field in REFERENCE_FIELDS.items()
        }
        references["shipment_ref"] = references["shipment_ref"] or document.shipment_reference
        return {
            "name": document.invoice_number,
            "carrier_code": document.carrier or None,
            "carrier_id": lookups.carrier(backend, document.carrier),
            "company_id": company.id,
            "currency_id": lookups.currency(document.currency) or company.currency_id.id,
            "backend_id": backend.id,
            "message_id": message.id,
            "position": position,
            "received_at": self.env.cr.now(),
            "invoice_date": document.invoice_date,
            "due_date": document.due_date,
            "delivery_date": document.delivery_date,
            "mode": document.mode or None,
            "state": "received",
            "tracking_numbers": ", ".join(document.tracking_numbers) or None,
            "document_total": float(document.total) if document.total is not None else 0.0,
            "billed_total": float(document.charges_total()),
            "expected_total": 0.0,
            "variance": 0.0,
            "disputed_amount": 0.0,
            "user_id": backend.user_id.id or None,
            **{field: value or None for field, value in references.items()},
        }

    @api.model
    def _whole(self, document):
        """An invoice of one shipment as that shipment: its references and charges."""
        return c.FreightShipment(
            references={
                **document.references,
                "shipment_id": document.references.get("shipment_id")
                or document.shipment_reference,
            },
            tracking_numbers=list(document.tracking_numbers),
            weight_kg=document.weight_kg,
            ship_from=document.ship_from,
            ship_to=document.ship_to,
            delivery_date=document.delivery_date,
            charges=list(document.charges),
        )

    # ------------------------------------------------------------------ audit

    def _audit(self):
        """Match, check and audit these invoices (those still open); each ends in the state
        that says what is left to do. Those within tolerance are *approved*: billed by
        :meth:`_cron_bill`, woken at once, so that an accounting failure never undoes an
        audit."""
        invoices = self.filtered(lambda invoice: invoice.state in OPEN_STATES)
        for company in invoices.company_id:
            mine = invoices.filtered(lambda invoice, company=company: invoice.company_id == company)
            FreightAudit(mine.with_company(company)).run()
        if any(invoice.state == "approved" for invoice in invoices):
            self._wake_billing()
        return invoices

    @api.model
    def _wake_billing(self):
        """Wake the billing's scheduled action, unless it is already due to run."""
        cron = self.env.ref(BILL_CRON).sudo()
        self.env.cr.execute(
            "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= now() "
            "AT TIME ZONE 'UTC' LIMIT 1",
            [cron.id],
        )
        if not self.env.cr.fetchone():
            cron._trigger()

    def action_audit(self):
        """Audit again: after a charge code was mapped, a tolerance changed or a shipment
        was matched by hand; billed at once when now within tolerance."""
        self._check_open()
        self.write({"state": "received", "audit_note": False})
        self._audit()
        self.filtered(lambda invoice: invoice.state == "approved")._bill()
        return True

    @api.model
    def _cron_bill(self, limit=200):
        """Bill the invoices approved by their audit, a batch at a time (each alone should
        the batch fail); one whose bill cannot be made (an account missing, a locked period)
        stays approved with the reason in its audit note, for a person, and the others go
        on."""
        invoices = self.search([("state", "=", "approved"), ("move_id", "=", False)], limit=limit)
        try:
            with self.env.cr.savepoint():
                invoices._bill()
        except (UserError, ValidationError):
            for invoice in invoices:
                try:
                    with self.env.cr.savepoint():
                        invoice._bill()
                except (UserError, ValidationError) as exc:
                    invoice.audit_note = self.env._(
                        "Within tolerance, but its vendor bill could not be made: %(error)s "
                        "Fix this in Accounting, then Approve it again.",
                        error=exc,
                    )
        return invoices

    def _check_open(self, states=OPEN_STATES):
        closed = self.filtered(lambda invoice: invoice.state not in states)
        if closed:
            raise UserError(
                self.env._(
                    "%(invoices)s was already decided (%(state)s): nothing to do here.",
                    invoices=", ".join(closed.mapped("display_name")),
                    state=closed[0].state,
                )
            )

    # ------------------------------------------------------------------ decisions

    def action_approve(self):
        """Pay what the carrier billed, variance and all: a vendor bill for it."""
        self._check_open(("variance", "disputed", "approved"))
        for invoice in self:
            invoice._check_approval_limit()
        self.write({"state": "approved", "decided_by_id": self.env.uid})
        for invoice in self:
            invoice.message_post(
                body=self.env._(
                    "Variance of %(variance)s %(currency)s approved by %(user)s: billed as "
                    "invoiced.",
                    variance=invoice.variance,
                    currency=invoice.currency_id.name,
                    user=self.env.user.name,
                )
            )
        self._bill()
        return self._open_bills()

    def action_short_pay(self):
        """Pay what was expected: the vendor bill is for the expected amounts, the rest is
        recorded as disputed."""
        self._check_open(("variance", "disputed"))
        self.write({"state": "approved", "decided_by_id": self.env.uid})
        self._bill(short=True)
        for invoice in self:
            invoice.message_post(
                body=self.env._(
                    "Short-paid by %(user)s: billed %(paid)s %(currency)s as expected, "
                    "%(disputed)s %(currency)s disputed.",
                    user=self.env.user.name,
                    paid=invoice.move_id.amount_untaxed,
                    disputed=invoice.disputed_amount,
                    currency=invoice.currency_id.name,
                )
            )
        return self._open_bills()

    def action_dispute(self):
        """Ask the carrier to correct the invoice (the dispute wizard)."""
        self._check_open(("variance", "exception", "unmatched", "disputed"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute with the carrier"),
            "res_model": "logistics.freight.dispute",
            "view_mode": "form",
            "target": "new",
            "context": {"default_invoice_ids": self.ids},
        }

    def action_cancel(self):
        """Nothing of this invoice will be billed (a carrier's mistake it withdrew)."""
        billed = self.filtered("move_id")
        if billed:
            raise UserError(
                self.env._(
                    "%(invoices)s is billed: cancel its vendor bill in Accounting first.",
                    invoices=", ".join(billed.mapped("name")),
                )
            )
        self.write({"state": "cancelled", "decided_by_id": self.env.uid})
        return True

    def action_open_bill(self):
        self.ensure_one()
        return self._open_bills()

    def _check_approval_limit(self):
        """A variance above the company's approval limit is for a freight billing manager."""
        limit = self.company_id.logistics_freight_approval_limit
        if not limit or abs(self.variance) <= limit:
            return
        if self.env.user.has_group("logistics_freight_billing.group_freight_manager"):
            return
        raise UserError(
            self.env._(
                "%(invoice)s is %(variance)s %(currency)s off what was expected, above the "
                "approval limit of %(limit)s: a freight billing manager approves it. Ask one, "
                "or short-pay or dispute it.",
                invoice=self.display_name,
                variance=self.variance,
                currency=self.currency_id.name,
                limit=limit,
            )
        )

    # ------------------------------------------------------------------ billing

    def _bill(self, short=False):
        """A vendor bill for each of these approved invoices (the billed amounts, or the
        expected ones when ``short``), made together; posted when the company says so."""
        invoices = self.filtered(lambda invoice: not invoice.move_id)
        if not invoices:
            return True
        bills = (
            self.env["account.move"]
            .sudo()
            .with_context(tracking_disable=True)
            .create([invoice._prepare_bill_vals(short) for invoice in invoices])
        )
        invoices._attach_to(bills)
        for invoice, bill in zip(invoices, bills, strict=True):
            invoice.write(
                {
                    "move_id": bill.id,
                    "state": "billed",
                    "disputed_amount": invoice.billed_total - bill.amount_untaxed if short else 0.0,
                }
            )
        bills.filtered(lambda bill: bill.company_id.logistics_freight_post_bills).action_post()
        return True

    def _prepare_bill_vals(self, short):
        self.ensure_one()
        journal = self.company_id.logistics_freight_journal_id
        return {
            "move_type": "in_invoice",
            "partner_id": self.carrier_id.id,
            "ref": self.name,
            "invoice_date": self.invoice_date or fields.Date.context_today(self),
            "invoice_date_due": self.due_date,
            "currency_id": self.currency_id.id,
            "company_id": self.company_id.id,
            "logistics_freight_invoice_id": self.id,
            **({"journal_id": journal.id} if journal else {}),
            "invoice_line_ids": [
                fields.Command.create(vals) for vals in self._prepare_bill_line_vals(short)
            ],
        }

    def _prepare_bill_line_vals(self, short):
        """One line per charge type: what was billed of it, or (``short``) what the audit
        expected of each row of the comparison."""
        analytic = self.sale_order_ids.order_line.filtered("analytic_distribution")[
            :1
        ].analytic_distribution
        rows = []
        if short:
            for row in self.audit_line_ids.filtered(lambda line: line.kind != "total"):
                amount = min(row.billed, row.expected)
                if amount:
                    rows.append((row.charge_type_id, row.label, amount))
        else:
            for charge_type in self.line_ids.charge_type_id:
                lines = self.line_ids.filtered(lambda line, t=charge_type: line.charge_type_id == t)
                label = ", ".join(sorted(set(lines.mapped("label"))))
                rows.append((charge_type, label, sum(lines.mapped("amount"))))
        refs = ", ".join(filter(None, (self.pro_number, *self.transport_order_ids.mapped("name"))))
        return [
            {
                "product_id": charge_type.product_id.id,
                "name": f"{charge_type.name}: {label}" + (f" ({refs})" if refs else ""),
                "quantity": 1.0,
                "price_unit": amount,
                "analytic_distribution": analytic or False,
            }
            for charge_type, label, amount in rows
        ]

    def _attach_to(self, bills):
        """Each carrier's invoice as it arrived, attached to its vendor bill (``bills``, in
        the order of these invoices)."""
        values = []
        for invoice, bill in zip(self, bills, strict=True):
            message = invoice.message_id.sudo()
            if not message:
                continue
            extension = {"application/json": "json", "text/csv": "csv"}.get(
                (message.content_type or "").split(";")[0], "edi"
            )
            carrier = invoice.carrier_code or invoice.carrier_id.name
            values.append(
                {
                    "name": f"{carrier}-{invoice.name}.{extension}",
                    "raw": message.get_payload(),
                    "res_model": "account.move",
                    "res_id": bill.id,
                    "mimetype": "text/plain",
                }
            )
        self.env["ir.attachment"].sudo().create(values)

    def _open_bills(self):
        bills = self.move_id
        action = {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": self.env._("Vendor bills"),
        }
        if len(bills) == 1:
            return {**action, "res_id": bills.id, "views": [(False, "form")]}
        return {**action, "view_mode": "list,form", "domain": [("id", "in", bills.ids)]}


class _Lookups:
    """What receiving a batch looks up once: carriers by backend and code, currencies by
    code."""

    def __init__(self, env):
        self.env = env
        self.carriers = {}
        self.currencies = {}

    def carrier(self, backend, code):
        key = (backend.id, code)
        if key not in self.carriers:
            self.carriers[key] = backend._logistics_freight_carrier(code).id or None
        return self.carriers[key]

    def currency(self, code):
        code = (code or "").upper()
        if code and code not in self.currencies:
            currency = (
                self.env["res.currency"]
                .with_context(active_test=False)
                .search([("name", "=", code)], limit=1)
            )
            self.currencies[code] = currency.id or None
        return self.currencies.get(code)
