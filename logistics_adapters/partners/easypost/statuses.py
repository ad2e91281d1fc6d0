"""EasyPost status table: Tracker / TrackingDetail / Shipment ``status``."""

from ... import canonical as c
from ...registry import StatusEntry as S

#: EasyPost Tracker / TrackingDetail / Shipment ``status`` -> canonical status.
STATUSES = {
    "pre_transit": S(c.STATUS_LABEL_CREATED),
    "in_transit": S(c.STATUS_IN_TRANSIT),
    "out_for_delivery": S(c.STATUS_OUT_FOR_DELIVERY),
    "delivered": S(c.STATUS_DELIVERED),
    "available_for_pickup": S(c.STATUS_AVAILABLE_FOR_PICKUP),
    "return_to_sender": S(c.STATUS_RETURNED_TO_SENDER),
    "failure": S(c.STATUS_DELIVERY_FAILED),
    "cancelled": S(c.STATUS_CANCELLED),
    "error": S(c.STATUS_EXCEPTION),
    "unknown": S(c.STATUS_UNKNOWN),
}


def status_candidates(partner_status):
    """``status/status_detail`` -> (itself, ``status``): a detail is not a status of its own
    (EasyPost's details reuse words such as ``unknown`` and ``in_transit``)."""
    code = partner_status or ""
    return tuple(dict.fromkeys((code, code.partition("/")[0])))


class EasyPostCodecMixin:
    """What every EasyPost codec shares: the partner, its status table and rule, its reader."""

    partner = "easypost"
    statuses = STATUSES
    #: EasyPost text is kept exactly as given (the shipment codec writes it back).
    tidy_text = False

    def status_candidates(self, partner_status):
        """The EasyPost rule: the exact code, then the status before ``/``."""
        return status_candidates(partner_status)
