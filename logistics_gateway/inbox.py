"""How a message enters the inbox table, in SQL: the one copy for Odoo and the gateway.

Odoo's ``logistics.message._store`` and the gateway's :class:`~.postgres.PostgresStore` both
store a message with :func:`store_message` (one ``INSERT ... ON CONFLICT`` on the unique
index of ``(backend_id, direction, idempotency_key)``: a new row, or a duplicate counted on
the row of the same key; the key of a purged message is recognised by its tombstone) and
wake the processors with :func:`trigger_processors` (rows of ``ir_cron_trigger`` as
``ir.cron._trigger()`` writes them; the caller sends the ``NOTIFY`` after its commit). They
take any DB-API cursor: no driver is imported here.
"""

import re
from typing import NamedTuple

#: The message name's ``ir.sequence`` code.
SEQUENCE_CODE = "logistics.message"
#: The processors' scheduled actions (the first, and the parallel ones), as XML ids.
PROCESSOR_CRONS = (
    "logistics_integration.ir_cron_logistics_process",
    "logistics_integration.ir_cron_logistics_process_2",
    "logistics_integration.ir_cron_logistics_process_3",
    "logistics_integration.ir_cron_logistics_process_4",
)
#: The channel ``ir.cron._notifydb`` notifies the cron workers on.
NOTIFY_CHANNEL = "cron_trigger"

#: Columns a caller gives :func:`insert_message`, besides the payload.
MESSAGE_COLUMNS = (
    "name",
    "backend_id",
    "company_id",
    "type_id",
    "flow",
    "direction",
    "priority",
    "idempotency_key",
    "partner_ref",
    "correlation_id",
    "parent_id",
    "res_model",
    "res_id",
    "content_type",
    "payload_sha256",
    "payload_size",
    "now",
    "user_id",
)

_FIND_KEY = """
    SELECT id, name, correlation_id FROM logistics_message
     WHERE backend_id = %s AND direction = %s AND idempotency_key = %s
"""
_FIND_TOMBSTONE = """
    SELECT reference, correlation_id FROM logistics_message_tombstone
     WHERE backend_id = %s AND direction = %s AND idempotency_key = %s
"""
_FORGET = "DELETE FROM logistics_message WHERE id = %s"
# ``res_id`` 0 rather than NULL when there is no record, as the ORM writes an Integer's
# False; ``write_uid`` NULL, as the Odoo route leaves it (its stored related fields are
# computed under the ``auth="none"`` environment, whose uid is None).
_INSERT_INTO = """
    INSERT INTO logistics_message
           (name, backend_id, company_id, type_id, flow, direction, state, priority,
            idempotency_key, partner_ref, correlation_id, parent_id, res_model, res_id,
            content_type, payload_sha256, payload_size, payload, received_count, received_at,
            last_received_at, next_attempt_at, create_uid, write_uid, create_date, write_date
            {extra_columns})
    VALUES {rows}
    ON CONFLICT (backend_id, direction, idempotency_key) DO UPDATE
       SET received_count = logistics_message.received_count + 1,
           last_received_at = EXCLUDED.last_received_at
 RETURNING id, name, correlation_id, (xmax = 0) AS created{returning}
"""
#: One row of :data:`_INSERT_INTO`: its values by name, in column order.
_ROW = """(%(name)s, %(backend_id)s, %(company_id)s, %(type_id)s, %(flow)s, %(direction)s,
            'pending', %(priority)s, %(idempotency_key)s, %(partner_ref)s, %(correlation_id)s,
            %(parent_id)s, %(res_model)s, COALESCE(%(res_id)s, 0), %(content_type)s,
            %(payload_sha256)s, %(payload_size)s, %(payload)s, 1, %(now)s, %(now)s, %(now)s,
            %(user_id)s, NULL, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'{extra_values})"""
_INSERT = _INSERT_INTO.format(extra_columns="", rows=_ROW.format(extra_values=""), returning="")
_TRIGGER_INSERT = """
    INSERT INTO ir_cron_trigger (cron_id, call_at, create_uid, write_uid, create_date, write_date)
    SELECT cron.id, %(now)s, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
      FROM ir_model_data data
      JOIN ir_cron cron ON cron.id = data.res_id
     WHERE data.module = %(module)s AND data.name = ANY(%(names)s) AND data.model = 'ir.cron'
       AND cron.active
       -- one trigger (and one NOTIFY) per processor and second is enough to wake it
       AND NOT EXISTS (SELECT 1 FROM ir_cron_trigger pending
                        WHERE pending.cron_id = cron.id AND pending.call_at = %(now)s)
 RETURNING id
"""


class Kept(NamedTuple):
    """What :func:`store_message` did with a message.

    ``message_id`` is the row of the key, None when the key is that of a purged message
    (its tombstone answers: ``name`` is then the purged message's reference).
    """

    message_id: int | None
    name: str | None
    correlation_id: str | None
    created: bool


