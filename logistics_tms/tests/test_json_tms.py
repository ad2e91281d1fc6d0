import json
from datetime import datetime, timezone

from odoo.tests import tagged

from odoo.addons.logistics_integration.tests.common import LoopbackHttpMixin

from logistics_adapters.sandbox import JsonTms, Sandbox

from .common import TmsCase


@tagged("post_install", "-at_install")
class TestJsonTms(LoopbackHttpMixin, TmsCase):
    """A carrier without EDI: its TMS's JSON API answers the tender at once, and its
    milestones come as canonical JSON webhooks."""

    def json_carrier(self, name, scac, scenario):
        sandbox = Sandbox(port=0, route_sets=[JsonTms(scenario)])
        sandbox.start()
        self.addCleanup(sandbox.stop)
        backend = self.env["logistics.backend"].create(
            {
                "name": f"{name} API",
                "code": f"json-{scac.lower()}",
                "kind": "tms",
                "endpoint_url": f"{sandbox.url}/tms",
            }
        )
        carrier = self.env["res.partner"].create(
            {"name": name, "logistics_scac": scac, "logistics_tms_backend_id": backend.id}
        )
        return carrier, sandbox

    def tender_to(self, order, carrier):
        tender = self.env["logistics.transport.tender"]._send(
            order, carrier, carrier.logistics_tms_backend_id, hours=2, rate=1700.0
        )
        tender.message_id.work_now()
        return tender

    def test_a_json_tms_declines_and_the_routing_guide_goes_on(self):
        carrier, sandbox = self.json_carrier("Web Freight", "WEBF", "decline")
        order, _sale, _picking = self.transport_order()
        tender = self.tender_to(order, carrier)
        self.assertEqual(tender.message_id.state, "done", tender.message_id.error_text)
        self.assertEqual((tender.state, tender.reason), ("declined", "No capacity on this lane"))
        (posted,) = sandbox.requests(path="/tms/loads", method="POST")
        self.assertEqual(json.loads(posted["body"])["reference"], order.name)
        self.assertEqual(order.tender_ids.sorted("sequence")[-1].carrier_id, self.carriers[0])
        self.assertEqual(tender.message_id.child_ids.type_id.code, "tms.tender.json.answer")

    def test_a_json_tms_accepts_and_its_webhooks_move_the_load(self):
        carrier, _sandbox = self.json_carrier("Web Freight", "WEBF", "accept")
        order, _sale, _picking = self.transport_order()
        tender = self.tender_to(order, carrier)
        self.assertEqual((tender.state, order.state), ("accepted", "accepted"))
        self.assertEqual(order.pro_number, "LD000001")
        payload = JsonTms.milestone_payload(
            order.name, "picked_up", "PICKED_UP", datetime.now(timezone.utc).replace(microsecond=0)
        )
        flow = self.env.ref("logistics_tms.logistics_message_type_tms_status_json")
        message, _created = self.env["logistics.message"].store_inbound(
            carrier.logistics_tms_backend_id,
            flow,
            json.dumps(payload).encode(),
            content_type="application/json",
        )
        message.work_now()
        self.assertEqual(message.state, "done", message.error_text)
        self.assertEqual(order.state, "in_transit")
        self.assertEqual(order.milestone_ids.partner_status, "PICKED_UP")
