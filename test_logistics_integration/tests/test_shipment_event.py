from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import LogisticsCase


@tagged("post_install", "-at_install")
class TestShipmentEventsAndStatusMap(LogisticsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env["res.partner"].create({"name": "Consignee"})
        cls.Event = cls.env["logistics.shipment.event"]
        cls.StatusMap = cls.env["logistics.status.map"]

    def _event(self, **vals):
        return {
            "tracking_number": "1Z999",
            "status": "in_transit",
            "partner_status": "IT",
            "occurred_at": fields.Datetime.now() - timedelta(days=1, hours=5),
            "location": "Memphis, TN, US",
            **vals,
        }

    def test_events_are_recorded_once(self):
        message = self.receive(ref="T1")
        events = [
            self._event(),
            self._event(status="delivered", partner_status="D", occurred_at=fields.Datetime.now()),
        ]
        created = self.Event.record_events(self.partner, self.backend, events, message)
        self.assertEqual(len(created), 2)
        self.assertEqual(created.mapped("res_id"), [self.partner.id] * 2)
        self.assertEqual(created[0].message_id, message)
        again = self.Event.record_events(self.partner, self.backend, events)
        self.assertFalse(again, "a duplicated or replayed message adds no event")
        ordered = self.Event.search(
            [("res_id", "=", self.partner.id), ("res_model", "=", "res.partner")]
        )
        self.assertEqual(ordered.mapped("status"), ["delivered", "in_transit"], "newest first")

    def test_partner_event_id_is_the_identity_when_given(self):
        first = self.Event.record_events(
            self.partner, self.backend, [self._event(partner_event_id="evt-1")]
        )
        moved = self.Event.record_events(
            self.partner, self.backend, [self._event(partner_event_id="evt-1", location="X")]
        )
        other = self.Event.record_events(
            self.partner, self.backend, [self._event(partner_event_id="evt-2")]
        )
        self.assertTrue(first)
        self.assertFalse(moved)
        self.assertTrue(other)

    def test_status_map_backend_line_wins_and_unmapped_is_unknown(self):
        self.StatusMap.create(
            {"provider": "generic", "partner_code": "OFD", "status": "out_for_delivery"}
        )
        self.assertEqual(self.StatusMap.map_partner_status(self.backend, "OFD"), "out_for_delivery")
        self.StatusMap.create(
            {
                "provider": "generic",
                "backend_id": self.backend.id,
                "partner_code": "OFD",
                "status": "available_for_pickup",
            }
        )
        self.assertEqual(
            self.StatusMap.map_partner_status(self.backend, "OFD"), "available_for_pickup"
        )
        other = self._make_backend("other-carrier")
        self.assertEqual(self.StatusMap.map_partner_status(other, "OFD"), "out_for_delivery")
        self.assertEqual(self.StatusMap.map_partner_status(self.backend, "ZZ9"), "unknown")
        self.assertEqual(self.StatusMap.map_partner_status(self.backend, None), "unknown")
