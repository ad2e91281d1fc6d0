from odoo import api, fields, models


class LogisticsFreightAccrualReport(models.Model):
    """Shipments delivered and not billed yet, with what they are expected to cost: the
    freight to accrue at a period's close. A load counts once delivered (or closed) until
    an invoice that counts matches it; a transfer shipped with a carrier that bills (its
    delivery method's *Billed by*) once done, unless it travels in a load."""

    _name = "logistics.freight.accrual.report"
    _description = "Freight to Accrue"
    _auto = False
    _order = "delivered_at desc"

    company_id = fields.Many2one("res.company", readonly=True)
    carrier_id = fields.Many2one("res.partner", readonly=True)
    kind = fields.Selection([("load", "Load"), ("transfer", "Transfer")], readonly=True)
    transport_order_id = fields.Many2one("logistics.transport.order", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True)
    customer_id = fields.Many2one("res.partner", readonly=True)
    delivered_at = fields.Datetime(readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    expected = fields.Monetary(string="Expected cost", readonly=True)

    @property
    def _table_query(self):
        return f"{self._loads()} UNION ALL {self._transfers()}"

    @api.model
    def _loads(self):
        return """
            SELECT o.id AS id, o.company_id, o.carrier_id, 'load' AS kind,
                   o.id AS transport_order_id, NULL::integer AS picking_id,
                   o.sale_order_id, so.partner_id AS customer_id,
                   COALESCE(o.last_milestone_at, o.write_date) AS delivered_at,
                   o.currency_id,
                   COALESCE(
                       (SELECT t.rate FROM logistics_transport_tender t
                         WHERE t.order_id = o.id AND t.state = 'accepted'
                         ORDER BY t.sequence DESC LIMIT 1),
                       o.estimated_cost, 0
                   ) AS expected
              FROM logistics_transport_order o
              LEFT JOIN sale_order so ON so.id = o.sale_order_id
             WHERE o.state IN ('delivered', 'closed')
               AND NOT EXISTS (
                   SELECT 1 FROM logistics_freight_invoice_shipment s
                     JOIN logistics_freight_invoice i ON i.id = s.invoice_id
                    WHERE s.transport_order_id = o.id
                      AND i.state NOT IN ('duplicate', 'cancelled'))
        """

    @api.model
    def _transfers(self):
        # Negative ids keep transfers apart from loads in one list.
        return """
            SELECT -p.id AS id, p.company_id, dc.logistics_freight_carrier_id AS carrier_id,
                   'transfer' AS kind, NULL::integer AS transport_order_id,
                   p.id AS picking_id, p.sale_id AS sale_order_id,
                   p.partner_id AS customer_id,
                   COALESCE(p.logistics_delivered_at, p.date_done) AS delivered_at,
                   c.currency_id,
                   COALESCE(
                       (SELECT SUM(pa.price) FROM logistics_carrier_parcel pa
                         WHERE pa.picking_id = p.id AND pa.state != 'refunded'),
                       p.carrier_price, 0
                   ) AS expected
              FROM stock_picking p
              JOIN stock_picking_type pt ON pt.id = p.picking_type_id AND pt.code = 'outgoing'
              JOIN delivery_carrier dc ON dc.id = p.carrier_id
              JOIN res_company c ON c.id = p.company_id
             WHERE p.state = 'done'
               AND dc.logistics_freight_carrier_id IS NOT NULL
               AND NOT EXISTS (
                   SELECT 1 FROM logistics_transport_order_stock_picking_rel r
                    WHERE r.picking_id = p.id)
               AND NOT EXISTS (
                   SELECT 1 FROM logistics_freight_invoice_shipment s
                     JOIN logistics_freight_invoice i ON i.id = s.invoice_id
                    WHERE s.picking_id = p.id
                      AND i.state NOT IN ('duplicate', 'cancelled'))
        """
