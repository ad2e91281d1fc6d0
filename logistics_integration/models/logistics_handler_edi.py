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
        """Take each interchange of the payload, then send the acknowledgements of those
        taken. The verdicts are known first (reading is cheap), so that each document is
        stored with its own."""
        backend = message.backend_id
        acks = {
            ack.interchange_control: ack
            for ack in edi_io.acknowledge(data, backend._edi_ack_settings())
        }
        split = _Split(self, message)
        for reading in edi_io.read(data):
            self._check_usage(backend, reading.interchange)
            ack = acks.get(reading.interchange.control_number) or edi_io.AckResult("")
            self._take_interchange(split, reading, ack)
        split.flush()
        for interchange, ack in split.taken:
            self._answer(message, interchange, ack)
        states = [interchange.ack_state for interchange, _ack in split.taken]
        details = [interchange.ack_detail for interchange, _ack in split.taken]
        message._edi_set_ack(worst_ack_state(states), "\n".join(filter(None, details)))
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
    def _take_interchange(self, split, reading, ack):
        """Record one interchange and split it into documents (or apply the
        acknowledgements it holds); one received before is left alone."""
        message = split.message
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
            return
        only_acks = True
        for unit in reading.units():
            if edi_io.is_acknowledgement(unit):
                self._apply_ack(message, edi_io.read_ack(reading.unit_payload(unit)))
            else:
                only_acks = False
                split.add(reading, unit, ack)
        self._apply_ack(message, edi_io.interchange_reports(reading))
        described = reading.describe()
        state = VERDICTS.get(ack.verdict, ACK_NONE)
        interchange.write(
            interchanges._prepare_vals(message, described, "inbound")
            | {"ack_state": state, "ack_detail": ack.detail or False}
        )
        message._service().write(
            {
                "edi_document": described["documents"] or False,
                "edi_control_number": described["control_number"],
            }
        )
        if not only_acks:
            split.taken.append((interchange, ack))

    @api.model
    def _answer(self, message, interchange, ack):
        """Queue ``ack`` as an outbound message of its own, sent over the partner's
        channel; documents we rejected (strict envelopes) are not processed."""
        if ack.payload:
            interchange.ack_message_id = self._send_ack(message, interchange, ack)
        if ack.verdict in ("", edi_io.ACCEPTED):
            return
        rejected = self.env["logistics.message"].search(
            [
                ("parent_id", "=", message.id),
                ("edi_interchange_control", "=", interchange.control_number),
                ("edi_ack_state", "=", ACK_REJECTED),
                ("state", "=", "pending"),
            ]
        )
        for child in rejected:
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


class _Split:
    """The documents of a message's interchanges, stored as its children in batches."""

    #: Documents per batch: memory stays flat, statements stay few.
    BATCH = 500
    COLUMNS = (
        "edi_document",
        "edi_control_number",
        "edi_interchange_control",
        "edi_ack_state",
        "note",
    )

    def __init__(self, handler, message):
        self.env = handler.env
        self.message = message
        self.taken = []
        self.pending = []
        self.flows = {}
        self.unrouted = self.env.ref("logistics_integration.logistics_message_type_edi_unrouted")

    def add(self, reading, unit, ack):
        """Queue ``unit`` as a child of the message, in the flow its route names."""
        verdict = ack.verdict_of(unit.control_number)
        self.pending.append(
            {
                "message_type": self._flow(unit),
                "payload": reading.unit_payload(unit),
                "idempotency_key": f"{self.message.idempotency_key}/{reading.unit_key(unit)}",
                "partner_ref": f"{unit.kind} {unit.control_number}",
                "content_type": CONTENT_TYPES[unit.standard],
                "edi_document": unit.kind,
                "edi_control_number": unit.control_number,
                "edi_interchange_control": reading.interchange.control_number,
                "edi_ack_state": VERDICTS.get(verdict) if verdict else None,
                "note": "\n".join(found.describe() for found in unit.discrepancies) or None,
            }
        )
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self):
        """Store the queued documents."""
        documents, self.pending = self.pending, []
        self.message.store_documents(documents, self.COLUMNS)

    def _flow(self, unit):
        key = (unit.standard, unit.kind, unit.version)
        if key not in self.flows:
            route = self.env["logistics.edi.route"]
            found = route._find_flow(self.message.backend_id, *key)
            self.flows[key] = found or self.unrouted
        return self.flows[key]


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
