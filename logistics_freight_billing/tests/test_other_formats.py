import json

from odoo.tests import tagged

from logistics_adapters import canonical as c
from logistics_adapters import registry

from .common import RATE, BillingCase

PARCEL_PRICE = 14.35


@tagged("post_install", "-at_install")
class TestOtherFormats(BillingCase):
    """Parcels billed as JSON, loads billed in a carrier's own CSV spreadsheet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ups = cls.env["res.partner"].create(
            {"name": "UPS", "is_company": True, "logistics_scac": "UPSN"}
        )
        cls.parcel_backend = cls.env["logistics.backend"].create(
            {
                "name": "UPS billing",
                "code": "ups-billing",
                "kind": "carrier",
                "logistics_freight_carrier_id": cls.ups.id,
            }
        )
        cls.ground = cls.env["delivery.carrier"].create(
            {
                "name": "UPS Ground",
                "product_id": cls.env["product.product"]
                .create({"name": "UPS Ground", "type": "service"})
                .id,
                "logistics_freight_carrier_id": cls.ups.id,
            }
        )

    def shipped_parcel(self, tracking):
        """A delivery shipped with UPS Ground, one label of PARCEL_PRICE bought."""
        _sale, picking = self.confirmed_delivery(quantity=1)
        picking.carrier_id = self.ground
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.button_validate()
        self.env["logistics.carrier.parcel"].create(
            {
                "picking_id": picking.id,
                "carrier_id": self.ground.id,
                "message_ref": picking.id,
                "package_name": "Box 1",
                "tracking_number": tracking,
                "price": PARCEL_PRICE,
                "currency_id": self.env.company.currency_id.id,
            }
        )
        return picking

    def store(self, backend, flow, payload, content_type):
        message, _created = self.env["logistics.message"].store_inbound(
            backend, self.env.ref(flow), payload, content_type=content_type
        )
        message.work_now()
        self.assertEqual(message.state, "done", message.error_text)
        self.Invoice._cron_bill()
        return self.Invoice.search([("message_id", "=", message.id)], order="position")

    def test_a_json_invoice_of_parcels_is_matched_by_tracking_number_to_the_labels(self):
        first, second = self.shipped_parcel("1ZBILL0001"), self.shipped_parcel("1ZBILL0002")
        invoice = c.FreightInvoice(
            invoice_number="UPS-W48",
            carrier="UPSN",
            currency="USD",
            mode="parcel",
            shipments=[
                c.FreightShipment(
                    tracking_numbers=[tracking],
                    charges=[c.Charge(code="400", amount=amount, code_list=c.CODE_LIST_X12_150)],
                )
                for tracking, amount in (("1ZBILL0001", "14.35"), ("1ZBILL0002", "16.35"))
            ],
        )
        payload = registry.get("freight-invoice-json").render([invoice])
        (received,) = self.store(
            self.parcel_backend,
            "logistics_freight_billing.logistics_message_type_freight_invoice_json",
            payload,
            "application/json",
        )
        self.assertEqual(received.carrier_id, self.ups)
        self.assertEqual(received.picking_ids, first | second)
        self.assertEqual(set(received.shipment_ids.mapped("expected_source")), {"label"})
        self.assertAlmostEqual(received.expected_total, 2 * PARCEL_PRICE)
        # 2.00 above the labels: within 2 % or 25.00? 2 % of 28.70 is 0.57: out.
        self.assertEqual(received.state, "variance")
        self.assertIn("above what was expected", received.audit_note)

    def test_a_carriers_own_csv_layout_is_read_with_its_mapping(self):
        order = self.delivered_order()
        layout = self.env["logistics.freight.csv.mapping"].create(
            {
                "name": "Prairie spreadsheet",
                "invoice_number": "Inv No",
                "amount": "Amt",
                "code": "Chg",
                "description": "What",
                "invoice_date": "Date",
                "pro_column": "PRO#",
                "date_format": "%d/%m/%Y",
                "decimal_comma": True,
                "delimiter": ";",
            }
        )
        backend = self.carrier.logistics_tms_backend_id
        backend.logistics_freight_csv_mapping_id = layout
        rate = f"{RATE:.2f}".replace(".", ",")
        payload = (
            "Inv No;Date;PRO#;Chg;What;Amt\n"
            f"PF-CSV-1;01/12/2026;{order.pro_number};400;Line haul;{rate}\n"
            f"PF-CSV-1;01/12/2026;{order.pro_number};405;Fuel;12,50\n"
        ).encode()
        (received,) = self.store(
            backend,
            "logistics_freight_billing.logistics_message_type_freight_invoice_csv",
            payload,
            "text/csv",
        )
        self.assertEqual(received.name, "PF-CSV-1")
        self.assertEqual(received.transport_order_ids, order)
        self.assertEqual(received.billed_total, RATE + 12.5)
        self.assertEqual(str(received.invoice_date), "2026-12-01")
        self.assertEqual(received.state, "billed", received.audit_note)

    def test_a_json_payload_without_an_invoice_waits_in_the_workbench(self):
        message, _created = self.env["logistics.message"].store_inbound(
            self.parcel_backend,
            self.env.ref("logistics_freight_billing.logistics_message_type_freight_invoice_json"),
            json.dumps({"invoices": []}).encode(),
            content_type="application/json",
        )
        message.work_now()
        self.assertEqual(message.state, "error")
        self.assertIn("no freight invoice", message.error_text)
