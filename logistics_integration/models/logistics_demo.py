import itertools
import json
import os
import random
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from odoo import api, fields, models

from logistics_adapters.formats import x12
from logistics_adapters.transport.files import LocalFolder

from ..engine import ERROR_BUSINESS, ERROR_TRANSIENT, STATE_DEAD, STATE_DONE, STATE_ERROR

#: Business errors of the demo, as partners and handlers word them.
DEMO_ERRORS = (
    "order SO0042 unknown to the partner: check the order reference on the delivery, then "
    "retry the message",
    "tracking number 9400110200881234567890 is on no delivery of My Company: set it on the "
    "delivery's tracking reference, then retry the message",
    "invalid JSON: Expecting ',' delimiter: line 1 column 57 (char 56): ask the partner to "
    "send the message again",
)


class LogisticsDemo(models.AbstractModel):
    """Demo data that must be computed: a week of traffic, and the sandbox's address."""

    _name = "logistics.demo"
    _description = "Logistics demo data"

    @api.model
    def _load_traffic(self, backend_xmlid, inbound_xmlid, outbound_xmlid, days=7, per_day=24):
        """A week of a partner's messages, so that the dashboard, the workbench and the
        analysis show what they are for: done messages with their timings over ``days``
        days, business errors waiting for a person, a dead call, messages waiting for
        their retry."""
        backend = self.env.ref(backend_xmlid)
        inbound, outbound = self.env.ref(inbound_xmlid), self.env.ref(outbound_xmlid)
        rng = random.Random(19)
        now = fields.Datetime.now()
        for day in range(days):
            for number in range(per_day):
                received = now - timedelta(days=day, minutes=rng.randint(5, 1435))
                flow = outbound if number % 4 == 0 else inbound
                message = self._demo_message(backend, flow, f"demo/{day}/{number}", received)
                self.set_demo_state(
                    message,
                    STATE_DONE,
                    received,
                    duration_ms=rng.randint(8, 120),
                    latency_ms=rng.randint(200, 4000),
                )
        for number, text in enumerate(DEMO_ERRORS):
            received = now - timedelta(hours=3 * number + 1)
            message = self._demo_message(backend, inbound, f"demo/error/{number}", received)
            self.set_demo_state(message, STATE_ERROR, received, error=(ERROR_BUSINESS, text))
        received = now - timedelta(hours=30)
        dead = self._demo_message(backend, outbound, "demo/dead/0", received)
        self.set_demo_state(
            dead,
            STATE_DEAD,
            received,
            attempts=5,
            error=(
                ERROR_TRANSIENT,
                "partner unavailable: connection timed out after 30 s (5 attempts); when the "
                "partner answers again, press Retry now",
            ),
        )

    @api.model
    def _open_circuit(self, backend_xmlid, outbound_xmlid, waiting=3):
        """A partner whose API is down: its circuit open, calls waiting behind it."""
        backend = self.env.ref(backend_xmlid)
        outbound = self.env.ref(outbound_xmlid)
        now = fields.Datetime.now()
        for number in range(waiting):
            self._demo_message(backend, outbound, f"demo/waiting/{number}", now)
        backend.sudo().write(
            {
                "circuit_state": "open",
                "circuit_failures": backend.circuit_threshold,
                "circuit_opened_at": now,
            }
        )

    def _demo_message(self, backend, flow, key, received):
        payload = json.dumps({"demo": key, "at": received.isoformat()}).encode()
        Message = self.env["logistics.message"]
        options = {"content_type": "application/json", "partner_ref": key.rsplit("/", 1)[0]}
        if flow.direction == "inbound":
            return Message.store_inbound(backend, flow, payload, idempotency_key=key, **options)[0]
        return Message.enqueue_outbound(backend, flow, payload, key, **options)[0]

    @api.model
    @api.private
    def set_demo_state(self, message, state, received, attempts=1, error=None, **timings):
        """Demo data only: put ``message`` in ``state`` as if it had been worked at
        ``received`` (``error``: ``(kind, text)``; ``duration_ms``, ``latency_ms``)."""
        kind, text = error or (None, None)
        self.env["logistics.message"].flush_model()
        self.env.cr.execute(
            """
            UPDATE logistics_message
               SET state = %s, attempts = %s, received_at = %s, last_received_at = %s,
                   create_date = %s, started_at = %s,
                   done_at = CASE WHEN %s = 'done' THEN %s END,
                   next_attempt_at = NULL, duration_ms = %s, latency_ms = %s,
                   error_kind = %s, error_text = %s, error_summary = %s
             WHERE id = %s
            """,
            [
                state,
                attempts,
                received,
                received,
                received,
                received,
                state,
                received + timedelta(milliseconds=timings.get("latency_ms", 0)),
                timings.get("duration_ms", 0),
                timings.get("latency_ms", 0),
                kind,
                text,
                text and text.split(":")[0][:200],
                message.id,
            ],
        )
        message.invalidate_recordset()

    @api.model
    def _use_sandbox_port(self, port):
        """Point the demo backends that talk to the local sandbox at ``port``.

        ``./run-demo`` calls it with ``LOGISTICS_SANDBOX_PORT``, so the demo's partners are
        where the sandbox listens.
        """
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search([("model", "=", "logistics.backend"), ("name", "=like", "%_demo")])
        )
        backends = self.env["logistics.backend"].sudo().browse(data.mapped("res_id")).exists()
        for backend in backends:
            url = urlsplit(backend.endpoint_url or "")
            if url.hostname == "127.0.0.1" and url.port and url.port != port:
                backend.endpoint_url = urlunsplit(url._replace(netloc=f"127.0.0.1:{port}"))
        return backends

    @api.model
    def _load_edi_traffic(self, backend_xmlid, folder):
        """An X12 trading partner's day, run through the real EDI flows: status messages
        split and acknowledged, a duplicate left alone, a wrong count accepted with errors,
        a document no flow takes, and our load tenders accepted, rejected, overdue and
        awaiting their 997. Our files are archived afterwards, so that the live sandbox
        partner (``./run-demo``) answers only what is sent from then on."""
        backend = self.env.ref(backend_xmlid)
        for name in ("to_partner", "from_partner"):
            os.makedirs(os.path.join(folder, name), exist_ok=True)
        partner = DemoEdiPartner(backend)
        self._demo_edi_inbound(backend, partner)
        self._demo_edi_outbound(backend, partner)
        outbox = LocalFolder(os.path.join(folder, "to_partner"))
        for entry in outbox.list_ready(min_age=0):
            outbox.archive(entry.name)

    def _demo_edi_inbound(self, backend, partner):
        flow = self.env.ref("logistics_integration.logistics_message_type_edi_interchange")
        statuses = [_status_214(pro, code) for pro, code in DEMO_214]
        payloads = [
            partner.interchange("214", statuses[:3]),
            partner.interchange("214", statuses[3:]),
            # A purchase order acknowledgment: a document no flow of the suite takes.
            partner.interchange("855", [[["BAK", "00", "AC", "PO-1043", "20261130"]]]),
        ]
        payloads.append(_spoil_first_count(partner.interchange("214", statuses[1:3])))
        payloads.append(payloads[0])  # the partner sends its first file again
        Message = self.env["logistics.message"]
        for number, payload in enumerate(payloads):
            message, _created = Message.store_inbound(
                backend,
                flow,
                payload,
                idempotency_key=f"demo/edi/in/{number}.edi",
                content_type="application/edi-x12",
            )
            self._demo_work(message)

    def _demo_edi_outbound(self, backend, partner):
        flow = self.env.ref("logistics_integration.logistics_message_type_edi_send")
        Interchange = self.env["logistics.edi.interchange"]
        tenders = {}
        for number, load in enumerate(DEMO_LOADS):
            sent = Interchange.send_documents(
                backend, flow, "204", [_tender_204(load)], f"demo/edi/tender/{load}"
            )
            sent.work_now()
            tenders[number] = sent
        inbound = self.env.ref("logistics_integration.logistics_message_type_edi_interchange")
        for number, verdict in ((0, "accept"), (1, "reject")):
            answer = partner.acknowledge(tenders[number].get_payload(), verdict)
            message, _created = self.env["logistics.message"].store_inbound(
                backend,
                inbound,
                answer,
                idempotency_key=f"demo/edi/ack/{number}.edi",
                content_type="application/edi-x12",
            )
            self._demo_work(message)
        late = tenders[2].edi_interchange_ids
        late.ack_due_at = fields.Datetime.now() - timedelta(minutes=40)
        Interchange._cron_ack_overdue()

    def _demo_work(self, message):
        """Work ``message`` and what it made (documents, acknowledgements) at once."""
        message.work_now()
        for child in message.child_ids:
            child.work_now()
            for grandchild in child.child_ids:
                grandchild.work_now()


