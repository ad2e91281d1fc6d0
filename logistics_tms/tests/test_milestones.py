from datetime import datetime, timedelta, timezone
from unittest.mock import patch

from odoo.tests import tagged

from logistics_adapters import canonical as c

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

    def test_a_batch_logs_every_state_move_in_its_chatter_in_one_go(self):
        carrier = self.carriers[0]
        loads = [self.accepted_order() for _index in range(3)]
        env = self.env(context=dict(self.env.context, tracking_disable=False))
        message = env["logistics.message"].search(
            [("backend_id", "=", carrier.logistics_tms_backend_id.id)], limit=1
        )
        now = datetime.now(timezone.utc).replace(microsecond=0)
        entries = [
            (
                order.with_env(env),
                c.Milestone(
                    reference=order.name,
                    status="in_transit",  # as the 214 reader maps AF
                    partner_status="AF",
                    occurred_at=now,
                    tracking_number=order.pro_number,
                    carrier=carrier.logistics_scac,
                ),
                message,
            )
            for order, _sale, _picking in loads
        ]
        MailMessage = type(env["mail.message"])
        create = MailMessage.create
        batches = []

        def counted(records, vals_list):
            batches.append(len(vals_list))
            return create(records, vals_list)

        with patch.object(MailMessage, "create", counted):
            env["logistics.transport.order"]._apply_milestone_batch(entries)
            env.cr.flush()
        self.assertIn(3, batches, "the three orders' notes created together")
        for order, _sale, picking in loads:
            self.assertEqual(order.state, "in_transit")
            moves = order.message_ids.tracking_value_ids.filtered(
                lambda value: value.field_id.name == "state"
            )
            self.assertEqual(
                moves.mapped(lambda value: (value.old_value_char, value.new_value_char)),
                [("Accepted", "In transit")],
            )
            status = picking.message_ids.tracking_value_ids.filtered(
                lambda value: value.field_id.name == "logistics_status"
            )
            self.assertEqual(len(status), 1, "the delivery's status move logged too")

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
