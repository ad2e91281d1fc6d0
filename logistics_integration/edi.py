"""The EDI layer's public names in the core: acknowledgement states and the flows it
seeds.

Business addons route their transaction sets and messages with ``logistics.edi.route``
lines and send documents with ``logistics.edi.interchange.send_documents``; they import
these names from here (``odoo.addons.logistics_integration.edi``).
"""

ACK_STATES = [
    ("none", "Not acknowledged"),
    ("expected", "Awaiting acknowledgement"),
    ("accepted", "Accepted"),
    ("accepted_errors", "Accepted with errors"),
    ("rejected", "Rejected"),
    ("overdue", "Acknowledgement overdue"),
]
ACK_NONE, ACK_EXPECTED, ACK_ACCEPTED, ACK_ERRORS, ACK_REJECTED, ACK_OVERDUE = dict(ACK_STATES)
#: Verdicts from the best to the worst.
ACK_VERDICT_ORDER = (ACK_ACCEPTED, ACK_ERRORS, ACK_REJECTED)


def worst_ack_state(states):
    """The worst verdict among ``states`` (rejected before accepted with errors before
    accepted), or ``none`` when none is a verdict."""
    found = [state for state in states if state in ACK_VERDICT_ORDER]
    return max(found, key=ACK_VERDICT_ORDER.index) if found else ACK_NONE


#: States that need a person: shown in the workbench beside failed messages.
ACK_ATTENTION_STATES = (ACK_REJECTED, ACK_OVERDUE)

#: Content types of EDI payloads, on the inbound route and on files.
CONTENT_TYPE_X12 = "application/edi-x12"
CONTENT_TYPE_EDIFACT = "application/edifact"

#: Flows the core seeds (``data/logistics_edi_data.xml``).
FLOW_INTERCHANGE = "edi.interchange"
FLOW_UNROUTED = "edi.unrouted"
FLOW_ACK = "edi.ack"
