from odoo import fields, models

RELEASE_MODES = [
    ("auto", "As soon as ready"),
    ("scheduled", "On a schedule"),
    ("manual", "By a person"),
]
SHORTAGE_POLICIES = [
    ("backorder", "Keep the rest as a backorder"),
    ("cancel", "Cancel the rest"),
]


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    logistics_wms_backend_id = fields.Many2one(
        "logistics.backend",
        string="Operated by (3PL)",
        domain=[("kind", "=", "wms")],
        help="The 3PL or warehouse system that picks, packs and ships this warehouse's "
        "orders: its deliveries and receipts are released to it and validated by its "
        "confirmations.",
    )
    logistics_wms_release_mode = fields.Selection(
        RELEASE_MODES,
        string="Release orders",
        default="auto",
        required=True,
        help="As soon as ready: a delivery goes to the 3PL when its goods are reserved. On a "
        "schedule: the ready ones go every quarter of an hour. By a person: with the "
        "Release button.",
    )
    logistics_wms_hold_unpaid = fields.Boolean(
        string="Hold unpaid orders",
        help="Deliveries of sale orders whose invoices are not all paid wait until they are.",
    )
    logistics_wms_shortage = fields.Selection(
        SHORTAGE_POLICIES,
        string="When the 3PL ships less",
        default="backorder",
        required=True,
    )
    logistics_wms_sla_hours = fields.Integer(
        string="Ship within (hours)",
        default=24,
        help="A released delivery not confirmed shipped within this time shows as late.",
    )
