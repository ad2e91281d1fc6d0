import json

from odoo.tests import HttpCase, tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME, _registry_test_lock

from odoo.addons.logistics_integration.tests.common import LoopbackHttpMixin

from logistics_adapters.sandbox import Json3pl, Sandbox

from .common import WmsCase

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@tagged("post_install", "-at_install")
class TestJson3pl(LoopbackHttpMixin, WmsCase, HttpCase):
    """A 3PL with a JSON API (the sandbox's ShipBob-like one), over real HTTP both ways:
    the delivery posted to it as an order, its signed webhooks validating the delivery
    part by part, and the shipment whose webhooks never came found by asking it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.json_backend = cls.env["logistics.backend"].create(
            {
                "name": "Bob's Fulfillment",
                "code": "wms-bob",
                "kind": "wms",
                "signature_scheme": "shipbob-hmac",
                "webhook_secret": SECRET,
                "inbound_type_id": cls.env.ref(
                    "logistics_wms.logistics_message_type_wms_shipbob"
                ).id,
                "wms_poll_type_id": cls.env.ref(
                    "logistics_wms.logistics_message_type_wms_shipbob_poll"
                ).id,
                "wms_poll_after_minutes": 0,
            }
        )
        cls.warehouse.logistics_wms_backend_id = cls.json_backend

    def process(self):
        """Work what is ready, batch after batch, as the processors do."""
        processor = self.env["logistics.processor"]
        while processor.process_batch():
            pass

    def test_released_shipped_in_two_parts_by_webhook_and_by_polling(self):
        with self.allow_requests():
            cookie = f"{TEST_CURSOR_COOKIE_NAME}={self.opener.cookies[TEST_CURSOR_COOKIE_NAME]}"
            three_pl = Json3pl(
                stock={"TILE-01": 100, "GLUE-02": [[20, "G-100"], [20, "G-200"]]},
                scenario="partial",
                webhook_url=f"{self.base_url()}/logistics/inbound/{self.json_backend.code}",
                secret=SECRET,
                tracking_after=0.05,
                webhook_options={"headers": {"Cookie": cookie}, "backoff": 0.1},
            )
            with Sandbox(port=0, route_sets=[three_pl]) as sandbox, three_pl:
                three_pl.attach(sandbox)
                with _registry_test_lock:
                    self.json_backend.endpoint_url = f"{sandbox.url}/3pl"
                    _sale, picking = self.confirmed_delivery(tile=10, glue=4)
                    self.assertEqual(picking.logistics_wms_state, "released")
                    self.process()
                    self.assertEqual(picking.logistics_wms_ack_state, "accepted", "201")
                    (posted,) = sandbox.requests(path="/3pl/orders", method="POST")
                    order = json.loads(posted["body"])
                    self.assertEqual(
                        (order["reference"], order["purpose"]), (picking.name, "original")
                    )
                    self.assertEqual(
                        [(line["product_code"], line["quantity"]) for line in order["lines"]],
                        [("TILE-01", 10.0), ("GLUE-02", 4.0)],
                    )
                    three_pl.advance()
                # The first half: shipped, then its tracking, both signed, over HTTP.
                records = sandbox.wait_deliveries(2, timeout=30)
                self.assertEqual([r["status_code"] for r in records], [202, 202], records)
                with _registry_test_lock:
                    self.process()
                    self.assertEqual(picking.state, "done", picking.message_ids.mapped("body"))
                    self.assertEqual(
                        sorted(
                            picking.move_line_ids.mapped(
                                lambda line: (line.product_id.default_code, line.quantity)
                            )
                        ),
                        [("GLUE-02", 2.0), ("TILE-01", 5.0)],
                    )
                    first_tracking = picking.carrier_tracking_ref
                    self.assertTrue(first_tracking)
                    backorder = picking.logistics_wms_confirmation_ids.backorder_id
                    self.assertEqual(
                        (backorder.logistics_wms_state, backorder.logistics_wms_reference),
                        ("released", picking.name),
                    )
                    self.assertFalse(
                        backorder.carrier_tracking_ref, "the tracking is the first part's"
                    )
                    # The rest ships, and both its webhooks are lost.
                    three_pl.set_webhooks(drop=2)
                    three_pl.advance()
                    self.assertEqual(len(sandbox.deliveries()), 2, "nothing more sent")
                    self.env["logistics.wms.poll"]._poll()
                    self.process()
                    self.assertEqual(backorder.state, "done", backorder.message_ids.mapped("body"))
                    self.assertEqual(backorder.logistics_wms_state, "shipped")
                    self.assertTrue(backorder.carrier_tracking_ref)
                    self.assertNotEqual(backorder.carrier_tracking_ref, first_tracking)
                    self.assertEqual(picking.carrier_tracking_ref, first_tracking)
                    (asked,) = [
                        r
                        for r in sandbox.requests(method="GET")
                        if r["path"].endswith("/shipments")
                    ]
                    self.assertIn(
                        "%2F", asked["path"], "the order number with its slashes, escaped"
                    )
                    self.assertFalse(
                        self.env["logistics.wms.poll"]._to_poll(self.json_backend, 10),
                        "shipped in full: nothing more to ask about",
                    )
        confirmations = self.env["logistics.wms.confirmation"].search(
            [("backend_id", "=", self.json_backend.id)]
        )
        self.assertEqual(len(confirmations), 2, "each shipment applied once")
        self.assertEqual(confirmations.picking_id, picking | backorder)
        self.assertEqual(
            self.json_backend.tracking_poll_failures, 0, self.json_backend.tracking_poll_error
        )
