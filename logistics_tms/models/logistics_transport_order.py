from datetime import timedelta, timezone
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from logistics_adapters import canonical as c

MODES = [
    ("ftl", "Truckload"),
    ("ltl", "LTL"),
    ("rail", "Rail"),
    ("ocean", "Ocean"),
    ("air", "Air"),
]
EQUIPMENTS = [
    ("van", "Dry van"),
    ("reefer", "Reefer"),
    ("flatbed", "Flatbed"),
    ("container_20", "Container 20'"),
    ("container_40", "Container 40'"),
    ("container_40hc", "Container 40' high cube"),
    ("boxcar", "Boxcar"),
    ("uld", "Air ULD"),
]
STATES = [
    ("draft", "Draft"),
    ("tendered", "Tendered"),
    ("accepted", "Accepted"),
    ("declined", "Declined by all"),
    ("expired", "Expired"),
    ("in_transit", "In transit"),
    ("delivered", "Delivered"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
#: The order's states in the order a load goes through them; a milestone never moves an
#: order back.
PROGRESS = ("draft", "tendered", "accepted", "in_transit", "delivered", "closed")
#: The order state a canonical status moves a load to.
MILESTONE_STATES = {
    "picked_up": "in_transit",
    "in_transit": "in_transit",
    "out_for_delivery": "in_transit",
    "available_for_pickup": "in_transit",
    "customs_hold": "in_transit",
    "customs_released": "in_transit",
    "exception": "in_transit",
    "delivered": "delivered",
}
#: Hours without a milestone, per mode, before a moving order is flagged.
SLA_HOURS = {"ftl": 8, "ltl": 24, "rail": 48, "ocean": 72, "air": 12}


class LogisticsTransportOrder(models.Model):
    """A load to move: stops, goods, mode and equipment, tendered to carriers down the
    routing guide and followed by its milestones until delivery."""

    _name = "logistics.transport.order"
    _description = "Transport Order"
    _inherit = ["logistics.tracking.batch", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(STATES, default="draft", required=True, tracking=True, index=True)
    direction = fields.Selection(
        [("outbound", "Outbound (deliveries)"), ("inbound", "Inbound (receipts)")],
        default="outbound",
        required=True,
    )
    mode = fields.Selection(MODES, required=True, default="ftl", tracking=True)
    equipment = fields.Selection(EQUIPMENTS, default="van")
    sale_order_id = fields.Many2one("sale.order", index="btree_not_null", copy=False)
    picking_ids = fields.Many2many(
        "stock.picking",
        "logistics_transport_order_stock_picking_rel",
        "order_id",
        "picking_id",
        string="Transfers",
        copy=False,
    )
    stop_ids = fields.One2many("logistics.transport.stop", "order_id", copy=True)
    goods_ids = fields.One2many("logistics.transport.goods", "order_id", copy=True)
    lane_id = fields.Many2one("logistics.routing.lane", tracking=True)
    carrier_id = fields.Many2one(
        "res.partner", tracking=True, domain=[("logistics_scac", "!=", False)]
    )
    scac = fields.Char(related="carrier_id.logistics_scac", string="SCAC")
    backend_id = fields.Many2one(
        "logistics.backend",
        string="Tendered through",
        readonly=True,
        groups="logistics_integration.group_logistics_user",
    )
    tender_ids = fields.One2many("logistics.transport.tender", "order_id", string="Tenders")
    tender_count = fields.Integer(compute="_compute_tender_count")
    tender_deadline = fields.Datetime(
        compute="_compute_tender_deadline", store=True, string="Answer due"
    )
    milestone_ids = fields.One2many("logistics.transport.milestone", "order_id")
    bol_number = fields.Char(string="BOL", tracking=True)
    pro_number = fields.Char(string="PRO", tracking=True, index="btree_not_null")
    po_number = fields.Char(string="PO")
    container_number = fields.Char(index="btree_not_null")
    booking_number = fields.Char(index="btree_not_null")
    estimated_cost = fields.Monetary(currency_field="currency_id", tracking=True)
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    weight_kg = fields.Float(compute="_compute_totals", store=True, string="Weight (kg)")
    volume_m3 = fields.Float(compute="_compute_totals", store=True, string="Volume (m³)")
    pallets = fields.Integer(compute="_compute_totals", store=True)
    pickup_at = fields.Datetime(compute="_compute_window", store=True, string="Pickup")
    delivery_at = fields.Datetime(compute="_compute_window", store=True, string="Delivery by")
    eta = fields.Datetime(string="ETA", tracking=True)
    eta_changed = fields.Boolean(
        string="ETA changed", help="The carrier moved the ETA since it was first given."
    )
    last_status = fields.Char(string="Last milestone", readonly=True)
    last_milestone_at = fields.Datetime(readonly=True)
    is_late = fields.Boolean(compute="_compute_is_late", search="_search_is_late", string="Late")
    no_news = fields.Boolean(
        compute="_compute_no_news",
        search="_search_no_news",
        string="No milestone",
        help="Moving, and no milestone for longer than its mode's service level.",
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True
    )
    note = fields.Html()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("logistics.transport.order")
        return super().create(vals_list)

    def _compute_tender_count(self):
        counts = dict(
            self.env["logistics.transport.tender"]._read_group(
                [("order_id", "in", self.ids)], ["order_id"], ["__count"]
            )
        )
        for order in self:
            order.tender_count = counts.get(order, 0)

    @api.depends("tender_ids.state", "tender_ids.deadline")
    def _compute_tender_deadline(self):
        for order in self:
            waiting = order.tender_ids.filtered(lambda tender: tender.state == "sent")
            order.tender_deadline = min(waiting.mapped("deadline"), default=False)

    @api.depends("goods_ids.weight_kg", "goods_ids.volume_m3", "goods_ids.pallets")
    def _compute_totals(self):
        for order in self:
            order.weight_kg = sum(order.goods_ids.mapped("weight_kg"))
            order.volume_m3 = sum(order.goods_ids.mapped("volume_m3"))
            order.pallets = sum(order.goods_ids.mapped("pallets"))

    @api.depends("stop_ids.kind", "stop_ids.earliest", "stop_ids.latest")
    def _compute_window(self):
        for order in self:
            pickups = order.stop_ids.filtered(lambda stop: stop.kind == "pickup")
            deliveries = order.stop_ids.filtered(lambda stop: stop.kind == "delivery")
            order.pickup_at = min(pickups.mapped("earliest") or [False], key=bool)
            order.delivery_at = max(deliveries.mapped("latest") or [False], key=bool)

    @api.depends("eta", "delivery_at", "state")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for order in self:
            due = order.delivery_at
            moving = order.state in ("accepted", "in_transit")
            order.is_late = bool(moving and due and ((order.eta or now) > due))

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search late orders with = True or = False."))
        moving = self.search([("state", "in", ("accepted", "in_transit"))])
        late = moving.filtered("is_late")
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", late.ids)]

    def _compute_no_news(self):
        now = fields.Datetime.now()
        for order in self:
            order.no_news = order._is_silent(now)

    def _is_silent(self, now):
        if self.state not in ("accepted", "in_transit"):
            return False
        since = self.last_milestone_at or self.write_date
        return since < now - timedelta(hours=SLA_HOURS.get(self.mode, 24))

    def _search_no_news(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search silent orders with = True or = False."))
        now = fields.Datetime.now()
        silent = self.search([("state", "in", ("accepted", "in_transit"))]).filtered(
            lambda order: order._is_silent(now)
        )
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", silent.ids)]

    # -- making orders -------------------------------------------------------------------

    @api.model
    def _create_from_pickings(self, pickings):
        """One transport order for ``pickings`` (deliveries, or receipts for inbound
        freight): a pickup where the goods are, a delivery where they go, the goods and
        their weight, the sale order, the lane of the routing guide."""
        direction = pickings._logistics_transport_direction()
        warehouse = pickings[:1].picking_type_id.warehouse_id.partner_id
        warehouse = warehouse or pickings[:1].company_id.partner_id
        stops = []
        for picking in pickings.sorted("scheduled_date"):
            far = picking.partner_id
            origin, destination = (warehouse, far) if direction == "outbound" else (far, warehouse)
            stops.append(_stop_vals("pickup", origin, picking, earliest=picking.scheduled_date))
            stops.append(_stop_vals("delivery", destination, picking, latest=picking.date_deadline))
        stops = _merged_stops(stops)
        sale = pickings.sale_id
        order = self.create(
            {
                "direction": direction,
                "company_id": pickings[:1].company_id.id,
                "sale_order_id": sale.id if len(sale) == 1 else False,
                "picking_ids": [fields.Command.set(pickings.ids)],
                "po_number": sale.client_order_ref if len(sale) == 1 else False,
                "stop_ids": [fields.Command.create(vals) for vals in stops],
                "goods_ids": [fields.Command.create(_goods_vals(p)) for p in pickings],
            }
        )
        order.lane_id = self.env["logistics.routing.lane"]._find_for(order)
        order._estimate()
        return order

    def _estimate(self):
        """The estimated cost: the contract rate of the lane's first carrier, until a
        tender sets the real one."""
        for order in self.filtered(lambda order: not order.estimated_cost and order.lane_id):
            first = order.lane_id.line_ids[:1]
            if first:
                order.write({"estimated_cost": first.rate, "currency_id": first.currency_id.id})

    def _list_action(self, domain, context=None):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transport orders"),
            "res_model": "logistics.transport.order",
            "view_mode": "list,form,kanban,calendar",
            "domain": domain,
            "context": context or {},
        }

    def _form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "logistics.transport.order",
            "res_id": self.id,
            "views": [(False, "form")],
        }

    # -- routing ----------------------------------------------------------------------

    def _lane_addresses(self):
        """The first pickup's and the last delivery's addresses."""
        self.ensure_one()
        stops = self.stop_ids.sorted("sequence")
        pickups = stops.filtered(lambda stop: stop.kind == "pickup")
        deliveries = stops.filtered(lambda stop: stop.kind == "delivery")
        origin = pickups[:1].partner_id
        destination = deliveries[-1:].partner_id
        return origin, destination

    def _next_lane_line(self):
        """The routing guide's next carrier for this order: the first of its lane's
        carriers not tendered to yet."""
        self.ensure_one()
        lane = self.lane_id or self.env["logistics.routing.lane"]._find_for(self)
        if lane and not self.lane_id:
            self.lane_id = lane
        tried = self.tender_ids.mapped("carrier_id")
        return lane.line_ids.filtered(lambda line: line.carrier_id not in tried)[:1]

    # -- actions ----------------------------------------------------------------------

    def action_tender(self):
        """Tender each order to the next carrier of its routing guide."""
        for order in self:
            order._check_tenderable()
            line = order._next_lane_line()
            if not line:
                order._exhausted()
                continue
            self.env["logistics.transport.tender"]._send_to_line(order, line)
        return True

    def _check_tenderable(self):
        if self.state not in ("draft", "tendered", "declined", "expired"):
            raise UserError(
                self.env._(
                    "%(order)s is %(state)s: only a load not yet accepted can be tendered.",
                    order=self.name,
                    state=dict(STATES)[self.state],
                )
            )
        if not self.stop_ids.filtered(lambda stop: stop.kind == "pickup") or not (
            self.stop_ids.filtered(lambda stop: stop.kind == "delivery")
        ):
            raise UserError(
                self.env._(
                    "%(order)s needs a pickup and a delivery stop before it can be tendered.",
                    order=self.name,
                )
            )

    def _exhausted(self):
        """Nobody on the routing guide took the load: a person must find a carrier."""
        self.ensure_one()
        self.state = "declined"
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=(self.user_id or self.env.user).id,
            summary=self.env._("No carrier accepted %(order)s", order=self.name),
            note=self.env._(
                "Every carrier of the routing guide declined or did not answer in time. "
                "Tender the load by hand to a carrier you reach (Tender to...), or add "
                "carriers to its lane and tender again."
            ),
        )

    def action_cancel(self):
        """Cancel the load; a tender a carrier accepted is cancelled with it (204 cancel)."""
        for order in self:
            if order.state in ("delivered", "closed"):
                raise UserError(
                    self.env._("%(order)s is delivered: close it instead.", order=order.name)
                )
            accepted = order.tender_ids.filtered(lambda tender: tender.state == "accepted")
            for tender in accepted:
                tender._send_cancellation()
            order.tender_ids.filtered(lambda tender: tender.state == "sent").state = "cancelled"
            order.state = "cancelled"
        return True

    def action_close(self):
        """Close delivered loads (freight billing audits against their cost)."""
        for order in self:
            if order.state != "delivered":
                raise UserError(self.env._("%(order)s is not delivered yet.", order=order.name))
            order.state = "closed"
        return True

    def action_open_tenders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tenders of %(order)s", order=self.name),
            "res_model": "logistics.transport.tender",
            "view_mode": "list,form",
            "domain": [("order_id", "=", self.id)],
        }

    # -- the canonical order -------------------------------------------------------------

    def _to_canonical(self, tender, purpose="original"):
        """This order as the canonical :class:`TransportOrder` tendered to ``tender``'s
        carrier (``purpose``: original, change or cancel)."""
        self.ensure_one()
        references = {
            key: value
            for key, value in (
                ("bill_of_lading", self.bol_number),
                ("pro", self.pro_number),
                ("purchase_order", self.po_number),
                ("equipment", self.container_number),
                ("booking", self.booking_number),
            )
            if value
        }
        first_pickup = self.stop_ids.sorted("sequence").filtered(lambda s: s.kind == "pickup")[:1]
        return c.TransportOrder(
            reference=self.name,
            purpose=purpose,
            carrier=tender.scac or "",
            mode=self.mode,
            equipment=self.equipment or "",
            payment_method="PP",
            stops=[stop._to_canonical() for stop in self.stop_ids.sorted("sequence")],
            weight_kg=self.weight_kg or None,
            volume_m3=self.volume_m3 or None,
            pieces=self.pallets or None,
            estimated_cost=Decimal(str(tender.rate)) if tender.rate else None,
            currency=tender.currency_id.name or "",
            references=references,
            goods=[line._to_canonical(first_pickup) for line in self.goods_ids],
            respond_by=tender.deadline,
        )

    # -- milestones ---------------------------------------------------------------------

    @api.model
    def _find_by_reference(self, document):
        """The order a partner's document is about: by our reference, then the carrier's
        (PRO, BOL), then the container or booking."""
        index = self._index_by_reference([document])
        reference = _first_known(document, index)
        return index[reference] if reference else self.browse()

    @api.model
    def _index_by_reference(self, documents):
        """``{reference: order}`` for every reference of ``documents`` an order carries
        (its name, PRO, BOL, container or booking), in one search."""
        candidates = {ref for document in documents for ref in _references_of(document)}
        if not candidates:
            return {}
        candidates = list(candidates)
        orders = self.search(
            [
                "|",
                "|",
                "|",
                "|",
                ("name", "in", candidates),
                ("pro_number", "in", candidates),
                ("bol_number", "in", candidates),
                ("container_number", "in", candidates),
                ("booking_number", "in", candidates),
            ],
            order="id",
        )
        index = {}
        for order in orders:  # the newest order of a reference wins
            for field_name in REFERENCE_FIELDS:
                if order[field_name]:
                    index[order[field_name]] = order
        return index

    @api.model
    def _apply_milestone_batch(self, entries):
        """Apply ``entries`` (``(order, milestone, message)``): each milestone kept once
        (the known ones read in one query, the new ones created in one statement), each
        order moved forward and written once, its deliveries told."""
        Milestone = self.env["logistics.transport.milestone"]
        orders = self.browse({order.id for order, _m, _msg in entries})
        known = {
            (row["order_id"][0], row["dedup_key"])
            for row in Milestone.search_read(
                [("order_id", "in", orders.ids)], ["order_id", "dedup_key"]
            )
        }
        statuses, fresh, vals_list = {}, [], []
        for order, milestone, message in entries:
            key = Milestone._dedup_key_of(milestone)
            if (order.id, key) in known:
                continue
            known.add((order.id, key))
            status = self._mapped_status(statuses, message.backend_id, milestone)
            vals_list.append(order._milestone_vals(milestone, status, key, message))
            fresh.append((order, milestone, message))
        records = Milestone.create(vals_list)
        by_order = {}
        for (order, milestone, message), record in zip(fresh, records, strict=True):
            by_order.setdefault(order, []).append((milestone, record, message))
        # Every order moved first, then every delivery: their tracking logged together.
        deliveries = []
        for order, news in by_order.items():
            deliveries += order._follow_all(news)
        self.env["stock.picking"]._logistics_apply_events_many(deliveries)
        return records

    @api.model
    def _mapped_status(self, cache, backend, milestone):
        key = (backend.id, milestone.partner_status, milestone.status)
        if key not in cache:
            cache[key] = self.env["logistics.status.map"].map_partner_status(
                backend, milestone.partner_status, milestone.status
            )
        return cache[key]

    def _apply_milestones(self, milestones, message):
        """Keep the carrier's milestones once each, move the order forward (never back),
        follow its ETA, and hand them to the order's deliveries as tracking events."""
        self.ensure_one()
        return self._apply_milestone_batch([(self, milestone, message) for milestone in milestones])

    def _milestone_vals(self, milestone, status, key, message):
        moment = milestone.occurred_at or milestone.appointment_at or milestone.estimated_at
        return {
            "order_id": self.id,
            "kind": "event" if milestone.occurred_at else "estimate",
            "status": status,
            "partner_status": milestone.partner_status,
            "partner_status_text": milestone.partner_status_text,
            "reason_code": milestone.reason_code,
            "occurred_at": _naive_utc(moment) or fields.Datetime.now(),
            "estimated_at": _naive_utc(milestone.estimated_at or milestone.appointment_at),
            "location": milestone.location,
            "latitude": milestone.latitude or 0.0,
            "longitude": milestone.longitude or 0.0,
            "message_id": message.id,
            "dedup_key": key,
        }

    def _follow_all(self, news):
        """What new milestones (``(milestone, record, message)``, in any order) change on
        this order: one write, the state moved forward. Return what its deliveries are to
        be told (``(picking, backend, events, message)``)."""
        self.ensure_one()
        vals = {"eta": self.eta, "last_milestone_at": self.last_milestone_at}
        state = self.state
        labels = dict(self.env["logistics.transport.milestone"]._fields["status"].selection)
        for milestone, record, _message in sorted(news, key=lambda item: item[1].occurred_at):
            if record.estimated_at and record.estimated_at != vals["eta"]:
                vals["eta_changed"] = bool(vals["eta"]) or self.eta_changed
                vals["eta"] = record.estimated_at
            if not milestone.occurred_at:
                continue
            if not vals["last_milestone_at"] or record.occurred_at >= vals["last_milestone_at"]:
                vals["last_milestone_at"] = record.occurred_at
                vals["last_status"] = labels[record.status]
            state = _forward(state, MILESTONE_STATES.get(record.status, ""))
        vals["state"] = state
        changed = {name: value for name, value in vals.items() if self[name] != value}
        if changed:
            self.write(changed)
        deliveries = []
        for message in {message for _m, _r, message in news}:
            mine = [milestone for milestone, _r, msg in news if msg == message]
            deliveries += self._pickings_follow(mine, message.backend_id, message)
        return deliveries

    def _pickings_follow(self, milestones, backend, message):
        """What the deliveries of this order see of the milestones on their tracking
        timeline (their status never regresses; notifications and the invoice hook apply):
        ``(picking, backend, events, message)`` for
        ``stock.picking._logistics_apply_events_many``."""
        events = [
            c.TrackingEvent(
                tracking_number=self.pro_number or self.name,
                status=milestone.status,
                partner_status=milestone.partner_status,
                partner_status_text=milestone.partner_status_text,
                occurred_at=milestone.occurred_at,
                location=milestone.location,
                partner_event_id=milestone.partner_event_id
                or f"{self.name}|{milestone.partner_status}|{milestone.occurred_at}",
                carrier=self.scac or "",
                shipment_reference=self.name,
            )
            for milestone in milestones
            if milestone.occurred_at
        ]
        if not events:
            return []
        return [(picking, backend, events, message) for picking in self.picking_ids]

    def _advance(self, state):
        """Move the order forward to ``state``; never back."""
        for order in self:
            forward = _forward(order.state, state)
            if forward != order.state:
                order.state = forward


