from odoo import api, fields, models

from .logistics_freight_match_key import MATCH_KEYS

EXPECTED_SOURCES = [
    ("label", "Label bought"),
    ("quote", "Carrier's quote"),
    ("contract", "Contract rate (accepted tender)"),
    ("estimate", "Transport order estimate"),
]


class LogisticsFreightInvoiceShipment(models.Model):
    """One shipment a freight invoice bills (the invoice itself when it bills one): the
    references it names, what it was matched to, and what it was expected to cost."""

    _name = "logistics.freight.invoice.shipment"
    _description = "Freight Invoice Shipment"
    _order = "invoice_id, sequence, id"

    invoice_id = fields.Many2one(
        "logistics.freight.invoice", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="invoice_id.company_id", store=True)
    carrier_id = fields.Many2one(related="invoice_id.carrier_id")
    sequence = fields.Integer(default=10)
    pro_number = fields.Char(string="PRO", readonly=True)
    bol_number = fields.Char(string="BOL", readonly=True)
    po_number = fields.Char(string="PO", readonly=True)
    shipment_ref = fields.Char(string="Shipment id", readonly=True)
    tracking_numbers = fields.Char(readonly=True)
    other_references = fields.Char(readonly=True)
    weight_kg = fields.Float(string="Weight (kg)", readonly=True)
    delivery_date = fields.Date(readonly=True)
    line_ids = fields.One2many("logistics.freight.invoice.line", "shipment_id", string="Charges")
    billed = fields.Monetary(compute="_compute_billed", store=True)
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    picking_id = fields.Many2one("stock.picking", string="Transfer", index="btree_not_null")
    transport_order_id = fields.Many2one(
        "logistics.transport.order", string="Transport order", index="btree_not_null"
    )
    sale_order_id = fields.Many2one(
        "sale.order", compute="_compute_sale_order", store=True, index="btree_not_null"
    )
    matched_by = fields.Selection([*MATCH_KEYS, ("hand", "By hand")], readonly=True)
    expected = fields.Monetary(readonly=True)
    expected_source = fields.Selection(EXPECTED_SOURCES, readonly=True)
    candidate_order_ids = fields.Many2many(
        "logistics.transport.order",
        "logistics_freight_candidate_order_rel",
        string="Candidate transport orders",
        readonly=True,
    )
    candidate_picking_ids = fields.Many2many(
        "stock.picking",
        "logistics_freight_candidate_picking_rel",
        string="Candidate transfers",
        readonly=True,
    )

    @api.depends("line_ids.amount")
    def _compute_billed(self):
        for shipment in self:
            shipment.billed = sum(shipment.line_ids.mapped("amount"))

    @api.depends("picking_id.sale_id", "transport_order_id.sale_order_id")
    def _compute_sale_order(self):
        for shipment in self:
            shipment.sale_order_id = (
                shipment.transport_order_id.sale_order_id or shipment.picking_id.sale_id
            )

    def write(self, vals):
        if {"picking_id", "transport_order_id"} & set(vals) and "matched_by" not in vals:
            vals = {**vals, "matched_by": "hand"}
        return super().write(vals)

    @api.model
    def _row(self, invoice_id, company_id, sequence, shipment):
        """The column values of a shipment row of the canonical :class:`FreightShipment`."""
        refs = shipment.references
        known = {"pro", "bill_of_lading", "purchase_order", "shipment_id", "tracking_number"}
        tracking = [*shipment.tracking_numbers]
        if refs.get("tracking_number") and refs["tracking_number"] not in tracking:
            tracking.append(refs["tracking_number"])
        others = "; ".join(f"{kind}: {value}" for kind, value in refs.items() if kind not in known)
        return {
            "invoice_id": invoice_id,
            "company_id": company_id,
            "sequence": sequence,
            "pro_number": refs.get("pro") or None,
            "bol_number": refs.get("bill_of_lading") or None,
            "po_number": refs.get("purchase_order") or None,
            "shipment_ref": refs.get("shipment_id") or None,
            "tracking_numbers": ", ".join(tracking) or None,
            "other_references": others or None,
            "weight_kg": shipment.weight_kg or 0.0,
            "delivery_date": shipment.delivery_date,
            "billed": float(shipment.charges_total()),
            "expected": 0.0,
        }
