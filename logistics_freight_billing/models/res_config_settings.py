from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_freight_post_bills = fields.Boolean(
        related="company_id.logistics_freight_post_bills", readonly=False
    )
    logistics_freight_approval_limit = fields.Monetary(
        related="company_id.logistics_freight_approval_limit", readonly=False
    )
    logistics_freight_journal_id = fields.Many2one(
        related="company_id.logistics_freight_journal_id", readonly=False
    )
    logistics_freight_accrual_account_id = fields.Many2one(
        related="company_id.logistics_freight_accrual_account_id", readonly=False
    )
