from odoo import fields, models


class LogisticsFreightChargeType(models.Model):
    """A kind of charge the company books freight under (freight, fuel surcharge,
    liftgate...): what carriers' codes map to, what tolerances are set for, and the product
    (and so the expense account) of its vendor bill lines."""

    _name = "logistics.freight.charge.type"
    _description = "Freight Charge Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="A short name for imports and rules: freight, fuel...")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: every company's.")
    in_rate = fields.Boolean(
        string="Covered by the rate",
        help="Charges of this type are part of the expected cost (the label price, the quote, "
        "the estimate, the contract rate): the audit compares them, added up, with it. Any "
        "other charge was not expected and meets the 'not expected' tolerance.",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Bill with",
        domain="[('type', '=', 'service')]",
        help="The product of this type's vendor bill lines: its expense account books them.",
    )
    code_ids = fields.One2many("logistics.freight.charge.code", "charge_type_id", string="Codes")
    code_count = fields.Integer(compute="_compute_code_count", string="Codes mapped")

    _code_unique = models.UniqueIndex(
        "(code, COALESCE(company_id, 0))", "A charge type's code is used once per company."
    )

    def _compute_code_count(self):
        counts = dict(
            self.env["logistics.freight.charge.code"]._read_group(
                [("charge_type_id", "in", self.ids)], ["charge_type_id"], ["__count"]
            )
        )
        for charge_type in self:
            charge_type.code_count = counts.get(charge_type, 0)
