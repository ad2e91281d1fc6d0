from odoo import fields, models

PARCEL_STATES = [
    ("bought", "Label bought"),
    ("refund_submitted", "Refund requested"),
    ("refunded", "Refunded"),
    ("refund_rejected", "Refund rejected"),
]


class LogisticsCarrierParcel(models.Model):
    """One label bought from a carrier: a package of a delivery, or its return."""

    _name = "logistics.carrier.parcel"
    _description = "Carrier parcel (bought label)"
    _order = "picking_id, id"
    _check_company_auto = True

    picking_id = fields.Many2one(
        "stock.picking", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="picking_id.company_id", store=True, index=True)
    carrier_id = fields.Many2one("delivery.carrier", string="Delivery method", required=True)
    # The label request is committed by a transaction of its own, which the transaction that
    # records the parcel may not see (repeatable read): an id, not a foreign key.
    message_ref = fields.Integer(string="Label request id", required=True, index=True)
    message_id = fields.Many2one(
        "logistics.message",
        string="Label request",
        compute="_compute_message_ids",
        help="The outbound message that bought this label: request, answer and attempts.",
    )
    package_name = fields.Char(string="Package", required=True)
    is_return = fields.Boolean(string="Return label")
    tracking_number = fields.Char(required=True, index=True)
    tracking_url = fields.Char()
    shipment_ref = fields.Char(string="Carrier shipment", help="The carrier's id of the shipment.")
    tracker_ref = fields.Char(
        string="Tracker", help="The carrier's id of the tracker that reports on it."
    )
    carrier_name = fields.Char(string="Carrier")
    service = fields.Char()
    price = fields.Monetary(currency_field="currency_id", help="Postage as the carrier billed it.")
    currency_id = fields.Many2one("res.currency", required=True)
    label_id = fields.Many2one("ir.attachment", ondelete="set null")
    label_data = fields.Binary(related="label_id.datas", string="Label file")
    label_name = fields.Char(related="label_id.name", string="Label file name")
    state = fields.Selection(PARCEL_STATES, default="bought", required=True, index=True)
    refund_message_ref = fields.Integer(string="Refund request id")
    polled_at = fields.Datetime(
        string="Last polled",
        readonly=True,
        copy=False,
        help="When the carrier's tracking API was last asked about this parcel.",
    )
    refund_message_id = fields.Many2one(
        "logistics.message", string="Refund request", compute="_compute_message_ids"
    )

    _message_unique = models.Constraint(
        "UNIQUE (message_ref)", "A label request gives one parcel; it was applied already."
    )

    def _compute_message_ids(self):
        Message = self.env["logistics.message"]
        for parcel in self:
            parcel.message_id = Message.browse(parcel.message_ref).exists()
            parcel.refund_message_id = Message.browse(parcel.refund_message_ref or []).exists()

    def _logistics_tracking_numbers(self):
        """The tracking number the carrier is asked about for this parcel."""
        self.ensure_one()
        return [self.tracking_number]

    def action_open_message(self):
        self.ensure_one()
        return self.message_id.get_formview_action()
