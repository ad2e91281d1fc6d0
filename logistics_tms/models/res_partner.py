from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_scac = fields.Char(
        string="SCAC",
        size=4,
        index="btree_not_null",
        help="Standard Carrier Alpha Code: the carrier's identity in load tenders and "
        "status messages.",
    )
    logistics_tms_backend_id = fields.Many2one(
        "logistics.backend",
        string="Tender through",
        groups="logistics_integration.group_logistics_user",
        help="The partner system load tenders to this carrier go through (its EDI or API backend).",
    )
