from odoo import fields, models


class LogisticsBackend(models.Model):
    _inherit = "logistics.backend"

    logistics_freight_carrier_id = fields.Many2one(
        "res.partner",
        string="Billing carrier",
        help="The carrier whose freight invoices arrive through this backend (else the "
        "carrier whose SCAC the invoice names).",
    )

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
