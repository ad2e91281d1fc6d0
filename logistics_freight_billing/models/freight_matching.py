"""Freight invoice shipments matched to what the company shipped: by the carrier's keys in
its order (PRO, bill of lading, tracking number, shipment id, purchase order), each key
looked up for the whole batch in one query per kind of record; the first key that names
exactly one transport order or transfer decides. Shipments nothing names get candidates:
the carrier's delivered loads and transfers not billed yet, the closest in cost first."""

from collections import defaultdict

from .logistics_freight_match_key import DEFAULT_KEYS

CANDIDATES = 3
#: Transport order states a carrier bills.
BILLABLE_ORDER_STATES = ("accepted", "in_transit", "delivered", "closed")


class Matcher:
    """Match shipments of freight invoices of ``company``."""

    def __init__(self, env, company):
        self.env = env
        self.company = company
        self.Order = env["logistics.transport.order"].sudo()
        self.Picking = env["stock.picking"].sudo()

    def match(self, shipments):
        """Set the transport order or transfer of each shipment (the audit's plain
        shipments) its references name, and by which key."""
        if not shipments:
            return
        keys = self._keys({shipment.invoice.carrier_id for shipment in shipments})
        wanted = defaultdict(set)
        for shipment in shipments:
            for key in keys[shipment.invoice.carrier_id]:
                wanted[key].update(shipment.values(key))
        index = {key: self._lookup(key, values) for key, values in wanted.items() if values}
        for shipment in shipments:
            for key in keys[shipment.invoice.carrier_id]:
                found = set()
                for value in shipment.values(key):
                    found |= index.get(key, {}).get(value, set())
                if len(found) == 1:
                    ((kind, record_id),) = found
                    if kind == "order":
                        shipment.order_id = record_id
                    else:
                        shipment.picking_id = record_id
                    shipment.matched_by = key
                    break

    def _keys(self, carrier_ids):
        """``{carrier id: keys in order}``: the carrier's own, else all of them."""
        rows = self.env["logistics.freight.match.key"].search(
            [("carrier_id", "in", [carrier for carrier in carrier_ids if carrier])]
        )
        keys = defaultdict(lambda: DEFAULT_KEYS)
        for row in rows:
            if keys[row.carrier_id.id] is DEFAULT_KEYS:
                keys[row.carrier_id.id] = []
            keys[row.carrier_id.id].append(row.key)
        return keys

    def _lookup(self, key, values):
        """``{value: {(kind, id)}}`` of the transport orders and transfers ``key`` names."""
        values = list(values)
        found = defaultdict(set)
        company = [("company_id", "=", self.company.id)]
        order_fields = {
            "pro": ["pro_number"],
            "bill_of_lading": ["bol_number"],
            "shipment_id": ["name"],
            "purchase_order": ["po_number"],
        }.get(key, [])
        for field in order_fields:
            for row in self.Order.search_read(
                [*company, (field, "in", values), ("state", "!=", "cancelled")], [field]
            ):
                found[row[field]].add(("order", row["id"]))
        pickings = [*company, ("state", "!=", "cancel"), ("picking_type_code", "=", "outgoing")]
        if key == "shipment_id":
            for row in self.Picking.search_read([*pickings, ("name", "in", values)], ["name"]):
                found[row["name"]].add(("picking", row["id"]))
        elif key == "tracking_number":
            self._tracking(values, pickings, found)
        elif key == "purchase_order":
            for picking in self.Picking.search(
                [*pickings, ("sale_id.client_order_ref", "in", values)]
            ):
                found[picking.sale_id.client_order_ref].add(("picking", picking.id))
        return found

    def _tracking(self, values, pickings, found):
        Parcel = self.env["logistics.carrier.parcel"].sudo()
        for row in Parcel.search_read(
            [("tracking_number", "in", values), ("state", "!=", "refunded")],
            ["tracking_number", "picking_id"],
        ):
            found[row["tracking_number"]].add(("picking", row["picking_id"][0]))
        for row in self.Picking.search_read(
            [*pickings, ("carrier_tracking_ref", "in", values)], ["carrier_tracking_ref"]
        ):
            found[row["carrier_tracking_ref"]].add(("picking", row["id"]))

    def propose(self, shipments):
        """Candidates for shipments nothing matched: the carrier's loads and transfers that
        no invoice bills yet, the closest to the shipment's amount first."""
        unbilled = {}
        for shipment in shipments:
            carrier = shipment.carrier_id.id
            if carrier not in unbilled:
                unbilled[carrier] = self._unbilled(carrier)
            order_ids, picking_ids = unbilled[carrier]
            orders = self.Order.browse(order_ids).sorted(
                lambda order, s=shipment: abs(order.estimated_cost - s.billed)
            )
            shipment.write(
                {
                    "candidate_order_ids": [(6, 0, orders[:CANDIDATES].ids)],
                    "candidate_picking_ids": [(6, 0, picking_ids)],
                }
            )

    def _unbilled(self, carrier_id):
        """``(order ids, picking ids)``: the latest loads (50) and transfers (CANDIDATES)
        of carrier ``carrier_id`` that no invoice that counts bills (none without a
        carrier)."""
        if not carrier_id:
            return [], []
        billed = """SELECT 1 FROM logistics_freight_invoice_shipment s
                      JOIN logistics_freight_invoice i ON i.id = s.invoice_id
                     WHERE s.{column} = {alias}.id
                       AND i.state NOT IN ('duplicate', 'cancelled')"""
        self.env.flush_all()
        self.env.cr.execute(
            f"""SELECT o.id FROM logistics_transport_order o
                 WHERE o.company_id = %s AND o.carrier_id = %s AND o.state IN %s
                   AND NOT EXISTS ({billed.format(column="transport_order_id", alias="o")})
                 ORDER BY o.id DESC LIMIT 50""",
            [self.company.id, carrier_id, BILLABLE_ORDER_STATES],
        )
        orders = [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute(
            f"""SELECT p.id FROM stock_picking p
                  JOIN delivery_carrier dc ON dc.id = p.carrier_id
                 WHERE p.company_id = %s AND dc.logistics_freight_carrier_id = %s
                   AND p.state = 'done'
                   AND NOT EXISTS ({billed.format(column="picking_id", alias="p")})
                 ORDER BY p.date_done DESC, p.id DESC LIMIT %s""",
            [self.company.id, carrier_id, CANDIDATES],
        )
        return orders, [row[0] for row in self.env.cr.fetchall()]
