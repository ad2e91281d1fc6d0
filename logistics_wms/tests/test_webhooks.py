import json
from pathlib import Path

from odoo.tests import tagged

from .common import WmsCase

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"


@tagged("post_install", "-at_install")
class TestWebhooks(WmsCase):
    """The published ShipHero and ShipBob webhooks, their order numbers made ours."""

    def webhook(self, flow, sample, old, new):
        path = SAMPLES / sample
        if not path.exists():
            self.skipTest(f"the published sample {sample} is not beside the project")
        payload = path.read_bytes().replace(old.encode(), new.encode())
        message, _created = self.env["logistics.message"].store_inbound(
            self.backend, self.env.ref(flow), payload, content_type="application/json"
        )
        message.work_now()
        return message

    def test_shipbob_tracking_gives_the_delivery_its_carrier_and_number(self):
        self.env["delivery.carrier"].create(
            {
                "name": "USPS (3PL)",
                "product_id": self.ups.product_id.id,
                "logistics_wms_code": "USPS",
            }
        )
        _sale, picking = self.confirmed_delivery(tile=1)
        message = self.webhook(
            "logistics_wms.logistics_message_type_wms_shipbob",
            "shipbob_webhook_order_shipment_tracking_received.json",
            '"TEST101"',
            json.dumps(picking.name),
        )
        self.assertEqual(message.state, "done", message.error_text)
        self.assertEqual(picking.carrier_tracking_ref, "9261290306529427911297")
        self.assertEqual(picking.carrier_id.logistics_wms_code, "USPS")
        self.assertEqual(picking.logistics_wms_status, "label_created")
        self.assertEqual(picking.state, "assigned", "tracking news validates nothing")

    def allocated(self, order_number, padding=""):
        """ShipHero's published Order Allocated webhook, for ``order_number``."""
        return self.webhook(
            "logistics_wms.logistics_message_type_wms_shiphero",
            "shiphero_webhook_order_allocated.json",
            '"MO351"',
            json.dumps(order_number) + padding,  # the padding makes another delivery of it
        )

    def test_shiphero_allocation_is_noted_and_older_news_changes_nothing(self):
        _sale, picking = self.confirmed_delivery(tile=1)
        message = self.allocated(picking.name)
        self.assertEqual(message.state, "done", message.error_text)
        self.assertEqual(picking.logistics_wms_status, "allocated")
        picking.write(
            {"logistics_wms_status": "packed", "logistics_wms_status_at": "2021-07-25 10:00:00"}
        )
        again = self.allocated(picking.name, " ")
        self.assertEqual(again.state, "done", again.error_text)
        self.assertEqual(
            picking.logistics_wms_status, "packed", "an older allocation is out of order"
        )

    def test_a_webhook_for_an_order_never_released_is_an_error_that_says_so(self):
        message = self.allocated("MO351")
        self.assertEqual(message.state, "error")
        self.assertIn("'MO351'", message.error_text)
