from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import WmsCase


@tagged("post_install", "-at_install")
class TestRelease(WmsCase):
    def test_a_reserved_delivery_goes_to_the_3pl_as_a_940_with_its_lines(self):
        sale, picking = self.confirmed_delivery(tile=10, glue=5)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(picking.logistics_wms_state, "released")
        self.assertEqual(picking.logistics_wms_reference, picking.name)
        self.assertEqual(picking.logistics_wms_backend_id, self.backend)
        (order,) = self.sent_orders(picking)
        self.assertEqual(
            (order.reference, order.purpose, order.kind), (picking.name, "original", "outbound")
        )
        self.assertEqual(order.references.get("order"), sale.name)
        self.assertEqual(order.references.get("purchase_order"), "PO-8841")
        self.assertEqual(
            [(line.product_code, line.quantity, line.uom) for line in order.lines],
            [("TILE-01", 10.0, "EA"), ("GLUE-02", 5.0, "EA")],
        )
        self.assertEqual((order.ship_to.company, order.ship_to.city), ("Orlando Tiles", "Orlando"))
        written = [f.read_bytes() for f in self.folder.iterdir()]
        mine = [data for data in written if b"ST*940" in data and picking.name.encode() in data]
        self.assertEqual(len(mine), 1, "the 940 is written to the 3PL's folder, once")

    def test_a_3pl_unit_code_is_sent_instead_of_the_standard_one(self):
        self.env["logistics.wms.uom"].create(
            {
                "backend_id": self.backend.id,
                "uom_id": self.env.ref("uom.product_uom_unit").id,
                "code": "PC",
            }
        )
        _sale, picking = self.confirmed_delivery(tile=3)
        (order,) = self.sent_orders(picking)
        self.assertEqual(order.lines[0].uom, "PC")

    def test_the_lot_a_customer_asked_for_is_reserved_and_asked_of_the_3pl(self):
        wanted = self.env["stock.lot"].search([("name", "=", "G-200")])
        sale = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    (0, 0, {"product_id": self.glue.id, "product_uom_qty": 4}),
                    (
                        0,
                        0,
                        {
                            "product_id": self.glue.id,
                            "product_uom_qty": 3,
                            "logistics_wms_lot_id": wanted.id,
                        },
                    ),
                ],
            }
        )
        sale.action_confirm()
        picking = sale.picking_ids
        asked = picking.move_ids.filtered("logistics_wms_lot_id")
        self.assertEqual((len(picking.move_ids), asked.product_uom_qty), (2, 3.0))
        self.assertEqual(asked.move_line_ids.lot_id, wanted, "Odoo reserves the lot asked for")
        (order,) = self.sent_orders(picking)
        self.assertEqual(
            sorted((line.quantity, line.lot_number) for line in order.lines),
            [(3.0, "G-200"), (4.0, "")],
        )
        asked.logistics_wms_lot_id = self.env["stock.lot"].search([("name", "=", "G-100")])
        change = self.sent_orders(picking)[-1]
        self.assertEqual(change.purpose, "change")
        self.assertIn((3.0, "G-100"), [(line.quantity, line.lot_number) for line in change.lines])

    def test_manual_release_waits_for_a_manager(self):
        self.warehouse.logistics_wms_release_mode = "manual"
        _sale, picking = self.confirmed_delivery(tile=2)
        self.assertFalse(picking.logistics_wms_state)
        stock_user = self.env["res.users"].create(
            {
                "name": "Stock clerk",
                "login": "wms-clerk",
                "group_ids": [(6, 0, [self.env.ref("stock.group_stock_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            picking.with_user(stock_user).action_logistics_wms_release()
        picking.action_logistics_wms_release()
        self.assertEqual(picking.logistics_wms_state, "released")

    def test_unpaid_orders_are_held_then_released_by_the_schedule_once_paid(self):
        self.warehouse.logistics_wms_hold_unpaid = True
        sale, picking = self.confirmed_delivery(tile=2)
        self.assertEqual(picking.logistics_wms_state, "held")
        self.assertIn(sale.name, picking._logistics_wms_held_because())
        with self.assertRaisesRegex(UserError, "is not paid"):
            picking.action_logistics_wms_release()
        self.warehouse.logistics_wms_hold_unpaid = False
        picking._cron_logistics_wms_release()
        self.assertEqual(picking.logistics_wms_state, "released")

    def test_a_person_holds_a_delivery_and_releases_the_hold(self):
        self.warehouse.logistics_wms_release_mode = "manual"
        _sale, picking = self.confirmed_delivery(tile=2)
        picking.action_logistics_wms_hold()
        self.assertEqual(picking.logistics_wms_state, "held")
        with self.assertRaisesRegex(UserError, "held by"):
            picking.action_logistics_wms_release()
        picking.action_logistics_wms_unhold()
        self.assertFalse(picking.logistics_wms_state, "manual mode: released by a person")
        picking.action_logistics_wms_release()
        self.assertEqual(picking.logistics_wms_state, "released")

    def test_a_change_and_a_cancellation_in_odoo_are_sent(self):
        _sale, picking = self.confirmed_delivery(tile=10)
        picking.move_ids.product_uom_qty = 7
        picking.action_cancel()
        self.assertEqual(picking.logistics_wms_state, "cancelled")
        orders = self.sent_orders(picking)
        self.assertEqual([order.purpose for order in orders], ["original", "change", "cancel"])
        self.assertEqual(orders[1].lines[0].quantity, 7.0)

    def test_a_released_delivery_is_validated_by_the_3pl_not_by_hand(self):
        _sale, picking = self.confirmed_delivery(tile=10, glue=2)
        with self.assertRaisesRegex(UserError, "at the 3PL"):
            picking.button_validate()
        glue_line = picking.move_line_ids.filtered(lambda line: line.product_id == self.glue)
        with self.assertRaisesRegex(UserError, "at the 3PL"):
            glue_line.write({"picked": True})
        picking.action_logistics_wms_recall()
        self.assertEqual(picking.logistics_wms_state, "recalled")
        self.assertEqual(self.sent_orders(picking)[-1].purpose, "cancel")
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_the_late_filter_finds_orders_not_shipped_in_time(self):
        _sale, picking = self.confirmed_delivery(tile=1)
        Picking = self.env["stock.picking"]
        self.assertNotIn(picking, Picking.search([("logistics_wms_late", "=", True)]))
        picking.logistics_wms_released_at = "2026-01-01 08:00:00"
        self.assertTrue(picking.logistics_wms_late)
        self.assertIn(picking, Picking.search([("logistics_wms_late", "=", True)]))
        self.assertNotIn(picking, Picking.search([("logistics_wms_late", "=", False)]))

    def test_the_overview_counts_each_warehouse_open_held_late_and_to_release(self):
        self.warehouse.logistics_wms_release_mode = "manual"
        _sale, waiting = self.confirmed_delivery(tile=1)
        _sale, held = self.confirmed_delivery(tile=1)
        held.action_logistics_wms_hold()
        _sale, late = self.confirmed_delivery(tile=1)
        _sale, on_time = self.confirmed_delivery(tile=1)
        (late | on_time).action_logistics_wms_release()
        late.logistics_wms_released_at = "2026-01-01 08:00:00"
        warehouse = self.warehouse
        self.assertEqual(
            (
                warehouse.logistics_wms_count_to_release,
                warehouse.logistics_wms_count_held,
                warehouse.logistics_wms_count_open,
                warehouse.logistics_wms_count_late,
                warehouse.logistics_wms_count_receipts,
            ),
            (1, 1, 2, 1, 0),
        )
        opened = {
            count: self.env["stock.picking"].search(
                warehouse.with_context(logistics_wms_count=count).action_logistics_wms_open()[
                    "domain"
                ]
            )
            for count in ("to_release", "held", "open", "late")
        }
        self.assertEqual(
            opened,
            {"to_release": waiting, "held": held, "open": late | on_time, "late": late},
        )
        other = self.env.ref("stock.warehouse0")
        self.assertFalse(other.logistics_wms_backend_id)
        self.assertEqual(other.logistics_wms_count_open, 0, "a warehouse without a 3PL counts none")
