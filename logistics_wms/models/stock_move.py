from odoo import api, fields, models
from odoo.exceptions import UserError

from .stock_picking import CONFIRMING

#: Move fields a released order carries: changing one sends the 3PL a change.
SENT_MOVE_FIELDS = ("product_id", "product_uom_qty", "product_uom", "logistics_wms_lot_id")
#: Move line fields that say what was picked (not what is reserved).
PICKED_FIELDS = ("picked", "lot_name", "result_package_id")


class StockMove(models.Model):
    _inherit = "stock.move"

    logistics_wms_lot_id = fields.Many2one(
        "stock.lot",
        string="Lot Asked For",
        domain="[('product_id', '=', product_id)]",
        index="btree_not_null",
        help="The lot the customer asked for: the 3PL is told to ship this lot, and Odoo "
        "reserves only from it.",
    )

    @api.model
    def _prepare_merge_moves_distinct_fields(self):
        return [*super()._prepare_merge_moves_distinct_fields(), "logistics_wms_lot_id"]

    def _update_reserved_quantity(
        self, need, location_id, lot_id=None, package_id=None, owner_id=None, strict=True
    ):
        # Reserve the lot asked for and nothing else, as the 3PL is told to.
        return super()._update_reserved_quantity(
            need,
            location_id,
            lot_id=lot_id or self.logistics_wms_lot_id or None,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )

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


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _get_custom_move_fields(self):
        return [*super()._get_custom_move_fields(), "logistics_wms_lot_id"]


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
