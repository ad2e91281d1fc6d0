from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import TrackingCase


@tagged("post_install", "-at_install")
class TestParcelCompanyRule(TrackingCase):
    """A parcel (a bought label, its price and its file) belongs to its delivery's
    company: a person of another company finds none, through search or read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Freight Co B"})
        product = cls.env["product.product"].create({"name": "Parcel service", "type": "service"})
        cls.carrier = cls.env["delivery.carrier"].create(
            {"name": "Any carrier", "product_id": product.id}
        )
        cls.parcel_a = cls._parcel(cls.picking, "TRK-A", -901)
        cls.parcel_b = cls._parcel(cls._picking_of(cls.company_b), "TRK-B", -902)
        cls.user_a = cls._stock_user("parcel_rules_a", cls.env.company)
        cls.user_b = cls._stock_user("parcel_rules_b", cls.company_b)

    @classmethod
    def _picking_of(cls, company):
        picking_type = cls.env["stock.picking.type"].search(
            [("code", "=", "outgoing"), ("company_id", "=", company.id)], limit=1
        )
        return (
            cls.env["stock.picking"]
            .with_company(company)
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "location_id": picking_type.default_location_src_id.id,
                    "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
                    "partner_id": cls.customer.id,
                }
            )
        )

    @classmethod
    def _parcel(cls, picking, number, message_ref):
        return cls.env["logistics.carrier.parcel"].create(
            {
                "picking_id": picking.id,
                "carrier_id": cls.carrier.id,
                "message_ref": message_ref,
                "package_name": f"Package {number}",
                "tracking_number": number,
                "currency_id": picking.company_id.currency_id.id,
            }
        )

    @classmethod
    def _stock_user(cls, login, company):
        return new_test_user(
            cls.env,
            login=login,
            groups="stock.group_stock_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    def test_parcels_are_seen_by_their_company_only(self):
        self.assertEqual(self.parcel_a.company_id, self.env.company)
        self.assertEqual(self.parcel_b.company_id, self.company_b)
        a, b = self.parcel_a, self.parcel_b
        both = (a | b).ids
        for user, own, other in ((self.user_a, a, b), (self.user_b, b, a)):
            Parcel = self.env["logistics.carrier.parcel"].with_user(user)
            self.assertEqual(Parcel.search([("id", "in", both)]).ids, own.ids, user.login)
            self.assertEqual(Parcel.search_count([("id", "in", other.ids)]), 0, user.login)
            self.assertTrue(own.with_user(user).read(["tracking_number"]))
            with self.assertRaises(AccessError, msg=user.login):
                other.with_user(user).read(["tracking_number"])
