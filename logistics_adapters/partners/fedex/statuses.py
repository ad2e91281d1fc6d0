"""FedEx status table: scan event types, and FedEx's derived status buckets."""

from ... import canonical as c
from ...registry import StatusEntry as S

#: FedEx ``scanEvents[].eventType`` (also ``latestStatusDetail.code``).
EVENT_TYPES = {
    "OC": S(c.STATUS_LABEL_CREATED, "Shipment information sent to FedEx"),
    "PU": S(c.STATUS_PICKED_UP),
    "PX": S(c.STATUS_PICKED_UP, "Picked up (see details)"),
    "AR": S(c.STATUS_IN_TRANSIT, "Arrived at FedEx location"),
    "DP": S(c.STATUS_IN_TRANSIT, "Departed"),
    "IT": S(c.STATUS_IN_TRANSIT),
    "AF": S(c.STATUS_IN_TRANSIT, "At local FedEx facility"),
    "FD": S(c.STATUS_IN_TRANSIT, "At FedEx destination facility"),
    "AO": S(c.STATUS_IN_TRANSIT, "Arriving on time"),
    "AE": S(c.STATUS_IN_TRANSIT, "Arriving early"),
    "OD": S(c.STATUS_OUT_FOR_DELIVERY),
    "HP": S(c.STATUS_AVAILABLE_FOR_PICKUP, "Ready for recipient pickup"),
    "HL": S(c.STATUS_AVAILABLE_FOR_PICKUP, "Hold at location"),
    "DL": S(c.STATUS_DELIVERED),
    "DE": S(c.STATUS_DELIVERY_FAILED, "Delivery exception"),
    "DY": S(c.STATUS_EXCEPTION, "Delay"),
    "SE": S(c.STATUS_EXCEPTION, "Shipment exception"),
    "CD": S(c.STATUS_CUSTOMS_HOLD, "Clearance delay"),
    "CC": S(c.STATUS_CUSTOMS_RELEASED, "Cleared customs"),
    "RS": S(c.STATUS_RETURNED_TO_SENDER),
    "CA": S(c.STATUS_CANCELLED),
}
#: FedEx ``derivedStatusCode`` / ``derivedCode``, FedEx's own buckets, used when the event
#: type is not in :data:`EVENT_TYPES` (the codec then sends ``type/derived``).
DERIVED_CODES = {
    "IN": S(c.STATUS_LABEL_CREATED),
    "PU": S(c.STATUS_PICKED_UP),
    "IT": S(c.STATUS_IN_TRANSIT),
    "OD": S(c.STATUS_OUT_FOR_DELIVERY),
    "DL": S(c.STATUS_DELIVERED),
    "DE": S(c.STATUS_DELIVERY_FAILED),
    "DY": S(c.STATUS_EXCEPTION),
    "RL": S(c.STATUS_EXCEPTION, "Running late"),
    "CA": S(c.STATUS_CANCELLED),
}
#: The one FedEx table (where a code is both, the event type's row, with its label, wins).
STATUSES = {**DERIVED_CODES, **EVENT_TYPES}
