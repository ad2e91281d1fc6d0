from datetime import timedelta

from odoo import api, fields, models

from logistics_adapters.formats import interchange as edi_io

from ..edi import ACK_EXPECTED, ACK_OVERDUE, ACK_REJECTED, ACK_STATES, worst_ack_state
from .logistics_backend_edi import EDI_STANDARDS


class LogisticsEdiInterchange(models.Model):
    """One EDI interchange received or sent: its envelope, and where its acknowledgement
    stands.

    The row of an inbound interchange is what makes a second arrival of it (same sender,
    receiver and control number) a duplicate that processes nothing, whatever file or
    request brought it: a unique index decides, even for two processors at once. The row
    of an outbound one waits for the partner's 997, 999, TA1 or CONTRL until its deadline.
    """

    _name = "logistics.edi.interchange"
    _description = "Logistics EDI Interchange"
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    backend_id = fields.Many2one(
        "logistics.backend", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    message_id = fields.Many2one(
        "logistics.message",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        help="The message that carried (inbound) or carries (outbound) this interchange.",
    )
    direction = fields.Selection(
        [("inbound", "From the partner"), ("outbound", "To the partner")],
        required=True,
        readonly=True,
    )
    standard = fields.Selection(EDI_STANDARDS, required=True, readonly=True)
    sender_qualifier = fields.Char(readonly=True)
    sender_id = fields.Char(required=True, readonly=True)
    receiver_qualifier = fields.Char(readonly=True)
    receiver_id = fields.Char(required=True, readonly=True)
    control_number = fields.Char(required=True, readonly=True, index=True)
    group_control_numbers = fields.Char(
        readonly=True, help="Control numbers of the interchange's functional groups."
    )
    version = fields.Char(readonly=True)
    usage = fields.Selection([("T", "Test"), ("P", "Production")], readonly=True)
    interchange_date = fields.Char(string="Date and time", readonly=True)
    group_count = fields.Integer(string="Groups", readonly=True)
    document_count = fields.Integer(string="Documents", readonly=True)
    documents = fields.Char(
        string="Document types",
        readonly=True,
        help="Transaction sets or messages it holds, by type and count.",
    )
    discrepancies = fields.Text(
        readonly=True, help="Envelope checks that did not hold, accepted in lenient mode."
    )
    discrepancy_count = fields.Integer(readonly=True)
    duplicate_count = fields.Integer(
        string="Duplicates received",
        readonly=True,
        help="Times the same interchange arrived again and was left unprocessed.",
    )
    ack_state = fields.Selection(
        ACK_STATES, string="Acknowledgement", readonly=True, index=True, default="none"
    )
    ack_due_at = fields.Datetime(string="Acknowledgement due", readonly=True)
    ack_at = fields.Datetime(string="Acknowledged at", readonly=True)
    ack_detail = fields.Text(string="Acknowledgement detail", readonly=True)
    ack_message_id = fields.Many2one(
        "logistics.message",
        string="Acknowledgement message",
        readonly=True,
        ondelete="set null",
        help="Outbound: the partner's acknowledgement. Inbound: the one we sent back.",
    )

    _interchange_unique = models.UniqueIndex(
        "(backend_id, direction, standard, COALESCE(sender_qualifier, ''), sender_id, "
        "COALESCE(receiver_qualifier, ''), receiver_id, control_number)",
        "An interchange is received once and sent once per partner.",
    )

    @api.depends("standard", "control_number", "sender_id", "receiver_id")
    def _compute_name(self):
        for interchange in self:
            head = "ISA" if interchange.standard == "x12" else "UNB"
            interchange.name = (
                f"{head} {interchange.control_number} "
                f"{interchange.sender_id} → {interchange.receiver_id}"
            )

    @api.model
    def _prepare_vals(self, message, envelope, direction):
        """The row of ``envelope`` (an :class:`~logistics_adapters.formats.edi.Interchange`
        described by :func:`~logistics_integration.edi.describe_interchange`) carried by
        ``message``."""
        return {
            "backend_id": message.backend_id.id,
            "message_id": message.id,
            "direction": direction,
            "standard": envelope["standard"],
            "sender_qualifier": envelope["sender"][0],
            "sender_id": envelope["sender"][1],
            "receiver_qualifier": envelope["receiver"][0],
            "receiver_id": envelope["receiver"][1],
            "control_number": envelope["control_number"],
            "group_control_numbers": ", ".join(envelope["groups"]),
            "version": envelope["version"],
            "usage": envelope["usage"],
            "interchange_date": envelope["date"],
            "group_count": len(envelope["groups"]),
            "document_count": envelope["document_count"],
            "documents": envelope["documents"],
            "discrepancies": "\n".join(envelope["discrepancies"]) or False,
            "discrepancy_count": len(envelope["discrepancies"]),
        }

    @api.model
    def _claim(self, vals):
        """Record an arriving interchange; return ``(interchange, duplicate_of)``.

        ``duplicate_of`` is the interchange already received under the same identity
        (its duplicate count goes up), else empty. The unique index settles a race
        between two processors: the loser sees the winner's row.
        """
        key = [
            ("backend_id", "=", vals["backend_id"]),
            ("direction", "=", vals["direction"]),
            ("standard", "=", vals["standard"]),
            ("sender_qualifier", "=", vals["sender_qualifier"] or False),
            ("sender_id", "=", vals["sender_id"]),
            ("receiver_qualifier", "=", vals["receiver_qualifier"] or False),
            ("receiver_id", "=", vals["receiver_id"]),
            ("control_number", "=", vals["control_number"]),
        ]
        existing = self.search(key, limit=1)
        if existing and existing.message_id.id != vals["message_id"]:
            existing.duplicate_count += 1
            return self.browse(), existing
        if existing:  # the same message worked again (retry after a failure)
            return existing, self.browse()
        return self.create(vals), self.browse()

    @api.model
    @api.private
    def receive_now(self, backend, payload):
        """Store ``payload``, an X12 or EDIFACT interchange from ``backend`` (ParseError
        when it is neither), and work it now with the documents it holds, in this
        transaction (an interchange a person brings, the demo, the tests), with our
        acknowledgement of it when the backend sends one; return ``(message, documents)``,
        the documents' messages."""
        flow = self.env.ref("logistics_integration.logistics_message_type_edi_interchange")
        message, _created = self.env["logistics.message"].store_inbound(
            backend, flow, payload, content_type=edi_io.CONTENT_TYPES[edi_io.standard_of(payload)]
        )
        message.work_now()
        # The documents, and our acknowledgement when the backend sends one.
        message.child_ids.filtered(lambda child: child.state == "pending").work_now()
        return message, message.child_ids.filtered(lambda child: child.direction == "inbound")

    @api.model
    @api.private
    def send_documents(
        self, backend, message_type, kind, documents, idempotency_key, *, record=None
    ):
        """Queue ``documents`` (transaction sets or messages of type ``kind``, each a list
        of segments, a segment a list of elements) as one interchange of ours to
        ``backend``; return the outbound message.

        The interchange gets fresh control numbers from the backend's sequences, is
        written with the backend's identifiers, version and delimiters, and waits for
        the partner's acknowledgement once sent. The idempotency key names the business
        action: queuing it again returns the first message and draws no number.
        """
        messages = self.env["logistics.message"]
        existing = messages.find_latest(backend, idempotency_key)
        if existing:
            return existing
        rendered = edi_io.render(backend._edi_write_settings(), kind, documents)
        message, created = messages.enqueue_outbound(
            backend,
            message_type,
            rendered.payload,
            idempotency_key,
            content_type=edi_io.CONTENT_TYPES[rendered.standard],
            partner_ref=backend._edi_file_name(rendered.standard, kind, rendered.control),
            record=record,
        )
        if created:
            message._service().write({"edi_document": kind, "edi_control_number": rendered.control})
            self.create(self._prepare_vals(message, rendered.describe(), "outbound"))
        return message

    def _expect_ack(self, sent_at=None):
        """The interchange was sent: wait for the partner's acknowledgement until the
        backend's deadline, when the partner acknowledges."""
        for interchange in self:
            backend = interchange.backend_id
            if not backend.edi_expects_ack:
                continue
            sent_at = sent_at or fields.Datetime.now()
            interchange.write(
                {
                    "ack_state": ACK_EXPECTED,
                    "ack_due_at": sent_at + timedelta(minutes=backend.edi_ack_deadline or 15),
                }
            )
            interchange.message_id._edi_set_ack(ACK_EXPECTED)

    def _record_ack(self, state, detail, ack_message):
        """The partner acknowledged: keep its verdict, in words, on the interchange and
        its message; a rejection goes to the workbench."""
        for interchange in self:
            if interchange.ack_message_id == ack_message:  # a TA1 and a 997 in one answer
                state = worst_ack_state([interchange.ack_state, state])
                detail = f"{interchange.ack_detail}\n{detail}"
            interchange.write(
                {
                    "ack_state": state,
                    "ack_at": fields.Datetime.now(),
                    "ack_detail": detail,
                    "ack_message_id": ack_message.id,
                }
            )
            interchange.message_id._edi_set_ack(state, detail)
            if state == ACK_REJECTED:
                interchange._ack_todo(
                    self.env._("EDI interchange rejected by the partner"),
                    self.env._(
                        "%(partner)s rejected interchange %(control)s: %(detail)s Fix the "
                        "data, then replay the message."
                    ),
                    detail=detail,
                )

    @api.model
    def _cron_ack_overdue(self):
        """Scheduled action: interchanges of ours whose acknowledgement is late go to the
        workbench, with an activity for the backend's responsible person."""
        overdue = self.search(
            [
                ("direction", "=", "outbound"),
                ("ack_state", "=", ACK_EXPECTED),
                ("ack_due_at", "<", fields.Datetime.now()),
            ],
            limit=500,
        )
        for interchange in overdue:
            interchange.ack_state = ACK_OVERDUE
            interchange.message_id._edi_set_ack(ACK_OVERDUE)
            interchange._ack_todo(
                self.env._("EDI acknowledgement overdue"),
                self.env._(
                    "%(partner)s has not acknowledged interchange %(control)s, due "
                    "%(due)s. Ask the partner whether it arrived; resend it with Replay if not."
                ),
                due=fields.Datetime.to_string(interchange.ack_due_at),
            )
        return len(overdue)

    @api.private
    def _ack_todo(self, summary, note, **values):
        """An activity on the interchange's message for the backend's responsible person:
        ``note`` (translated) filled with the partner's name (``%(partner)s``), the control
        number (``%(control)s``) and ``values``."""
        self.ensure_one()
        values = {"partner": self.backend_id.name, "control": self.control_number, **values}
        self.message_id._edi_todo(summary, note % values)

    def action_open_message(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.message",
            "res_id": self.message_id.id,
            "views": [(False, "form")],
        }
