import copy
import hashlib
import json
import os
from pathlib import Path
from unittest.mock import patch

from odoo.tests import TransactionCase

from logistics_adapters.transport.secrets import generate_key

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


class CarrierCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not EASYPOST_EVENT.exists():
            cls.skipTest(cls, f"published samples not found at {SAMPLES}")
        cls.startClassPatcher(patch.dict(os.environ, {"LOGISTICS_SECRET_KEY": generate_key()}))
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.flow = cls.env.ref("logistics_carrier.logistics_message_type_tracking_easypost")
        cls.backend = cls.env["logistics.backend"].create(
            {
                "name": "EasyPost",
                "code": "easypost-test",
                "provider": "easypost",
                "signature_scheme": "easypost-hmac",
                "webhook_secret": "easypost-webhook-secret",
                "inbound_type_id": cls.flow.id,
                "user_id": cls.env.user.id,
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Consignee Ltd"})
        cls.picking = cls._make_picking("1")

    @classmethod
    def _make_picking(cls, tracking_ref):
        picking_type = cls.env.ref("stock.picking_type_out")
        return cls.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": picking_type.default_location_src_id.id,
                "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
                "partner_id": cls.customer.id,
                "carrier_tracking_ref": tracking_ref,
            }
        )

    def receive(self, event):
        payload = event if isinstance(event, bytes) else json.dumps(event).encode()
        message, _created = self.env["logistics.message"].store_inbound(
            self.backend, self.flow, payload, content_type="application/json"
        )
        return message

    def process(self):
        return self.env["logistics.processor"].process_batch()
