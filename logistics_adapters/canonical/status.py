"""Canonical shipment statuses: codes, labels, ranks, and how an event moves a shipment."""

__all__ = [
    "RANKED_STATUSES",
    "SIDE_STATUSES",
    "STATUSES",
    "STATUS_AVAILABLE_FOR_PICKUP",
    "STATUS_CANCELLED",
    "STATUS_CODES",
    "STATUS_CUSTOMS_HOLD",
    "STATUS_CUSTOMS_RELEASED",
    "STATUS_DELIVERED",
    "STATUS_DELIVERY_FAILED",
    "STATUS_EXCEPTION",
    "STATUS_IN_TRANSIT",
    "STATUS_LABEL_CREATED",
    "STATUS_OUT_FOR_DELIVERY",
    "STATUS_PICKED_UP",
    "STATUS_RETURNED_TO_SENDER",
    "STATUS_UNKNOWN",
    "TERMINAL_STATUSES",
    "advance_status",
    "is_side_status",
    "is_terminal",
    "status_rank",
]

# --------------------------------------------------------------------------------------------
# Shipment statuses
# --------------------------------------------------------------------------------------------

STATUS_LABEL_CREATED = "label_created"
STATUS_PICKED_UP = "picked_up"
STATUS_IN_TRANSIT = "in_transit"
STATUS_OUT_FOR_DELIVERY = "out_for_delivery"
STATUS_AVAILABLE_FOR_PICKUP = "available_for_pickup"
STATUS_DELIVERED = "delivered"
STATUS_RETURNED_TO_SENDER = "returned_to_sender"
STATUS_CANCELLED = "cancelled"
STATUS_EXCEPTION = "exception"
STATUS_DELIVERY_FAILED = "delivery_failed"
STATUS_CUSTOMS_HOLD = "customs_hold"
STATUS_CUSTOMS_RELEASED = "customs_released"
STATUS_UNKNOWN = "unknown"

#: Statuses on the progress scale, lowest first: a shipment only ever moves up this list.
RANKED_STATUSES = (
    STATUS_LABEL_CREATED,
    STATUS_PICKED_UP,
    STATUS_IN_TRANSIT,
    STATUS_OUT_FOR_DELIVERY,
    STATUS_AVAILABLE_FOR_PICKUP,
    STATUS_DELIVERED,
)
#: Statuses a shipment never leaves.
TERMINAL_STATUSES = (STATUS_RETURNED_TO_SENDER, STATUS_CANCELLED)
#: Statuses that flag a shipment without changing its progress.
SIDE_STATUSES = (
    STATUS_EXCEPTION,
    STATUS_DELIVERY_FAILED,
    STATUS_CUSTOMS_HOLD,
    STATUS_CUSTOMS_RELEASED,
)

#: (code, label) pairs in display order, usable as an Odoo selection.
STATUSES = [
    (STATUS_LABEL_CREATED, "Label created"),
    (STATUS_PICKED_UP, "Picked up"),
    (STATUS_IN_TRANSIT, "In transit"),
    (STATUS_OUT_FOR_DELIVERY, "Out for delivery"),
    (STATUS_AVAILABLE_FOR_PICKUP, "Available for pickup"),
    (STATUS_DELIVERED, "Delivered"),
    (STATUS_RETURNED_TO_SENDER, "Returned to sender"),
    (STATUS_CANCELLED, "Cancelled"),
    (STATUS_EXCEPTION, "Exception"),
    (STATUS_DELIVERY_FAILED, "Delivery failed"),
    (STATUS_CUSTOMS_HOLD, "Customs hold"),
    (STATUS_CUSTOMS_RELEASED, "Customs released"),
    (STATUS_UNKNOWN, "Unknown"),
]
STATUS_CODES = frozenset(code for code, _label in STATUSES)

_RANKS = {code: index for index, code in enumerate(RANKED_STATUSES, start=1)}
_RANKS.update(dict.fromkeys(TERMINAL_STATUSES, len(RANKED_STATUSES) + 1))
_RANKS.update(dict.fromkeys((*SIDE_STATUSES, STATUS_UNKNOWN), 0))


def _check_status(code):
    if code not in STATUS_CODES:
        known = ", ".join(code for code, _label in STATUSES)
        raise ValueError(f"unknown canonical status {code!r}; known statuses: {known}")


def status_rank(code):
    """Return the progress rank of a canonical status.

    ``label_created`` is 1 up to ``delivered`` 6; both terminal statuses rank 7, above
    everything; side statuses and ``unknown`` rank 0 (they carry no progress).
    Raises ``ValueError`` for a code that is not a canonical status.
    """
    _check_status(code)
    return _RANKS[code]


def is_terminal(code):
    """Tell whether a shipment in status ``code`` must never change status again."""
    _check_status(code)
    return code in TERMINAL_STATUSES


def is_side_status(code):
    """Tell whether ``code`` flags a shipment (exception, customs...) without progress."""
    _check_status(code)
    return code in SIDE_STATUSES


def advance_status(current, incoming):
    """Return the status a shipment in ``current`` should have after an ``incoming`` event.

    A status never moves backwards (a late ``in_transit`` after ``delivered`` is ignored),
    never leaves a terminal status, and side statuses and ``unknown`` leave it unchanged:
    they are recorded on the event, not on the shipment. A shipment without status yet
    (``None``, ``""`` or Odoo's ``False``) takes the incoming status whatever it is; a shipment
    whose current status is a side status or ``unknown`` moves to any ranked incoming one.
    """
    _check_status(incoming)
    if not current:
        return incoming
    if is_terminal(current):
        return current
    if status_rank(incoming) > status_rank(current):
        return incoming
    return current
