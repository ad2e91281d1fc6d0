import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from .logistics_message_type import DIRECTIONS

_logger = logging.getLogger(__name__)

DEFAULT_TOMBSTONE_DAYS = 180


class LogisticsMessageTombstone(models.Model):
    """What is left of a purged message: enough to recognise its key.

    Purging a done message keeps its tombstone for the idempotency window (Settings,
    180 days by default, counted from the day the message was done), so a late
    duplicate is still a duplicate: the inbound stores of Odoo and of the gateway answer
    it as such, and an outbound request of that key is refused rather than sent again.
    """

    _name = "logistics.message.tombstone"
    _description = "Purged Logistics Message Key"
    _order = "done_at desc, id desc"
    _rec_name = "reference"

    backend_id = fields.Many2one(
        "logistics.backend", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="backend_id.company_id", store=True, index=True, readonly=True
    )
    direction = fields.Selection(DIRECTIONS, required=True, readonly=True)
    flow = fields.Char(readonly=True)
    idempotency_key = fields.Char(required=True, readonly=True)
    payload_sha256 = fields.Char(string="SHA-256", readonly=True)
    reference = fields.Char(readonly=True, help="The purged message's reference.")
    correlation_id = fields.Char(readonly=True)
    done_at = fields.Datetime(
        string="Done on", readonly=True, index=True, help="When the purged message was done."
    )

    _key_unique = models.UniqueIndex(
        "(backend_id, direction, idempotency_key)", "A purged key is remembered once."
    )

    @api.model
    def _get_window_days(self):
        """Days a purged key is remembered after its message was done; 0 is forever."""
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("logistics_integration.tombstone_days", DEFAULT_TOMBSTONE_DAYS)
        )

    @api.model
    def _window_cutoff(self):
        days = self._get_window_days()
        return fields.Datetime.subtract(fields.Datetime.now(), days=days) if days > 0 else None

    @api.model
    def _bury(self, messages):
        """Keep the tombstones of done messages about to be purged (those still inside
        the window)."""
        cutoff = self._window_cutoff()
        vals_list = [
            {
                "backend_id": message.backend_id.id,
                "direction": message.direction,
                "flow": message.flow,
                "idempotency_key": message.idempotency_key,
                "payload_sha256": message.payload_sha256,
                "reference": message.name,
                "correlation_id": message.correlation_id,
                "done_at": message.done_at,
            }
            for message in messages
            if not cutoff or message.done_at >= cutoff
        ]
        return self.sudo().create(vals_list)

    @api.model
    def _purge_expired(self):
        """Forget the keys whose window has passed; return how many."""
        cutoff = self._window_cutoff()
        if not cutoff:
            return 0
        self.flush_model()
        self.env.cr.execute("DELETE FROM logistics_message_tombstone WHERE done_at < %s", [cutoff])
        self.invalidate_model()
        if self.env.cr.rowcount:
            _logger.info("Forgot %s purged logistics message keys", self.env.cr.rowcount)
        return self.env.cr.rowcount

    @api.model
    def _refuse_outbound(self, backend, idempotency_key):
        """Refuse to send again an outbound request whose message was done and purged."""
        tombstone = self.sudo().search(
            [
                ("backend_id", "=", backend.id),
                ("direction", "=", "outbound"),
                ("idempotency_key", "=", idempotency_key),
            ],
            limit=1,
        )
        raise UserError(
            self.env._(
                "This request to %(backend)s (key %(key)s) was already sent and done as "
                "%(reference)s on %(date)s; that message was purged after the retention "
                "period and its key is kept so that it is never sent twice. Look its result "
                "up with the partner (a bought label is in the carrier's account). To send it "
                "again on purpose, a manager deletes the key under Logistics Integration > "
                "Configuration > Purged Keys.",
                backend=backend.display_name,
                key=idempotency_key,
                reference=tombstone.reference,
                date=format_datetime(self.env, tombstone.done_at),
            )
        )
