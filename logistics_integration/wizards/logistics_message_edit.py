from odoo import api, fields, models


class LogisticsMessageEdit(models.TransientModel):
    """Managers: replay an edited copy of a message's payload, with an audit trail."""

    _name = "logistics.message.edit"
    _description = "Edit and Replay a Logistics Message"

    message_id = fields.Many2one("logistics.message", required=True, readonly=True)
    payload = fields.Text(
        compute="_compute_payload",
        store=True,
        readonly=False,
        help="A copy of the payload: the original is never changed.",
    )
    reason = fields.Char(required=True, help="Why the payload is edited; kept in the chatter.")

    @api.depends("message_id")
    def _compute_payload(self):
        for wizard in self:
            raw = wizard.message_id.get_payload() if wizard.message_id else b""
            wizard.payload = raw.decode("utf-8", errors="replace")

    def action_replay_edited(self):
        """Queue the edited copy and open it."""
        self.ensure_one()
        copy = self.message_id._replay_edited((self.payload or "").encode(), self.reason)
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.message",
            "res_id": copy.id,
            "view_mode": "form",
        }
