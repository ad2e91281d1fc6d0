from odoo import api, models


class LogisticsDemo(models.AbstractModel):
    _inherit = "logistics.demo"

    @api.model
    def _load_customs_demo(self):
        """Two exports to Germany declared: one complete, one with what is missing."""
        company = self.env.company
        company.partner_id.logistics_eori = company.partner_id.logistics_eori or "US123456789000"
        customer = self.env["res.partner"].create(
            {
                "name": "Rheinland Lager GmbH",
                "is_company": True,
                "street": "Hafenstrasse 12",
                "zip": "47119",
                "city": "Duisburg",
                "country_id": self.env.ref("base.de").id,
                "logistics_eori": "DE4711000000000",
            }
        )
        Product = self.env["product.product"]
        classified = Product.create(
            {
                "name": "Pallet jack wheel (demo)",
                "is_storable": True,
                "weight": 2.5,
                "list_price": 120.0,
                "standard_price": 60.0,
                "hs_code": "8716.90",
                "country_of_origin": self.env.ref("base.us").id,
            }
        )
        unclassified = Product.create(
            {"name": "Hydraulic pump kit (demo)", "is_storable": True, "list_price": 340.0}
        )
        Declaration = self.env["logistics.customs.declaration"]
        for product, quantity in ((classified, 40), (unclassified, 6)):
            order = self.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "incoterm": self.env.ref("account.incoterm_DAP").id,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": quantity})],
                }
            )
            order.action_confirm()
            Declaration.create(Declaration._vals_from_picking(order.picking_ids[:1]))
