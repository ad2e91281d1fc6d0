import json

from odoo.addons.logistics_carrier.tests.common import EASYPOST_EVENT, SAMPLES, TrackingCase


class CarrierCase(TrackingCase):
    """An EasyPost backend taking tracker webhooks, and a delivery it carries."""

    FLOW = "logistics_carrier.logistics_message_type_tracking_easypost"
    TRACKING_REF = "1"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not EASYPOST_EVENT.exists():
            cls.skipTest(cls, f"published samples not found at {SAMPLES}")

    @classmethod
    def _backend_vals(cls):
        return {
            "name": "EasyPost",
            "code": "easypost-test",
            "provider": "easypost",
            "signature_scheme": "easypost-hmac",
            "webhook_secret": "easypost-webhook-secret",
        }

    def receive(self, event):
        return self.store(event if isinstance(event, bytes) else json.dumps(event).encode())
