from odoo import api, fields, models


class LogisticsFreightInvoiceLine(models.Model):
    """One charge of a freight invoice as the carrier wrote it (code, description,
    quantity, rate, amount), with the charge type its code maps to."""

    _name = "logistics.freight.invoice.line"
    _description = "Freight Invoice Charge"
    _order = "invoice_id, sequence, id"

    invoice_id = fields.Many2one(
        "logistics.freight.invoice", required=True, ondelete="cascade", index=True
    )
    shipment_id = fields.Many2one(
        "logistics.freight.invoice.shipment", ondelete="cascade", index="btree_not_null"
    )
    sequence = fields.Integer(default=10)
    code = fields.Char(readonly=True)
    code_list = fields.Char(readonly=True)
    description = fields.Char(readonly=True)
    label = fields.Char(compute="_compute_label")
    quantity = fields.Float(readonly=True)
    rate = fields.Float(readonly=True)
    rate_qualifier = fields.Char(readonly=True)
    amount = fields.Monetary(readonly=True)
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    charge_type_id = fields.Many2one("logistics.freight.charge.type", readonly=True)

    @api.depends("code", "description")
    def _compute_label(self):
        for line in self:
            line.label = line.description or line.code or ""

    @api.model
    def _row(self, charge, invoice_id, shipment_id, sequence):
        """The column values of a line of the canonical :class:`Charge` ``charge``."""
        return {
            "invoice_id": invoice_id,
            "shipment_id": shipment_id,
            "sequence": sequence,
            "code": charge.code or None,
            "code_list": charge.code_list or None,
            "description": charge.description or None,
            "quantity": charge.quantity or 0.0,
            "rate": float(charge.rate) if charge.rate is not None else 0.0,
            "rate_qualifier": charge.rate_qualifier or None,
            "amount": float(charge.amount),
        }
