"""DHL status table: Shipment Tracking - Unified ``statusCode``."""

from ... import canonical as c
from ...registry import StatusEntry as S

#: DHL Shipment Tracking - Unified ``statusCode``. It wins over ``status``, which is the
#: product's free text (DHL's own example pairs ``pre-transit`` with ``DELIVERED``).
STATUSES = {
    "pre-transit": S(c.STATUS_LABEL_CREATED),
    "transit": S(c.STATUS_IN_TRANSIT),
    "delivered": S(c.STATUS_DELIVERED),
    "failure": S(c.STATUS_EXCEPTION),
    "unknown": S(c.STATUS_UNKNOWN),
}
