from odoo import models

#: Where the tracking notes of one ``_message_track`` wait to be created together.
NOTES = "logistics.tracking.batch.notes"


class LogisticsTrackingBatch(models.AbstractModel):
    """Chatter tracking of many records logged in one batch.

    Odoo logs the tracking of each record whose tracked fields changed as a note of its
    own, created one at a time when the writes are flushed. A model that inherits this
    mixin keeps every note (and its tracking values) as Odoo writes it, but the notes of
    one flush are created in one ``create``: what a batch of partner messages changes on
    thousands of records is logged at the cost of a few statements. Messages of a tracking
    subtype (posted, notifying followers) are posted as Odoo does.

    Listed before ``mail.thread`` in a model's ``_inherit`` (or before the model in an
    extension that names it: ``_name = "stock.picking"``, ``_inherit =
    ["logistics.tracking.batch", "stock.picking"]``), so that its methods come first and
    call mail.thread's.
    """

    _name = "logistics.tracking.batch"
    _description = "Chatter tracking logged in batches"

    def _message_track(self, fields_iter, initial_values_dict):
        cache = self.env.cr.cache
        if len(self) < 2 or NOTES in cache:
            return super()._message_track(fields_iter, initial_values_dict)
        notes = cache[NOTES] = []
        try:
            tracking = super()._message_track(fields_iter, initial_values_dict)
        finally:
            cache.pop(NOTES, None)
        if notes:
            self.sudo()._message_create(notes)
        return tracking

    def _message_log_batch(self, bodies, *args, **kwargs):
        if NOTES not in self.env.cr.cache:
            return super()._message_log_batch(bodies, *args, **kwargs)
        return super(
            LogisticsTrackingBatch, self.with_context(logistics_tracking_batch=True)
        )._message_log_batch(bodies, *args, **kwargs)

    def _message_create(self, values_list):
        notes = self.env.cr.cache.get(NOTES)
        if notes is None or not self.env.context.get("logistics_tracking_batch"):
            return super()._message_create(values_list)
        notes.extend(values_list)
        return self.env["mail.message"]
