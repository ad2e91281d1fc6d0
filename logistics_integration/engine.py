"""The message engine's public names: states, error kinds and the values it hands out.

Business addons import these from here (``odoo.addons.logistics_integration.engine``),
never from the model files, and use the engine through the public service methods of
``logistics.message`` (``store_inbound``, ``enqueue_outbound``, ``work_now``,
``send_now``, ``record_answer``, ``get_payload``, ``call_partner``, ``cancel``,
``requeue``, ``replay``) and the handler contract of ``logistics.handler`` (whose
``_process_many`` gives a :class:`Result` per message).
"""

import time
import traceback
from dataclasses import dataclass

from logistics_gateway.inbox import PROCESSOR_CRONS  # noqa: F401 - one list for both

STATES = [
    ("pending", "Pending"),
    ("retry", "Retry"),
    ("done", "Done"),
    ("error", "Error"),
    ("dead", "Dead"),
    ("cancelled", "Cancelled"),
]
STATE_PENDING, STATE_RETRY, STATE_DONE, STATE_ERROR, STATE_DEAD, STATE_CANCELLED = dict(STATES)
#: States a processor works on.
WORKING_STATES = (STATE_PENDING, STATE_RETRY)
#: States that wait for a person.
FAILED_STATES = (STATE_ERROR, STATE_DEAD)
REPLAYABLE_STATES = (STATE_ERROR, STATE_DEAD, STATE_DONE)

#: Where a processor leaves the payloads of a batch it read in one query (``cr.cache``):
#: ``get_payload`` takes them from there (payloads never change).
PAYLOADS_READ = "logistics_message.payloads"

ERROR_KINDS = [
    ("transient", "Transient"),
    ("business", "Business"),
    ("security", "Security"),
]
ERROR_TRANSIENT, ERROR_BUSINESS, ERROR_SECURITY = dict(ERROR_KINDS)


#: The published development key (README): a database installed with demo data and no key
#: of its own uses it, so that the demo's partners work out of the box. Public: never for a
#: real partner, and never used by a database without demo data.
DEVELOPMENT_SECRET_KEY = "1fzwxU1MIAXgrWBGvzscfB36PTKm13uKkcU-3ibRadM="


class ClaimConflict(Exception):
    """A claim met a row changed after this transaction's snapshot: try again later."""


@dataclass(frozen=True)
class Outcome:
    """What working a message left on record, as plain values.

    Carried out of the transaction that did the work: Odoo's transactions are repeatable
    read, so the caller's own transaction cannot see the rows the other one committed.
    ``answer`` is the payload of the partner's answer kept as a child message (the one
    carrying ``attachment`` when the answer came with a file, else the latest);
    ``attachment`` the raw bytes of that file and ``attachment_mimetype`` its type.
    """

    message_id: int
    name: str
    state: str
    error_kind: str
    error_text: str
    answer: bytes | None
    attachment: bytes | None
    attachment_mimetype: str


@dataclass(frozen=True)
class Result:
    """How one message of a batch went: its failure (with traceback) or none, and the
    milliseconds it took."""

    error: Exception | None
    trace: str
    duration_ms: float

    @classmethod
    def done(cls, started):
        return cls(None, "", (time.monotonic() - started) * 1000)

    @classmethod
    def failed(cls, exc, started):
        return cls(exc, traceback.format_exc(), (time.monotonic() - started) * 1000)
