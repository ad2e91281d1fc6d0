import logging

from odoo import api, fields, models

from logistics_adapters.errors import BusinessError
from logistics_adapters.formats import interchange as edi_io

from ..edi import (
    ACK_ACCEPTED,
    ACK_ERRORS,
    ACK_NONE,
    ACK_REJECTED,
    CONTENT_TYPE_EDIFACT,
    CONTENT_TYPE_X12,
    worst_ack_state,
)

_logger = logging.getLogger(__name__)

CONTENT_TYPES = {"x12": CONTENT_TYPE_X12, "edifact": CONTENT_TYPE_EDIFACT}
VERDICTS = {
    edi_io.ACCEPTED: ACK_ACCEPTED,
    edi_io.ACCEPTED_WITH_ERRORS: ACK_ERRORS,
    edi_io.REJECTED: ACK_REJECTED,
}
USAGE_WORDS = {"T": "test", "P": "production"}


class LogisticsHandlerEdiInterchange(models.AbstractModel):
    """Splits a partner's EDI interchange into one message per document.

    For each interchange of the payload: refuse one marked test on a production backend
    (or the reverse); leave a second arrival of the same interchange unprocessed; store
    each transaction set or message as a child message of the flow its route names (or
    of the unrouted flow, which waits for a route); apply the acknowledgements it holds
    to what we sent; answer with the acknowledgement the backend's policy asks for.
    """

    _name = "logistics.handler.edi.interchange"
    _inherit = "logistics.handler"
    _description = "Logistics handler: EDI interchange"

    @api.model
    def _identify(self, backend, message_type, payload, headers=None):
        identity = edi_io.identify(payload)
        return {
            "idempotency_key": identity.message_id or None,
            "partner_ref": identity.partner_ref or None,
        }

    @api.model
    def _parse(self, message):
        return message.get_payload()

    @api.model
    def _process(self, message, data):
        """Take each interchange of the payload, then acknowledge those taken."""
        backend = message.backend_id
        taken = {}
        for reading in edi_io.read(data):
            self._check_usage(backend, reading.interchange)
            interchange = self._take_interchange(message, reading)
            if interchange:
                taken[interchange.control_number] = interchange
        if taken:
            self._acknowledge(message, data, taken)
        return True

    @api.model
    def _check_usage(self, backend, envelope):
        expected = backend.edi_usage()
        if envelope.usage != expected:
            raise BusinessError(
                f"interchange {envelope.control_number} from {envelope.sender[1]} is marked "
                f"{envelope.usage} ({USAGE_WORDS.get(envelope.usage, envelope.usage)}) but "
                f"backend {backend.code} is a {USAGE_WORDS[expected]} backend: the partner "
                "sent it to the wrong system. Ask the partner to resend it to the right one; "
                "it is kept here for audit."
            )

    @api.model
    def _take_interchange(self, message, reading):
        """Record one interchange of ``message`` and split it; return its record, or an
        empty one when it was received before (nothing of it is processed again) or holds
        only acknowledgements (which are not acknowledged)."""
        interchanges = self.env["logistics.edi.interchange"]
        header = edi_io.describe(reading.interchange, {})
        interchange, duplicate_of = interchanges._claim(
            interchanges._prepare_vals(message, header, "inbound")
        )
        if duplicate_of:
            reading.finish()
            message.message_post(
                body=self.env._(
                    "Interchange %(control)s from %(sender)s was already received with "
                    "%(message)s: this copy was not processed.",
                    control=duplicate_of.control_number,
                    sender=duplicate_of.sender_id,
                    message=duplicate_of.message_id.display_name,
                )
            )
            return interchanges
        only_acks = True
        for unit in reading.units():
            only_acks &= edi_io.is_acknowledgement(unit)
            self._take_unit(message, reading, unit)
        self._apply_ack(message, edi_io.interchange_reports(reading))
        described = reading.describe()
        interchange.write(interchanges._prepare_vals(message, described, "inbound"))
        message._service().write(
            {
                "edi_document": described["documents"] or False,
                "edi_control_number": described["control_number"],
            }
        )
        return interchanges if only_acks else interchange

    @api.model
    def _take_unit(self, message, reading, unit):
        """A transaction set or message: an acknowledgement applies to what we sent, any
        other document becomes a child message of its flow."""
        if edi_io.is_acknowledgement(unit):
            self._apply_ack(message, edi_io.read_ack(reading.unit_payload(unit)))
            return
        backend = message.backend_id
        flow = self.env["logistics.edi.route"]._find_flow(
            backend, unit.standard, unit.kind, unit.version
        )
        flow = flow or self.env.ref("logistics_integration.logistics_message_type_edi_unrouted")
        child, _created = message.store_inbound(
            backend,
            flow,
            reading.unit_payload(unit),
            idempotency_key=f"{message.idempotency_key}/{reading.unit_key(unit)}",
            content_type=CONTENT_TYPES[unit.standard],
            partner_ref=f"{unit.kind} {unit.control_number}",
            parent=message,
        )
        child._service().write(
            {
                "edi_document": unit.kind,
                "edi_control_number": unit.control_number,
                "edi_interchange_control": reading.interchange.control_number,
                "note": "\n".join(found.describe() for found in unit.discrepancies) or False,
            }
        )

    @api.model
    def _acknowledge(self, message, data, taken):
        """Answer the interchanges ``taken`` (control number -> record) as the backend's
        policy asks, each answer an outbound message of its own; note the verdicts on
        the interchanges and their documents, and cancel the documents we rejected."""
        backend = message.backend_id
        children = message.child_ids
        for ack in edi_io.acknowledge(data, backend._edi_ack_settings()):
            interchange = taken.get(ack.interchange_control)
            if not interchange:
                continue
            state = VERDICTS.get(ack.verdict, ACK_NONE)
            interchange.write({"ack_state": state, "ack_detail": ack.detail or False})
            mine = children.filtered(
                lambda child, ic=interchange: child.edi_interchange_control == ic.control_number
            )
            self._record_verdicts(mine, ack, state)
            if ack.payload:
                interchange.ack_message_id = self._send_ack(message, interchange, ack)
        message._edi_set_ack(
            worst_ack_state([ic.ack_state for ic in taken.values()]),
            "\n".join(ic.ack_detail for ic in taken.values() if ic.ack_detail),
        )

    @api.model
    def _record_verdicts(self, children, ack, state):
        """Each document takes its own verdict; one we rejected is not processed."""
        for child in children:
            verdict = VERDICTS.get(ack.set_verdicts.get(child.edi_control_number), state)
            if state == ACK_REJECTED:
                verdict = ACK_REJECTED
            child._edi_set_ack(verdict)
            if verdict == ACK_REJECTED and child.state in ("pending", "retry"):
                child.cancel(
                    note=self.env._(
                        "Rejected in our acknowledgement (the backend checks envelopes "
                        "strictly): %(detail)s",
                        detail=ack.detail,
                    )
                )

    @api.model
    def _send_ack(self, message, interchange, ack):
        backend = message.backend_id
        ack_message, _created = message.enqueue_outbound(
            backend,
            self.env.ref("logistics_integration.logistics_message_type_edi_ack"),
            ack.payload,
            f"{message.idempotency_key}/ack/{interchange.control_number}",
            content_type=CONTENT_TYPES[interchange.standard],
            partner_ref=backend._edi_file_name(interchange.standard, ack.kind, ack.control),
            parent=message,
        )
        ack_message._service().write({"edi_document": ack.kind, "edi_control_number": ack.control})
        return ack_message

    @api.model
    def _apply_ack(self, message, reports):
        """A partner's 997, 999, TA1 or CONTRL: find each interchange of ours it answers
        and record the verdict; one that answers nothing of ours is noted on the message."""
        interchanges = self.env["logistics.edi.interchange"]
        for report in reports:
            field = "control_number" if report.level == "interchange" else "group_control_numbers"
            sent = interchanges.search(
                [
                    ("backend_id", "=", message.backend_id.id),
                    ("direction", "=", "outbound"),
                    (field, "in", _control_variants(report.control_number)),
                ],
                limit=1,
            )
            if not sent:
                message.message_post(
                    body=self.env._(
                        "%(kind)s for %(level)s %(control)s matches nothing we sent to this "
                        "partner.",
                        kind=report.kind,
                        level=report.level,
                        control=report.control_number,
                    )
                )
                continue
            sent._record_ack(VERDICTS.get(report.state, ACK_REJECTED), report.detail, message)


