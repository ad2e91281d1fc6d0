import logging
import time

from odoo import api, models

from odoo.addons.logistics_integration.engine import Result

from logistics_adapters import canonical as c
from logistics_adapters.errors import BusinessError

from .confirmation_plan import tracking_numbers
from .stock_picking import CONFIRMING

_logger = logging.getLogger(__name__)


def _confirms(document):
    """Whether ``document`` is a confirmation with lines (one that validates a transfer)."""
    return isinstance(document, c.ShipConfirmation) and bool(document.lines)


def _order_of(document):
    """The 3PL order a document is about."""
    return getattr(document, "order_reference", "") or getattr(document, "reference", "")


class LogisticsHandlerWms(models.AbstractModel):
    """Whatever a 3PL sends, by what it is: a shipping or receipt confirmation with its
    lines (X12 945, 856, 944, JSON, webhooks) validates the transfer of its order, whole
    or not at all; a shipment without lines (tracking received, label created) gives the
    transfer its carrier and tracking numbers; an order's status at the 3PL (allocated,
    on hold...) is noted on the transfer, never older news over newer; stock (X12 846,
    inventory webhooks) becomes a snapshot reconciled with Odoo's."""

    _name = "logistics.handler.wms"
    _inherit = "logistics.handler"
    _description = "Logistics handler: what 3PLs send"

    @api.model
    def _process_many(self, items):
        """Messages that each confirm one order, the orders all different, applied
        together (their transfers validated in one go); the others, and the batch should it
        fail as a whole, one message at a time, after it."""
        started = time.monotonic()
        batch, rest, seen = [], [], set()
        for message, data in items:
            documents = data if isinstance(data, list) else []
            orders = {_order_of(document) for document in documents}
            lined = len(documents) == 1 and _confirms(documents[0])
            if lined and not orders & seen:
                batch.append((message, data))
            else:
                rest.append((message, data))
            seen |= orders
        results = {}
        if len(batch) > 1:
            Confirmation = self.env["logistics.wms.confirmation"].sudo()
            try:
                with self.env.cr.savepoint():
                    outcome = Confirmation._apply_many([(m, data[0]) for m, data in batch])
            except Exception:
                _logger.warning(
                    "A batch of %s 3PL confirmations failed; applying each alone",
                    len(batch),
                    exc_info=True,
                )
                rest = batch + rest
            else:
                share = (time.monotonic() - started) * 1000 / len(batch)
                for message, _data in batch:
                    error = outcome[message]
                    results[message] = Result(
                        error if isinstance(error, Exception) else None, "", share
                    )
        else:
            rest = batch + rest
        results.update(super()._process_many(rest))
        return results

    @api.model
    def _process(self, message, data):
        handled = False
        for document in data:
            if _confirms(document):
                self.env["logistics.wms.confirmation"].sudo()._apply(message, document)
            elif isinstance(document, c.ShipConfirmation):
                self._tracking_news(message, document)
            elif isinstance(document, c.WarehouseOrder):
                self._order_news(message, document)
            elif isinstance(document, c.InventorySnapshot):
                warehouse = self._warehouse_of(message, document)
                self.env["logistics.wms.snapshot"].sudo()._store(message, document, warehouse)
            else:
                continue
            handled = True
        nothing_yet = not data and self._is_poll_answer(message)
        if not handled and not nothing_yet:
            raise BusinessError(
                "the 3PL's message holds no confirmation, order status or inventory: check "
                "the flow's format (or the webhook's topic) with the 3PL"
            )
        return True

    @api.model
    def _is_poll_answer(self, message):
        """An answer to a poll may say that nothing shipped yet: that is news too."""
        return message.type_id == message.backend_id.wms_poll_type_id

    @api.model
    def _warehouse_of(self, message, document):
        warehouses = (
            self.env["stock.warehouse"]
            .sudo()
            .search(
                [
                    ("logistics_wms_backend_id", "=", message.backend_id.id),
                    ("company_id", "=", message.company_id.id),
                ]
            )
        )
        if len(warehouses) > 1 and document.warehouse:
            warehouses = warehouses.filtered(lambda w: w.code == document.warehouse) or warehouses
        if len(warehouses) != 1:
            raise BusinessError(
                f"the snapshot is of warehouse {document.warehouse or '(not named)'!r}, and "
                f"{len(warehouses)} warehouses are operated by this 3PL: set it as the 3PL of "
                "exactly one warehouse, or have it name the warehouse by its short name"
            )
        return warehouses

    @api.model
    def _tracking_news(self, message, document):
        """The carrier and tracking numbers of a shipment the 3PL made, on the transfer it
        shipped: the one its confirmation validated, else the order's latest (the news came
        before the confirmation)."""
        transfers = self.env["stock.picking"]._logistics_wms_transfers(
            document.order_reference, message.company_id
        )
        confirmed = document.partner_reference and self.env[
            "logistics.wms.confirmation"
        ].sudo().search(
            [
                ("backend_id", "=", message.backend_id.id),
                ("partner_reference", "=", document.partner_reference),
                ("picking_id", "in", transfers.ids),
            ],
            limit=1,
        )
        picking = confirmed.picking_id if confirmed else transfers[-1]
        known = (picking.carrier_tracking_ref or "").split(",")
        merged = list(
            dict.fromkeys(n.strip() for n in known + tracking_numbers(document) if n.strip())
        )
        values = {"carrier_tracking_ref": ",".join(merged)}
        carrier = self.env["delivery.carrier"]._logistics_wms_carrier(
            document.carrier, picking.company_id, picking.carrier_id
        )
        if carrier:
            values["carrier_id"] = carrier.id
        picking.with_context(**{CONFIRMING: True}).write(values)
        self._note(picking, document.status, document.confirmed_at)

    @api.model
    def _order_news(self, message, document):
        transfers = self.env["stock.picking"]._logistics_wms_transfers(
            document.reference, message.company_id
        )
        for picking in transfers.filtered(lambda p: p.state not in ("done", "cancel")):
            self._note(picking, document.status, document.status_at)

    @api.model
    def _note(self, picking, status, at):
        """Keep the 3PL's own status of ``picking`` when it is news: a status older than
        the one kept is out of order, and changes nothing."""
        if not status:
            return
        at = at.replace(tzinfo=None) if at and at.tzinfo else at
        if at and picking.logistics_wms_status_at and at < picking.logistics_wms_status_at:
            return
        picking.write({"logistics_wms_status": status, "logistics_wms_status_at": at or False})
        picking.message_post(
            body=self.env._("The 3PL says: %(status)s.", status=status.replace("_", " "))
        )


class LogisticsHandlerWmsJson(models.AbstractModel):
    """Releases an order to a 3PL with a JSON API: the canonical order posted to its
    ``/orders`` (a change or cancellation too, by its ``purpose``); the 3PL's answer is
    kept with the message, its confirmations come later by webhook."""

    _name = "logistics.handler.wms.json"
    _inherit = "logistics.handler"
    _description = "Logistics handler: orders to a JSON 3PL"

    @api.model
    def _send(self, message):
        message.call_partner(
            "POST",
            "/orders",
            data=message.get_payload(),
            headers={"Content-Type": "application/json"},
        )
        return True
