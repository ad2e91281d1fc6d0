import hashlib

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models

from logistics_adapters.canonical import STATUSES


class LogisticsShipmentEvent(models.Model):
    """A canonical tracking event, attached to any record (pickings first)."""

    _name = "logistics.shipment.event"
    _description = "Logistics Shipment Event"
    _order = "occurred_at desc, id desc"
    _rec_name = "description"

    res_model = fields.Char(string="Related model", required=True, index=True)
    res_id = fields.Many2oneReference(
        string="Related record id", model_field="res_model", required=True, index=True
    )
    # Events are derived from the backend's messages (which keep a backend from being
    # deleted); events without messages, such as demo data, go with their backend.
    backend_id = fields.Many2one("logistics.backend", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    message_id = fields.Many2one(
        "logistics.message", string="Partner message", index="btree_not_null", ondelete="set null"
    )
    tracking_number = fields.Char(required=True, index=True)
    status = fields.Selection(STATUSES, required=True, index=True)
    partner_status = fields.Char(string="Partner code")
    partner_status_text = fields.Char(string="Partner status")
    occurred_at = fields.Datetime(required=True)
    occurred_at_local = fields.Char(
        string="Local time", help="Event time as the partner gave it, with its offset."
    )
    location = fields.Char()
    description = fields.Char()
    partner_event_id = fields.Char()
    signed_by = fields.Char(help="Who signed for the delivery, as the carrier reports it.")
    event_key = fields.Char(required=True, readonly=True)

    _event_key_unique = models.UniqueIndex(
        "(backend_id, event_key)", "This tracking event is already recorded."
    )

    @api.model
    def _event_key(self, vals):
        """Identity of an event: the partner's id, else what it says and when."""
        if vals.get("partner_event_id"):
            basis = f"id:{vals['tracking_number']}:{vals['partner_event_id']}"
        else:
            basis = "|".join(
                str(vals.get(name) or "")
                for name in ("tracking_number", "partner_status", "occurred_at", "location")
            )
        return hashlib.sha256(basis.encode()).hexdigest()

    @api.model
    @api.private
    def record_events(self, record, backend, events_vals, message=None):
        """Attach events to ``record``; return those that were new.

        Events already recorded for the backend (same key) are skipped, so a
        duplicated or replayed message adds nothing.
        """
        created = self.browse()
        for vals in events_vals:
            key = self._event_key(vals)
            if self.sudo().search_count(
                [("backend_id", "=", backend.id), ("event_key", "=", key)], limit=1
            ):
                continue
            try:
                with self.env.cr.savepoint():
                    created |= self.sudo().create(
                        self._attached_vals(vals, key, record, backend, message)
                    )
            except UniqueViolation:
                continue  # recorded meanwhile by a concurrent message
        return created

    @api.model
    @api.private
    def record_events_many(self, items):
        """:meth:`record_events` of many records at once: ``items`` are ``(record,
        backend, events_vals, message)``. The events already recorded are read in one
        query and the new ones created in one statement (should a concurrent message have
        recorded one of them meanwhile, each item alone). Return each item's new events,
        in the order of ``items``."""
        Event = self.sudo()
        keyed = [[(self._event_key(vals), vals) for vals in item[2]] for item in items]
        wanted = {
            (item[1].id, key) for item, pairs in zip(items, keyed, strict=True) for key, _v in pairs
        }
        known = set()
        if wanted:
            rows = Event.search_read(
                [
                    ("backend_id", "in", list({backend for backend, _key in wanted})),
                    ("event_key", "in", list({key for _backend, key in wanted})),
                ],
                ["backend_id", "event_key"],
            )
            known = {(row["backend_id"][0], row["event_key"]) for row in rows}
        vals_list, owners = [], []
        for index, ((record, backend, _events, message), pairs) in enumerate(
            zip(items, keyed, strict=True)
        ):
            for key, vals in pairs:
                if (backend.id, key) in known:
                    continue
                known.add((backend.id, key))
                vals_list.append(self._attached_vals(vals, key, record, backend, message))
                owners.append(index)
        try:
            with self.env.cr.savepoint():
                created = Event.create(vals_list)
        except UniqueViolation:
            return [self.record_events(*item) for item in items]
        result = [Event.browse() for _item in items]
        for index, event in zip(owners, created, strict=True):
            result[index] |= event
        return result

    @api.model
    def _attached_vals(self, vals, key, record, backend, message):
        """The values of event ``vals`` (of key ``key``) from ``backend`` on ``record``."""
        return {
            **vals,
            "event_key": key,
            "res_model": record._name,
            "res_id": record.id,
            "backend_id": backend.id,
            "message_id": message.id if message else False,
        }
