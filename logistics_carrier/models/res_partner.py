from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_invoice_on_delivery = fields.Boolean(
        string="Invoice on proof of delivery",
        help="Hold this customer's invoices until the carrier reports the goods delivered.",
    )
