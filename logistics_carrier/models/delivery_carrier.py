from odoo import fields, models

# Notification key -> the mail template that tells the customer.
NOTIFICATIONS = {
    "shipped": "logistics_carrier.mail_template_logistics_shipped",
    "out_for_delivery": "logistics_carrier.mail_template_logistics_out_for_delivery",
    "delivered": "logistics_carrier.mail_template_logistics_delivered",
    "exception": "logistics_carrier.mail_template_logistics_exception",
}


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    logistics_backend_id = fields.Many2one(
        "logistics.backend",
        string="Tracking backend",
        domain=[("kind", "=", "carrier")],
        help="The carrier or tracking service whose API is polled for this method's parcels.",
    )
    logistics_notify_shipped = fields.Boolean(
        string="Tell the customer when shipped",
        help="Mail the customer when the carrier first reports the parcel picked up or in transit.",
    )
    logistics_notify_out_for_delivery = fields.Boolean(string="... out for delivery")
    logistics_notify_delivered = fields.Boolean(string="... delivered")
    logistics_notify_exception = fields.Boolean(
        string="... on a delivery problem",
        help="Exception, failed delivery or customs hold.",
    )

    def _logistics_notifies(self, key):
        """Whether customers of this method are told about ``key``."""
        self.ensure_one()
        return bool(self[f"logistics_notify_{key}"])
