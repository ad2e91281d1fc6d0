from odoo import fields, models

from .logistics_transport_order import MODES


class DeliveryCarrier(models.Model):
    """A delivery method can stand for freight: its deliveries become transport orders
    when the sale order is confirmed, and may be tendered at once."""

    _inherit = "delivery.carrier"

    logistics_tms_freight = fields.Boolean(
        string="Freight (transport order)",
        help="Deliveries by this method become a transport order when the sale order is confirmed.",
    )
    logistics_tms_mode = fields.Selection(MODES, string="Transport mode")
    logistics_tms_auto_tender = fields.Boolean(
        string="Tender at once",
        help="Tender the load down the routing guide as soon as it is made.",
    )
