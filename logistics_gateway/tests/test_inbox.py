"""The decisions of :func:`logistics_gateway.inbox.store_message`, on a scripted cursor.

The SQL itself runs against PostgreSQL in the Odoo tests (``test_tombstone``,
``test_inbound_contention``, ``test_gateway_parity``); here, what the function does with
what the database answers: new, duplicate, purged, and purged while it waited.
"""

from logistics_gateway import inbox

KEY = (1, "inbound", "evt-1")


class ScriptedCursor:
    """Answers the inbox statements from dicts; ``on_insert`` plays a concurrent purge."""

    def __init__(self, rows=None, tombstones=None, on_insert=None):
        self.rows = dict(rows or {})  # key -> (id, name, correlation_id)
        self.tombstones = dict(tombstones or {})  # key -> (reference, correlation_id)
        self.on_insert = on_insert
        self.deleted = []
        self.inserted = []
        self._result = None

    def execute(self, query, params=None):
        if query is inbox._FIND_KEY:
            self._result = self.rows.get(tuple(params))
        elif query is inbox._FIND_TOMBSTONE:
            self._result = self.tombstones.get(tuple(params))
        elif query is inbox._INSERT:
            if self.on_insert:
                self.on_insert(self)
            key = (params["backend_id"], params["direction"], params["idempotency_key"])
            if key in self.rows:
                self._result = (*self.rows[key], False)
            else:
                row = (100 + len(self.inserted), params["name"], params["correlation_id"])
                self.inserted.append(params)
                self.rows[key] = row
                self._result = (*row, True)
        elif query is inbox._FORGET:
            self.deleted.append(params[0])
            self._result = None
        else:
            raise AssertionError(f"unexpected statement {query}")

    def fetchone(self):
        return self._result


def row(**values):
    backend_id, direction, key = KEY
    return {
        "backend_id": backend_id,
        "direction": direction,
        "idempotency_key": key,
        "correlation_id": "corr-new",
        **values,
    }


class Names:
    def __init__(self):
        self.drawn = []

    def __call__(self, _cr):
        self.drawn.append(f"LGM/2026/{len(self.drawn) + 1:07d}")
        return self.drawn[-1]


def test_a_new_key_is_stored_under_a_new_name():
    cr, names = ScriptedCursor(), Names()
    kept = inbox.store_message(cr, row(), b"{}", names)
    assert kept == inbox.Kept(100, "LGM/2026/0000001", "corr-new", True)
    assert names.drawn == ["LGM/2026/0000001"]
    assert cr.inserted[0]["payload"] == b"{}"


def test_a_known_key_is_a_duplicate_without_drawing_a_name():
    cr, names = ScriptedCursor(rows={KEY: (7, "LGM/1", "corr-1")}), Names()
    kept = inbox.store_message(cr, row(), b"{}", names)
    assert kept == inbox.Kept(7, "LGM/1", "corr-1", False)
    assert names.drawn == []


def test_the_key_of_a_purged_message_answers_from_its_tombstone_and_stores_nothing():
    cr, names = ScriptedCursor(tombstones={KEY: ("LGM/0", "corr-0")}), Names()
    kept = inbox.store_message(cr, row(), b"{}", names)
    assert kept == inbox.Kept(None, "LGM/0", "corr-0", False)
    assert (cr.inserted, names.drawn) == ([], [])


def test_a_purge_that_committed_while_the_insert_waited_is_honoured():
    def purge(cr):
        cr.tombstones[KEY] = ("LGM/0", "corr-0")

    cr = ScriptedCursor(on_insert=purge)
    kept = inbox.store_message(cr, row(), b"{}", Names())
    assert kept == inbox.Kept(None, "LGM/0", "corr-0", False)
    assert cr.deleted == [100], "the row just inserted is taken back"


def test_a_row_seen_then_purged_under_the_snapshot_is_still_a_duplicate():
    # Repeatable read: the snapshot shows the row, the purge removed it meanwhile and its
    # tombstone is not visible yet; the insert goes through, and is taken back.
    def purge(cr):
        del cr.rows[KEY]

    cr = ScriptedCursor(rows={KEY: (7, "LGM/1", "corr-1")}, on_insert=purge)
    kept = inbox.store_message(cr, row(), b"{}", Names())
    assert kept == inbox.Kept(7, "LGM/1", "corr-1", False)
    assert cr.deleted == [100]
