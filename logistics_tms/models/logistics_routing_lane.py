from odoo import api, fields, models

from .logistics_transport_order import EQUIPMENTS, MODES


class LogisticsRoutingLane(models.Model):
    """A lane of the routing guide: which carriers to tender a load to, in which order,
    at which contract rate and with how long to answer.

    A lane matches an order by its first pickup and last delivery: country, then state,
    then the start of the ZIP code (each empty for any), and by mode and equipment (empty
    for any). The most specific lane wins.
    """

    _name = "logistics.routing.lane"
    _description = "Logistics Routing Guide Lane"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    origin_country_id = fields.Many2one("res.country", string="Origin country")
    origin_state_id = fields.Many2one(
        "res.country.state",
        string="Origin state",
        domain="[('country_id', '=?', origin_country_id)]",
    )
    origin_zip_prefix = fields.Char(string="Origin ZIP starts with")
    destination_country_id = fields.Many2one("res.country", string="Destination country")
    destination_state_id = fields.Many2one(
        "res.country.state",
        string="Destination state",
        domain="[('country_id', '=?', destination_country_id)]",
    )
    destination_zip_prefix = fields.Char(string="Destination ZIP starts with")
    mode = fields.Selection(MODES, help="Empty for any mode.")
    equipment = fields.Selection(EQUIPMENTS, help="Empty for any equipment.")
    line_ids = fields.One2many("logistics.routing.lane.line", "lane_id", string="Carriers")

    def _score(self, origin, destination, mode, equipment):
        """How well this lane fits (higher is better), None when it does not fit."""
        self.ensure_one()
        score = 0
        for wanted, given, weight in (
            (self.mode, mode, 1),
            (self.equipment, equipment, 1),
        ):
            if wanted and wanted != given:
                return None
            score += weight if wanted else 0
        for prefix, address in (("origin", origin), ("destination", destination)):
            fit = self._address_score(prefix, address)
            if fit is None:
                return None
            score += fit
        return score

    def _address_score(self, prefix, partner):
        country, state = self[f"{prefix}_country_id"], self[f"{prefix}_state_id"]
        zip_prefix = (self[f"{prefix}_zip_prefix"] or "").strip().upper()
        if country and country != partner.country_id:
            return None
        if state and state != partner.state_id:
            return None
        if zip_prefix and not (partner.zip or "").strip().upper().startswith(zip_prefix):
            return None
        return 2 * bool(country) + 4 * bool(state) + 8 * len(zip_prefix)

    @api.model
    def _find_for(self, order):
        """The lane of ``order`` (its first pickup, last delivery, mode, equipment), or an
        empty recordset."""
        origin, destination = order._lane_addresses()
        if not origin or not destination:
            return self.browse()
        lanes = self.search([("company_id", "=", order.company_id.id)])
        scored = [
            (score, -lane.sequence, -lane.id, lane)
            for lane in lanes
            if (score := lane._score(origin, destination, order.mode, order.equipment)) is not None
        ]
        return max(scored, key=lambda item: item[:3])[3] if scored else self.browse()


class LogisticsRoutingLaneLine(models.Model):
    """One carrier of a lane, in the order tenders go down the list."""

    _name = "logistics.routing.lane.line"
    _description = "Logistics Routing Guide Carrier"
    _order = "lane_id, sequence, id"

    lane_id = fields.Many2one(
        "logistics.routing.lane", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="lane_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    carrier_id = fields.Many2one(
        "res.partner", required=True, domain=[("logistics_scac", "!=", False)]
    )
    scac = fields.Char(related="carrier_id.logistics_scac")
    backend_id = fields.Many2one(
        "logistics.backend",
        string="Tender through",
        groups="logistics_integration.group_logistics_user",
        help="Empty: the carrier's own (Tender through on the carrier).",
    )
    rate = fields.Monetary(string="Contract rate", currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    response_hours = fields.Float(
        string="Answer within (hours)",
        default=2.0,
        help="A tender without answer by then goes to the next carrier.",
    )

    _response_hours_positive = models.Constraint(
        "CHECK (response_hours > 0)", "A carrier answers within some hours, more than none."
    )

    def _get_backend(self):
        self.ensure_one()
        return self.backend_id or self.carrier_id.logistics_tms_backend_id
