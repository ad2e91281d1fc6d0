import contextlib
import json

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.logistics_carrier.tests.common import detail, easypost_event
from odoo.addons.logistics_integration.tests.common import LoopbackHttpMixin

from logistics_adapters.partners.easypost.sandbox import EasyPostCarrier
from logistics_adapters.sandbox import Sandbox

from .common import CarrierCase

API_KEY = "sandbox-api-key"
LABEL = "carrier.easypost.label"


class ShippingCase(LoopbackHttpMixin, CarrierCase):
    """A delivery method of type EasyPost against the sandbox's EasyPost personality."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Partner calls run in a transaction of their own (registry.cursor()): in a test,
        # a test cursor on the test's transaction, as HttpCase has it.
        if not cls._registry_patched:
            cls.registry_enter_test_mode_cls()
        cls.easypost = EasyPostCarrier(api_key=API_KEY, interval=600)
        cls.sandbox = Sandbox(port=0, route_sets=[cls.easypost])
        cls.sandbox.start()
        cls.addClassCleanup(cls.sandbox.stop)
        cls.backend.write(
            {
                "endpoint_url": f"{cls.sandbox.url}/v2",
                "auth_mode": "basic_key",
                "secret": API_KEY,
                "timeout_read": 5.0,
            }
        )
        cls.env.company.partner_id.write(
            {
                "street": "417 Montgomery Street",
                "city": "San Francisco",
                "zip": "94104",
                "state_id": cls.env.ref("base.state_us_5").id,
                "country_id": cls.env.ref("base.us").id,
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.warehouse.partner_id = cls.env.company.partner_id
        cls.customer.write(
            {
                "street": "179 N Harbor Dr",
                "city": "Redondo Beach",
                "zip": "90277",
                "state_id": cls.env.ref("base.state_us_5").id,
                "country_id": cls.env.ref("base.us").id,
                "email": "consignee@example.com",
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Pallet jack wheel",
                "type": "consu",
                "weight": 2.0,
                "list_price": 120.0,
                "standard_price": 60.0,
                "hs_code": "8716.90",
                "country_of_origin": cls.env.ref("base.de").id,
            }
        )
        delivery_product = cls.env["product.product"].create(
            {"name": "EasyPost shipping", "type": "service", "list_price": 0.0}
        )
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "EasyPost sandbox",
                "delivery_type": "logistics_easypost",
                "product_id": delivery_product.id,
                "logistics_backend_id": cls.backend.id,
                "invoice_policy": "real",
            }
        )

    def setUp(self):
        super().setUp()
        self.easypost.reset()
        self.sandbox.clear_requests()
        self.sandbox.clear_faults()

    def order(self, quantity=1.0, partner=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "product_uom_qty": quantity})
                ],
            }
        )
        return order

    def fail_labels(self):
        """The carrier answers 503 to every label request; a label request has one attempt."""
        self.env.ref(
            "logistics_carrier_easypost.logistics_message_type_easypost_label"
        ).max_attempts = 1
        self.sandbox.add_fault(mode="5xx", count=50, paths="/v2/shipments")

    def shipped_order(self, quantity=1.0, partner=None):
        """A confirmed order shipped with the EasyPost method; return its delivery."""
        order = self.order(quantity, partner)
        rate = self.carrier.rate_shipment(order)
        self.assertTrue(rate["success"], rate["error_message"])
        order.set_delivery_line(self.carrier, rate["price"])
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(picking.carrier_id, self.carrier)
        picking.move_ids.quantity = quantity
        return picking

    def calls(self, suffix, method="POST"):
        return [
            record
            for record in self.sandbox.requests(method=method)
            if record["path"].endswith(suffix) and record["status"] < 300
        ]

    def label_messages(self, picking):
        return self.env["logistics.message"].search(
            [("flow", "=", LABEL), ("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)]
        )


@tagged("post_install", "-at_install")
class TestEasyPostRates(ShippingCase):
    def test_cheapest_rate_of_the_order_weight(self):
        # 2 kg is 70.5 oz, five started pounds: USPS GroundAdvantage 5.25 + 5 x 0.82.
        result = self.carrier.rate_shipment(self.order())
        self.assertTrue(result["success"], result["error_message"])
        self.assertAlmostEqual(result["price"], 9.35)
        self.assertIn("USPS GroundAdvantage", result["warning_message"])
        [call] = self.calls("/v2/shipments")
        body = json.loads(call["body"])["shipment"]
        self.assertEqual(body["to_address"]["zip"], "90277")
        self.assertEqual(body["from_address"]["city"], "San Francisco")
        self.assertEqual(body["parcel"]["weight"], 70.5)
        self.assertEqual(body["options"]["label_format"], "PDF")

    def test_fastest_and_allowed_carriers(self):
        self.carrier.logistics_rate_choice = "fastest"
        result = self.carrier.rate_shipment(self.order())
        self.assertAlmostEqual(result["price"], 42.25, msg="USPS Express 28.50 + 5 x 2.75")
        self.carrier.write(
            {"logistics_rate_choice": "cheapest", "logistics_allowed_carriers": "UPS"}
        )
        self.assertAlmostEqual(self.carrier.rate_shipment(self.order())["price"], 14.65)
        self.carrier.write({"logistics_allowed_carriers": "DHL"})
        result = self.carrier.rate_shipment(self.order())
        self.assertFalse(result["success"])
        self.assertIn("carriers DHL", result["error_message"])
        self.assertIn("widen", result["error_message"])

    def test_rate_request_and_answer_are_kept_without_the_key(self):
        self.carrier.rate_shipment(self.order())
        message = self.env["logistics.message"].search(
            [("flow", "=", "carrier.easypost.rate")], order="id desc", limit=1
        )
        self.assertEqual(message.state, "done")
        self.assertIn("POST", message.request_record)
        self.assertNotIn(API_KEY, message.request_record + message.response_record)
        [answer] = message.child_ids
        self.assertEqual(answer.flow, "carrier.easypost.answer")
        self.assertEqual(json.loads(answer.get_payload())["object"], "Shipment")

    def test_unreachable_carrier_is_an_error_for_the_user_not_the_workbench(self):
        self.sandbox.add_fault(mode="5xx", count=5)
        result = self.carrier.rate_shipment(self.order())
        self.assertFalse(result["success"])
        self.assertIn("503", result["error_message"])
        message = self.env["logistics.message"].search(
            [("flow", "=", "carrier.easypost.rate")], order="id desc", limit=1
        )
        self.assertEqual(message.state, "cancelled", "nothing to retry: the user was told")
        self.assertIn("503", message.error_text)

    def test_method_without_backend_says_what_to_do(self):
        self.carrier.logistics_backend_id = False
        result = self.carrier.rate_shipment(self.order())
        self.assertFalse(result["success"])
        self.assertIn("no EasyPost backend", result["error_message"])


@tagged("post_install", "-at_install")
class TestEasyPostLabels(ShippingCase):
    def test_validation_buys_the_label_and_updates_the_real_cost(self):
        picking = self.shipped_order()
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        [parcel] = picking.logistics_parcel_ids
        self.assertEqual(picking.carrier_tracking_ref, parcel.tracking_number)
        self.assertEqual((parcel.carrier_name, parcel.service), ("USPS", "GroundAdvantage"))
        self.assertAlmostEqual(picking.carrier_price, 9.35)
        label = parcel.label_id
        self.assertEqual(
            label.name, f"LabelShipping-logistics_easypost-{parcel.tracking_number}.pdf"
        )
        self.assertEqual((label.res_model, label.res_id), ("stock.picking", picking.id))
        self.assertTrue(label.raw.startswith(b"%PDF"))
        line = picking.sale_id.order_line.filtered("is_delivery")
        self.assertAlmostEqual(line.price_unit, 9.35, msg="real cost on the order line")
        self.assertTrue(parcel.tracking_url.endswith(f"/v2/track/{parcel.tracker_ref}"))
        self.assertEqual(picking.carrier_tracking_url, parcel.tracking_url)
        self.assertEqual(len(self.calls("/buy")), 1)
        [message] = self.label_messages(picking)
        self.assertEqual(message.state, "done")
        self.assertEqual(parcel.message_id, message)
        self.assertTrue(message.idempotency_key.startswith(f"label:{picking.id}:"))

    def test_each_package_gets_its_label(self):
        picking = self.shipped_order(quantity=2)
        line = picking.move_line_ids
        self.assertEqual(len(line), 1)
        packages = self.env["stock.package"].create(
            [{"name": "PACK-A", "shipping_weight": 2.0}, {"name": "PACK-B", "shipping_weight": 3.0}]
        )
        line.write({"quantity": 1, "result_package_id": packages[0].id})
        line.copy({"quantity": 1, "result_package_id": packages[1].id})
        self.sandbox.clear_requests()
        picking.button_validate()
        parcels = picking.logistics_parcel_ids
        self.assertEqual(parcels.mapped("package_name"), ["PACK-A", "PACK-B"])
        self.assertEqual(picking.carrier_tracking_ref, ",".join(parcels.mapped("tracking_number")))
        weights = sorted(
            json.loads(c["body"])["shipment"]["parcel"]["weight"]
            for c in self.calls("/v2/shipments")
        )
        self.assertEqual(weights, [70.5, 105.8])
        self.assertAlmostEqual(picking.carrier_price, sum(parcels.mapped("price")))
        links = json.loads(picking.carrier_tracking_url)
        self.assertEqual([number for number, _url in links], parcels.mapped("tracking_number"))
        # A webhook for the second parcel's number reaches this delivery.
        second = parcels[1].tracking_number
        self.receive(
            easypost_event(
                details=[detail("in_transit", f"{fields.Datetime.now():%Y-%m-%dT%H:%M:%SZ}")],
                tracking_code=second,
            )
        )
        self.process()
        self.assertEqual(picking.logistics_status, "in_transit")

    def test_international_shipment_carries_customs_from_the_products(self):
        canada = self.env["res.partner"].create(
            {
                "name": "Importer Inc",
                "street": "100 Queen St W",
                "city": "Toronto",
                "zip": "M5H 2N2",
                "country_id": self.env.ref("base.ca").id,
            }
        )
        picking = self.shipped_order(partner=canada)
        picking.button_validate()
        body = json.loads(self.calls("/v2/shipments")[-1]["body"])["shipment"]
        [item] = body["customs_info"]["customs_items"]
        self.assertEqual(item["hs_tariff_number"], "8716.90")
        self.assertEqual(item["origin_country"], "DE")
        self.assertEqual(item["quantity"], 1)
        self.assertGreater(item["value"], 0)
        self.assertEqual(body["customs_info"]["contents_type"], "merchandise")
        self.assertTrue(picking.logistics_parcel_ids)

    def test_label_format_and_size_come_from_the_method(self):
        self.carrier.write({"logistics_label_format": "ZPL", "logistics_label_size": "4x8"})
        picking = self.shipped_order()
        picking.button_validate()
        body = json.loads(self.calls("/v2/shipments")[-1]["body"])["shipment"]
        self.assertEqual(body["options"]["label_format"], "ZPL")
        self.assertEqual(body["options"]["label_size"], "4x8")
        self.assertTrue(picking.logistics_parcel_ids.label_id.name.endswith(".zpl"))

    def test_failed_label_stays_in_the_workbench_and_is_bought_once_after_retry(self):
        picking = self.shipped_order()
        self.fail_labels()
        try:
            self.carrier.send_shipping(picking)
        except UserError as error:
            text = str(error)
        else:
            self.fail("a failed label purchase must stop the shipment")
        [message] = self.label_messages(picking)
        self.assertIn(message.name, text)
        self.assertIn("Logistics Integration > Workbench", text)
        self.assertEqual(message.state, "dead")
        self.assertIn("503", message.error_text)
        self.assertFalse(picking.logistics_parcel_ids)

        self.sandbox.clear_faults()
        message.action_retry_now()
        self.assertEqual(message.state, "done")
        self.assertEqual(len(self.calls("/buy")), 1)
        self.assertIn("used when the delivery is validated", picking.message_ids[0].body)

        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(self.calls("/buy")), 1, "validation reused the bought label")
        self.assertEqual(len(self.label_messages(picking)), 1)
        self.assertTrue(picking.carrier_tracking_ref)

    def test_retry_after_validation_ships_the_delivery(self):
        """A delivery validated while its label failed gets it when the message is retried."""
        picking = self.shipped_order()
        self.fail_labels()
        with contextlib.suppress(UserError):
            self.carrier.send_shipping(picking)
        picking.picking_type_id.print_label = False  # validate without a label
        picking.button_validate()
        self.assertFalse(picking.carrier_tracking_ref)
        self.sandbox.clear_faults()
        message = self.label_messages(picking)
        message.action_retry_now()
        self.assertEqual(message.state, "done")
        self.assertEqual(picking.carrier_tracking_ref, picking.logistics_parcel_ids.tracking_number)
        self.assertAlmostEqual(picking.carrier_price, 9.35)

    def test_refused_label_is_replaced_once_the_delivery_is_corrected(self):
        picking = self.shipped_order()
        self.customer.zip = False
        try:
            self.carrier.send_shipping(picking)
        except UserError as error:
            self.assertIn("to_address.zip", str(error))
        [refused] = self.label_messages(picking)
        self.assertEqual((refused.state, refused.error_kind), ("error", "business"))
        self.customer.zip = "90277"
        picking.button_validate()
        self.assertEqual(refused.state, "cancelled")
        messages = self.label_messages(picking)
        self.assertEqual(len(messages), 2)
        self.assertEqual((messages - refused).state, "done")
        self.assertEqual(len(self.calls("/buy")), 1)

    def test_cancel_refunds_and_a_new_label_is_a_new_purchase(self):
        picking = self.shipped_order()
        picking.button_validate()
        parcel = picking.logistics_parcel_ids
        picking.cancel_shipment()
        self.assertEqual(parcel.state, "refund_submitted")
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertEqual(len(self.calls("/refund")), 1)
        self.assertEqual(parcel.refund_message_id.state, "done")
        picking.send_to_shipper()
        self.assertEqual(len(self.calls("/buy")), 2, "the refunded label is not reused")
        new = picking.logistics_parcel_ids - parcel
        self.assertEqual(picking.carrier_tracking_ref, new.tracking_number)

    def test_return_label(self):
        self.carrier.return_label_on_delivery = True
        picking = self.shipped_order()
        picking.button_validate()
        returned = picking.logistics_parcel_ids.filtered("is_return")
        self.assertEqual(len(returned), 1)
        self.assertEqual(
            returned.label_id.name,
            f"LabelReturn-logistics_easypost-{returned.tracking_number}-1.pdf",
        )
        self.assertIn(returned.label_id, picking.return_label_ids)
        body = json.loads(self.calls("/v2/shipments")[-1]["body"])["shipment"]
        self.assertTrue(body["is_return"])
        self.assertEqual(body["from_address"]["zip"], "90277")
        self.assertNotIn(returned.tracking_number, picking.carrier_tracking_ref)

    def test_method_form_shows_the_easypost_settings(self):
        with Form(self.carrier) as form:
            form.logistics_rate_choice = "fastest"
            form.logistics_allowed_services = "Priority, Express"
        self.assertEqual(self.carrier.logistics_rate_choice, "fastest")
        self.assertTrue(self.carrier.can_generate_return)
