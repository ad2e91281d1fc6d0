from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from logistics_adapters.formats import interchange as edi_io
from logistics_adapters.formats.x12 import transport as x12_transport

from .common import TmsCase


@tagged("post_install", "-at_install")
class TestTendering(TmsCase):
    def test_a_delivery_becomes_a_transport_order_on_its_lane_with_its_cost(self):
        order, sale, picking = self.transport_order()
        self.assertEqual(order.picking_ids, picking)
        self.assertEqual(order.sale_order_id, sale)
        self.assertEqual(order.lane_id, self.lane)
        self.assertEqual(order.stop_ids.mapped("kind"), ["pickup", "delivery"])
        self.assertEqual(order.stop_ids[1].partner_id, self.customer)
        self.assertEqual(order.po_number, "PO-8841")
        self.assertAlmostEqual(order.weight_kg, 2400.0)
        self.assertEqual(order.estimated_cost, 1800.0, "the lane's first contract rate")
        self.assertEqual(sale.logistics_freight_estimate, 1800.0)
        self.assertEqual(picking.logistics_transport_order_ids, order)
        again = picking.action_logistics_transport_order()
        self.assertEqual(again["domain"], [("id", "in", order.ids)], "one order per delivery")

    def test_declined_then_silent_then_accepted_down_the_routing_guide(self):
        first, second, third = self.carriers
        order, sale, _picking = self.transport_order()
        order.action_tender()
        self.assertEqual((order.state, order.carrier_id), ("tendered", first))
        (written,) = self.sent_tenders(order)
        tendered = next(edi_io.read(written.get_payload()))
        (unit,) = list(tendered.units())
        self.assertEqual(unit.kind, "204")
        parsed = x12_transport.read_tender(unit.segments)
        self.assertEqual((parsed.reference, parsed.carrier), (order.name, "PRFR"))
        self.assertEqual([stop.kind for stop in parsed.stops], ["pickup", "delivery"])
        self.assertTrue((self.folder / "PRFR" / written.partner_ref).exists())

        self.answer(first, order, "declined", "No equipment available")
        tenders = order.tender_ids.sorted("sequence")
        self.assertEqual(tenders.mapped("state"), ["declined", "sent"])
        self.assertEqual(tenders[0].reason, "No equipment available")
        self.assertEqual(tenders[1].carrier_id, second)

        tenders[1].deadline = fields.Datetime.now() - timedelta(minutes=1)
        self.env["logistics.transport.tender"]._cron_expire()
        tenders = order.tender_ids.sorted("sequence")
        self.assertEqual(tenders.mapped("state"), ["declined", "expired", "sent"])
        self.assertEqual(tenders[2].carrier_id, third)

        self.answer(third, order, "accepted")
        self.assertEqual(order.tender_ids.sorted("sequence").mapped("state")[-1], "accepted")
        self.assertEqual((order.state, order.carrier_id), ("accepted", third))
        self.assertEqual(order.estimated_cost, 2100.0, "the rate of the carrier that took it")
        self.assertEqual(sale.logistics_freight_estimate, 2100.0)

    def test_an_answer_from_a_carrier_not_tendered_to_changes_nothing(self):
        first, second, _third = self.carriers
        order, _sale, _picking = self.transport_order()
        order.action_tender()
        _message, (document,) = self.answer(second, order, "accepted")
        self.assertEqual(document.state, "error")
        self.assertIn("was not tendered through this backend", document.error_text)
        self.assertEqual((order.state, order.carrier_id), ("tendered", first))

    def test_a_conditional_acceptance_waits_for_a_person(self):
        first = self.carriers[0]
        order, _sale, _picking = self.transport_order()
        order.action_tender()
        self.answer(first, order, "conditional", "Pickup moved to Thursday")
        tender = order.tender_ids
        self.assertEqual((tender.state, order.state), ("conditional", "tendered"))
        self.assertIn("Pickup moved to Thursday", tender.activity_ids.note)
        tender.action_accept_conditions()
        self.assertEqual((tender.state, order.state), ("accepted", "accepted"))

    def test_when_everyone_declines_a_person_is_asked(self):
        order, _sale, _picking = self.transport_order()
        order.action_tender()
        for carrier in self.carriers:
            self.answer(carrier, order, "declined", "Lane not served")
        self.assertEqual(order.state, "declined")
        self.assertEqual(len(order.tender_ids), 3)
        self.assertIn("No carrier accepted", order.activity_ids.summary)
        board = self.env["logistics.transport.order"].search([("state", "=", "declined")])
        self.assertIn(order, board)

    def test_a_manager_tenders_to_a_chosen_carrier(self):
        chosen = self.carriers[2]
        order, _sale, _picking = self.transport_order()
        order.action_tender()
        wizard = (
            self.env["logistics.transport.tender.to"]
            .with_context(active_model="logistics.transport.order", active_id=order.id)
            .create({"carrier_id": chosen.id, "rate": 2500.0})
        )
        self.assertEqual(wizard.backend_id, chosen.logistics_tms_backend_id)
        wizard.action_tender()
        tenders = order.tender_ids.sorted("sequence")
        self.assertEqual(tenders.mapped("state"), ["cancelled", "sent"])
        self.assertTrue(tenders[1].manual)
        self.assertEqual((order.carrier_id, order.estimated_cost), (chosen, 2500.0))

    def test_cancelling_an_accepted_load_tells_the_carrier(self):
        first = self.carriers[0]
        order, _sale, _picking = self.transport_order()
        order.action_tender()
        self.answer(first, order, "accepted")
        order.action_cancel()
        self.assertEqual(order.state, "cancelled")
        cancel = self.env["logistics.message"].search(
            [("idempotency_key", "=", f"tms/{order.name}/cancel/1")]
        )
        unit = next(iter(next(edi_io.read(cancel.get_payload())).units()))
        parsed = x12_transport.read_tender(unit.segments)
        self.assertEqual(parsed.purpose, "cancel")

    def test_a_freight_method_makes_and_tenders_the_load_on_confirmation(self):
        method = self.env["delivery.carrier"].create(
            {
                "name": "Truckload (routing guide)",
                "product_id": self.env["product.product"]
                .create({"name": "Truckload freight", "type": "service"})
                .id,
                "logistics_tms_freight": True,
                "logistics_tms_mode": "ftl",
                "logistics_tms_auto_tender": True,
            }
        )
        sale = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "carrier_id": method.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 4})],
            }
        )
        sale.action_confirm()
        (order,) = sale.logistics_transport_order_ids
        self.assertEqual(order.picking_ids, sale.picking_ids)
        self.assertEqual((order.state, order.carrier_id), ("tendered", self.carriers[0]))
        self.assertEqual(sale.logistics_freight_estimate, 1800.0)

    def test_a_load_without_stops_cannot_be_tendered(self):
        order = self.env["logistics.transport.order"].create({"mode": "ftl"})
        with self.assertRaisesRegex(UserError, "needs a pickup and a delivery stop"):
            order.action_tender()
