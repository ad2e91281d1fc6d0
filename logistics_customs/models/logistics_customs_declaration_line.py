from odoo import api, fields, models


class LogisticsCustomsDeclarationLine(models.Model):
    """An item of a customs declaration: the goods of a product, with the tariff code,
    origin, quantity, net weight and value customs ask for."""

    _name = "logistics.customs.declaration.line"
    _description = "Customs Declaration Item"
    _order = "declaration_id, sequence, id"

    declaration_id = fields.Many2one(
        "logistics.customs.declaration", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="declaration_id.company_id", store=True)
    currency_id = fields.Many2one(related="declaration_id.currency_id")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product")
    description = fields.Char(required=True)
    hs_code = fields.Char(string="HS code", help="The tariff (commodity) code of the goods.")
    origin_country_id = fields.Many2one("res.country", string="Origin")
    quantity = fields.Float(digits="Product Unit")
    uom_id = fields.Many2one("uom.uom", string="Unit")
    net_weight = fields.Float(string="Net weight (kg)")
    value = fields.Monetary(help="The goods' value in the declaration's currency.")

    def _missing(self):
        """What this item lacks, each with where to fill it in."""
        self.ensure_one()
        on_product = self.env._(
            "set it on the product (Inventory tab) and refresh the items, or type it here"
        )
        problems = []
        if not self.hs_code:
            problems.append(self.env._("HS code missing: %(where)s.", where=on_product))
        elif not self.hs_code.replace(".", "").replace(" ", "").isdigit():
            problems.append(
                self.env._(
                    "HS code %(code)r is not a tariff number: digits only (dots allowed).",
                    code=self.hs_code,
                )
            )
        if not self.origin_country_id:
            problems.append(self.env._("origin country missing: %(where)s.", where=on_product))
        if self.quantity <= 0:
            problems.append(self.env._("no quantity."))
        if self.net_weight <= 0:
            problems.append(
                self.env._("no net weight: give the product a weight, or type it here.")
            )
        if self.value <= 0:
            problems.append(self.env._("no value."))
        return problems

    @api.model
    def _vals_of(self, picking):
        """The items of ``picking``: one per move, its value the sale price where it was
        sold, else the product's cost, in the declaration's currency."""
        vals_list = []
        for move in picking.move_ids.filtered(lambda move: move.state != "cancel"):
            product = move.product_id
            quantity = move.quantity or move.product_uom_qty
            sale_line = move.sale_line_id
            if sale_line:
                value = sale_line.price_reduce_taxexcl * quantity
            else:
                value = product.standard_price * quantity
            vals_list.append(
                {
                    "sequence": move.sequence,
                    "product_id": product.id,
                    "description": product.display_name,
                    "hs_code": product.hs_code or False,
                    "origin_country_id": product.country_of_origin.id,
                    "quantity": quantity,
                    "uom_id": move.product_uom.id,
                    "net_weight": product.weight * quantity,
                    "value": value,
                }
            )
        return vals_list