#: The fields of an order that a partner's document may name it by.
REFERENCE_FIELDS = ("name", "pro_number", "bol_number", "container_number", "booking_number")


def _references_of(document):
    """The references a milestone or an answer gives, ours first."""
    values = [document.reference, *document.references.values()]
    return [value for value in values if value]


def _first_known(document, index):
    return next((ref for ref in _references_of(document) if ref in index), None)


def _forward(state, target):
    """``state`` moved to ``target`` if that is forward in :data:`PROGRESS`."""
    if state not in PROGRESS or target not in PROGRESS:
        return state
    return target if PROGRESS.index(target) > PROGRESS.index(state) else state


def _stop_vals(kind, partner, picking, earliest=False, latest=False):
    return {
        "kind": kind,
        "partner_id": partner.id,
        "picking_id": picking.id,
        "earliest": earliest,
        "latest": latest,
        "reference": picking.origin or picking.name,
    }


def _merged_stops(stops):
    """Pickups first, then deliveries, one stop per address and kind, numbered."""
    merged = {}
    for vals in stops:
        key = (vals["kind"], vals["partner_id"])
        if key not in merged:
            merged[key] = dict(vals)
            continue
        kept = merged[key]
        kept["earliest"] = min(filter(None, (kept["earliest"], vals["earliest"])), default=False)
        kept["latest"] = max(filter(None, (kept["latest"], vals["latest"])), default=False)
    ordered = sorted(merged.values(), key=lambda vals: vals["kind"] != "pickup")
    return [vals | {"sequence": 10 * (rank + 1)} for rank, vals in enumerate(ordered)]


