from collections import Counter

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
        labels = dict(self.env["stock.picking"]._fields["logistics_customs_status"].selection)
        for order in self:
            counts = Counter(order.picking_ids.mapped("logistics_customs_status"))
            counts.pop(False, None)
            parts = [f"{count} {labels[status].lower()}" for status, count in counts.items()]
            order.logistics_customs_status = ", ".join(parts) or False
