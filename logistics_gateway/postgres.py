"""The gateway's :class:`~.service.Store` on Odoo's own PostgreSQL tables.

Each method writes what the Odoo code writes, column for column:

* ``logistics_message`` and ``ir_cron_trigger`` with the statements of :mod:`.inbox`, the
  very ones ``logistics.message._store`` runs (name from the ``logistics.message``
  ``ir.sequence``, raw ``payload`` bytea, ``create_uid`` the backend's technical user,
  decided by the unique index on ``(backend_id, direction, idempotency_key)``, the key of a
  purged message answered from its ``logistics_message_tombstone``), then
  ``NOTIFY cron_trigger, '<dbname>'`` on the ``postgres`` database after the commit, as
  ``ir.cron._notifydb`` does;
* ``logistics_security_event`` as ``logistics.security.event._record``.

psycopg2 is imported here only, so the rest of the gateway runs without it.
"""

import logging
import os
import time
from contextlib import contextmanager

import psycopg2
import psycopg2.errors
import psycopg2.extensions
from psycopg2 import sql
from psycopg2.pool import ThreadedConnectionPool

from logistics_adapters.errors import AdapterError

from . import inbox, ratelimit
from .sequence import local_now, sequence_name
from .service import BackendRow, Flow, Store, Stored

_logger = logging.getLogger(__name__)

RETRIES = 3
# Transient conflicts: retried like Odoo retries a request on them.
_RETRY_ERRORS = (
    psycopg2.extensions.TransactionRollbackError,  # serialization failure, deadlock
    psycopg2.errors.LockNotAvailable,  # a no-gap sequence row held by another transaction
)

_BACKEND_QUERY = """
    SELECT b.id, b.code, b.company_id, COALESCE(b.technical_user_id, public_user.res_id),
           b.signature_scheme, b.signature_window, b.max_payload_size,
           b.accepted_content_types, b.inbound_rate_limit, b.webhook_secret_encrypted,
           b.webhook_secret_previous_encrypted, b.webhook_secret_previous_until,
           t.id, t.code, t.direction, t.priority, t.realtime, t.codec
      FROM logistics_backend b
 LEFT JOIN logistics_message_type t ON t.id = b.inbound_type_id
 LEFT JOIN ir_model_data public_user
        ON public_user.module = 'base' AND public_user.name = 'public_user'
     WHERE b.code = %s AND b.active
  ORDER BY b.sequence, b.name, b.id
     LIMIT 1
"""
# A flow the backend may post to: its default, or one of its other inbound flows.
_FLOW_QUERY = """
    SELECT t.id, t.code, t.direction, t.priority, t.realtime, t.codec
      FROM logistics_message_type t
      JOIN logistics_backend b ON b.id = %(backend_id)s
     WHERE t.code = %(code)s AND t.direction = 'inbound' AND t.active
       AND (t.id = b.inbound_type_id OR EXISTS (
            SELECT 1 FROM logistics_backend_inbound_flow_rel rel
             WHERE rel.backend_id = b.id AND rel.type_id = t.id))
  ORDER BY t.priority, t.code, t.id
     LIMIT 1
"""
_SECURITY_EVENT_INSERT = """
    INSERT INTO logistics_security_event
           (backend_id, company_id, flow, reason, remote_addr,
            create_uid, write_uid, create_date, write_date)
    VALUES (%s, %s, %s, %s, %s, %s, NULL, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
"""
_SEQUENCE_QUERY = """
    SELECT s.id, s.name, s.implementation, s.prefix, s.suffix, s.padding,
           s.number_increment, s.use_date_range,
           (SELECT p.tz FROM res_users u JOIN res_partner p ON p.id = u.partner_id
             WHERE u.id = %(uid)s)
      FROM ir_sequence s
     WHERE s.code = %(code)s AND s.active
       AND (s.company_id IS NULL
            OR s.company_id = (SELECT company_id FROM res_users WHERE id = %(uid)s))
  ORDER BY s.company_id IS NULL, s.id
     LIMIT 1
"""


class _KeepingPool(ThreadedConnectionPool):
    """psycopg2's pool closes every connection beyond ``minconn`` when it is given back, so
    with ``minconn=0`` each request paid a new connection; this one keeps up to ``maxconn``
    open, each opened on first use."""

    def _putconn(self, conn, key=None, close=False):
        minconn, self.minconn = self.minconn, self.maxconn  # called under the pool's lock
        try:
            return super()._putconn(conn, key, close)
        finally:
            self.minconn = minconn


