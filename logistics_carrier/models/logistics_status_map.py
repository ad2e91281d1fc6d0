import importlib

from odoo import api, models, tools

# Provider -> (codec module, name of its status table). Each codec publishes the table
# of its partner's codes; they seed the editable status mappings.
PROVIDER_TABLES = {
    "easypost": ("logistics_adapters.codecs.easypost", "STATUS_MAP"),
    "ups": ("logistics_adapters.codecs.tracking", "UPS_STATUSES"),
    "fedex": ("logistics_adapters.codecs.tracking", "FEDEX_STATUSES"),
    "dhl": ("logistics_adapters.codecs.tracking", "DHL_STATUSES"),
    "aftership": ("logistics_adapters.codecs.tracking", "AFTERSHIP_STATUSES"),
    "shipengine": ("logistics_adapters.codecs.tracking", "SHIPENGINE_STATUSES"),
}


class LogisticsStatusMap(models.Model):
    _inherit = "logistics.status.map"

    @api.model
    def _seed_from_codecs(self):
        """Create the provider mappings the codecs publish, leaving edited lines alone."""
        for provider, (module_name, table_name) in PROVIDER_TABLES.items():
            table = getattr(importlib.import_module(module_name), table_name)
            existing = set(
                self.with_context(active_test=False)
                .search([("provider", "=", provider), ("backend_id", "=", False)])
                .mapped("partner_code")
            )
            self.create(
                [
                    {"provider": provider, "partner_code": code, "status": status}
                    for code, status in table.items()
                    if code not in existing
                ]
            )

    @api.model
    def _map_partner_status(self, backend, partner_status, default):
        """Canonical status of a partner code for ``backend``.

        A mapping line for the exact code wins; otherwise the codec's own reading
        (``default``, which knows the partner's sub-codes); when the codec does not
        know it either, a line for the main code (before ``/``); else ``unknown``.
        """
        mapped = self._mapped_statuses(backend.provider, backend.id)
        code = partner_status or ""
        if code in mapped:
            return mapped[code]
        if default and default != "unknown":
            return default
        main = code.split("/", 1)[0]
        if main != code and main in mapped:
            return mapped[main]
        return "unknown"

    @api.model
    @tools.ormcache("provider", "backend_id")
    def _mapped_statuses(self, provider, backend_id):
        """Partner code -> canonical status for a backend, its own lines winning over its
        provider's (cached: every tracking event asks; a change to the mappings clears it).
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
