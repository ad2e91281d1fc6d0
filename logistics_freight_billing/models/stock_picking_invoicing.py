import json

from odoo import models
from odoo.exceptions import UserError

from logistics_adapters.errors import BusinessError

INVOICE_FLOW = "logistics_freight_billing.logistics_message_type_invoice_on_delivery"


class StockPicking(models.Model):
    """Invoicing on proof of delivery, hung on the status-change hook of the tracking.

    The carrier's *delivered* (a parcel's delivered event, or a load's delivery milestone
    reaching the transport order's deliveries) queues the invoice as an engine message of
    its own (flow *Invoice on proof of delivery*), worked after the tracking in a savepoint
    of its own: an accounting failure waits in the workbench and leaves the tracking
    applied.
    """

    _inherit = "stock.picking"

    def _logistics_on_status_change(self, old, new):
        result = super()._logistics_on_status_change(old, new)
        if new == "delivered" and self.sale_id and self._logistics_holds_invoice():
            self._logistics_queue_invoice()
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

    def _logistics_queue_invoice(self):
        """Queue the release of the order's invoice on this proof of delivery; the message.

        Its idempotency key is this delivery's: a delivered event sent or replayed again
        queues nothing more.
        """
        self.ensure_one()
        payload = {"picking_id": self.id, "picking": self.name, "sale_order": self.sale_id.name}
        message, _created = (
            self.env["logistics.message"]
            .sudo()
            .store_inbound(
                self.logistics_backend_id.sudo(),
                self.env.ref(INVOICE_FLOW).sudo(),
                json.dumps(payload, sort_keys=True).encode(),
                idempotency_key=f"invoice-on-delivery/stock.picking/{self.id}",
                content_type="application/json",
                partner_ref=self.sale_id.name,
                record=self,
            )
        )
        return message

    def _logistics_invoice_on_delivery(self):
        """Invoice the delivered quantities of the sale order on this proof of delivery.

        Once per delivery, however often the release is retried or replayed, and not while
        other deliveries of the order still travel. Return the invoices created; an
        accounting failure raises a ``BusinessError`` that says what to do.
        """
        self.ensure_one()
        order = self.sale_id
        if self._logistics_pod_invoices():
            return self.env["account.move"]
        held = order._logistics_held_pickings()
        if held:
            self.message_post(
                body=self.env._(
                    "Delivered; the invoice of %(order)s waits for the proof of delivery of "
                    "%(pickings)s.",
                    order=order.name,
                    pickings=", ".join(held.mapped("name")),
                )
            )
            return self.env["account.move"]
        if order.invoice_status != "to invoice":
            self.message_post(
                body=self.env._(
                    "Delivered; nothing is left to invoice on %(order)s.", order=order.name
                )
            )
            return self.env["account.move"]
        try:
            invoices = self._logistics_create_pod_invoices()
        except UserError as exc:
            raise BusinessError(
                self.env._(
                    "The customer invoice of %(order)s (proof of delivery of %(picking)s) "
                    "could not be created or posted: %(error)s\nFix this in Accounting or on "
                    "the sale order, then retry this message; or cancel it and invoice the "
                    "order by hand.",
                    order=order.name,
                    picking=self.name,
                    error=exc,
                )
            ) from exc
        done = self.env._(
            "Proof of delivery: invoice %(invoices)s created.",
            invoices=", ".join(invoices.mapped("display_name")),
        )
        alerts = self._logistics_invoice_alerts()
        if alerts:
            alerts.action_feedback(feedback=done)
        self.message_post(body=done)
        return invoices

    def _logistics_pod_invoices(self):
        """The invoices already released by this delivery's proof of delivery."""
        return self.env["account.move"].search(
            [("logistics_pod_picking_id", "=", self.id), ("state", "!=", "cancel")]
        )

    def _logistics_create_pod_invoices(self):
        invoices = self.sale_id.with_context(logistics_pod_release=True)._create_invoices()
        invoices.write(
            {
                "logistics_pod_picking_id": self.id,
                "logistics_pod_at": self.logistics_delivered_at,
                "logistics_pod_signed_by": self.logistics_signed_by,
            }
        )
        if self.carrier_id.logistics_post_invoice_on_delivery:
            invoices.action_post()
        return invoices

    def _logistics_invoice_alert_summary(self):
        return self.env._("Invoice on proof of delivery failed")

    def _logistics_invoice_alerts(self):
        summary = self._logistics_invoice_alert_summary()
        return self.activity_ids.filtered(lambda activity: activity.summary == summary)

    def _logistics_flag_invoice_failure(self, message, error):
        """Give the backend's responsible person a to-do: the invoice release failed."""
        if self._logistics_invoice_alerts():
            return
        self._logistics_todo(
            message.backend_id.user_id or self.sale_id.user_id or self.env.user,
            self._logistics_invoice_alert_summary(),
            self.env._(
                "%(error)s (message %(message)s, in Logistics Integration > Workbench)",
                error=error,
                message=message.name,
            ),
        )
