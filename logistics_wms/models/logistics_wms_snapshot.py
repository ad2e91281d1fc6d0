"""A 3PL's stock at a moment beside Odoo's: reconciled in SQL, so that a snapshot of
100,000 lines is compared in seconds and in bounded memory, then reviewed line by line
and applied as inventory adjustments where a person says so."""

from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.exceptions import UserError

SNAPSHOT_STATES = [("review", "To review"), ("done", "Done")]
LINE_STATES = [
    ("matched", "Matched"),
    ("difference", "Difference"),
    ("unknown", "Unknown product"),
    ("unit", "Unit not converted"),
    ("applied", "Applied"),
    ("ignored", "Ignored"),
]
#: Lines inserted per statement while a snapshot is stored.
CHUNK = 5000


class LogisticsWmsSnapshot(models.Model):
    """What a 3PL says it holds (X12 846, or a JSON inventory snapshot), product by
    product and lot by lot, against Odoo's quants in its warehouse at the same moment."""

    _name = "logistics.wms.snapshot"
    _description = "3PL Inventory Snapshot"
    _inherit = ["mail.thread"]
    _order = "taken_at desc, id desc"

    name = fields.Char(required=True, readonly=True, default="/")
    backend_id = fields.Many2one("logistics.backend", string="3PL", required=True, readonly=True)
    backend_name = fields.Char(related="backend_id.name", string="3PL name", store=True)
    warehouse_id = fields.Many2one("stock.warehouse", required=True, readonly=True, index=True)
    company_id = fields.Many2one(related="warehouse_id.company_id", store=True, index=True)
    message_id = fields.Many2one("logistics.message", readonly=True, ondelete="set null")
    taken_at = fields.Datetime(string="Stock at", required=True, readonly=True)
    partner_reference = fields.Char(string="3PL reference", readonly=True)
    partial = fields.Boolean(
        readonly=True, help="The 3PL listed only some products: the others are not compared."
    )
    state = fields.Selection(SNAPSHOT_STATES, default="review", required=True, tracking=True)
    line_ids = fields.One2many("logistics.wms.snapshot.line", "snapshot_id", readonly=True)
    line_count = fields.Integer(readonly=True, string="Lines")
    difference_count = fields.Integer(readonly=True, string="Differences")
    unknown_count = fields.Integer(
        readonly=True,
        string="Not compared",
        help="Lines of products Odoo does not know, or in a unit that does not convert to "
        "the product's: map the 3PL's codes (products, units) and ask the 3PL again.",
    )
    difference_value = fields.Monetary(
        readonly=True, help="What the open differences are worth at cost, in absolute value."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.model
    def _store(self, message, document, warehouse):
        """A snapshot of ``document`` (a canonical InventorySnapshot) for ``warehouse``,
        reconciled."""
        self.env.flush_all()  # the quants, products and tolerances the SQL below reads
        taken_at = document.taken_at or message.create_date
        snapshot = self.create(
            {
                "name": self.env["ir.sequence"].next_by_code("logistics.wms.snapshot") or "/",
                "backend_id": message.backend_id.id,
                "warehouse_id": warehouse.id,
                "message_id": message.id,
                "taken_at": taken_at.replace(tzinfo=None) if taken_at.tzinfo else taken_at,
                "partner_reference": document.partner_reference,
                "partial": document.partial,
            }
        )
        snapshot._insert_lines(document.lines)
        snapshot._reconcile()
        return snapshot

    def _insert_lines(self, lines):
        """The 3PL's lines, in temporary tables, then summed per product code and lot in
        the product's own unit: a unit the 3PL names is converted (its code mapped on the
        backend, or Odoo's standard one); a unit that does not convert leaves the line
        uncompared, its quantity as the 3PL gave it."""
        cr = self.env.cr
        cr.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS logistics_wms_raw "
            "(code varchar, lot varchar, quantity numeric, uom varchar) ON COMMIT DROP"
        )
        cr.execute("TRUNCATE logistics_wms_raw")
        rows, units = [], set()
        for line in lines:
            rows.append((line.product_code, line.lot_number or "", line.quantity, line.uom or ""))
            units.add(line.uom or "")
            if len(rows) >= CHUNK:
                execute_values(cr, "INSERT INTO logistics_wms_raw VALUES %s", rows)
                rows = []
        if rows:
            execute_values(cr, "INSERT INTO logistics_wms_raw VALUES %s", rows)
        self._insert_units(units - {""})
        cr.execute(
            """
            WITH raw AS (
                 SELECT raw.code, raw.lot, raw.quantity, raw.uom,
                        (SELECT product.id FROM product_product product
                           JOIN product_template template
                             ON template.id = product.product_tmpl_id
                          WHERE (product.default_code = raw.code OR product.barcode = raw.code)
                            AND (template.company_id IS NULL
                                 OR template.company_id = %(company)s)
                          ORDER BY product.active DESC, product.id LIMIT 1) AS product_id
                   FROM logistics_wms_raw raw),
                 converted AS (
                 SELECT raw.code, raw.lot, raw.product_id, raw.uom, raw.quantity AS given,
                        CASE WHEN raw.uom = '' OR raw.product_id IS NULL THEN raw.quantity
                             WHEN split_part(unit.parent_path, '/', 1)
                                  = split_part(own.parent_path, '/', 1)
                             THEN raw.quantity * unit.factor / own.factor
                        END AS quantity
                   FROM raw
                   LEFT JOIN logistics_wms_units units ON units.code = raw.uom
                   LEFT JOIN uom_uom unit ON unit.id = units.uom_id
                   LEFT JOIN product_product product ON product.id = raw.product_id
                   LEFT JOIN product_template template ON template.id = product.product_tmpl_id
                   LEFT JOIN uom_uom own ON own.id = template.uom_id)
            INSERT INTO logistics_wms_snapshot_line
                   (snapshot_id, product_code, lot_name, quantity_3pl, quantity_odoo,
                    product_id, uom_code, state, create_uid, write_uid, create_date, write_date)
            SELECT %(snapshot)s, code, lot,
                   CASE WHEN BOOL_OR(quantity IS NULL) THEN SUM(given) ELSE SUM(quantity) END,
                   0, product_id, STRING_AGG(DISTINCT NULLIF(uom, ''), ', '),
                   CASE WHEN BOOL_OR(quantity IS NULL) THEN 'unit' ELSE 'difference' END,
                   %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM converted
             GROUP BY code, lot, product_id
            """,
            {"snapshot": self.id, "company": self.company_id.id, "uid": self.env.uid},
        )
        cr.execute(
            """
            UPDATE logistics_wms_snapshot_line line
               SET lot_id = lot.id
              FROM stock_lot lot
             WHERE line.snapshot_id = %s AND line.lot_name != ''
               AND lot.product_id = line.product_id AND lot.name = line.lot_name
            """,
            [self.id],
        )
        cr.execute("DROP TABLE logistics_wms_units")

    def _insert_units(self, codes):
        """The 3PL's unit codes of the snapshot and the units they mean (none: unknown),
        in a temporary table."""
        Uom = self.env["logistics.wms.uom"]
        self.env.cr.execute(
            "CREATE TEMPORARY TABLE logistics_wms_units (code varchar, uom_id integer) "
            "ON COMMIT DROP"
        )
        rows = [(code, Uom._uom_of(self.backend_id, code).id or None) for code in sorted(codes)]
        if rows:
            execute_values(self.env.cr, "INSERT INTO logistics_wms_units VALUES %s", rows)

    def _reconcile(self):
        """Odoo's quantity of every product and lot in the warehouse at the snapshot's
        time (today's quants less what moved since), beside the 3PL's; what Odoo holds
        and a whole snapshot does not list, at zero; differences valued at cost and
        matched within their category's tolerance."""
        cr = self.env.cr
        stock = self.warehouse_id.lot_stock_id
        params = {
            "snapshot": self.id,
            "path": f"{stock.parent_path}%",
            "company": self.company_id.id,
            "taken_at": self.taken_at,
            "uid": self.env.uid,
        }
        cr.execute(
            """
            CREATE TEMPORARY TABLE logistics_wms_odoo ON COMMIT DROP AS
              WITH locations AS (
                   SELECT id FROM stock_location WHERE parent_path LIKE %(path)s),
                   quants AS (
                   SELECT product_id, lot_id, SUM(quantity) AS quantity
                     FROM stock_quant
                    WHERE location_id IN (SELECT id FROM locations)
                    GROUP BY product_id, lot_id),
                   since AS (
                   SELECT product_id, lot_id,
                          SUM(CASE WHEN location_dest_id IN (SELECT id FROM locations)
                                   THEN quantity_product_uom ELSE 0 END)
                        - SUM(CASE WHEN location_id IN (SELECT id FROM locations)
                                   THEN quantity_product_uom ELSE 0 END) AS quantity
                     FROM stock_move_line
                    WHERE state = 'done' AND date > %(taken_at)s
                      AND (location_id IN (SELECT id FROM locations)
                           OR location_dest_id IN (SELECT id FROM locations))
                    GROUP BY product_id, lot_id)
            SELECT COALESCE(quants.product_id, since.product_id) AS product_id,
                   COALESCE(quants.lot_id, since.lot_id) AS lot_id,
                   COALESCE(quants.quantity, 0) - COALESCE(since.quantity, 0) AS quantity
              FROM quants FULL JOIN since
                ON since.product_id = quants.product_id
               AND since.lot_id IS NOT DISTINCT FROM quants.lot_id
            """,
            params,
        )
        cr.execute(
            """
            UPDATE logistics_wms_snapshot_line line
               SET quantity_odoo = odoo.quantity
              FROM logistics_wms_odoo odoo
             WHERE line.snapshot_id = %(snapshot)s AND line.product_id = odoo.product_id
               AND line.lot_id IS NOT DISTINCT FROM odoo.lot_id
            """,
            params,
        )
        if not self.partial:
            cr.execute(
                """
                INSERT INTO logistics_wms_snapshot_line
                       (snapshot_id, product_id, lot_id, product_code, lot_name,
                        quantity_3pl, quantity_odoo, state,
                        create_uid, write_uid, create_date, write_date)
                SELECT %(snapshot)s, odoo.product_id, odoo.lot_id, product.default_code,
                       COALESCE(lot.name, ''), 0, odoo.quantity, 'difference',
                       %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM logistics_wms_odoo odoo
                  JOIN product_product product ON product.id = odoo.product_id
                  LEFT JOIN stock_lot lot ON lot.id = odoo.lot_id
                 WHERE odoo.quantity != 0
                   AND NOT EXISTS (
                       SELECT 1 FROM logistics_wms_snapshot_line line
                        WHERE line.snapshot_id = %(snapshot)s
                          AND line.product_id = odoo.product_id
                          AND line.lot_id IS NOT DISTINCT FROM odoo.lot_id)
                """,
                params,
            )
        cr.execute(
            """
            UPDATE logistics_wms_snapshot_line line
               SET difference = line.quantity_3pl - line.quantity_odoo,
                   value = (line.quantity_3pl - line.quantity_odoo)
                         * COALESCE((product.standard_price ->> %(company)s::text)::numeric, 0),
                   abs_value = ABS(line.quantity_3pl - line.quantity_odoo)
                         * COALESCE((product.standard_price ->> %(company)s::text)::numeric, 0),
                   state = CASE
                       WHEN ABS(line.quantity_3pl - line.quantity_odoo)
                            <= GREATEST(COALESCE(category.logistics_wms_tolerance_qty, 0),
                                        ABS(line.quantity_odoo)
                                        * COALESCE(category.logistics_wms_tolerance_percent, 0)
                                        / 100.0)
                       THEN 'matched' ELSE 'difference' END
              FROM product_product product
              JOIN product_template template ON template.id = product.product_tmpl_id
              LEFT JOIN product_category category ON category.id = template.categ_id
             WHERE line.snapshot_id = %(snapshot)s AND product.id = line.product_id
               AND line.state != 'unit'
            """,
            params,
        )
        cr.execute(
            """
            UPDATE logistics_wms_snapshot_line
               SET state = 'unknown', difference = quantity_3pl, value = 0
             WHERE snapshot_id = %(snapshot)s AND product_id IS NULL
            """,
            params,
        )
        # Stored for grouping and for the record rules: the snapshot's, on every line.
        cr.execute(
            """
            UPDATE logistics_wms_snapshot_line
               SET company_id = %(company)s, taken_at = %(taken_at)s, backend_id = %(backend)s
             WHERE snapshot_id = %(snapshot)s
            """,
            dict(params, backend=self.backend_id.id),
        )
        cr.execute("DROP TABLE logistics_wms_odoo")
        self.env["logistics.wms.snapshot.line"].invalidate_model()
        self._count()

    def _count(self):
        self.env.flush_all()
        cr = self.env.cr
        for snapshot in self:
            cr.execute(
                """
                SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'difference'),
                       COUNT(*) FILTER (WHERE state IN ('unknown', 'unit')),
                       COALESCE(SUM(ABS(value)) FILTER (WHERE state = 'difference'), 0)
                  FROM logistics_wms_snapshot_line WHERE snapshot_id = %s
                """,
                [snapshot.id],
            )
            lines, differences, unknown, value = cr.fetchone()
            snapshot.write(
                {
                    "line_count": lines,
                    "difference_count": differences,
                    "unknown_count": unknown,
                    "difference_value": value,
                }
            )

    def action_open_differences(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_wms.logistics_wms_snapshot_line_action"
        )
        action["domain"] = [("snapshot_id", "=", self.id)]
        action["context"] = {"search_default_differences": 1}
        return action

    def action_apply_all(self):
        """Apply every open difference of these snapshots."""
        self.line_ids.filtered(lambda line: line.state == "difference").action_apply()
        return True


