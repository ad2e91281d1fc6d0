import os
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.sql_db import Cursor
from odoo.tools import config

from logistics_adapters.errors import AdapterError
from logistics_adapters.partners import partner_selection
from logistics_adapters.transport.http import OutboundClient
from logistics_adapters.transport.inbound import BackendSettings
from logistics_adapters.transport.secrets import SecretBox, mask
from logistics_adapters.transport.signatures import scheme_selection
from logistics_gateway import ratelimit

from ..engine import DEVELOPMENT_SECRET_KEY

MANAGER_GROUP = "logistics_integration.group_logistics_manager"

CIRCUIT_STATES = [
    ("closed", "Closed"),
    ("open", "Open"),
    ("half_open", "Half-open"),
]
CIRCUIT_CLOSED, CIRCUIT_OPEN, CIRCUIT_HALF_OPEN = dict(CIRCUIT_STATES)
MAX_CONCURRENCY = 64
DEFAULT_CONTENT_TYPES = (
    "application/json",
    "application/xml",
    "text/xml",
    "application/edi-x12",
    "application/edifact",
    "text/plain",
)
SECRET_FIELDS = ("secret", "webhook_secret", "webhook_secret_previous")
SECRET_KEY_OPTION = "logistics_secret_key"
SECRET_KEY_ENV = "LOGISTICS_SECRET_KEY"


