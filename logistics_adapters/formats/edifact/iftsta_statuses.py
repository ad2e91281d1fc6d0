"""IFTSTA status table: STS status events (9011, EANCOM) and status reasons (9013), in words.

D.96A leaves 9011 (status event) to user or association code lists; the suite reads the
EANCOM one. Sources:

* EANCOM 1997 Part III, data element 9011 (codes 1 to 16, 21, 31, 49, 54, 71) and the
  IFTSTA segment layout (restricted codes 1, 6, 13, 21, 31, 49, 54, 71):
  https://ref.gs1.org/standards/eancom/1997/ (HTML/PART3/CL8P.HTM, HTML/IFTSTA);
* the published EANCOM 1997 IFTSTA example (the suite's sample ``95-455``), whose narrative
  says consignment 5145E (``STS+1+17+39``) "is reported as being refused by the customs and
  excise at London Heathrow Airport because of export restrictions": event 17 is that
  customs refusal, reason 39 the export restrictions;
* 9013 reasons of the EANCOM 1997 IFTSTA layout (17, 210, 228, 231, 237).

A code missing here gives ``unknown`` with its code kept in ``partner_status``.
"""

from ... import canonical as c
from ...registry import StatusEntry as S

#: 9011 status event -> canonical status and EANCOM label.
STATUSES = {
    "1": S(c.STATUS_IN_TRANSIT, "Arrived"),
    "2": S(c.STATUS_UNKNOWN, "Authorized to load"),
    "3": S(c.STATUS_EXCEPTION, "Arrived in defective condition"),
    "4": S(c.STATUS_UNKNOWN, "Defective equipment release"),
    "5": S(c.STATUS_UNKNOWN, "Begun"),
    "6": S(c.STATUS_LABEL_CREATED, "Booked"),
    "7": S(c.STATUS_CANCELLED, "Booking cancelled"),
    "8": S(c.STATUS_CUSTOMS_RELEASED, "Cleared import restrictions"),
    "9": S(c.STATUS_CUSTOMS_RELEASED, "Cleared export restrictions"),
    "10": S(c.STATUS_CUSTOMS_RELEASED, "Cleared by agriculture, food or fisheries authorities"),
    "11": S(c.STATUS_UNKNOWN, "Cleared by port authority"),
    "12": S(c.STATUS_CUSTOMS_RELEASED, "Cleared by customs"),
    "13": S(c.STATUS_PICKED_UP, "Collected"),
    "14": S(c.STATUS_UNKNOWN, "Completed"),
    "15": S(c.STATUS_IN_TRANSIT, "Consolidated"),
    "16": S(c.STATUS_IN_TRANSIT, "Crossed border"),
    "17": S(c.STATUS_CUSTOMS_HOLD, "Refused by customs"),
    "21": S(c.STATUS_DELIVERED, "Delivered"),
    "31": S(c.STATUS_IN_TRANSIT, "En route"),
    "49": S(c.STATUS_EXCEPTION, "Lost"),
    "54": S(c.STATUS_EXCEPTION, "Not collected"),
    "71": S(c.STATUS_DELIVERED, "Receipt fully acknowledged"),
}

#: 9013 status reason -> its words.
REASONS = {
    "17": "Customs refusal",
    "39": "Export restrictions",
    "210": "Destination incorrect",
    "228": "New delivery arrangements",
    "231": "Payment not received",
    "237": "Special service required",
}
