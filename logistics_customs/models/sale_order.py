from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    logistics_customs_status = fields.Char(
        string="Customs",
        compute="_compute_logistics_customs_status",
        help="Where the customs declarations of this order's deliveries stand.",
    )

    @api.depends("picking_ids.logistics_customs_status")
    def _compute_logistics_customs_status(self):
        for order in self:
            counts = order._logistics_status_counts("logistics_customs_status")
            order.logistics_customs_status = ", ".join(counts) or False
