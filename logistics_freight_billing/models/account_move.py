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
    logistics_pod_picking_id = fields.Many2one(
        "stock.picking", string="Proof of delivery for", readonly=True, copy=False
    )
    logistics_pod_at = fields.Datetime(string="Delivered at", readonly=True, copy=False)
    logistics_pod_signed_by = fields.Char(string="Signed by", readonly=True, copy=False)
