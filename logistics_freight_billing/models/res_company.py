from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    logistics_freight_post_bills = fields.Boolean(
        string="Post freight bills",
        help="Post the vendor bills of carrier invoices billed within tolerance; else they "
        "wait in draft for a person.",
    )
    logistics_freight_approval_limit = fields.Monetary(
        string="Freight approval limit",
        currency_field="currency_id",
        help="A variance larger than this is approved by a freight billing manager only "
        "(0: no limit).",
    )
    logistics_freight_journal_id = fields.Many2one(
        "account.journal",
        string="Freight bills journal",
        domain="[('type', '=', 'purchase'), ('company_id', '=', id)]",
        help="Empty: the company's default purchase journal.",
    )
    logistics_freight_accrual_account_id = fields.Many2one(
        "account.account",
        string="Accrued freight account",
        help="The liability account freight delivered and not billed yet is accrued to.",
    )
