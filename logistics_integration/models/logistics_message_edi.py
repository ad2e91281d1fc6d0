from odoo import api, fields, models

from logistics_adapters.formats.display import segments_html

from ..edi import ACK_NONE, ACK_STATES


class LogisticsMessage(models.Model):
    """A message as an EDI document: which transaction set or message it carries, and
    where its acknowledgement stands (the one we sent for what we received, the
    partner's for what we sent)."""

    _inherit = "logistics.message"

    edi_document = fields.Char(
        string="EDI document",
        readonly=True,
        index="btree_not_null",
        help="Transaction set or message type it carries (214, 945, IFTSTA...).",
    )
    edi_control_number = fields.Char(
        string="EDI control number",
        readonly=True,
        index="btree_not_null",
        help="ST02 / UNH01 of a document; ISA13 / UNB05 of a whole interchange.",
    )
    edi_interchange_control = fields.Char(
        string="Interchange control number",
        readonly=True,
        help="ISA13 / UNB05 of the interchange a document came in.",
    )
    edi_ack_state = fields.Selection(
        ACK_STATES,
        string="Acknowledgement",
        readonly=True,
        index="btree_not_null",
        help="Inbound: what we acknowledged. Outbound: what the partner acknowledged.",
    )
    edi_ack_detail = fields.Text(string="Acknowledgement detail", readonly=True)
    edi_interchange_ids = fields.One2many(
        "logistics.edi.interchange", "message_id", string="Interchanges", readonly=True
    )
    edi_segments_html = fields.Html(
        compute="_compute_edi_segments_html",
        string="Segments",
        sanitize=False,
        help="The EDI payload one segment per line, the envelope apart.",
    )

    def _compute_edi_segments_html(self):
        for message in self:
            if message.edi_document or message.edi_interchange_ids:
                message.edi_segments_html = segments_html(message.get_payload())
            else:
                message.edi_segments_html = False

    @api.private
    def _edi_set_ack(self, state, detail=None):
        """Record where the acknowledgement of these messages stands."""
        vals = {"edi_ack_state": state or ACK_NONE}
        if detail is not None:
            vals["edi_ack_detail"] = detail or False
        self._service().write(vals)

    @api.private
    def _edi_todo(self, summary, note):
        """An activity for the backend's responsible person, once per message."""
        for message in self:
            backend = message.backend_id
            user = backend.user_id or backend._default_alert_user()
            if not user:
                continue
            if message.activity_ids.filtered(lambda activity: activity.summary == summary):
                continue
            message.sudo().activity_schedule(
                "mail.mail_activity_data_todo", user_id=user.id, summary=summary, note=note
            )
