from odoo.tests import tagged

from odoo.addons.logistics_carrier.tests.common import EASYPOST_EVENT, detail, easypost_event

from .common import CarrierCase


@tagged("post_install", "-at_install")
class TestTracking(CarrierCase):
    def test_published_webhook_updates_the_picking(self):
        message = self.receive(EASYPOST_EVENT.read_bytes())
        self.assertEqual(message.partner_ref, "1")
        self.process()
        self.assertEqual(message.state, "done", message.error_text)
        picking = self.picking
        self.assertEqual(picking.logistics_status, "in_transit")
        self.assertEqual(picking.logistics_event_count, 7)
        self.assertEqual(picking.logistics_last_event, "Arrived at FedEx location")
        self.assertEqual(str(picking.logistics_last_event_at), "2024-08-02 18:50:00")
        self.assertEqual(picking.logistics_backend_id, self.backend)
        newest = picking.logistics_event_ids[0]
        self.assertEqual(newest.location, "EDISON, NJ 08817, US")
        self.assertEqual(newest.occurred_at_local, "2024-08-02T18:50:00+00:00")
        self.assertEqual(picking.logistics_event_ids[-1].status, "label_created")
        self.assertEqual(picking.action_open_logistics_messages()["domain"][-1][2], [message.id])

    def test_duplicate_and_replayed_messages_add_nothing(self):
        self.receive(EASYPOST_EVENT.read_bytes())
        self.process()
        resent = easypost_event()
        resent["id"] = "evt_resent"  # another envelope, the same events
        self.receive(resent)
        self.process()
        self.assertEqual(self.picking.logistics_event_count, 7)

    def test_a_late_event_never_moves_the_shipment_back(self):
        self.receive(easypost_event([detail("delivered", "2024-08-03T10:00:00Z", "Delivered")]))
        self.process()
        self.assertEqual(self.picking.logistics_status, "delivered")
        self.assertEqual(str(self.picking.logistics_delivered_at), "2024-08-03 10:00:00")
        self.receive(easypost_event([detail("in_transit", "2024-08-02T10:00:00Z", "On its way")]))
        self.process()
        self.assertEqual(self.picking.logistics_status, "delivered")
        self.assertEqual(self.picking.logistics_event_count, 2, "kept in the timeline")
        self.assertEqual(self.picking.logistics_last_event, "Delivered")

    def test_exception_flags_without_changing_rank(self):
        self.receive(easypost_event([detail("in_transit", "2024-08-02T10:00:00Z")]))
        self.receive(easypost_event([detail("failure", "2024-08-02T12:00:00Z", "Address issue")]))
        self.process()
        self.assertEqual(self.picking.logistics_status, "in_transit")
        self.assertEqual(self.picking.logistics_alert, "delivery_failed")
        self.receive(easypost_event([detail("delivered", "2024-08-03T12:00:00Z")]))
        self.process()
        self.assertEqual(
            (self.picking.logistics_status, self.picking.logistics_alert), ("delivered", False)
        )

    def test_backend_mapping_overrides_the_codec(self):
        self.env["logistics.status.map"].create(
            {
                "provider": "easypost",
                "backend_id": self.backend.id,
                "partner_code": "in_transit/arrived_at_facility",
                "status": "out_for_delivery",
            }
        )
        self.receive(EASYPOST_EVENT.read_bytes())
        self.process()
        self.assertEqual(self.picking.logistics_status, "out_for_delivery")

    def test_unmapped_status_is_unknown_and_asks_a_person(self):
        self.receive(easypost_event([detail("teleported", "2024-08-02T10:00:00Z")]))
        self.process()
        self.assertEqual(self.picking.logistics_event_ids.status, "unknown")
        activity = self.picking.activity_ids
        self.assertEqual(activity.summary, "Unmapped carrier status")
        self.assertIn("teleported", activity.note)

    def test_unknown_and_ambiguous_tracking_numbers_wait_for_a_person(self):
        unknown = self.receive(easypost_event(tracking_code="NOPE"))
        self._make_picking("TWIN")
        self._make_picking("TWIN")
        twins = self.receive(easypost_event(tracking_code="TWIN"))
        self.process()
        self.assertEqual((unknown.state, unknown.error_kind), ("error", "business"))
        self.assertIn("no delivery", unknown.error_text)
        self.assertEqual(twins.state, "error")
        self.assertIn("kept apart", twins.error_text)

    def test_status_maps_are_seeded_for_easypost(self):
        codes = self.env["logistics.status.map"].search([("provider", "=", "easypost")])
        mapping = dict(zip(codes.mapped("partner_code"), codes.mapped("status"), strict=True))
        self.assertEqual(mapping["pre_transit"], "label_created")
        self.assertEqual(mapping["return_to_sender"], "returned_to_sender")

    def test_sale_order_summary(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.picking.sale_id = order
        self.receive(EASYPOST_EVENT.read_bytes())
        self.process()
        self.assertEqual(order.logistics_shipping_status, "1 in transit")

    def test_other_providers_are_seeded_and_their_flows_ready(self):
        Map = self.env["logistics.status.map"]
        for provider, code, status in (
            ("ups", "D", "delivered"),
            ("fedex", "OD", "out_for_delivery"),
            ("dhl", "pre-transit", "label_created"),
            ("aftership", "AttemptFail", "delivery_failed"),
            ("shipengine", "NY", "label_created"),
        ):
            line = Map.search([("provider", "=", provider), ("partner_code", "=", code)])
            self.assertEqual(line.status, status, provider)
        for xmlid, codec in (
            ("logistics_message_type_tracking_aftership", "aftership-webhook"),
            ("logistics_message_type_tracking_shipengine", "shipengine-webhook"),
            ("logistics_message_type_tracking_ups", "ups-trackalert"),
        ):
            self.assertEqual(self.env.ref(f"logistics_carrier.{xmlid}").codec, codec)

    def test_aftership_tracking_as_published(self):
        flow = self.env["logistics.message.type"].create(
            {
                "name": "AfterShip tracking",
                "code": "test.aftership.tracking",
                "direction": "inbound",
                "handler_model": "logistics.handler.carrier.tracking",
                "codec": "aftership-tracking",
            }
        )
        backend = self.env["logistics.backend"].create(
            {"name": "AfterShip", "code": "aftership-test", "provider": "aftership"}
        )
        picking = self._make_picking("111111111111")
        payload = EASYPOST_EVENT.parent / "aftership_get_tracking_response_delivered.json"
        message, _created = self.env["logistics.message"].store_inbound(
            backend, flow, payload.read_bytes()
        )
        self.process()
        self.assertEqual(message.state, "done", message.error_text)
        self.assertEqual(picking.logistics_status, "delivered")
        self.assertEqual(picking.logistics_event_count, 14)
        self.assertEqual(str(picking.logistics_delivered_at), "2018-07-25 01:10:00")
        self.assertEqual(
            picking.logistics_event_ids[0].occurred_at_local, "2018-07-25T10:10:00+09:00"
        )
