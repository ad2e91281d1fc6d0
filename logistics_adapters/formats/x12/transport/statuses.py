"""The X12 214 AT7 code lists and the canonical status of each shipment status code.

From the published 004010 lists (``x12_214_at7_status_codes.md``: stupidedi's element
definitions E1650, E1651, E1652, verbatim, their spelling included). They are not X12's whole
lists: a code outside them keeps its ``partner_status`` and is ``unknown``.

``partner_status`` of a milestone is the AT701 shipment status code (``X3``) or, for an
appointment, ``appointment/`` and the AT703 code (``appointment/AA``): AT701 ``AA`` (Estimated
Pick Up) and AT703 ``AA`` (Pick-up Appointment) are two meanings of one code.

The statuses chosen: a carrier at the pickup (``X3``, ``X8``, loading ``L1``) or having the
shipment's data (``XB``) is ``label_created``, the step before ``picked_up``; at the delivery
location (``X1``, ``X5``, ``S1``) or on the way to it (``X6``, ``AJ``) ``out_for_delivery``;
an estimate or appointment is ``unknown`` (it moves nothing; its time is the milestone's
``estimated_at`` / ``appointment_at``). A table is data: the Odoo status map overrides it.
"""

from .... import canonical as c
from ....registry import StatusEntry as S

APPOINTMENT_PREFIX = "appointment/"

