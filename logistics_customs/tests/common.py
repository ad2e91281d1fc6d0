"""Factories of the customs tests: a company in Great Britain that sells pallet jack wheels
to a customer in Germany, both with their EORI, and the transfers that cross the border."""

from odoo.tests import TransactionCase

PRICE = 120.0


class CustomsCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.partner_id.write(
            {"country_id": cls.env.ref("base.uk").id, "logistics_eori": "GB123456789000"}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Rheinland Lager GmbH",
                "is_company": True,
                "country_id": cls.env.ref("base.de").id,
                "logistics_eori": "DE1234567",
            }
        )
        cls.incoterm = cls.env.ref("account.incoterm_DAP")
        cls.product = cls.env["product.product"].create(
            {
                "name": "Pallet jack wheel",
                "is_storable": True,
                "weight": 2.5,
                "list_price": PRICE,
                "standard_price": 60.0,
                "hs_code": "8716.90",
                "country_of_origin": cls.env.ref("base.de").id,
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 100
        )

    def export_delivery(self, quantity=4, product=None):
        """A confirmed order of ``quantity`` wheels to the German customer, DAP; its
        delivery."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "incoterm": self.incoterm.id,
                "order_line": [
                    (
                        0,
                        0,
                        {"product_id": (product or self.product).id, "product_uom_qty": quantity},
                    )
                ],
            }
        )
        order.action_confirm()
        return order.picking_ids

    def declare(self, picking):
        """The declaration the transfer's *Customs* button opens."""
        action = picking.action_logistics_customs_declaration()
        return self.env["logistics.customs.declaration"].browse(action["res_id"])
