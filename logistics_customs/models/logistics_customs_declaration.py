from odoo import api, fields, models
from odoo.exceptions import UserError

from logistics_adapters import canonical as c

#: A declaration's states: a draft being prepared, then the clearance statuses.
STATES = [("draft", "Draft"), *c.CLEARANCE_STATUSES]
#: The customs procedure a declaration of each direction usually declares (CPC): a
#: permanent export, a release for free circulation.
DEFAULT_PROCEDURES = {"export": "1000", "import": "4000"}


class LogisticsCustomsDeclaration(models.Model):
    """A customs declaration of a transfer: who exports and imports what, where to, on which
    terms; its items with their tariff code, origin, weights and values. What is missing
    is listed item by item while it is prepared, before anything is sent."""

    _name = "logistics.customs.declaration"
    _description = "Customs Declaration"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(string="Reference", default="/", readonly=True, copy=False)
    direction = fields.Selection(
        [("export", "Export"), ("import", "Import")], required=True, default="export"
    )
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        group_expand=True,  # the board shows every status, empty or not
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    picking_id = fields.Many2one("stock.picking", string="Transfer", index="btree_not_null")
    sale_order_id = fields.Many2one(related="picking_id.sale_id", store=True, string="Sale order")
    backend_id = fields.Many2one(
        "logistics.backend",
        string="Broker",
        domain=[("kind", "=", "customs")],
        help="The customs broker or platform the declaration is sent through.",
    )
    exporter_id = fields.Many2one("res.partner")
    importer_id = fields.Many2one("res.partner")
    declarant_id = fields.Many2one(
        "res.partner",
        help="Who lodges the declaration (your company or its broker), with its EORI.",
    )
    incoterm_id = fields.Many2one("account.incoterms")
    procedure_code = fields.Char(
        string="Procedure",
        help="The customs procedure code (CPC): 1000 a permanent export, 4000 a release "
        "for free circulation...",
    )
    transport_reference = fields.Char(help="The tracking number, bill of lading or air waybill.")
    container_number = fields.Char()
    dispatch_country_id = fields.Many2one("res.country", string="Dispatched from")
    destination_country_id = fields.Many2one("res.country", string="Destination")
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    line_ids = fields.One2many(
        "logistics.customs.declaration.line", "declaration_id", string="Items", copy=True
    )
    total_value = fields.Monetary(compute="_compute_totals", store=True)
    net_weight = fields.Float(string="Net weight (kg)", compute="_compute_totals", store=True)
    gross_weight = fields.Float(string="Gross weight (kg)")
    mrn = fields.Char(
        string="MRN", readonly=True, copy=False, help="The movement reference customs gave."
    )
    missing = fields.Text(
        compute="_compute_missing", help="What must be completed before it can be sent."
    )
    missing_count = fields.Integer(compute="_compute_missing")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("logistics.customs.declaration")
        return super().create(vals_list)

    @api.depends("line_ids.value", "line_ids.net_weight")
    def _compute_totals(self):
        for declaration in self:
            declaration.total_value = sum(declaration.line_ids.mapped("value"))
            declaration.net_weight = sum(declaration.line_ids.mapped("net_weight"))

    @api.depends(
        "exporter_id.logistics_eori",
        "importer_id.country_id",
        "declarant_id.logistics_eori",
        "incoterm_id",
        "procedure_code",
        "destination_country_id",
        "dispatch_country_id",
        "line_ids.hs_code",
        "line_ids.origin_country_id",
        "line_ids.quantity",
        "line_ids.net_weight",
        "line_ids.value",
    )
    def _compute_missing(self):
        for declaration in self:
            problems = declaration._missing()
            declaration.missing = "\n".join(problems) or False
            declaration.missing_count = len(problems)

    def _missing(self):
        """What must be completed before this declaration can be sent: a line each, naming
        the field, the item, and where to fill it in."""
        self.ensure_one()
        problems = []
        eori = self.env._("no EORI number: set it on the contact (Sales & Purchase tab, EORI)")
        trader = self.exporter_id if self.direction == "export" else self.importer_id
        role = self.env._("Exporter") if self.direction == "export" else self.env._("Importer")
        if not trader:
            problems.append(self.env._("%(role)s: choose the contact.", role=role))
        elif not trader.logistics_eori:
            problems.append(f"{role} {trader.display_name}: {eori}.")
        if not self.declarant_id:
            problems.append(self.env._("Declarant: choose who lodges the declaration."))
        elif not self.declarant_id.logistics_eori:
            problems.append(f"{self.env._('Declarant')} {self.declarant_id.display_name}: {eori}.")
        if not self.incoterm_id:
            problems.append(self.env._("Incoterm: choose one here (or on the sale order)."))
        if not self.procedure_code:
            problems.append(self.env._("Procedure: give the customs procedure code (CPC)."))
        if not self.dispatch_country_id:
            problems.append(self.env._("Dispatched from: choose the country the goods leave."))
        if not self.destination_country_id:
            problems.append(self.env._("Destination: choose the country the goods go to."))
        if not self.line_ids:
            problems.append(self.env._("Items: none; refresh them from the transfer or add them."))
        for number, line in enumerate(self.line_ids, start=1):
            item = line.description or line.product_id.display_name or "?"
            for problem in line._missing():
                problems.append(
                    self.env._(
                        "Item %(number)s (%(item)s): %(problem)s",
                        number=number,
                        item=item,
                        problem=problem,
                    )
                )
        return problems

    # ------------------------------------------------------------------ building

    @api.model
    def _vals_from_picking(self, picking):
        """The values of a declaration of ``picking`` (an outgoing transfer an export, an
        incoming one an import): its parties, countries, terms and items."""
        company = picking.company_id
        us = company.partner_id
        them = (picking.partner_id or us).commercial_partner_id
        export = picking.picking_type_code != "incoming"
        sale = picking.sale_id
        return {
            "direction": "export" if export else "import",
            "company_id": company.id,
            "picking_id": picking.id,
            "exporter_id": (us if export else them).id,
            "importer_id": (them if export else us).id,
            "declarant_id": us.id,
            "incoterm_id": (sale.incoterm or company.incoterm_id).id,
            "procedure_code": DEFAULT_PROCEDURES["export" if export else "import"],
            "transport_reference": picking.carrier_tracking_ref or False,
            "dispatch_country_id": (us if export else them).country_id.id,
            "destination_country_id": (picking.partner_id or them).country_id.id
            if export
            else us.country_id.id,
            "currency_id": (sale.currency_id or company.currency_id).id,
            "gross_weight": picking.shipping_weight or picking.weight,
            "line_ids": [
                (0, 0, vals)
                for vals in self.env["logistics.customs.declaration.line"]._vals_of(picking)
            ],
        }

    def action_refresh_items(self):
        """Build the items again from the transfer (after its products were completed)."""
        for declaration in self:
            declaration._check_draft()
            if not declaration.picking_id:
                raise UserError(
                    self.env._("%(name)s has no transfer to read.", name=declaration.name)
                )
            Line = self.env["logistics.customs.declaration.line"]
            declaration.line_ids = [(5, 0, 0)] + [
                (0, 0, v) for v in Line._vals_of(declaration.picking_id)
            ]
        return True

    # ------------------------------------------------------------------ decisions

    def action_check(self):
        """Say what is missing, item by item, or that the declaration is complete."""
        for declaration in self:
            problems = declaration._missing()
            if problems:
                raise UserError(
                    self.env._(
                        "%(name)s cannot be sent yet:\n%(problems)s",
                        name=declaration.name,
                        problems="\n".join(f"- {problem}" for problem in problems),
                    )
                )
        self.message_post(body=self.env._("Checked: complete, nothing is missing."))
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_draft(self):
        done = self.filtered(lambda d: d.state not in ("rejected", "cancelled"))
        if done:
            raise UserError(
                self.env._(
                    "Only a rejected or cancelled declaration goes back to draft (%(names)s "
                    "is %(state)s).",
                    names=", ".join(done.mapped("name")),
                    state=done[0].state,
                )
            )
        self.write({"state": "draft"})
        return True

    def _check_draft(self):
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "%(name)s is no longer a draft: its items are what was declared.",
                    name=self.name,
                )
            )
