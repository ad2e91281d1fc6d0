from odoo import api, fields, models


class LogisticsMessageEdit(models.TransientModel):
    """Managers: replay an edited copy of a message's payload, with an audit trail.

    The payload is edited as text in its own encoding (UTF-8, else Latin-1) and written
    back byte for byte wherever the person changed nothing, line breaks included.
    """

    _name = "logistics.message.edit"
    _description = "Edit and Replay a Logistics Message"

    message_id = fields.Many2one("logistics.message", required=True, readonly=True)
    payload = fields.Text(
        compute="_compute_payload",
        store=True,
        readonly=False,
        help="A copy of the payload: the original is never changed.",
    )
    payload_format = fields.Char(
        string="Format",
        compute="_compute_payload",
        store=True,
        help="The encoding and line breaks the edited copy is written with.",
    )
    reason = fields.Char(required=True, help="Why the payload is edited; kept in the chatter.")

    @api.depends("message_id")
    def _compute_payload(self):
        for wizard in self:
            message = wizard.message_id
            editable = message and message._get_edit_encoding()
            wizard.payload = message._get_edit_text() if editable else False
            wizard.payload_format = message._describe_edit_format() if message else False

    def action_replay_edited(self):
        """Queue the edited copy and open it."""
        self.ensure_one()
        message = self.message_id
        copy = message._replay_edited(message._payload_from_edit(self.payload), self.reason)
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.message",
            "res_id": copy.id,
            "view_mode": "form",
        }
