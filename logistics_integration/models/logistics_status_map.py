from odoo import api, fields, models

from logistics_adapters.canonical import STATUSES

UNKNOWN = "unknown"


class LogisticsStatusMap(models.Model):
    """Partner status code -> canonical shipment status, editable by managers."""

    _name = "logistics.status.map"
    _description = "Logistics Status Mapping"
    _order = "provider, backend_id, partner_code"
    _rec_name = "partner_code"

    provider = fields.Selection(
        selection=lambda self: self.env["logistics.backend"]._fields["provider"].selection,
        required=True,
        index=True,
        help="The mapping applies to every backend of this provider unless a backend has "
        "its own line for the same code.",
    )
    backend_id = fields.Many2one(
        "logistics.backend",
        index=True,
        ondelete="cascade",
        help="Leave empty for the provider's default; set to override for one backend.",
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    partner_code = fields.Char(required=True, help="Status code exactly as the partner sends it.")
    partner_text = fields.Char(help="What the partner's documentation says the code means.")
    status = fields.Selection(STATUSES, string="Canonical status", required=True)
    active = fields.Boolean(default=True)

    _code_unique = models.UniqueIndex(
        "(provider, COALESCE(backend_id, 0), partner_code) WHERE active",
        "A partner code is mapped once per provider and once per backend.",
    )

    @api.onchange("backend_id")
    def _onchange_backend_id(self):
        if self.backend_id:
            self.provider = self.backend_id.provider

    @api.model
    def _map_status(self, backend, partner_code):
        """Canonical status of ``partner_code`` for ``backend``; ``unknown`` if unmapped.

        A backend's own line wins over its provider's default.
        """
        lines = self.sudo().search(
            [
                ("provider", "=", backend.provider),
                ("partner_code", "=", partner_code or ""),
                ("backend_id", "in", (backend.id, False)),
            ]
        )
        own = lines.filtered("backend_id")
        return (own or lines)[:1].status or UNKNOWN
