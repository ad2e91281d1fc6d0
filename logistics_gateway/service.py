"""What the gateway does with one request, without HTTP and without a database.

:class:`InboundService` follows ``logistics.inbound._accept`` of the Odoo addon step by
step (backend, size, rate limit, :func:`~logistics_adapters.transport.inbound.check_request`,
security event, flow, store) and talks to the database only through a :class:`Store`,
so the whole contract is tested with a fake store.
"""

import hashlib
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from logistics_adapters import registry
from logistics_adapters.errors import AdapterError
from logistics_adapters.registry import Identity
from logistics_adapters.transport.inbound import (
    BackendSettings,
    InboundSide,
    Verdict,
    accept,
    header_idempotency_key,
    too_large,
)
from logistics_adapters.transport.secrets import SecretBox

from . import ratelimit

_logger = logging.getLogger(__name__)

DIRECTION_INBOUND = "inbound"
STATE_PENDING = "pending"
DEFAULT_CACHE_TTL = 5.0
UNAVAILABLE = Verdict(503, {"error": "temporarily unavailable, retry later"})


@dataclass(frozen=True)
class Flow:
    """An inbound flow (``logistics.message.type``) as the gateway needs it."""

    id: int
    code: str
    direction: str = DIRECTION_INBOUND
    priority: int = 10
    realtime: bool = True
    codec: str | None = None


@dataclass(frozen=True)
class BackendRow:
    """A ``logistics.backend`` row as stored: secrets still encrypted."""

    id: int
    code: str
    company_id: int | None
    technical_user_id: int | None
    signature_scheme: str
    signature_window: int | None = 300
    max_payload_size: int | None = 1024 * 1024
    accepted_content_types: str | None = ""
    inbound_rate_limit: int | None = 0
    webhook_secret_encrypted: str | None = None
    webhook_secret_previous_encrypted: str | None = None
    webhook_secret_previous_until: datetime | None = None
    default_flow: Flow | None = None


@dataclass(frozen=True)
class Backend:
    """A backend with its secrets in clear, as kept in the gateway's short cache."""

    row: BackendRow
    secret: str | None
    previous_secret: str | None

    @property
    def id(self):
        return self.row.id

    def settings(self, now):
        """The :class:`BackendSettings` in force at ``now`` (``_get_inbound_settings``)."""
        row = self.row
        secrets = [self.secret]
        until = row.webhook_secret_previous_until
        if until and until > now:
            secrets.append(self.previous_secret)
        return BackendSettings(
            code=row.code,
            signature_scheme=row.signature_scheme,
            secrets=[secret for secret in secrets if secret],
            max_payload_size=row.max_payload_size or 0,
            content_types=content_types(row.accepted_content_types),
            signature_window=row.signature_window or 0,
        )


@dataclass
class NewMessage:
    """The values of a new inbox row, as ``logistics.message._store`` computes them."""

    backend_id: int
    company_id: int | None
    type_id: int
    flow: str
    priority: int
    idempotency_key: str
    partner_ref: str | None
    correlation_id: str
    content_type: str
    payload: bytes
    payload_sha256: str
    payload_size: int
    now: datetime
    user_id: int | None
    realtime: bool
    direction: str = DIRECTION_INBOUND
    state: str = STATE_PENDING
    received_count: int = 1


@dataclass(frozen=True)
class Stored:
    """What the store answers: the reference, the correlation id, and whether it is new."""

    reference: str | bool
    correlation_id: str
    created: bool


