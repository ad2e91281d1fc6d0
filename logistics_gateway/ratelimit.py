"""Inbound rate limits counted in PostgreSQL, so they hold across workers and servers.

One row per key (``backend:<id>`` for a partner's signed requests, ``address:<ip>`` for
requests that failed their signature) and minute; Odoo's route and the gateway count in the
same table with the same statement. Callers run :func:`take` in a short transaction of its
own (READ COMMITTED, committed at once), so concurrent requests never wait on each other's
longer work. Takes any DB-API cursor.
"""

import math
import time

#: Requests a minute from one client address whose signatures fail, before 429.
UNAUTHENTICATED_PER_MINUTE = 60

CREATE_TABLE = """
    CREATE UNLOGGED TABLE IF NOT EXISTS logistics_inbound_rate (
        key varchar NOT NULL,
        window_start bigint NOT NULL,
        hits integer NOT NULL,
        PRIMARY KEY (key, window_start)
    )
"""
_TAKE = """
    INSERT INTO logistics_inbound_rate (key, window_start, hits) VALUES (%s, %s, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET hits = logistics_inbound_rate.hits + 1
    RETURNING hits
"""
_FORGET = "DELETE FROM logistics_inbound_rate WHERE key = %s AND window_start < %s"


def backend_key(backend_id):
    """The counter of a partner's authenticated requests."""
    return f"backend:{backend_id}"


def address_key(remote_addr):
    """The counter of one client address's unauthenticated requests."""
    return f"address:{remote_addr or 'unknown'}"


def take(cr, key, per_minute, now=None):
    """Count one request on ``key``; return seconds to wait when over ``per_minute`` in this
    minute, else 0. ``per_minute`` 0 (or None) counts nothing and never refuses."""
    if not per_minute:
        return 0
    now = time.time() if now is None else now
    window = int(now // 60)
    cr.execute(_TAKE, [key, window])
    hits = cr.fetchone()[0]
    if hits == 1:  # a new minute for this key: the old ones are of no use any more
        cr.execute(_FORGET, [key, window])
    if hits <= per_minute:
        return 0
    return max(1, math.ceil((window + 1) * 60 - now))
