import json
import os
from datetime import datetime, timedelta, timezone
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.logistics_carrier.tests.common import (
    EASYPOST_EVENT,
    detail,
    easypost_event,
    shipped_order,
)
from odoo.addons.sale.tests.common import TestSaleCommon

from logistics_adapters.transport.secrets import generate_key

from .common import stock_and_pod_carrier


@tagged("post_install", "-at_install")
class TestInvoiceOnDeliveryEasyPost(TestSaleCommon):
    """Proof of delivery from EasyPost's tracker events: who signed, and when."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not EASYPOST_EVENT.exists():
            cls.skipTest(cls, "published samples not found")
        cls.startClassPatcher(patch.dict(os.environ, {"LOGISTICS_SECRET_KEY": generate_key()}))
        cls.flow = cls.env.ref("logistics_carrier.logistics_message_type_tracking_easypost")
        cls.backend = (
            cls.env["logistics.backend"]
            .sudo()
            .create(
                {
                    "name": "EasyPost POD",
                    "code": "easypost-pod",
                    "provider": "easypost",
                    "company_id": cls.env.company.id,
                }
            )
        )
        cls.product, cls.carrier = stock_and_pod_carrier(cls.env, "Freight with POD")

    def setUp(self):
        super().setUp()
        now = datetime.now(timezone.utc).replace(microsecond=0)
        self.two_hours_ago = now - timedelta(hours=2)

    def _shipped_order(self, tracking_ref):
        return shipped_order(self.env, self.partner_a, self.product, self.carrier, tracking_ref)

    def _deliver(self, tracking_ref, signed_by="J. DOE"):
        when = self.two_hours_ago
        event = easypost_event(
            [detail("delivered", when.strftime("%Y-%m-%dT%H:%M:%SZ"), "Delivered")],
            tracking_code=tracking_ref,
            signed_by=signed_by,
        )
        # As the inbound endpoint and the processor do: not as the sales user.
        message, _created = (
            self.env["logistics.message"]
            .sudo()
            .store_inbound(self.backend.sudo(), self.flow.sudo(), json.dumps(event).encode())
        )
        # The tracking, then the invoice release it queued: a message of its own.
        processor = self.env["logistics.processor"].sudo()
        while processor.process_batch():
            pass
        return message

    def test_invoice_is_held_then_released_on_delivery(self):
        order, picking = self._shipped_order("POD-1")
        self.assertEqual(picking.state, "done")
        with self.assertRaisesRegex(UserError, "held until the carrier confirms delivery"):
            order._create_invoices()
        message = self._deliver("POD-1")
        self.assertEqual(message.state, "done", message.error_text)
        self.assertEqual(picking.logistics_status, "delivered")
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_line_ids.quantity, 3)
        self.assertEqual(invoice.logistics_pod_picking_id, picking)
        self.assertEqual(invoice.logistics_pod_at, self.two_hours_ago.replace(tzinfo=None))
        self.assertEqual(invoice.logistics_pod_signed_by, "J. DOE")
        self.assertEqual(picking.logistics_signed_by, "J. DOE")

    def test_a_repeated_delivered_event_invoices_once(self):
        order, _picking = self._shipped_order("POD-2")
        self._deliver("POD-2")
        self._deliver("POD-2", signed_by="J. DOE AGAIN")
        self.assertEqual(len(order.invoice_ids), 1)

    def test_without_the_option_nothing_is_held(self):
        self.carrier.logistics_invoice_on_delivery = False
        order, _picking = self._shipped_order("POD-3")
        invoice = order._create_invoices()
        self.assertEqual(len(invoice), 1)
        self._deliver("POD-3")
        self.assertEqual(len(order.invoice_ids), 1, "nothing more to invoice")
