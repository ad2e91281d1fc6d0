from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    logistics_wms_tolerance_qty = fields.Float(
        string="3PL stock tolerance",
        digits="Product Unit",
        help="A 3PL's stock that differs from Odoo's by no more than this quantity shows as "
        "matched in its inventory snapshots.",
    )
    logistics_wms_tolerance_percent = fields.Float(
        string="3PL stock tolerance (%)",
        help="The same as a share of Odoo's quantity; where both are set, the larger "
        "allowance applies (a difference within either is matched).",
    )
