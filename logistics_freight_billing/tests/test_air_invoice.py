"""Air freight invoices (X12 110) from an air carrier's EDI backend, written with the suite's
own 110 writer: each airbill matched by its number (the tracking number of the transfer it
flew) to a delivery the company shipped, audited against its expected cost and billed as a
vendor bill; an air code nobody mapped yet, and an airbill above its quote, wait for a
person."""

from datetime import date
from decimal import Decimal

from odoo.tests import tagged

from logistics_adapters import canonical as c
from logistics_adapters.formats.x12.billing import air_invoice_segments

from .common import BillingCase

#: What the air freight method quoted for a delivery.
QUOTE = 950.0
#: The estimate of the air load.
ESTIMATE = 2450.0
INVOICE_DATE, DUE_DATE = date(2026, 12, 1), date(2026, 12, 31)


@tagged("post_install", "-at_install")
class TestAirInvoice(BillingCase):
    """Aero Cargo (SCAC ACAR) flies deliveries from Chicago to Orlando, each on an air
    waybill that is the delivery's tracking reference, and bills its airbills in 110s
    through its EDI backend."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.air = cls._carrier("Aero Cargo", "ACAR")
        product = cls.env["product.product"].create({"name": "Air freight", "type": "service"})
        cls.air_freight = cls.env["delivery.carrier"].create(
            {
                "name": "Aero Cargo air freight",
                "product_id": product.id,
                "logistics_freight_carrier_id": cls.air.id,
                "logistics_tms_mode": "air",
            }
        )
        cls.freight = cls.env.ref("logistics_freight_billing.charge_type_freight")

    def flown(self, picking, airbill, quote=0.0):
        """``picking`` flown with Aero Cargo on ``airbill`` (its tracking reference) at
        ``quote``, done."""
        picking.write(
            {
                "carrier_id": self.air_freight.id,
                "carrier_tracking_ref": airbill,
                "carrier_price": quote,
            }
        )
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def flown_delivery(self, airbill, quote=QUOTE):
        """A delivery of one pallet flown on ``airbill`` at the method's ``quote``."""
        _sale, picking = self.confirmed_delivery(quantity=1)
        return self.flown(picking, airbill, quote)

    def air_load(self, airbill):
        """A load booked with Aero Cargo by air at its ESTIMATE, its delivery flown on
        ``airbill``; ``(order, picking)``."""
        order, _sale, picking = self.transport_order()
        order.write(
            {
                "mode": "air",
                "equipment": "uld",
                "lane_id": False,
                "carrier_id": self.air.id,
                "estimated_cost": ESTIMATE,
            }
        )
        return order, self.flown(picking, airbill)

    def airbill(self, number, *charges, **values):
        """The shipment of air waybill ``number``, Chicago to Orlando, charged ``charges``
        ((code, amount, description) triples)."""
        return c.FreightShipment(
            references={"airbill": number},
            tracking_numbers=[number],
            origin="ORD",
            destination="MCO",
            ship_date=date(2026, 11, 24),
            delivery_date=date(2026, 11, 25),
            charges=[
                c.Charge(code, Decimal(amount), label, code_list=c.CODE_LIST_X12_150)
                for code, amount, label in charges
            ],
            **values,
        )

    def air_invoice(self, number, *airbills):
        """Aero Cargo's invoice ``number`` of ``airbills``, its total their charges."""
        numbers = [n for airbill in airbills for n in airbill.tracking_numbers]
        invoice = c.FreightInvoice(
            invoice_number=number,
            invoice_date=INVOICE_DATE,
            due_date=DUE_DATE,
            carrier="ACAR",
            payment_method="prepaid",
            currency="USD",
            tracking_number=numbers[0],
            tracking_numbers=numbers,
            shipments=list(airbills),
            mode="air",
        )
        invoice.total = invoice.charges_total()
        return invoice

    def send_110(self, *invoices):
        """Aero Cargo sends ``invoices`` as 110s in one interchange; the freight invoices
        received, in order."""
        _message, documents = self.carrier_sends(
            self.air, "110", [air_invoice_segments(invoice) for invoice in invoices]
        )
        self.assertEqual(documents.type_id.code, "billing.invoice.110")
        for document in documents:
            self.assertEqual(document.state, "done", document.error_text)
        self.Invoice._cron_bill()  # woken by the audit, as its scheduled action is
        return self.Invoice.search([("message_id", "in", documents.ids)], order="id")

    def test_a_110_of_two_airbills_is_matched_by_airbill_audited_and_billed(self):
        delivery = self.flown_delivery("176-10000011")
        order, load = self.air_load("176-10000022")
        order.state = "delivered"  # as the carrier's delivery milestone leaves it
        self.env.flush_all()  # the report is a query on the tables
        Accrual = self.env["logistics.freight.accrual.report"]
        self.assertEqual(Accrual.search([("transport_order_id", "=", order.id)]).expected, ESTIMATE)
        (received,) = self.send_110(
            self.air_invoice(
                "AC-2026-0481",
                self.airbill(
                    "176-10000011",
                    ("400", "900.00", "AIR FREIGHT"),
                    ("405", "80.00", "FUEL SURCHARGE"),
                    ("DSC", "-30.00", "VOLUME DISCOUNT"),
                    weight_kg=400.0,
                    pieces=1,
                ),
                self.airbill(
                    "176-10000022",
                    ("400", "2300.00", "AIR FREIGHT"),
                    ("405", "150.00", "FUEL SURCHARGE"),
                    weight_kg=2400.0,
                    pieces=6,
                ),
            )
        )
        self.assertEqual(received.state, "billed", received.audit_note)
        self.assertEqual(
            (received.name, received.mode, received.carrier_id, received.carrier_code),
            ("AC-2026-0481", "air", self.air, "ACAR"),
        )
        self.assertEqual((received.invoice_date, received.due_date), (INVOICE_DATE, DUE_DATE))
        self.assertEqual(received.tracking_numbers, "176-10000011, 176-10000022")
        self.assertEqual(
            (received.document_total, received.billed_total, received.expected_total),
            (QUOTE + ESTIMATE, QUOTE + ESTIMATE, QUOTE + ESTIMATE),
        )
        self.assertEqual(received.picking_ids, delivery | load)
        self.assertEqual(received.transport_order_ids, order, "the load its transfer is in")
        self.assertFalse(
            Accrual.search([("transport_order_id", "=", order.id)]), "billed: not to accrue"
        )
        self.assertEqual(received.sale_order_ids, delivery.sale_id | order.sale_order_id)
        self.assertEqual(received.customer_id, self.customer)
        # Each airbill names its delivery by its number, the transfer's tracking reference;
        # the load's costs what it was estimated at, the delivery what the method quoted.
        self.assertEqual(
            [
                (
                    shipment.picking_id,
                    shipment.matched_by,
                    shipment.expected_source,
                    shipment.expected,
                    shipment.billed,
                    shipment.tracking_numbers,
                    shipment.other_references,
                    shipment.weight_kg,
                    shipment.delivery_date,
                )
                for shipment in received.shipment_ids
            ],
            [
                (
                    delivery,
                    "tracking_number",
                    "quote",
                    QUOTE,
                    QUOTE,
                    "176-10000011",
                    "airbill: 176-10000011",
                    400.0,
                    date(2026, 11, 25),
                ),
                (
                    load,
                    "tracking_number",
                    "estimate",
                    ESTIMATE,
                    ESTIMATE,
                    "176-10000022",
                    "airbill: 176-10000022",
                    2400.0,
                    date(2026, 11, 25),
                ),
            ],
        )
        self.assertEqual(
            sorted(
                (line.shipment_id.sequence, line.code, line.amount) for line in received.line_ids
            ),
            [(1, "400", 900.0), (1, "405", 80.0), (1, "DSC", -30.0)]
            + [(2, "400", 2300.0), (2, "405", 150.0)],
        )
        self.assertEqual(
            {(row.kind, row.verdict) for row in received.audit_line_ids},
            {("rate", "ok"), ("total", "ok")},
        )

        bill = received.move_id
        self.assertEqual((bill.move_type, bill.state), ("in_invoice", "posted"))
        self.assertEqual((bill.partner_id, bill.ref), (self.air, "AC-2026-0481"))
        self.assertEqual((bill.invoice_date, bill.invoice_date_due), (INVOICE_DATE, DUE_DATE))
        self.assertEqual(
            sorted(
                (line.product_id.default_code, line.price_unit) for line in bill.invoice_line_ids
            ),
            [("FRT-DISCOUNT", -30.0), ("FRT-FREIGHT", 3200.0), ("FRT-FUEL", 230.0)],
        )
        self.assertEqual(bill.amount_untaxed, QUOTE + ESTIMATE)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", bill.id)]
        )
        self.assertEqual(attachment.name, "ACAR-AC-2026-0481.edi")
        self.assertIn(b"ST*110*", attachment.raw, "the 110 is attached as it came")
        self.assertIn(b"N9*AW*176-10000011", attachment.raw)

    def test_an_air_code_nobody_mapped_waits_until_it_is(self):
        delivery = self.flown_delivery("176-10000033")
        (received,) = self.send_110(
            self.air_invoice(
                "AC-2026-0482",
                self.airbill("176-10000033", ("080", "950.00", "AIR TRANSPORTATION")),
            )
        )
        # 080 Air Transportation Charge is a published element 150 code, seeded without a
        # charge type: a person says what it is before it is billed.
        self.assertEqual(received.state, "exception")
        self.assertIn("Charge code 080", received.audit_note)
        self.assertIn("has no charge type", received.audit_note)
        self.assertEqual(received.picking_ids, delivery, "matched all the same")
        self.assertFalse(received.move_id)

        code = self.env["logistics.freight.charge.code"].search(
            [("code", "=", "080"), ("code_list", "=", c.CODE_LIST_X12_150)]
        )
        self.assertEqual(len(code), 1, "every carrier's")
        self.assertFalse(code.carrier_id or code.charge_type_id)
        code.charge_type_id = self.freight
        received.action_audit()
        self.assertEqual(received.state, "billed", received.audit_note)
        self.assertEqual(received.line_ids.charge_type_id, self.freight)
        self.assertEqual(received.move_id.amount_untaxed, QUOTE)

    def test_an_airbill_above_its_quote_is_a_variance_and_short_paid(self):
        delivery = self.flown_delivery("176-10000044")
        (received,) = self.send_110(
            self.air_invoice(
                "AC-2026-0483", self.airbill("176-10000044", ("400", "1000.00", "AIR FREIGHT"))
            )
        )
        # 50.00 above the quote: the rule allows the stricter of 25.00 and 2 % (19.00).
        self.assertEqual(received.state, "variance")
        self.assertEqual(received.picking_ids, delivery)
        self.assertIn("above what was expected", received.audit_note)
        rate = received.audit_line_ids.filtered(lambda row: row.kind == "rate")
        self.assertEqual(
            (rate.billed, rate.expected, rate.verdict, rate.allowed_over),
            (1000.0, QUOTE, "over", 19.0),
        )
        self.assertFalse(received.move_id)

        received.action_short_pay()
        self.assertEqual(received.state, "billed")
        self.assertEqual((received.move_id.amount_untaxed, received.disputed_amount), (QUOTE, 50.0))