DEMO_214 = (
    ("PRO-77810", "X3"),
    ("PRO-77811", "AF"),
    ("PRO-77812", "X1"),
    ("PRO-77813", "D1"),
    ("PRO-77814", "SD"),
)
DEMO_LOADS = ("LD-2001", "LD-2002", "LD-2003", "LD-2004")


def _status_214(pro, code):
    """A small 214: the shipment, one status with its place."""
    return [
        ["B10", pro, f"SO{pro[-4:]}", "SNDB"],
        ["LX", "1"],
        ["AT7", code, "NS", "", "", "20261130", "0930", "LT"],
        ["MS1", "CHICAGO", "IL", "US"],
    ]


def _tender_204(load):
    """A small 204: one load, pickup and delivery."""
    return [
        ["B2", "", "SNDB", "", load, "", "PP"],
        ["B2A", "00", "LT"],
        ["S5", "1", "LD"],
        ["N1", "SH", "My Company (Chicago)"],
        ["S5", "2", "UL"],
        ["N1", "CN", "Deco Addict"],
    ]


def _spoil_first_count(payload):
    """The partner's counting mistake: the first SE01 one too high."""
    head, sep, tail = payload.partition(b"\nSE*")
    count, star, rest = tail.partition(b"*")
    return head + sep + str(int(count) + 1).encode() + star + rest


