from odoo import api, fields, models

from logistics_adapters.canonical import CODE_LIST_X12_150
from logistics_adapters.formats.x12.billing import SPECIAL_CHARGE_CODES

#: The charge types the published element 150 codes are seeded with (by the types' codes);
#: every other code is seeded without one: a person maps it before it is billed.
ELEMENT_150_TYPES = {
    "400": "freight",
    "405": "fuel",
    "FUE": "fuel",
    "DSC": "discount",
    "275": "discount",
    "295": "discount",
    "RES": "residential",
    "REP": "residential",
    "LFT": "liftgate",
    "DET": "detention",
    "DEW": "detention",
    "DEP": "detention",
    "DPU": "detention",
    "145": "customs",
    "240": "customs",
    "360": "customs",
    "CSE": "customs",
    "CUS": "customs",
    "CFC": "customs",
}
CODE_LISTS = [
    (CODE_LIST_X12_150, "X12 element 150"),
    ("x12-1300", "X12 element 1300 (SAC)"),
    ("carrier", "The carrier's own"),
]


class LogisticsFreightChargeCode(models.Model):
    """A partner's charge code (X12 element 150, SAC, a carrier's own) mapped to a charge
    type of the company: for every carrier, or for one carrier in its own sense. A code
    without a charge type is known but not mapped: its invoices wait for a person."""

    _name = "logistics.freight.charge.code"
    _description = "Freight Charge Code"
    _order = "carrier_id, code_list, code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, index=True)
    code_list = fields.Selection(CODE_LISTS, required=True, default=CODE_LIST_X12_150)
    name = fields.Char(string="Published label", required=True)
    carrier_id = fields.Many2one(
        "res.partner", index="btree_not_null", help="Empty: every carrier."
    )
    charge_type_id = fields.Many2one(
        "logistics.freight.charge.type",
        string="Charge type",
        index="btree_not_null",
        help="Empty: the code is known but not mapped; an invoice with it waits for a person.",
    )
    active = fields.Boolean(default=True)

    _code_unique = models.UniqueIndex(
        "(COALESCE(carrier_id, 0), code_list, code)",
        "A code is mapped once per carrier and code list.",
    )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for code in self:
            code.display_name = f"{code.code} {code.name}"

    @api.model
    def _seed_element_150(self):
        """Seed the published element 150 list (every carrier's), each code with its
        charge type where :data:`ELEMENT_150_TYPES` says, the others unmapped; codes
        already there are left as a person set them."""
        types = {t.code: t.id for t in self.env["logistics.freight.charge.type"].search([])}
        self.env.cr.execute(
            "SELECT code FROM logistics_freight_charge_code "
            "WHERE carrier_id IS NULL AND code_list = %s",
            [CODE_LIST_X12_150],
        )
        known = {code for (code,) in self.env.cr.fetchall()}
        self.create(
            [
                {
                    "code": code,
                    "code_list": CODE_LIST_X12_150,
                    "name": label,
                    "charge_type_id": types.get(ELEMENT_150_TYPES.get(code)),
                }
                for code, label in SPECIAL_CHARGE_CODES.items()
                if code not in known
            ]
        )

    @api.model
    def _index(self, codes=None):
        """``{(carrier id or 0, code list, code): charge type id or False}`` of every active
        code (of ``codes`` only, when given)."""
        domain = [("code", "in", list(codes))] if codes is not None else []
        rows = self.search_read(domain, ["carrier_id", "code_list", "code", "charge_type_id"])
        return {
            ((row["carrier_id"] and row["carrier_id"][0]) or 0, row["code_list"], row["code"]): (
                row["charge_type_id"] and row["charge_type_id"][0]
            )
            for row in rows
        }
