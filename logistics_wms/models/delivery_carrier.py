from odoo import api, fields, models


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

    @api.model
    def _logistics_wms_carrier(self, code, company, current=None):
        """The delivery method a 3PL names ``code`` (its SCAC): the transfer's ``current``
        one when it has that code, else the first one set up with it."""
        if not code:
            return self.browse()
        if current and (current.logistics_wms_code or "").upper() == code.upper():
            return current
        return self.sudo().search(
            [("logistics_wms_code", "=ilike", code), ("company_id", "in", (False, company.id))],
            limit=1,
        )
