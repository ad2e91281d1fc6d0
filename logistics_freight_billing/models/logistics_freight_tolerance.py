from odoo import api, fields, models
from odoo.exceptions import ValidationError

SCOPE_TOTAL, SCOPE_CHARGE, SCOPE_UNEXPECTED = "total", "charge", "unexpected"
SCOPES = [
    (SCOPE_TOTAL, "The invoice total"),
    (SCOPE_CHARGE, "A charge type"),
    (SCOPE_UNEXPECTED, "A charge nobody expected"),
]


class LogisticsFreightTolerance(models.Model):
    """How far a carrier's bill may stray from the expected cost and still be billed
    without a person: above and below separately, as an amount and as a percentage of the
    expected amount (the stricter wins; one left at 0 is not used, both at 0 allow no
    difference). The most specific rule applies: a customer's over a carrier's over the
    company's, a charge type's over any charge type's."""

    _name = "logistics.freight.tolerance"
    _description = "Freight Audit Tolerance"
    _order = "sequence, id"

    name = fields.Char(compute="_compute_name", store=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    scope = fields.Selection(SCOPES, required=True, default=SCOPE_CHARGE)
    carrier_id = fields.Many2one("res.partner", help="Empty: every carrier.")
    customer_id = fields.Many2one(
        "res.partner",
        help="Empty: every customer. A customer's rule overrides the carrier's for the "
        "shipments of its orders.",
    )
    charge_type_id = fields.Many2one(
        "logistics.freight.charge.type",
        string="Charge type",
        help="Empty: every charge type without a rule of its own.",
    )
    over_amount = fields.Monetary(string="Above by at most", currency_field="currency_id")
    over_percent = fields.Float(string="or % above")
    under_amount = fields.Monetary(string="Below by at most", currency_field="currency_id")
    under_percent = fields.Float(string="or % below")

    @api.depends("scope", "carrier_id", "customer_id", "charge_type_id")
    def _compute_name(self):
        scopes = dict(self._fields["scope"]._description_selection(self.env))
        for rule in self:
            parts = [rule.charge_type_id.name or scopes.get(rule.scope, "")]
            parts += [p.display_name for p in (rule.carrier_id, rule.customer_id) if p]
            rule.name = " / ".join(part for part in parts if part)

    @api.constrains("over_amount", "over_percent", "under_amount", "under_percent")
    def _check_limits(self):
        for rule in self:
            limits = (rule.over_amount, rule.over_percent, rule.under_amount, rule.under_percent)
            if any(limit < 0 for limit in limits):
                raise ValidationError(
                    self.env._(
                        "Tolerance %(rule)s: limits are distances from the expected cost, "
                        "0 or more; set how far above and how far below separately.",
                        rule=rule.name,
                    )
                )

    def _allowed(self, expected, direction):
        """How far from ``expected`` this rule lets a bill go in ``direction`` ("over" or
        "under"): the stricter of its amount and its percentage."""
        self.ensure_one()
        amount = self.over_amount if direction == "over" else self.under_amount
        percent = self.over_percent if direction == "over" else self.under_percent
        limits = [amount] if amount else []
        if percent and expected:
            limits.append(abs(expected) * percent / 100.0)
        return min(limits) if limits else 0.0

    @api.model
    def _rulebook(self, company):
        """The company's rules, to pick from many times (:class:`Rulebook`)."""
        return Rulebook(self.search([("company_id", "=", company.id)]))


class Rulebook:
    """A company's tolerance rules in memory: :meth:`pick` the one for a charge."""

    def __init__(self, rules):
        self.rules = [
            (
                rule,
                rule.scope,
                rule.carrier_id.id,
                rule.customer_id.id,
                rule.charge_type_id.id,
            )
            for rule in rules
        ]
        self.empty = rules.browse()
        self.picked = {}

    def pick(self, scope, carrier_id, customer_id, charge_type_id=None):
        """The most specific rule of ``scope`` for ``carrier_id``, ``customer_id`` and
        ``charge_type_id`` (ids, or None); an empty recordset when none applies."""
        key = (scope, carrier_id, customer_id, charge_type_id)
        if key not in self.picked:
            best, best_rank = self.empty, None
            for rule, rule_scope, carrier, customer, charge_type in self.rules:
                if rule_scope != scope:
                    continue
                if (carrier and carrier != carrier_id) or (customer and customer != customer_id):
                    continue
                if charge_type and charge_type != charge_type_id:
                    continue
                rank = (bool(customer), bool(carrier), bool(charge_type))
                if best_rank is None or rank > best_rank:
                    best, best_rank = rule, rank
            self.picked[key] = best
        return self.picked[key]
