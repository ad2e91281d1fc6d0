import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import html2plaintext

from logistics_adapters import canonical as c
from logistics_adapters.canonical import to_jsonable
from logistics_adapters.errors import BusinessError
from logistics_adapters.formats.x12 import warehouse as x12_warehouse

WMS_STATES = [
    ("held", "Held"),
    ("released", "Released"),
    ("partial", "Partly shipped"),
    ("shipped", "Shipped"),
    ("received", "Received"),
    ("recalled", "Recalled"),
    ("cancelled", "Cancelled at the 3PL"),
]
#: States in which the 3PL has the order: it ships it, Odoo waits for its confirmation.
AT_THE_3PL = ("released", "partial")
#: Transfer kinds a 3PL is told about, and the X12 set that tells it.
X12_SETS = {
    "outgoing": ("940", x12_warehouse.order_segments),
    "incoming": ("943", x12_warehouse.transfer_segments),
}
#: Picking fields the 3PL sees in a released order: changing one sends a change.
SENT_FIELDS = ("partner_id", "scheduled_date", "carrier_id", "origin")
#: Context key of the confirmation handler, the one that validates a released transfer.
CONFIRMING = "logistics_wms_confirming"


class StockPicking(models.Model):
    _inherit = "stock.picking"

    logistics_wms_backend_id = fields.Many2one(
        "logistics.backend", string="3PL", readonly=True, copy=False, index="btree_not_null"
    )
    logistics_wms_backend_name = fields.Char(
        related="logistics_wms_backend_id.name", string="3PL name"
    )
    logistics_wms_state = fields.Selection(
        WMS_STATES, string="3PL release", readonly=True, copy=False, index=True, tracking=True
    )
    logistics_wms_reference = fields.Char(
        string="3PL order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The order number the 3PL knows this transfer by (a backorder keeps its "
        "original's): its confirmations name it.",
    )
    logistics_wms_released_at = fields.Datetime(string="Released at", readonly=True, copy=False)
    logistics_wms_revision = fields.Integer(readonly=True, copy=False, default=0)
    logistics_wms_status = fields.Char(
        string="3PL status", readonly=True, copy=False, help="The 3PL's own word on the order."
    )
    logistics_wms_status_at = fields.Datetime(string="3PL status at", readonly=True, copy=False)
    logistics_wms_hold = fields.Boolean(string="Held by a person", readonly=True, copy=False)
    logistics_wms_hold_reason = fields.Char(string="Why held", readonly=True, copy=False)
    logistics_wms_late = fields.Boolean(
        string="Late at the 3PL",
        compute="_compute_logistics_wms_late",
        search="_search_logistics_wms_late",
        help="Released and not confirmed shipped within the warehouse's time.",
    )
    logistics_wms_confirmation_ids = fields.One2many(
        "logistics.wms.confirmation", "picking_id", string="3PL confirmations", readonly=True
    )
    logistics_wms_operated = fields.Boolean(compute="_compute_logistics_wms_operated")

    @api.depends("picking_type_id.warehouse_id.logistics_wms_backend_id")
    def _compute_logistics_wms_operated(self):
        for picking in self:
            picking.logistics_wms_operated = bool(picking._logistics_wms_backend()) and (
                picking.picking_type_code in X12_SETS
            )

    @api.depends("logistics_wms_state", "logistics_wms_released_at")
    def _compute_logistics_wms_late(self):
        now = fields.Datetime.now()
        for picking in self:
            hours = picking.picking_type_id.warehouse_id.logistics_wms_sla_hours
            picking.logistics_wms_late = bool(
                picking.logistics_wms_state in AT_THE_3PL
                and hours
                and picking.logistics_wms_released_at
                and picking.logistics_wms_released_at + timedelta(hours=hours) < now
            )

    def _search_logistics_wms_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search late 3PL orders with = or != and a yes/no."))
        late = []
        for warehouse in self.env["stock.warehouse"].search(
            [("logistics_wms_backend_id", "!=", False), ("logistics_wms_sla_hours", ">", 0)]
        ):
            since = fields.Datetime.now() - timedelta(hours=warehouse.logistics_wms_sla_hours)
            late.append(
                Domain("picking_type_id.warehouse_id", "=", warehouse.id)
                & Domain("logistics_wms_released_at", "<", since)
            )
        domain = Domain("logistics_wms_state", "in", AT_THE_3PL) & Domain.OR(late or [Domain.FALSE])
        return domain if (operator == "=") == value else ~domain

    # ------------------------------------------------------------------ release

    def _logistics_wms_check_manager(self):
        if not self.env.user.has_group("logistics_wms.group_wms_manager"):
            raise AccessError(
                self.env._("Only a warehouse manager releases, holds and recalls 3PL orders.")
            )

    def _logistics_wms_backend(self):
        return self.picking_type_id.warehouse_id.logistics_wms_backend_id

    def _logistics_wms_held_because(self):
        """Why this transfer may not go to the 3PL yet, in words; empty when it may."""
        self.ensure_one()
        if self.logistics_wms_hold:
            return self.logistics_wms_hold_reason or self.env._("held by a person")
        warehouse = self.picking_type_id.warehouse_id
        sale = self.sale_id
        if warehouse.logistics_wms_hold_unpaid and sale and self.picking_type_code == "outgoing":
            invoices = sale.invoice_ids.filtered(
                lambda move: move.move_type == "out_invoice" and move.state == "posted"
            )
            if not invoices or any(i.payment_state not in ("paid", "in_payment") for i in invoices):
                return self.env._("%(order)s is not paid", order=sale.name)
        return ""

    def _logistics_wms_ready(self):
        """The transfers of a 3PL's warehouse that can be released now: deliveries whose
        goods are reserved, expected receipts; not released yet."""
        return self.filtered(
            lambda p: (
                p.logistics_wms_operated
                and p.logistics_wms_state in (False, "held", "recalled")
                and (
                    p.state == "assigned"
                    or (p.picking_type_code == "incoming" and p.state in ("confirmed", "assigned"))
                )
            )
        )

    def _logistics_wms_release_ready(self):
        """Release what is ready and not held; mark the held ones (their reason in the
        chatter once)."""
        for picking in self._logistics_wms_ready():
            reason = picking._logistics_wms_held_because()
            if reason:
                if picking.logistics_wms_state != "held":
                    picking.logistics_wms_state = "held"
                    picking.message_post(
                        body=self.env._("Not released to the 3PL: %(reason)s.", reason=reason)
                    )
                continue
            picking._logistics_wms_send("original")

    def action_logistics_wms_release(self):
        """Release the selected transfers to their warehouse's 3PL now."""
        self._logistics_wms_check_manager()
        for picking in self:
            if not picking.logistics_wms_operated:
                raise UserError(
                    self.env._(
                        "%(picking)s is not in a warehouse operated by a 3PL: set one on the "
                        "warehouse (Inventory > Configuration > Warehouses, 3PL tab).",
                        picking=picking.name,
                    )
                )
            if picking.logistics_wms_state in AT_THE_3PL:
                continue
            if not picking._logistics_wms_ready():
                raise UserError(
                    self.env._(
                        "%(picking)s is not ready for the 3PL: check its availability first.",
                        picking=picking.name,
                    )
                )
            reason = picking._logistics_wms_held_because()
            if reason:
                raise UserError(
                    self.env._(
                        "%(picking)s is held: %(reason)s. Release the hold first.",
                        picking=picking.name,
                        reason=reason,
                    )
                )
            picking._logistics_wms_send("original")
        return True

    def action_logistics_wms_hold(self):
        """Keep the selected transfers from the 3PL until a person releases the hold."""
        self._logistics_wms_check_manager()
        for picking in self:
            if picking.logistics_wms_state in AT_THE_3PL:
                raise UserError(
                    self.env._(
                        "%(picking)s is already at the 3PL: recall it to hold it.",
                        picking=picking.name,
                    )
                )
        self.write(
            {
                "logistics_wms_hold": True,
                "logistics_wms_hold_reason": self.env._(
                    "held by %(user)s", user=self.env.user.name
                ),
                "logistics_wms_state": "held",
            }
        )
        return True

    def action_logistics_wms_unhold(self):
        self._logistics_wms_check_manager()
        self.write({"logistics_wms_hold": False, "logistics_wms_hold_reason": False})
        self.filtered(lambda p: p.logistics_wms_state == "held").write(
            {"logistics_wms_state": False}
        )
        self._logistics_wms_release_auto()
        return True

    def action_logistics_wms_recall(self):
        """Take the transfers back from the 3PL (a cancellation is sent): Odoo's own people
        handle them from then on."""
        self._logistics_wms_check_manager()
        for picking in self.filtered(lambda p: p.logistics_wms_state in AT_THE_3PL):
            picking._logistics_wms_send("cancel")
            picking.logistics_wms_state = "recalled"
        return True

    def _logistics_wms_release_auto(self):
        if self.env.context.get(CONFIRMING):
            return  # a backorder a confirmation leaves is at the 3PL already
        self.filtered(
            lambda p: p.picking_type_id.warehouse_id.logistics_wms_release_mode == "auto"
        )._logistics_wms_release_ready()

    @api.model
    def _cron_logistics_wms_release(self):
        """Scheduled action: release what is ready in warehouses released on a schedule,
        and what a hold kept back that may go now."""
        pickings = self.search(
            [
                ("picking_type_id.warehouse_id.logistics_wms_backend_id", "!=", False),
                ("picking_type_code", "in", list(X12_SETS)),
                ("logistics_wms_state", "in", (False, "held")),
                ("state", "in", ("confirmed", "assigned")),
                "|",
                ("picking_type_id.warehouse_id.logistics_wms_release_mode", "=", "scheduled"),
                "&",
                ("logistics_wms_state", "=", "held"),
                ("logistics_wms_hold", "=", False),
            ],
            limit=500,
        )
        pickings._logistics_wms_release_ready()

    def _logistics_wms_send(self, purpose):
        """Tell the 3PL about this transfer: ``purpose`` is original, change or cancel.
        EDI 3PLs get a 940 (deliveries) or 943 (receipts), the others the canonical order
        posted to their JSON API."""
        self.ensure_one()
        backend = (self.logistics_wms_backend_id or self._logistics_wms_backend()).sudo()
        if purpose == "original":
            self.write(
                {
                    "logistics_wms_backend_id": backend.id,
                    "logistics_wms_reference": self.logistics_wms_reference or self.name,
                    "logistics_wms_state": "released",
                    "logistics_wms_released_at": fields.Datetime.now(),
                    "logistics_wms_revision": self.logistics_wms_revision + 1,
                }
            )
        else:
            self.logistics_wms_revision += 1
        order = self._logistics_wms_order(purpose)
        key = f"wms/{self.logistics_wms_reference}/{purpose}/{self.logistics_wms_revision}"
        if backend.edi_standard:
            kind, segments_of = X12_SETS[self.picking_type_code]
            self.env["logistics.edi.interchange"].sudo().send_documents(
                backend,
                self.env.ref("logistics_wms.logistics_message_type_wms_release"),
                kind,
                [segments_of(order)],
                key,
                record=self,
            )
        else:
            self.env["logistics.message"].sudo().enqueue_outbound(
                backend,
                self.env.ref("logistics_wms.logistics_message_type_wms_release_json"),
                json.dumps(to_jsonable(order)).encode(),
                key,
                content_type="application/json",
                record=self,
            )
        self.message_post(
            body=self.env._(
                "Sent to %(backend)s: %(what)s.",
                backend=backend.name,
                what={
                    "original": self.env._("the order"),
                    "change": self.env._("a change"),
                    "cancel": self.env._("a cancellation"),
                }[purpose],
            )
        )

    def _logistics_wms_order(self, purpose):
        """This transfer as the canonical :class:`WarehouseOrder` the 3PL receives."""
        self.ensure_one()
        backend = self.logistics_wms_backend_id or self._logistics_wms_backend()
        Uom = self.env["logistics.wms.uom"]
        outgoing = self.picking_type_code == "outgoing"
        warehouse = self.picking_type_id.warehouse_id
        here = warehouse.partner_id._logistics_address() if warehouse.partner_id else None
        there = self.partner_id._logistics_address() if self.partner_id else None
        references = {"order": self.origin or ""}
        sale = self.sale_id
        if sale and sale.client_order_ref:
            references["purchase_order"] = sale.client_order_ref
        lines = [
            c.OrderLine(
                product_code=move.product_id.default_code or move.product_id.barcode or "",
                quantity=move.product_uom_qty,
                line_number=str(index),
                description=move.product_id.name,
                uom=Uom._code_of(backend, move.product_uom),
                lot_number=move.logistics_wms_lot_id.name or "",
            )
            for index, move in enumerate(self._logistics_wms_moves(), start=1)
        ]
        return c.WarehouseOrder(
            reference=self.logistics_wms_reference or self.name,
            kind="outbound" if outgoing else "inbound",
            purpose=purpose,
            partner_reference=self.origin or "",
            warehouse=warehouse.code,
            ship_to=there if outgoing else here,
            ship_from=here if outgoing else there,
            carrier=self.carrier_id.logistics_wms_code or "",
            service=self.carrier_id.logistics_wms_service or "",
            requested_date=self.scheduled_date.date() if self.scheduled_date else None,
            notes=html2plaintext(self.note or "").strip() if self.note else "",
            lines=lines,
            references={k: v for k, v in references.items() if v},
        )

    @api.model
    def _logistics_wms_transfers(self, reference, company, kind=None):
        """The transfers released to a 3PL as order ``reference`` (the original and its
        backorders, oldest first), of ``kind`` (outgoing, incoming) when given; a
        BusinessError when there is none, for the 3PL's message to say so."""
        domain = [("logistics_wms_reference", "=", reference), ("company_id", "=", company.id)]
        if kind:
            domain.append(("picking_type_code", "=", kind))
        pickings = self.sudo().search(domain, order="id")
        if not pickings:
            raise BusinessError(
                self.env._(
                    "no transfer was released to this 3PL as order %(order)r: check the order "
                    "number with the 3PL, then retry",
                    order=reference,
                )
            )
        return pickings

    def _logistics_wms_moves(self):
        """The moves the 3PL is told about, in a stable order (their line numbers)."""
        return self.move_ids.filtered(lambda m: m.state != "cancel").sorted("id")

    # ------------------------------------------------------------------ guards

    def _logistics_wms_at_the_3pl(self):
        return self.filtered(lambda p: p.logistics_wms_state in AT_THE_3PL)

    def button_validate(self):
        released = self._logistics_wms_at_the_3pl()
        if released and not self.env.context.get(CONFIRMING):
            raise UserError(
                self.env._(
                    "%(pickings)s is at the 3PL: its confirmation validates it with what "
                    "really left. To handle it here, recall it from the 3PL first.",
                    pickings=", ".join(released.mapped("name")),
                )
            )
        return super().button_validate()

    def action_cancel(self):
        for picking in self._logistics_wms_at_the_3pl():
            picking._logistics_wms_send("cancel")
            picking.logistics_wms_state = "cancelled"
        return super().action_cancel()

    def write(self, vals):
        changed = self.browse()
        if any(name in vals for name in SENT_FIELDS) and not self.env.context.get(CONFIRMING):
            changed = self._logistics_wms_at_the_3pl()
        result = super().write(vals)
        for picking in changed:
            picking._logistics_wms_send("change")
        return result
