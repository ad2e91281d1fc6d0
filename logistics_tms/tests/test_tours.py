import shutil

from odoo.tests import HttpCase, new_test_user, tagged

from .common import TmsCase


@tagged("post_install", "-at_install")
class TestTmsTours(TmsCase, HttpCase):
    """Headless Chromium walks through the screens a transport manager uses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not shutil.which("chromium") and not shutil.which("google-chrome"):
            cls.skipTest(cls, "Chromium is not installed: the tours need it")

    def test_a_manager_tenders_by_hand_a_load_nobody_accepted(self):
        new_test_user(self.env, login="tour_transport", groups="logistics_tms.group_tms_manager")
        backup = self._carrier("Tour Backup Haulers", "TBHL")
        self.customer.name = "Tour Orlando Tiles"
        order, _sale, _picking = self.transport_order()
        order.action_tender()
        for carrier in self.carriers:
            self.answer(carrier, order, "declined", "No capacity")
        self.assertEqual(order.state, "declined")
        self.env.flush_all()
        self.start_tour("/odoo", "logistics_tms_manager_tenders_by_hand", login="tour_transport")
        self.env.invalidate_all()
        self.assertEqual((order.state, order.carrier_id), ("tendered", backup))
        self.assertEqual(order.tender_ids.sorted("sequence")[-1].rate, 2750.0)
        self.assertTrue(order.tender_ids.sorted("sequence")[-1].manual)
