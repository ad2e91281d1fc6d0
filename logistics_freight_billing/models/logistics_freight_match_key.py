from odoo import fields, models

#: What a freight invoice may name its shipments by, in the default order of trying them.
MATCH_KEYS = [
    ("pro", "PRO number"),
    ("bill_of_lading", "Bill of lading"),
    ("tracking_number", "Tracking number"),
    ("shipment_id", "Shipment id"),
    ("purchase_order", "Purchase order"),
]
DEFAULT_KEYS = tuple(key for key, _label in MATCH_KEYS)


class LogisticsFreightMatchKey(models.Model):
    """One key a carrier's invoices are matched to shipments by, in its order: the first
    that finds exactly one shipment decides. A carrier without keys of its own uses them
    all, PRO first."""

    _name = "logistics.freight.match.key"
    _description = "Freight Invoice Matching Key"
    _order = "carrier_id, sequence, id"

    carrier_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    key = fields.Selection(MATCH_KEYS, required=True)

    _key_unique = models.Constraint(
        "UNIQUE(carrier_id, key)", "A carrier lists a matching key once."
    )