def store_message(cr, row, payload, draw_name):
    """Store ``row`` (a mapping with :data:`MESSAGE_COLUMNS`) and its ``payload`` bytes, or
    count a duplicate on the row of its key; return :class:`Kept`.

    One ``INSERT ... ON CONFLICT`` decides between new and duplicate, so under READ
    COMMITTED any number of concurrent stores of one key end with one row and no error
    (under REPEATABLE READ a key committed after the snapshot raises a serialization
    failure). The key of a purged message is a duplicate of it while its tombstone lasts:
    nothing is stored. ``draw_name(cr)`` gives the new message's reference; it is drawn
    only for a key this transaction does not know.
    """
    key = [row["backend_id"], row["direction"], row["idempotency_key"]]
    known = _fetchone(cr, _FIND_KEY, key)
    purged = None if known else _fetchone(cr, _FIND_TOMBSTONE, key)
    if purged:
        return Kept(None, purged[0], purged[1], False)
    values = {name: row.get(name) for name in MESSAGE_COLUMNS}
    values.update(name=None if known else draw_name(cr), payload=payload)
    cr.execute(_INSERT, values)
    message_id, name, correlation_id, created = cr.fetchone()
    if created:
        # A purge removed the row of the key while the statement waited for it (under
        # READ COMMITTED its tombstone is seen now; under REPEATABLE READ the row is still
        # the one this transaction knows): a duplicate, not a new message.
        purged = _fetchone(cr, _FIND_TOMBSTONE, key)
        if purged or known:
            cr.execute(_FORGET, [message_id])
            return Kept(None, *purged, False) if purged else Kept(*known, False)
    return Kept(message_id, name, correlation_id, created)


#: Rows in one statement of :func:`store_many`.
BATCH_ROWS = 500
_COLUMN_NAME = frozenset("abcdefghijklmnopqrstuvwxyz_")
_FIND_KEYS = """
    SELECT idempotency_key FROM {table}
     WHERE backend_id = %s AND direction = %s AND idempotency_key = ANY(%s)
"""
#: :data:`_ROW` with positional parameters, for many rows in one statement, and the names
#: of its parameters in their order.
_ROW_POSITIONAL = re.sub(r"%\((\w+)\)s", "%s", _ROW)
_ROW_PARAMETERS = tuple(re.findall(r"%\((\w+)\)s", _ROW))


def store_many(cr, rows, draw_names, extra_columns=()):
    """Store many messages of one backend and direction at once: ``rows`` as for
    :func:`store_message`, each with its ``payload``; return a :class:`Kept` per row, in
    order. For the documents an EDI interchange holds: one statement per
    :data:`BATCH_ROWS` rows instead of three per message.

    A key already stored is counted as a duplicate on its row, a purged key stores
    nothing, and a key repeated within ``rows`` is stored once. ``draw_names(cr, n)``
    gives the ``n`` references of the new keys. ``extra_columns`` names further columns
    of ``logistics_message`` the rows carry (the caller's own, never the sender's words).
    """
    if not rows:
        return []
    for column in extra_columns:
        if not set(column) <= _COLUMN_NAME:
            raise ValueError(f"not a column name: {column!r}")
    scope = [rows[0]["backend_id"], rows[0]["direction"]]
    keys = list(dict.fromkeys(row["idempotency_key"] for row in rows))
    purged = set(_fetchkeys(cr, "logistics_message_tombstone", scope, keys))
    known = set(_fetchkeys(cr, "logistics_message", scope, keys))
    fresh = [key for key in keys if key not in purged and key not in known]
    names = dict(zip(fresh, draw_names(cr, len(fresh)) if fresh else [], strict=True))
    kept = {}
    first_of = {}
    for row in rows:
        first_of.setdefault(row["idempotency_key"], row)
    todo = [first_of[key] for key in keys if key not in purged]
    for start in range(0, len(todo), BATCH_ROWS):
        kept.update(_insert_rows(cr, todo[start : start + BATCH_ROWS], names, extra_columns))
    return [kept.get(row["idempotency_key"], Kept(None, None, None, False)) for row in rows]


def _fetchkeys(cr, table, scope, keys):
    cr.execute(_FIND_KEYS.format(table=table), [*scope, keys])
    return [key for (key,) in cr.fetchall()]


def _insert_rows(cr, rows, names, extra_columns):
    extra_values = "".join(", %s" for _column in extra_columns)
    template = _ROW_POSITIONAL.format(extra_values=extra_values)
    params = []
    for row in rows:
        values = {**row, "name": names.get(row["idempotency_key"])}
        params += [values.get(name) for name in _ROW_PARAMETERS]
        params += [row.get(column) for column in extra_columns]
    query = _INSERT_INTO.format(
        extra_columns="".join(f", {column}" for column in extra_columns),
        rows=", ".join([template] * len(rows)),
        returning=", idempotency_key",
    )
    cr.execute(query, params)
    return {
        key: Kept(message_id, name, correlation_id, created)
        for message_id, name, correlation_id, created, key in cr.fetchall()
    }


def _fetchone(cr, query, params):
    cr.execute(query, params)
    return cr.fetchone()


def trigger_processors(cr, now, uid):
    """Ask the active processors to run at ``now`` (seconds), once per processor and
    second; return whether a trigger was added (the caller then notifies after commit)."""
    module = PROCESSOR_CRONS[0].split(".", 1)[0]
    names = [xmlid.split(".", 1)[1] for xmlid in PROCESSOR_CRONS]
    cr.execute(_TRIGGER_INSERT, {"now": now, "uid": uid, "module": module, "names": names})
    return bool(cr.fetchall())