class Store:
    """Where the gateway reads backends and flows and writes messages (the database)."""

    def find_backend(self, code):
        """The active backend with this code as a :class:`BackendRow`, or None."""
        raise NotImplementedError

    def find_flow(self, backend_id, code):
        """The active inbound flow with this code that the backend may post to (its
        default or one of its other inbound flows), as a :class:`Flow`, or None."""
        raise NotImplementedError

    def record_security_event(self, backend_row, flow, reason, remote_addr):
        """Keep a refused request (``logistics.security.event``)."""
        raise NotImplementedError

    def store_message(self, message):
        """Insert a :class:`NewMessage` or count a duplicate; return :class:`Stored`."""
        raise NotImplementedError

    def take_rate_token(self, key, per_minute):
        """Count one request on the shared counter ``key``; seconds to wait when over
        ``per_minute`` (:mod:`logistics_gateway.ratelimit`), else 0."""
        raise NotImplementedError

    def close(self):
        """Release connections."""


@dataclass
class Headers:
    """Request headers read case-insensitively; the first of repeated headers wins."""

    pairs: list = field(default_factory=list)

    @classmethod
    def from_asgi(cls, raw):
        return cls([(name.decode("latin-1"), value.decode("latin-1")) for name, value in raw])

    def get(self, name, default=None):
        wanted = name.lower()
        return next((value for key, value in self.pairs if key.lower() == wanted), default)

    def items(self):
        return list(self.pairs)

    def __getitem__(self, name):
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name):
        return self.get(name) is not None


def content_types(value):
    """The accepted content types of a backend (``_get_content_types``)."""
    return tuple(part.strip().lower() for part in (value or "").split(",") if part.strip())


def mimetype(content_type):
    """The media type of a Content-Type header, lower case, without parameters."""
    return (content_type or "").split(";")[0].strip().lower()


def identify(flow, body):
    """What the flow's codec tells of a payload before it is stored: the partner's own
    message id (the idempotency key) and the references it names (the partner reference:
    processors keep one reference to one processor at a time), as the default handler of
    the Odoo route reads them. Empty for a flow without format or a payload the codec
    cannot read, which is stored all the same and reported when processed."""
    if not flow.codec:
        return Identity()
    try:
        return registry.get(flow.codec).identify(body)
    except Exception:
        return Identity()


