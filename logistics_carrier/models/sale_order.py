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
        for order in self:
            parts = order._logistics_status_counts("logistics_status")
            alerts = order.picking_ids.filtered(lambda p: p.logistics_status and p.logistics_alert)
            if alerts:
                parts.append(self.env._("%(count)s with an alert", count=len(alerts)))
            order.logistics_shipping_status = ", ".join(parts) or False

    def _logistics_status_counts(self, field):
        """``["2 delivered", "1 in transit"]``: how many of this order's transfers stand in
        each value of their selection ``field`` (those without one left out)."""
        self.ensure_one()
        labels = dict(self.env["stock.picking"]._fields[field].selection)
        counts = Counter(value for value in self.picking_ids.mapped(field) if value)
        return [f"{count} {labels[value].lower()}" for value, count in counts.items()]
