from odoo.tests import tagged

from odoo.addons.logistics_integration.tests.common import SftpPartnerMixin

from logistics_adapters.sandbox import ThreePlPartner

from .common import WmsCase


@tagged("post_install", "-at_install")
class TestReleaseToShipmentOverSftp(SftpPartnerMixin, WmsCase):
    """The sandbox plays the 3PL over a real SFTP server: a sale order's delivery is
    released as a 940, shipped in two 945s (with lots, packages and tracking numbers) with
    a backorder in between; a bad 945 waits whole in the workbench; an 846 with drift gives
    the differences, and applying them fixes the quants."""

    def setUp(self):
        super().setUp()
        self._start_sftp(["to_3pl", "from_3pl"])
        self.inbound = self._sftp_channels(self.backend, "to_3pl", "from_3pl", "3PL")
        self.three_pl = ThreePlPartner(
            self._sftp_folder("to_3pl"),
            self._sftp_folder("from_3pl"),
            warehouse=self.warehouse.code,
            partner_id=("ZZ", "KEYSTONE3PL"),
            our_id=("ZZ", "MYCOMPANY"),
            stock={"TILE-01": 100, "GLUE-02": [(20, "G-100"), (20, "G-200")]},
            scenario="partial",
            first_number=700,
        )
        self.addCleanup(self.three_pl.stop)

    def release(self, picking):
        """Work what Odoo queued for the 3PL (written over SFTP); the 3PL takes it."""
        pending = (
            self.env["logistics.message"]
            .search([("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)])
            .filtered(lambda message: message.state == "pending")
        )
        pending.work_now()
        self.assertEqual(set(pending.mapped("state")), {"done"}, pending.mapped("error_text"))
        self.three_pl.pickup()

    def take(self):
        """Odoo takes the 3PL's files and works what they hold; the documents' messages
        (our acknowledgements aside)."""
        documents = self._take_files(self.inbound).child_ids
        return documents.filtered(
            lambda document: document.direction == "inbound" and document.type_id.code != "edi.ack"
        )

    def shipped(self, picking):
        return {line.product_id.default_code: line.quantity for line in picking.move_ids}

    def test_released_shipped_in_two_then_counted(self):
        _sale, picking = self.confirmed_delivery(tile=10, glue=4)
        self.release(picking)
        self.assertEqual([order["reference"] for order in self.three_pl.orders()], [picking.name])

        self.three_pl.advance()  # half of each line
        (first,) = self.take()
        self.assertEqual(picking.logistics_wms_ack_state, "accepted", "the 3PL's 997")
        self.assertEqual(first.state, "done", first.error_text)
        self.assertEqual(picking.state, "done")
        self.assertEqual(self.shipped(picking), {"TILE-01": 5.0, "GLUE-02": 2.0})
        self.assertTrue(picking.move_line_ids.lot_id, "the glue shipped from a lot")
        numbers = picking.carrier_tracking_ref.split(",")
        self.assertEqual(len(numbers), 2, "a tracking number per package")
        self.assertEqual(len(picking.move_line_ids.result_package_id), 2)
        backorder = picking.backorder_ids
        self.assertEqual(backorder.logistics_wms_state, "released")

        self.three_pl.advance()  # the rest
        (second,) = self.take()
        self.assertEqual(second.state, "done", second.error_text)
        self.assertEqual(backorder.state, "done")
        self.assertEqual(self.shipped(backorder), {"TILE-01": 5.0, "GLUE-02": 2.0})

        _sale, bad = self.confirmed_delivery(tile=3)
        self.three_pl.set_scenario("bad", reference=bad.name)
        self.release(bad)
        self.three_pl.advance()
        (rejected,) = self.take()
        self.assertEqual(rejected.state, "error")
        self.assertIn("NO-SUCH-ITEM", rejected.error_text)
        self.assertEqual((bad.state, bad.move_ids.quantity), ("assigned", 3.0))
        self.assertFalse(bad.move_line_ids.filtered("picked"), "nothing of it applied")

        self.three_pl.inventory(drift={"TILE-01": -3})
        (counted,) = self.take()
        self.assertEqual(counted.state, "done", counted.error_text)
        snapshot = self.env["logistics.wms.snapshot"].search([("message_id", "=", counted.id)])
        tile_line = snapshot.line_ids.filtered(lambda line: line.product_id == self.tile)
        self.assertEqual((tile_line.quantity_odoo, tile_line.quantity_3pl), (90.0, 84.0))
        self.assertEqual(snapshot.difference_count, 1, "the glue's lots match")
        snapshot.action_apply_all()
        tile = self.tile.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(tile.qty_available, 84)