def utcnow():
    """Naive UTC now, to the second, like ``fields.Datetime.now()`` in Odoo."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


class InboundService:
    """The inbound contract of ``logistics.inbound._accept``, over a :class:`Store`.

    Backends are cached ``cache_ttl`` seconds (a changed secret applies that fast);
    the rate limiters are per process, like the Odoo route's per worker.
    """

    def __init__(
        self,
        store,
        secret_key=None,
        *,
        cache_ttl=DEFAULT_CACHE_TTL,
        clock=time.monotonic,
        now=utcnow,
    ):
        self.store = store
        self.secret_key = secret_key
        self.cache_ttl = cache_ttl
        self._clock = clock
        self._now = now
        self._backends = {}
        self._flows = {}
        self._lock = threading.Lock()

    # -- lookups -----------------------------------------------------------------------

    def find_backend(self, code):
        """The :class:`Backend` of ``code`` with its secrets decrypted, or None."""
        return self._cached(self._backends, code, self._load_backend)

    def _load_backend(self, code):
        row = self.store.find_backend(code)
        if row is None:
            return None
        return Backend(
            row,
            self._decrypt(row.webhook_secret_encrypted),
            self._decrypt(row.webhook_secret_previous_encrypted),
        )

    def _decrypt(self, stored):
        # Like ``logistics.backend._get_secret``: no stored value needs no key.
        if not stored:
            return None
        return SecretBox(self.secret_key).decrypt(stored)

    def find_flow(self, backend, flow):
        """The flow a request names, else the backend's default (``_get_inbound_type``)."""
        if not flow:
            return backend.row.default_flow
        return self._cached(self._flows, (backend.id, flow), lambda key: self.store.find_flow(*key))

    def _cached(self, cache, key, load):
        now = self._clock()
        with self._lock:
            hit = cache.get(key)
        if hit and hit[0] > now:
            return hit[1]
        value = load(key)
        with self._lock:
            if len(cache) > 10000:
                cache.clear()  # unknown codes in bulk must not grow the cache forever
            cache[key] = (now + self.cache_ttl, value)
        return value

    def settings(self, backend):
        """The settings the shared checks apply to ``backend`` now."""
        return backend.settings(self._now())

    # -- the contract ------------------------------------------------------------------

    def unknown_backend(self, code):
        return Verdict(404, {"error": f"unknown backend {code!r}"})

    def declared_too_large(self, settings, content_length):
        """The 413 answer when the declared length is over the limit, before reading."""
        if content_length and content_length > settings.max_payload_size:
            return too_large(settings.max_payload_size)
        return None

    def accept(self, backend, settings, flow, *, headers, body, content_type, remote_addr=None):
        """Check and store one request whose body is read; return the ``Verdict``."""
        return accept(
            _GatewaySide(self, backend, flow, headers, content_type, remote_addr),
            settings,
            code=backend.row.code,
            flow=flow,
            headers=headers,
            body=body,
            content_type=content_type,
        )

    def take_token(self, backend, authenticated, remote_addr=None):
        """Count one request on the partner's budget (signed) or its client address's
        (signature failed), in the database, as Odoo's route does; seconds to wait when
        over the limit, else 0."""
        if authenticated:
            key, rate = ratelimit.backend_key(backend.id), backend.row.inbound_rate_limit
        else:
            key, rate = ratelimit.address_key(remote_addr), ratelimit.UNAUTHENTICATED_PER_MINUTE
        return self.store.take_rate_token(key, rate) if rate else 0

    def prepare_message(self, backend, message_type, body, headers, content_type):
        """The row ``logistics.message._store`` would write for this request.

        The gateway cannot run the flow's handler; it asks the flow's codec, as the
        default handler does: the key is the partner's ``Idempotency-Key`` header, else
        the partner's own message id, else the payload's SHA-256.
        """
        if message_type.direction != DIRECTION_INBOUND:
            raise AdapterError(
                f"flow {message_type.code} is {message_type.direction}, "
                "it cannot carry an inbound message"
            )
        sha256 = hashlib.sha256(body).hexdigest()
        identity = identify(message_type, body)
        return NewMessage(
            backend_id=backend.id,
            company_id=backend.row.company_id,
            type_id=message_type.id,
            flow=message_type.code,
            priority=message_type.priority,
            idempotency_key=header_idempotency_key(headers) or identity.message_id or sha256,
            partner_ref=headers.get("X-Partner-Reference") or identity.partner_ref or None,
            correlation_id=headers.get("X-Correlation-ID") or uuid.uuid4().hex,
            content_type=mimetype(content_type),
            payload=body,
            payload_sha256=sha256,
            payload_size=len(body),
            now=self._now(),
            user_id=backend.row.technical_user_id,
            realtime=message_type.realtime,
        )


@dataclass(eq=False)
class _GatewaySide(InboundSide):
    """The gateway's storage and lookups for the shared :func:`accept` sequence."""

    service: InboundService
    backend: Backend
    flow: str
    headers: Headers
    content_type: str
    remote_addr: str | None

    def take_token(self, authenticated):
        return self.service.take_token(self.backend, authenticated, self.remote_addr)

    def record_security_event(self, reason):
        _logger.warning(
            "Refused inbound request for backend %s from %s: %s",
            self.backend.row.code,
            self.remote_addr,
            reason,
        )
        self.service.store.record_security_event(
            self.backend.row, self.flow, reason, self.remote_addr
        )

    def find_flow(self):
        message_type = self.service.find_flow(self.backend, self.flow)
        if not message_type:
            self.record_security_event(
                f"flow {self.flow or '(default)'!r} is not one this backend may post to"
            )
        return message_type

    def store(self, flow, body):
        message = self.service.prepare_message(
            self.backend, flow, body, self.headers, self.content_type
        )
        stored = self.service.store.store_message(message)
        return stored.reference, stored.correlation_id, stored.created
