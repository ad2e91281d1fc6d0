"""UPS status table: activity types and the activity codes that say more than their type."""

from ... import canonical as c
from ...registry import StatusEntry as S

#: UPS ``activity[].status.type`` (Track API) and ``activityStatus.type`` (Track Alert, whose
#: OpenAPI description lists D, I, M, MV, U, X). ``P`` (pickup) and ``RS`` (returned to
#: shipper) are the older Track API types. ``U`` only updates the delivery date: no progress.
TYPES = {
    "M": S(c.STATUS_LABEL_CREATED),
    "MV": S(c.STATUS_CANCELLED),
    "P": S(c.STATUS_PICKED_UP, "Pickup"),
    "I": S(c.STATUS_IN_TRANSIT),
    "D": S(c.STATUS_DELIVERED),
    "X": S(c.STATUS_EXCEPTION),
    "RS": S(c.STATUS_RETURNED_TO_SENDER, "Returned to shipper"),
    "U": S(c.STATUS_UNKNOWN, "Delivery date update"),
}
#: UPS 2-letter activity codes that say more than their type: ``OT`` "Out for Delivery" comes
#: with type ``I`` in the Track Alert examples; ``SR`` "released by the customs agency" comes
#: with type ``X`` in the Track API description.
ACTIVITY_CODES = {
    "OT": S(c.STATUS_OUT_FOR_DELIVERY, "Out for Delivery"),
    "SR": S(c.STATUS_CUSTOMS_RELEASED, "Released by the customs agency"),
}
#: The one UPS table: ``partner_status`` is ``type/code``, looked up code first, then type.
STATUSES = {**TYPES, **ACTIVITY_CODES}
