from odoo import fields, models


class LogisticsFreightMarginReport(models.Model):
    """Freight margin per sale order: what the customer was charged for delivery (the
    order's delivery lines) against what carriers billed for its shipments (the invoices
    billed or approved, by the shipments matched to the order)."""

    _name = "logistics.freight.margin.report"
    _description = "Freight Margin"
    _auto = False
    _order = "date_order desc"

    sale_order_id = fields.Many2one("sale.order", readonly=True)
    customer_id = fields.Many2one("res.partner", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    date_order = fields.Datetime(string="Order date", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    charged = fields.Monetary(string="Charged to the customer", readonly=True)
    cost = fields.Monetary(string="Billed by carriers", readonly=True)
    margin = fields.Monetary(readonly=True)
    margin_percent = fields.Float(string="Margin (%)", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return """
            WITH charged AS (
                SELECT order_id, SUM(price_subtotal) AS amount
                  FROM sale_order_line WHERE is_delivery GROUP BY order_id
            ), cost AS (
                SELECT s.sale_order_id AS order_id, SUM(s.billed) AS amount
                  FROM logistics_freight_invoice_shipment s
                  JOIN logistics_freight_invoice i ON i.id = s.invoice_id
                 WHERE i.state IN ('approved', 'billed') AND s.sale_order_id IS NOT NULL
                 GROUP BY s.sale_order_id
            )
            SELECT so.id AS id, so.id AS sale_order_id,
                   partner.commercial_partner_id AS customer_id,
                   so.company_id, so.user_id, so.date_order, so.currency_id,
                   COALESCE(charged.amount, 0) AS charged,
                   COALESCE(cost.amount, 0) AS cost,
                   COALESCE(charged.amount, 0) - COALESCE(cost.amount, 0) AS margin,
                   CASE WHEN COALESCE(charged.amount, 0) = 0 THEN 0
                        ELSE 100 * (charged.amount - COALESCE(cost.amount, 0)) / charged.amount
                   END AS margin_percent
              FROM sale_order so
              JOIN res_partner partner ON partner.id = so.partner_id
              LEFT JOIN charged ON charged.order_id = so.id
              LEFT JOIN cost ON cost.order_id = so.id
             WHERE cost.order_id IS NOT NULL OR (charged.order_id IS NOT NULL
                   AND so.state = 'sale')
        """
