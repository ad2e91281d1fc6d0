from odoo import fields, models


class LogisticsBackend(models.Model):
    _inherit = "logistics.backend"

    provider = fields.Selection(
        selection_add=[
            ("easypost", "EasyPost"),
            ("aftership", "AfterShip"),
            ("shipengine", "ShipEngine"),
            ("ups", "UPS"),
            ("fedex", "FedEx"),
            ("dhl", "DHL"),
        ],
        ondelete={
            "easypost": "set default",
            "aftership": "set default",
            "shipengine": "set default",
            "ups": "set default",
            "fedex": "set default",
            "dhl": "set default",
        },
    )
    tracking_poll_type_id = fields.Many2one(
        "logistics.message.type",
        string="Tracking polling flow",
        domain=[("direction", "=", "inbound")],
        help="For carriers without webhooks (UPS, FedEx, DHL tracking APIs): the flow their "
        "answers are stored under. Leave empty not to poll.",
    )
    tracking_poll_max_days = fields.Integer(
        string="Poll for (days)",
        default=30,
        help="Deliveries older than this are no longer polled.",
    )
