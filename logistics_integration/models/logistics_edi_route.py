from odoo import api, fields, models
from odoo.exceptions import UserError

from .logistics_backend_edi import EDI_STANDARDS


class LogisticsEdiRoute(models.Model):
    """Which flow takes which EDI document: data, so that the business addons register
    their flows (a 214 to transport milestones, a 945 to warehouse shipments) and the EDI
    layer knows no document's meaning.

    A line matches a transaction set or message type (``214``, ``IFTSTA``) of one backend
    or of every backend (empty), for one version or every version (empty); the most
    specific line wins.
    """

    _name = "logistics.edi.route"
    _description = "Logistics EDI Flow Routing"
    _order = "backend_id, document, version"
    _rec_name = "document"

    backend_id = fields.Many2one(
        "logistics.backend",
        index=True,
        ondelete="cascade",
        help="Leave empty for every EDI backend.",
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    standard = fields.Selection(EDI_STANDARDS, required=True, default="x12")
    document = fields.Char(
        string="Transaction set / message",
        required=True,
        help="X12 transaction set identifier (ST01, such as 214) or EDIFACT message type "
        "(UNH02, such as IFTSTA).",
    )
    version = fields.Char(
        help="X12 GS08 (004010, 005010...) or EDIFACT version (D:96A); empty for any."
    )
    message_type_id = fields.Many2one(
        "logistics.message.type",
        string="Flow",
        required=True,
        ondelete="cascade",
        domain=[("direction", "=", "inbound")],
    )
    active = fields.Boolean(default=True)

    _route_unique = models.UniqueIndex(
        "(COALESCE(backend_id, 0), standard, upper(document), COALESCE(version, '')) WHERE active",
        "A document is routed once per backend and version.",
    )

    @api.constrains("message_type_id")
    def _check_message_type(self):
        for route in self:
            if route.message_type_id.direction != "inbound":
                raise UserError(
                    self.env._(
                        "EDI documents from partners go to a flow of inbound messages; "
                        "%(flow)s carries messages to the partner.",
                        flow=route.message_type_id.display_name,
                    )
                )

    @api.model
    def _find_flow(self, backend, standard, document, version):
        """The flow of ``document`` (set or message type) in ``version`` from ``backend``,
        or an empty recordset: backend line before generic, versioned before any."""
        routes = self.search(
            [
                ("standard", "=", standard),
                ("document", "=ilike", document),
                ("backend_id", "in", [backend.id, False]),
                ("version", "in", [version, False, ""]),
            ]
        )
        if not routes:
            return self.env["logistics.message.type"]
        best = max(routes, key=lambda route: (bool(route.backend_id), bool(route.version)))
        return best.message_type_id
