import json
import logging

from odoo import api, models
from odoo.exceptions import UserError

from logistics_adapters import canonical as c
from logistics_adapters.errors import BusinessError
from logistics_adapters.partners.easypost.shipment import FORMAT_SHIPMENT, LABEL_MEDIA_TYPES
from logistics_adapters.rating import choose_rate
from logistics_adapters.registry import get as get_codec
from logistics_adapters.transport.http import OutboundClient

_logger = logging.getLogger(__name__)

FLOW_RATE = "carrier.easypost.rate"
FLOW_LABEL = "carrier.easypost.label"
FLOW_REFUND = "carrier.easypost.refund"
FLOW_ANSWER = "carrier.easypost.answer"
#: The label purchase runs inside another transaction: leave the picking to the caller.
CONTEXT_SYNC = "logistics_easypost_sync"
#: ``(policy, carriers, services)`` given by the caller instead of reading the picking.
CONTEXT_POLICY = "logistics_easypost_policy"


class LogisticsHandlerEasyPostShipping(models.AbstractModel):
    """Rates, label purchases and refunds with EasyPost API v2.

    Outbound messages carry the ``POST /v2/shipments`` body (rates, labels) or the parcel to
    refund. Every answer the suite acts on is kept verbatim as a child message of flow
    ``carrier.easypost.answer``, and a bought label's file is attached to that answer, so a
    label is bought once per message whatever happens to the transaction that asked for it.
    """

    _name = "logistics.handler.easypost.shipping"
    _inherit = "logistics.handler"
    _description = "Logistics handler: EasyPost rates, labels and refunds"

    @api.model
    def _send(self, message):
        if message.flow == FLOW_RATE:
            response = message.call_partner("POST", "/shipments", json=self._body(message))
            self._keep_answer(message, response.body)
        elif message.flow == FLOW_LABEL:
            self._buy_label(message)
        elif message.flow == FLOW_REFUND:
            parcel = message.record_ref
            response = message.call_partner(
                "POST", f"/shipments/{parcel.shipment_ref}/refund", json={}
            )
            self._keep_answer(message, response.body)
            if not self.env.context.get(CONTEXT_SYNC):
                parcel._logistics_apply_refund(message.outcome())
        else:
            raise BusinessError(f"flow {message.flow} is not an EasyPost shipping flow")
        return True

    # -- labels ------------------------------------------------------------------------

    def _buy_label(self, message):
        """Create the shipment, buy its rate, download the label: each answer of the carrier
        is committed as soon as it arrives, so a retry resumes where the last attempt
        stopped (downloads a label already bought, buys a shipment already created)
        instead of buying again, even from a carrier that ignores ``Idempotency-Key``."""
        answer, objects = self._earlier_answer(message)
        if answer is None:
            created = message.call_partner("POST", "/shipments", json=self._body(message))
            answer = self._keep_answer(message, created.body, committed=True)
            objects = parse_shipment(created.body)
        if not of_kind(objects, c.Label):
            shipment = of_kind(objects, c.Shipment)[0]
            rate = choose_rate(of_kind(objects, c.Rate), *self._policy(message))
            bought = self._buy(message, shipment.partner_reference, rate.partner_rate_id)
            answer = self._keep_answer(message, bought, committed=True)
            objects = parse_shipment(bought)
        self._keep_label_file(message, answer, of_kind(objects, c.Label)[0])
        if not self.env.context.get(CONTEXT_SYNC):
            self._apply_to_picking(message)

    def _earlier_answer(self, message):
        """The furthest an earlier attempt got: its answer carrying a bought label, else its
        created shipment, with their canonical objects; ``(None, None)`` on a first try."""
        answers = message.child_ids.filtered(lambda child: child.flow == FLOW_ANSWER)
        created = (None, None)
        for answer in answers.sorted("id", reverse=True):
            objects = parse_shipment(answer.get_payload())
            if of_kind(objects, c.Label):
                return answer, objects
            if created[0] is None and of_kind(objects, c.Shipment):
                created = (answer, objects)
        return created

    def _buy(self, message, shipment_id, rate_id):
        """Buy ``rate_id``; an earlier attempt that bought it already gives its shipment."""
        try:
            response = message.call_partner(
                "POST", f"/shipments/{shipment_id}/buy", json={"rate": {"id": rate_id}}
            )
        except BusinessError as error:
            if "SHIPMENT.POSTAGE.EXISTS" not in str(error):
                raise
            response = message.call_partner("GET", f"/shipments/{shipment_id}")
        return response.body

    def _keep_label_file(self, message, answer, label):
        """Download the bought ``label`` (a canonical Label) and attach it to ``answer``."""
        if not label.url:
            raise BusinessError(
                f"EasyPost bought label {label.partner_reference} without a label URL: "
                "look at the answer, then retry"
            )
        # The label lives on the carrier's file host: no API key goes there.
        timeout = (message.backend_id.timeout_connect, message.backend_id.timeout_read)
        with OutboundClient(label.url, timeout=timeout) as client:
            response = client.get("")
        media_type = response.headers.get("Content-Type") or LABEL_MEDIA_TYPES.get(
            label.file_format, ""
        )
        self.env["ir.attachment"].sudo().create(
            {
                "name": label.url.rsplit("/", 1)[-1].split("?", 1)[0] or "label",
                "raw": response.body,
                "mimetype": media_type.split(";", 1)[0] or "application/octet-stream",
                "res_model": "logistics.message",
                "res_id": answer.id,
            }
        )

    def _apply_to_picking(self, message):
        """After a retry from the workbench: ship the validated delivery with its label."""
        picking = message.record_ref
        if not picking or picking._name != "stock.picking":
            return
        if picking.state == "done" and not picking.carrier_tracking_ref:
            try:
                with self.env.cr.savepoint():
                    picking.sudo().send_to_shipper()
            except UserError as error:  # another package's label: that message says why
                picking.message_post(body=str(error))
        elif picking.state != "done":
            picking.message_post(
                body=self.env._(
                    "Label bought by %(message)s. It is used when the delivery is validated.",
                    message=message.name,
                )
            )

    # -- helpers -----------------------------------------------------------------------

    def _body(self, message):
        return json.loads(message.get_payload())

    def _policy(self, message):
        given = self.env.context.get(CONTEXT_POLICY)
        if given:
            return given
        picking = message.record_ref
        carrier = picking.carrier_id if picking and picking._name == "stock.picking" else None
        if not carrier:
            return "cheapest", [], []
        return carrier._logistics_rate_policy()

    def _keep_answer(self, message, body, committed=False):
        """Keep the partner's answer verbatim, as a done child message of ``message``
        (``committed``: at once, in a transaction of its own)."""
        answer_type = self.env.ref(
            "logistics_carrier_easypost.logistics_message_type_easypost_answer"
        )
        return message.record_answer(answer_type, body, committed=committed)


def parse_shipment(body):
    """The canonical objects of an EasyPost Shipment answer (``easypost-shipment``)."""
    return get_codec(FORMAT_SHIPMENT).parse(body)


def of_kind(objects, kind):
    """The objects of ``objects`` that are ``kind`` (Shipment, Rate, Label...)."""
    return [obj for obj in objects if isinstance(obj, kind)]
