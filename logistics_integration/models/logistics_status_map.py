from odoo import api, fields, models, tools

from logistics_adapters.canonical import STATUS_CODES, STATUSES
from logistics_adapters.partners import available_partners, get_partner

UNKNOWN = "unknown"


def status_candidates(provider, partner_code):
    """The codes to look ``partner_code`` up under, most specific first, as the
    provider's partner reads its own codes (exact code, then its parts)."""
    try:
        partner = get_partner(provider)
    except LookupError:
        return (partner_code,)
    return tuple(partner.status_candidates(partner_code))


class LogisticsStatusMap(models.Model):
    """Partner status code -> canonical status, editable by managers.

    The one place a partner's status becomes canonical: every flow (carrier tracking,
    transport milestones, warehouse statuses) asks :meth:`map_partner_status` when it
    processes a message. The provider lines are seeded from the partner's own table in
    ``logistics_adapters`` (:meth:`_seed_from_partners`); a backend's line overrides its
    provider's for the same code.
    """

    _name = "logistics.status.map"
    _description = "Logistics Status Mapping"
    _order = "provider, backend_id, partner_code"
    _rec_name = "partner_code"

    provider = fields.Selection(
        selection=lambda self: self.env["logistics.backend"]._selection_provider(),
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
    def _seed_from_partners(self):
        """Create the provider mappings the partners publish, leaving edited lines alone."""
        valid = set(dict(self.env["logistics.backend"]._selection_provider()))
        for partner in available_partners():
            if partner.code not in valid or not partner.statuses:
                continue
            existing = set(
                self.with_context(active_test=False)
                .search([("provider", "=", partner.code), ("backend_id", "=", False)])
                .mapped("partner_code")
            )
            self.create(
                [
                    {
                        "provider": partner.code,
                        "partner_code": code,
                        "partner_text": entry.label or False,
                        "status": entry.status,
                    }
                    for code, entry in partner.statuses.items()
                    if code not in existing
                ]
            )

    @api.model
    @api.private
    def map_partner_status(self, backend, partner_status, given=None):
        """Canonical status of a partner code for ``backend``.

        The first of the code's candidates (the code, then its parts, as the partner
        reads them) that a line maps, the backend's own line winning. When no line maps
        it, the reading of the format stands (``given``: a partner-free format such as
        canonical JSON states the canonical status itself, and a partner document may
        carry more than its code, such as a derived status); else ``unknown``.
        """
        mapped = self._mapped_statuses(backend.provider, backend.id)
        for code in status_candidates(backend.provider, partner_status or ""):
            if code in mapped:
                return mapped[code]
        return given if given in STATUS_CODES else UNKNOWN

    @api.model
    @tools.ormcache("provider", "backend_id")
    def _mapped_statuses(self, provider, backend_id):
        """Partner code -> canonical status for a backend, its own lines winning over its
        provider's (cached: every event asks; a change to the mappings clears it).
        """
        lines = self.sudo().search(
            [("provider", "=", provider), ("backend_id", "in", (backend_id, False))]
        )
        mapped = {}
        for line in lines.sorted(lambda line: bool(line.backend_id)):
            mapped[line.partner_code] = line.status
        return mapped

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
