from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTransportDemo(TransactionCase):
    """The demo shows every stage of a load, through the real flows."""

    def test_four_loads_at_every_stage(self):
        lane = self.env.ref("logistics_tms.logistics_routing_lane_california_demo")
        orders = self.env["logistics.transport.order"].search([("lane_id", "=", lane.id)])
        self.assertEqual(
            sorted(orders.mapped("state")), ["declined", "delivered", "in_transit", "tendered"]
        )
        nobody = orders.filtered(lambda order: order.state == "declined")
        self.assertEqual(set(nobody.tender_ids.mapped("state")), {"declined"})
        self.assertEqual(len(nobody.tender_ids), 3)
        self.assertTrue(nobody.activity_ids)
        moving = orders.filtered(lambda order: order.state == "in_transit")
        self.assertTrue(moving.eta)
        self.assertEqual(moving.milestone_ids.mapped("partner_status").count("AF"), 1)
        delivered = orders.filtered(lambda order: order.state == "delivered")
        self.assertEqual(delivered.picking_ids.logistics_status, "delivered")
        self.assertTrue(delivered.pro_number.startswith("PRFR"))
        self.assertEqual(delivered.sale_order_id.logistics_freight_estimate, 1450.0)
