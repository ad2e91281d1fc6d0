from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class LogisticsFreightAccrual(models.TransientModel):
    """Accrue the freight of shipments delivered and not billed yet at a period's close:
    one journal entry (the expected cost per carrier into the freight expense account,
    against the accrued liabilities account), posted, and its reversal on the next day."""

    _name = "logistics.freight.accrual"
    _description = "Accrue Freight Not Billed Yet"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(string="Accrue at", required=True, default=lambda self: self._default_date())
    reversal_date = fields.Date(
        string="Reverse on",
        required=True,
        compute="_compute_reversal_date",
        store=True,
        precompute=True,
        readonly=False,
    )
    journal_id = fields.Many2one(
        "account.journal",
        required=True,
        domain="[('type', '=', 'general'), ('company_id', '=', company_id)]",
        default=lambda self: self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.env.company.id)], limit=1
        ),
    )
    expense_account_id = fields.Many2one(
        "account.account",
        string="Freight expense",
        required=True,
        default=lambda self: self._default_expense_account(),
    )
    accrual_account_id = fields.Many2one(
        "account.account",
        string="Accrued freight",
        required=True,
        default=lambda self: self.env.company.logistics_freight_accrual_account_id,
        help="The liability account the accrued freight waits in.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    shipment_count = fields.Integer(compute="_compute_totals", string="Shipments")
    amount = fields.Monetary(compute="_compute_totals", string="To accrue")

    @api.model
    def _default_date(self):
        return fields.Date.context_today(self).replace(day=1) - timedelta(days=1)

    @api.model
    def _default_expense_account(self):
        product = self.env.ref("logistics_freight_billing.product_freight_freight")
        return product.product_tmpl_id._get_product_accounts()["expense"]

    @api.depends("date")
    def _compute_reversal_date(self):
        for wizard in self:
            wizard.reversal_date = wizard.date and wizard.date + timedelta(days=1)

    @api.depends("date", "company_id")
    def _compute_totals(self):
        for wizard in self:
            rows = wizard._rows()
            wizard.shipment_count = len(rows)
            wizard.amount = sum(wizard._amount(row) for row in rows)

    def _rows(self):
        self.ensure_one()
        if not self.date:
            return self.env["logistics.freight.accrual.report"]
        end = fields.Datetime.to_datetime(self.date) + timedelta(days=1)
        return self.env["logistics.freight.accrual.report"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("delivered_at", "<", end),
                ("carrier_id", "!=", False),
            ]
        )

    def _amount(self, row):
        currency = row.currency_id or self.currency_id
        return currency._convert(row.expected, self.currency_id, self.company_id, self.date)

    def action_accrue(self):
        """Post the accrual entry and its reversal; open them."""
        self.ensure_one()
        rows = self._rows()
        if not rows:
            raise UserError(
                self.env._(
                    "Nothing to accrue: every shipment delivered by %(date)s is billed.",
                    date=self.date,
                )
            )
        by_carrier = {}
        for row in rows:
            by_carrier.setdefault(row.carrier_id, []).append(row)
        lines = [
            fields.Command.create(
                {
                    "account_id": self.expense_account_id.id,
                    "partner_id": carrier.id,
                    "name": self.env._(
                        "Freight to accrue: %(count)s shipments delivered, not billed",
                        count=len(carrier_rows),
                    ),
                    "debit": sum(self._amount(row) for row in carrier_rows),
                }
            )
            for carrier, carrier_rows in by_carrier.items()
        ]
        total = sum(self._amount(row) for row in rows)
        lines.append(
            fields.Command.create(
                {
                    "account_id": self.accrual_account_id.id,
                    "name": self.env._("Accrued freight"),
                    "credit": total,
                }
            )
        )
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.journal_id.id,
                "date": self.date,
                "ref": self.env._("Freight accrual %(date)s", date=self.date),
                "line_ids": lines,
            }
        )
        entry.action_post()
        reversal = entry._reverse_moves(
            [{"date": self.reversal_date, "ref": self.env._("Reversal of %(e)s", e=entry.name)}]
        )
        reversal.action_post()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Freight accrual"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", (entry | reversal).ids)],
        }
