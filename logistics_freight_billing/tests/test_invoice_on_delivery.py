import json
import os
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.logistics_carrier.tests.common import shipped_order, tracking_event
from odoo.addons.sale.tests.common import TestSaleCommon

from logistics_adapters.canonical import to_jsonable
from logistics_adapters.transport.secrets import generate_key

from .common import stock_and_pod_carrier

INVOICE_FLOW = "billing.invoice_on_delivery"


@tagged("post_install", "-at_install")
class TestInvoiceOnDelivery(TestSaleCommon):
    """The invoice held for proof of delivery is released by a message of its own: an
    accounting failure waits in the workbench and leaves the tracking applied."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch.dict(os.environ, {"LOGISTICS_SECRET_KEY": generate_key()}))
        cls.flow = cls.env.ref("logistics_carrier.logistics_message_type_tracking_canonical")
        cls.responsible = cls.company_data["default_user_salesman"]
        cls.backend = (
            cls.env["logistics.backend"]
            .sudo()
            .create(
                {
                    "name": "Carrier with proof of delivery",
                    "code": "canonical-pod",
                    "company_id": cls.env.company.id,
                    "user_id": cls.responsible.id,
                }
            )
        )
        cls.product, cls.carrier = stock_and_pod_carrier(cls.env, "Freight with proof of delivery")

    def _shipped_order(self, tracking_ref):
        return shipped_order(self.env, self.partner_a, self.product, self.carrier, tracking_ref)

    def _receive(self, *events):
        """Store a canonical JSON tracking message, as the inbound endpoint does."""
        message, _created = (
            self.env["logistics.message"]
            .sudo()
            .store_inbound(
                self.backend.sudo(),
                self.flow.sudo(),
                json.dumps(to_jsonable(list(events))).encode(),
                content_type="application/json",
            )
        )
        return message

    def _process(self):
        """Work every ready message, as the processors do one batch after another."""
        processor = self.env["logistics.processor"].sudo()
        while processor.process_batch():
            pass

    def _releases(self, picking):
        return (
            self.env["logistics.message"]
            .sudo()
            .search(
                [
                    ("flow", "=", INVOICE_FLOW),
                    ("res_model", "=", "stock.picking"),
                    ("res_id", "=", picking.id),
                ]
            )
        )

    def _failure_alerts(self, picking):
        return picking.activity_ids.filtered(
            lambda activity: activity.summary == "Invoice on proof of delivery failed"
        )

    def test_an_accounting_failure_leaves_the_tracking_applied(self):
        order, picking = self._shipped_order("POD-FAIL-1")
        refused = UserError("The sales journal is locked: unlock it in Accounting > Journals.")
        AccountMove = self.registry["account.move"]
        with patch.object(AccountMove, "action_post", side_effect=refused):
            delivered = self._receive(
                tracking_event("POD-FAIL-1", "delivered", 2, signed_by="J. DOE")
            )
            self._process()
            self.assertEqual(delivered.state, "done", delivered.error_text)
            self.assertEqual(picking.logistics_status, "delivered")
            self.assertEqual(picking.logistics_event_count, 1)
            release = self._releases(picking)
            self.assertEqual((release.state, release.error_kind), ("error", "business"))
            self.assertIn(order.name, release.error_text)
            self.assertIn("The sales journal is locked", release.error_text)
            self.assertIn("retry this message", release.error_text)
            self.assertFalse(order.invoice_ids, "nothing half done")
            alert = self._failure_alerts(picking)
            self.assertEqual(alert.user_id, self.responsible)
            self.assertIn("The sales journal is locked", alert.note)
            self.assertIn(
                self.responsible, self.backend.activity_ids.user_id, "the workbench calls too"
            )

            # Later news of the delivery is applied: it no longer fails with the invoice.
            later = self._receive(
                tracking_event("POD-FAIL-1", "delivered", 1, partner_status="POD scanned")
            )
            self._process()
            self.assertEqual(later.state, "done", later.error_text)
            picking.invalidate_recordset(["logistics_event_count"])
            self.assertEqual(picking.logistics_event_count, 2)
            self.assertEqual(self._releases(picking), release, "released once")

        # Accounting fixed: Retry creates and posts the invoice, once.
        release.action_retry()
        self._process()
        self.assertEqual(release.state, "done", release.error_text)
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_line_ids.quantity, 3)
        self.assertEqual(invoice.logistics_pod_picking_id, picking)
        self.assertEqual(invoice.logistics_pod_signed_by, "J. DOE")
        self.assertFalse(self._failure_alerts(picking), "the to-do is done")

        # Replayed by a person, the release finds its invoice and creates nothing.
        copies = release.replay("checking")
        self._process()
        self.assertEqual(copies.state, "done", copies.error_text)
        self.assertEqual(order.invoice_ids, invoice)

    def test_a_delivered_message_replayed_releases_once(self):
        order, picking = self._shipped_order("POD-REPLAY-1")
        delivered = self._receive(tracking_event("POD-REPLAY-1", "delivered", 3))
        self._process()
        self.assertEqual(len(order.invoice_ids), 1)
        release = self._releases(picking)
        self.assertEqual(release.state, "done", release.error_text)
        self.assertEqual(release.partner_ref, order.name)

        delivered.replay("the carrier says it was sent twice")
        self._receive(tracking_event("POD-REPLAY-1", "delivered", 3))  # sent again
        self._process()
        self.assertEqual(self._releases(picking), release)
        self.assertEqual(release.received_count, 1)
        self.assertEqual(len(order.invoice_ids), 1)

    def _split_order(self, *tracking_refs):
        """An order of 3 shipped in two deliveries (1, then 2) under ``tracking_refs``."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_a.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 3})],
            }
        )
        order.action_confirm()
        first = order.picking_ids
        first.carrier_id = self.carrier
        first.move_ids.quantity = 1
        first.move_ids.picked = True
        first.with_context(skip_backorder=True).button_validate()
        second = order.picking_ids - first
        second.carrier_id = self.carrier
        second.move_ids.quantity = 2
        second.move_ids.picked = True
        second.button_validate()
        first.carrier_tracking_ref, second.carrier_tracking_ref = tracking_refs
        return order, first, second

    def test_the_invoice_waits_for_every_delivery_of_the_order(self):
        order, first, second = self._split_order("POD-SPLIT-1", "POD-SPLIT-2")
        self._receive(tracking_event("POD-SPLIT-1", "delivered", 5))
        self._process()
        self.assertEqual(self._releases(first).state, "done")
        self.assertFalse(order.invoice_ids)
        notes = [body for body in first.message_ids.mapped("body") if "waits for" in body]
        self.assertIn(second.name, notes[0], "says what it waits for")

        self._receive(tracking_event("POD-SPLIT-2", "delivered", 1))
        self._process()
        self.assertEqual(order.invoice_ids.invoice_line_ids.quantity, 3)
        self.assertEqual(order.invoice_ids.logistics_pod_picking_id, second)

    def test_deliveries_delivered_together_invoice_once(self):
        order, first, second = self._split_order("POD-BOTH-1", "POD-BOTH-2")
        self._receive(
            tracking_event("POD-BOTH-1", "delivered", 2),
            tracking_event("POD-BOTH-2", "delivered", 2),
        )
        self._process()
        releases = self._releases(first) | self._releases(second)
        self.assertEqual(releases.mapped("state"), ["done", "done"], releases.mapped("error_text"))
        self.assertEqual(len(order.invoice_ids), 1)
        self.assertEqual(order.invoice_ids.invoice_line_ids.quantity, 3)
