import shutil

from odoo.tests import HttpCase, new_test_user, tagged

from logistics_adapters import canonical as c

from .common import WmsCase


@tagged("post_install", "-at_install")
class TestWmsTours(WmsCase, HttpCase):
    """Headless Chromium walks through the screens a warehouse manager uses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not shutil.which("chromium") and not shutil.which("google-chrome"):
            cls.skipTest(cls, "Chromium is not installed: the tours need it")

    def test_a_manager_applies_the_difference_of_a_snapshot(self):
        new_test_user(self.env, login="tour_wms", groups="logistics_wms.group_wms_manager")
        self.backend.name = "Tour Keystone 3PL"
        self.tile.name = "Tour floor tile"
        self.glue.name = "Tour glue"
        snapshot = c.InventorySnapshot(
            warehouse=self.warehouse.code,
            lines=[
                c.InventoryLine(product_code="TILE-01", quantity=96),
                c.InventoryLine(product_code="GLUE-02", quantity=20, lot_number="G-100"),
                c.InventoryLine(product_code="GLUE-02", quantity=17, lot_number="G-200"),
            ],
        )
        message = self.send(snapshot, "logistics_wms.logistics_message_type_wms_inventory_json")
        self.assertEqual(message.state, "done", message.error_text)
        self.env.flush_all()
        self.start_tour("/odoo", "logistics_wms_manager_applies_differences", login="tour_wms")
        self.env.invalidate_all()
        stock = self.tile.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(stock.qty_available, 96)
        glue = self.glue.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(glue.qty_available, 40, "the glue's difference was not applied")
