import copy
import hashlib
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from unittest.mock import patch

from odoo.tests import TransactionCase

from logistics_adapters.canonical import TrackingEvent, to_jsonable
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


def tracking_event(number, status, hours_ago, partner_status="", **values):
    """A canonical tracking event ``hours_ago`` hours back from now."""
    when = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=hours_ago)
    return TrackingEvent(
        number, status, partner_status=partner_status or status, occurred_at=when, **values
    )


def shipped_order(env, partner, product, carrier, tracking_ref):
    """A confirmed order of three ``product`` whose delivery left with ``carrier`` under
    ``tracking_ref``; ``(order, picking)``."""
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 3})],
        }
    )
    order.action_confirm()
    picking = order.picking_ids
    picking.carrier_id = carrier
    picking.move_ids.quantity = 3
    picking.move_ids.picked = True
    picking.button_validate()
    picking.carrier_tracking_ref = tracking_ref
    return order, picking


class TrackingCase(TransactionCase):
    """A carrier backend (``_backend_vals`` of the subclass) of flow ``FLOW`` and a delivery
    ``picking`` to a customer, carried under tracking number ``TRACKING_REF``."""

    FLOW = "logistics_carrier.logistics_message_type_tracking_canonical"
    TRACKING_REF = "CAN-0001"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch.dict(os.environ, {"LOGISTICS_SECRET_KEY": generate_key()}))
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.flow = cls.env.ref(cls.FLOW)
        cls.backend = cls.env["logistics.backend"].create(
            {**cls._backend_vals(), "inbound_type_id": cls.flow.id, "user_id": cls.env.user.id}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Consignee Ltd"})
        cls.picking = cls._make_picking(cls.TRACKING_REF)

    @classmethod
    def _backend_vals(cls):
        return {"name": "Canonical carrier", "code": "canonical-carrier-test"}

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

    def store(self, payload):
        """Store ``payload`` (bytes) as an inbound message of the flow; return it."""
        message, _created = self.env["logistics.message"].store_inbound(
            self.backend, self.flow, payload, content_type="application/json"
        )
        return message

    def process(self):
        """Work every ready message, batch after batch as the processors do (a delivery's
        tracking, then the invoice release it queued); return them."""
        processor = self.env["logistics.processor"]
        processed = worked = processor.process_batch()
        while worked:
            worked = processor.process_batch()
            processed |= worked
        return processed


class GenericCarrierCase(TrackingCase):
    """A carrier that speaks the suite's canonical JSON."""

    def receive(self, *events):
        """Store one canonical JSON message carrying ``events``; return it."""
        return self.store(json.dumps(to_jsonable(list(events))).encode())
