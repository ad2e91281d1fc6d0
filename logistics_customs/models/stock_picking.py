from odoo import api, fields, models

from .logistics_customs_declaration import STATES


class StockPicking(models.Model):
    _inherit = "stock.picking"

    logistics_customs_declaration_ids = fields.One2many(
        "logistics.customs.declaration", "picking_id", string="Customs declarations"
    )
    logistics_customs_status = fields.Selection(
        STATES,
        string="Customs",
        compute="_compute_logistics_customs_status",
        store=True,
        help="Where this transfer's customs declaration stands (its latest one that is not "
        "cancelled).",
    )

    @api.depends("logistics_customs_declaration_ids.state")
    def _compute_logistics_customs_status(self):
        for picking in self:
            live = picking.logistics_customs_declaration_ids.filtered(
                lambda declaration: declaration.state != "cancelled"
            )
            picking.logistics_customs_status = live.sorted("id")[-1:].state or False

    def action_logistics_customs_declaration(self):
        """Open this transfer's customs declaration, made from it first when it has none."""
        self.ensure_one()
        Declaration = self.env["logistics.customs.declaration"]
        declaration = self.logistics_customs_declaration_ids.filtered(
            lambda declaration: declaration.state != "cancelled"
        ).sorted("id")[-1:]
        if not declaration:
            declaration = Declaration.create(Declaration._vals_from_picking(self))
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.customs.declaration",
            "res_id": declaration.id,
            "view_mode": "form",
            "target": "current",
        }