class PostgresStore(Store):
    """:class:`Store` on the Odoo database, with a pool of ``maxconn`` connections.

    Use at most ``maxconn`` threads: the pool does not wait for a free connection.
    """

    def __init__(self, config, maxconn=8):
        self.dbname = config.dbname
        self._sequences = {}  # uid -> (expiry, sequence row): read once per cache_ttl
        self._sequence_ttl = float(getattr(config, "cache_ttl", 5.0))
        timeout = int(config.statement_timeout_ms)
        options = f"-c statement_timeout={timeout} -c lock_timeout={timeout}"
        self._pool = _KeepingPool(0, maxconn, options=options, **config.connect_kwargs())
        self._notify_pool = _KeepingPool(
            0, maxconn, options=options, **config.connect_kwargs("postgres")
        )
        self._notify_function = os.getenv("ODOO_NOTIFY_FUNCTION", "pg_notify")

    # -- transactions ------------------------------------------------------------------

    @contextmanager
    def _cursor(self, pool=None, autocommit=False):
        pool = pool or self._pool
        conn = pool.getconn()
        close = False
        try:
            conn.autocommit = autocommit
            with conn.cursor() as cr:
                yield cr
            if not autocommit:
                conn.commit()
        except BaseException as exc:
            close = bool(conn.closed) or isinstance(exc, psycopg2.InterfaceError)
            if not close:
                try:
                    conn.rollback()
                except psycopg2.Error:
                    close = True
            raise
        finally:
            pool.putconn(conn, close=close or bool(conn.closed))

    def _transaction(self, work):
        """Run ``work(cr)`` in a transaction, again on conflicts or a stale connection."""
        for attempt in range(1, RETRIES + 1):
            try:
                with self._cursor() as cr:
                    return work(cr)
            except _RETRY_ERRORS:
                if attempt == RETRIES:
                    raise
            except (psycopg2.OperationalError, psycopg2.InterfaceError) as exc:
                # A connection the server closed (restart, idle timeout) fails on first
                # use; a new one is tried once. A statement timeout is not retried.
                if attempt > 1 or isinstance(exc, psycopg2.extensions.QueryCanceledError):
                    raise
                _logger.info("Database connection lost (%s), retrying", exc)

    def check(self):
        """Fail now, with the database's message, when the inbox cannot be reached."""
        self._transaction(lambda cr: cr.execute("SELECT 1 FROM logistics_message LIMIT 1"))

    def close(self):
        self._pool.closeall()
        self._notify_pool.closeall()

    # -- reads -------------------------------------------------------------------------

    def find_backend(self, code):
        row = self._transaction(lambda cr: _fetchone(cr, _BACKEND_QUERY, [code]))
        if row is None:
            return None
        flow = Flow(*row[12:18]) if row[12] else None
        return BackendRow(*row[:12], default_flow=flow)

    def find_flow(self, backend_id, code):
        params = {"backend_id": backend_id, "code": code}
        row = self._transaction(lambda cr: _fetchone(cr, _FLOW_QUERY, params))
        return Flow(*row) if row else None

    # -- writes ------------------------------------------------------------------------

    def record_security_event(self, backend_row, flow, reason, remote_addr):
        # Recorded as the backend's technical user, as the Odoo route (which runs as it) does.
        params = [
            backend_row.id,
            backend_row.company_id,
            flow,
            reason,
            remote_addr,
            backend_row.technical_user_id,
        ]
        self._transaction(lambda cr: cr.execute(_SECURITY_EVENT_INSERT, params))

    def take_rate_token(self, key, per_minute):
        return self._transaction(lambda cr: ratelimit.take(cr, key, per_minute))

    def store_message(self, message):
        stored, triggered = self._transaction(lambda cr: self._store(cr, message))
        if triggered:
            self._notify()
        return stored

    def _store(self, cr, message):
        kept = inbox.store_message(
            cr, vars(message), message.payload, lambda cr: self._next_name(cr, message.user_id)
        )
        triggered = (
            kept.created
            and message.realtime
            and inbox.trigger_processors(cr, message.now, message.user_id)
        )
        return Stored(kept.name or False, kept.correlation_id, kept.created), triggered

    def _next_name(self, cr, user_id):
        """``ir.sequence.next_by_code('logistics.message')`` as the technical user."""
        sequence = self._sequence(cr, user_id)
        if not sequence:
            return None
        seq_id, name, implementation, prefix, suffix, padding, increment, date_range, tz = sequence
        if date_range:
            raise AdapterError(
                f"sequence {name!r} uses date ranges, which the gateway does not draw: "
                "turn them off or leave this flow to the Odoo route"
            )
        if implementation == "standard":
            cr.execute("SELECT nextval(%s)", [f"ir_sequence_{seq_id:03d}"])
            number = cr.fetchone()[0]
        else:
            cr.execute(
                "SELECT number_next FROM ir_sequence WHERE id = %s FOR UPDATE NOWAIT", [seq_id]
            )
            number = cr.fetchone()[0]
            cr.execute(
                "UPDATE ir_sequence SET number_next = number_next + %s WHERE id = %s",
                [increment, seq_id],
            )
        return sequence_name(prefix, suffix, padding, number, local_now(tz), name)

    def _sequence(self, cr, user_id):
        """The message sequence's row for ``user_id``, read again after the cache TTL."""
        now = time.monotonic()
        cached = self._sequences.get(user_id)
        if cached and cached[0] > now:
            return cached[1]
        cr.execute(_SEQUENCE_QUERY, {"uid": user_id, "code": inbox.SEQUENCE_CODE})
        sequence = cr.fetchone()
        if len(self._sequences) > 1000:
            self._sequences.clear()
        self._sequences[user_id] = (now + self._sequence_ttl, sequence)
        return sequence

    def _notify(self):
        """Wake the cron workers as ``ir.cron._notifydb`` does; a failure is only logged."""
        query = sql.SQL("SELECT {}(%s, %s)").format(sql.Identifier(self._notify_function))
        try:
            with self._cursor(self._notify_pool, autocommit=True) as cr:
                cr.execute(query, [inbox.NOTIFY_CHANNEL, self.dbname])
        except Exception as exc:
            _logger.warning("Could not notify the cron workers (they poll anyway): %s", exc)


def _fetchone(cr, query, params):
    cr.execute(query, params)
    return cr.fetchone()
