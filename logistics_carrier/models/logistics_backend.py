from odoo import fields, models


class LogisticsBackend(models.Model):
    _inherit = "logistics.backend"

    tracking_poll_type_id = fields.Many2one(
        "logistics.message.type",
        string="Tracking polling flow",
        domain=[("direction", "=", "inbound")],
        help="For carriers without webhooks (tracking APIs that answer when asked): the flow "
        "their answers are stored under; its format says how to ask. Leave empty not to poll.",
    )
    tracking_poll_max_days = fields.Integer(
        string="Poll for (days)",
        default=30,
        help="Deliveries older than this are no longer polled.",
    )
