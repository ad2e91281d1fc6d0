from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.logistics_wms.models import logistics_wms_confirmation as confirmation_module

from .common import WmsCase


@tagged("post_install", "-at_install")
class TestConfirmation(WmsCase):
    def assert_untouched(self, picking, message, *expected):
        """``message`` failed with every one of ``expected`` in its error, and nothing of
        the confirmation was applied."""
        self.assertEqual(message.state, "error")
        for text in expected:
            self.assertIn(text, message.error_text)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(picking.logistics_wms_state, "released")
        self.assertFalse(picking.move_line_ids.filtered("picked"))
        self.assertFalse(
            self.env["logistics.wms.confirmation"].search([("picking_id", "=", picking.id)])
        )

    def test_a_whole_shipment_validates_the_delivery_with_its_lots_package_and_tracking(self):
        _sale, picking = self.confirmed_delivery(tile=10, glue=6)
        message = self.confirm(
            picking,
            [
                {
                    "product_code": "TILE-01",
                    "quantity": 10,
                    "line_number": "1",
                    "package_reference": "00100123450000000019",
                },
                {
                    "product_code": "00012345678905",  # the glue's barcode
                    "quantity": 6,
                    "line_number": "2",
                    "lots": [
                        {"lot_number": "G-200", "quantity": 4},
                        {"lot_number": "G-100", "quantity": 2},
                    ],
                    "package_reference": "00100123450000000019",
                },
            ],
            carrier="KTUPS",
            partner_reference="SHP-1",
            packages=[
                {"reference": "00100123450000000019", "tracking_number": "1Z999AA10123456784"}
            ],
        )
        self.assertEqual(message.state, "done", message.error_text)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.logistics_wms_state, "shipped")
        self.assertEqual(picking.carrier_id, self.ups)
        self.assertEqual(picking.carrier_tracking_ref, "1Z999AA10123456784")
        glue_lines = picking.move_line_ids.filtered(lambda line: line.product_id == self.glue)
        self.assertEqual(
            sorted((line.lot_id.name, line.quantity) for line in glue_lines),
            [("G-100", 2.0), ("G-200", 4.0)],
        )
        self.assertEqual(
            set(picking.move_line_ids.result_package_id.mapped("name")), {"00100123450000000019"}
        )
        confirmation = picking.logistics_wms_confirmation_ids
        self.assertEqual(
            (confirmation.name, confirmation.partner_reference), (picking.name, "SHP-1")
        )
        self.assertEqual(confirmation.quantity, 16.0)
        self.assertFalse(picking.backorder_ids)

    def test_two_partial_shipments_ship_what_each_says_with_a_backorder_between(self):
        _sale, picking = self.confirmed_delivery(tile=10)
        self.confirm(
            picking, [{"product_code": "TILE-01", "quantity": 4}], partner_reference="SHP-1"
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_ids.quantity, 4.0)
        backorder = picking.backorder_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 6.0)
        self.assertEqual(backorder.logistics_wms_state, "released")
        self.assertEqual(backorder.logistics_wms_reference, picking.name)
        self.assertEqual(self.sent_orders(backorder), [], "the rest is at the 3PL already")
        second = self.confirm(
            picking, [{"product_code": "TILE-01", "quantity": 6}], partner_reference="SHP-2"
        )
        self.assertEqual(second.state, "done", second.error_text)
        self.assertEqual(backorder.state, "done")
        self.assertEqual(backorder.logistics_wms_state, "shipped")
        third = self.confirm(
            picking, [{"product_code": "TILE-01", "quantity": 1}], partner_reference="SHP-3"
        )
        self.assertEqual(third.state, "error")
        self.assertIn("more than was released", third.error_text)

    def test_a_shortage_cancels_the_rest_where_the_warehouse_says_so(self):
        self.warehouse.logistics_wms_shortage = "cancel"
        _sale, picking = self.confirmed_delivery(tile=10)
        self.confirm(picking, [{"product_code": "TILE-01", "quantity": 7}])
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.backorder_ids)
        self.assertEqual(picking.logistics_wms_confirmation_ids.quantity_short, 3.0)

    def test_the_same_confirmation_twice_is_applied_once(self):
        _sale, picking = self.confirmed_delivery(tile=10)
        self.confirm(
            picking, [{"product_code": "TILE-01", "quantity": 4}], partner_reference="SHP-1"
        )
        again = self.confirm(
            picking,
            [{"product_code": "TILE-01", "quantity": 4}],
            partner_reference="SHP-1",
            order_reference=picking.name,
        )
        self.assertEqual(again.state, "done")
        self.assertEqual(picking.backorder_ids.state, "assigned", "the rest was not shipped twice")
        self.assertEqual(
            len(self.env["logistics.wms.confirmation"].search([("name", "=", picking.name)])), 1
        )

    def test_a_bad_confirmation_is_applied_not_at_all_and_names_each_line_and_field(self):
        self.warehouse.out_type_id.use_create_lots = False
        _sale, picking = self.confirmed_delivery(tile=10, glue=2)
        message = self.confirm(
            picking,
            [
                {"product_code": "TILE-01", "quantity": 12, "line_number": "1"},
                {"product_code": "NOPE-9", "quantity": 1, "line_number": "2"},
                {
                    "product_code": "GLUE-02",
                    "quantity": 2,
                    "line_number": "3",
                    "lots": [{"lot_number": "G-999"}],
                },
            ],
        )
        self.assert_untouched(
            picking,
            message,
            "line 1, quantity: 12",
            "line 2, product: no product has the code 'NOPE-9'",
            "line 3, lot: G-999",
        )

    def test_a_unit_the_3pl_does_not_map_is_an_error_and_a_mapped_one_converts(self):
        _sale, picking = self.confirmed_delivery(tile=24)
        message = self.confirm(picking, [{"product_code": "TILE-01", "quantity": 2, "uom": "CS"}])
        self.assert_untouched(picking, message, "unit: 'CS'")
        self.env["logistics.wms.uom"].create(
            {
                "backend_id": self.backend.id,
                "uom_id": self.env.ref("uom.product_uom_dozen").id,
                "code": "CS",
            }
        )
        message.action_retry()
        message.work_now()
        self.assertEqual(message.state, "done", message.error_text)
        self.assertEqual(picking.move_ids.quantity, 24.0)

    def test_a_tracked_product_without_lots_is_an_error(self):
        _sale, picking = self.confirmed_delivery(tile=1, glue=2)
        message = self.confirm(
            picking,
            [
                {"product_code": "TILE-01", "quantity": 1},
                {"product_code": "GLUE-02", "quantity": 2, "line_number": "7"},
            ],
        )
        self.assert_untouched(
            picking,
            message,
            "line 7, lots: [GLUE-02] Tile glue is tracked by lot and the line names none",
        )

    def test_a_receipt_confirmation_receives_with_new_lots(self):
        receipt_type = self.warehouse.in_type_id
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": receipt_type.id,
                "partner_id": self.customer.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.glue.id,
                            "product_uom_qty": 30,
                            "location_id": receipt_type.default_location_src_id.id,
                            "location_dest_id": receipt_type.default_location_dest_id.id,
                        },
                    ),
                ],
            }
        )
        receipt.action_confirm()
        self.assertEqual(receipt.logistics_wms_state, "released")
        (order,) = self.sent_orders(receipt)
        self.assertEqual((order.kind, order.lines[0].quantity), ("inbound", 30.0))
        message = self.confirm(
            receipt,
            [
                {
                    "product_code": "GLUE-02",
                    "quantity": 30,
                    "quantity_damaged": 2,
                    "lots": [{"lot_number": "G-300"}],
                }
            ],
            kind="receipt",
        )
        self.assertEqual(message.state, "done", message.error_text)
        self.assertEqual(receipt.state, "done")
        self.assertEqual(receipt.logistics_wms_state, "received")
        self.assertEqual(receipt.move_line_ids.lot_id.name, "G-300")
        self.assertEqual(receipt.logistics_wms_confirmation_ids.line_ids.quantity_damaged, 2.0)

    def test_a_945_over_edi_validates_the_delivery(self):
        _sale, picking = self.confirmed_delivery(tile=10, glue=4)
        body = [
            ["W06", "N", picking.name, "20261201", "SHP-945-1"],
            ["N1", "WH", "Keystone Memphis", "9", "KEYMEM"],
            ["W27", "M", "KTUPS", "GROUND"],
            ["LX", "1"],
            ["MAN", "GM", "00100123450000000026", "", "CP", "1Z999AA10123456799"],
            ["W12", "CC", "10", "10", "", "EA", "", "VN", "TILE-01"],
            ["N9", "LI", "1"],
            ["LX", "2"],
            ["MAN", "GM", "00100123450000000033", "", "CP", "1Z999AA10123456800"],
            ["W12", "CP", "4", "3", "1", "EA", "", "VN", "GLUE-02"],
            ["N9", "LI", "2"],
            ["N9", "LT", "G-100", "3"],
            ["W03", "13", "410", "LB"],
        ]
        documents = self.edi_sends("945", body)
        self.assertEqual(documents.mapped("state"), ["done"], documents.mapped("error_text"))
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_id, self.ups)
        self.assertEqual(
            set(picking.carrier_tracking_ref.split(",")),
            {"1Z999AA10123456799", "1Z999AA10123456800"},
        )
        glue_line = picking.move_line_ids.filtered(lambda line: line.product_id == self.glue)
        self.assertEqual(
            (glue_line.lot_id.name, glue_line.quantity, glue_line.result_package_id.name),
            ("G-100", 3.0, "00100123450000000033"),
        )
        self.assertEqual(picking.backorder_ids.move_ids.product_uom_qty, 1.0)
        confirmation = picking.logistics_wms_confirmation_ids
        self.assertEqual(confirmation.partner_reference, "SHP-945-1")
        self.assertEqual(confirmation.quantity_short, 1.0)

    def test_a_stock_user_sees_what_the_3pl_did_on_the_delivery(self):
        _sale, picking = self.confirmed_delivery(tile=10)
        self.confirm(picking, [{"product_code": "TILE-01", "quantity": 4}], partner_reference="S1")
        clerk = self.env["res.users"].create(
            {
                "name": "Stock clerk",
                "login": "wms-stock-clerk",
                "group_ids": [(6, 0, [self.env.ref("stock.group_stock_user").id])],
            }
        )
        names = [name for name in picking._fields if name.startswith("logistics_wms_")]
        (values,) = picking.with_user(clerk).read(names)
        self.assertEqual(values["logistics_wms_backend_name"], "Keystone 3PL")
        confirmation = picking.with_user(clerk).logistics_wms_confirmation_ids
        self.assertEqual(confirmation.read(["backend_name", "quantity"])[0]["quantity"], 4.0)
        backorder = picking.backorder_ids.with_user(clerk)
        self.assertEqual(backorder.read(names)[0]["logistics_wms_state"], "released")

    def test_serial_numbers_ship_one_unit_each(self):
        cutter = self.env["product.product"].create(
            {
                "name": "Tile cutter",
                "default_code": "CUT-03",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        for name in ("SN-1", "SN-2", "SN-3"):
            serial = self.env["stock.lot"].create({"name": name, "product_id": cutter.id})
            self.env["stock.quant"]._update_available_quantity(
                cutter, self.warehouse.lot_stock_id, 1, lot_id=serial
            )
        sale = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [(0, 0, {"product_id": cutter.id, "product_uom_qty": 2})],
            }
        )
        sale.action_confirm()
        picking = sale.picking_ids
        serials = [{"lot_number": "SN-1"}, {"lot_number": "SN-1"}]
        message = self.confirm(
            picking,
            [{"product_code": "CUT-03", "quantity": 2.0, "line_number": "4", "lots": serials}],
        )
        self.assert_untouched(
            picking,
            message,
            "line 4, serial numbers: [CUT-03] Tile cutter is tracked by serial number, one unit "
            "each, and the line ships 2.0 with SN-1, SN-1",
        )
        message = self.confirm(
            picking,
            [
                {
                    "product_code": "CUT-03",
                    "quantity": 2.0,
                    "lots": [{"lot_number": "SN-3", "quantity": 2.0}],
                }
            ],
        )
        self.assert_untouched(picking, message, "ships 2.0 with SN-3 (2.0)")
        message = self.confirm(
            picking,
            [
                {
                    "product_code": "CUT-03",
                    "quantity": 2.0,
                    "lots": [{"lot_number": "SN-3"}, {"lot_number": "SN-2", "quantity": 1}],
                }
            ],
        )
        self.assertEqual(message.state, "done", message.error_text)
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            sorted(picking.move_line_ids.mapped(lambda line: (line.lot_id.name, line.quantity))),
            [("SN-2", 1.0), ("SN-3", 1.0)],
        )

    def test_confirmations_of_several_orders_are_validated_together_and_each_fails_alone(self):
        first, second, third = (self.confirmed_delivery(tile=4)[1] for _ in range(3))
        tile = "TILE-01"
        messages = [
            self.confirmation(
                first, [{"product_code": tile, "quantity": 4.0}], partner_reference="S1"
            ),
            self.confirmation(
                second, [{"product_code": tile, "quantity": 1.0}], partner_reference="S2"
            ),
            self.confirmation(
                third,
                [{"product_code": tile, "quantity": 9.0, "line_number": "1"}],
                partner_reference="S3",
            ),
            # The rest of the second order, in the same batch: applied after the first part.
            self.confirmation(
                second, [{"product_code": tile, "quantity": 3.0}], partner_reference="S4"
            ),
        ]
        worked = self.env["logistics.message"].browse(m.id for m in messages)
        with patch.object(
            confirmation_module, "apply_plans", wraps=confirmation_module.apply_plans
        ) as applied:
            worked.work_now()
        self.assertEqual(
            [len(call.args[0]) for call in applied.call_args_list],
            [2, 1],
            "the first and second orders validated in one go, the second's rest after them",
        )
        self.assertEqual(worked.mapped("state"), ["done", "done", "error", "done"])
        self.assertIn("line 1, quantity: 9.0", messages[2].error_text)
        self.assertEqual((first.state, first.logistics_wms_state), ("done", "shipped"))
        self.assertEqual(second.state, "done")
        backorder = second.logistics_wms_confirmation_ids.backorder_id
        self.assertEqual((backorder.state, backorder.move_ids.quantity), ("done", 3.0))
        self.assertEqual((third.state, third.logistics_wms_state), ("assigned", "released"))
        self.assertEqual(
            len(
                self.env["logistics.wms.confirmation"].search(
                    [("backend_id", "=", self.backend.id)]
                )
            ),
            3,
        )