class DemoEdiPartner:
    """A trading partner's side, for the demos and the tests: its X12 interchanges (a
    segment a line, numbered from ``first`` or by ``numbers``, an iterator several partners
    may share), received and worked as they would arrive, and its acknowledgements."""

    def __init__(self, backend, first=4101, numbers=None):
        self.backend = backend
        self.us = (backend.edi_our_qualifier or "ZZ", backend.edi_our_id)
        self.them = (backend.edi_partner_qualifier or "ZZ", backend.edi_partner_id)
        self.numbers = numbers or itertools.count(first)

    def sends(self, kind, sets):
        """``sets`` of ``kind`` in one interchange of the partner's, received and worked
        now; ``(message, documents)``."""
        Interchange = self.backend.env["logistics.edi.interchange"]
        return Interchange.receive_now(self.backend, self.interchange(kind, sets))

    def interchange(self, kind, sets):
        return x12.render_sets(
            kind,
            sets,
            sender=self.them,
            receiver=self.us,
            control_numbers=lambda _level: next(self.numbers),
            delimiters=x12.Delimiters(suffix="\n"),
        )

    def acknowledge(self, payload, verdict):
        numbers = x12.sequential_numbers(next(self.numbers), next(self.numbers), 1)
        supported = () if verdict == "reject" else None
        (answer,) = x12.acknowledge(payload, control_numbers=numbers, supported=supported)
        return answer
