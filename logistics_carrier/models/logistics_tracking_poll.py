from datetime import datetime

from odoo import api, fields, models
from odoo.fields import Domain

TERMINAL = ("delivered", "returned_to_sender", "cancelled")
#: Parcels whose label still travels: not refunded, nor being refunded.
LIVE_PARCEL_STATES = ("bought", "refund_rejected")
#: Where a polled record keeps when it was last asked about.
POLLED_AT = {"logistics.carrier.parcel": "polled_at", "stock.picking": "logistics_polled_at"}


class StockPicking(models.Model):
    _inherit = "stock.picking"

    logistics_polled_at = fields.Datetime(
        string="Last polled",
        readonly=True,
        copy=False,
        help="When the carrier's tracking API was last asked about this delivery (one "
        "without parcels: parcels keep their own time).",
    )

    def _logistics_tracking_numbers(self):
        """The tracking numbers of this delivery's reference (``A,B``: one per package)."""
        self.ensure_one()
        parts = (self.carrier_tracking_ref or "").split(",")
        return [number.strip() for number in parts if number.strip()]


class LogisticsTrackingPoll(models.AbstractModel):
    """Asks carriers without webhooks where their parcels are.

    How to ask is the polling flow's format's business (its codec's ``poll_request``).
    Each parcel is asked about on its own, least recently asked first, so that every
    parcel on its way gets its turn however many there are.

    Each answer enters the inbox as an inbound message of the backend's polling flow,
    so it is kept, deduplicated and applied exactly like a webhook; a failed request is
    counted on the backend, with its error.
    """

    _name = "logistics.tracking.poll"
    _description = "Logistics Carrier Tracking Polling"

    @api.model
    def _cron_poll(self):
        """Scheduled action: poll the tracking of deliveries still on their way."""
        self._poll(commit=self.env["ir.cron"]._commit_progress)

    @api.model
    def _poll(self, batch_size=50, commit=None):
        """Poll a bounded batch per backend; ``commit`` (a cron's ``_commit_progress``)
        keeps each stored answer and says whether time is left."""
        for backend, _codec in self.env["logistics.backend"]._polling("tracking_poll_type_id"):
            for record, picking, numbers in self._to_poll(backend, batch_size):
                self._poll_record(backend, record, picking, numbers)
                if commit and commit(1) <= 0:
                    return

    def _pickings_to_poll_domain(self, backend):
        """Deliveries of ``backend``'s delivery methods still on their way."""
        oldest = fields.Datetime.subtract(
            fields.Datetime.now(), days=backend.tracking_poll_max_days or 30
        )
        return Domain(
            [
                ("carrier_id.logistics_backend_id", "=", backend.id),
                ("carrier_tracking_ref", "!=", False),
                ("state", "=", "done"),
                ("date_done", ">=", oldest),
                "|",
                ("logistics_status", "=", False),
                ("logistics_status", "not in", TERMINAL),
            ]
        )

    def _to_poll(self, backend, limit):
        """Up to ``limit`` ``(record, picking, numbers)`` to ask about, least recently
        asked first: each parcel of a delivery on its own, a delivery without parcels by
        the numbers of its reference."""
        pickings = self._pickings_to_poll_domain(backend)
        parcels = self.env["logistics.carrier.parcel"].search(
            Domain("picking_id", "any", pickings)
            & Domain("is_return", "=", False)
            & Domain("state", "in", LIVE_PARCEL_STATES),
            order="polled_at asc nulls first, id",
            limit=limit,
        )
        without_parcels = self.env["stock.picking"].search(
            pickings & Domain("logistics_parcel_ids", "not any", [("is_return", "=", False)]),
            order="logistics_polled_at asc nulls first, id",
            limit=limit,
        )
        items = [(parcel.polled_at, parcel, parcel.picking_id) for parcel in parcels]
        items += [(picking.logistics_polled_at, picking, picking) for picking in without_parcels]
        items.sort(key=lambda item: item[0] or datetime.min)
        return [
            (record, picking, record._logistics_tracking_numbers())
            for _polled_at, record, picking in items[:limit]
        ]

    def _poll_request(self, backend, number):
        """How the backend's polling flow asks about ``number``."""
        return backend.tracking_poll_type_id.get_codec().poll_request(number)

    def _poll_record(self, backend, record, picking, numbers):
        """Ask the carrier about a parcel or a delivery, one request per tracking number;
        return the stored answers. It goes to the back of the line, answered or not."""
        record.sudo().write({POLLED_AT[record._name]: fields.Datetime.now()})
        messages = self.env["logistics.message"]
        for number in numbers:
            messages |= self._poll_number(backend, picking, number)
        return messages

    def _poll_number(self, backend, picking, number):
        """Ask the carrier about one tracking number of ``picking``; return the stored
        answer, or no message when the request failed (counted on the backend)."""
        return backend._poll_and_store(
            backend.tracking_poll_type_id, self._poll_request(backend, number), picking, number
        )
