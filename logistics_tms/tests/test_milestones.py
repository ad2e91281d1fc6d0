from datetime import datetime, timedelta, timezone

from odoo.tests import tagged

from .common import TmsCase


@tagged("post_install", "-at_install")
class TestMilestones(TmsCase):
    def accepted_order(self):
        order, sale, picking = self.transport_order()
        order.action_tender()
        self.answer(self.carriers[0], order, "accepted")
        return order, sale, picking

    def test_status_messages_move_the_order_and_its_delivery_forward(self):
        carrier = self.carriers[0]
        order, _sale, picking = self.accepted_order()
        _message, (document,) = self.status(carrier, order, ("AF", 30), ("X6", 20))
        self.assertEqual(document.state, "done", document.error_text)
        self.assertEqual(order.state, "in_transit")
        self.assertEqual(len(order.milestone_ids), 2)
        self.assertEqual(picking.logistics_status, "out_for_delivery", "X6: en route to delivery")

        self.status(carrier, order, ("D1", 2))
        self.assertEqual(order.state, "delivered")
        self.assertEqual(picking.logistics_status, "delivered")

        # A late 214 (the pickup's arrival, sent after the delivery) changes nothing.
        self.status(carrier, order, ("X3", 40))
        self.assertEqual(order.state, "delivered")
        self.assertEqual(picking.logistics_status, "delivered")
        self.assertEqual(len(order.milestone_ids), 4, "kept in the timeline all the same")

    def test_the_same_214_twice_is_kept_once(self):
        carrier = self.carriers[0]
        order, _sale, _picking = self.accepted_order()
        self.status(carrier, order, ("AF", 10))
        self.status(carrier, order, ("AF", 10))
        self.assertEqual(len(order.milestone_ids), 1)

    def test_a_status_for_an_unknown_load_waits_for_a_person(self):
        carrier = self.carriers[0]
        order, _sale, _picking = self.accepted_order()
        stranger = order.new({"name": "TO-NOBODY"})
        _message, (document,) = self.status(carrier, stranger, ("AF", 5))
        self.assertEqual(document.state, "error")
        self.assertIn("no transport order for TO-NOBODY", document.error_text)
        self.assertFalse(order.milestone_ids)

    def test_an_estimate_is_the_eta_and_a_new_one_is_flagged(self):
        carrier = self.carriers[0]
        order, _sale, _picking = self.accepted_order()
        self.status(carrier, order, ("AG", None, {"estimated_at": _hours_ahead(30)}))
        self.assertTrue(order.eta)
        self.assertFalse(order.eta_changed)
        self.assertEqual(order.milestone_ids.kind, "estimate")
        self.assertEqual(order.state, "accepted", "an estimate moves nothing forward")
        self.status(carrier, order, ("AG", None, {"estimated_at": _hours_ahead(40)}))
        self.assertTrue(order.eta_changed)


def _hours_ahead(hours):
    return datetime.now(timezone.utc).replace(second=0, microsecond=0) + timedelta(hours=hours)
