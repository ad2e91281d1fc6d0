import json

from odoo.tests import tagged

from logistics_adapters import registry
from logistics_adapters.formats import interchange as edi_io
from logistics_adapters.tests.test_ocean import DCSA_EQUIPMENT

from .common import TmsCase

#: The DCSA Track & Trace 2.2 specification's equipment event, loaded at Rotterdam in 2026.
LOADED = DCSA_EQUIPMENT | {
    "eventCreatedDateTime": "2026-11-30T14:12:56+01:00",
    "eventDateTime": "2026-11-30T07:41:00+01:00",
    "transportCall": {
        "transportCallID": "123e4567-e89b-12d3-a456-426614174000",
        "UNLocationCode": "NLRTM",
        "facilityTypeCode": "POTE",
        "modeOfTransport": "VESSEL",
        "location": {"locationName": "Rotterdam", "UNLocationCode": "NLRTM"},
    },
    "documentReferences": [
        {"documentReferenceType": "BKG", "documentReferenceValue": "ABC123123123"}
    ],
}


@tagged("post_install", "-at_install")
class TestOceanAndEdifactCarriers(TmsCase):
    def test_a_container_event_finds_its_load_by_container_number(self):
        order, _sale, _picking = self.transport_order()
        order.write({"mode": "ocean", "container_number": "APZU4812090", "state": "accepted"})
        backend = self.env["logistics.backend"].create({"name": "Ocean line", "code": "ocean-line"})
        flow = self.env.ref("logistics_tms.logistics_message_type_tms_container_dcsa")
        message, _created = self.env["logistics.message"].store_inbound(
            backend, flow, json.dumps([LOADED]).encode(), content_type="application/json"
        )
        message.work_now()
        self.assertEqual(message.state, "done", message.error_text)
        (milestone,) = order.milestone_ids
        self.assertEqual(milestone.partner_status, "EQUIPMENT/LOAD")
        self.assertIn("Rotterdam", milestone.location)
        self.assertEqual(order.state, "in_transit")

    def test_a_european_carrier_is_tendered_an_iftmin(self):
        carrier = self.carriers[0]
        carrier.logistics_tms_backend_id.write({"edi_standard": "edifact", "edi_version": "UNOC:3"})
        order, _sale, _picking = self.transport_order()
        order.action_tender()
        (tender,) = order.tender_ids
        payload = tender.message_id.get_payload()
        self.assertEqual(tender.message_id.edi_document, "IFTMIN")
        reading = next(edi_io.read(payload))
        (unit,) = list(reading.units())
        self.assertEqual(unit.kind, "IFTMIN")
        self.assertEqual(reading.interchange.receiver[1], carrier.logistics_scac)
        (parsed,) = registry.get("edifact-iftmin").parse(payload)
        self.assertEqual((parsed.reference, parsed.purpose), (order.name, "original"))
        self.assertEqual([stop.kind for stop in parsed.stops], ["pickup", "delivery"])
