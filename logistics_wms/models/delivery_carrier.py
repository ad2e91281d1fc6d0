from odoo import fields, models


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    logistics_wms_code = fields.Char(
        string="3PL carrier code",
        help="The carrier's code in orders released to a 3PL and in its confirmations (the "
        "SCAC in X12 W66 and W27): a confirmation naming it sets this delivery method.",
    )
    logistics_wms_service = fields.Char(
        string="3PL service code",
        help="The service level sent with released orders (W66 service), when the 3PL needs one.",
    )
