import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class LogisticsSecurityEvent(models.Model):
    """A refused inbound request: bad or missing signature, replay, wrong credentials.

    The request body is not kept (it is not trusted); who, when and why is.
    """

    _name = "logistics.security.event"
    _description = "Logistics Security Event"
    _order = "id desc"

    backend_id = fields.Many2one(
        "logistics.backend", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    flow = fields.Char(readonly=True)
    reason = fields.Char(required=True, readonly=True)
    remote_addr = fields.Char(string="Remote address", readonly=True)
    create_date = fields.Datetime(string="Occurred at", readonly=True)

    @api.model
    def _record(self, backend, flow, reason, remote_addr):
        """Keep a refused request for the integration managers."""
        _logger.warning(
            "Refused inbound request for backend %s from %s: %s",
            backend.code,
            remote_addr,
            reason,
        )
        return self.sudo().create(
            {
                "backend_id": backend.id,
                "flow": flow,
                "reason": reason[:500],
                "remote_addr": remote_addr,
            }
        )