#: AT701 (E1650): shipment status code -> canonical status and the list's wording.
SHIPMENT_STATUSES = {
    "A3": S(c.STATUS_RETURNED_TO_SENDER, "Shipment Returned to Shipper"),
    "A7": S(c.STATUS_DELIVERY_FAILED, "Refused by Consignee"),
    "A9": S(c.STATUS_EXCEPTION, "Shipment Damaged"),
    "AF": S(c.STATUS_PICKED_UP, "Carrier Departed Pick-up Location with Shipment"),
    "AA": S(c.STATUS_UNKNOWN, "Estimated Pick Up"),
    "AG": S(c.STATUS_UNKNOWN, "Estimated Delivery"),
    "AH": S(c.STATUS_DELIVERY_FAILED, "Attempted Delivery"),
    "AI": S(c.STATUS_IN_TRANSIT, "Shipment has been Reconsigned"),
    "AJ": S(c.STATUS_OUT_FOR_DELIVERY, "Tendered for Delivery"),
    "AM": S(c.STATUS_PICKED_UP, "Loaded on Truck"),
    "AN": S(c.STATUS_IN_TRANSIT, "Diverted to Air Carrier"),
    "AP": S(c.STATUS_DELIVERY_FAILED, "Delivery Not Completed"),
    "AR": S(c.STATUS_IN_TRANSIT, "Rail Arrival at Destination Intermodal Ramp"),
    "AV": S(c.STATUS_IN_TRANSIT, "Available for Delivery"),
    "B6": S(c.STATUS_UNKNOWN, "Estimated to Arrive at Carrier Terminal"),
    "BA": S(c.STATUS_IN_TRANSIT, "Connecting Line or Cartage Pick-up"),
    "BC": S(c.STATUS_IN_TRANSIT, "Storage in Transit"),
    "C1": S(c.STATUS_UNKNOWN, "Estimated to Depart Terminal Location"),
    "CA": S(c.STATUS_CANCELLED, "Shipment Cancelled"),
    "CD": S(c.STATUS_DELIVERED, "Carrier Departed Delivery Location"),
    "CL": S(c.STATUS_PICKED_UP, "Trailer Closed Out"),
    "CP": S(c.STATUS_PICKED_UP, "Completed Loading at Pick-up Location"),
    "D1": S(c.STATUS_DELIVERED, "Completed Unloading at Delivery Location"),
    "I1": S(c.STATUS_IN_TRANSIT, "In-Gate"),
    "J1": S(c.STATUS_IN_TRANSIT, "Delivered to Connecting Line"),
    "K1": S(c.STATUS_IN_TRANSIT, "Arrived at Customs"),
    "L1": S(c.STATUS_LABEL_CREATED, "Loading"),
    "OA": S(c.STATUS_IN_TRANSIT, "Out-Gate"),
    "OO": S(c.STATUS_EXCEPTION, "Paperwork Received - Did not Receive Shipment or Equipment"),
    "P1": S(c.STATUS_IN_TRANSIT, "Departed Terminal Location"),
    "PR": S(c.STATUS_CUSTOMS_HOLD, "U.S. Customs Hold at In-Bond Location"),
    "R1": S(c.STATUS_IN_TRANSIT, "Received from Prior Carrier"),
    "RL": S(c.STATUS_IN_TRANSIT, "Rail Departure from Origin Intermodal Ramp"),
    "S1": S(c.STATUS_OUT_FOR_DELIVERY, "Trailer Spotted at Consignee's Location"),
    "SD": S(c.STATUS_EXCEPTION, "Shipment Delayed"),
    "X1": S(c.STATUS_OUT_FOR_DELIVERY, "Arrived at Delivery Location"),
    "X2": S(c.STATUS_UNKNOWN, "Estimated Date and/or Time of Arrival at Consignee's Location"),
    "X3": S(c.STATUS_LABEL_CREATED, "Arrived at Pick-up Location"),
    "X4": S(c.STATUS_IN_TRANSIT, "Arrived at Terminal Location"),
    "X5": S(c.STATUS_OUT_FOR_DELIVERY, "Arrived at Delivery Location Loading Dock"),
    "X6": S(c.STATUS_OUT_FOR_DELIVERY, "En Route to Delivery Location"),
    "X8": S(c.STATUS_LABEL_CREATED, "Arrived at Pick-up Location Loading Dock"),
    "XB": S(c.STATUS_LABEL_CREATED, "Shipment Acknowledged"),
}
#: AT703 (E1652): appointment status codes, as ``appointment/<code>``.
APPOINTMENT_STATUSES = {
    APPOINTMENT_PREFIX + "AA": S(c.STATUS_UNKNOWN, "Pick-up Appointment Date and/or Time"),
    APPOINTMENT_PREFIX + "AB": S(c.STATUS_UNKNOWN, "Delivery Appointment Date and/or Time"),
}
#: The one table of the x12-214 codec (``statuses``).
STATUSES = {**SHIPMENT_STATUSES, **APPOINTMENT_STATUSES}
#: AT701 codes that announce a time rather than report one: the milestone's
#: ``estimated_at``.
ESTIMATE_CODES = frozenset({"AA", "AG", "B6", "C1", "X2"})
#: AT702 / AT704 (E1651): status or appointment reason code -> the list's wording.
REASONS = {
    "A1": "Missed Delivery",
    "A2": "Incorrect Address",
    "A3": "Indirect Delivery",
    "A5": "Unable to Locate",
    "A6": "Address Corrected - Delivery Attempted",
    "AA": "Mis-sort",
    "AD": "Customer Requested Future Delivery",
    "AE": "Restricted Articles Unacceptable",
    "AF": "Accident",
    "AG": "Consignee Related",
    "AH": "Driver Related",
    "AI": "Mechanical Breakdown",
    "AJ": "Other Carrier Related",
    "AK": "Damaged, Rewrapped in Hub",
    "AL": "Previous Stop",
    "AM": "Shipper Related",
    "AN": "Holiday - Closed",
    "AO": "Weather or Natural Disaster Related",
    "AQ": "Recipient Unavailable - Delivery Delayed",
    "AR": "Improper International Paperwork",
    "AS": "Hold Due to Customs Documentation Problems",
    "AT": "Unable to Contact Recipent for Broker Information",
    "AV": "Exceeds Service Limitations",
    "AW": "Past Cut-off Time",
    "AX": "Insufficient Pick-up Time",
    "AY": "Missed Pick-up",
    "AZ": "Alternate Carrier Delivered",
    "B1": "Consignee Closed",
    "B2": "Trap for Customer",
    "B5": "Held for Consignee",
    "B8": "Improper Unloading Facility or Equipment",
    "B9": "Receiving Time Restriced",
    "BB": "Held per Shipper",
    "BC": "Missing Documents",
    "BD": "Border Clearance",
    "BE": "Road Conditions",
    "BF": "Carrier Keying Error",
    "BG": "Other",
    "BH": "Insufficient Time to Complete Delivery",
    "BI": "Cartage Agent",
    "BL": "Held for Protective Service",
    "BS": "Refused by Customer",
    "BT": "Returned to Shipper",
    "C1": "Waiting for Customer Pick-up",
    "C2": "Credit Hold",
    "C3": "Suspended at Customer Request",
    "C4": "Customer Vacation",
    "C5": "Customer Strike",
    "C6": "Waiting Shipping Instructions",
    "C7": "Waiting for Customer Specified Carrier",
    "C8": "Collect on Delivery Required",
    "C9": "Cash Not Available From Consignee",
    "CA": "Customs (Import or Export)",
    "CB": "No Requested Arrival Date Provided by Shipper",
    "CC": "No Requested Arrival Time Provided by Shipper",
    "D1": "Carrier Dispatch Error",
    "D2": "Driver Not Available",
    "F2": "International Non-carrier Delay",
    "NA": "Normal Appointment",
    "NS": "Normal Status",
    "P1": "Processing Delay",
    "P2": "Waiting Inspection",
    "P3": "Production Falldown",
    "P4": "Held for Full Carrier Load",
    "RC": "Reconsigned",
    "T2": "Tractor, Conventional, Not Available",
    "T3": "Trailer not Available",
    "T4": "Trailer Not Usable Due to Prior Product",
    "T5": "Trailer Class Not Available",
    "T6": "Trailer Volume Not Available",
    "T7": "Insufficent Delivery Time",
}
