import base64
import difflib
import hashlib
import logging
import math
import re
import uuid
from collections import Counter
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import Cursor
from odoo.tools import SQL

from logistics_gateway import inbox

from ..engine import (
    ERROR_BUSINESS,
    ERROR_KINDS,
    ERROR_TRANSIENT,
    FAILED_STATES,
    PAYLOADS_READ,
    STATE_CANCELLED,
    STATE_DEAD,
    STATE_DONE,
    STATE_ERROR,
    STATE_PENDING,
    STATE_RETRY,
    STATES,
    WORKING_STATES,
    ClaimConflict,
    Outcome,
)
from .logistics_message_type import DIRECTIONS

_logger = logging.getLogger(__name__)

#: Seconds before a message that met a concurrent change is tried again.
DEFER_SECONDS = 1
# Milliseconds since a message's arrival: datetime fields keep whole seconds, the row's
# creation timestamp keeps microseconds.
LATENCY_MS_SQL = (
    "COALESCE(GREATEST(FLOOR(EXTRACT(EPOCH FROM"
    " (clock_timestamp() AT TIME ZONE 'UTC' - create_date)) * 1000), 0), 0)::int"
)

PAYLOAD_PREVIEW_BYTES = 256 * 1024
#: What marking a message done changes.
DONE_FIELDS = (
    "state",
    "done_at",
    "next_attempt_at",
    "error_kind",
    "error_text",
    "error_summary",
    "error_traceback",
    "duration_ms",
    "latency_ms",
    "write_date",
    "write_uid",
)
#: Bytes that make a payload binary rather than text: control characters other than tab,
#: line and page breaks and the information separators some EDI files use.
BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1b]")
LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
#: Encodings a payload is edited in, and their names for a person.
EDIT_ENCODINGS = {"utf-8": "UTF-8", "latin-1": "ISO-8859-1 (Latin-1)"}

# Messages are created and their engine fields written only by the service methods
# of this module. The sentinel is an object: it cannot travel over RPC.
_SERVICE = object()
# What a person may change on a message through the client.
USER_WRITABLE_FIELDS = {"user_id", "note"}


