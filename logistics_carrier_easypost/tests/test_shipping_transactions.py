import uuid

from odoo.exceptions import UserError
from odoo.tests import BaseCase, tagged

from odoo.addons.logistics_integration.tests.common import (
    CommittedTransactionMixin,
    LoopbackHttpMixin,
)

from logistics_adapters.partners.easypost.sandbox import EasyPostCarrier
from logistics_adapters.sandbox import Sandbox

API_KEY = "sandbox-api-key"


@tagged("post_install", "-at_install")
class LabelTransactionCase(CommittedTransactionMixin, LoopbackHttpMixin, BaseCase):
    """Real, committed transactions (no test cursor): what the label purchase leaves behind
    when the transaction that asked for it rolls back."""

    carrier_options = {}
    customer_zip = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_committed_transactions()
        cls.easypost = EasyPostCarrier(api_key=API_KEY, interval=600, **cls.carrier_options)
        cls.sandbox = Sandbox(port=0, route_sets=[cls.easypost])
        cls.sandbox.start()
        cls.addClassCleanup(cls.sandbox.stop)
        cls.ids = {}
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            backend = env["logistics.backend"].create(
                {
                    "name": "EasyPost (transactions)",
                    "code": f"easypost-tx-{uuid.uuid4().hex[:8]}",
                    "provider": "easypost",
                    "endpoint_url": f"{cls.sandbox.url}/v2",
                    "auth_mode": "basic_key",
                    "secret": API_KEY,
                }
            )
            us = env.ref("base.us")
            env.company.partner_id.write(
                {"street": "417 Montgomery St", "city": "San Francisco", "zip": "94104"}
                | ({} if env.company.partner_id.country_id else {"country_id": us.id})
            )
            customer = env["res.partner"].create(
                {
                    "name": "Rollback Consignee",
                    "street": "179 N Harbor Dr",
                    "city": "Redondo Beach",
                    "zip": cls.customer_zip,
                    "country_id": us.id,
                }
            )
            product = env["product.product"].create(
                {"name": "Crate", "type": "consu", "weight": 2.0}
            )
            carrier = env["delivery.carrier"].create(
                {
                    "name": "EasyPost (transactions)",
                    "delivery_type": "logistics_easypost",
                    "product_id": env["product.product"]
                    .create({"name": "Ship", "type": "service"})
                    .id,
                    "logistics_backend_id": backend.id,
                }
            )
            picking_type = env.ref("stock.picking_type_out")
            picking = env["stock.picking"].create(
                {
                    "picking_type_id": picking_type.id,
                    "location_id": picking_type.default_location_src_id.id,
                    "location_dest_id": env.ref("stock.stock_location_customers").id,
                    "partner_id": customer.id,
                    "carrier_id": carrier.id,
                    "move_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "product_uom_qty": 1,
                                "quantity": 1,
                                "location_id": picking_type.default_location_src_id.id,
                                "location_dest_id": env.ref("stock.stock_location_customers").id,
                            },
                        )
                    ],
                }
            )
            cls.ids = {
                "backend": backend.id,
                "customer": customer.id,
                "product": product.id,
                "carrier": carrier.id,
                "picking": picking.id,
            }

    @classmethod
    def _cleanup(cls):
        if not cls.ids:
            return
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            picking = env["stock.picking"].browse(cls.ids["picking"])
            env["logistics.carrier.parcel"].search([("picking_id", "=", picking.id)]).unlink()
            messages = env["logistics.message"].search([("backend_id", "=", cls.ids["backend"])])
            env["ir.attachment"].search(
                [("res_model", "=", "logistics.message"), ("res_id", "in", messages.ids)]
            ).unlink()
            messages.filtered("parent_id").unlink()
            messages.exists().unlink()
            picking.action_cancel()
            picking.unlink()
            env["delivery.carrier"].browse(cls.ids["carrier"]).unlink()
            env["logistics.backend"].browse(cls.ids["backend"]).unlink()
            env["res.partner"].browse(cls.ids["customer"]).unlink()

    def _picking(self, cr):
        """The test's picking, in the transaction of ``cr``."""
        return self._env(cr)["stock.picking"].browse(self.ids["picking"])

    def _send_shipping(self, picking):
        """Ask the test's carrier for the label of ``picking``, in the picking's transaction."""
        return picking.env["delivery.carrier"].browse(self.ids["carrier"]).send_shipping(picking)

    def _refused_label(self):
        """The UserError of a label request, in a transaction that then rolls back."""
        with self.registry.cursor() as cr:
            with self.assertRaises(UserError) as refused:
                self._send_shipping(self._picking(cr))
            cr.rollback()
        return refused.exception

    def _label_messages(self, cr):
        """The label requests of the test's backend, in the transaction of ``cr``."""
        return self._env(cr)["logistics.message"].search(
            [("backend_id", "=", self.ids["backend"]), ("flow", "=", "carrier.easypost.label")]
        )


@tagged("post_install", "-at_install")
class TestLabelTransactions(LabelTransactionCase):
    def test_refused_label_survives_the_rollback_and_a_bought_one_is_not_bought_again(self):
        # The customer has no zip: EasyPost refuses; the validation's transaction rolls back.
        refused = self._refused_label()
        self.assertIn("to_address.zip", str(refused))
        with self.registry.cursor() as cr:
            messages = self._label_messages(cr)
            self.assertEqual(len(messages), 1, "the refused request is on record")
            self.assertEqual((messages.state, messages.error_kind), ("error", "business"))
            self.assertIn(messages.name, str(refused))
            self._env(cr)["res.partner"].browse(self.ids["customer"]).zip = "90277"

        # Bought, then the caller's transaction rolls back (another picking failed, say).
        with self.registry.cursor() as cr:
            [first] = self._send_shipping(self._picking(cr))
            cr.rollback()
        # Asked again: the label bought before is used, nothing is bought twice.
        with self.registry.cursor() as cr:
            picking = self._picking(cr)
            [again] = self._send_shipping(picking)
            self.assertEqual(again["tracking_number"], first["tracking_number"])
            self.assertEqual(len(picking.logistics_parcel_ids), 1)
        buys = [r for r in self.sandbox.requests(method="POST") if r["path"].endswith("/buy")]
        self.assertEqual(len(buys), 1)


@tagged("post_install", "-at_install")
class TestLabelSoldOnce(LabelTransactionCase):
    """A carrier that ignores Idempotency-Key sells a label once all the same: what it
    sold is committed before the label file is fetched, and a retry only fetches it."""

    carrier_options = {"honour_idempotency_keys": False}
    customer_zip = "90277"

    def test_a_failed_label_download_is_retried_without_buying_again(self):
        self.sandbox.add_fault(mode="5xx", count=1, paths="/v2/labels")
        queued = self._refused_label()
        self.assertIn("queued", str(queued))
        with self.registry.cursor() as cr:
            [message] = self._label_messages(cr)
            self.assertEqual(message.state, "retry", message.error_text)
            message.action_retry_now()
            self.assertEqual(message.state, "done", message.error_text)
        with self.registry.cursor() as cr:
            picking = self._picking(cr)
            [shipped] = self._send_shipping(picking)
            self.assertTrue(shipped["tracking_number"])
            self.assertEqual(len(picking.logistics_parcel_ids), 1)
            self.assertTrue(picking.logistics_parcel_ids.label_id.raw)
        buys = [r for r in self.sandbox.requests(method="POST") if r["path"].endswith("/buy")]
        self.assertEqual(len(buys), 1, "sold once")
        downloads = self.sandbox.requests(method="GET", path="/v2/labels")
        self.assertEqual(len(downloads), 2, "fetched again, not bought again")
