from odoo import api, models
from odoo.exceptions import UserError

from .stock_picking import CONFIRMING

#: Move fields a released order carries: changing one sends the 3PL a change.
SENT_MOVE_FIELDS = ("product_id", "product_uom_qty", "product_uom")
#: Move line fields that say what was picked (not what is reserved).
PICKED_FIELDS = ("picked", "lot_name", "result_package_id")


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_assign(self, force_qty=False):
        result = super()._action_assign(force_qty=force_qty)
        self.picking_id._logistics_wms_release_auto()
        return result

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        if not self.env.context.get(CONFIRMING):
            for picking in moves.picking_id._logistics_wms_at_the_3pl():
                picking._logistics_wms_send("change")
        return moves

    def write(self, vals):
        changed = self.env["stock.picking"]
        if any(name in vals for name in SENT_MOVE_FIELDS) and not self.env.context.get(CONFIRMING):
            changed = self.picking_id._logistics_wms_at_the_3pl()
        result = super().write(vals)
        for picking in changed:
            picking._logistics_wms_send("change")
        return result


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _logistics_wms_guard(self, pickings):
        """What was picked, in which lots and packages, is the 3PL's to say."""
        if self.env.context.get(CONFIRMING):
            return
        released = pickings._logistics_wms_at_the_3pl()
        if released:
            raise UserError(
                self.env._(
                    "%(pickings)s is at the 3PL: the lots, packages and quantities picked come "
                    "from its confirmation. Recall it from the 3PL to pick it here.",
                    pickings=", ".join(released.mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # Reservation makes lines too: only what a person picks is the 3PL's to say.
        if any(vals.get(name) for vals in vals_list for name in PICKED_FIELDS):
            lines._logistics_wms_guard(lines.picking_id)
        return lines

    def write(self, vals):
        if set(PICKED_FIELDS) & set(vals):
            self._logistics_wms_guard(self.picking_id)
        return super().write(vals)
