"""Asks a 3PL with a JSON API what it shipped, for the orders its webhooks left quiet."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from .stock_picking import AT_THE_3PL


class LogisticsBackend(models.Model):
    _inherit = "logistics.backend"

    wms_poll_type_id = fields.Many2one(
        "logistics.message.type",
        string="Shipments polling flow",
        domain=[("direction", "=", "inbound"), ("handler_model", "=", "logistics.handler.wms")],
        help="For 3PLs whose webhooks may be missed: the flow their answers about an order's "
        "shipments are stored under; its format says how to ask. Leave empty not to poll.",
    )
    wms_poll_after_minutes = fields.Integer(
        string="Ask after (minutes)",
        default=60,
        help="An order at the 3PL that no confirmation came for in this time is asked about, "
        "then again each time this time passes, until it is shipped in full.",
    )


class StockPicking(models.Model):
    _inherit = "stock.picking"

    logistics_wms_polled_at = fields.Datetime(
        string="3PL asked at",
        readonly=True,
        copy=False,
        help="When the 3PL's API was last asked what it shipped of this order.",
    )


class LogisticsWmsPoll(models.AbstractModel):
    """Each answer enters the inbox as an inbound message of the backend's polling flow:
    kept, deduplicated and applied exactly as the webhook it stands in for (a shipment the
    webhook brought already is not applied again: confirmations are applied once). A
    failed request is counted on the backend with its error, as tracking polls are."""

    _name = "logistics.wms.poll"
    _description = "Logistics 3PL Shipment Polling"

    @api.model
    def _cron_poll(self):
        """Scheduled action: ask the 3PLs about their quiet orders."""
        self._poll(commit=self.env["ir.cron"]._commit_progress)

    @api.model
    def _poll(self, batch_size=50, commit=None):
        """Ask about a bounded batch per backend, least recently asked first; ``commit``
        (a cron's ``_commit_progress``) keeps each answer and says whether time is left."""
        for backend, codec in self.env["logistics.backend"]._polling("wms_poll_type_id"):
            for picking in self._to_poll(backend, batch_size):
                self._poll_order(backend, codec, picking)
                if commit and commit(1) <= 0:
                    return

    @api.model
    def _to_poll(self, backend, limit):
        quiet_since = fields.Datetime.now() - timedelta(minutes=backend.wms_poll_after_minutes)
        return self.env["stock.picking"].search(
            Domain("logistics_wms_backend_id", "=", backend.id)
            & Domain("logistics_wms_state", "in", AT_THE_3PL)
            & Domain("state", "not in", ("done", "cancel"))
            & Domain("logistics_wms_released_at", "<=", quiet_since)
            & (
                Domain("logistics_wms_polled_at", "=", False)
                | Domain("logistics_wms_polled_at", "<=", quiet_since)
            ),
            order="logistics_wms_polled_at asc nulls first, id",
            limit=limit,
        )

    @api.model
    def _poll_order(self, backend, codec, picking):
        """Ask what the 3PL shipped of ``picking``'s order; return the stored answer, or
        no message when the request failed."""
        picking.sudo().logistics_wms_polled_at = fields.Datetime.now()
        reference = picking.logistics_wms_reference
        return backend._poll_and_store(
            backend.wms_poll_type_id, codec.poll_request(reference), picking, reference
        )
