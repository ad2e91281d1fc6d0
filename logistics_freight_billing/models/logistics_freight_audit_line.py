from odoo import fields, models

KINDS = [
    ("rate", "Covered by the rate"),
    ("accessorial", "Not expected"),
    ("total", "Invoice total"),
]
VERDICTS = [
    ("ok", "Within tolerance"),
    ("over", "Over"),
    ("under", "Under"),
    ("unexpected", "Not expected"),
]


class LogisticsFreightAuditLine(models.Model):
    """One row of a freight invoice's audit: a charge type (or the invoice total), what
    was billed of it against what was expected, the tolerance that judged it and its
    verdict. The variance workbench lists the rows out of tolerance."""

    _name = "logistics.freight.audit.line"
    _description = "Freight Audit Line"
    _order = "invoice_id, sequence, id"

    invoice_id = fields.Many2one(
        "logistics.freight.invoice", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="invoice_id.company_id", store=True, index=True)
    carrier_id = fields.Many2one(related="invoice_id.carrier_id", store=True, index=True)
    invoice_state = fields.Selection(related="invoice_id.state", string="Invoice state")
    received_at = fields.Datetime(related="invoice_id.received_at", store=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(KINDS, required=True)
    charge_type_id = fields.Many2one("logistics.freight.charge.type", string="Charge type")
    label = fields.Char(required=True)
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    billed = fields.Monetary()
    expected = fields.Monetary()
    difference = fields.Monetary(help="Billed minus expected.")
    allowed_over = fields.Monetary(string="Allowed above")
    allowed_under = fields.Monetary(string="Allowed below")
    tolerance_id = fields.Many2one("logistics.freight.tolerance", string="Rule")
    verdict = fields.Selection(VERDICTS, required=True, default="ok", index=True)

    def action_open_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.freight.invoice",
            "res_id": self.invoice_id.id,
            "views": [(False, "form")],
        }
