from collections import defaultdict

from odoo import fields, models

RELEASE_MODES = [
    ("auto", "As soon as ready"),
    ("scheduled", "On a schedule"),
    ("manual", "By a person"),
]
#: The counts of the 3PL overview, each the transfers of a domain of ``_logistics_wms_domains``.
COUNTS = ("to_release", "held", "open", "late", "receipts")
SHORTAGE_POLICIES = [
    ("backorder", "Keep the rest as a backorder"),
    ("cancel", "Cancel the rest"),
]


def _overview(field_class, string, **options):
    """A figure of the 3PL overview, computed with the others."""
    return field_class(compute="_compute_logistics_wms_overview", string=string, **options)


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    logistics_wms_backend_id = fields.Many2one(
        "logistics.backend",
        string="Operated by (3PL)",
        domain=[("kind", "=", "wms")],
        help="The 3PL or warehouse system that picks, packs and ships this warehouse's "
        "orders: its deliveries and receipts are released to it and validated by its "
        "confirmations.",
    )
    logistics_wms_release_mode = fields.Selection(
        RELEASE_MODES,
        string="Release orders",
        default="auto",
        required=True,
        help="As soon as ready: a delivery goes to the 3PL when its goods are reserved. On a "
        "schedule: the ready ones go every quarter of an hour. By a person: with the "
        "Release button.",
    )
    logistics_wms_hold_unpaid = fields.Boolean(
        string="Hold unpaid orders",
        help="Deliveries of sale orders whose invoices are not all paid wait until they are.",
    )
    logistics_wms_shortage = fields.Selection(
        SHORTAGE_POLICIES,
        string="When the 3PL ships less",
        default="backorder",
        required=True,
    )
    logistics_wms_sla_hours = fields.Integer(
        string="Ship within (hours)",
        default=24,
        help="A released delivery not confirmed shipped within this time shows as late.",
    )

    # ------------------------------------------------------------------ overview

    logistics_wms_backend_name = fields.Char(
        related="logistics_wms_backend_id.name", string="3PL name"
    )
    logistics_wms_count_to_release = _overview(fields.Integer, "To release")
    logistics_wms_count_held = _overview(fields.Integer, "Held")
    logistics_wms_count_open = _overview(fields.Integer, "At the 3PL")
    logistics_wms_count_late = _overview(fields.Integer, "Late")
    logistics_wms_count_receipts = _overview(fields.Integer, "Receipts expected")
    logistics_wms_count_differences = _overview(fields.Integer, "Stock differences")
    logistics_wms_difference_value = _overview(
        fields.Monetary,
        "Differences worth",
        currency_field="logistics_wms_currency_id",
        help="What the open stock differences of its snapshots are worth at cost.",
    )
    logistics_wms_currency_id = fields.Many2one(related="company_id.currency_id")
    logistics_wms_last_snapshot_at = _overview(fields.Datetime, "Last stock report")

    def _logistics_wms_domains(self):
        """The pickings behind each count of the overview, by count."""
        operated = [("picking_type_id.warehouse_id", "in", self.ids)]
        return {
            "to_release": operated
            + [
                ("logistics_wms_state", "=", False),
                ("picking_type_code", "in", ("outgoing", "incoming")),
                ("state", "=", "assigned"),
            ],
            "held": operated + [("logistics_wms_state", "=", "held")],
            "open": operated
            + [
                ("logistics_wms_state", "in", ("released", "partial")),
                ("picking_type_code", "=", "outgoing"),
            ],
            "late": operated + [("logistics_wms_late", "=", True)],
            "receipts": operated
            + [
                ("logistics_wms_state", "in", ("released", "partial")),
                ("picking_type_code", "=", "incoming"),
            ],
        }

    def _compute_logistics_wms_overview(self):
        operated = self.filtered("logistics_wms_backend_id")
        counts = defaultdict(int)
        for key, domain in operated._logistics_wms_domains().items():
            for picking_type, count in self.env["stock.picking"]._read_group(
                domain, ["picking_type_id"], ["__count"]
            ):
                counts[key, picking_type.warehouse_id.id] += count
        differences = {
            warehouse.id: (count, value)
            for warehouse, count, value in self.env["logistics.wms.snapshot.line"]._read_group(
                [("snapshot_id.warehouse_id", "in", operated.ids), ("state", "=", "difference")],
                ["snapshot_id.warehouse_id"],
                ["__count", "abs_value:sum"],
            )
        }
        last = dict(
            self.env["logistics.wms.snapshot"]._read_group(
                [("warehouse_id", "in", operated.ids)], ["warehouse_id"], ["taken_at:max"]
            )
        )
        for warehouse in self:
            for key in COUNTS:
                warehouse[f"logistics_wms_count_{key}"] = counts[key, warehouse.id]
            count, value = differences.get(warehouse.id, (0, 0.0))
            warehouse.logistics_wms_count_differences = count
            warehouse.logistics_wms_difference_value = value
            warehouse.logistics_wms_last_snapshot_at = last.get(warehouse, False)

    def action_logistics_wms_open(self):
        """The transfers behind one count of the overview (the button's ``count`` in the
        context: to_release, held, open, late, receipts)."""
        self.ensure_one()
        count = self.env.context.get("logistics_wms_count", "open")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_wms.stock_picking_action_logistics_wms"
        )
        action["domain"] = self._logistics_wms_domains()[count]
        action["context"] = {}
        action["display_name"] = (
            f"{self.name}: {self._fields[f'logistics_wms_count_{count}'].string}"
        )
        return action

    def action_logistics_wms_differences(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_wms.logistics_wms_snapshot_line_action"
        )
        action["domain"] = [("snapshot_id.warehouse_id", "=", self.id)]
        return action

    def action_logistics_wms_snapshots(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_wms.logistics_wms_snapshot_action"
        )
        action["domain"] = [("warehouse_id", "=", self.id)]
        action["context"] = {}
        return action
