"""AfterShip status table: delivery status tags and the subtags that say more than their tag."""

from ... import canonical as c
from ...registry import StatusEntry as S

#: AfterShip ``tag`` (delivery status).
TAGS = {
    "Pending": S(c.STATUS_UNKNOWN, "No information from the carrier yet"),
    "InfoReceived": S(c.STATUS_LABEL_CREATED),
    "InTransit": S(c.STATUS_IN_TRANSIT),
    "OutForDelivery": S(c.STATUS_OUT_FOR_DELIVERY),
    "AttemptFail": S(c.STATUS_DELIVERY_FAILED),
    "Delivered": S(c.STATUS_DELIVERED),
    "AvailableForPickup": S(c.STATUS_AVAILABLE_FOR_PICKUP),
    "Exception": S(c.STATUS_EXCEPTION),
    # No update for a long time: a person should look.
    "Expired": S(c.STATUS_EXCEPTION, "No update for a long time"),
}
#: AfterShip ``subtag`` values that say more than their tag.
SUBTAGS = {
    "InTransit_002": S(c.STATUS_PICKED_UP, "Acceptance scan"),
    "Exception_002": S(c.STATUS_DELIVERY_FAILED, "Customer moved"),
    "Exception_003": S(c.STATUS_DELIVERY_FAILED, "Customer refused delivery"),
    "Exception_004": S(c.STATUS_CUSTOMS_HOLD, "Delayed (customs clearance)"),
    "Exception_011": S(c.STATUS_RETURNED_TO_SENDER, "Returned to sender"),
}
#: The one AfterShip table: ``partner_status`` is the subtag (else the tag), looked up as it
#: is, then as its tag (the part before ``_``).
STATUSES = {**TAGS, **SUBTAGS}


def status_candidates(partner_status):
    """``InTransit_002`` -> (``InTransit_002``, ``InTransit``)."""
    code = partner_status or ""
    return tuple(dict.fromkeys((code, code.partition("_")[0])))
