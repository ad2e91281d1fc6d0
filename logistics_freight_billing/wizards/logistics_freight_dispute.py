from odoo import api, fields, models

TEMPLATE = "logistics_freight_billing.mail_template_freight_dispute"


class LogisticsFreightDispute(models.TransientModel):
    """Dispute freight invoices with their carrier: the reason and the amount in dispute
    are kept on each invoice, and the carrier is written to from the dispute template."""

    _name = "logistics.freight.dispute"
    _description = "Dispute a Freight Invoice"

    invoice_ids = fields.Many2many("logistics.freight.invoice", required=True)
    reason = fields.Text(required=True, help="What is wrong, in the carrier's words where you can.")
    notify = fields.Boolean(
        string="Write to the carrier", default=True, help="Send the dispute to the carrier."
    )
    amount = fields.Monetary(
        string="Disputed amount",
        currency_field="currency_id",
        compute="_compute_amount",
        store=True,
        readonly=False,
    )
    currency_id = fields.Many2one(related="invoice_ids.currency_id")

    @api.depends("invoice_ids")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = sum(max(v, 0.0) for v in wizard.invoice_ids.mapped("variance"))

    def action_dispute(self):
        """Mark the invoices disputed and, if asked, write to their carriers."""
        self.ensure_one()
        template = self.env.ref(TEMPLATE)
        single = len(self.invoice_ids) == 1
        for invoice in self.invoice_ids:
            invoice.write(
                {
                    "state": "disputed",
                    "dispute_reason": self.reason,
                    "disputed_amount": self.amount if single else max(invoice.variance, 0.0),
                    "decided_by_id": self.env.uid,
                }
            )
            if self.notify and invoice.carrier_id:
                invoice.message_post_with_source(
                    template,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
            else:
                invoice.message_post(
                    body=self.env._(
                        "Disputed by %(user)s (the carrier was not written to): %(reason)s",
                        user=self.env.user.name,
                        reason=self.reason,
                    )
                )
        return {"type": "ir.actions.act_window_close"}
