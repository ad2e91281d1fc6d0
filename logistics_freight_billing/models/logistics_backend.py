from odoo import fields, models

from logistics_adapters.formats.csv_invoice import DEFAULT_MAPPING, read_csv_invoices


class LogisticsBackend(models.Model):
    _inherit = "logistics.backend"

    logistics_freight_carrier_id = fields.Many2one(
        "res.partner",
        string="Billing carrier",
        help="The carrier whose freight invoices arrive through this backend (else the "
        "carrier whose SCAC the invoice names).",
    )

    logistics_freight_csv_mapping_id = fields.Many2one(
        "logistics.freight.csv.mapping",
        string="CSV invoice layout",
        help="How this carrier's CSV invoice files are laid out; empty: the suite's own "
        "layout (the canonical names as headers).",
    )

    def _logistics_freight_csv(self, payload):
        """The freight invoices of CSV file ``payload`` sent through this backend, read
        with its layout."""
        self.ensure_one()
        Mapping = self.env["logistics.freight.csv.mapping"]
        layout = self.logistics_freight_csv_mapping_id
        mapping = Mapping._mapping_of(layout) if layout else DEFAULT_MAPPING
        return read_csv_invoices(payload, mapping)

    def _logistics_freight_carrier(self, code):
        """The carrier of an invoice that arrived here naming itself ``code`` (its SCAC):
        the backend's billing carrier, else the partner with that SCAC, else the carrier
        load tenders go to through this backend."""
        self.ensure_one()
        if self.logistics_freight_carrier_id:
            return self.logistics_freight_carrier_id
        Partner = self.env["res.partner"]
        if code:
            partner = Partner.search([("logistics_scac", "=", code.strip().upper())], limit=1)
            if partner:
                return partner
        return Partner.search([("logistics_tms_backend_id", "=", self.id)], limit=1)
