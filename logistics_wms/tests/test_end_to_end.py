import shutil
import tempfile
from pathlib import Path

from odoo.tests import tagged

from logistics_adapters.sandbox import ThreePlPartner
from logistics_adapters.tests.sftp_server import SftpTestServer
from logistics_adapters.transport.files import SftpFolder

from .common import WmsCase

USER, PASSWORD = "threepl", "s3cret-sftp"


@tagged("post_install", "-at_install")
class TestReleaseToShipmentOverSftp(WmsCase):
    """The sandbox plays the 3PL over a real SFTP server: a sale order's delivery is
    released as a 940, shipped in two 945s (with lots, packages and tracking numbers) with
    a backorder in between; a bad 945 waits whole in the workbench; an 846 with drift gives
    the differences, and applying them fixes the quants."""

    def setUp(self):
        super().setUp()
        import paramiko

        root = Path(tempfile.mkdtemp(prefix="lgi-wms-sftp-"))
        self.addCleanup(shutil.rmtree, root, ignore_errors=True)
        for name in ("to_3pl", "from_3pl"):
            (root / name).mkdir()
        host_key = paramiko.ECDSAKey.generate()
        self.host_key = f"{host_key.get_name()} {host_key.get_base64()}"
        server = SftpTestServer(str(root), host_key, {USER: PASSWORD})
        server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.port = server.port
        self.inbound = self._wire()
        self.three_pl = ThreePlPartner(
            self._folder("to_3pl"),
            self._folder("from_3pl"),
            warehouse=self.warehouse.code,
            partner_id=("ZZ", "KEYSTONE3PL"),
            our_id=("ZZ", "MYCOMPANY"),
            stock={"TILE-01": 100, "GLUE-02": [(20, "G-100"), (20, "G-200")]},
            scenario="partial",
            first_number=700,
        )
        self.addCleanup(self.three_pl.stop)

    def _folder(self, path):
        folder = SftpFolder(
            "127.0.0.1", self.port, USER, password=PASSWORD, host_key=self.host_key, path=path
        )
        self.addCleanup(folder.close)
        return folder

    def _wire(self):
        """The 3PL's backend sends over SFTP and takes the 3PL's files from it."""
        sftp = {
            "backend_id": self.backend.id,
            "transport": "sftp",
            "host": "127.0.0.1",
            "port": self.port,
            "username": USER,
            "password": PASSWORD,
            "host_key": self.host_key,
        }
        Channel = self.env["logistics.file.channel"]
        Channel.search([("backend_id", "=", self.backend.id)]).unlink()
        Channel.create(sftp | {"name": "3PL out", "direction": "outbound", "path": "to_3pl"})
        flow = self.env.ref("logistics_integration.logistics_message_type_edi_interchange")
        return Channel.create(
            sftp | {"name": "3PL in", "path": "from_3pl", "message_type_id": flow.id, "min_age": 0}
        )

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
        """Odoo takes the 3PL's files and works what they hold; the documents' messages."""
        documents = self.env["logistics.message"]
        for message in self.inbound._poll(commit=lambda _count: None):
            message.work_now()
            documents |= message.child_ids.filtered(lambda child: child.direction == "inbound")
            message.child_ids.filtered(lambda child: child.state == "pending").work_now()
        return documents.filtered(lambda document: document.type_id.code != "edi.ack")

    def test_released_shipped_in_two_then_counted(self):
        _sale, picking = self.confirmed_delivery(tile=10, glue=4)
        self.release(picking)
        self.assertEqual([order["reference"] for order in self.three_pl.orders()], [picking.name])

        self.three_pl.advance()  # half of each line
        (first,) = self.take()
        self.assertEqual(first.state, "done", first.error_text)
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            {line.product_id.default_code: line.quantity for line in picking.move_ids},
            {"TILE-01": 5.0, "GLUE-02": 2.0},
        )
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
        self.assertEqual(
            {line.product_id.default_code: line.quantity for line in backorder.move_ids},
            {"TILE-01": 5.0, "GLUE-02": 2.0},
        )

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
