import logging

from odoo import api, fields, models

from logistics_adapters.errors import AdapterError

_logger = logging.getLogger(__name__)

TERMINAL = ("delivered", "returned_to_sender", "cancelled")


class LogisticsTrackingPoll(models.AbstractModel):
    """Asks carriers without webhooks where their parcels are.

    How to ask is the polling flow's format's business (its codec's ``poll_request``).

    Each answer enters the inbox as an inbound message of the backend's polling flow,
    so it is kept, deduplicated and applied exactly like a webhook.
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
        for backend in self.env["logistics.backend"].search(
            [("tracking_poll_type_id", "!=", False)]
        ):
            if not self._poll_request(backend, "probe"):
                continue
            pickings = self._pickings_to_poll(backend, batch_size)
            for picking in pickings:
                self._poll_picking(backend, picking)
                if commit and commit(1) <= 0:
                    return

    def _pickings_to_poll(self, backend, limit):
        oldest = fields.Datetime.subtract(
            fields.Datetime.now(), days=backend.tracking_poll_max_days or 30
        )
        return self.env["stock.picking"].search(
            [
                ("carrier_id.logistics_backend_id", "=", backend.id),
                ("carrier_tracking_ref", "!=", False),
                ("state", "=", "done"),
                ("date_done", ">=", oldest),
                "|",
                ("logistics_status", "=", False),
                ("logistics_status", "not in", TERMINAL),
            ],
            order="logistics_last_event_at asc, id",
            limit=limit,
        )

    def _poll_request(self, backend, number):
        """How the backend's polling flow asks about ``number``, or None if it cannot."""
        flow = backend.tracking_poll_type_id
        return flow.codec and flow.get_codec().poll_request(number)

    def _poll_picking(self, backend, picking):
        """Ask the carrier about one delivery; return the stored message, if any."""
        method, path, options = self._poll_request(backend, picking.carrier_tracking_ref)
        try:
            with backend.outbound_client() as client:
                response = client.request(method, path, **options)
        except AdapterError as exc:
            _logger.info("Tracking poll of %s failed: %s", picking.name, exc)
            return None
        message, _created = self.env["logistics.message"].store_inbound(
            backend,
            backend.tracking_poll_type_id,
            response.body,
            content_type="application/json",
            record=picking,
            partner_ref=picking.carrier_tracking_ref,
        )
        return message
