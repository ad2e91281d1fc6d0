from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    logistics_wms_lot_id = fields.Many2one(
        "stock.lot",
        string="Lot Asked For",
        domain="[('product_id', '=', product_id)]",
        help="The lot the customer asked for: the delivery reserves it and a 3PL is told to "
        "ship it.",
    )

    def _prepare_procurement_values(self):
        values = super()._prepare_procurement_values()
        if self.logistics_wms_lot_id:
            values["logistics_wms_lot_id"] = self.logistics_wms_lot_id.id
        return values
