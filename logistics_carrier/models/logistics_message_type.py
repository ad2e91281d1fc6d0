from odoo import api, models

from logistics_adapters.partners import available_partners

HANDLER = "logistics.handler.carrier.tracking"


class LogisticsMessageType(models.Model):
    _inherit = "logistics.message.type"

    @api.model
    def _logistics_seed_tracking_flows(self):
        """One inbound tracking flow per document a carrier partner pushes (webhook) and
        one per document it answers when asked (polling), as its folder in
        ``logistics_adapters`` declares them; flows that exist are left alone."""
        for partner in available_partners(kind="carrier"):
            if partner.tracking_webhook:
                self._logistics_seed_flow(
                    f"logistics_message_type_tracking_{partner.code}",
                    name=self.env._("Carrier tracking (%(partner)s webhook)", partner=partner.name),
                    code=f"carrier.tracking.{partner.code}",
                    codec=partner.tracking_webhook,
                    priority=5,
                    retry_pattern="30, 120, 600, 1800, 3600",
                )
            if partner.tracking_poll:
                self._logistics_seed_flow(
                    f"logistics_message_type_poll_{partner.code}",
                    name=self.env._(
                        "Carrier tracking (%(partner)s tracking API, polled)", partner=partner.name
                    ),
                    code=f"carrier.tracking.{partner.code}.poll",
                    codec=partner.tracking_poll,
                    priority=20,
                    retry_pattern="60, 300, 1800",
                )

    def _logistics_seed_flow(self, xml_name, **vals):
        xmlid = f"logistics_carrier.{xml_name}"
        if self.env.ref(xmlid, raise_if_not_found=False):
            return
        flow = self.with_context(active_test=False).search(
            [("code", "=", vals["code"]), ("direction", "=", "inbound")], limit=1
        ) or self.create({**vals, "direction": "inbound", "handler_model": HANDLER})
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": xmlid, "record": flow, "noupdate": True}]
        )
