import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from logistics_adapters.canonical import to_jsonable
from logistics_adapters.formats.edifact import iftmin
from logistics_adapters.formats.x12 import transport as x12_transport

TENDER_STATES = [
    ("sent", "Awaiting answer"),
    ("accepted", "Accepted"),
    ("conditional", "Accepted with conditions"),
    ("declined", "Declined"),
    ("expired", "No answer in time"),
    ("cancelled", "Cancelled"),
]
#: Who may see the integration's records (backends, messages) from a transport record.
INTEGRATION_USER = "logistics_integration.group_logistics_user"
#: A carrier's answer (canonical tender status) -> the tender's state.
ANSWERS = {"accepted": "accepted", "declined": "declined", "conditional": "conditional"}
#: Hours a carrier tendered to by hand has to answer.
MANUAL_RESPONSE_HOURS = 2.0


class LogisticsTransportTender(models.Model):
    """One attempt to give a load to a carrier: the 204 sent, the deadline, the 990 that
    answered it. Every attempt stays on the order."""

    _name = "logistics.transport.tender"
    _description = "Load Tender"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "order_id, sequence, id"

    order_id = fields.Many2one(
        "logistics.transport.order", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    sequence = fields.Integer(string="Attempt", readonly=True)
    carrier_id = fields.Many2one("res.partner", required=True, readonly=True)
    scac = fields.Char(related="carrier_id.logistics_scac", string="SCAC")
    backend_id = fields.Many2one("logistics.backend", readonly=True, groups=INTEGRATION_USER)
    state = fields.Selection(TENDER_STATES, default="sent", required=True, index=True)
    rate = fields.Monetary(currency_field="currency_id", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    sent_at = fields.Datetime(readonly=True, default=fields.Datetime.now)
    deadline = fields.Datetime(string="Answer due", readonly=True, index=True)
    time_left = fields.Float(compute="_compute_time_left", string="Hours left")
    answered_at = fields.Datetime(readonly=True)
    reason = fields.Char(readonly=True, help="The carrier's reason, or what a person noted.")
    manual = fields.Boolean(string="By hand", readonly=True)
    message_id = fields.Many2one(
        "logistics.message", string="Tender message", readonly=True, groups=INTEGRATION_USER
    )
    response_message_id = fields.Many2one(
        "logistics.message", string="Answer message", readonly=True, groups=INTEGRATION_USER
    )
    mode = fields.Selection(related="order_id.mode")
    pickup_at = fields.Datetime(related="order_id.pickup_at")

    def _compute_time_left(self):
        now = fields.Datetime.now()
        for tender in self:
            waiting = tender.state == "sent" and tender.deadline
            hours = (tender.deadline - now).total_seconds() / 3600 if waiting else 0.0
            tender.time_left = max(hours, 0.0)

    # -- sending ------------------------------------------------------------------------

    @api.model
    def _send_to_line(self, order, line):
        """Tender ``order`` to the routing guide's ``line`` at its contract rate."""
        return self._send(
            order,
            line.carrier_id,
            line._get_backend(),
            hours=line.response_hours,
            rate=line.rate,
            currency=line.currency_id,
        )

    @api.model
    def _send(self, order, carrier, backend, hours, rate=0.0, currency=None, manual=False):
        """Record the attempt, queue the 204 to ``backend`` and wait ``hours`` for it."""
        if not backend or not (backend.edi_standard or backend.endpoint_url):
            raise UserError(
                self.env._(
                    "%(carrier)s has no backend to tender through (EDI, or a JSON TMS API "
                    "with its endpoint): set Tender through on the carrier or on its routing "
                    "guide line.",
                    carrier=carrier.display_name,
                )
            )
        attempt = len(order.tender_ids) + 1
        tender = self.create(
            {
                "order_id": order.id,
                "sequence": attempt,
                "carrier_id": carrier.id,
                "backend_id": backend.id,
                "rate": rate,
                "currency_id": (currency or order.currency_id).id,
                "deadline": fields.Datetime.now() + timedelta(hours=hours),
                "manual": manual,
            }
        )
        tender.message_id = tender._queue_204("original", f"tender/{attempt}")
        order.write(
            {
                "state": "tendered",
                "backend_id": backend.id,
                "carrier_id": carrier.id,
                "estimated_cost": rate or order.estimated_cost,
            }
        )
        order.message_post(
            body=self.env._(
                "Tendered to %(carrier)s (attempt %(attempt)s), answer due %(deadline)s.",
                carrier=carrier.display_name,
                attempt=attempt,
                deadline=fields.Datetime.to_string(tender.deadline),
            )
        )
        return tender

    def _queue_204(self, purpose, action):
        """Queue this tender (``purpose``: original, change or cancel) in the carrier's
        standard: an X12 204, or an EDIFACT IFTMIN."""
        self.ensure_one()
        order = self.order_id
        canonical = order._to_canonical(self, purpose)
        if not self.backend_id.edi_standard:
            return self._queue_json(canonical, action)
        if self.backend_id.edi_standard == "edifact":
            kind, body = "IFTMIN", iftmin.order_segments(canonical)
        else:
            kind, body = "204", x12_transport.tender_segments(canonical)
        # The integration engine is a technical layer: a transport manager sends a tender
        # without rights on its message log.
        return (
            self.env["logistics.edi.interchange"]
            .sudo()
            .send_documents(
                self.backend_id.sudo(),
                self.env.ref("logistics_tms.logistics_message_type_tms_tender"),
                kind,
                [body],
                f"tms/{order.name}/{action}",
                record=order,
            )
        )

    def _queue_json(self, canonical, action):
        """Queue the tender for a TMS with a JSON API: the canonical order, posted."""
        order = self.order_id
        message, _created = (
            self.env["logistics.message"]
            .sudo()
            .enqueue_outbound(
                self.backend_id.sudo(),
                self.env.ref("logistics_tms.logistics_message_type_tms_tender_json"),
                json.dumps(to_jsonable(canonical)).encode(),
                f"tms/{order.name}/{action}",
                content_type="application/json",
                record=order,
            )
        )
        return message

    def _send_cancellation(self):
        """Tell the carrier that accepted it that the load is cancelled (B2A 01)."""
        for tender in self:
            tender._queue_204("cancel", f"cancel/{tender.sequence}")
            tender.state = "cancelled"

    # -- answers ------------------------------------------------------------------------

    def _apply_answer(self, answer, message):
        """The carrier answered (a 990, or a JSON TMS's answer: a canonical order whose
        status is one of :data:`ANSWERS`): accepted, declined (with its reason) or accepted
        with conditions (its notes); its PRO number, when it gives one, goes on the order."""
        self.ensure_one()
        status = ANSWERS[answer.status]
        reason = answer.decline_reason or answer.notes
        pro = answer.references.get("pro") or answer.partner_reference
        if self.state not in ("sent", "expired"):
            return False
        self.write(
            {
                "state": status,
                "reason": reason or False,
                "answered_at": fields.Datetime.now(),
                "response_message_id": message.id if message else False,
            }
        )
        order = self.order_id
        if pro and not order.pro_number:
            order.pro_number = pro
        if status == "accepted":
            order._advance("accepted")
        elif status == "declined":
            order.action_tender()
        else:
            self._ask_a_person()
        return True

    def _ask_a_person(self):
        order = self.order_id
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=(order.user_id or self.env.user).id,
            summary=self.env._("%(carrier)s accepts with conditions", carrier=self.scac or ""),
            note=self.env._(
                "%(carrier)s accepts %(order)s with conditions: %(reason)s. Accept them "
                "(Accept conditions) or decline to tender to the next carrier.",
                carrier=self.carrier_id.display_name,
                order=order.name,
                reason=self.reason or "",
            ),
        )

    def action_accept_conditions(self):
        """A person accepts the carrier's conditions: the load is theirs."""
        for tender in self.filtered(lambda tender: tender.state == "conditional"):
            tender.state = "accepted"
            tender.order_id._advance("accepted")
            tender.activity_ids.action_feedback(feedback=self.env._("Conditions accepted."))
        return True

    def action_decline_conditions(self):
        """A person declines the carrier's conditions: the next carrier gets the load."""
        for tender in self.filtered(lambda tender: tender.state == "conditional"):
            tender.state = "declined"
            tender.activity_ids.action_feedback(feedback=self.env._("Conditions declined."))
            tender.order_id.action_tender()
        return True

    def action_open_order(self):
        """The load this tender is about."""
        self.ensure_one()
        return self.order_id._form_action()

    @api.model
    def _cron_expire(self):
        """Scheduled action: tenders past their deadline expire, and their loads go to the
        next carrier of the routing guide."""
        late = self.search(
            [("state", "=", "sent"), ("deadline", "<", fields.Datetime.now())], limit=200
        )
        for tender in late:
            tender.state = "expired"
            tender.order_id.message_post(
                body=self.env._(
                    "%(carrier)s did not answer in time.", carrier=tender.carrier_id.display_name
                )
            )
            tender.order_id.action_tender()
        return len(late)


class LogisticsTransportTenderTo(models.TransientModel):
    """Tender a load by hand to a carrier a person chose, outside the routing guide or
    ahead of it."""

    _name = "logistics.transport.tender.to"
    _description = "Tender a load to a chosen carrier"

    order_id = fields.Many2one("logistics.transport.order", required=True)
    carrier_id = fields.Many2one(
        "res.partner", required=True, domain=[("logistics_scac", "!=", False)]
    )
    backend_id = fields.Many2one(
        "logistics.backend",
        string="Tender through",
        compute="_compute_backend_id",
        store=True,
        readonly=False,
    )
    rate = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(related="order_id.currency_id")
    response_hours = fields.Float(string="Answer within (hours)", default=MANUAL_RESPONSE_HOURS)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "logistics.transport.order":
            values.setdefault("order_id", self.env.context.get("active_id"))
        return values

    @api.depends("carrier_id")
    def _compute_backend_id(self):
        for wizard in self:
            wizard.backend_id = wizard.carrier_id.logistics_tms_backend_id

    def action_tender(self):
        """Send the tender; earlier tenders still waiting are withdrawn."""
        self.ensure_one()
        order = self.order_id
        order._check_tenderable()
        order.tender_ids.filtered(lambda tender: tender.state == "sent").state = "cancelled"
        self.env["logistics.transport.tender"]._send(
            order,
            self.carrier_id,
            self.backend_id,
            hours=self.response_hours,
            rate=self.rate,
            currency=self.currency_id,
            manual=True,
        )
        return {"type": "ir.actions.act_window_close"}
