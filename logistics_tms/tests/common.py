"""Factories of the transport management tests: carriers with EDI backends writing to
folders of their own, a lane, a confirmed sale order's delivery, and the carriers' X12
answers built with the suite's own codecs."""

import itertools
import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from odoo.tests import TransactionCase

from odoo.addons.logistics_integration.models.logistics_demo import DemoEdiPartner

from logistics_adapters import canonical as c
from logistics_adapters.formats.x12 import transport as x12_transport

US = ("ZZ", "MYCOMPANY")


class TmsCase(TransactionCase):
    """Three carriers on one lane (Illinois to Florida, truckload), and a confirmed order
    of goods from the warehouse in Chicago to a customer in Orlando."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.folder = Path(tempfile.mkdtemp(prefix="lgi-tms-"))
        cls.addClassCleanup(shutil.rmtree, cls.folder, ignore_errors=True)
        cls.numbers = itertools.count(5000)
        us_country = cls.env.ref("base.us")
        cls.illinois = cls.env.ref("base.state_us_14")
        cls.florida = cls.env.ref("base.state_us_10")
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        warehouse.partner_id.write(
            {
                "city": "Chicago",
                "state_id": cls.illinois.id,
                "zip": "60601",
                "country_id": us_country.id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Orlando Tiles",
                "city": "Orlando",
                "state_id": cls.florida.id,
                "zip": "32801",
                "country_id": us_country.id,
            }
        )
        cls.carriers = [cls._carrier(name, scac) for name, scac in CARRIERS]
        cls.lane = cls.env["logistics.routing.lane"].create(
            {
                "name": "Illinois to Florida, truckload",
                "origin_country_id": us_country.id,
                "origin_state_id": cls.illinois.id,
                "destination_country_id": us_country.id,
                "destination_state_id": cls.florida.id,
                "mode": "ftl",
                "line_ids": [
                    (0, 0, {"carrier_id": carrier.id, "rate": rate, "response_hours": 2})
                    for carrier, rate in zip(cls.carriers, (1800.0, 1950.0, 2100.0), strict=True)
                ],
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Pallet of tiles", "is_storable": True, "weight": 400.0, "list_price": 250}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.product, warehouse.lot_stock_id, 50)

    @classmethod
    def _carrier(cls, name, scac):
        backend = cls.env["logistics.backend"].create(
            {
                "name": f"{name} EDI",
                "code": f"tms-{scac.lower()}",
                "kind": "tms",
                "edi_standard": "x12",
                "edi_our_id": US[1],
                "edi_partner_id": scac,
                "edi_ack_policy": "none",
            }
        )
        folder = cls.folder / scac
        folder.mkdir()
        cls.env["logistics.file.channel"].create(
            {
                "name": f"{name}: tenders",
                "backend_id": backend.id,
                "direction": "outbound",
                "transport": "local",
                "path": str(folder),
            }
        )
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "logistics_scac": scac,
                "logistics_tms_backend_id": backend.id,
            }
        )

    def confirmed_delivery(self, quantity=6):
        """A confirmed sale order's delivery; ``(sale, picking)``."""
        sale = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "client_order_ref": "PO-8841",
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "product_uom_qty": quantity})
                ],
            }
        )
        sale.action_confirm()
        return sale, sale.picking_ids

    def transport_order(self):
        sale, picking = self.confirmed_delivery()
        action = picking.action_logistics_transport_order()
        return self.env["logistics.transport.order"].browse(action["res_id"]), sale, picking

    def sent_tenders(self, order):
        """Work the order's queued 204s (they are written to the carrier's folder)."""
        messages = order.tender_ids.mapped("message_id").filtered(lambda m: m.state == "pending")
        messages.work_now()
        return messages

    def carrier_sends(self, carrier, kind, sets):
        """``carrier``'s interchange of ``sets`` of ``kind``, received and worked with what
        it holds."""
        backend = carrier.logistics_tms_backend_id
        return DemoEdiPartner(backend, numbers=self.numbers).sends(kind, sets)

    def answer(self, carrier, order, status, reason=""):
        """``carrier`` answers ``order``'s tender with a 990."""
        response = c.TransportOrder(
            reference=order.name,
            carrier=carrier.logistics_scac,
            status=status,
            decline_reason=reason,
        )
        return self.carrier_sends(carrier, "990", [x12_transport.response_segments(response)])

    def status(self, carrier, order, *events):
        """``carrier`` reports ``events`` (AT7 code, hours ago[, extra Milestone fields])
        for ``order`` in one 214."""
        now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
        milestones = [
            c.Milestone(
                reference=order.name,
                status="unknown",  # the 214 says only the code; the reader maps it
                partner_status=code,
                occurred_at=now - timedelta(hours=hours) if hours is not None else None,
                tracking_number=order.pro_number or order.name,
                carrier=carrier.logistics_scac,
                **extra,
            )
            for code, hours, *more in events
            for extra in [more[0] if more else {}]
        ]
        return self.carrier_sends(carrier, "214", [x12_transport.status_segments(milestones)])


CARRIERS = (("Prairie Freight", "PRFR"), ("Gulf Coast Lines", "GCLN"), ("Lakes Express", "LKEX"))
