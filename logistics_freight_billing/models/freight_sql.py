"""Set-based writes of the freight audit: rows inserted and updated a batch at a time, as
carriers send invoices by the thousand. Only this addon's own tables are written here (and
the relation tables of its stored many2many fields); the ORM's cache of them is dropped
after each write, so that what follows reads what was written."""

from psycopg2.extras import execute_values

PAGE = 1000


def next_ids(env, model, count):
    """``count`` new ids of ``model``'s table, from its sequence: rows that refer to each
    other are built, audited and inserted together."""
    if not count:
        return []
    env.cr.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [env[model]._table, count],
    )
    return [row[0] for row in env.cr.fetchall()]


def insert_rows(env, model, rows):
    """Insert ``rows`` (dicts with the same keys, column values) into ``model``'s table with
    the usual create and write columns; return the new ids, in the order of ``rows``."""
    if not rows:
        return []
    columns = list(rows[0])
    uid, now = env.uid, env.cr.now()
    values = [(*(row[name] for name in columns), uid, now, uid, now) for row in rows]
    names = ", ".join(f'"{name}"' for name in columns)
    ids = execute_values(
        env.cr,
        f'INSERT INTO "{env[model]._table}" ({names}, create_uid, create_date, write_uid, '
        "write_date) VALUES %s RETURNING id",
        values,
        page_size=PAGE,
        fetch=True,
    )
    env[model].invalidate_model()
    return [row[0] for row in ids]


def update_rows(env, model, columns, rows):
    """Update ``model``'s rows: each of ``rows`` is ``(id, value, ...)``, the values in the
    order of ``columns`` (field names, cast to their columns' types)."""
    if not rows:
        return
    Model = env[model]
    sets = ", ".join(
        f'"{name}" = v."{name}"::{Model._fields[name].column_type[1]}' for name in columns
    )
    names = ", ".join(f'"{name}"' for name in ("id", *columns))
    execute_values(
        env.cr,
        f'UPDATE "{Model._table}" t SET {sets}, write_uid = {int(env.uid)}, '
        f"write_date = (now() AT TIME ZONE 'UTC') FROM (VALUES %s) AS v({names}) "
        "WHERE t.id = v.id",
        rows,
        page_size=PAGE,
    )
    Model.invalidate_model(list(columns))
