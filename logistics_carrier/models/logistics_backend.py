import logging

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.tools import mute_logger

from logistics_adapters.errors import AdapterError

_logger = logging.getLogger(__name__)


class LogisticsBackend(models.Model):
    _inherit = "logistics.backend"

    tracking_poll_type_id = fields.Many2one(
        "logistics.message.type",
        string="Tracking polling flow",
        domain=[("direction", "=", "inbound")],
        help="For carriers without webhooks (tracking APIs that answer when asked): the flow "
        "their answers are stored under; its format says how to ask. Leave empty not to poll.",
    )
    tracking_poll_max_days = fields.Integer(
        string="Poll for (days)",
        default=30,
        help="Deliveries older than this are no longer polled.",
    )
    tracking_poll_failures = fields.Integer(
        string="Failed polls in a row",
        readonly=True,
        copy=False,
        default=0,
        help="Tracking requests that failed since the carrier last answered one; the next "
        "answer resets it.",
    )
    tracking_poll_failed_at = fields.Datetime(string="Last poll failure", readonly=True, copy=False)
    tracking_poll_error = fields.Text(
        string="Last poll error",
        readonly=True,
        copy=False,
        help="What the last failed tracking request met, and for which tracking number.",
    )

    @api.private
    def _tracking_poll_record(self, error=None):
        """Count a failed tracking request (``error``: what it met), or reset the count
        after an answer; return the failures in a row.

        Kept in backend columns, across poll runs. A concurrent update of the backend is
        not waited for: the other transaction's outcome stands, as for the circuit breaker.
        """
        self.ensure_one()
        if error is None:
            query = """
                UPDATE logistics_backend SET tracking_poll_failures = 0
                 WHERE id = %s AND tracking_poll_failures > 0
             RETURNING tracking_poll_failures
            """
            params = [self.id]
        else:
            query = """
                UPDATE logistics_backend
                   SET tracking_poll_failures = COALESCE(tracking_poll_failures, 0) + 1,
                       tracking_poll_failed_at = now() AT TIME ZONE 'UTC',
                       tracking_poll_error = %s
                 WHERE id = %s
             RETURNING tracking_poll_failures
            """
            params = [error, self.id]
        fnames = ["tracking_poll_failures", "tracking_poll_failed_at", "tracking_poll_error"]
        self.flush_recordset(fnames)
        try:
            # A conflict is expected now and then: not a bad query for the log.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env.cr.execute(query, params)
                row = self.env.cr.fetchone()
        except (pg_errors.SerializationFailure, pg_errors.LockNotAvailable):
            row = None
        finally:
            self.invalidate_recordset(fnames)
        return row[0] if row else self.tracking_poll_failures

    @api.model
    def _polling(self, flow_field):
        """``(backend, codec)`` of the backends whose flow in ``flow_field`` (a polling
        flow) has a format that says how to ask."""
        for backend in self.search([(flow_field, "!=", False)]):
            flow = backend[flow_field]
            if flow.codec and flow.get_codec().can_poll():
                yield backend, flow.get_codec()

    @api.private
    def _poll_and_store(self, flow, request, record, partner_ref):
        """Ask the partner (``request``: ``(method, path, options)``, as a codec's
        ``poll_request`` gives it) about ``partner_ref`` of ``record``, and store its answer
        as an inbound message of ``flow``, kept, deduplicated and applied like a webhook.
        Return the message, or none when the request failed (counted on the backend with
        its error, as the answer resets the count)."""
        self.ensure_one()
        method, path, options = request
        try:
            with self.outbound_client() as client:
                response = client.request(method, path, **options)
        except AdapterError as exc:
            failures = self._tracking_poll_record(f"{partner_ref} ({record.display_name}): {exc}")
            _logger.warning(
                "Poll of %s (%s) on backend %s failed (%s in a row): %s",
                partner_ref,
                record.display_name,
                self.code,
                failures,
                exc,
            )
            return self.env["logistics.message"]
        self._tracking_poll_record()
        message, _created = self.env["logistics.message"].store_inbound(
            self,
            flow,
            response.body,
            content_type="application/json",
            record=record,
            partner_ref=partner_ref,
        )
        return message
