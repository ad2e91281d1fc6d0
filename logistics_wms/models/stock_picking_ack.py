from odoo import fields, models

from odoo.addons.logistics_integration.edi import (
    ACK_ACCEPTED,
    ACK_EXPECTED,
    ACK_REJECTED,
    ACK_STATES,
)
from odoo.addons.logistics_integration.engine import FAILED_STATES, STATE_CANCELLED, STATE_DONE

#: The flows a transfer is released by.
RELEASE_FLOWS = ("wms.release", "wms.release.json")


class StockPicking(models.Model):
    _inherit = "stock.picking"

    logistics_wms_ack_state = fields.Selection(
        ACK_STATES,
        string="3PL acknowledged",
        compute="_compute_logistics_wms_ack_state",
        help="Whether the 3PL took the last order, change or cancellation sent to it: its "
        "997 (EDI), or its answer to the order posted (JSON API).",
    )

    def _compute_logistics_wms_ack_state(self):
        messages = (
            self.env["logistics.message"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "stock.picking"),
                    ("res_id", "in", self.ids),
                    ("direction", "=", "outbound"),
                    ("flow", "in", RELEASE_FLOWS),
                ],
                order="id",
            )
        )
        latest = {message.res_id: message for message in messages}
        for picking in self:
            message = latest.get(picking.id)
            if not message:
                picking.logistics_wms_ack_state = False
            elif message.flow == "wms.release":
                picking.logistics_wms_ack_state = message.edi_ack_state or False
            elif message.state == STATE_DONE:
                picking.logistics_wms_ack_state = ACK_ACCEPTED
            else:
                failed = message.state in (*FAILED_STATES, STATE_CANCELLED)
                picking.logistics_wms_ack_state = ACK_REJECTED if failed else ACK_EXPECTED
