from odoo import fields, models

from .logistics_message_tombstone import DEFAULT_TOMBSTONE_DAYS
from .logistics_message_type import DEFAULT_RETRY_PATTERN


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_retention_days = fields.Integer(
        string="Keep done messages (days)",
        config_parameter="logistics_integration.retention_days",
        default=30,
        help="Done messages older than this are purged by a scheduled action; 0 keeps them.",
    )
    logistics_tombstone_days = fields.Integer(
        string="Remember purged keys (days)",
        config_parameter="logistics_integration.tombstone_days",
        default=DEFAULT_TOMBSTONE_DAYS,
        help="A purged message's key is remembered this many days after the message was done, "
        "so a late duplicate is not processed again and a request is never sent twice; "
        "0 remembers keys forever.",
    )
    logistics_default_retry_pattern = fields.Char(
        string="Default retry pattern",
        config_parameter="logistics_integration.default_retry_pattern",
        default=DEFAULT_RETRY_PATTERN,
        help="Seconds between retries for new message types, comma separated.",
    )
    logistics_alert_user_id = fields.Many2one(
        "res.users",
        string="Alert user",
        config_parameter="logistics_integration.alert_user_id",
        help="Gets an activity when messages of a backend without a responsible fail.",
    )
    logistics_processors = fields.Integer(
        string="Parallel processors",
        default=1,
        help="Processors working at once (1 to 4), each a scheduled action: give Odoo as "
        "many cron workers (--max-cron-threads). Messages about the same partner reference "
        "always go to one processor at a time.",
    )
    logistics_batch_size = fields.Integer(
        string="Processor batch size",
        config_parameter="logistics_integration.batch_size",
        default=100,
    )

    def get_values(self):
        values = super().get_values()
        crons = self.env["logistics.processor"]._processor_crons()
        values["logistics_processors"] = len(crons.filtered("active")) or 1
        return values

    def set_values(self):
        result = super().set_values()
        self.env["logistics.processor"]._set_parallel_processors(self.logistics_processors)
        return result
