import itertools
import re
from datetime import timedelta

import responses

from odoo import fields
from odoo.tests import tagged

from odoo.addons.logistics_carrier_easypost.tests.common import EASYPOST_EVENT, CarrierCase
from odoo.addons.logistics_integration.tests.common import LoopbackHttpMixin

UPS_SAMPLE = EASYPOST_EVENT.parent / "ups_track_api_response_delivered.json"
UPS_NUMBER = "1Z1442YY7229014688"
BASE = "http://127.0.0.1:9/ups"
POLL_LOGGER = "odoo.addons.logistics_carrier.models.logistics_backend"
# The label requests of the test's parcels are not part of the test: ids no message has.
LABEL_REFS = itertools.count(-1, -1)


def ups_answer(number=UPS_NUMBER):
    """The published UPS answer, about ``number``."""
    return UPS_SAMPLE.read_bytes().replace(UPS_NUMBER.encode(), number.encode())


@tagged("post_install", "-at_install")
class TestTrackingPolling(LoopbackHttpMixin, CarrierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ups = cls.env["logistics.backend"].create(
            {
                "name": "UPS",
                "code": "ups-poll-test",
                "provider": "ups",
                "endpoint_url": BASE,
                "auth_mode": "bearer",
                "secret": "ups-token-123456",
                "tracking_poll_type_id": cls.env.ref(
                    "logistics_carrier.logistics_message_type_poll_ups"
                ).id,
            }
        )
        product = cls.env["product.product"].create({"name": "UPS Ground", "type": "service"})
        cls.carrier = cls.env["delivery.carrier"].create(
            {"name": "UPS Ground", "product_id": product.id, "logistics_backend_id": cls.ups.id}
        )
        cls.ups_picking = cls._shipped(UPS_NUMBER)

    @classmethod
    def _shipped(cls, tracking_ref):
        """A delivery shipped yesterday with the UPS method, under ``tracking_ref``."""
        picking = cls._make_picking(tracking_ref)
        picking.write(
            {
                "carrier_id": cls.carrier.id,
                "state": "done",
                "date_done": fields.Datetime.now() - timedelta(days=1),
            }
        )
        return picking

    def _add_parcel(self, picking, number, **values):
        return self.env["logistics.carrier.parcel"].create(
            {
                "picking_id": picking.id,
                "carrier_id": self.carrier.id,
                "message_ref": next(LABEL_REFS),
                "package_name": f"Package {number}",
                "tracking_number": number,
                "currency_id": self.env.company.currency_id.id,
                **values,
            }
        )

    def _asked(self):
        """The tracking numbers asked so far, in order."""
        return [call.request.url.rsplit("/", 1)[-1] for call in responses.calls]

    def _answer_every_number(self):
        responses.add_callback(
            responses.GET,
            re.compile(rf"{re.escape(BASE)}/api/track/v1/details/.+"),
            callback=lambda request: (
                200,
                {"Content-Type": "application/json"},
                ups_answer(request.url.rsplit("/", 1)[-1]),
            ),
        )

    def _messages(self):
        return self.env["logistics.message"].search([("backend_id", "=", self.ups.id)])

    @responses.activate
    def test_polled_answer_is_stored_and_applied_like_a_webhook(self):
        responses.get(
            f"{BASE}/api/track/v1/details/{UPS_NUMBER}",
            body=UPS_SAMPLE.read_bytes(),
            content_type="application/json",
        )
        self.env["logistics.tracking.poll"]._poll()
        message = self._messages()
        self.assertEqual(message.record_ref, self.ups_picking)
        self.assertEqual(message.get_payload(), UPS_SAMPLE.read_bytes())
        self.assertEqual(
            responses.calls[0].request.headers["Authorization"], "Bearer ups-token-123456"
        )
        self.process()
        self.assertEqual(message.state, "done", message.error_text)
        self.assertEqual(self.ups_picking.logistics_status, "delivered")
        # Delivered: no more polling.
        self.env["logistics.tracking.poll"]._poll()
        self.assertEqual(len(responses.calls), 1)

    @responses.activate
    def test_carrier_outage_is_counted_on_the_backend_and_logged_as_a_warning(self):
        responses.get(f"{BASE}/api/track/v1/details/{UPS_NUMBER}", status=503)
        Poll = self.env["logistics.tracking.poll"]
        with self.assertLogs(POLL_LOGGER, "WARNING") as logs:
            Poll._poll()
            Poll._poll()
        self.assertIn(UPS_NUMBER, logs.output[0])
        self.assertIn("2 in a row", logs.output[1])
        self.assertFalse(self._messages())
        self.assertFalse(self.ups_picking.logistics_status)
        self.assertEqual(self.ups.tracking_poll_failures, 2)
        self.assertTrue(self.ups.tracking_poll_failed_at)
        self.assertIn(UPS_NUMBER, self.ups.tracking_poll_error)
        self.assertIn(self.ups_picking.name, self.ups.tracking_poll_error)
        self.assertIn("503", self.ups.tracking_poll_error)

        # The carrier is back: the count starts again, the last error stays on view.
        responses.replace(
            responses.GET,
            f"{BASE}/api/track/v1/details/{UPS_NUMBER}",
            body=UPS_SAMPLE.read_bytes(),
            content_type="application/json",
        )
        Poll._poll()
        self.assertEqual(len(self._messages()), 1)
        self.assertEqual(self.ups.tracking_poll_failures, 0)
        self.assertIn("503", self.ups.tracking_poll_error)

    @responses.activate
    def test_every_delivery_gets_its_turn_when_more_wait_than_a_batch_holds(self):
        self._answer_every_number()
        pickings = (
            self.ups_picking
            | self._shipped("1ZROUND0000000002")
            | self._shipped("1ZROUND0000000003")
        )
        now = fields.Datetime.now()
        for hours, picking in zip((3, 2, 1), pickings, strict=True):
            picking.logistics_last_event_at = now - timedelta(hours=hours)

        Poll = self.env["logistics.tracking.poll"]
        for _run in range(4):
            Poll._poll(batch_size=1)
        numbers = pickings.mapped("carrier_tracking_ref")
        self.assertEqual(
            self._asked(),
            numbers + numbers[:1],
            "each in its turn, then the least recently asked again",
        )
        self.assertTrue(all(picking.logistics_polled_at >= now for picking in pickings))

    @responses.activate
    def test_each_parcel_is_asked_on_its_own(self):
        self._answer_every_number()
        picking = self._shipped("1ZPARCEL00000000A,1ZPARCEL00000000B")
        first = self._add_parcel(picking, "1ZPARCEL00000000A")
        second = self._add_parcel(picking, "1ZPARCEL00000000B")
        self._add_parcel(picking, "1ZPARCEL0000RETURN", is_return=True)
        self._add_parcel(picking, "1ZPARCEL0REFUNDED", state="refunded")
        self.ups_picking.carrier_tracking_ref = "1ZNOPARCEL000000A,1ZNOPARCEL000000B"

        self.env["logistics.tracking.poll"]._poll()
        self.assertCountEqual(
            self._asked(),
            [
                "1ZPARCEL00000000A",
                "1ZPARCEL00000000B",
                "1ZNOPARCEL000000A",
                "1ZNOPARCEL000000B",
            ],
        )
        self.assertTrue(first.polled_at and second.polled_at)
        self.assertTrue(self.ups_picking.logistics_polled_at)
        messages = self._messages()
        self.assertCountEqual(
            messages.mapped("partner_ref"),
            [
                "1ZPARCEL00000000A",
                "1ZPARCEL00000000B",
                "1ZNOPARCEL000000A",
                "1ZNOPARCEL000000B",
            ],
        )
        self.process()
        self.assertEqual(set(messages.mapped("state")), {"done"}, messages.mapped("error_text"))
        self.assertEqual(picking.logistics_status, "delivered")
        self.assertEqual(self.ups_picking.logistics_status, "delivered")
