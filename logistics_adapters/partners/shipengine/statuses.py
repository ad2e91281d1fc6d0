"""ShipEngine status table: ``status_code`` (with its labels) and ``status_detail_code``."""

from ... import canonical as c
from ...registry import StatusEntry as S

#: ShipEngine ``status_code`` with its published label; the empty string (seen in ShipEngine's
#: own SDK mock) is unknown.
STATUS_CODES = {
    "AC": S(c.STATUS_PICKED_UP, "Accepted"),  # by the carrier
    "IT": S(c.STATUS_IN_TRANSIT, "In Transit"),
    "DE": S(c.STATUS_DELIVERED, "Delivered"),
    "EX": S(c.STATUS_EXCEPTION, "Exception"),
    "UN": S(c.STATUS_UNKNOWN, "Unknown"),
    "AT": S(c.STATUS_DELIVERY_FAILED, "Delivery Attempt"),
    "NY": S(c.STATUS_LABEL_CREATED, "Not Yet In System"),
    "SP": S(c.STATUS_AVAILABLE_FOR_PICKUP, "Delivered To Collection Location"),
    "": S(c.STATUS_UNKNOWN),
}


def _codes(status, *names):
    return dict.fromkeys(names, S(status))


#: ShipEngine ``status_detail_code`` (labels not published with the enum); when present and
#: listed it wins over ``status_code``.
#: Purely informative codes (INFORMATION, POST_TRANSIT_STATUS, COD_AMOUNT_PAID,
#: CARRIER_STATUS_NOT_MAPPED...) are left out, so ``status_code`` decides.
DETAIL_CODES = {
    **_codes(
        c.STATUS_LABEL_CREATED,
        "SHIPMENT_CREATED",
        "AWAITING_PICKUP_DROP_OFF",
        "ELEC_ADVICE_RECD_BY_CARRIER",
        "NOT_YET_RECEIVED_BY_CARRIER",
    ),
    **_codes(
        c.STATUS_PICKED_UP,
        "DROPPED_OFF",
        "PICKED_UP",
        "RECEIVED_BY_CARRIER",
        "RECD_BY_CARRIER_NO_ELEC_ADVICE",
    ),
    **_codes(
        c.STATUS_IN_TRANSIT,
        "HUB_SCAN_OUT",
        "HUB_SCAN_IN",
        "HUB_PROCESSING",
        "IN_TRANSIT",
        "RECEIVED_LOCAL_DELIVERY_DEPOT",
        "SUB_CONTRACTOR_RECEIVED",
        "PARCEL_REDIRECTED",
        "DELIVERY_SCHEDULED",
        "DELIVERY_ARRANGED_WITH_RECIPIENT",
        "DELIVERY_RESCHEDULED",
    ),
    "OUT_FOR_DELIVERY": S(c.STATUS_OUT_FOR_DELIVERY),
    **_codes(
        c.STATUS_AVAILABLE_FOR_PICKUP,
        "AWAITING_COLLECTION_FROM_PICKUP_POINT",
        "COLLECT_AT_LOCAL_PO",
        "CUSTOMER_TO_COLLECT_FROM_CARRIER",
    ),
    **_codes(
        c.STATUS_DELIVERED,
        "DELIVERED",
        "DELIVERED_TO_RECEPTION",
        "DELIVERED_DAMAGED",
        "DELIVERED_IN_PART",
        "DELIVERED_SPECIFIED_SAFE_PLACE",
        "DELIVERED_TO_ALTERNATIVE_DELIVERY_LOCATION",
        "DELIVERED_TO_NEIGHBOUR",
        "DELIVERED_TO_PO_BOX",
        "PARCEL_COLLECTED_FROM_PICKUP_POINT",
        "PROOF_OF_DELIVERY",
    ),
    "CUSTOMS_CLEARED": S(c.STATUS_CUSTOMS_RELEASED),
    **_codes(
        c.STATUS_CUSTOMS_HOLD,
        "CUSTOMS_PROCESSING",
        "HELD_BY_CUSTOMS",
        "HELD_BY_EXPORT_CUSTOMS",
        "HELD_BY_IMPORT_CUSTOMS",
        "HELD_BY_CARRIER_FOR_CLEARANCE_PRE_PROCESSING",
    ),
    **_codes(
        c.STATUS_DELIVERY_FAILED,
        "ATTEMPTED_DELIVERY",
        "ATTEMPTED_DELIVERY_FINAL",
        "CUSTOMER_CARDED",
        "COD_AMOUNT_NOT_PAID",
        "CUSTOMER_IDENTIFICATION_FAILED",
        "NO_ACCESS_TO_RECIPIENTS_ADDRESS",
        "NOT_DELIVERED_ADDRESSEE_DECEASED",
    ),
    **_codes(
        c.STATUS_RETURNED_TO_SENDER,
        "RETURN_TO_SENDER",
        "REFUSED_BY_CUSTOMER",
        "CUSTOMER_MOVED",
        "NOT_COLLECTED_FROM_PICKUP_POINT",
        "NOT_DELIVERED",
    ),
    "CANCELLED": S(c.STATUS_CANCELLED),
    **_codes(
        c.STATUS_EXCEPTION,
        "PICKUP_FAILED",
        "PARCEL_DAMAGED",
        "ADDRESS_QUERY",
        "CARRIER_DELAYS",
        "DELAYED_NOT_CARRIER",
        "HELD_BY_CARRIER",
        "INCORRECT_DECLARATION",
        "MISROUTED",
        "PARCEL_REPACKED",
        "HAZARDOUS_PROHIBITED",
        "PARCEL_DISPOSED",
        "PARCEL_LOST",
        "PARCEL_OUTSIDE_OF_SERVICE_CAPABILITY",
        "UNSPECIFIED_EXCEPTION",
    ),
}

#: The one ShipEngine table: ``partner_status`` is ``code/detail``, looked up detail first.
STATUSES = {**STATUS_CODES, **DETAIL_CODES}
