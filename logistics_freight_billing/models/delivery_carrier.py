from odoo import fields, models


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    logistics_freight_carrier_id = fields.Many2one(
        "res.partner",
        string="Billed by",
        help="The carrier whose freight invoices bill this method's shipments: its delivered "
        "transfers are proposed for its invoices that match nothing.",
    )
    logistics_invoice_on_delivery = fields.Boolean(
        string="Invoice on proof of delivery",
        help="Hold the customer invoice of orders shipped with this method until the "
        "carrier reports them delivered, then create it for the delivered quantities.",
    )
    logistics_post_invoice_on_delivery = fields.Boolean(
        string="Post it", help="Post the invoice created on proof of delivery."
    )
