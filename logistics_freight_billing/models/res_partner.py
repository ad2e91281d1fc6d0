from collections import defaultdict

from odoo import fields, models

#: The invoice lists a carrier's overview card opens, by name.
REVIEW_STATES = ("unmatched", "exception", "variance", "disputed")
#: The invoices whose variance is measured against a known expected cost.
AUDITED_STATES = ("variance", "disputed", "approved", "billed")


def _overview(field_class, string, **options):
    """A figure of the freight billing overview, computed with the others."""
    return field_class(compute="_compute_logistics_freight_overview", string=string, **options)


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_invoice_on_delivery = fields.Boolean(
        string="Invoice on proof of delivery",
        help="Hold this customer's invoices until the carrier reports the goods delivered.",
    )

    logistics_freight_key_ids = fields.One2many(
        "logistics.freight.match.key",
        "carrier_id",
        string="Match invoices by",
        help="The references this carrier's invoices are matched to shipments by, in order; "
        "empty: PRO, bill of lading, tracking number, shipment id, purchase order.",
    )
    logistics_freight_currency_id = fields.Many2one(
        "res.currency", compute="_compute_logistics_freight_overview"
    )
    logistics_freight_billed_month = _overview(
        fields.Monetary, "Billed this month", currency_field="logistics_freight_currency_id"
    )
    logistics_freight_expected_month = _overview(
        fields.Monetary, "Expected this month", currency_field="logistics_freight_currency_id"
    )
    logistics_freight_variance_found = _overview(
        fields.Monetary,
        "Variance found",
        currency_field="logistics_freight_currency_id",
        help="This month: what carriers billed above what was expected.",
    )
    logistics_freight_recovered = _overview(
        fields.Monetary,
        "Recovered",
        currency_field="logistics_freight_currency_id",
        help="This month: what was short-paid or disputed and not paid.",
    )
    logistics_freight_count_review = _overview(fields.Integer, "To review")
    logistics_freight_oldest_unmatched = _overview(fields.Datetime, "Oldest unmatched")
    logistics_freight_to_accrue = _overview(
        fields.Monetary, "To accrue", currency_field="logistics_freight_currency_id"
    )

    def _compute_logistics_freight_overview(self):
        company = self.env.company
        month = fields.Date.context_today(self).replace(day=1)
        Invoice = self.env["logistics.freight.invoice"]
        mine = [("carrier_id", "in", self.ids), ("company_id", "=", company.id)]
        this_month = [*mine, ("received_at", ">=", fields.Datetime.to_datetime(month))]
        sums = {
            carrier: (billed, expected, variance)
            for carrier, billed, expected, variance in Invoice._read_group(
                [*this_month, ("state", "not in", ("duplicate", "cancelled"))],
                ["carrier_id"],
                ["billed_total:sum", "expected_total:sum", "variance:sum"],
            )
        }
        found = dict(
            Invoice._read_group(
                [*this_month, ("variance", ">", 0), ("state", "in", AUDITED_STATES)],
                ["carrier_id"],
                ["variance:sum"],
            )
        )
        recovered = dict(
            Invoice._read_group(
                [*this_month, ("state", "in", ("billed", "cancelled"))],
                ["carrier_id"],
                ["disputed_amount:sum"],
            )
        )
        review = dict(
            Invoice._read_group(
                [*mine, ("state", "in", REVIEW_STATES)], ["carrier_id"], ["__count"]
            )
        )
        oldest = dict(
            Invoice._read_group(
                [*mine, ("state", "=", "unmatched")], ["carrier_id"], ["received_at:min"]
            )
        )
        accrue = defaultdict(float)
        for carrier, expected in self.env["logistics.freight.accrual.report"]._read_group(
            [("carrier_id", "in", self.ids), ("company_id", "=", company.id)],
            ["carrier_id"],
            ["expected:sum"],
        ):
            accrue[carrier] = expected
        for partner in self:
            billed, expected, _variance = sums.get(partner, (0.0, 0.0, 0.0))
            partner.logistics_freight_currency_id = company.currency_id
            partner.logistics_freight_billed_month = billed
            partner.logistics_freight_expected_month = expected
            partner.logistics_freight_variance_found = found.get(partner, 0.0)
            partner.logistics_freight_recovered = recovered.get(partner, 0.0)
            partner.logistics_freight_count_review = review.get(partner, 0)
            partner.logistics_freight_oldest_unmatched = oldest.get(partner, False)
            partner.logistics_freight_to_accrue = accrue[partner]

    def action_logistics_freight_open(self):
        """This carrier's freight invoices: those to review (``logistics_freight_open`` in
        the context: ``review``, ``unmatched``, ``month``), or all."""
        self.ensure_one()
        which = self.env.context.get("logistics_freight_open", "review")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_freight_billing.logistics_freight_invoice_action"
        )
        domain = [("carrier_id", "=", self.id)]
        if which == "review":
            domain.append(("state", "in", REVIEW_STATES))
        elif which == "unmatched":
            domain.append(("state", "=", "unmatched"))
        elif which == "month":
            month = fields.Date.context_today(self).replace(day=1)
            domain.append(("received_at", ">=", fields.Datetime.to_datetime(month)))
        return {**action, "domain": domain, "context": {}}

    def action_logistics_freight_accrue(self):
        """This carrier's delivered shipments not billed yet."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_freight_billing.logistics_freight_accrual_report_action"
        )
        return {**action, "domain": [("carrier_id", "=", self.id)], "context": {}}
