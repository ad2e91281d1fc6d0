from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    logistics_freight_invoice_id = fields.Many2one(
        "logistics.freight.invoice",
        string="Carrier invoice",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The carrier's freight invoice this bill pays, as it arrived and was audited.",
    )
