import contextlib
from datetime import datetime, timedelta, timezone

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.logistics_integration.tests.common import TourMixin

from logistics_adapters.canonical import TrackingEvent

from .test_shipping import ShippingCase


@tagged("post_install", "-at_install")
class TestCarrierTours(TourMixin, ShippingCase, HttpCase):
    """Headless Chromium walks through the screens a clerk and a manager use."""

    def test_clerk_follows_a_parcel_from_the_board_to_its_timeline(self):
        self.customer.name = "Tour Consignee"
        picking = self._make_picking("TOUR-TRACK-1")
        now = datetime.now(timezone.utc).replace(microsecond=0)
        events = [
            TrackingEvent(
                tracking_number="TOUR-TRACK-1",
                status=status,
                partner_status=code,
                occurred_at=now - timedelta(hours=hours_ago),
                location=location,
                description=text,
                partner_event_id=event_id,
            )
            for status, code, hours_ago, location, text, event_id in (
                ("picked_up", "pre_transit", 30, "SAN FRANCISCO, CA, US", "Picked up", "tour-1"),
                ("in_transit", "in_transit", 2, "MEMPHIS, TN, US", "Arrived at hub", "tour-2"),
            )
        ]
        picking._logistics_apply_events(self.backend, events)
        self.assertEqual(picking.logistics_status, "in_transit")
        self.tour("logistics_carrier_clerk_tracking", "tour_clerk", "stock.group_stock_user")

    def test_manager_retries_a_failed_label_from_the_workbench(self):
        picking = self.shipped_order()
        self.fail_labels()
        with contextlib.suppress(UserError):
            self.carrier.send_shipping(picking)
        [message] = self.label_messages(picking)
        self.assertEqual(message.state, "dead")
        # The delivery leaves without its label (as the later pickings of a batch do).
        picking.picking_type_id.print_label = False
        picking.button_validate()
        self.sandbox.clear_faults()
        self.tour(
            "logistics_carrier_manager_retry_label",
            "tour_manager",
            "stock.group_stock_user,logistics_integration.group_logistics_manager",
        )
        self.assertEqual(message.state, "done")
        self.assertEqual(len(self.calls("/buy")), 1)
        self.assertEqual(len(picking.logistics_parcel_ids), 1)
        self.assertEqual(picking.carrier_tracking_ref, picking.logistics_parcel_ids.tracking_number)
