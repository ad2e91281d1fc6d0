"""Ocean status tables: DCSA event type codes and Terminal49 event names, with their labels.

DCSA codes and labels: Event Domain 1.0.4 for Track & Trace 2.2
(https://github.com/dcsaorg/DCSA-OpenAPI ``domain/event`` README v1.0.4 and
``event_domain_v1.1.1.yaml``, which aggregates 1.0.4): keys are ``<eventType>/<code>``; a
SHIPMENT hold or release of a customs document (documentTypeCode ``CUS``) is looked up as
``SHIPMENT/HOLD/CUS`` first. Terminal49 names and labels: its webhook event catalog
(https://terminal49.com/docs/api-docs/webhooks/event-catalog); an estimated event
(``container.transport.estimated.vessel_arrived``) takes the status of the event it estimates.
"""

from ... import canonical as c
from ...registry import StatusEntry as S

DCSA_STATUSES = {
    "EQUIPMENT/LOAD": S(c.STATUS_IN_TRANSIT, "Loaded"),
    "EQUIPMENT/DISC": S(c.STATUS_IN_TRANSIT, "Discharged"),
    "EQUIPMENT/GTIN": S(c.STATUS_IN_TRANSIT, "Gated in"),
    "EQUIPMENT/GTOT": S(c.STATUS_IN_TRANSIT, "Gated out"),
    "EQUIPMENT/STUF": S(c.STATUS_PICKED_UP, "Stuffed"),
    "EQUIPMENT/STRP": S(c.STATUS_DELIVERED, "Stripped"),
    "EQUIPMENT/PICK": S(c.STATUS_PICKED_UP, "Pick-up"),
    "EQUIPMENT/DROP": S(c.STATUS_DELIVERED, "Drop-off"),
    "EQUIPMENT/INSP": S(c.STATUS_UNKNOWN, "Inspected"),
    "EQUIPMENT/RSEA": S(c.STATUS_UNKNOWN, "Resealed"),
    "EQUIPMENT/RMVD": S(c.STATUS_UNKNOWN, "Removed"),
    "TRANSPORT/ARRI": S(c.STATUS_IN_TRANSIT, "Arrived"),
    "TRANSPORT/DEPA": S(c.STATUS_IN_TRANSIT, "Departed"),
    "SHIPMENT/RECE": S(c.STATUS_UNKNOWN, "Received"),
    "SHIPMENT/DRFT": S(c.STATUS_UNKNOWN, "Drafted"),
    "SHIPMENT/PENA": S(c.STATUS_UNKNOWN, "Pending Approval"),
    "SHIPMENT/PENU": S(c.STATUS_UNKNOWN, "Pending Update"),
    "SHIPMENT/REJE": S(c.STATUS_UNKNOWN, "Rejected"),
    "SHIPMENT/APPR": S(c.STATUS_UNKNOWN, "Approved"),
    "SHIPMENT/ISSU": S(c.STATUS_UNKNOWN, "Issued"),
    "SHIPMENT/SURR": S(c.STATUS_UNKNOWN, "Surrendered"),
    "SHIPMENT/SUBM": S(c.STATUS_UNKNOWN, "Submitted"),
    "SHIPMENT/VOID": S(c.STATUS_UNKNOWN, "Void"),
    "SHIPMENT/CONF": S(c.STATUS_LABEL_CREATED, "Confirmed"),
    "SHIPMENT/REQS": S(c.STATUS_UNKNOWN, "Requested"),
    "SHIPMENT/CMPL": S(c.STATUS_UNKNOWN, "Completed"),
    "SHIPMENT/HOLD": S(c.STATUS_EXCEPTION, "On Hold"),
    "SHIPMENT/RELS": S(c.STATUS_UNKNOWN, "Released"),
    "SHIPMENT/HOLD/CUS": S(c.STATUS_CUSTOMS_HOLD, "On Hold (customs)"),
    "SHIPMENT/RELS/CUS": S(c.STATUS_CUSTOMS_RELEASED, "Released (customs)"),
}

_T = "container.transport."
TERMINAL49_STATUSES = {
    _T + "empty_out": S(c.STATUS_LABEL_CREATED, "Empty container picked up at port of lading"),
    _T + "full_in": S(c.STATUS_PICKED_UP, "Full container returned to port of lading"),
    _T + "vessel_loaded": S(c.STATUS_IN_TRANSIT, "Container loaded onto the vessel"),
    _T + "vessel_departed": S(c.STATUS_IN_TRANSIT, "Vessel departed the port of lading"),
    _T + "transshipment_arrived": S(c.STATUS_IN_TRANSIT, "Arrived at a transshipment port"),
    _T + "transshipment_discharged": S(c.STATUS_IN_TRANSIT, "Discharged at transshipment port"),
    _T + "transshipment_loaded": S(c.STATUS_IN_TRANSIT, "Loaded at transshipment port"),
    _T + "transshipment_departed": S(c.STATUS_IN_TRANSIT, "Departed the transshipment port"),
    _T + "feeder_arrived": S(c.STATUS_IN_TRANSIT, "Arrived on feeder vessel or barge"),
    _T + "feeder_discharged": S(c.STATUS_IN_TRANSIT, "Discharged from feeder vessel or barge"),
    _T + "feeder_loaded": S(c.STATUS_IN_TRANSIT, "Loaded on feeder vessel or barge"),
    _T + "feeder_departed": S(c.STATUS_IN_TRANSIT, "Departed on feeder vessel or barge"),
    _T + "vessel_arrived": S(c.STATUS_IN_TRANSIT, "Vessel arrived at the port of discharge"),
    _T + "vessel_berthed": S(c.STATUS_IN_TRANSIT, "Vessel berthed at the port of discharge"),
    _T + "vessel_discharged": S(c.STATUS_IN_TRANSIT, "Container discharged from the vessel"),
    _T + "available": S(c.STATUS_AVAILABLE_FOR_PICKUP, "Available for pickup at destination"),
    _T + "not_available": S(c.STATUS_EXCEPTION, "No longer available for pickup"),
    _T + "full_out": S(c.STATUS_OUT_FOR_DELIVERY, "Picked up at the port of discharge"),
    _T + "delivered": S(c.STATUS_DELIVERED, "Manually marked as delivered"),
    _T + "empty_in": S(c.STATUS_DELIVERED, "Empty container returned at destination"),
    _T + "rail_loaded": S(c.STATUS_IN_TRANSIT, "Loaded onto a rail car"),
    _T + "rail_departed": S(c.STATUS_IN_TRANSIT, "Rail car departed"),
    _T + "rail_arrived": S(c.STATUS_IN_TRANSIT, "Rail car arrived"),
    _T + "rail_unloaded": S(c.STATUS_IN_TRANSIT, "Unloaded from the rail car"),
    _T + "arrived_at_inland_destination": S(
        c.STATUS_IN_TRANSIT, "Arrived at the final inland destination"
    ),
    "shipment.estimated.arrival": S(c.STATUS_IN_TRANSIT, "ETA at the port of discharge"),
}
