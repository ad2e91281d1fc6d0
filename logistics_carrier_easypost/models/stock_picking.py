from datetime import timedelta, timezone

from odoo import api, fields, models

from logistics_adapters.canonical import TrackingEvent


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.model
    def _logistics_load_demo_tracking(self, backend_id, scenarios):
        """Demo data: give pickings a carrier story, so the tracking board shows life."""
        backend = self.env["logistics.backend"].browse(backend_id)
        now = fields.Datetime.now()
        steps = {
            "label_created": ["pre_transit"],
            "in_transit": ["pre_transit", "in_transit"],
            "out_for_delivery": ["pre_transit", "in_transit", "out_for_delivery"],
            "delivered": ["pre_transit", "in_transit", "out_for_delivery", "delivered"],
            "exception": ["pre_transit", "in_transit", "failure"],
        }
        texts = {
            "pre_transit": ("Label created", "label_created", "Memphis, TN, US"),
            "in_transit": ("Arrived at sort facility", "in_transit", "Indianapolis, IN, US"),
            "out_for_delivery": ("Out for delivery", "out_for_delivery", "Chicago, IL, US"),
            "delivered": ("Delivered, front door", "delivered", "Chicago, IL, US"),
            "failure": (
                "Delivery attempted: business closed",
                "delivery_failed",
                "Chicago, IL, US",
            ),
        }
        for picking_id, scenario in scenarios:
            picking = self.browse(picking_id)
            events = []
            for index, code in enumerate(steps[scenario]):
                text, status, location = texts[code]
                occurred = now - timedelta(hours=10 * (len(steps[scenario]) - index))
                events.append(
                    TrackingEvent(
                        tracking_number=picking.carrier_tracking_ref,
                        status=status,
                        partner_status=code,
                        partner_status_text=text,
                        occurred_at=occurred.replace(tzinfo=timezone.utc),
                        location=location,
                        description=text,
                        partner_event_id=f"demo/{picking.carrier_tracking_ref}/{index}",
                        carrier="USPS",
                        signed_by="R. RECEIVER" if code == "delivered" else "",
                    )
                )
            picking._logistics_apply_events(backend, events)
