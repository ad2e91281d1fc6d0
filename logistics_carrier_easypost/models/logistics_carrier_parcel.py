import json

from odoo import models

#: EasyPost ``refund_status`` -> parcel state.
REFUND_STATES = {
    "submitted": "refund_submitted",
    "refunded": "refunded",
    "rejected": "refund_rejected",
    "not_applicable": "refund_rejected",
}


class LogisticsCarrierParcel(models.Model):
    _inherit = "logistics.carrier.parcel"

    def _logistics_apply_refund(self, outcome):
        """Record the refund status EasyPost answered (a CallOutcome), once per request."""
        self.ensure_one()
        if self.refund_message_ref == outcome.message_id and self.state != "bought":
            return
        status = json.loads(outcome.answer).get("refund_status") if outcome.answer else None
        self.sudo().write(
            {
                "state": REFUND_STATES.get(status, "refund_submitted"),
                "refund_message_ref": outcome.message_id,
            }
        )
        self.picking_id.message_post(
            body=self.env._(
                "Refund of label %(number)s requested (%(message)s): %(status)s.",
                number=self.tracking_number,
                message=outcome.name,
                status=status or self.env._("submitted"),
            )
        )
