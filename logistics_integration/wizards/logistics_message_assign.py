from odoo import fields, models


class LogisticsMessageAssign(models.TransientModel):
    """Give failed messages to someone, with a to-do activity."""

    _name = "logistics.message.assign"
    _description = "Assign Logistics Messages"

    message_ids = fields.Many2many(
        "logistics.message",
        string="Messages",
        default=lambda self: self.env["logistics.message"].browse(
            self.env.context.get("active_ids") or []
        ),
    )
    user_id = fields.Many2one("res.users", string="Assign to", required=True)
    note = fields.Char(help="What the person should do; added to the activity.")

    def action_assign(self):
        """Assign the messages and schedule one activity per message for the user."""
        self.ensure_one()
        self.message_ids.write({"user_id": self.user_id.id})
        for message in self.message_ids:
            message.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.user_id.id,
                summary=self.env._("Handle logistics message %(name)s", name=message.name),
                note=self.note or message.error_summary or "",
            )
        return {"type": "ir.actions.act_window_close"}
