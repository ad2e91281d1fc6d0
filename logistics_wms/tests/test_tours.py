from odoo.tests import HttpCase, tagged

from odoo.addons.logistics_integration.tests.common import TourMixin

from logistics_adapters import canonical as c

from .common import WmsCase


@tagged("post_install", "-at_install")
class TestWmsTours(TourMixin, WmsCase, HttpCase):
    """Headless Chromium walks through the screens a warehouse manager uses."""

    def test_a_manager_applies_the_difference_of_a_snapshot(self):
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
        self.tour(
            "logistics_wms_manager_applies_differences",
            "tour_wms",
            "logistics_wms.group_wms_manager",
        )
        stock = self.tile.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(stock.qty_available, 96)
        glue = self.glue.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(glue.qty_available, 40, "the glue's difference was not applied")