def _control_variants(control):
    """A control number as written (ISA13 is zero-padded to nine digits, GS06 is not)."""
    bare = control.strip().lstrip("0") or "0"
    return list({control.strip(), bare, bare.zfill(9)})


class LogisticsHandlerEdiUnrouted(models.AbstractModel):
    """An EDI document no route names: it waits for a person to add a route under EDI
    flows, then Retry hands it to the flow the route names."""

    _name = "logistics.handler.edi.unrouted"
    _inherit = "logistics.handler"
    _description = "Logistics handler: EDI document without a flow"

    @api.model
    def _parse(self, message):
        return message.get_payload()

    @api.model
    def _process(self, message, data):
        standard = "edifact" if message.content_type == CONTENT_TYPE_EDIFACT else "x12"
        version = edi_io.document_version(data)
        flow = self.env["logistics.edi.route"]._find_flow(
            message.backend_id, standard, message.edi_document or "", version
        )
        if not flow:
            raise BusinessError(
                f"no flow takes {standard.upper()} {message.edi_document} "
                f"(version {version or 'unknown'}) from backend {message.backend_id.code}: add "
                "a line under Configuration > EDI flows, then retry this message"
            )
        child, _created = message.store_inbound(
            message.backend_id,
            flow,
            data,
            idempotency_key=f"{message.idempotency_key}/routed",
            content_type=message.content_type,
            partner_ref=message.partner_ref,
            parent=message,
        )
        child._service().write(
            {"edi_document": message.edi_document, "edi_control_number": message.edi_control_number}
        )
        return True


class LogisticsHandlerEdiSend(models.AbstractModel):
    """Sends an EDI interchange of ours: as a file into the backend's outbound file
    channel, or by HTTPS POST to its endpoint; then waits for its acknowledgement."""

    _name = "logistics.handler.edi.send"
    _inherit = "logistics.handler"
    _description = "Logistics handler: send an EDI interchange"

    @api.model
    def _send(self, message):
        backend = message.backend_id
        if backend.edi_channel == "https":
            message.call_partner(
                "POST",
                "",
                data=message.get_payload(),
                headers={"Content-Type": message.content_type or CONTENT_TYPE_X12},
            )
        else:
            self.env["logistics.handler.file.send"]._send(message)
        message.edi_interchange_ids.filtered(
            lambda interchange: interchange.direction == "outbound"
        )._expect_ack(fields.Datetime.now())
        return True
