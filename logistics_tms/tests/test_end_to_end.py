from datetime import datetime, timedelta, timezone

from odoo import fields
from odoo.tests import tagged

from odoo.addons.logistics_integration.tests.common import SftpPartnerMixin

from logistics_adapters import canonical as c
from logistics_adapters.formats.x12 import transport as x12_transport
from logistics_adapters.sandbox import CarrierPartner

from .common import TmsCase


@tagged("post_install", "-at_install")
class TestTenderToDeliveryOverSftp(SftpPartnerMixin, TmsCase):
    """The sandbox plays the three carriers of the lane over a real SFTP server: the first
    declines, the second stays silent past its deadline, the third accepts and sends its
    214s, which deliver the picking; a late 214 changes nothing."""

    def setUp(self):
        super().setUp()
        scacs = [carrier.logistics_scac for carrier in self.carriers]
        self._start_sftp(
            f"{scac}/{name}" for scac in scacs for name in ("to_carrier", "from_carrier")
        )
        self.inbound = {}
        self.sandbox = {}
        for carrier, scenario in zip(self.carriers, ("decline", "silent", "accept"), strict=True):
            scac = carrier.logistics_scac
            self.inbound[scac] = self._sftp_channels(
                carrier.logistics_tms_backend_id, f"{scac}/to_carrier", f"{scac}/from_carrier", scac
            )
            partner = CarrierPartner(
                self._sftp_folder(f"{scac}/to_carrier"),
                self._sftp_folder(f"{scac}/from_carrier"),
                scac=scac,
                our_id=("ZZ", "MYCOMPANY"),
                scenario=scenario,
                first_control=100,
            )
            self.addCleanup(partner.stop)
            self.sandbox[scac] = partner

    def send_tenders(self, order):
        """Work what the order queued for the carriers (written over SFTP)."""
        pending = self.env["logistics.message"].search(
            [("res_model", "=", order._name), ("res_id", "=", order.id), ("state", "=", "pending")]
        )
        pending.work_now()
        self.assertEqual(set(pending.mapped("state")), {"done"}, pending.mapped("error_text"))

    def carrier_turn(self, scac):
        """The carrier takes its files and answers; Odoo takes the answers and works them."""
        self.sandbox[scac].pickup()
        return self.take(scac)

    def take(self, scac):
        return self._take_files(self.inbound[scac])

    def test_declined_silent_accepted_then_delivered(self):
        order, sale, picking = self.transport_order()
        order.action_tender()
        self.send_tenders(order)
        self.carrier_turn("PRFR")  # declines
        tenders = order.tender_ids.sorted("sequence")
        self.assertEqual(tenders.mapped("state"), ["declined", "sent"])
        self.assertEqual(tenders[0].reason, "EQU")

        self.send_tenders(order)
        (ack,) = self.carrier_turn("GCLN")  # a 997, no 990
        self.assertEqual(ack.child_ids.mapped("edi_document"), [])
        self.assertEqual(tenders[1].message_id.edi_ack_state, "accepted")
        tenders[1].deadline = fields.Datetime.now() - timedelta(minutes=1)
        self.env["logistics.transport.tender"]._cron_expire()
        self.assertEqual(tenders[1].state, "expired")

        self.send_tenders(order)
        self.carrier_turn("LKEX")  # accepts
        self.assertEqual((order.state, order.carrier_id.logistics_scac), ("accepted", "LKEX"))
        self.assertTrue(order.pro_number.startswith("LKEX"))
        self.assertEqual(order.estimated_cost, 2100.0)
        self.assertEqual(sale.logistics_freight_estimate, 2100.0)

        self.sandbox["LKEX"].play_now()  # picked up, en route, delivered
        self.take("LKEX")
        self.assertEqual(order.state, "delivered")
        self.assertEqual(picking.logistics_status, "delivered")
        self.assertEqual(
            # The sandbox dates each 214 now, to the second: in the same second, by arrival.
            order.milestone_ids.sorted(lambda m: (m.occurred_at, m.id)).mapped("partner_status"),
            ["AF", "X6", "D1"],
        )

        late = c.Milestone(
            reference=order.name,
            status="unknown",
            partner_status="X3",
            occurred_at=datetime.now(timezone.utc) - timedelta(days=2),
            tracking_number=order.pro_number,
            carrier="LKEX",
        )
        self.sandbox["LKEX"].send("214", [x12_transport.status_segments([late])])
        self.take("LKEX")
        self.assertEqual(order.state, "delivered", "a late 214 changes nothing")
        self.assertEqual(picking.logistics_status, "delivered")
        self.assertEqual(len(order.milestone_ids), 4)