class LogisticsWmsSnapshotLine(models.Model):
    _name = "logistics.wms.snapshot.line"
    _description = "3PL Inventory Snapshot Line"
    _order = "snapshot_id, state, abs_value desc, id"

    snapshot_id = fields.Many2one(
        "logistics.wms.snapshot", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="snapshot_id.company_id", store=True)
    taken_at = fields.Datetime(related="snapshot_id.taken_at", store=True)
    backend_id = fields.Many2one(related="snapshot_id.backend_id", store=True)
    product_id = fields.Many2one("product.product", readonly=True, index=True)
    categ_id = fields.Many2one(related="product_id.categ_id", string="Category")
    lot_id = fields.Many2one("stock.lot", readonly=True)
    product_code = fields.Char(string="3PL product", readonly=True)
    lot_name = fields.Char(string="3PL lot", readonly=True)
    uom_code = fields.Char(string="3PL unit", readonly=True)
    quantity_3pl = fields.Float(string="At the 3PL", digits="Product Unit", readonly=True)
    quantity_odoo = fields.Float(string="In Odoo", digits="Product Unit", readonly=True)
    difference = fields.Float(digits="Product Unit", readonly=True)
    value = fields.Float(readonly=True, aggregator="sum")
    abs_value = fields.Float(readonly=True)
    state = fields.Selection(LINE_STATES, required=True, readonly=True, index=True)

    def action_apply(self):
        """Make Odoo's stock what the 3PL counted, for these lines: an inventory
        adjustment per line in the warehouse's stock location, named after the snapshot."""
        if not self.env.user.has_group("logistics_wms.group_wms_manager"):
            raise UserError(self.env._("Only a warehouse manager applies a 3PL's stock to Odoo."))
        lines = self.filtered(lambda line: line.state == "difference")
        if any(not line.product_id for line in lines):
            raise UserError(self.env._("A line of an unknown product cannot be applied."))
        Quant = self.env["stock.quant"].sudo()
        for snapshot in lines.snapshot_id:
            location = snapshot.warehouse_id.lot_stock_id
            for line in lines.filtered(lambda line, s=snapshot: line.snapshot_id == s):
                quants = Quant._gather(line.product_id, location, lot_id=line.lot_id, strict=True)
                target = sum(quants.mapped("quantity")) + line.difference
                quant = Quant.with_context(inventory_mode=True).create(
                    {
                        "product_id": line.product_id.id,
                        "location_id": location.id,
                        "lot_id": line.lot_id.id,
                        "inventory_quantity": target,
                    }
                )
                quant.with_context(inventory_name=snapshot.name)._apply_inventory()
                quant.inventory_quantity_set = False
            snapshot.message_post(
                body=self.env._(
                    "%(count)s differences applied by %(user)s.",
                    count=len(lines.filtered(lambda line, s=snapshot: line.snapshot_id == s)),
                    user=self.env.user.name,
                )
            )
        lines.write({"state": "applied"})
        lines.snapshot_id._count()
        return True

    def action_ignore(self):
        self.filtered(lambda line: line.state == "difference").write({"state": "ignored"})
        self.snapshot_id._count()
        return True
