"""Factories of the freight billing tests: the transport tests' carriers, lane and
delivery (Prairie Freight takes the load at its contract rate of 1,800.00), delivered, and
the carrier's freight invoices as it sends them: X12 210s built with the suite's own codec,
through its EDI backend."""

from datetime import date
from decimal import Decimal

from odoo.addons.logistics_tms.tests.common import TmsCase

from logistics_adapters import canonical as c
from logistics_adapters.formats.x12.billing import invoice_segments

RATE = 1800.0


def stock_and_pod_carrier(env, carrier_name):
    """Goods invoiced on delivery, ten of them in stock, and a delivery method that holds
    the invoice until proof of delivery (and posts it then)."""
    product = env["product.product"].create(
        {
            "name": "Pallet of tiles",
            "is_storable": True,
            "invoice_policy": "delivery",
            "list_price": 250.0,
        }
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
    carrier = env["delivery.carrier"].create(
        {
            "name": carrier_name,
            "product_id": env["product.product"].create({"name": "Freight", "type": "service"}).id,
            "logistics_invoice_on_delivery": True,
            "logistics_post_invoice_on_delivery": True,
        }
    )
    return product, carrier


class BillingCase(TmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carrier = cls.carriers[0]
        cls.env.company.logistics_freight_post_bills = True
        cls.Invoice = cls.env["logistics.freight.invoice"]

    def delivered_order(self):
        """A load tendered to Prairie Freight, accepted with a PRO and delivered; ``order``."""
        order, _sale, _picking = self.transport_order()
        order.action_tender()
        self.answer(self.carrier, order, "accepted")
        order.pro_number = order.pro_number or f"PRO{order.id:07d}"
        self.status(self.carrier, order, ("D1", 2))
        self.assertEqual(order.state, "delivered")
        return order

    def invoice(self, number, order=None, charges=(("400", RATE),), **values):
        """A canonical freight invoice of ``order`` by Prairie Freight, of ``charges``
        (code, amount) pairs."""
        references = {"pro": order.pro_number} if order else {}
        references.update(values.pop("references", {}))
        charges = [
            c.Charge(code=code, amount=Decimal(str(amount)), code_list=c.CODE_LIST_X12_150)
            for code, amount in charges
        ]
        return c.FreightInvoice(
            invoice_number=number,
            invoice_date=date(2026, 12, 1),
            carrier=self.carrier.logistics_scac,
            shipment_reference=values.pop("shipment_reference", order.name if order else ""),
            currency="USD",
            charges=charges,
            references=references,
            **values,
        )

    def send(self, *invoices):
        """The carrier sends ``invoices`` as 210s in one interchange; the freight invoices
        received, in order."""
        _message, documents = self.carrier_sends(
            self.carrier, "210", [invoice_segments(invoice) for invoice in invoices]
        )
        for document in documents:
            self.assertEqual(document.state, "done", document.error_text)
        self.Invoice._cron_bill()  # woken by the audit, as its scheduled action is
        return self.Invoice.search([("message_id", "in", documents.ids)], order="id")
