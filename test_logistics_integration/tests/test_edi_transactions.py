import itertools
import shutil
import tempfile
import threading
import uuid

from odoo.tests import BaseCase, tagged

from odoo.addons.logistics_integration.engine import ClaimConflict
from odoo.addons.logistics_integration.tests.common import CommittedTransactionMixin

from logistics_adapters.formats import interchange as edi_io
from logistics_adapters.formats import x12

INTERCHANGES = 30
SENDS = 30


@tagged("post_install", "-at_install")
class TestEdiControlNumbersUnderConcurrency(CommittedTransactionMixin, BaseCase):
    """Two processors at once, on real committed transactions, answering the partner's
    interchanges and sending ours: no control number twice, at any level."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_committed_transactions()
        cls.folder = tempfile.mkdtemp(prefix="lgi-edi-concurrency-")
        cls.addClassCleanup(shutil.rmtree, cls.folder, ignore_errors=True)
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            backend = env["logistics.backend"].create(
                {
                    "name": "EDI concurrency",
                    "code": f"edi-concurrency-{uuid.uuid4().hex[:8]}",
                    "kind": "tms",
                    "concurrency": 0,
                    "edi_standard": "x12",
                    "edi_our_id": "ODOO",
                    "edi_partner_id": "SANDBOX",
                }
            )
            env["logistics.file.channel"].create(
                {
                    "name": "To the partner",
                    "backend_id": backend.id,
                    "direction": "outbound",
                    "transport": "local",
                    "path": cls.folder,
                }
            )
            cls.backend_id, cls.user_id = backend.id, backend.technical_user_id.id

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            backend = env["logistics.backend"].browse(cls.backend_id)
            env["logistics.message"].search([("backend_id", "=", cls.backend_id)]).unlink()
            env["ir.cron.trigger"].search([("create_uid", "=", cls.user_id)]).unlink()
            backend.unlink()  # its control number sequences with it
            user = env["res.users"].browse(cls.user_id)
            partner = user.partner_id
            user.unlink()
            partner.unlink()

    def _fill(self):
        """The partner's interchanges, each with two 214s, stored and committed."""
        numbers = itertools.count(1)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            backend = env["logistics.backend"].browse(self.backend_id)
            flow = env.ref("logistics_integration.logistics_message_type_edi_interchange")
            for _index in range(INTERCHANGES):
                payload = x12.render_sets(
                    "214",
                    [[["B10", "P", "S", "SCAC"]]] * 2,
                    sender=("ZZ", "SANDBOX"),
                    receiver=("ZZ", "ODOO"),
                    control_numbers=lambda _level: next(numbers),
                )
                env["logistics.message"].store_inbound(backend, flow, payload)

    def _worker(self, results, name):
        """A processor that also sends our own documents between its batches."""
        drawn, sent = 0, 0
        with self.registry.cursor() as cr:
            env = self._env(cr)
            processor = env["logistics.processor"]
            backend = env["logistics.backend"].browse(self.backend_id)
            flow = env.ref("logistics_integration.logistics_message_type_edi_send")
            while True:
                if sent < SENDS:
                    env["logistics.edi.interchange"].send_documents(
                        backend, flow, "214", [[["B10", "O", name, "SCAC"]]], f"{name}/{sent}"
                    )
                    sent += 1
                    cr.commit()  # pylint: disable=invalid-commit
                try:
                    messages = processor._claim(5)
                except ClaimConflict:
                    cr.rollback()
                    continue
                if not messages and sent >= SENDS:
                    break
                processor._process_claimed(messages)
                drawn += len(messages)
                cr.commit()  # pylint: disable=invalid-commit
        results[name] = drawn

    def test_two_processors_never_draw_the_same_control_number(self):
        self._fill()
        results = {}
        threads = [threading.Thread(target=self._worker, args=(results, f"p{n}")) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        self.assertEqual(set(results), {"p0", "p1"}, "both processors finished")

        with self.registry.cursor() as cr:
            env = self._env(cr)
            ours = env["logistics.message"].search(
                [("backend_id", "=", self.backend_id), ("direction", "=", "outbound")]
            )
            states = set(ours.mapped("state"))
            payloads = [message.get_payload() for message in ours]
        self.assertEqual(len(payloads), INTERCHANGES + 2 * SENDS, "one 997 each, our sends")
        self.assertEqual(states, {"done"})
        numbers = {"interchange": [], "group": [], "set": []}
        for payload in payloads:
            reading = next(edi_io.read(payload))
            for unit in reading.units():
                numbers["set"].append(int(unit.control_number))
            numbers["interchange"].append(int(reading.interchange.control_number))
            numbers["group"] += [int(group.control_number) for group in reading.interchange.groups]
        for level, drawn in numbers.items():
            self.assertEqual(len(drawn), len(set(drawn)), f"{level} control numbers are unique")
            self.assertEqual(len(drawn), len(payloads) if level != "set" else len(drawn))
