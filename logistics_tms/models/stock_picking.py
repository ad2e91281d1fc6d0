from odoo import fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    logistics_transport_order_ids = fields.Many2many(
        "logistics.transport.order",
        "logistics_transport_order_stock_picking_rel",
        "picking_id",
        "order_id",
        string="Transport orders",
        copy=False,
    )
    logistics_transport_state = fields.Selection(
        related="logistics_transport_order_ids.state", string="Transport"
    )
    logistics_transport_eta = fields.Datetime(
        related="logistics_transport_order_ids.eta", string="ETA"
    )

    def action_logistics_transport_order(self):
        """Make one transport order of the selected transfers (deliveries, or receipts for
        inbound freight), or open the one they have."""
        if self.logistics_transport_order_ids:
            return self.env["logistics.transport.order"]._list_action(
                [("id", "in", self.logistics_transport_order_ids.ids)]
            )
        order = self.env["logistics.transport.order"]._create_from_pickings(self)
        return order._form_action()

    def _logistics_make_transport_order(self):
        """The transport order of these deliveries, tendered when their delivery method
        asks for it; a load that cannot be tendered yet (no lane) waits in draft."""
        order = self.env["logistics.transport.order"]._create_from_pickings(self)
        method = self.carrier_id[:1]
        if method.logistics_tms_mode:
            order.mode = method.logistics_tms_mode
        if method.logistics_tms_auto_tender and order.lane_id.line_ids:
            order.action_tender()
        return order

    def _logistics_transport_direction(self):
        kinds = set(self.mapped("picking_type_code"))
        if kinds - {"outgoing", "incoming"} or len(kinds) != 1:
            raise UserError(
                self.env._(
                    "A transport order moves deliveries or receipts, one kind at a time: "
                    "select only deliveries, or only receipts."
                )
            )
        return "outbound" if kinds == {"outgoing"} else "inbound"
