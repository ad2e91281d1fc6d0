from datetime import timedelta, timezone

from odoo import api, fields, models

from logistics_adapters.canonical import (
    STATUSES,
    advance_status,
    is_side_status,
)

from .delivery_carrier import NOTIFICATIONS

IN_TRANSIT_STATUSES = ("picked_up", "in_transit", "out_for_delivery", "available_for_pickup")
ALERT_STATUSES = ("exception", "delivery_failed", "customs_hold")


class StockPicking(models.Model):
    _name = "stock.picking"
    # The tracking of a batch's deliveries logged together (first, to come before mail's).
    _inherit = ["logistics.tracking.batch", "stock.picking"]

    logistics_status = fields.Selection(
        STATUSES, string="Shipment status", readonly=True, copy=False, index=True, tracking=True
    )
    logistics_alert = fields.Selection(
        STATUSES,
        string="Shipment alert",
        readonly=True,
        copy=False,
        help="Exception, failed delivery or customs hold reported after the last progress.",
    )
    logistics_backend_id = fields.Many2one(
        "logistics.backend", string="Tracking backend", readonly=True, copy=False
    )
    logistics_last_event_at = fields.Datetime(
        string="Last tracking event", readonly=True, copy=False
    )
    logistics_last_event = fields.Char(string="Last event", readonly=True, copy=False)
    logistics_delivered_at = fields.Datetime(string="Delivered at", readonly=True, copy=False)
    logistics_signed_by = fields.Char(string="Signed by", readonly=True, copy=False)
    logistics_event_ids = fields.One2many(
        "logistics.shipment.event", compute="_compute_logistics_events", string="Tracking events"
    )
    logistics_event_count = fields.Integer(compute="_compute_logistics_events")
    logistics_message_count = fields.Integer(compute="_compute_logistics_message_count")
    logistics_notified = fields.Char(
        readonly=True,
        copy=False,
        help="Shipment news already mailed to the customer (each is sent once).",
    )
    logistics_parcel_ids = fields.One2many(
        "logistics.carrier.parcel", "picking_id", string="Parcels", readonly=True
    )
    logistics_is_stale = fields.Boolean(
        compute="_compute_logistics_is_stale",
        search="_search_logistics_is_stale",
        string="Stale",
        help="In transit with no tracking event for longer than the backend's SLA hours.",
    )

    def _compute_logistics_events(self):
        Event = self.env["logistics.shipment.event"]
        for picking in self:
            events = Event.search(
                [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)]
            )
            picking.logistics_event_ids = events
            picking.logistics_event_count = len(events)

    def _compute_logistics_message_count(self):
        Message = self.env["logistics.message"]
        for picking in self:
            picking.logistics_message_count = Message.search_count(
                self._logistics_message_domain(picking)
            )

    def _logistics_message_domain(self, picking):
        events = picking.logistics_event_ids
        return [
            "|",
            "&",
            ("res_model", "=", "stock.picking"),
            ("res_id", "=", picking.id),
            ("id", "in", events.message_id.ids),
        ]

    @api.depends("logistics_status", "logistics_last_event_at", "logistics_backend_id.sla_hours")
    def _compute_logistics_is_stale(self):
        now = fields.Datetime.now()
        for picking in self:
            hours = picking.sudo().logistics_backend_id.sla_hours
            picking.logistics_is_stale = bool(
                hours
                and picking.logistics_status in IN_TRANSIT_STATUSES
                and picking.logistics_last_event_at
                and picking.logistics_last_event_at < now - timedelta(hours=hours)
            )

    def _search_logistics_is_stale(self, operator, value):
        if operator != "in":
            return NotImplemented
        candidates = self.search([("logistics_status", "in", IN_TRANSIT_STATUSES)])
        stale = candidates.filtered("logistics_is_stale")
        return [("id", "in", stale.ids)]

    def action_open_logistics_messages(self):
        """The partner messages that told this picking's story."""
        self.ensure_one()
        return self.env["logistics.message"].list_action(self._logistics_message_domain(self))

    def _logistics_apply_events(self, backend, events, message=None):
        """Apply canonical tracking events from ``backend``; return the new ones.

        Events already known are skipped, so a duplicated or replayed message changes
        nothing; a late event is kept in the timeline but never moves the status back.
        """
        self.ensure_one()
        return self._logistics_apply_events_many([(self, backend, events, message)])[0]

    @api.model
    def _logistics_apply_events_many(self, items):
        """:meth:`_logistics_apply_events` of many deliveries at once: ``items`` are
        ``(picking, backend, events, message)``. The events are recorded together, then
        each delivery with new ones moves; return each item's new events, in order."""
        StatusMap = self.env["logistics.status.map"]
        prepared = []
        for picking, backend, events, message in items:
            values = [
                picking._logistics_event_vals(
                    event,
                    StatusMap.map_partner_status(backend, event.partner_status, event.status),
                )
                for event in events
            ]
            prepared.append((picking, backend, values, message))
        created = self.env["logistics.shipment.event"].record_events_many(prepared)
        for (picking, backend, _events, _message), new in zip(items, created, strict=True):
            if new:
                picking._logistics_advance(backend, new)
        return created

    def _logistics_event_vals(self, event, status):
        occurred = event.occurred_at
        if occurred is None:
            local, occurred = "", fields.Datetime.now()
        elif occurred.tzinfo is None:
            # No zone from the partner: kept as given and said so, never shifted.
            local = self.env._("%(time)s (local time, zone unknown)", time=occurred.isoformat())
        else:
            local = occurred.isoformat()
            occurred = occurred.astimezone(timezone.utc).replace(tzinfo=None)
        return {
            "tracking_number": event.tracking_number,
            "status": status,
            "partner_status": event.partner_status,
            "partner_status_text": event.partner_status_text,
            "occurred_at": occurred,
            "occurred_at_local": local,
            "location": event.location,
            "description": event.description or event.partner_status_text,
            "partner_event_id": event.partner_event_id,
            "signed_by": event.signed_by,
        }

    def _logistics_advance(self, backend, new_events):
        """Move the picking's canonical status forward with its new events, in time order."""
        status = self.logistics_status
        alert = previous_alert = self.logistics_alert
        previous_status = status
        vals = {"logistics_backend_id": backend.id}
        unknown = new_events.filtered(lambda event: event.status == "unknown")
        for event in new_events.sorted("occurred_at"):
            advanced = advance_status(status or None, event.status)
            if is_side_status(event.status) and event.status in ALERT_STATUSES:
                if (
                    not self.logistics_last_event_at
                    or event.occurred_at >= self.logistics_last_event_at
                ):
                    alert = event.status
            elif advanced != status:
                alert = False
            status = advanced
            if event.status == "delivered":
                vals["logistics_delivered_at"] = event.occurred_at
                vals["logistics_signed_by"] = event.signed_by or self.logistics_signed_by
        latest = self.env["logistics.shipment.event"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", self.id)], limit=1
        )
        vals.update(
            logistics_status=status,
            logistics_alert=alert,
            logistics_last_event_at=latest.occurred_at,
            logistics_last_event=latest.description,
        )
        self.write(vals)
        if unknown:
            self._logistics_flag_unknown(backend, unknown)
        self._logistics_notify()
        if status != previous_status:
            self._logistics_on_status_change(previous_status, status)
        if alert and alert != previous_alert:
            self._logistics_flag_exception(backend)

    def _logistics_on_status_change(self, old, new):
        """Hook: the shipment status of this delivery moved from ``old`` to ``new``.

        One event, many consequences: addons hang theirs here (invoicing on proof of
        delivery, billing, customer portals) instead of the tracking code calling them.
        """
        return True

    def _logistics_notification_key(self):
        if self.logistics_alert:
            return "exception"
        if self.logistics_status in ("picked_up", "in_transit"):
            return "shipped"
        if self.logistics_status in ("out_for_delivery", "delivered"):
            return self.logistics_status
        return None

    def _logistics_notify(self):
        """Mail the customer the news the delivery method asks for, once per kind."""
        key = self._logistics_notification_key()
        notified = set((self.logistics_notified or "").split(",")) - {""}
        if not key or key in notified or not self.carrier_id:
            return
        if not self.carrier_id._logistics_notifies(key):
            return
        template = self.env.ref(NOTIFICATIONS[key], raise_if_not_found=False)
        if template and self.partner_id:
            template.sudo().send_mail(self.id)
        self.logistics_notified = ",".join(sorted(notified | {key}))

    def _logistics_todo(self, user, summary, note):
        """Give ``user`` a to-do on this delivery."""
        self.activity_schedule(
            "mail.mail_activity_data_todo", user_id=user.id, summary=summary, note=note
        )

    def _logistics_flag_exception(self, backend):
        self._logistics_todo(
            backend.user_id or self.user_id or self.env.user,
            self.env._("Shipment problem"),
            self.env._(
                "The carrier reports %(alert)s for %(picking)s: %(event)s. Contact the carrier "
                "or the customer, then follow the timeline.",
                alert=dict(self._fields["logistics_alert"].selection)[self.logistics_alert],
                picking=self.name,
                event=self.logistics_last_event or "",
            ),
        )

    @api.model
    def _cron_flag_stale(self):
        """Scheduled action: give stale shipments (no news past the SLA) to a person."""
        summary = self.env._("Stale shipment")
        for picking in self.search([("logistics_is_stale", "=", True)]):
            if summary in picking.activity_ids.mapped("summary"):
                continue
            picking._logistics_todo(
                picking.logistics_backend_id.user_id or picking.user_id or self.env.user,
                summary,
                self.env._(
                    "No tracking event since %(when)s. Ask the carrier where the parcel is.",
                    when=picking.logistics_last_event_at,
                ),
            )

    def _logistics_flag_unknown(self, backend, events):
        codes = ", ".join(sorted(set(events.mapped("partner_status"))))
        self._logistics_todo(
            backend.user_id or self.env.user,
            self.env._("Unmapped carrier status"),
            self.env._(
                "%(backend)s sent status codes %(codes)s that no status mapping knows. Map them "
                "under Logistics Integration > Configuration > Status Mappings.",
                backend=backend.name,
                codes=codes,
            ),
        )
