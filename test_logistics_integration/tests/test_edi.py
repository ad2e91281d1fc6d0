import ast
import itertools
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from odoo import fields
from odoo.tests import tagged

from odoo.addons.logistics_integration.edi import (
    ACK_ACCEPTED,
    ACK_ERRORS,
    ACK_EXPECTED,
    ACK_OVERDUE,
    ACK_REJECTED,
)

from logistics_adapters.formats import edifact, x12
from logistics_adapters.formats import interchange as edi_io
from logistics_adapters.sandbox import EdiPartner
from logistics_adapters.tests.sftp_server import SftpTestServer
from logistics_adapters.transport.files import SftpFolder

from .common import LogisticsCase

PARTNER = ("ZZ", "SANDBOX")
US = ("ZZ", "ODOO")


def status_set(pro, code="X1"):
    """The body of a small 214: one shipment, one status."""
    return [["B10", pro, f"SHIP{pro}", "SCAC"], ["LX", "1"], ["AT7", code, "NS"]]


class EdiCase(LogisticsCase):
    """An X12 trading partner (test usage) whose 214s go to a store-only flow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Interchange = cls.env["logistics.edi.interchange"]
        cls.edi_backend = cls._make_backend(
            "edi-partner",
            kind="tms",
            edi_standard="x12",
            edi_our_id=US[1],
            edi_partner_id=PARTNER[1],
            edi_ack_policy="auto",
            user_id=cls.env.user.id,
        )
        cls.interchange_flow = cls.env.ref(
            "logistics_integration.logistics_message_type_edi_interchange"
        )
        cls.store_flow = cls.env.ref("logistics_integration.logistics_message_type_store")
        cls.env["logistics.edi.route"].create(
            {
                "backend_id": cls.edi_backend.id,
                "standard": "x12",
                "document": "214",
                "message_type_id": cls.store_flow.id,
            }
        )
        cls.partner_numbers = itertools.count(900)

    def partner_interchange(self, sets, kind="214", usage="T", control=None, version="004010"):
        """An interchange the partner sends us, with its own control numbers."""
        numbers = self.partner_numbers

        def take(level):
            return control if level == "interchange" and control else next(numbers)

        return x12.render_sets(
            kind,
            sets,
            sender=PARTNER,
            receiver=US,
            control_numbers=take,
            version=version,
            usage=usage,
            delimiters=x12.Delimiters(suffix="\n"),
        )

    def receive_edi(self, payload, key=None, backend=None):
        message, _created = self.Message.store_inbound(
            backend or self.edi_backend,
            self.interchange_flow,
            payload,
            idempotency_key=key,
            content_type="application/edi-x12",
        )
        return message

    def work(self, message):
        message.work_now()
        message.invalidate_recordset()
        return message

    def acks_of(self, message):
        return message.child_ids.filtered(lambda child: child.direction == "outbound")

    def documents_of(self, message):
        return message.child_ids.filtered(lambda child: child.direction == "inbound")


@tagged("post_install", "-at_install")
class TestEdiInbound(EdiCase):
    def test_three_sets_become_three_messages_and_a_997_answers_them(self):
        payload = self.partner_interchange([status_set("P1"), status_set("P2"), status_set("P3")])
        message = self.work(self.receive_edi(payload))

        self.assertEqual(message.state, "done", message.error_text)
        documents = self.documents_of(message)
        self.assertEqual(len(documents), 3)
        self.assertEqual(set(documents.mapped("type_id")), {self.store_flow})
        self.assertEqual(set(documents.mapped("edi_document")), {"214"})
        self.assertEqual(set(documents.mapped("edi_ack_state")), {ACK_ACCEPTED})
        for document in documents:
            (reading, units) = _read_one(document.get_payload())
            self.assertEqual([unit.control_number for unit in units], [document.edi_control_number])
            self.assertEqual(reading.interchange.sender, PARTNER)

        ack = self.acks_of(message)
        self.assertEqual(ack.type_id.code, "edi.ack")
        self.assertEqual(ack.edi_document, "997")
        text = ack.get_payload().decode()
        self.assertIn("AK9*A*3*3*3~", text)
        self.assertIn(f"*{US[0]}*{US[1]:<15}*{PARTNER[0]}*{PARTNER[1]:<15}*", text)
        interchange = message.edi_interchange_ids
        self.assertEqual(interchange.direction, "inbound")
        self.assertEqual(interchange.documents, "214 x 3")
        self.assertEqual(interchange.ack_state, ACK_ACCEPTED)
        self.assertEqual(interchange.ack_message_id, ack)
        self.assertEqual(message.edi_ack_state, ACK_ACCEPTED)

    def test_the_same_interchange_again_processes_nothing(self):
        payload = self.partner_interchange([status_set("D1"), status_set("D2")])
        first = self.work(self.receive_edi(payload, key="file-1.edi"))
        again = self.work(self.receive_edi(payload, key="file-2.edi"))  # renamed file

        self.assertEqual(again.state, "done", again.error_text)
        self.assertFalse(again.child_ids, "a duplicate makes no documents and sends no 997")
        self.assertEqual(len(self.documents_of(first)), 2)
        self.assertEqual(first.edi_interchange_ids.duplicate_count, 1)
        self.assertFalse(again.edi_interchange_ids)
        self.assertIn("already received", again.message_ids[0].body)

    def test_the_same_interchange_over_https_is_a_duplicate_before_it_is_stored(self):
        payload = self.partner_interchange([status_set("H1")])
        first = self.receive_edi(payload)
        message, created = self.Message.store_inbound(
            self.edi_backend, self.interchange_flow, payload, content_type="application/edi-x12"
        )
        self.assertFalse(created)
        self.assertEqual(message, first)
        self.assertTrue(first.idempotency_key.startswith("x12:ZZ:SANDBOX:ZZ:ODOO:"))

    def test_a_test_interchange_on_a_production_backend_is_refused_and_kept(self):
        production = self._make_backend(
            "edi-prod", edi_standard="x12", environment="production", edi_partner_id="SANDBOX"
        )
        payload = self.partner_interchange([status_set("T1")], usage="T")
        message = self.work(self.receive_edi(payload, backend=production))

        self.assertEqual(message.state, "error")
        self.assertEqual(message.error_kind, "business")
        self.assertIn(
            "is marked T (test) but backend edi-prod is a production backend", message.error_text
        )
        self.assertFalse(message.child_ids)
        self.assertEqual(message.get_payload(), payload, "kept verbatim for audit")

    def test_a_document_without_a_route_waits_until_one_is_added(self):
        # An 855 (purchase order acknowledgment): a set no addon of the suite routes.
        payload = self.partner_interchange([[["BAK", "00", "AC", "PO-1", "20261201"]]], kind="855")
        message = self.work(self.receive_edi(payload))
        (waiting,) = self.documents_of(message)
        self.assertEqual(waiting.type_id.code, "edi.unrouted")
        self.work(waiting)
        self.assertEqual(waiting.state, "error")
        self.assertIn("no flow takes X12 855 (version 004010)", waiting.error_text)
        self.assertIn("EDI flows", waiting.error_text)

        self.env["logistics.edi.route"].create(
            {"standard": "x12", "document": "855", "message_type_id": self.store_flow.id}
        )
        waiting.action_retry()
        self.work(waiting)
        self.assertEqual(waiting.state, "done", waiting.error_text)
        (routed,) = waiting.child_ids
        self.assertEqual((routed.type_id, routed.edi_document), (self.store_flow, "855"))
        self.assertEqual(routed.get_payload(), waiting.get_payload())

    def _work_a_wrong_first_count(self, first, second):
        """Receive and work two 214s (PROs ``first`` and ``second``) whose first SE01 is one
        too high: the message, and its documents in order."""
        payload = _wrong_first_se_count(
            self.partner_interchange([status_set(first), status_set(second)])
        )
        message = self.work(self.receive_edi(payload))
        return message, self.documents_of(message).sorted("id")

    def test_a_lenient_partner_with_a_wrong_count_is_accepted_with_errors(self):
        message, documents = self._work_a_wrong_first_count("L1", "L2")
        self.assertEqual(documents.mapped("state"), ["pending", "pending"])
        self.assertEqual(documents.mapped("edi_ack_state"), [ACK_ERRORS, ACK_ACCEPTED])
        self.assertIn("SE01", documents[0].note)
        self.assertIn("AK5*E*4~", self.acks_of(message).get_payload().decode())
        self.assertEqual(message.edi_interchange_ids.discrepancy_count, 1)
        self.assertEqual(message.edi_ack_state, ACK_ERRORS)

    def test_a_strict_partner_with_a_wrong_count_has_that_set_rejected_and_not_processed(self):
        self.edi_backend.edi_strict_envelopes = True
        message, documents = self._work_a_wrong_first_count("S1", "S2")
        self.assertEqual(documents.mapped("state"), ["cancelled", "pending"])
        self.assertEqual(documents.mapped("edi_ack_state"), [ACK_REJECTED, ACK_ACCEPTED])
        text = self.acks_of(message).get_payload().decode()
        self.assertIn("AK5*R*4~", text)
        self.assertIn("AK9*P*2*2*1~", text)

    def test_an_edifact_interchange_is_split_per_message_and_answered_with_a_contrl(self):
        edifact_backend = self._make_backend(
            "edifact-partner",
            edi_standard="edifact",
            edi_version="UNOC:3",
            edi_our_qualifier="14",
            edi_our_id="ODOO",
            edi_partner_qualifier="14",
            edi_partner_id="FORWARDER",
        )
        self.env["logistics.edi.route"].create(
            {
                "backend_id": edifact_backend.id,
                "standard": "edifact",
                "document": "IFTSTA",
                "message_type_id": self.store_flow.id,
            }
        )
        messages = [
            [["UNH", str(n), ("IFTSTA", "D", "96A", "UN")], ["BGM", "23", f"R{n}"]] for n in (1, 2)
        ]
        payload = edifact.render(
            messages,
            sender=("14", "FORWARDER"),
            receiver=("14", "ODOO"),
            control_reference="IC-77",
            syntax_version=3,
            test=True,
        )
        message, _created = self.Message.store_inbound(
            edifact_backend, self.interchange_flow, payload, content_type="application/edifact"
        )
        self.work(message)

        self.assertEqual(message.state, "done", message.error_text)
        documents = self.documents_of(message)
        self.assertEqual(sorted(documents.mapped("edi_control_number")), ["1", "2"])
        self.assertEqual(set(documents.mapped("type_id")), {self.store_flow})
        (contrl,) = self.acks_of(message)
        self.assertEqual(contrl.edi_document, "CONTRL")
        (report,) = edifact.read_acknowledgements(contrl.get_payload())
        self.assertEqual((report.interchange_reference, report.status), ("IC-77", "acknowledged"))
        self.assertEqual(message.edi_interchange_ids.sender_id, "FORWARDER")

    def test_documents_are_stored_in_batches_once_per_key(self):
        parent = self.receive_edi(self.partner_interchange([status_set("B1")]))
        self.env["logistics.message.tombstone"].create(
            {
                "backend_id": self.edi_backend.id,
                "direction": "inbound",
                "idempotency_key": "doc/purged",
                "reference": "LGM/2020/0000001",
            }
        )

        def document(key, body):
            return {
                "message_type": self.store_flow,
                "payload": body,
                "idempotency_key": key,
                "partner_ref": key,
                "content_type": "application/edi-x12",
                "edi_document": "214",
            }

        first = parent.store_documents([document("doc/1", b"one")], ("edi_document",))
        stored = parent.store_documents(
            [
                document("doc/2", b"two"),
                document("doc/2", b"two again"),
                document("doc/1", b"one again"),
                document("doc/purged", b"gone"),
            ],
            ("edi_document",),
        )
        self.assertEqual(len(stored), 3, "doc/2 twice is one message; the purged key none")
        second = stored[0]
        self.assertEqual(stored[1], second)
        self.assertEqual(stored[2], first)
        self.assertEqual(first.received_count, 2)
        self.assertEqual(second.get_payload(), b"two")
        self.assertEqual((second.parent_id, second.edi_document), (parent, "214"))
        self.assertRegex(second.name, r"^LGM/\d{4}/\d{7}$")
        self.assertNotEqual(second.name, first.name)
        self.assertEqual(second.correlation_id, parent.correlation_id)
        self.assertEqual(second.state, "pending")

    def test_the_message_form_shows_segments_and_the_interchange(self):
        message = self.work(self.receive_edi(self.partner_interchange([status_set("F1")])))
        html = str(message.edi_segments_html)
        self.assertIn("B10", html)
        self.assertIn("ISA", html)
        document = self.documents_of(message)
        self.assertIn("AT7", str(document.edi_segments_html))
        plain = self.receive(ref="not-edi")
        self.assertFalse(plain.edi_segments_html)


@tagged("post_install", "-at_install")
class TestEdiOutbound(EdiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.folder = Path(tempfile.mkdtemp(prefix="lgi-edi-"))
        cls.addClassCleanup(shutil.rmtree, cls.folder, ignore_errors=True)
        cls.env["logistics.file.channel"].create(
            {
                "name": "Partner inbox",
                "backend_id": cls.edi_backend.id,
                "direction": "outbound",
                "transport": "local",
                "path": str(cls.folder),
            }
        )
        cls.send_flow = cls.env.ref("logistics_integration.logistics_message_type_edi_send")

    def send(self, key, sets=None):
        message = self.Interchange.send_documents(
            self.edi_backend, self.send_flow, "214", sets or [status_set("O1")], key
        )
        return self.work(message)

    def partner_ack(self, sent, reject=False):
        """The 997 the partner answers ``sent`` with (its own control numbers)."""
        numbers = x12.sequential_numbers(next(self.partner_numbers), 1, 1)
        supported = () if reject else None  # the partner takes no 214: every set rejected
        (answer,) = x12.acknowledge(
            sent.get_payload(), control_numbers=numbers, supported=supported
        )
        return answer

    def test_our_interchange_is_written_as_a_file_and_waits_for_its_acknowledgement(self):
        sent = self.send("order/1")
        self.assertEqual(sent.state, "done", sent.error_text)
        written = self.folder / sent.partner_ref
        self.assertEqual(written.read_bytes(), sent.get_payload())
        self.assertRegex(written.name, r"^x12_214_\d{9}_\d{14}\.edi$")
        interchange = sent.edi_interchange_ids
        self.assertEqual(interchange.ack_state, ACK_EXPECTED)
        self.assertAlmostEqual(
            interchange.ack_due_at,
            fields.Datetime.now() + timedelta(minutes=15),
            delta=timedelta(minutes=1),
        )
        (reading, units) = _read_one(sent.get_payload())
        self.assertEqual(reading.interchange.sender, US)
        self.assertEqual(reading.interchange.usage, "T")
        self.assertEqual(sent.edi_control_number, reading.interchange.control_number)
        self.assertEqual(len(units), 1)

    def test_queuing_the_same_action_twice_draws_no_new_number(self):
        first = self.send("order/2")
        again = self.Interchange.send_documents(
            self.edi_backend, self.send_flow, "214", [status_set("O2")], "order/2"
        )
        self.assertEqual(again, first)
        self.assertEqual(len(first.edi_interchange_ids), 1)

    def test_the_partners_997_marks_our_interchange_accepted(self):
        sent = self.send("order/3")
        answer = self.work(self.receive_edi(self.partner_ack(sent)))
        self.assertEqual(answer.state, "done", answer.error_text)
        self.assertFalse(answer.child_ids, "an acknowledgement is applied, not split or answered")
        self.assertEqual(sent.edi_interchange_ids.ack_state, ACK_ACCEPTED)
        self.assertEqual(sent.edi_interchange_ids.ack_message_id, answer)
        self.assertEqual(sent.edi_ack_state, ACK_ACCEPTED)

    def test_a_rejecting_997_puts_our_message_in_the_workbench_with_the_reason(self):
        sent = self.send("order/4")
        self.work(self.receive_edi(self.partner_ack(sent, reject=True)))
        self.assertEqual(sent.edi_ack_state, ACK_REJECTED)
        self.assertIn("Transaction Set Not Supported", sent.edi_ack_detail)
        self.assertIn(sent, self._workbench())
        self.assertTrue(sent.activity_ids)

    def test_no_acknowledgement_by_the_deadline_is_overdue_in_the_workbench(self):
        sent = self.send("order/5")
        interchange = sent.edi_interchange_ids
        self.Interchange._cron_ack_overdue()
        self.assertEqual(interchange.ack_state, ACK_EXPECTED, "not due yet")
        interchange.ack_due_at = fields.Datetime.now() - timedelta(minutes=1)
        self.Interchange._cron_ack_overdue()
        self.assertEqual(interchange.ack_state, ACK_OVERDUE)
        self.assertEqual(sent.edi_ack_state, ACK_OVERDUE)
        self.assertIn(sent, self._workbench())
        self.assertEqual(sent.activity_ids.summary, "EDI acknowledgement overdue")
        self.Interchange._cron_ack_overdue()
        self.assertEqual(len(sent.activity_ids), 1, "one activity, not one per run")

    def test_control_numbers_come_from_the_partners_own_sequences(self):
        numbers = [self.edi_backend.edi_next_control_number("interchange") for _ in range(3)]
        self.assertEqual(numbers, sorted(set(numbers)))
        other = self._make_backend("edi-other", edi_standard="x12")
        self.assertEqual(other.edi_next_control_number("interchange"), 1)
        self.assertEqual(len(self.edi_backend.sudo().edi_sequence_ids), 3)
        sequences = other.sudo().edi_sequence_ids
        other.unlink()
        self.assertFalse(sequences.exists(), "a backend's control numbers end with it")

    def _workbench(self):
        action = self.env.ref("logistics_integration.logistics_message_action_workbench")
        return self.Message.search(ast.literal_eval(action.domain))


def _read_one(payload):
    reading = next(edi_io.read(payload))
    return reading, list(reading.units())


def _wrong_first_se_count(payload):
    """``payload`` with the first SE01 one higher than the segments it closes."""
    text = payload.decode()
    head, sep, tail = text.partition("\nSE*")
    count, star, rest = tail.partition("*")
    return (head + sep + str(int(count) + 1) + star + rest).encode()


@tagged("post_install", "-at_install")
class TestEdiOverSftp(EdiCase):
    """The sandbox's EDI partner and Odoo exchange files over a real SFTP server."""

    def setUp(self):
        super().setUp()
        import paramiko

        root = Path(tempfile.mkdtemp(prefix="lgi-edi-sftp-"))
        self.addCleanup(shutil.rmtree, root, ignore_errors=True)
        for name in ("to_partner", "from_partner"):
            (root / name).mkdir()
        host_key = paramiko.ECDSAKey.generate()
        server = SftpTestServer(str(root), host_key, {"edi": "s3cret-pw"})
        server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        public = f"{host_key.get_name()} {host_key.get_base64()}"
        sftp = {
            "transport": "sftp",
            "host": "127.0.0.1",
            "port": server.port,
            "username": "edi",
            "password": "s3cret-pw",
            "host_key": public,
            "backend_id": self.edi_backend.id,
        }
        Channel = self.env["logistics.file.channel"]
        self.inbound = Channel.create(
            sftp
            | {
                "name": "From the partner",
                "path": "from_partner",
                "message_type_id": self.interchange_flow.id,
                "min_age": 0,
            }
        )
        Channel.create(
            sftp | {"name": "To the partner", "direction": "outbound", "path": "to_partner"}
        )

        def folder(path):
            return SftpFolder(
                "127.0.0.1", server.port, "edi", password="s3cret-pw", host_key=public, path=path
            )

        inbox, outbox = folder("to_partner"), folder("from_partner")
        self.addCleanup(outbox.close)
        self.addCleanup(inbox.close)
        self.partner = EdiPartner(inbox, outbox, first_control=1)
        self.addCleanup(self.partner.stop)

    def take_files(self):
        """Poll as the scheduled action does (the test's transaction stands in for commits)
        and work what arrived."""
        messages = self.inbound._poll(commit=lambda _count: None)
        for message in messages:
            self.work(message)
        return messages

    def test_three_sets_from_the_sandbox_become_three_messages_and_a_997_goes_back(self):
        _name, control = self.partner.send("214", [status_set(f"S{n}") for n in range(3)])
        (message,) = self.take_files()

        self.assertEqual(message.state, "done", message.error_text)
        self.assertEqual(len(self.documents_of(message)), 3)
        self.assertEqual(message.edi_interchange_ids.control_number, control)
        ack = self.work(self.acks_of(message))
        self.assertEqual(ack.state, "done", ack.error_text)

        (entry,) = self.partner.pickup()
        (received,) = entry["received_acks"]
        self.assertEqual((received["kind"], received["status"]), ("997", "A"))
        self.assertEqual([str(count) for count in received["counts"]], ["3", "3", "3"])

        self.partner.send(duplicate=True)
        (again,) = self.take_files()
        self.assertFalse(again.child_ids, "the same interchange again processes nothing")
        self.assertEqual(message.edi_interchange_ids.duplicate_count, 1)

    def test_our_interchange_reaches_the_sandbox_and_its_997_accepts_it(self):
        send_flow = self.env.ref("logistics_integration.logistics_message_type_edi_send")
        sent = self.work(
            self.Interchange.send_documents(
                self.edi_backend, send_flow, "214", [status_set("US1")], "sftp/1"
            )
        )
        self.assertEqual(sent.state, "done", sent.error_text)
        (entry,) = self.partner.pickup()
        self.assertEqual(
            [item["control_number"] for item in entry["interchanges"]], [sent.edi_control_number]
        )
        (answer,) = self.take_files()
        self.assertEqual(answer.state, "done", answer.error_text)
        self.assertEqual(sent.edi_ack_state, ACK_ACCEPTED)

        self.partner.set_mode("reject")
        rejected = self.work(
            self.Interchange.send_documents(
                self.edi_backend, send_flow, "214", [status_set("US2")], "sftp/2"
            )
        )
        self.partner.pickup()
        self.take_files()
        self.assertEqual(rejected.edi_ack_state, ACK_REJECTED)
        self.assertIn("Transaction Set Not Supported", rejected.edi_ack_detail)
