from odoo.tests import HttpCase, tagged

from odoo.addons.logistics_integration.tests.common import TourMixin

from .common import TmsCase


@tagged("post_install", "-at_install")
class TestTmsTours(TourMixin, TmsCase, HttpCase):
    """Headless Chromium walks through the screens a transport manager uses."""

    def test_a_manager_tenders_by_hand_a_load_nobody_accepted(self):
        backup = self._carrier("Tour Backup Haulers", "TBHL")
        self.customer.name = "Tour Orlando Tiles"
        order, _sale, _picking = self.transport_order()
        order.action_tender()
        for carrier in self.carriers:
            self.answer(carrier, order, "declined", "No capacity")
        self.assertEqual(order.state, "declined")
        self.tour(
            "logistics_tms_manager_tenders_by_hand",
            "tour_transport",
            "logistics_tms.group_tms_manager",
        )
        self.assertEqual((order.state, order.carrier_id), ("tendered", backup))
        self.assertEqual(order.tender_ids.sorted("sequence")[-1].rate, 2750.0)
        self.assertTrue(order.tender_ids.sorted("sequence")[-1].manual)
