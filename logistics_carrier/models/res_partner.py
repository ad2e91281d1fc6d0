from odoo import models

from logistics_adapters import canonical as c


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _logistics_address(self):
        """This partner as the canonical :class:`Address` partners are sent."""
        self.ensure_one()
        return c.Address(
            name=self.name or "",
            company=(self.commercial_company_name or "") if self.parent_id else "",
            street=self.street or "",
            street2=self.street2 or "",
            city=self.city or "",
            state=self.state_id.code or "",
            zip=self.zip or "",
            country=self.country_id.code or "",
            phone=self.phone or "",
            email=self.email or "",
        )
