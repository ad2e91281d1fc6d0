from collections import Counter

from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    logistics_shipping_status = fields.Char(
        compute="_compute_logistics_shipping_status",
        string="Shipping status",
        help="Where the deliveries of this order are, from the carriers' tracking.",
    )

    @api.depends("picking_ids.logistics_status", "picking_ids.logistics_alert")
    def _compute_logistics_shipping_status(self):
        labels = dict(self.env["stock.picking"]._fields["logistics_status"].selection)
        for order in self:
            tracked = order.picking_ids.filtered("logistics_status")
            counts = Counter(tracked.mapped("logistics_status"))
            parts = [f"{count} {labels[status].lower()}" for status, count in counts.items()]
            alerts = tracked.filtered("logistics_alert")
            if alerts:
                parts.append(self.env._("%(count)s with an alert", count=len(alerts)))
            order.logistics_shipping_status = ", ".join(parts) or False
