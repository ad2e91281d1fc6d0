import time

from odoo import api, models

from odoo.addons.logistics_integration.engine import Result

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import BusinessError

from .logistics_transport_order import _first_known
from .logistics_transport_tender import ANSWERS


class LogisticsHandlerTmsResponse(models.AbstractModel):
    """A carrier's answer to a load tender (X12 990, or the same from a JSON TMS): the
    tender it answers is accepted, declined (the next carrier gets the load) or accepted
    with conditions (a person decides)."""

    _name = "logistics.handler.tms.response"
    _inherit = "logistics.handler"
    _description = "Logistics handler: load tender answers"

    @api.model
    def _process(self, message, data):
        Order = self.env["logistics.transport.order"]
        for answer in data:
            order = Order._find_by_reference(answer)
            if not order:
                raise BusinessError(
                    f"the answer is about load {answer.reference!r}, which is no transport "
                    "order of this company: check the reference with the carrier, then retry"
                )
            tender = self._tender_of(order, message.backend_id, answer)
            if answer.status not in ANSWERS:
                raise BusinessError(
                    f"the answer about {order.name} says {answer.status!r}, neither accepted "
                    "nor declined: read it with the carrier"
                )
            tender._apply_answer(answer, message)
        return True

    @api.model
    def _tender_of(self, order, backend, answer):
        tenders = order.tender_ids.filtered(
            lambda tender: (
                tender.backend_id == backend
                and (not answer.carrier or tender.scac == answer.carrier)
            )
        )
        tender = tenders.sorted("sequence")[-1:]
        if not tender:
            raise BusinessError(
                f"{order.name} was not tendered through this backend: an answer from a "
                "carrier it was not offered to changes nothing"
            )
        return tender


class LogisticsHandlerTmsJson(models.AbstractModel):
    """Tenders a load to a TMS with a JSON API: posts the canonical order to its
    ``/loads`` and applies the answer it gives at once (accepted, declined, with
    conditions), kept verbatim as a child of the tender's message."""

    _name = "logistics.handler.tms.json"
    _inherit = "logistics.handler"
    _description = "Logistics handler: load tenders to a JSON TMS"

    @api.model
    def _send(self, message):
        response = message.call_partner(
            "POST",
            "/loads",
            data=message.get_payload(),
            headers={"Content-Type": "application/json"},
        )
        answers = [
            answer
            for answer in registry.get("canonical-json").parse(response.body)
            if isinstance(answer, c.TransportOrder) and answer.status in ANSWERS
        ]
        if not answers:
            return True  # a cancellation, acknowledged
        flow = self.env.ref("logistics_tms.logistics_message_type_tms_tender_json_answer")
        kept = message.record_answer(flow, response.body)
        tender = self.env["logistics.transport.tender"].search(
            [("message_id", "=", message.id)], limit=1
        )
        for answer in answers:
            tender._apply_answer(answer, kept)
        return True


class LogisticsHandlerTmsStatus(models.AbstractModel):
    """Milestones of transport orders (X12 214, EDIFACT IFTSTA, container events): each
    one on its order, once, and on the order's deliveries; a claimed batch of messages is
    applied set-based (orders found in one search, milestones created in one statement,
    each order written once)."""

    _name = "logistics.handler.tms.status"
    _inherit = "logistics.handler"
    _description = "Logistics handler: transport milestones"

    @api.model
    def _process(self, message, data):
        result = self._apply_all([(message, data)], time.monotonic())[message]
        if result.error:
            raise result.error
        return True

    @api.model
    def _process_many(self, items):
        """The whole batch at once; should the batch itself fail, each message alone."""
        started = time.monotonic()
        try:
            with self.env.cr.savepoint():
                return self._apply_all(items, started)
        except Exception:
            return super()._process_many(items)

    @api.model
    def _apply_all(self, items, started):
        Order = self.env["logistics.transport.order"]
        # A JSON partner may send other canonical objects beside its milestones.
        items = [
            (message, [m for m in data if isinstance(m, c.Milestone)]) for message, data in items
        ]
        index = Order._index_by_reference([m for _message, data in items for m in data])
        entries, failed = [], {}
        for message, data in items:
            matched = [(index[ref], m, message) for m in data if (ref := _first_known(m, index))]
            unknown = sorted({m.reference for m in data if not _first_known(m, index)})
            if unknown and not matched:
                failed[message] = BusinessError(
                    f"no transport order for {', '.join(unknown)}: check the load reference "
                    "with the carrier (or set it as PRO, BOL, container or booking on the "
                    "order), then retry"
                )
                continue
            if unknown:
                message.message_post(
                    body=self.env._(
                        "Milestones for unknown loads were left aside: %(refs)s",
                        refs=", ".join(unknown),
                    )
                )
            entries += matched
        Order._apply_milestone_batch(entries)
        share = (time.monotonic() - started) * 1000 / max(len(items), 1)
        return {message: Result(failed.get(message), "", share) for message, _data in items}
