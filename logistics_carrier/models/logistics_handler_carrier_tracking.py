from collections import defaultdict

from odoo import api, models
from odoo.tools.sql import escape_psql

from logistics_adapters.canonical import TrackingEvent
from logistics_adapters.errors import BusinessError


class LogisticsHandlerCarrierTracking(models.AbstractModel):
    """Applies carrier tracking messages (any tracking format) to pickings.

    The flow's codec reads the payload once (``_parse``) and names its tracking numbers
    when it arrives (``_identify``, the default of the contract); the events are applied
    to the one delivery of the message's company shipped under each number.
    """

    _name = "logistics.handler.carrier.tracking"
    _inherit = "logistics.handler"
    _description = "Logistics handler: carrier tracking"

    @api.model
    def _process(self, message, data):
        by_number = defaultdict(list)
        for event in data:
            if isinstance(event, TrackingEvent):
                by_number[event.tracking_number].append(event)
        for number, number_events in by_number.items():
            picking = self._find_picking(message, number)
            picking._logistics_apply_events(message.backend_id, number_events, message)
        return True

    def _find_picking(self, message, number):
        """The one picking of the message's company shipped under ``number``.

        Two pickings with the same number are kept apart: a person decides.
        """
        pickings = (
            self.env["stock.picking"]
            .sudo()
            .search(
                [
                    "|",
                    ("carrier_tracking_ref", "=", number),
                    # One number of a reference "A,B" (a package each, no parcels recorded).
                    "|",
                    ("carrier_tracking_ref", "=like", f"{escape_psql(number)},%"),
                    "|",
                    ("carrier_tracking_ref", "=like", f"%,{escape_psql(number)}"),
                    "|",
                    ("carrier_tracking_ref", "=like", f"%,{escape_psql(number)},%"),
                    (
                        "logistics_parcel_ids",
                        "any",
                        [("tracking_number", "=", number), ("is_return", "=", False)],
                    ),
                    ("company_id", "=", message.company_id.id),
                ]
            )
        )
        if not pickings:
            raise BusinessError(
                f"no delivery of {message.company_id.name} has tracking number {number}: "
                "check the picking's tracking reference, then retry the message"
            )
        if len(pickings) > 1:
            raise BusinessError(
                f"tracking number {number} is on several deliveries "
                f"({', '.join(pickings.mapped('name'))}); they are kept apart: fix the "
                "tracking references, then retry the message"
            )
        return pickings
