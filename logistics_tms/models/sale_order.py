from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    logistics_transport_order_ids = fields.One2many(
        "logistics.transport.order", "sale_order_id", string="Transport orders"
    )
    logistics_transport_count = fields.Integer(compute="_compute_logistics_transport")
    logistics_freight_estimate = fields.Monetary(
        compute="_compute_logistics_transport",
        string="Estimated freight cost",
        currency_field="currency_id",
        help="What the carriers' contract rates say moving this order will cost; freight "
        "billing audits the carriers' invoices against it.",
    )

    @api.depends(
        "logistics_transport_order_ids.estimated_cost", "logistics_transport_order_ids.state"
    )
    def _compute_logistics_transport(self):
        for order in self:
            live = order.logistics_transport_order_ids.filtered(
                lambda transport: transport.state != "cancelled"
            )
            order.logistics_transport_count = len(live)
            order.logistics_freight_estimate = sum(
                transport.currency_id._convert(
                    transport.estimated_cost,
                    order.currency_id,
                    order.company_id,
                    order.date_order or fields.Date.today(),
                )
                for transport in live
            )

    def _action_confirm(self):
        """Deliveries by a delivery method marked *Freight* become a transport order each,
        tendered at once when the method says so."""
        result = super()._action_confirm()
        for order in self:
            pickings = order.picking_ids.filtered(
                lambda picking: (
                    picking.picking_type_code == "outgoing"
                    and picking.carrier_id.logistics_tms_freight
                    and not picking.logistics_transport_order_ids
                    and picking.state not in ("done", "cancel")
                )
            )
            if pickings:
                pickings._logistics_make_transport_order()
        return result

    def action_logistics_transport_orders(self):
        self.ensure_one()
        return self.env["logistics.transport.order"]._list_action(
            [("sale_order_id", "=", self.id)], {"default_sale_order_id": self.id}
        )
