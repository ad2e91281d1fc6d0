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
