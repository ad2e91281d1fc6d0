import json
import os
from datetime import datetime, timedelta, timezone
from unittest.mock import patch

from odoo.tests import TransactionCase

from logistics_adapters.canonical import TrackingEvent, to_jsonable
from logistics_adapters.transport.secrets import generate_key


def tracking_event(number, status, hours_ago, partner_status="", **values):
    """A canonical tracking event ``hours_ago`` hours back from now."""
    when = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=hours_ago)
    return TrackingEvent(
        number, status, partner_status=partner_status or status, occurred_at=when, **values
    )


def stock_and_pod_carrier(env, carrier_name):
    """Goods invoiced on delivery, ten of them in stock, and a delivery method that holds
    the invoice until proof of delivery (and posts it then)."""
    product = env["product.product"].create(
        {
            "name": "Pallet of tiles",
            "is_storable": True,
            "invoice_policy": "delivery",
            "list_price": 250.0,
        }
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
    carrier = env["delivery.carrier"].create(
        {
            "name": carrier_name,
            "product_id": env["product.product"].create({"name": "Freight", "type": "service"}).id,
            "logistics_invoice_on_delivery": True,
            "logistics_post_invoice_on_delivery": True,
        }
    )
    return product, carrier


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
