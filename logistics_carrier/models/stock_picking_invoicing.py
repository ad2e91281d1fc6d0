from odoo import models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    """Invoicing on proof of delivery, hung on the status-change hook of the tracking.

    It moves to the freight billing addon when that exists.
    """

    _inherit = "stock.picking"

    def _logistics_on_status_change(self, old, new):
        result = super()._logistics_on_status_change(old, new)
        if new == "delivered":
            self._logistics_release_invoice()
        return result

    def _logistics_holds_invoice(self):
        """Whether this delivery's customer invoice waits for proof of delivery."""
        self.ensure_one()
        return bool(
            self.picking_type_code == "outgoing"
            and self.state != "cancel"
            and (
                self.carrier_id.logistics_invoice_on_delivery
                or self.partner_id.commercial_partner_id.logistics_invoice_on_delivery
            )
        )

    def _logistics_release_invoice(self):
        """Proof of delivery: invoice the delivered quantities of the sale order."""
        order = self.sale_id
        if not order or not self._logistics_holds_invoice():
            return
        if order._logistics_held_pickings():
            return  # other deliveries of the order still travel
        try:
            invoices = order.with_context(logistics_pod_release=True)._create_invoices()
        except UserError as exc:
            self.message_post(
                body=self.env._("Delivered, but no invoice was created: %(reason)s", reason=exc)
            )
            return
        invoices.write(
            {
                "logistics_pod_picking_id": self.id,
                "logistics_pod_at": self.logistics_delivered_at,
                "logistics_pod_signed_by": self.logistics_signed_by,
            }
        )
        if self.carrier_id.logistics_post_invoice_on_delivery:
            invoices.action_post()
        self.message_post(
            body=self.env._(
                "Proof of delivery: invoice %(invoices)s created.",
                invoices=", ".join(invoices.mapped("display_name")),
            )
        )
