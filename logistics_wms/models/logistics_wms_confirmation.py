import hashlib

from odoo import api, fields, models

from logistics_adapters.errors import BusinessError

from .confirmation_plan import ConfirmationPlan, apply_plans
from .stock_picking import CONFIRMING

CONFIRMATION_KINDS = [("shipment", "Shipped"), ("receipt", "Received")]


class LogisticsWmsConfirmation(models.Model):
    """What a 3PL says it shipped or received for one order: applied once, to the
    transfer it validated, kept with its lines for whoever asks what really left."""

    _name = "logistics.wms.confirmation"
    _description = "3PL Confirmation"
    _order = "confirmed_at desc, id desc"

    name = fields.Char(string="3PL order", required=True, readonly=True, index=True)
    kind = fields.Selection(CONFIRMATION_KINDS, required=True, readonly=True)
    backend_id = fields.Many2one("logistics.backend", string="3PL", required=True, readonly=True)
    backend_name = fields.Char(related="backend_id.name", string="3PL name", store=True)
    message_id = fields.Many2one("logistics.message", readonly=True, ondelete="set null")
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", readonly=True, index=True, ondelete="set null"
    )
    backorder_id = fields.Many2one("stock.picking", string="Rest in", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    confirmed_at = fields.Datetime(readonly=True)
    partner_reference = fields.Char(string="3PL shipment", readonly=True)
    carrier_code = fields.Char(string="Carrier", readonly=True)
    tracking_numbers = fields.Char(readonly=True)
    bill_of_lading = fields.Char(readonly=True)
    dedup_key = fields.Char(readonly=True, required=True)
    line_ids = fields.One2many("logistics.wms.confirmation.line", "confirmation_id", readonly=True)
    quantity = fields.Float(compute="_compute_totals", string="Quantity confirmed")
    quantity_short = fields.Float(compute="_compute_totals", string="Short")

    _dedup_unique = models.Constraint(
        "UNIQUE(backend_id, dedup_key)", "A 3PL's confirmation is applied once."
    )

    @api.depends("line_ids.quantity", "line_ids.quantity_ordered")
    def _compute_totals(self):
        for confirmation in self:
            lines = confirmation.line_ids
            confirmation.quantity = sum(lines.mapped("quantity"))
            confirmation.quantity_short = sum(
                max((line.quantity_ordered or 0.0) - line.quantity, 0.0) for line in lines
            )

    @api.model
    def _dedup_key_of(self, document):
        """What makes two confirmations the same news: the 3PL's shipment number when it
        gives one, else the order, the time and the lines."""
        if document.partner_reference:
            return f"{document.kind}|{document.order_reference}|{document.partner_reference}"
        lines = "|".join(
            f"{line.product_code}:{line.quantity}:{','.join(lot.lot_number for lot in line.lots)}"
            for line in document.lines
        )
        when = document.confirmed_at.isoformat() if document.confirmed_at else ""
        digest = hashlib.sha256(lines.encode()).hexdigest()[:16]
        return f"{document.kind}|{document.order_reference}|{when}|{digest}"

    @api.model
    def _apply(self, message, document):
        """Apply ``document`` (a canonical ShipConfirmation) from ``message``: the open
        transfer of its order validated with what it says, or nothing at all.

        Raises BusinessError naming every line and field that cannot be applied."""
        outcome = self._apply_many([(message, document)])[message]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    @api.model
    def _apply_many(self, items):
        """Apply ``items``, ``(message, document)`` pairs of confirmations of different
        orders, together: their transfers validated in one go. Return, by message, its
        confirmation (an empty one when it was applied before) or the BusinessError that
        kept it from being applied (nothing of it written)."""
        keys = {message: self._dedup_key_of(document) for message, document in items}
        known = {
            (confirmation.backend_id.id, confirmation.dedup_key)
            for confirmation in self.search([("dedup_key", "in", list(keys.values()))])
        }
        outcome, plans, looked_up = {}, {}, {}
        for message, document in items:
            if (message.backend_id.id, keys[message]) in known:
                message.message_post(
                    body=self.env._(
                        "The confirmation of %(order)s was applied before: nothing done again.",
                        order=document.order_reference,
                    )
                )
                outcome[message] = self.browse()
                continue
            try:
                picking = self._open_transfer(message, document)
                plans[message] = ConfirmationPlan(picking, message.backend_id, document, looked_up)
            except BusinessError as exc:
                outcome[message] = exc
        if plans:
            rests = apply_plans(list(plans.values()))
            confirmations = self.create(
                [
                    self._values(message, plan, rests[plan], keys[message])
                    for message, plan in plans.items()
                ]
            )
            outcome.update(zip(plans, confirmations, strict=True))
        return outcome

    @api.model
    def _values(self, message, plan, backorder, key):
        document, picking = plan.document, plan.picking
        return {
            "name": document.order_reference,
            "kind": document.kind,
            "backend_id": message.backend_id.id,
            "message_id": message.id,
            "picking_id": picking.id,
            "backorder_id": backorder.id,
            "company_id": picking.company_id.id,
            "confirmed_at": document.confirmed_at and document.confirmed_at.replace(tzinfo=None),
            "partner_reference": document.partner_reference,
            "carrier_code": document.carrier,
            "tracking_numbers": ", ".join(plan.tracking_numbers),
            "bill_of_lading": document.bill_of_lading,
            "dedup_key": key,
            "line_ids": [fields.Command.create(vals) for vals in plan.line_vals],
        }

    @api.model
    def _open_transfer(self, message, document):
        """The transfer of the confirmed order still waiting for the 3PL (the original,
        or the backorder of what an earlier confirmation did not ship)."""
        code = "outgoing" if document.kind == "shipment" else "incoming"
        pickings = self.env["stock.picking"]._logistics_wms_transfers(
            document.order_reference, message.company_id, code
        )
        open_ones = pickings.filtered(lambda p: p.state not in ("done", "cancel"))
        if open_ones:
            return open_ones[:1].with_context(**{CONFIRMING: True})
        raise BusinessError(
            self.env._(
                "order %(order)s was %(what)s in full or cancelled before this confirmation "
                "(%(pickings)s): it confirms more than was released; check with the 3PL",
                order=document.order_reference,
                what=self.env._("shipped") if code == "outgoing" else self.env._("received"),
                pickings=", ".join(pickings.mapped("name")),
            )
        )


class LogisticsWmsConfirmationLine(models.Model):
    _name = "logistics.wms.confirmation.line"
    _description = "3PL Confirmation Line"
    _order = "confirmation_id, sequence, id"

    confirmation_id = fields.Many2one(
        "logistics.wms.confirmation", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    line_number = fields.Char(string="Line")
    product_id = fields.Many2one("product.product", readonly=True)
    quantity = fields.Float(digits="Product Unit", readonly=True)
    quantity_ordered = fields.Float(string="Ordered", digits="Product Unit", readonly=True)
    quantity_damaged = fields.Float(string="Damaged", digits="Product Unit", readonly=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    lots = fields.Char(readonly=True)
    package = fields.Char(readonly=True)
    condition = fields.Char(readonly=True)
