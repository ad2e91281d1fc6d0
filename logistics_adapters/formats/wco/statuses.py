"""The response function codes of WCO DMS notifications, and the clearance status of each.

A WCO ``RES`` notification of a DMS customs system (``urn:wco:datamodel:WCO:RES-DMS:2``, such
as the UK's CDS) says what happened to a declaration in ``Response/FunctionCode``. The codes,
their DMS names and meanings are the "Notification Types and definitions" of HMRC's Customs
Declarations End-to-End Service Guide
(github.com/hmrc/customs-declarations-end-to-end-service-guide,
``source/documentation/notifications.html.md.erb``); the labels here shorten them.

The clearance status says where the declaration stands after it, as the guide describes:

* ``accepted``: legally accepted (01), and the notifications that leave it there: corrections
  applied (07), the outcome of an amendment or cancellation request (11), the duty
  calculation (13);
* ``submitted``: registered, not yet accepted (02, a pre-lodged declaration);
* ``hold``: the goods wait for customs or for the trader: physical examination (05),
  documents to present (06), deferment balance insufficient (14) and its reminder (15),
  manual handling (17), exit results missing for an export (18), a Defra decision delaying
  clearance (50), a query from a caseworker (51);
* ``released``: the goods may go: released though the debt is not final (08), cleared (09),
  exited the customs union (16, exports);
* ``rejected`` (03) and ``cancelled`` (invalidated, 10).

A code this table does not know is refused, naming it: guessing a status for it could
release or hold goods wrongly. The codes it knows can be mapped otherwise per backend in
Odoo's status map.
"""

from ...canonical import (
    CLEARANCE_ACCEPTED,
    CLEARANCE_CANCELLED,
    CLEARANCE_HOLD,
    CLEARANCE_REJECTED,
    CLEARANCE_RELEASED,
    CLEARANCE_SUBMITTED,
)
from ...registry import StatusEntry as S

#: ``Response/FunctionCode`` -> (clearance status, ``DMSxxx: what it means``).
DMS_RESPONSE_STATUSES = {
    "01": S(CLEARANCE_ACCEPTED, "DMSACC: declaration accepted"),
    "02": S(CLEARANCE_SUBMITTED, "DMSRCV: declaration received (registered)"),
    "03": S(CLEARANCE_REJECTED, "DMSREJ: declaration rejected"),
    "05": S(CLEARANCE_HOLD, "DMSCTL: under control, customs will examine the goods"),
    "06": S(CLEARANCE_HOLD, "DMSDOC: documents required"),
    "07": S(CLEARANCE_ACCEPTED, "DMSRES: corrections applied to the declaration"),
    "08": S(CLEARANCE_RELEASED, "DMSROG: goods may be released (debt not final)"),
    "09": S(CLEARANCE_RELEASED, "DMSCLE: declaration cleared"),
    "10": S(CLEARANCE_CANCELLED, "DMSINV: declaration invalidated (cancelled)"),
    "11": S(CLEARANCE_ACCEPTED, "DMSREQ: additional message accepted or denied"),
    "13": S(CLEARANCE_ACCEPTED, "DMSTAX: duties and taxes calculated"),
    "14": S(CLEARANCE_HOLD, "DMSCPI: customs position insufficient (deferment balance)"),
    "15": S(CLEARANCE_HOLD, "DMSCPR: reminder: balance insufficient or payment due"),
    "16": S(CLEARANCE_RELEASED, "DMSEOG: goods exited the customs union"),
    "17": S(CLEARANCE_HOLD, "DMSEXT: declaration handled manually"),
    "18": S(CLEARANCE_HOLD, "DMSGER: exit results not received, proof of exit needed"),
    "50": S(CLEARANCE_HOLD, "DMSALV: Defra decision delays clearance"),
    "51": S(CLEARANCE_HOLD, "DMSQRY: query raised by customs, see the secure message"),
}
