"""What the shipments a freight invoice bills were expected to cost, read for a batch in a
few queries: a load's accepted rate (the contract) or its estimate, else the labels bought
for a transfer, else its carrier's quote; converted to the invoice's currency."""


class ExpectedCosts:
    """What matched shipments were expected to cost, read for a batch in a few queries."""

    def __init__(self, env, company):
        self.env = env
        self.cr = env.cr
        self.company = company
        self.orders = {}
        self.order_of_picking = {}
        self.pickings = {}
        self.customers = {}

    def load(self, shipments):
        pickings = {s.picking_id for s in shipments if s.picking_id}
        if pickings:
            self.cr.execute(
                """SELECT r.picking_id, r.order_id
                     FROM logistics_transport_order_stock_picking_rel r
                     JOIN logistics_transport_order o ON o.id = r.order_id
                    WHERE r.picking_id = ANY(%s) AND o.state != 'cancelled'""",
                [list(pickings)],
            )
            self.order_of_picking = dict(self.cr.fetchall())
        orders = {s.order_id for s in shipments if s.order_id} | set(self.order_of_picking.values())
        if orders:
            self.cr.execute(
                """SELECT o.id, o.estimated_cost, o.currency_id, o.sale_order_id,
                          (SELECT ARRAY[t.rate, t.currency_id] FROM logistics_transport_tender t
                            WHERE t.order_id = o.id AND t.state = 'accepted'
                            ORDER BY t.sequence DESC LIMIT 1)
                     FROM logistics_transport_order o WHERE o.id = ANY(%s)""",
                [list(orders)],
            )
            self.orders = {row[0]: row[1:] for row in self.cr.fetchall()}
        if pickings:
            self.cr.execute(
                """SELECT p.id, p.carrier_price, p.sale_id, c.currency_id,
                          (SELECT ARRAY[SUM(pa.price), MIN(pa.currency_id)]
                             FROM logistics_carrier_parcel pa
                            WHERE pa.picking_id = p.id AND pa.state != 'refunded'
                           HAVING COUNT(*) > 0)
                     FROM stock_picking p JOIN res_company c ON c.id = p.company_id
                    WHERE p.id = ANY(%s)""",
                [list(pickings)],
            )
            self.pickings = {row[0]: row[1:] for row in self.cr.fetchall()}

    def apply(self, shipment):
        """Set the shipment's expected cost, its source and its sale order."""
        order = shipment.order_id or self.order_of_picking.get(shipment.picking_id)
        if order:
            # A transfer that travels in a load bills the load: it is no longer to accrue,
            # nor proposed to another invoice.
            shipment.order_id = order
            estimate, currency, sale, accepted = self.orders[order]
            if accepted and accepted[0]:
                amount, source, currency = accepted[0], "contract", int(accepted[1] or currency)
            else:
                amount, source = estimate or 0.0, "estimate"
        else:
            quote, sale, currency, labels = self.pickings[shipment.picking_id]
            if labels:
                amount, source, currency = labels[0], "label", int(labels[1])
            else:
                amount, source = quote or 0.0, "quote"
        shipment.expected = self._convert(float(amount), currency, shipment.invoice)
        shipment.source = source
        shipment.sale_order_id = sale or self.pickings.get(shipment.picking_id, (None, None))[1]

    def _convert(self, amount, currency_id, invoice):
        if not currency_id or currency_id == invoice.currency_id:
            return amount
        Currency = self.env["res.currency"]
        return Currency.browse(currency_id)._convert(
            amount, Currency.browse(invoice.currency_id), self.company, invoice.day
        )

    def customer(self, sale_order_id):
        """The commercial partner of sale order ``sale_order_id`` (those of the batch read
        at once)."""
        if sale_order_id not in self.customers:
            sales = {sale for _order, (_e, _c, sale, _a) in self.orders.items() if sale} | {
                sale for _p, (_q, sale, _c, _l) in self.pickings.items() if sale
            }
            self.cr.execute(
                """SELECT so.id, partner.commercial_partner_id FROM sale_order so
                     JOIN res_partner partner ON partner.id = so.partner_id
                    WHERE so.id = ANY(%s)""",
                [list(sales | {sale_order_id})],
            )
            self.customers.update(self.cr.fetchall())
        return self.customers.get(sale_order_id)