class LogisticsBackend(models.Model):
    """One external system: a carrier, TMS, WMS, customs broker or billing partner."""

    _name = "logistics.backend"
    _description = "Logistics Backend"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name"

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Short identifier used in webhook URLs: /logistics/inbound/<code>.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        [
            ("carrier", "Carrier"),
            ("tms", "Transport management"),
            ("wms", "Warehouse / 3PL"),
            ("customs", "Customs broker"),
            ("billing", "Freight billing"),
        ],
        required=True,
        default="carrier",
        tracking=True,
    )
    provider = fields.Selection(
        selection="_selection_provider",
        required=True,
        default="generic",
        tracking=True,
        help="Which partner this system is: its formats, status codes and signature scheme "
        "come from its folder in logistics_adapters. Generic: any partner that speaks the "
        "suite's canonical formats.",
    )
    environment = fields.Selection(
        [("test", "Test"), ("production", "Production")],
        required=True,
        default="test",
        tracking=True,
    )
    endpoint_url = fields.Char(string="Endpoint URL", tracking=True)
    # Credentials: managers only. Encryption at rest belongs to the connectivity layer.
    auth_mode = fields.Selection(
        [
            ("none", "None"),
            ("basic", "Basic authentication"),
            ("basic_key", "Basic, API key as user name"),
            ("bearer", "Bearer token"),
            ("api_key", "API key"),
        ],
        default="none",
        required=True,
        groups=MANAGER_GROUP,
    )
    username = fields.Char(groups=MANAGER_GROUP)
    api_key_header = fields.Char(
        default="X-API-Key",
        groups=MANAGER_GROUP,
        help="Header that carries the API key when the authentication is 'API key'.",
    )
    timeout_connect = fields.Float(default=5.0, help="Seconds to wait for a connection.")
    timeout_read = fields.Float(default=30.0, help="Seconds to wait for an answer.")
    debug_logging = fields.Boolean(
        help="Log every partner call, secrets masked, in Settings > Technical > Logging, "
        "like Odoo's own carrier connectors do. For troubleshooting only.",
    )
    # Secrets: stored encrypted (``*_encrypted``), shown masked, decrypted only by
    # ``_get_secret`` on the server.
    secret = fields.Char(
        string="Password / API key",
        compute="_compute_secret_masks",
        inverse="_inverse_secret",
        groups=MANAGER_GROUP,
    )
    webhook_secret = fields.Char(
        compute="_compute_secret_masks", inverse="_inverse_webhook_secret", groups=MANAGER_GROUP
    )
    webhook_secret_previous = fields.Char(
        compute="_compute_secret_masks",
        inverse="_inverse_webhook_secret_previous",
        groups=MANAGER_GROUP,
    )
    secret_encrypted = fields.Char(groups=MANAGER_GROUP, copy=False, readonly=True)
    webhook_secret_encrypted = fields.Char(groups=MANAGER_GROUP, copy=False, readonly=True)
    webhook_secret_previous_encrypted = fields.Char(groups=MANAGER_GROUP, copy=False, readonly=True)
    webhook_secret_previous_until = fields.Datetime(
        groups=MANAGER_GROUP,
        help="The previous webhook secret is still accepted until this time, for rotation.",
    )
    signature_scheme = fields.Selection(
        selection=lambda self: scheme_selection(),
        default="generic-hmac-sha256",
        required=True,
        help="How partner requests to the inbound endpoint prove they come from the partner.",
    )
    signature_window = fields.Integer(
        default=300, help="Seconds a signed timestamp stays valid (schemes with a timestamp)."
    )
    max_payload_size = fields.Integer(default=1024 * 1024, help="Largest accepted body, bytes.")
    accepted_content_types = fields.Char(
        default=", ".join(DEFAULT_CONTENT_TYPES),
        help="Content types the inbound endpoint accepts, comma separated.",
    )
    inbound_rate_limit = fields.Integer(
        default=6000,
        help="Signed inbound requests per minute accepted from this partner, counted across "
        "all Odoo workers and servers and the edge gateway; more are answered 429. 0 = no "
        "limit. Requests whose signature fails count on their client address's own budget.",
    )
    inbound_type_id = fields.Many2one(
        "logistics.message.type",
        string="Default inbound flow",
        domain=[("direction", "=", "inbound")],
        help="Flow of requests posted to /logistics/inbound/<code> without a flow.",
    )
    inbound_flow_ids = fields.Many2many(
        "logistics.message.type",
        "logistics_backend_inbound_flow_rel",
        "backend_id",
        "type_id",
        string="Other inbound flows",
        domain=[("direction", "=", "inbound")],
        help="Flows this partner may also post to, at /logistics/inbound/<code>/<flow code>. "
        "A request naming any other flow is answered 404 and kept as a security event.",
    )
    technical_user_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        groups=MANAGER_GROUP,
        help="Least-privilege user the inbound endpoint stores this backend's messages as.",
    )
    webhook_url = fields.Char(compute="_compute_webhook_url", string="Webhook URL")
    rate_limit = fields.Integer(help="Requests per minute towards the partner; 0 = no limit.")
    concurrency = fields.Integer(
        default=2,
        help="How many processors may work on this backend's messages at the same time, "
        "across every Odoo server. 0 = no limit.",
    )
    circuit_threshold = fields.Integer(
        default=5, help="Consecutive transient failures that open the circuit."
    )
    circuit_cooldown = fields.Integer(
        default=60, help="Seconds the circuit stays open before one trial message is let through."
    )
    circuit_state = fields.Selection(
        CIRCUIT_STATES, default=CIRCUIT_CLOSED, required=True, readonly=True, copy=False
    )
    circuit_failures = fields.Integer(readonly=True, copy=False, default=0)
    circuit_opened_at = fields.Datetime(readonly=True, copy=False)
    sla_hours = fields.Integer(
        string="SLA (hours)",
        default=24,
        help="A shipment in transit with no event for this long is flagged as stale.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        help="Gets an activity for every message of this backend that needs a person.",
    )
    message_total = fields.Integer(compute="_compute_counters", string="Partner messages")
    has_failures = fields.Boolean(
        compute="_compute_counters",
        search="_search_has_failures",
        help="Has messages in error or dead that wait for a person.",
    )
    pending_count = fields.Integer(compute="_compute_counters")
    retry_count = fields.Integer(compute="_compute_counters")
    error_count = fields.Integer(compute="_compute_counters")
    dead_count = fields.Integer(compute="_compute_counters")
    oldest_pending_at = fields.Datetime(compute="_compute_counters")
    oldest_pending_age = fields.Float(compute="_compute_counters", string="Oldest pending (hours)")
    last_success_at = fields.Datetime(compute="_compute_counters", string="Last success")

    _code_unique = models.UniqueIndex("(code)", "The backend code must be unique.")
    _concurrency_range = models.Constraint(
        f"CHECK (concurrency >= 0 AND concurrency <= {MAX_CONCURRENCY})",
        f"Concurrency is a number of processors between 0 (no limit) and {MAX_CONCURRENCY}.",
    )
    _circuit_threshold_positive = models.Constraint(
        "CHECK (circuit_threshold >= 1)", "The circuit breaker needs a threshold of 1 or more."
    )

    @api.model
    def _selection_provider(self):
        """Generic, then every partner that ``logistics_adapters`` knows."""
        return [("generic", "Generic"), *partner_selection()]

    def _compute_counters(self):
        Message = self.env["logistics.message"]
        domain = [("backend_id", "in", self.ids)]
        by_state = {
            (backend.id, state): count
            for backend, state, count in Message._read_group(
                domain, ["backend_id", "state"], ["__count"]
            )
        }
        oldest = dict(
            Message._read_group(
                domain + [("state", "in", ("pending", "retry"))],
                ["backend_id"],
                ["received_at:min"],
            )
        )
        last_done = dict(
            Message._read_group(domain + [("state", "=", "done")], ["backend_id"], ["done_at:max"])
        )
        now = fields.Datetime.now()
        for backend in self:
            counts = {
                state: by_state.get((backend.id, state), 0)
                for state in ("pending", "retry", "error", "dead")
            }
            backend.pending_count = counts["pending"]
            backend.retry_count = counts["retry"]
            backend.error_count = counts["error"]
            backend.dead_count = counts["dead"]
            backend.message_total = sum(
                count
                for (backend_id, _state), count in by_state.items()
                if backend_id == backend.id
            )
            backend.oldest_pending_at = oldest.get(backend)
            backend.oldest_pending_age = (
                (now - backend.oldest_pending_at).total_seconds() / 3600
                if backend.oldest_pending_at
                else 0.0
            )
            backend.last_success_at = last_done.get(backend)
            backend.has_failures = bool(counts["error"] or counts["dead"])

    def _search_has_failures(self, operator, value):
        if operator == "in" and list(value) == [True]:
            failed = self.env["logistics.message"]._read_group(
                [("state", "in", ("error", "dead"))], ["backend_id"]
            )
            return [("id", "in", [backend.id for (backend,) in failed])]
        return NotImplemented

    def _open_messages(self, domain, context=None):
        self.ensure_one()
        return self.env["logistics.message"].list_action(
            [("backend_id", "=", self.id), *domain], context
        )

    def action_open_messages(self):
        """Every message of this backend."""
        return self._open_messages([])

    def action_open_pending(self):
        """Messages of this backend waiting for a processor."""
        return self._open_messages([("state", "in", ("pending", "retry"))])

    def action_open_failed(self):
        """Messages of this backend that need a person."""
        return self._open_messages([("state", "in", ("error", "dead"))])

    def action_reset_circuit(self):
        """Close the circuit by hand, e.g. once the partner confirms it is back."""
        self.write(
            {"circuit_state": CIRCUIT_CLOSED, "circuit_failures": 0, "circuit_opened_at": False}
        )
        for backend in self:
            backend.message_post(body=self.env._("Circuit closed by hand."))

    @api.model_create_multi
    def create(self, vals_list):
        backends = super().create(vals_list)
        for backend in backends:
            backend.sudo().technical_user_id = backend._create_technical_user()
        return backends

    def _create_technical_user(self):
        """A user that can store this backend's inbound messages and nothing else."""
        return (
            self.env["res.users"]
            .sudo()
            .with_context(no_reset_password=True, mail_create_nolog=True)
            .create(
                {
                    "name": self.env._("Inbound: %(backend)s", backend=self.name),
                    "login": f"logistics-inbound-{self.code}-{self.id}",
                    "company_id": self.company_id.id,
                    "company_ids": [Command.set(self.company_id.ids)],
                    "group_ids": [
                        Command.set(
                            [
                                self.env.ref("base.group_public").id,
                                self.env.ref("logistics_integration.group_logistics_inbound").id,
                            ]
                        )
                    ],
                }
            )
        )

    def _get_technical_user(self):
        self.ensure_one()
        return self.sudo().technical_user_id or self.env.ref("base.public_user")

    def _compute_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for backend in self:
            backend.webhook_url = f"{base}/logistics/inbound/{backend.code or ''}"

    def _get_content_types(self):
        return tuple(
            part.strip().lower()
            for part in (self.accepted_content_types or "").split(",")
            if part.strip()
        )

    def _get_inbound_settings(self):
        """What the shared inbound checks need to know of this backend."""
        self.ensure_one()
        return BackendSettings(
            code=self.code,
            signature_scheme=self.signature_scheme,
            secrets=self._get_webhook_secrets(),
            max_payload_size=self.max_payload_size,
            content_types=self._get_content_types(),
            signature_window=self.signature_window,
        )

    def _get_inbound_type(self, flow=None):
        """The inbound flow a request names (by code), else the backend's default; only
        a flow this backend may post to (its default or one of its other inbound flows)."""
        self.ensure_one()
        allowed = self.inbound_type_id | self.inbound_flow_ids
        if not flow:
            return self.inbound_type_id
        return allowed.filtered(lambda message_type: message_type.code == flow)[:1]

    @api.private
    def _take_inbound_token(self, authenticated=True, remote_addr=None):
        """Count one inbound request; return seconds to wait if over the limit, else 0.

        A signed request counts on this partner's budget (``inbound_rate_limit`` a
        minute), one whose signature failed on its client address's own. The counters
        are rows of PostgreSQL (``logistics_gateway.ratelimit``, shared with the edge
        gateway), so the limit holds across workers and servers; each count is a short
        transaction of its own, so requests never wait on each other's work.
        """
        self.ensure_one()
        if authenticated:
            key, rate = ratelimit.backend_key(self.id), self.inbound_rate_limit
        else:
            key, rate = ratelimit.address_key(remote_addr), self._unauthenticated_rate_limit()
        if not rate:
            return 0
        with self.env.registry.cursor() as cr:
            if isinstance(cr, Cursor):  # a test cursor is a savepoint of the test's transaction
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            return ratelimit.take(cr, key, rate)

    def _unauthenticated_rate_limit(self):
        """Requests a minute one client address may make with failing signatures."""
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(
                "logistics_integration.unauthenticated_rate_limit",
                ratelimit.UNAUTHENTICATED_PER_MINUTE,
            )
        )

    def _auto_init(self):
        """The shared counters of the inbound rate limits live beside the backends."""
        super()._auto_init()
        self.env.cr.execute(ratelimit.CREATE_TABLE)

    # -- secrets -----------------------------------------------------------------------

    @api.depends(
        "secret_encrypted", "webhook_secret_encrypted", "webhook_secret_previous_encrypted"
    )
    def _compute_secret_masks(self):
        for backend in self:
            for name in SECRET_FIELDS:
                backend[name] = backend._mask_secret(name)

    def _mask_secret(self, name):
        stored = self[f"{name}_encrypted"]
        if not stored:
            return False
        try:
            return mask(self._get_secret(name))
        except AdapterError:
            return self.env._("•••• (cannot be decrypted with the configured key)")

    def _inverse_secret(self):
        self._store_secret("secret")

    def _inverse_webhook_secret(self):
        self._store_secret("webhook_secret")

    def _inverse_webhook_secret_previous(self):
        self._store_secret("webhook_secret_previous")

    def _store_secret(self, name):
        for backend in self:
            value = backend[name]
            if value and value == backend._mask_secret(name):
                continue  # the mask came back unchanged
            backend[f"{name}_encrypted"] = self._secret_box().encrypt(value) if value else False

    @api.model
    def _secret_box(self):
        """The key that encrypts secrets, from the server configuration (in a database
        with demo data and no key configured, the published development key)."""
        key = (
            config.get(SECRET_KEY_OPTION)
            or os.environ.get(SECRET_KEY_ENV)
            or self._demo_secret_key()
        )
        try:
            return SecretBox(key)
        except AdapterError as exc:
            raise UserError(
                self.env._(
                    "Secrets cannot be saved: %(reason)s (The %(env)s environment variable "
                    "works too.)",
                    reason=exc,
                    env=SECRET_KEY_ENV,
                )
            ) from exc

    def _demo_secret_key(self):
        self.env.cr.execute("SELECT demo FROM ir_module_module WHERE name = 'base'")
        row = self.env.cr.fetchone()
        return DEVELOPMENT_SECRET_KEY if row and row[0] else None

    @api.private
    def _get_secret(self, name):
        """The clear text of secret ``name`` (server side only, never sent to a client)."""
        self.ensure_one()
        stored = self.sudo()[f"{name}_encrypted"]
        return self._secret_box().decrypt(stored) if stored else False

    @api.private
    def _get_webhook_secrets(self, now=None):
        """Webhook secrets accepted now: the current one, then the previous one while
        its rotation period lasts."""
        self.ensure_one()
        backend = self.sudo()
        now = now or fields.Datetime.now()
        secrets = [backend._get_secret("webhook_secret")]
        until = backend.webhook_secret_previous_until
        if until and until > now:
            secrets.append(backend._get_secret("webhook_secret_previous"))
        return [secret for secret in secrets if secret]

    # -- outbound calls ------------------------------------------------------------------

    @api.private
    def outbound_client(self):
        """The one HTTP client every connector uses to call this partner.

        Timeouts, authentication, the rate limit, idempotency and correlation headers,
        failure classification and secret masking all come from here.
        """
        self.ensure_one()
        backend = self.sudo()
        secret = backend._get_secret("secret")
        headers, auth = {}, None
        if backend.auth_mode == "basic":
            auth = (backend.username or "", secret or "")
        elif backend.auth_mode == "basic_key":  # the API key is the user, no password
            auth = (secret or "", "")
        elif backend.auth_mode == "bearer" and secret:
            headers["Authorization"] = f"Bearer {secret}"
        elif backend.auth_mode == "api_key" and secret:
            headers[backend.api_key_header or "X-API-Key"] = secret
        secrets = [value for value in (secret, backend._get_secret("webhook_secret")) if value]
        return OutboundClient(
            backend.endpoint_url or "",
            timeout=(backend.timeout_connect, backend.timeout_read),
            headers=headers,
            auth=auth,
            secrets_to_mask=secrets,
            rate_limit_per_minute=backend.rate_limit or None,
            rate_limit_key=(self.env.cr.dbname, "backend", backend.id),
            debug_logger=backend._log_call if backend.debug_logging else None,
        )

    def _log_call(self, text, label):
        """Keep a (masked) partner call in ir.logging, surviving a rollback."""
        with self.pool.cursor() as cr:
            cr.execute(
                """INSERT INTO ir_logging (create_date, create_uid, type, dbname, name,
                                           level, message, path, func, line)
                   VALUES (NOW() AT TIME ZONE 'UTC', %s, 'server', %s, %s, 'DEBUG', %s,
                           %s, %s, 1)""",
                (self.env.uid, cr.dbname, f"logistics.backend.{self.code}", text, label, self.code),
            )

    # -- circuit breaker -------------------------------------------------------------

    @api.private
    def _circuit_allows(self, now=None):
        """Return ``(allowed, trial)`` for claiming work of this backend now.

        A closed circuit allows everything; an open one nothing until its cool-down
        has passed, then one trial message at a time (half-open).
        """
        self.ensure_one()
        if self.circuit_state == CIRCUIT_CLOSED:
            return True, False
        now = now or fields.Datetime.now()
        opened_at = self.circuit_opened_at or now
        if self.circuit_state == CIRCUIT_OPEN and now < opened_at + timedelta(
            seconds=self.circuit_cooldown
        ):
            return False, False
        return True, True

    @api.private
    def _circuit_record(self, success):
        """Record the outcome of a partner call on the circuit breaker.

        The counter lives in the database so that it holds across processors and
        servers. A concurrent update of the same backend is not waited for: the
        other processor's outcome stands and this one is dropped, which a breaker
        counting consecutive failures can afford.
        """
        self.ensure_one()
        if success:
            query = """
                UPDATE logistics_backend
                   SET circuit_failures = 0, circuit_state = %s, circuit_opened_at = NULL
                 WHERE id = %s AND (circuit_failures > 0 OR circuit_state != %s)
             RETURNING circuit_state, circuit_failures
            """
            params = (CIRCUIT_CLOSED, self.id, CIRCUIT_CLOSED)
        else:
            query = """
                UPDATE logistics_backend
                   SET circuit_failures = COALESCE(circuit_failures, 0) + 1,
                       circuit_state = CASE
                           WHEN circuit_state = %(half)s
                             OR COALESCE(circuit_failures, 0) + 1 >= circuit_threshold
                           THEN %(open)s ELSE circuit_state END,
                       circuit_opened_at = CASE
                           WHEN circuit_state = %(half)s
                             OR COALESCE(circuit_failures, 0) + 1 >= circuit_threshold
                           THEN (now() AT TIME ZONE 'UTC') ELSE circuit_opened_at END
                 WHERE id = %(id)s
             RETURNING circuit_state, circuit_failures
            """
            params = {"half": CIRCUIT_HALF_OPEN, "open": CIRCUIT_OPEN, "id": self.id}
        previous = self.circuit_state
        row = self._circuit_execute(query, params)
        if row and row[0] != previous:
            self._circuit_notify(previous, row[0], row[1])

    def _circuit_execute(self, query, params):
        """Run a circuit update in a savepoint; a concurrent update wins over this one."""
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(query, params)
                return self.env.cr.fetchone()
        except (pg_errors.SerializationFailure, pg_errors.LockNotAvailable):
            return None
        finally:
            self.invalidate_recordset(["circuit_state", "circuit_failures", "circuit_opened_at"])

    def _circuit_notify(self, previous, state, failures):
        labels = dict(CIRCUIT_STATES)
        self.message_post(
            body=self.env._(
                "Circuit %(previous)s → %(state)s after %(failures)s consecutive transient "
                "failures.",
                previous=labels[previous],
                state=labels[state],
                failures=failures,
            )
        )

    @api.private
    def _circuit_start_trial(self):
        """Mark the circuit half-open: the cool-down is over, one call may test it."""
        self.ensure_one()
        if self.circuit_state == CIRCUIT_OPEN:
            self._circuit_execute(
                "UPDATE logistics_backend SET circuit_state = %s"
                " WHERE id = %s AND circuit_state = %s RETURNING circuit_state",
                (CIRCUIT_HALF_OPEN, self.id, CIRCUIT_OPEN),
            )

    @api.private
    def _notify_attention(self):
        """Make sure the responsible person has an activity about failed messages.

        One open activity per backend, not one per message: the workbench lists the
        messages themselves.
        """
        self.ensure_one()
        user = self.user_id or self._default_alert_user()
        if not user:
            return
        todo = self.env.ref("mail.mail_activity_data_todo")
        open_activity = self.activity_ids.filtered(
            lambda activity: activity.activity_type_id == todo and activity.user_id == user
        )
        if not open_activity:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=self.env._("Logistics messages need attention"),
                note=self.env._(
                    "Messages of %(backend)s failed and wait for a person. Open the backend's "
                    "failed messages, fix the cause, then retry or cancel them.",
                    backend=self.name,
                ),
            )

    def _default_alert_user(self):
        user_id = (
            self.env["ir.config_parameter"].sudo().get_param("logistics_integration.alert_user_id")
        )
        return self.env["res.users"].sudo().browse(int(user_id)).exists() if user_id else None
