import shutil
import tempfile
from pathlib import Path

from odoo.tests import HttpCase, tagged

from odoo.addons.logistics_integration.edi import ACK_ACCEPTED
from odoo.addons.logistics_integration.tests.common import LoopbackHttpMixin

from logistics_adapters.formats import x12
from logistics_adapters.sandbox import EdiPartner, Sandbox
from logistics_adapters.transport.signatures import get_scheme

from .common import InboundFlowMixin

SECRET = "edi-https-secret"


@tagged("post_install", "-at_install")
class TestEdiOverHttps(LoopbackHttpMixin, InboundFlowMixin, HttpCase):
    """EDI both ways over HTTP: the partner posts to Odoo's inbound route, Odoo posts its
    interchanges (and its 997s) to the sandbox partner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_up_inbound()
        folder = Path(tempfile.mkdtemp(prefix="lgi-edi-https-"))
        cls.addClassCleanup(shutil.rmtree, folder, ignore_errors=True)
        for name in ("inbox", "outbox"):
            (folder / name).mkdir()
        cls.partner = EdiPartner(folder / "inbox", folder / "outbox", first_control=300)
        cls.sandbox = Sandbox(port=0, route_sets=[cls.partner])
        cls.sandbox.start()
        cls.addClassCleanup(cls.sandbox.stop)
        flow = cls.env.ref("logistics_integration.logistics_message_type_edi_interchange")
        cls.backend = cls._make_inbound_backend(
            "EDI over HTTPS",
            "edi-https",
            flow,
            SECRET,
            signature_scheme="generic-hmac-sha256",
            edi_standard="x12",
            edi_our_id="ODOO",
            edi_partner_id="SANDBOX",
            edi_channel="https",
            endpoint_url=f"{cls.sandbox.url}/edi/interchanges",
        )
        cls.env["logistics.edi.route"].create(
            {
                "backend_id": cls.backend.id,
                "standard": "x12",
                "document": "214",
                "message_type_id": cls.env.ref(
                    "logistics_integration.logistics_message_type_store"
                ).id,
            }
        )

    def post_edi(self, body):
        signed = get_scheme("generic-hmac-sha256").sign(body, SECRET)
        return self.url_open(
            "/logistics/inbound/edi-https",
            data=body,
            headers={"Content-Type": "application/edi-x12", **signed},
        )

    def partner_interchange(self, control):
        numbers = iter([control, control, 1, 2])  # interchange, group, then each set
        sets = [[["B10", f"P{n}", "S", "SNDB"]] for n in (1, 2)]
        return x12.render_sets(
            "214",
            sets,
            sender=("ZZ", "SANDBOX"),
            receiver=("ZZ", "ODOO"),
            control_numbers=lambda _level: next(numbers),
        )

    def test_an_interchange_posted_to_odoo_is_stored_once_split_and_answered_over_https(self):
        body = self.partner_interchange(700)
        first = self.post_edi(body)
        self.assertEqual(first.status_code, 202, first.text)
        again = self.post_edi(body)
        self.assertEqual(again.status_code, 200, "the same interchange is a duplicate")
        self.assertEqual(again.json()["reference"], first.json()["reference"])

        message = self.env["logistics.message"].search([("name", "=", first.json()["reference"])])
        message.work_now()
        documents = message.child_ids.filtered(lambda child: child.direction == "inbound")
        self.assertEqual(len(documents), 2)
        ack = message.child_ids - documents
        ack.work_now()
        self.assertEqual(ack.state, "done", ack.error_text)
        (entry,) = self.partner.pickup()
        self.assertEqual(entry["received_acks"][0]["status"], "A")

    def test_our_interchange_is_posted_to_the_partner_and_its_997_accepts_it(self):
        send_flow = self.env.ref("logistics_integration.logistics_message_type_edi_send")
        sent = self.env["logistics.edi.interchange"].send_documents(
            self.backend, send_flow, "214", [[["B10", "US1", "S", "SNDB"]]], "https/1"
        )
        sent.work_now()
        self.assertEqual(sent.state, "done", sent.error_text)
        self.assertIn("POST", sent.request_record)
        (entry,) = self.partner.pickup()
        self.assertEqual(entry["interchanges"][0]["control_number"], sent.edi_control_number)
        answer = next((Path(self.partner.outbox.path)).glob("997_*.edi")).read_bytes()
        posted = self.post_edi(answer)
        self.assertEqual(posted.status_code, 202, posted.text)
        inbound = self.env["logistics.message"].search([("name", "=", posted.json()["reference"])])
        inbound.work_now()
        self.assertEqual(sent.edi_ack_state, ACK_ACCEPTED)