class LogisticsMessage(models.Model):
    """The durable inbox and outbox: one row per partner message, kept verbatim."""

    _name = "logistics.message"
    _description = "Logistics Message"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(string="Reference", readonly=True, index="trigram", copy=False)
    backend_id = fields.Many2one(
        "logistics.backend", required=True, readonly=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        related="backend_id.company_id", store=True, index=True, readonly=True
    )
    type_id = fields.Many2one(
        "logistics.message.type",
        string="Flow",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    flow = fields.Char(related="type_id.code", store=True, readonly=True)
    direction = fields.Selection(DIRECTIONS, required=True, readonly=True)
    state = fields.Selection(
        STATES, default=STATE_PENDING, required=True, readonly=True, index=True
    )
    priority = fields.Integer(readonly=True, default=10)
    idempotency_key = fields.Char(required=True, readonly=True)
    partner_ref = fields.Char(string="Partner reference", readonly=True, index="btree_not_null")
    correlation_id = fields.Char(readonly=True, index=True)
    parent_id = fields.Many2one("logistics.message", readonly=True, index="btree_not_null")
    child_ids = fields.One2many("logistics.message", "parent_id", readonly=True)
    child_count = fields.Integer(compute="_compute_child_count")
    res_model = fields.Char(string="Related model", readonly=True, index="btree_not_null")
    res_id = fields.Many2oneReference(
        string="Related record id", model_field="res_model", readonly=True
    )
    record_ref = fields.Reference(
        selection="_selection_record_ref", compute="_compute_record_ref", string="Related record"
    )
    content_type = fields.Char(readonly=True)
    payload_sha256 = fields.Char(string="SHA-256", readonly=True)
    payload_size = fields.Integer(string="Size (bytes)", readonly=True)
    payload_text = fields.Text(compute="_compute_payload_text", string="Payload")
    payload_file = fields.Binary(compute="_compute_payload_file", string="Download payload")
    payload_filename = fields.Char(compute="_compute_payload_file")
    edit_diff = fields.Text(
        string="Edit",
        readonly=True,
        help="Unified diff between the payload this message was copied from and its own.",
    )
    received_count = fields.Integer(
        default=1,
        readonly=True,
        aggregator="max",
        help="How many times the partner sent this same message.",
    )
    attempts = fields.Integer(readonly=True, aggregator="max")
    max_attempts = fields.Integer(related="type_id.max_attempts")
    next_attempt_at = fields.Datetime(readonly=True)
    received_at = fields.Datetime(readonly=True, index=True)
    last_received_at = fields.Datetime(readonly=True)
    started_at = fields.Datetime(string="Last attempt", readonly=True)
    done_at = fields.Datetime(readonly=True)
    duration_ms = fields.Integer(string="Processing time (ms)", readonly=True, aggregator="avg")
    latency_ms = fields.Integer(
        string="Latency (ms)",
        readonly=True,
        aggregator="avg",
        help="Time from arrival to the end of processing.",
    )
    error_kind = fields.Selection(ERROR_KINDS, readonly=True, index="btree_not_null")
    error_text = fields.Text(readonly=True)
    error_summary = fields.Char(
        compute="_compute_error_summary", store=True, help="First line of the error."
    )
    error_traceback = fields.Text(readonly=True)
    request_record = fields.Text(
        string="Last request", readonly=True, help="The last partner call, secrets masked."
    )
    response_record = fields.Text(
        string="Last response", readonly=True, help="The partner's last answer, secrets masked."
    )
    user_id = fields.Many2one("res.users", string="Assigned to", tracking=True, index=True)
    note = fields.Text()

    _idempotency_key_unique = models.UniqueIndex(
        "(backend_id, direction, idempotency_key)",
        "This partner message was already received.",
    )
    _claim_index = models.Index("(priority, id) WHERE state IN ('pending', 'retry')")
    _purge_index = models.Index("(done_at) WHERE state = 'done'")

    def _auto_init(self):
        """Keep the raw payload in a bytea column the ORM never rewrites."""
        super()._auto_init()
        self.env.cr.execute("ALTER TABLE logistics_message ADD COLUMN IF NOT EXISTS payload bytea")

    # -- computes ----------------------------------------------------------------------

    @api.model
    def _selection_record_ref(self):
        return [(model.model, model.name) for model in self.env["ir.model"].sudo().search([])]

    @api.depends("res_model", "res_id")
    def _compute_record_ref(self):
        for message in self:
            model = message.res_model
            message.record_ref = (
                f"{model},{message.res_id}" if model in self.env and message.res_id else False
            )

    def _compute_child_count(self):
        counts = dict(self._read_group([("parent_id", "in", self.ids)], ["parent_id"], ["__count"]))
        for message in self:
            message.child_count = counts.get(message, 0)

    def _compute_payload_text(self):
        payloads = self._read_payloads(limit=PAYLOAD_PREVIEW_BYTES)
        for message in self:
            raw = payloads.get(message.id) or b""
            text = raw.decode("utf-8", errors="replace")
            if message.payload_size > len(raw):
                text += self.env._(
                    "\n… %(size)s bytes in all: download the payload to see the rest.",
                    size=message.payload_size,
                )
            message.payload_text = text

    def _compute_payload_file(self):
        payloads = self._read_payloads()
        for message in self:
            raw = payloads.get(message.id)
            message.payload_file = base64.b64encode(raw) if raw else False
            message.payload_filename = f"{message.name or 'message'}{self._guess_suffix()}"

    def _guess_suffix(self):
        content_type = (self.content_type or "").lower()
        for needle, suffix in (("json", ".json"), ("xml", ".xml"), ("edi", ".edi")):
            if needle in content_type:
                return suffix
        return ".txt" if content_type.startswith("text/") else ".bin"

    @api.depends("error_text")
    def _compute_error_summary(self):
        for message in self:
            first_line = (message.error_text or "").strip().splitlines()[:1]
            message.error_summary = first_line[0][:200] if first_line else False

    # -- payload -----------------------------------------------------------------------

    def _read_payloads(self, limit=None):
        """Raw payload bytes of these messages, by id (optionally truncated)."""
        ids = [message_id for message_id in self.ids if message_id]
        if not ids:
            return {}
        column = SQL("substring(payload from 1 for %s)", limit) if limit else SQL("payload")
        self.env.cr.execute(
            SQL("SELECT id, %s FROM logistics_message WHERE id = ANY(%s)", column, ids)
        )
        return {
            message_id: bytes(raw) if raw is not None else b""
            for message_id, raw in self.env.cr.fetchall()
        }

    # -- protection --------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("logistics_message_service") is not _SERVICE:
            raise AccessError(
                self.env._(
                    "Logistics messages are created by the integration engine only: send the "
                    "message through the partner endpoint or the connector instead."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get("logistics_message_service") is not _SERVICE:
            forbidden = {
                name
                for name in vals
                if name not in USER_WRITABLE_FIELDS
                and not name.startswith(("message_", "activity_"))
            }
            if forbidden:
                raise AccessError(
                    self.env._(
                        "Fields %(fields)s of a logistics message are kept by the engine and "
                        "cannot be changed. Use Retry, Replay or Cancel instead.",
                        fields=", ".join(sorted(forbidden)),
                    )
                )
        return super().write(vals)

    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(self.env._("A logistics message cannot be duplicated: use Replay."))

    def _service(self):
        """This recordset in the engine's write mode."""
        return self.with_context(logistics_message_service=_SERVICE)

    # -- public service API --------------------------------------------------------------
    # What business addons use; none of it can be called over RPC.

    @api.model
    @api.private
    def store_inbound(self, backend, message_type, payload, **options):
        """Store an inbound partner message; return ``(message, created)``.

        ``payload`` is kept byte for byte. The idempotency key comes from
        ``options``, else from the flow's handler (``_identify``), else the payload's
        SHA-256: a second arrival of the same key creates nothing and counts a duplicate
        on the first message instead. Options: ``idempotency_key``, ``content_type``,
        ``headers``, ``partner_ref``, ``correlation_id``, ``parent``, ``record``.
        """
        return self._store(backend, message_type, "inbound", payload, **options)

    @api.model
    @api.private
    def enqueue_outbound(self, backend, message_type, payload, idempotency_key, **options):
        """Queue a message for a partner; return ``(message, created)``.

        The idempotency key names the business action (e.g. the label of one
        package of one picking), so enqueuing the same action twice sends it once.
        """
        return self._store(
            backend,
            message_type,
            "outbound",
            payload,
            idempotency_key=idempotency_key,
            **options,
        )

    @api.private
    def get_payload(self):
        """The payload exactly as it arrived (or as it will be sent), as bytes."""
        self.ensure_one()
        read = self.env.cr.cache.get(PAYLOADS_READ)
        if read is not None and self.id in read:
            return read[self.id]  # read with its batch (payloads never change)
        return self._read_payloads().get(self.id, b"")

    @api.private
    def work_now(self):
        """Work these messages at once, in this transaction; return those worked.

        They are claimed as a processor would (their backend's circuit and concurrency
        apply, and only ready messages are taken), so one that cannot run now stays
        where it is for the next processor.
        """
        processor = self.env["logistics.processor"]
        try:
            claimed = processor._claim(len(self), restrict_ids=self.ids)
        except ClaimConflict:
            return self.browse()
        processor._process_claimed(claimed)
        return claimed

    @api.model
    @api.private
    def send_now(
        self,
        backend,
        message_type,
        payload,
        idempotency_key,
        *,
        record=None,
        correlation_id=None,
        content_type="application/json",
        context=None,
        replace_refused=True,
        cancel_failed=False,
    ):
        """Store an outbound message and work it at once, in a transaction of its own.

        Return its :class:`~odoo.addons.logistics_integration.engine.Outcome`: the work
        is committed whatever happens to the caller's transaction (a refused request
        stays in the workbench, a bought label is never bought twice), and this
        transaction may not see it. A message of the same key already done is not
        sent again (nor one purged since: the key's tombstone refuses it with a
        ``UserError``); one waiting for its next attempt is worked at once; a failed one
        is sent again, or, when the partner refused it
        (business error) and ``payload`` changed and ``replace_refused``, cancelled
        and replaced by a new request. With ``cancel_failed`` (a quote, say) a failure
        is cancelled: the person was told, nothing is to be retried. ``context`` is
        added to the environment of the work (for the flow's handler).
        """
        # The other transaction sees what this one has written only once it is flushed
        # (tests share one transaction); this one sees the other's work after invalidation.
        self.env.flush_all()
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr, context=dict(self.env.context, **(context or {})), su=True)
            Message = env["logistics.message"]
            backend = backend.with_env(env)
            message = Message.find_latest(backend, idempotency_key)
            if message and message.state in WORKING_STATES and not message._is_due():
                # Waiting for its backoff: asked again now, it is worked now, with the
                # backend's settings as they are now.
                message.requeue(env._("Asked again by %(user)s.", user=env.user.name))
            elif message and message.state in FAILED_STATES:
                refused = message.error_kind == ERROR_BUSINESS
                if replace_refused and refused and message.get_payload() != payload:
                    message.cancel(env._("Replaced by a new request."))
                    idempotency_key = f"{idempotency_key}#{message.id}"
                    message = Message
                else:
                    message.requeue(env._("Asked again by %(user)s.", user=env.user.name))
            if not message:
                message, _created = Message.enqueue_outbound(
                    backend,
                    message_type.with_env(env),
                    payload,
                    idempotency_key,
                    content_type=content_type,
                    correlation_id=correlation_id,
                    record=record.with_env(env) if record else None,
                )
            # Queued for good before the call: what the call leaves (an answer kept in a
            # transaction of its own) refers to a message that exists for everyone. The
            # cursor is this method's own, not the caller's.
            cr.commit()  # pylint: disable=invalid-commit
            if message.state in WORKING_STATES:
                message.work_now()
            if cancel_failed and message.state in FAILED_STATES:
                message.cancel()
            # A fresh snapshot: it sees what the work kept in transactions of its own.
            cr.commit()  # pylint: disable=invalid-commit
            outcome = message.outcome()
        self.env.invalidate_all()
        return outcome

    def _is_due(self):
        """Whether a processor may take this message now (its next attempt time passed)."""
        self.ensure_one()
        return bool(self.next_attempt_at) and self.next_attempt_at <= fields.Datetime.now()

    @api.model
    @api.private
    def find_latest(self, backend, idempotency_key):
        """The newest outbound message of ``idempotency_key`` (or of its replacements)."""
        return self.sudo().search(
            [
                ("backend_id", "=", backend.id),
                ("direction", "=", "outbound"),
                "|",
                ("idempotency_key", "=", idempotency_key),
                ("idempotency_key", "=like", f"{idempotency_key}#%"),
            ],
            order="id desc",
            limit=1,
        )

    @api.private
    def record_answer(self, message_type, body, content_type="application/json", committed=False):
        """Keep a partner's answer to this message verbatim, as a done child message.

        Return the child. Each answer is kept once per attempt and position, so a
        retried call keeps its new answers beside the old ones. With ``committed``, the
        answer is kept in a transaction of its own, committed at once, whatever happens
        to this one afterwards: for what a partner has sold (a label bought), which a
        retry must find instead of buying again. It is then keyed by its content (the
        same answer kept twice is one message), and this transaction may not see it.
        """
        self.ensure_one()
        if committed:
            key = f"{self.idempotency_key}/answer/{hashlib.sha256(body).hexdigest()[:32]}"
            with self.env.registry.cursor() as cr:
                env = self.env(cr=cr, su=True)
                answer = self.with_env(env)._keep_answer(message_type.with_env(env), body, key)
                answer_id = answer.id
            return self.browse(answer_id)
        key = f"{self.idempotency_key}/answer/{self.attempts}/{len(self.child_ids) + 1}"
        return self._keep_answer(message_type, body, key, content_type)

    def _keep_answer(self, message_type, body, key, content_type="application/json"):
        answer, created = self._store(
            self.backend_id,
            message_type,
            "inbound",
            body,
            idempotency_key=key,
            content_type=content_type,
            parent=self,
            record=self.record_ref or None,
        )
        if created:
            answer._mark_done(fields.Datetime.now())
        self.invalidate_recordset(["child_ids"])
        return answer

    @api.private
    def outcome(self):
        """This message's state, latest kept answer and the file it brought, as an Outcome.

        The answer is the one carrying a file when one came, else the last.
        """
        self.ensure_one()
        message = self.sudo()
        answers = message.child_ids.filtered(lambda child: child.direction == "inbound")
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", self._name), ("res_id", "in", answers.ids)],
                order="id desc",
                limit=1,
            )
        )
        answer = answers.browse(attachment.res_id) if attachment else answers.sorted("id")[-1:]
        return Outcome(
            message_id=message.id,
            name=message.name,
            state=message.state,
            error_kind=message.error_kind or "",
            error_text=message.error_text or "",
            answer=answer.get_payload() if answer else None,
            attachment=attachment.raw if attachment else None,
            attachment_mimetype=attachment.mimetype or "" if attachment else "",
        )

    @api.private
    def cancel(self, note=None):
        """Stop working on these messages (working or failed); they stay for audit."""
        self._check_states(WORKING_STATES + FAILED_STATES, self.env._("Cancel"))
        self._service().write({"state": STATE_CANCELLED, "next_attempt_at": False})
        for message in self:
            message.message_post(
                body=note or self.env._("Cancelled by %(user)s.", user=self.env.user.name)
            )
        return True

    @api.private
    def requeue(self, note):
        """Put these messages back to work now with a fresh attempt budget; ``note`` goes
        to their chatter."""
        now = fields.Datetime.now()
        self._service().write(
            {
                "state": STATE_PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "error_kind": False,
                "error_text": False,
                "error_traceback": False,
            }
        )
        for message in self:
            message.message_post(body=note)
        self.env["logistics.processor"]._wake_up()

    @api.private
    def replay(self, reason=None):
        """Replay these messages as :meth:`_replay_plan` says; return the new copies."""
        copies = self.browse()
        suffix = self.env._(" Reason: %(reason)s", reason=reason) if reason else ""
        for message, outcome, _text in self._replay_plan():
            if outcome == "requeue":
                message.requeue(
                    self.env._("Replayed by %(user)s.", user=self.env.user.name) + suffix
                )
            elif outcome == "copy":
                copies |= message._replay_copy(message.get_payload(), reason=reason)
        return copies

    @api.model
    def _store(self, backend, message_type, direction, payload, **options):
        """Store a message, or count a duplicate on the message of its key; return
        ``(message, created)``.

        The key of a purged message (its tombstone) stores nothing: an inbound duplicate
        returns an empty ``message``; an outbound one is refused, so that a request done
        once (a label bought) is never sent again.
        """
        kept = self._keep(backend, message_type, direction, payload, **options)
        if kept.message_id is None and direction == "outbound":
            tombstones = self.env["logistics.message.tombstone"]
            tombstones._refuse_outbound(backend, options["idempotency_key"])
        return self.browse(kept.message_id), kept.created

    @api.model
    def _keep(
        self,
        backend,
        message_type,
        direction,
        payload,
        *,
        idempotency_key=None,
        content_type=None,
        headers=None,
        partner_ref=None,
        correlation_id=None,
        parent=None,
        record=None,
    ):
        """Prepare the row of a message (identity, key, hashes) and store it in this
        environment's transaction; return the :class:`~logistics_gateway.inbox.Kept`."""
        if not isinstance(payload, bytes):
            raise TypeError("A logistics message payload is bytes, got %s" % type(payload))
        if message_type.direction != direction:
            raise UserError(
                self.env._(
                    "Flow %(flow)s is %(expected)s, it cannot carry a %(direction)s message.",
                    flow=message_type.code,
                    expected=message_type.direction,
                    direction=direction,
                )
            )
        identity = self._read_identity(backend, message_type, payload, headers)
        sha256 = hashlib.sha256(payload).hexdigest()
        record = record or self._identity_record(identity)
        now = fields.Datetime.now()
        row = {
            "backend_id": backend.id,
            "company_id": backend.company_id.id,
            "type_id": message_type.id,
            "flow": message_type.code,
            "direction": direction,
            "priority": message_type.priority,
            "idempotency_key": idempotency_key or identity.get("idempotency_key") or sha256,
            "partner_ref": partner_ref or identity.get("partner_ref"),
            "correlation_id": correlation_id
            or (parent and parent.correlation_id)
            or uuid.uuid4().hex,
            "parent_id": parent.id if parent else None,
            "res_model": record._name if record else None,
            "res_id": record.id if record else None,
            "content_type": content_type,
            "payload_sha256": sha256,
            "payload_size": len(payload),
            "now": now,
            "user_id": self.env.uid,
        }
        kept = self._insert(row, payload)
        if parent:
            parent.invalidate_recordset(["child_ids"])  # a row the ORM did not write
        if kept.created and message_type.realtime:
            self.env["logistics.processor"]._wake_up()
        return kept

    def _read_identity(self, backend, message_type, payload, headers):
        """What the handler can tell of an inbound payload before it is stored.

        A payload the handler cannot read is stored all the same (keyed by its hash):
        processing then files the error where a person sees it.
        """
        if message_type.direction != "inbound":
            return {}
        try:
            with self.env.cr.savepoint():
                handler = self.env[message_type.handler_model]
                return handler._identify(backend, message_type, payload, headers)
        except Exception as exc:
            _logger.info("Identity of a %s payload unreadable: %s", message_type.code, exc)
            return {}

    def _identity_record(self, identity):
        if identity.get("res_model") and identity.get("res_id"):
            return self.env[identity["res_model"]].browse(identity["res_id"])
        return None

    def _insert(self, row, payload):
        """Store the row and its payload, or count a duplicate on the row of its key;
        return the :class:`~logistics_gateway.inbox.Kept`. The SQL is the gateway's
        (``logistics_gateway.inbox``).

        In the caller's transaction (repeatable read), a key committed by a concurrent
        transaction after its snapshot raises a concurrency error, and Odoo retries; the
        partner endpoint stores in a transaction of its own instead
        (:meth:`_store_inbound_committed`).
        """
        self.flush_model()
        kept = inbox.store_message(
            self.env.cr,
            row,
            payload,
            lambda _cr: self.env["ir.sequence"].sudo().next_by_code(inbox.SEQUENCE_CODE),
        )
        self.browse(kept.message_id).invalidate_recordset()
        return kept

    @api.private
    def store_documents(self, documents, extra_columns=()):
        """Store the documents this inbound message holds as its children, many per
        statement; return them (a duplicate key returns the message of the key).

        ``documents`` is a list of dicts: ``message_type``, ``payload`` (bytes),
        ``idempotency_key``, ``partner_ref``, ``content_type``, and the ``extra_columns``
        (columns of this model the caller fills, such as the EDI fields). For the thousands
        of documents of an EDI interchange: no identity is read (the key is given), no
        record is cached, the processors are woken once.
        """
        self.ensure_one()
        if not documents:
            return self.browse()
        now = fields.Datetime.now()
        rows = [self._document_row(document, now) for document in documents]
        self.flush_model()
        kept = inbox.store_many(self.env.cr, rows, self._draw_names, extra_columns)
        self.invalidate_recordset(["child_ids"])  # rows the ORM did not write
        if any(k.created for k in kept) and any(d["message_type"].realtime for d in documents):
            self.env["logistics.processor"]._wake_up()
        return self.browse([k.message_id for k in kept if k.message_id])

    def _document_row(self, document, now):
        message_type, payload = document["message_type"], document["payload"]
        return {
            **document,
            "backend_id": self.backend_id.id,
            "company_id": self.company_id.id,
            "type_id": message_type.id,
            "flow": message_type.code,
            "direction": "inbound",
            "priority": message_type.priority,
            "correlation_id": self.correlation_id,
            "parent_id": self.id,
            "res_model": self.res_model or None,
            "res_id": self.res_id or None,
            "payload_sha256": hashlib.sha256(payload).hexdigest(),
            "payload_size": len(payload),
            "now": now,
            "user_id": self.env.uid,
        }

    def _draw_names(self, cr, count):
        """``count`` message references at once (one round trip for a standard sequence)."""
        sequence = (
            self.env["ir.sequence"].sudo().search([("code", "=", inbox.SEQUENCE_CODE)], limit=1)
        )
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence._next() for _index in range(count)]
        cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            [f"ir_sequence_{sequence.id:03d}", count],
        )
        return [sequence.get_next_char(number) for (number,) in cr.fetchall()]

    @api.model
    def _store_inbound_committed(self, backend, message_type, payload, **options):
        """Store an inbound partner message in a short transaction of its own, committed
        on return; return ``(reference, correlation_id, created)``.

        For the partner endpoint: under READ COMMITTED the one ``INSERT ... ON CONFLICT``
        meets no concurrency error however many deliveries of one key arrive at once, and
        the answer is given once the message is durably stored. The caller's transaction
        (repeatable read) may not see the row: hence plain values, as :meth:`send_now`.
        """
        with self.env.registry.cursor() as cr:
            if isinstance(cr, Cursor):  # a test cursor is a savepoint of the test's transaction
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            env = self.env(cr=cr)
            kept = env["logistics.message"]._keep(
                backend.with_env(env), message_type.with_env(env), "inbound", payload, **options
            )
        return kept.name, kept.correlation_id, kept.created

    # -- service: life cycle -----------------------------------------------------------

    def _get_handler(self):
        self.ensure_one()
        return self.env[self.type_id.handler_model].with_company(self.company_id)

    def _mark_deferred(self, now, reason):
        """Give back an attempt that met a concurrent change: not a failure of the message.

        Another processor was changing the same records; the message is tried again in a
        second, its attempt not counted and no error recorded.
        """
        _logger.info("Logistics message %s deferred: %s", self.name, reason)
        self._service().write(
            {
                "attempts": max(self.attempts - 1, 0),
                "next_attempt_at": now + timedelta(seconds=DEFER_SECONDS),
            }
        )

    def _mark_started(self, now):
        """Count an attempt on each of these messages, in one statement."""
        if not self:
            return
        self.flush_recordset(["started_at", "attempts"])
        self.env.cr.execute(
            "UPDATE logistics_message SET started_at = %s, attempts = COALESCE(attempts, 0) + 1"
            " WHERE id = ANY(%s)",
            [now, self.ids],
        )
        self.invalidate_recordset(["started_at", "attempts"])

    def _mark_done_many(self, now, durations):
        """These messages done, in one statement; ``durations``: ``{id: milliseconds}``."""
        if not self:
            return
        self.flush_recordset()
        rows = [(message.id, math.ceil(durations.get(message.id, 0))) for message in self]
        self.env.cr.execute(
            SQL(
                f"""
                UPDATE logistics_message message
                   SET state = %s, done_at = %s, next_attempt_at = NULL, error_kind = NULL,
                       error_text = NULL, error_summary = NULL, error_traceback = NULL,
                       duration_ms = done.duration_ms,
                       latency_ms = {LATENCY_MS_SQL},
                       write_date = %s, write_uid = %s
                  FROM (VALUES %s) AS done(id, duration_ms)
                 WHERE message.id = done.id
                """,
                STATE_DONE,
                now,
                now,
                self.env.uid,
                SQL(", ").join(SQL("(%s, %s)", message_id, ms) for message_id, ms in rows),
            )
        )
        self.invalidate_recordset(DONE_FIELDS)

    def _mark_done(self, now, duration_ms=0):
        """Done, in one statement, with the time since arrival measured by PostgreSQL."""
        self.ensure_one()
        self._mark_done_many(now, {self.id: duration_ms})

    def _mark_failed(self, kind, text, trace, now, retry_after=None, duration_ms=0):
        """Record a failed attempt and decide what comes next, by the error's kind."""
        vals = {
            "error_kind": kind,
            "error_text": text,
            "error_traceback": trace,
            **self._timings(duration_ms),
        }
        if kind != ERROR_TRANSIENT:
            vals.update(state=STATE_ERROR, next_attempt_at=False)
        elif self.attempts >= self.type_id.max_attempts:
            vals.update(state=STATE_DEAD, next_attempt_at=False)
        else:
            delay = self.type_id._get_retry_delay(self.attempts, retry_after)
            vals.update(state=STATE_RETRY, next_attempt_at=now + timedelta(seconds=delay))
        self._service().write(vals)
        if vals["state"] == STATE_RETRY:
            self.env["logistics.processor"]._wake_up(at=vals["next_attempt_at"])
        else:
            self.backend_id._notify_attention()

    def _timings(self, duration_ms):
        """Processing time of this attempt, and time since arrival, in milliseconds (a
        part of a millisecond counts as one: a message that was worked took time)."""
        self.env.cr.execute(
            f"SELECT {LATENCY_MS_SQL} FROM logistics_message WHERE id = %s", [self.id]
        )
        row = self.env.cr.fetchone()
        return {"duration_ms": math.ceil(duration_ms), "latency_ms": row[0] if row else 0}

    # -- partner calls -----------------------------------------------------------------

    @api.private
    def call_partner(self, method, path, **kwargs):
        """Call this message's backend through the outbound client; return the response.

        The call carries the message's idempotency key and correlation id, and its
        masked request and response are kept on the message. A failure raises the
        classified error (transient or business); the processor keeps the records the
        error carries, since the handler's savepoint is rolled back.
        """
        self.ensure_one()
        with self.backend_id.outbound_client() as client:
            response = client.request(
                method,
                path,
                idempotency_key=self.idempotency_key,
                correlation_id=self.correlation_id,
                **kwargs,
            )
        self._keep_call_records(response.request_record(), response)
        return response

    def _keep_call_records(self, request_text, response):
        """Store the masked copies of a partner call on the message."""
        self._service().write(
            {
                "request_record": request_text or False,
                "response_record": response.response_record() if response is not None else False,
            }
        )

    # -- actions -----------------------------------------------------------------------

    def _check_states(self, states, action):
        wrong = self.filtered(lambda message: message.state not in states)
        if wrong:
            labels = dict(STATES)
            raise UserError(
                self.env._(
                    "%(action)s applies to messages in state %(states)s; %(messages)s are not. "
                    "Filter the list on those states first.",
                    action=action,
                    states=", ".join(labels[state] for state in states),
                    messages=", ".join(wrong.mapped("name")[:10]),
                )
            )

    def action_retry(self):
        """Put failed messages back to work now, with a fresh attempt budget."""
        self._check_states(FAILED_STATES, self.env._("Retry"))
        self.requeue(self.env._("Retried by %(user)s.", user=self.env.user.name))
        return True

    def action_retry_now(self):
        """Work these messages at once, in this request, with a fresh attempt budget.

        For a person who fixed the cause and wants to see the outcome: failed messages,
        and waiting ones (pending, or in retry before their next attempt time) alike.
        The message is claimed like a processor would (its backend's circuit and
        concurrency apply), so one that cannot run now stays pending for the next
        processor.
        """
        self._check_states(FAILED_STATES + WORKING_STATES, self.env._("Retry now"))
        self.requeue(self.env._("Retried now by %(user)s.", user=self.env.user.name))
        claimed = self.work_now()
        self.invalidate_recordset()
        waiting = self - claimed
        done = claimed.filtered(lambda message: message.state == STATE_DONE)
        failed = claimed - done
        if failed:
            body = self.env._(
                "Tried again, still failing: %(messages)s. The error is on each message.",
                messages=", ".join(failed.mapped("name")),
            )
            kind = "warning"
        elif waiting:
            body = self.env._(
                "%(messages)s queued: the partner is paused or busy; a processor takes them "
                "as soon as it can.",
                messages=", ".join(waiting.mapped("name")),
            )
            kind = "info"
        else:
            body = self.env._("Done: %(messages)s.", messages=", ".join(done.mapped("name")))
            kind = "success"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": body,
                "type": kind,
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_cancel(self):
        """Stop working on these messages; they stay for audit."""
        return self.cancel()

    def action_replay(self):
        """Open the replay wizard on these messages."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Replay messages"),
            "res_model": "logistics.message.replay",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_edit_replay(self):
        """Open the edit-before-replay wizard (managers)."""
        self.ensure_one()
        self._check_editable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Edit and replay"),
            "res_model": "logistics.message.edit",
            "view_mode": "form",
            "target": "new",
            "context": {"default_message_id": self.id},
        }

    def action_assign(self):
        """Open the assignment wizard."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Assign messages"),
            "res_model": "logistics.message.assign",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_open_record(self):
        """Open the business record this message is about."""
        self.ensure_one()
        if not self.record_ref:
            raise UserError(self.env._("This message is not linked to a record."))
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    def action_open_children(self):
        """Messages that came out of this one (responses, replays, edited copies)."""
        self.ensure_one()
        return self.list_action([("parent_id", "=", self.id)])

    @api.model
    @api.private
    def list_action(self, domain, context=None):
        """The window action of the messages list, on ``domain``."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_integration.logistics_message_action"
        )
        action["domain"] = domain
        action["context"] = context or {}
        return action

    # -- replay ------------------------------------------------------------------------

    def _replay_plan(self):
        """What replaying each message would do, as ``[(message, outcome, text)]``."""
        plan = []
        for message in self:
            if message.state in FAILED_STATES:
                plan.append(
                    (
                        message,
                        "requeue",
                        self.env._(
                            "%(name)s (%(state)s, %(attempts)s attempts): back to pending "
                            "with a fresh attempt budget.",
                            name=message.name,
                            state=message.state,
                            attempts=message.attempts,
                        ),
                    )
                )
            elif message.state == STATE_DONE:
                plan.append(
                    (
                        message,
                        "copy",
                        self.env._(
                            "%(name)s (done): processed again as a new message linked to it; the "
                            "original stays done.",
                            name=message.name,
                        ),
                    )
                )
            else:
                plan.append(
                    (
                        message,
                        "skip",
                        self.env._(
                            "%(name)s (%(state)s): skipped, only error, dead and done messages are "
                            "replayed.",
                            name=message.name,
                            state=message.state,
                        ),
                    )
                )
        return plan

    def _replay_copy(self, payload, reason=None, diff=None):
        """A new message carrying ``payload``, child of this one, queued for work.

        Each replay is a new message with a key of its own, whatever became of earlier
        copies (purged, or made at the same moment by someone else).
        """
        self.ensure_one()
        copy, created = self._store(
            self.backend_id,
            self.type_id,
            self.direction,
            payload,
            idempotency_key=f"{self.idempotency_key}#replay-{uuid.uuid4().hex}",
            content_type=self.content_type,
            partner_ref=self.partner_ref,
            parent=self,
            record=self.record_ref or None,
        )
        if not created:
            raise UserError(
                self.env._("%(name)s could not be replayed: try again.", name=self.name)
            )
        self.invalidate_recordset(["child_ids"])
        if diff is not None:
            copy._service().write({"edit_diff": diff})
        author = self.env.user.name
        why = self.env._(" Reason: %(reason)s", reason=reason) if reason else ""
        copy.message_post(
            body=self.env._("Replay of %(name)s by %(user)s.", name=self.name, user=author) + why
        )
        self.message_post(
            body=self.env._("Replayed as %(copy)s by %(user)s.", copy=copy.name, user=author) + why
        )
        return copy

    def _replay_edited(self, new_payload, reason):
        """Replay an edited copy of this message's payload (managers).

        The original payload is untouched; the copy keeps the unified diff, and both
        chatters record who edited, when and why. A failed original is cancelled as
        superseded by the copy.
        """
        self.ensure_one()
        if not self.env.user.has_group("logistics_integration.group_logistics_manager"):
            raise AccessError(self.env._("Only integration managers may edit a payload."))
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the payload is edited: the reason is audited."))
        encoding = self._check_editable()
        original = self.get_payload()
        if new_payload == original:
            raise UserError(
                self.env._("The edited payload is identical to the original: use Replay.")
            )
        diff = "".join(
            difflib.unified_diff(
                original.decode(encoding).splitlines(keepends=True),
                new_payload.decode(encoding, errors="replace").splitlines(keepends=True),
                fromfile=self.name,
                tofile=self.env._("edited copy"),
            )
        )
        copy = self._replay_copy(new_payload, reason=reason, diff=diff)
        if self.state in FAILED_STATES:
            self._service().write({"state": STATE_CANCELLED, "next_attempt_at": False})
        return copy

    # -- editing a payload as text -----------------------------------------------------

    def _get_edit_encoding(self):
        """The encoding this payload is edited in: UTF-8 when it reads as such, else
        Latin-1 (one character per byte, so every byte comes back as it was); None when
        the payload is binary."""
        self.ensure_one()
        raw = self.get_payload()
        if BINARY_BYTES.search(raw):
            return None
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return "latin-1"
        return "utf-8"

    def _check_editable(self):
        """This payload's edit encoding; a binary payload cannot be edited as text."""
        encoding = self._get_edit_encoding()
        if not encoding:
            raise UserError(
                self.env._(
                    "%(name)s has a binary payload that cannot be edited as text: download it, "
                    "fix it with a suitable tool and have the partner send it again.",
                    name=self.name,
                )
            )
        return encoding

    def _get_edit_text(self):
        """The payload as a person edits it: decoded in its own encoding, each line break
        as LF (what a browser's text box gives back whatever it was shown)."""
        encoding = self._check_editable()
        return LINE_BREAK.sub("\n", self.get_payload().decode(encoding))

    def _describe_edit_format(self):
        """The payload's encoding and line breaks, as the edit wizard shows them."""
        encoding = self._get_edit_encoding()
        if not encoding:
            return self.env._("binary: cannot be edited as text")
        breaks = {brk for _line, brk in _split_lines(self.get_payload().decode(encoding)) if brk}
        names = {"\r\n": "CRLF", "\n": "LF", "\r": "CR"}
        if not breaks:
            ending = self.env._("no line breaks")
        elif len(breaks) == 1:
            ending = self.env._("line breaks %(kind)s", kind=names[breaks.pop()])
        else:
            ending = self.env._("mixed line breaks, each kept where the line is unchanged")
        return f"{EDIT_ENCODINGS[encoding]}, {ending}"

    def _payload_from_edit(self, text):
        """The bytes an edited text means: the payload's own bytes wherever the person
        changed nothing (line breaks included), changed and new lines in the payload's
        encoding, ending as the lines they replace, else as most lines of the payload.

        ``text`` may come back with any line breaks (a browser turns them all into LF).
        """
        encoding = self._check_editable()
        old = _split_lines(self.get_payload().decode(encoding))
        new = [line for line, _break in _split_lines(text or "")]
        usual = Counter(brk for _line, brk in old if brk).most_common(1)
        default = usual[0][0] if usual else "\n"
        breaks = []
        matcher = difflib.SequenceMatcher(None, [line for line, _brk in old], new, autojunk=False)
        for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
            for index in range(i1, i1 + j2 - j1):
                breaks.append(old[index][1] if index < i2 and old[index][1] else default)
        breaks[-1] = ""  # the last line ends the text
        edited = "".join(line + brk for line, brk in zip(new, breaks))
        try:
            return edited.encode(encoding)
        except UnicodeEncodeError as exc:
            raise UserError(
                self.env._(
                    "“%(chars)s” cannot be written in %(encoding)s, the encoding of %(name)s "
                    "that the partner reads: use a character it has (e.g. the letter without "
                    "its accent).",
                    chars=exc.object[exc.start : exc.end],
                    encoding=EDIT_ENCODINGS[encoding],
                    name=self.name,
                )
            ) from None


def _split_lines(text):
    """``[(line, line break)]`` of ``text``; the last line's break is empty."""
    parts = LINE_BREAK.split(text)
    return list(zip(parts[0::2], [*parts[1::2], ""], strict=True))
