from odoo.tests import HttpCase, tagged

from odoo.addons.logistics_carrier.tests.common import EASYPOST_EVENT

from logistics_adapters.transport.signatures import get_scheme

from .common import CarrierCase


@tagged("post_install", "-at_install")
class TestTrackingOverHttp(HttpCase, CarrierCase):
    def test_signed_easypost_webhook_reaches_the_picking(self):
        body = EASYPOST_EVENT.read_bytes()
        headers = get_scheme("easypost-hmac").sign(body, "easypost-webhook-secret")
        response = self.url_open(
            f"/logistics/inbound/{self.backend.code}",
            data=body,
            headers={"Content-Type": "application/json", **headers},
        )
        self.assertEqual(response.status_code, 202, response.text)
        self.process()
        self.assertEqual(self.picking.logistics_status, "in_transit")
        self.assertEqual(self.picking.logistics_event_count, 7)