def _goods_vals(picking):
    return {
        "description": picking.origin or picking.name,
        "weight_kg": picking.shipping_weight or picking.weight,
        "pieces": int(sum(picking.move_ids.mapped("product_uom_qty"))),
    }


def _naive_utc(moment):
    """``moment`` as Odoo stores it: naive UTC (a naive time is kept as given)."""
    if moment is None:
        return False
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


class LogisticsTransportStop(models.Model):
    """A pickup or delivery of a transport order, in the order the truck makes them."""

    _name = "logistics.transport.stop"
    _description = "Transport Order Stop"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one(
        "logistics.transport.order", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("pickup", "Pickup"), ("delivery", "Delivery")], required=True, default="pickup"
    )
    partner_id = fields.Many2one("res.partner", string="Address", required=True)
    earliest = fields.Datetime(string="From")
    latest = fields.Datetime(string="Until")
    appointment = fields.Datetime()
    reference = fields.Char(help="The stop's own reference: a PO, a dock, a pickup number.")
    picking_id = fields.Many2one("stock.picking", string="Transfer")
    instructions = fields.Char()

    def _to_canonical(self):
        partner = self.partner_id
        return c.Stop(
            sequence=self.sequence,
            kind=self.kind,
            address=partner._logistics_address(),
            earliest=self.earliest or None,
            latest=self.latest or None,
            appointment=self.appointment or None,
            reference=self.reference or "",
            instructions=self.instructions or "",
        )


