import logging
import time

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError
from odoo.tools import SQL, mute_logger

from logistics_adapters.errors import error_kind
from logistics_gateway import inbox

from ..engine import (
    ERROR_TRANSIENT,
    PAYLOADS_READ,
    PROCESSOR_CRONS,
    WORKING_STATES,
    ClaimConflict,
    Result,
)
from .logistics_backend import MAX_CONCURRENCY

_logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 100
# Namespaces (first key) of the transaction-level advisory locks of the processors.
LOCK_CONCURRENCY_SLOT = 0x4C470001
LOCK_CIRCUIT_TRIAL = 0x4C470002
LOCK_PARTNER_REF = 0x4C470003
# Rows looked at per message claimed, so that references held elsewhere do not cut a batch.
CLAIM_OVERSCAN = 3
CLAIM_CONFLICT_RETRIES = 5
CONCURRENCY_ERRORS = (
    pg_errors.SerializationFailure,
    pg_errors.DeadlockDetected,
    pg_errors.LockNotAvailable,
    ConcurrencyError,
)


class LogisticsProcessor(models.AbstractModel):
    """Works through the message table; many processors may run at once.

    A processor claims a bounded batch of ready messages with ``SELECT ... FOR NO KEY
    UPDATE SKIP LOCKED`` (priority, then age), so two processors never hold the same
    message, and marks each message done in the same transaction as its effects, so
    a crash replays the whole batch and applies nothing twice. Per-backend
    concurrency caps and circuit breakers are enforced with database locks and
    columns, so they hold across Odoo servers.
    """

    _name = "logistics.processor"
    _description = "Logistics Message Processor"

    @api.model
    def _wake_up(self, at=None):
        """Ask the processors to run now (or at ``at``) instead of at their next interval.

        The same statement as the gateway's (``logistics_gateway.inbox``): one trigger per
        processor and second wakes it as well as one per message, which a burst would
        otherwise pile up.
        """
        now = fields.Datetime.now()
        when = (at or now).replace(microsecond=0)
        self.env["ir.cron.trigger"].flush_model()
        if inbox.trigger_processors(self.env.cr, when, self.env.uid) and when <= now:
            self.env.cr.postcommit.add(self.env["ir.cron"].sudo()._notifydb)

    @api.model
    def _processor_crons(self):
        """The scheduled actions that run processors: the first, and the parallel ones."""
        crons = self.env["ir.cron"].sudo()
        for xmlid in PROCESSOR_CRONS:
            crons |= self.env.ref(xmlid, raise_if_not_found=False) or crons.browse()
        return crons

    @api.model
    def _set_parallel_processors(self, count):
        """Run ``count`` processors at once (each a scheduled action; Odoo needs as many
        cron workers, ``--max-cron-threads``); the claims keep them apart."""
        count = max(1, min(int(count or 1), len(PROCESSOR_CRONS)))
        crons = self._processor_crons().with_context(active_test=False)
        for index, cron in enumerate(crons):
            if cron.active != (index < count):
                cron.active = index < count

    @api.model
    def _cron_process(self, batch_size=None):
        """Scheduled action: process ready messages until none is left or time is up.

        Each batch is as large as the flow of the next message due asks (its batch size,
        else the engine's), unless ``batch_size`` is given.
        """
        cron = self.env["ir.cron"]
        conflicts = 0
        while True:
            try:
                messages = self._claim(batch_size)
            except ClaimConflict:
                conflicts += 1
                if conflicts > CLAIM_CONFLICT_RETRIES:
                    self._wake_up()
                    return
                cron._commit_progress(0)
                continue
            if not messages:
                return
            processed = self._process_claimed(messages, commit=cron._commit_progress)
            if cron._commit_progress(processed, remaining=self._count_ready()) <= 0:
                self._wake_up()
                return

    @api.model
    @api.private
    def process_batch(self, batch_size=None):
        """Claim and process one batch in the current transaction, without committing.

        Return the processed messages. Used by tests and by callers that manage
        their own transaction.
        """
        messages = self._claim(batch_size)
        self._process_claimed(messages)
        return messages

    def _get_batch_size(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("logistics_integration.batch_size", DEFAULT_BATCH_SIZE)
        )

    # -- claiming ----------------------------------------------------------------------

    @api.model
    def _claim(self, limit=None, restrict_ids=None):
        """Lock and return up to ``limit`` ready messages this processor may work on;
        ``None``: as many as the flow of the next message due asks."""
        self.env.flush_all()
        now = fields.Datetime.now()
        closed, paused, trials = self._claimable_backends(now, restrict_ids)
        if limit is None:
            limit = self._flow_batch_size(closed | paused, now, restrict_ids)
        ids = []
        try:
            # A conflict is expected now and then and handled by the caller: do not
            # let the cursor log it as a bad query.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                if closed:
                    ids += self._lock_ready(closed.ids, limit, now, restrict_ids)
                if paused and len(ids) < limit:
                    ids += self._lock_ready(
                        paused.ids, limit - len(ids), now, restrict_ids, direction="inbound"
                    )
                for backend in trials:
                    trial = self._lock_ready(backend.ids, 1, now, restrict_ids, "outbound")
                    if trial:
                        backend._circuit_start_trial()
                    ids += trial
        except pg_errors.SerializationFailure as exc:
            raise ClaimConflict() from exc
        return (
            self.env["logistics.message"]
            .browse(ids)
            .sorted(lambda message: (message.priority, message.id))
        )

    def _flow_batch_size(self, backends, now, restrict_ids=None):
        """The batch size of the flow whose message is due first on ``backends`` (the
        order of the claim), else the engine's."""
        size = None
        if backends:
            restrict = SQL(" AND m.id = ANY(%s)", list(restrict_ids)) if restrict_ids else SQL()
            self.env.cr.execute(
                SQL(
                    """
                SELECT t.batch_size FROM logistics_message m
                  JOIN logistics_message_type t ON t.id = m.type_id
                 WHERE m.state IN %s AND m.next_attempt_at <= %s AND m.backend_id = ANY(%s)%s
                 ORDER BY m.priority, m.id
                 LIMIT 1
                """,
                    WORKING_STATES,
                    now,
                    backends.ids,
                    restrict,
                )
            )
            row = self.env.cr.fetchone()
            size = row and row[0]
        return size or self._get_batch_size()

    def _claimable_backends(self, now, restrict_ids=None):
        """Backends with ready work whose concurrency cap lets us in, by circuit.

        Return ``(closed, paused, trials)``. The circuit breaker guards the partner's API,
        so it gates outbound calls only: ``closed`` backends give work of both directions,
        ``paused`` ones (circuit open or half-open) their inbound messages only, and
        ``trials`` (half-open, cool-down over, this processor holding the trial lock) one
        outbound message as the trial call.
        """
        restrict = SQL(" AND m.id = ANY(%s)", list(restrict_ids)) if restrict_ids else SQL()
        self.env.cr.execute(
            SQL(
                """
            SELECT b.id FROM logistics_backend b
             WHERE b.active AND EXISTS (
                   SELECT 1 FROM logistics_message m
                    WHERE m.backend_id = b.id AND m.state IN %s
                      AND m.next_attempt_at <= %s%s)
            """,
                WORKING_STATES,
                now,
                restrict,
            )
        )
        candidates = self.env["logistics.backend"].browse(row[0] for row in self.env.cr.fetchall())
        closed = paused = trials = self.env["logistics.backend"]
        for backend in candidates:
            if not self._take_concurrency_slot(backend):
                continue
            allowed, trial = backend._circuit_allows(now)
            if allowed and not trial:
                closed |= backend
                continue
            paused |= backend
            if trial and self._try_lock(LOCK_CIRCUIT_TRIAL, backend.id):
                trials |= backend
        return closed, paused, trials

    def _take_concurrency_slot(self, backend):
        """Hold one of the backend's processor slots until this transaction ends."""
        if not backend.concurrency:
            return True
        return any(
            self._try_lock(LOCK_CONCURRENCY_SLOT, backend.id * MAX_CONCURRENCY + slot)
            for slot in range(backend.concurrency)
        )

    def _try_lock(self, namespace, key):
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (namespace, key))
        return self.env.cr.fetchone()[0]

    def _lock_ready(self, backend_ids, limit, now, restrict_ids=None, direction=None):
        """Lock and return up to ``limit`` ready message ids, one processor per partner ref.

        Messages about the same thing (one tracking number, one order: their partner
        reference) change the same records; two processors working on them at once would
        wait for each other and conflict. So the messages of a reference go to the
        processor that holds its advisory lock for the transaction; another processor
        takes other references. A few more rows than ``limit`` are looked at so that a
        batch is not cut short by references another processor holds. ``direction``
        restricts the claim to inbound or outbound messages.
        """
        restrict = SQL(" AND id = ANY(%s)", list(restrict_ids)) if restrict_ids else SQL()
        if direction:
            restrict = SQL("%s AND direction = %s", restrict, direction)
        self.env.cr.execute(
            SQL(
                """
            SELECT id, partner_ref FROM logistics_message
             WHERE state IN %s AND next_attempt_at <= %s AND backend_id = ANY(%s)%s
             ORDER BY priority, id
             LIMIT %s
               FOR NO KEY UPDATE SKIP LOCKED
            """,
                WORKING_STATES,
                now,
                backend_ids,
                restrict,
                limit * CLAIM_OVERSCAN,
            )
        )
        rows = self.env.cr.fetchall()
        ids, held, refused = [], set(), set()
        start = 0
        while len(ids) < limit and start < len(rows):
            # The rows that fill the batch if their references are free: their new
            # references locked in one statement; the rows of those held elsewhere make
            # room for the next ones.
            chunk = rows[start : start + limit - len(ids)]
            start += len(chunk)
            known = held | refused
            new = list(dict.fromkeys(r for _id, r in chunk if r and r not in known))
            locked = self._try_ref_locks(new)
            held |= locked
            refused |= set(new) - locked
            ids += [message_id for message_id, ref in chunk if not ref or ref in held]
        return ids

    def _try_ref_locks(self, refs):
        """Try the advisory lock of each of ``refs`` (one statement); return those held."""
        if not refs:
            return set()
        self.env.cr.execute(
            """SELECT ref FROM unnest(%s::text[]) WITH ORDINALITY AS r(ref, n)
                WHERE pg_try_advisory_xact_lock(%s, hashtext(ref)) ORDER BY n""",
            (refs, LOCK_PARTNER_REF),
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _count_ready(self):
        self.env["logistics.message"].flush_model(["state", "next_attempt_at"])
        self.env.cr.execute(
            "SELECT count(*) FROM logistics_message WHERE state IN %s AND next_attempt_at <= %s",
            (WORKING_STATES, fields.Datetime.now()),
        )
        return self.env.cr.fetchone()[0]

    # -- processing --------------------------------------------------------------------

    def _process_claimed(self, messages, commit=None):
        """Process claimed messages; return how many were processed and not committed.

        Inbound messages go first, each parsed once and handed to its handler's
        ``_process_many``. Then outbound ones in order; with ``commit`` (a cron's
        ``_commit_progress``), an outbound message is committed as soon as its call is
        made, before the next call, and the rest of the batch is claimed again: the
        commit released their locks.
        """
        inbound = messages.filtered(lambda message: message.direction == "inbound")
        inbound._mark_started(fields.Datetime.now())
        self._process_inbound(inbound)
        uncommitted = len(inbound)
        queue = list(messages - inbound)
        while queue:
            message = queue.pop(0)
            if message.backend_id.circuit_state == "open":
                continue  # opened during this batch: leave the rest for later
            self._process_outbound(message)
            uncommitted += 1
            if commit and queue:
                commit(uncommitted)
                uncommitted = 0
                queue = list(self._reclaim(queue))
        return uncommitted

    def _reclaim(self, messages):
        try:
            return self._claim(len(messages), restrict_ids=[message.id for message in messages])
        except ClaimConflict:
            return []

    def _process_inbound(self, messages):
        """Parse each message once (their payloads read in one query), then hand them to
        their handlers, batch by batch; the done ones are marked in one statement."""
        batches = {}
        self.env.cr.cache[PAYLOADS_READ] = messages._read_payloads()
        try:
            self._parse_into(messages, batches)
        finally:
            self.env.cr.cache.pop(PAYLOADS_READ, None)
        for handler, items in batches.values():
            results = handler._process_many(items)
            done = self.env["logistics.message"]
            for message, _data in items:
                result = results[message]
                if result.error is None:
                    done |= message
                else:
                    self._file_result(message, result)
            durations = {message.id: results[message].duration_ms for message in done}
            done._mark_done_many(fields.Datetime.now(), durations)

    def _parse_into(self, messages, batches):
        """Each message parsed by its handler, into ``batches`` by handler and company;
        a payload that cannot be read fails its message alone."""
        for message in messages:
            handler = message._get_handler()
            started = time.monotonic()
            try:
                data = handler._parse(message)
            except Exception as exc:
                self._file_result(message, Result.failed(exc, started))
                continue
            key = (handler._name, message.company_id.id)
            batches.setdefault(key, (handler, []))[1].append((message, data))

    def _process_outbound(self, message):
        """One attempt at one outbound message, and its mark on the circuit breaker."""
        message._mark_started(fields.Datetime.now())
        started = time.monotonic()
        try:
            with self.env.cr.savepoint():
                message._get_handler()._send(message)
        except Exception as exc:
            result = Result.failed(exc, started)
        else:
            result = Result.done(started)
        kind = self._file_result(message, result)
        if kind != "deferred":
            message.backend_id._circuit_record(kind != ERROR_TRANSIENT)

    def _file_result(self, message, result):
        """Mark ``message`` by how its attempt went; return the error kind (None when done,
        ``deferred`` when it met a concurrent change)."""
        exc = result.error
        if exc is None:
            message._mark_done(fields.Datetime.now(), result.duration_ms)
            return None
        if isinstance(exc, CONCURRENCY_ERRORS):
            # Another processor changed the same records: try again soon, not a failure.
            message._mark_deferred(fields.Datetime.now(), str(exc) or type(exc).__name__)
            return "deferred"
        kind = self._classify(exc)
        _logger.info("Logistics message %s failed (%s): %s", message.name, kind, exc)
        if getattr(exc, "request_record", None):
            message._keep_call_records(exc.request_record, getattr(exc, "response", None))
        message._mark_failed(
            kind,
            str(exc) or type(exc).__name__,
            result.trace,
            fields.Datetime.now(),
            retry_after=getattr(exc, "retry_after", None),
            duration_ms=result.duration_ms,
        )
        return kind

    def _classify(self, exc):
        """Error kind of a failure: transient, business or security."""
        if isinstance(exc, CONCURRENCY_ERRORS):
            return ERROR_TRANSIENT
        return error_kind(exc)

    @api.model
    def _cron_purge(self):
        """Scheduled action: delete done messages and security events past the retention
        period, in batches, and forget purged keys past the idempotency window."""
        self._purge_done(commit=self.env["ir.cron"]._commit_progress)
        self._purge_security_events()
        self.env["logistics.message.tombstone"]._purge_expired()

    def _retention_cutoff(self):
        """Records older than this go (Settings > retention days); None when kept forever."""
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("logistics_integration.retention_days", 30)
        )
        return fields.Datetime.subtract(fields.Datetime.now(), days=days) if days > 0 else None

    @api.model
    def _purge_security_events(self):
        """Delete refused-request records older than the retention days; return how many."""
        cutoff = self._retention_cutoff()
        if not cutoff:
            return 0
        self.env["logistics.security.event"].flush_model()
        self.env.cr.execute("DELETE FROM logistics_security_event WHERE create_date < %s", [cutoff])
        self.env["logistics.security.event"].invalidate_model()
        return self.env.cr.rowcount

    @api.model
    def _purge_done(self, batch_size=1000, commit=None):
        """Delete done messages older than the retention days; return how many.

        Each purged message leaves a tombstone of its key, in the same transaction, so
        that a late duplicate is still recognised. A batch that meets a concurrent change
        (a duplicate counted on one of its messages) is left to the next run.
        ``commit(processed, remaining=...)`` is called after each batch (a cron's
        ``_commit_progress``): it reports progress and says how much time is left.
        """
        cutoff = self._retention_cutoff()
        if not cutoff:
            return 0
        Message = self.env["logistics.message"].sudo()
        domain = [("state", "=", "done"), ("done_at", "<", cutoff)]
        remaining = Message.search_count(domain)
        purged = 0
        while remaining:
            batch = Message.search(domain, limit=batch_size, order="done_at, id")
            if not batch:
                break
            started = time.monotonic()
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    self.env["logistics.message.tombstone"]._bury(batch)
                    batch.unlink()
            except CONCURRENCY_ERRORS as exc:
                _logger.info("Purge of done logistics messages paused: %s", exc)
                break
            purged += len(batch)
            remaining = max(remaining - len(batch), 0)
            _logger.info(
                "Purged %s done logistics messages in %.2fs, %s left",
                len(batch),
                time.monotonic() - started,
                remaining,
            )
            if commit and commit(len(batch), remaining=remaining) <= 0:
                break
        return purged
