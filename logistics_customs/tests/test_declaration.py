from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import PRICE, CustomsCase


@tagged("post_install", "-at_install")
class TestDeclaration(CustomsCase):
    def test_an_export_delivery_is_declared_with_its_parties_terms_and_items(self):
        delivery = self.export_delivery(quantity=4)
        delivery.carrier_tracking_ref = "1Z999AA10123456784"
        declaration = self.declare(delivery)
        self.assertTrue(declaration.name.startswith("CUS/"))
        self.assertEqual(
            (
                declaration.direction,
                declaration.exporter_id,
                declaration.importer_id,
                declaration.declarant_id,
                declaration.incoterm_id,
                declaration.procedure_code,
                declaration.dispatch_country_id.code,
                declaration.destination_country_id.code,
                declaration.transport_reference,
                declaration.sale_order_id,
            ),
            (
                "export",
                self.company.partner_id,
                self.customer,
                self.company.partner_id,
                self.incoterm,
                "1000",
                "GB",
                "DE",
                "1Z999AA10123456784",
                delivery.sale_id,
            ),
        )
        item = declaration.line_ids
        self.assertEqual(
            (item.product_id, item.hs_code, item.origin_country_id.code, item.quantity),
            (self.product, "8716.90", "DE", 4.0),
        )
        self.assertAlmostEqual(item.net_weight, 10.0)
        self.assertAlmostEqual(item.value, 4 * PRICE)
        self.assertAlmostEqual(declaration.total_value, 4 * PRICE)
        self.assertFalse(declaration.missing, declaration.missing)
        self.assertTrue(declaration.action_check())
        self.assertIn("nothing is missing", declaration.message_ids[0].body)
        self.assertEqual(delivery.logistics_customs_status, "draft")
        self.assertEqual(delivery.sale_id.logistics_customs_status, "1 draft")
        self.assertEqual(self.declare(delivery), declaration, "the button opens the same one")

    def test_what_is_missing_is_listed_item_by_item_and_checking_refuses(self):
        bare = self.env["product.product"].create(
            {"name": "Unclassified part", "is_storable": True, "weight": 1.0, "list_price": 9.0}
        )
        self.env["stock.quant"]._update_available_quantity(bare, self.warehouse.lot_stock_id, 5)
        self.customer.logistics_eori = False
        declaration = self.declare(self.export_delivery(product=bare))
        self.assertEqual(declaration.missing_count, 2, declaration.missing)
        with self.assertRaises(UserError) as refused:
            declaration.action_check()
        text = str(refused.exception)
        self.assertIn("Item 1 (Unclassified part): HS code missing", text)
        self.assertIn("Item 1 (Unclassified part): origin country missing", text)
        self.assertNotIn(
            "Importer", text, "an export names its exporter's EORI, not the importer's"
        )

        self.company.partner_id.logistics_eori = False
        self.assertIn("Exporter", declaration.missing)
        self.assertIn("no EORI number", declaration.missing)
        self.company.partner_id.logistics_eori = "GB123456789000"

        bare.write({"hs_code": "8716.90", "country_of_origin": self.env.ref("base.cn").id})
        self.assertIn("HS code missing", declaration.missing, "items keep what was read")
        declaration.action_refresh_items()
        self.assertFalse(declaration.missing, declaration.missing)
        self.assertEqual(declaration.line_ids.origin_country_id.code, "CN")

        declaration.line_ids.hs_code = "87x6"
        self.assertIn("is not a tariff number", declaration.missing)

    def test_a_receipt_is_an_import_valued_at_cost(self):
        receipt_type = self.warehouse.in_type_id
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": receipt_type.id,
                "partner_id": self.customer.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 10,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": self.warehouse.lot_stock_id.id,
                        },
                    )
                ],
            }
        )
        declaration = self.declare(receipt)
        self.assertEqual(
            (
                declaration.direction,
                declaration.importer_id,
                declaration.exporter_id,
                declaration.procedure_code,
                declaration.dispatch_country_id.code,
                declaration.destination_country_id.code,
            ),
            ("import", self.company.partner_id, self.customer, "4000", "DE", "GB"),
        )
        self.assertAlmostEqual(declaration.total_value, 600.0)

    def test_a_declaration_past_draft_keeps_what_was_declared(self):
        delivery = self.export_delivery()
        declaration = self.declare(delivery)
        declaration.write({"state": "submitted", "mrn": "26GB000000000000A1"})
        with self.assertRaisesRegex(UserError, "no longer a draft"):
            declaration.action_refresh_items()
        with self.assertRaisesRegex(UserError, "Only a rejected or cancelled"):
            declaration.action_draft()
        self.assertEqual(delivery.logistics_customs_status, "submitted")
        declaration.action_cancel()
        self.assertFalse(delivery.logistics_customs_status, "a cancelled one does not count")
        again = self.declare(delivery)
        self.assertNotEqual(again, declaration, "a new declaration once the old is cancelled")
        self.assertEqual(delivery.logistics_customs_status, "draft")

    def test_stock_users_follow_officers_prepare_companies_stay_apart(self):
        declaration = self.declare(self.export_delivery())
        stock_user = new_test_user(self.env, "customs-stock", groups="stock.group_stock_user")
        officer = new_test_user(
            self.env, "customs-officer", groups="logistics_customs.group_customs_officer"
        )
        Declaration = self.env["logistics.customs.declaration"]
        self.assertIn(declaration, Declaration.with_user(stock_user).search([]))
        with self.assertRaises(AccessError):
            declaration.with_user(stock_user).procedure_code = "1040"
        declaration.with_user(officer).procedure_code = "1040"
        with self.assertRaises(AccessError):
            declaration.with_user(officer).unlink()
        other = self.env["res.company"].create({"name": "Other Customs Co"})
        stranger = new_test_user(
            self.env,
            "customs-stranger",
            groups="logistics_customs.group_customs_officer",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertNotIn(declaration, Declaration.with_user(stranger).search([]))
        self.assertFalse(
            Declaration.with_user(stranger).search([("company_id", "=", self.company.id)])
        )