class LogisticsTransportGoods(models.Model):
    """A line of goods of a transport order: what the carrier must know to move it."""

    _name = "logistics.transport.goods"
    _description = "Transport Order Goods"

    order_id = fields.Many2one(
        "logistics.transport.order", required=True, index=True, ondelete="cascade"
    )
    description = fields.Char(required=True)
    stop_id = fields.Many2one(
        "logistics.transport.stop",
        string="Loaded at",
        domain="[('order_id', '=', order_id), ('kind', '=', 'pickup')]",
        help="Empty: the first pickup.",
    )
    weight_kg = fields.Float(string="Weight (kg)")
    volume_m3 = fields.Float(string="Volume (m³)")
    pallets = fields.Integer()
    pieces = fields.Integer()
    freight_class = fields.Char(help="NMFC freight class for LTL (50 to 500).")
    nmfc = fields.Char(string="NMFC item")
    hazardous = fields.Boolean()

    def _to_canonical(self, first_pickup):
        """The line as canonical goods, loaded at its stop (else the first pickup)."""
        return c.Goods(
            stop_sequence=(self.stop_id or first_pickup).sequence or None,
            description=self.description,
            weight_kg=self.weight_kg or None,
            volume_m3=self.volume_m3 or None,
            pieces=self.pallets or self.pieces or None,
            packaging="PLT" if self.pallets else ("PCS" if self.pieces else ""),
            freight_class=self.freight_class or "",
            nmfc=self.nmfc or "",
            hazardous=self.hazardous,
        )
