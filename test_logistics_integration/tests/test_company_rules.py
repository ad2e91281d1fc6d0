from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LogisticsCase


@tagged("post_install", "-at_install")
class TestCompanyRules(LogisticsCase):
    """Each model holding a company's data: a person of another company finds none of it,
    through search or read; the people of its own company do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Freight Co B"})
        cls.backend_b = cls._make_backend("backend-b", company_id=cls.company_b.id)
        # Managers read every one of these models: only the record rules stand in the way.
        group = "logistics_integration.group_logistics_manager"
        cls.user_a = cls._make_user("lgi_rules_a", group)
        cls.user_b = cls._make_user("lgi_rules_b", group, company=cls.company_b)

    def assertSeenByItsCompanyOnly(self, mine, theirs, field):
        """``mine`` (company A) and ``theirs`` (company B) are each found and read by
        their own company's user, and neither by the other's."""
        self.assertEqual(mine.company_id, self.env.company)
        self.assertEqual(theirs.company_id, self.company_b)
        both = (mine | theirs).ids
        for user, own, other in ((self.user_a, mine, theirs), (self.user_b, theirs, mine)):
            Model = self.env[mine._name].with_user(user)
            self.assertEqual(Model.search([("id", "in", both)]).ids, own.ids, user.login)
            self.assertEqual(Model.search_count([("id", "in", other.ids)]), 0, user.login)
            self.assertTrue(own.with_user(user).read([field]))
            with self.assertRaises(AccessError, msg=user.login):
                other.with_user(user).read([field])

    def _events(self, backend):
        partner = self.env["res.partner"].create({"name": f"Consignee of {backend.code}"})
        event = {
            "tracking_number": f"TRK-{backend.code}",
            "status": "in_transit",
            "partner_status": "IT",
            "occurred_at": fields.Datetime.now(),
            "location": "Memphis, TN, US",
        }
        return self.env["logistics.shipment.event"].record_events(partner, backend, [event])

    def test_shipment_events(self):
        self.assertSeenByItsCompanyOnly(
            self._events(self.backend), self._events(self.backend_b), "tracking_number"
        )

    def test_file_channels(self):
        Channel = self.env["logistics.file.channel"]
        mine, theirs = (
            Channel.create(
                {
                    "name": backend.code,
                    "backend_id": backend.id,
                    "message_type_id": self.inbound_type.id,
                    "path": "/srv/edi",
                }
            )
            for backend in (self.backend, self.backend_b)
        )
        self.assertSeenByItsCompanyOnly(mine, theirs, "path")

    def test_security_events(self):
        Event = self.env["logistics.security.event"]
        mine, theirs = (
            Event.create({"backend_id": backend.id, "reason": "bad signature"})
            for backend in (self.backend, self.backend_b)
        )
        self.assertSeenByItsCompanyOnly(mine, theirs, "reason")

    def test_status_map_lines_of_a_backend_and_shared_ones(self):
        StatusMap = self.env["logistics.status.map"]
        mine, theirs, shared = (
            StatusMap.create(
                {
                    "provider": "generic",
                    "backend_id": backend.id,
                    "partner_code": "RULES-TEST",
                    "status": "delivered",
                }
            )
            for backend in (self.backend, self.backend_b, self.env["logistics.backend"])
        )
        self.assertSeenByItsCompanyOnly(mine, theirs, "partner_code")
        # A line without a backend has no company: every company's people use it.
        self.assertFalse(shared.company_id)
        for user in (self.user_a, self.user_b):
            self.assertIn(shared, StatusMap.with_user(user).search([("id", "=", shared.id)]))
            self.assertTrue(shared.with_user(user).read(["partner_code"]))
