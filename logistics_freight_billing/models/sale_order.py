from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

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
