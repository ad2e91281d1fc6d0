from odoo import fields, models


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    logistics_freight_carrier_id = fields.Many2one(
        "res.partner",
        string="Billed by",
        help="The carrier whose freight invoices bill this method's shipments: its delivered "
        "transfers are proposed for its invoices that match nothing.",
    )
