from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import UserError


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

    def _logistics_held_pickings(self):
        """Deliveries whose proof of delivery the invoice still waits for."""
        return self.picking_ids.filtered(
            lambda picking: (
                picking._logistics_holds_invoice() and picking.logistics_status != "delivered"
            )
        )

    def _create_invoices(self, grouped=False, final=False, date=None):
        if not self.env.context.get("logistics_pod_release"):
            held = self._logistics_held_pickings()
            if held:
                raise UserError(
                    self.env._(
                        "The invoice is held until the carrier confirms delivery of "
                        "%(pickings)s (invoice on proof of delivery). It is created "
                        "automatically then; to invoice now, untick 'Invoice on proof of "
                        "delivery' on the delivery method or the customer.",
                        pickings=", ".join(held.mapped("name")),
                    )
                )
        return super()._create_invoices(grouped=grouped, final=final, date=date)
