from odoo import api, fields, models


class LogisticsMessageReplay(models.TransientModel):
    """Replay many messages at once, after a dry run that says what will happen."""

    _name = "logistics.message.replay"
    _description = "Replay Logistics Messages"

    message_ids = fields.Many2many(
        "logistics.message", string="Messages", default=lambda self: self._default_messages()
    )
    reason = fields.Char(help="Recorded in each message's chatter.")
    plan = fields.Text(compute="_compute_plan", string="What will happen")
    replay_count = fields.Integer(compute="_compute_plan")
    skip_count = fields.Integer(compute="_compute_plan")
    result = fields.Text(readonly=True)
    replayed = fields.Boolean(readonly=True)

    def _default_messages(self):
        if self.env.context.get("active_model") == "logistics.message":
            return self.env["logistics.message"].browse(self.env.context.get("active_ids"))
        return self.env["logistics.message"]

    @api.depends("message_ids")
    def _compute_plan(self):
        for wizard in self:
            plan = wizard.message_ids._replay_plan()
            wizard.plan = "\n".join(text for _message, _outcome, text in plan)
            wizard.skip_count = sum(1 for _message, outcome, _text in plan if outcome == "skip")
            wizard.replay_count = len(plan) - wizard.skip_count

    def action_dry_run(self):
        """Say what a replay would do, change nothing, and keep the wizard open."""
        self.ensure_one()
        self.result = self.env._(
            "Dry run, nothing changed: %(replay)s message(s) would be replayed and "
            "%(skip)s skipped.\n\n%(plan)s",
            replay=self.replay_count,
            skip=self.skip_count,
            plan=self.plan,
        )
        return self._reopen()

    def action_replay(self):
        """Replay the messages now."""
        self.ensure_one()
        replay_count, skip_count = self.replay_count, self.skip_count
        copies = self.message_ids.replay(reason=self.reason)
        self.write(
            {
                "replayed": True,
                "result": self.env._(
                    "Replayed %(replay)s message(s), skipped %(skip)s; %(copies)s new message(s) "
                    "created from done ones.",
                    replay=replay_count,
                    skip=skip_count,
                    copies=len(copies),
                ),
            }
        )
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Replay messages"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
