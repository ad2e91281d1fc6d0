from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_eori = fields.Char(
        string="EORI",
        help="Economic Operators Registration and Identification number, which customs "
        "declarations name traders by (GB123456789000, DE1234567...).",
    )
