from odoo import api, fields, models

#: Unit codes X12 partners use (element 355) for Odoo's standard units, by reference.
STANDARD_CODES = {
    "uom.product_uom_unit": "EA",
    "uom.product_uom_dozen": "DZ",
    "uom.product_uom_kgm": "KG",
    "uom.product_uom_lb": "LB",
    "uom.product_uom_litre": "LT",
    "uom.product_uom_meter": "MR",
}


class LogisticsWmsUom(models.Model):
    """How a 3PL names a unit of measure: the code sent in released orders, and read back
    in its confirmations and inventory."""

    _name = "logistics.wms.uom"
    _description = "3PL Unit of Measure Code"
    _order = "backend_id, code"

    backend_id = fields.Many2one(
        "logistics.backend", string="3PL", required=True, ondelete="cascade", index=True
    )
    uom_id = fields.Many2one("uom.uom", string="Unit", required=True, ondelete="cascade")
    code = fields.Char(required=True, help="The 3PL's code for the unit (EA, CS, PL...).")

    _code_unique = models.Constraint(
        "UNIQUE(backend_id, code)", "A 3PL's unit code names one unit of measure."
    )

    @api.model
    def _code_of(self, backend, uom):
        """The code ``backend`` knows ``uom`` by: its own table, else the X12 standard code
        of Odoo's own units, else the unit's name."""
        row = self.search([("backend_id", "=", backend.id), ("uom_id", "=", uom.id)], limit=1)
        if row:
            return row.code
        xmlid = uom.get_external_id().get(uom.id, "")
        return STANDARD_CODES.get(xmlid) or uom.name

    @api.model
    def _uom_of(self, backend, code):
        """The unit ``backend`` means by ``code``, or an empty recordset."""
        if not code:
            return self.env["uom.uom"]
        row = self.search([("backend_id", "=", backend.id), ("code", "=", code)], limit=1)
        if row:
            return row.uom_id
        for xmlid, standard in STANDARD_CODES.items():
            if standard == code.upper():
                return self.env.ref(xmlid, raise_if_not_found=False) or self.env["uom.uom"]
        return self.env["uom.uom"].search([("name", "=ilike", code)], limit=1)
