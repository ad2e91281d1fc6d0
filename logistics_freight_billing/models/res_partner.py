from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_freight_key_ids = fields.One2many(
        "logistics.freight.match.key",
        "carrier_id",
        string="Match invoices by",
        help="The references this carrier's invoices are matched to shipments by, in order; "
        "empty: PRO, bill of lading, tracking number, shipment id, purchase order.",
    )
