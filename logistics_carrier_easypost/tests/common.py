import copy
import hashlib
import json
from pathlib import Path

from odoo.addons.logistics_carrier.tests.common import TrackingCase

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
EASYPOST_EVENT = SAMPLES / "easypost_webhook_event_tracker_updated.json"


def easypost_event(details=None, tracking_code=None, **result):
    """The published EasyPost tracker.updated sample, optionally with other details.

    Another content is another event, as EasyPost sends it: with an id of its own (the
    idempotency key of the inbox), the same for the same content.
    """
    event = json.loads(EASYPOST_EVENT.read_bytes())
    if details is not None:
        event["result"]["tracking_details"] = details
    if tracking_code:
        event["result"]["tracking_code"] = tracking_code
    event["result"].update(result)
    if details is not None or tracking_code or result:
        content = json.dumps(event["result"], sort_keys=True).encode()
        event["id"] = f"evt_{hashlib.sha256(content).hexdigest()[:24]}"
    return event


def detail(status, when, message="", status_detail=None, city="EDISON"):
    sample = json.loads(EASYPOST_EVENT.read_bytes())["result"]["tracking_details"][1]
    item = copy.deepcopy(sample)
    item.update(status=status, datetime=when, message=message or status)
    item["status_detail"] = status_detail
    item["tracking_location"]["city"] = city
    return item


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
