import random

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from logistics_adapters import registry

DEFAULT_RETRY_PATTERN = "60, 300, 900, 3600, 14400"
DIRECTIONS = [("inbound", "Inbound"), ("outbound", "Outbound")]


def parse_retry_pattern(pattern):
    """Return the list of delays (seconds) a retry pattern string describes.

    A pattern is a comma separated list of delays: the n-th transient failure
    waits the n-th delay, failures past the end reuse the last one.
    """
    delays = [part.strip() for part in (pattern or "").split(",") if part.strip()]
    if not delays or not all(part.isdigit() for part in delays):
        raise ValueError(pattern)
    return [int(part) for part in delays]


class LogisticsMessageType(models.Model):
    _name = "logistics.message.type"
    _description = "Logistics Message Type"
    _order = "priority, code"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Technical name of the flow, e.g. carrier.tracking or tms.load_tender.",
    )
    active = fields.Boolean(default=True)
    direction = fields.Selection(DIRECTIONS, required=True, default="inbound")
    handler_model = fields.Char(
        required=True,
        help="Technical name of the handler model (inheriting logistics.handler) that "
        "validates, processes or sends the messages of this flow.",
    )
    codec = fields.Selection(
        selection="_selection_codec",
        string="Format",
        help="Partner format of the payloads (a codec of logistics_adapters), for handlers "
        "that read or write them through the canonical model.",
    )
    priority = fields.Integer(
        default=10, help="Lower numbers are processed first when work is waiting."
    )
    batch_size = fields.Integer(
        help="Messages worked together in one transaction when a message of this flow is "
        "the next one due; 0: the engine's batch size (Settings). Flows whose handler "
        "works a batch set-based (freight invoices) gain from larger batches.",
    )
    realtime = fields.Boolean(
        string="Real time",
        default=True,
        help="Wake a processor as soon as a message arrives instead of waiting for the "
        "next scheduled run.",
    )
    retry_pattern = fields.Char(
        required=True,
        default=lambda self: self._default_retry_pattern(),
        help="Seconds to wait after each transient failure, comma separated: the n-th "
        "failure waits the n-th delay and later failures the last one.",
    )
    retry_jitter = fields.Float(
        default=0.2,
        help="Random spread applied to each delay (0.2 = plus or minus 20 %), so that "
        "retries of many messages do not hit a partner at the same second.",
    )
    max_attempts = fields.Integer(
        default=5, help="Attempts after which a message failing transiently is dead."
    )
    message_ids = fields.One2many("logistics.message", "type_id")
    message_count = fields.Integer(compute="_compute_message_count")

    _code_direction_unique = models.UniqueIndex(
        "(code, direction)", "A flow code must be unique per direction."
    )
    _batch_size_positive = models.Constraint(
        "CHECK (batch_size >= 0)", "A flow's batch size is 0 (the engine's) or more."
    )
    _max_attempts_positive = models.Constraint(
        "CHECK (max_attempts >= 1)", "A message type needs at least one attempt."
    )
    _retry_jitter_range = models.Constraint(
        "CHECK (retry_jitter >= 0 AND retry_jitter < 1)",
        "The retry jitter is a fraction between 0 and 1.",
    )

    @api.model
    def _selection_codec(self):
        return [(name, name) for name in registry.available()]

    @api.private
    def get_codec(self):
        """The codec of this flow's format (``logistics_adapters.registry``)."""
        self.ensure_one()
        if not self.codec:
            raise UserError(
                self.env._(
                    "Flow %(flow)s has no format: choose one in its configuration.",
                    flow=self.display_name,
                )
            )
        return registry.get(self.codec)

    def _default_retry_pattern(self):
        return (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("logistics_integration.default_retry_pattern", DEFAULT_RETRY_PATTERN)
        )

    @api.depends("message_ids")
    def _compute_message_count(self):
        counts = dict(
            self.env["logistics.message"]._read_group(
                [("type_id", "in", self.ids)], ["type_id"], ["__count"]
            )
        )
        for message_type in self:
            message_type.message_count = counts.get(message_type, 0)

    @api.constrains("retry_pattern")
    def _check_retry_pattern(self):
        for message_type in self:
            try:
                parse_retry_pattern(message_type.retry_pattern)
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "Retry pattern %(pattern)s of %(type)s is not valid: write the delays "
                        "in seconds separated by commas, for example %(example)s.",
                        pattern=repr(message_type.retry_pattern),
                        type=message_type.display_name,
                        example=DEFAULT_RETRY_PATTERN,
                    )
                ) from None

    @api.constrains("handler_model")
    def _check_handler_model(self):
        handlers = self.env["logistics.handler"]._get_handler_models()
        for message_type in self:
            if message_type.handler_model not in handlers:
                raise ValidationError(
                    self.env._(
                        "Handler %(handler)s of %(type)s is not an installed logistics handler "
                        "model. Install the addon that provides it or pick another handler.",
                        handler=message_type.handler_model,
                        type=message_type.display_name,
                    )
                )

    def _get_retry_delay(self, attempt, retry_after=None):
        """Seconds to wait before attempt ``attempt + 1`` after a transient failure.

        Follows the type's pattern with jitter; a partner's Retry-After is honoured
        as a lower bound.
        """
        self.ensure_one()
        delays = parse_retry_pattern(self.retry_pattern)
        base = delays[min(max(attempt, 1), len(delays)) - 1]
        spread = base * self.retry_jitter
        delay = base + random.uniform(-spread, spread)
        return max(delay, retry_after or 0, 1)

    def action_open_messages(self):
        """Open the messages of this flow."""
        self.ensure_one()
        return self.env["logistics.message"].list_action([("type_id", "=", self.id)])
