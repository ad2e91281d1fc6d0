from odoo import api, fields, models

from logistics_adapters.canonical import STATUSES


class LogisticsTransportMilestone(models.Model):
    """A status the carrier reported for a transport order (a 214, an IFTSTA, a
    container event), kept once even when the partner sends it again."""

    _name = "logistics.transport.milestone"
    _description = "Transport Milestone"
    _order = "occurred_at desc, id desc"

    order_id = fields.Many2one(
        "logistics.transport.order", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    kind = fields.Selection(
        [("event", "Happened"), ("estimate", "Estimate")],
        required=True,
        default="event",
        help="An estimate (ETA, appointment) says when something is expected: its time is "
        "that moment, and it moves nothing forward.",
    )
    status = fields.Selection(STATUSES, required=True)
    partner_status = fields.Char(help="The carrier's own code, as sent (AT7, STS...).")
    partner_status_text = fields.Char(string="Carrier's words")
    reason_code = fields.Char()
    occurred_at = fields.Datetime(required=True)
    estimated_at = fields.Datetime(string="ETA given")
    location = fields.Char()
    latitude = fields.Float(digits=(10, 6))
    longitude = fields.Float(digits=(10, 6))
    signed_by = fields.Char()
    message_id = fields.Many2one(
        "logistics.message",
        readonly=True,
        index="btree_not_null",
        groups="logistics_integration.group_logistics_user",
    )
    dedup_key = fields.Char(required=True, index=True)

    _dedup_unique = models.UniqueIndex(
        "(order_id, dedup_key)", "A milestone is kept once per transport order."
    )

    @api.model
    def _dedup_key_of(self, milestone):
        """What makes a reported milestone the same as one already kept."""
        moment = milestone.occurred_at or milestone.estimated_at or milestone.appointment_at
        when = moment.isoformat() if moment else ""
        ident = milestone.partner_event_id or f"{milestone.partner_status}@{when}"
        return f"{milestone.reference}|{ident}"
