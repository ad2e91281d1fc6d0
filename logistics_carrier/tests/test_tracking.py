from unittest.mock import patch

from logistics_adapters.partners import available_partners

from .common import GenericCarrierCase, tracking_event


class TestGenericTracking(GenericCarrierCase):
    def test_events_move_the_delivery_forward_and_never_back(self):
        message = self.receive(tracking_event("CAN-0001", "in_transit", 2, location="Lyon, FR"))
        self.assertEqual(message.partner_ref, "CAN-0001", "the codec names the parcel")
        self.process()
        self.assertEqual(message.state, "done", message.error_text)
        self.assertEqual(self.picking.logistics_status, "in_transit")
        self.receive(tracking_event("CAN-0001", "label_created", 5))
        self.process()
        self.assertEqual(self.picking.logistics_status, "in_transit", "a late event stays late")
        self.assertEqual(self.picking.logistics_event_count, 2, "kept in the timeline")

    def test_status_mapping_decides_over_the_document(self):
        self.env["logistics.status.map"].create(
            {
                "provider": "generic",
                "backend_id": self.backend.id,
                "partner_code": "HANDED-OVER",
                "status": "delivered",
            }
        )
        self.receive(tracking_event("CAN-0001", "in_transit", 1, partner_status="HANDED-OVER"))
        self.process()
        self.assertEqual(self.picking.logistics_status, "delivered")
        self.assertEqual(self.picking.logistics_event_ids.partner_status, "HANDED-OVER")

    def test_a_status_change_is_one_event_for_the_hook(self):
        Picking = self.registry["stock.picking"]
        seen = []
        original = Picking._logistics_on_status_change

        def record(picking, old, new):
            seen.append((old, new))
            return original(picking, old, new)

        with patch.object(Picking, "_logistics_on_status_change", record):
            self.receive(
                tracking_event("CAN-0001", "picked_up", 3),
                tracking_event("CAN-0001", "in_transit", 2),
            )
            self.process()
            self.receive(tracking_event("CAN-0001", "in_transit", 1, partner_status="again"))
            self.process()
        self.assertEqual(seen, [(False, "in_transit")], "one change, whatever the events")

    def test_a_tracking_flow_per_carrier_partner_document(self):
        Flow = self.env["logistics.message.type"]
        partners = available_partners(kind="carrier")
        self.assertTrue(partners)
        for partner in partners:
            for codec, code in (
                (partner.tracking_webhook, f"carrier.tracking.{partner.code}"),
                (partner.tracking_poll, f"carrier.tracking.{partner.code}.poll"),
            ):
                flow = Flow.search([("code", "=", code), ("direction", "=", "inbound")])
                self.assertEqual(flow.codec or "", codec, code)
                if codec:
                    self.assertEqual(flow.handler_model, "logistics.handler.carrier.tracking")
