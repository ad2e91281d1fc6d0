from datetime import datetime, timedelta

from odoo.tests import tagged

from logistics_adapters import canonical as c

from .common import WmsCase


@tagged("post_install", "-at_install")
class TestSnapshot(WmsCase):
    def snapshot(self, lines, taken_at=None, **values):
        """The 3PL sends its stock: ``lines`` are (code, quantity[, lot[, unit code]])."""
        document = c.InventorySnapshot(
            warehouse=self.warehouse.code,
            taken_at=taken_at or datetime.now().replace(microsecond=0),
            lines=[
                c.InventoryLine(product_code=code, quantity=quantity, lot_number=lot, uom=uom)
                for code, quantity, *more in lines
                for lot, uom in [(*more, "", "")[:2]]
            ],
            **values,
        )
        message = self.send(document, "logistics_wms.logistics_message_type_wms_inventory_json")
        self.assertEqual(message.state, "done", message.error_text)
        return self.env["logistics.wms.snapshot"].search([("message_id", "=", message.id)])

    def by_product(self, snapshot):
        return {
            (line.product_code, line.lot_name): (line.quantity_odoo, line.quantity_3pl, line.state)
            for line in snapshot.line_ids
        }

    def test_a_snapshot_lists_each_difference_beside_odoo_and_matches_the_rest(self):
        self.tile.standard_price = 2.5
        snapshot = self.snapshot(
            [("TILE-01", 96), ("GLUE-02", 20, "G-100"), ("GLUE-02", 18, "G-200"), ("ZZ-404", 3)]
        )
        self.assertEqual(
            self.by_product(snapshot),
            {
                ("TILE-01", ""): (100.0, 96.0, "difference"),
                ("GLUE-02", "G-100"): (20.0, 20.0, "matched"),
                ("GLUE-02", "G-200"): (20.0, 18.0, "difference"),
                ("ZZ-404", ""): (0.0, 3.0, "unknown"),
            },
        )
        self.assertEqual((snapshot.difference_count, snapshot.unknown_count), (2, 1))
        tile_line = snapshot.line_ids.filtered(lambda line: line.product_id == self.tile)
        self.assertEqual((tile_line.difference, tile_line.value), (-4.0, -10.0))

    def test_what_odoo_holds_and_a_whole_snapshot_omits_is_a_difference_to_zero(self):
        snapshot = self.snapshot([("TILE-01", 100)])
        self.assertEqual(self.by_product(snapshot)[("GLUE-02", "G-100")], (20.0, 0.0, "difference"))
        partial = self.snapshot([("TILE-01", 100)], partial=True)
        self.assertEqual(list(self.by_product(partial)), [("TILE-01", "")])

    def test_the_category_tolerance_matches_small_differences(self):
        self.tile.categ_id = self.env["product.category"].create(
            {"name": "Tiles", "logistics_wms_tolerance_percent": 5}
        )
        snapshot = self.snapshot([("TILE-01", 96)], partial=True)
        self.assertEqual(self.by_product(snapshot)[("TILE-01", "")][2], "matched")

    def test_odoo_is_compared_at_the_snapshot_time_not_now(self):
        before = datetime.now().replace(microsecond=0) - timedelta(hours=1)
        _sale, picking = self.confirmed_delivery(tile=10)
        self.confirm(picking, [{"product_code": "TILE-01", "quantity": 10}])
        self.assertEqual(self.tile.with_context(warehouse_id=self.warehouse.id).qty_available, 90)
        snapshot = self.snapshot([("TILE-01", 100)], taken_at=before, partial=True)
        self.assertEqual(self.by_product(snapshot)[("TILE-01", "")], (100.0, 100.0, "matched"))

    def test_applying_chosen_differences_fixes_the_quants_with_the_snapshot_as_reason(self):
        snapshot = self.snapshot(
            [("TILE-01", 96), ("GLUE-02", 20, "G-100"), ("GLUE-02", 18, "G-200")]
        )
        tile_line = snapshot.line_ids.filtered(lambda line: line.product_id == self.tile)
        overview = self.warehouse
        self.assertEqual(overview.logistics_wms_count_differences, 2, "the overview counts both")
        self.assertEqual(
            overview.logistics_wms_difference_value, sum(snapshot.line_ids.mapped("abs_value"))
        )
        self.assertEqual(overview.logistics_wms_last_snapshot_at, snapshot.taken_at)
        tile_line.action_apply()
        overview.invalidate_recordset()
        self.assertEqual(overview.logistics_wms_count_differences, 1)
        self.assertEqual(self.tile.with_context(warehouse_id=self.warehouse.id).qty_available, 96)
        self.assertEqual(tile_line.state, "applied")
        self.assertEqual(snapshot.difference_count, 1, "the glue's difference is still open")
        move = self.env["stock.move"].search(
            [("product_id", "=", self.tile.id)], order="id desc", limit=1
        )
        self.assertIn(snapshot.name, move.reference)
        snapshot.action_apply_all()
        glue = self.glue.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(glue.qty_available, 38)
        self.assertEqual(snapshot.difference_count, 0)

    def test_a_snapshot_over_edi_is_stored_from_an_846(self):
        body = [
            ["BIA", "00", "MM", "INV-77", "20261201"],
            ["LIN", "1", "VN", "TILE-01"],
            ["QTY", "33", "97", "EA"],
            ["CTT", "1"],
        ]
        documents = self.edi_sends("846", body)
        self.assertEqual(documents.mapped("state"), ["done"], documents.mapped("error_text"))
        snapshot = self.env["logistics.wms.snapshot"].search([("message_id", "in", documents.ids)])
        self.assertEqual(snapshot.partner_reference, "INV-77")
        self.assertEqual(self.by_product(snapshot)[("TILE-01", "")], (100.0, 97.0, "difference"))

    def test_the_3pl_units_are_converted_and_a_unit_that_does_not_convert_is_not_compared(self):
        snapshot = self.snapshot(
            [
                ("TILE-01", 8, "", "DZ"),
                ("TILE-01", 4, "", "EA"),
                ("GLUE-02", 20, "G-100", "KG"),
                ("GLUE-02", 20, "G-200", "BX"),
            ]
        )
        lines = self.by_product(snapshot)
        self.assertEqual(lines[("TILE-01", "")], (100.0, 100.0, "matched"), "8 dozen and 4 units")
        self.assertEqual(lines[("GLUE-02", "G-100")], (20.0, 20.0, "unit"), "kilograms of units")
        self.assertEqual(lines[("GLUE-02", "G-200")], (20.0, 20.0, "unit"), "a code nobody mapped")
        self.assertEqual((snapshot.difference_count, snapshot.unknown_count), (0, 2))
        self.assertEqual(
            snapshot.line_ids.filtered(lambda line: line.lot_name == "G-200").uom_code, "BX"
        )
        self.env["logistics.wms.uom"].create(
            {
                "backend_id": self.backend.id,
                "uom_id": self.env.ref("uom.product_uom_dozen").id,
                "code": "BX",
            }
        )
        again = self.snapshot([("GLUE-02", 1, "G-200", "BX")], partial=True)
        self.assertEqual(self.by_product(again)[("GLUE-02", "G-200")], (20.0, 12.0, "difference"))
