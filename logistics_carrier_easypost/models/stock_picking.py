from datetime import timedelta, timezone

from odoo import api, fields, models

from logistics_adapters.canonical import TrackingEvent


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.model
    def _logistics_load_demo_dead_label(self, picking_id):
        """Demo data: a label request the carrier failed five times, dead in the workbench."""
        picking = self.browse(picking_id)
        picking.action_confirm()
        picking.action_assign()  # ready to ship: its goods are picked, awaiting their label
        carrier = picking.carrier_id
        package = carrier._get_packages_from_picking(picking, carrier._logistics_package_type())[0]
        name = self.env._("Parcel %(number)s", number=1)
        shipment = carrier._logistics_shipment_from_picking(picking, package, name, False)
        message, _created = self.env["logistics.message"].enqueue_outbound(
            carrier._logistics_shipping_backend(),
            self.env.ref("logistics_carrier_easypost.logistics_message_type_easypost_label"),
            carrier._logistics_payload(shipment),
            carrier._logistics_label_key(picking, name, False),
            content_type="application/json",
            record=picking,
        )
        self.env["logistics.demo"].set_demo_state(
            message,
            "dead",
            fields.Datetime.now() - timedelta(hours=5),
            attempts=5,
            error=(
                "transient",
                "EasyPost answered 503 Service Unavailable five times (POST /v2/shipments): "
                "the carrier is down. When it answers again, open the message and press "
                "Retry now: the label is bought once and the delivery gets it.",
            ),
        )
        return message

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
