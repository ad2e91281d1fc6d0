"""The inbound contract, shared by every entry point (the Odoo route and the gateway).

An entry point loads a :class:`BackendSettings`, calls :func:`check_request`, and stores
the body when the verdict lets it (``verdict.store``). Both then answer with the same
status codes and bodies, so a partner cannot tell which one it talked to.

Order of the checks (the contract): too large 413, unsupported content type 415, bad
signature 401 (never stored), then malformed bodies are stored all the same and answered
400, and valid ones 202 (200 for a duplicate, decided by the store).

Whatever a signed body holds (any nesting, numbers, bytes, encoding), judging it never
raises: it is stored and answered 2xx, or 400 with the reason. Replays need nothing more: a
signature is only good within its window (``generic-hmac-sha256``), and a request sent again
has the same idempotency key, so it is a duplicate (200, stored and processed once).
"""

import json
from dataclasses import dataclass, field

from lxml import etree

from ..errors import SecurityError
from ..formats.json import MAX_DEPTH, too_deep
from ..formats.xml import DoctypeRefused, refuse_doctype
from ..registry import bounded_key
from .signatures import GenericHmacScheme, get_scheme

JSON_TYPES = ("application/json",)
XML_TYPES = ("application/xml", "text/xml", "application/soap+xml")
IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass
class BackendSettings:
    """What an entry point needs to know of a backend to judge a request."""

    code: str
    signature_scheme: str
    secrets: list
    max_payload_size: int = 1024 * 1024
    content_types: tuple = ()
    signature_window: int = 300

    def scheme(self):
        """The signature scheme object of this backend; a scheme whose signatures hold a
        time (the suite's own, ShipBob's) gets the backend's window."""
        scheme = get_scheme(self.signature_scheme)
        if isinstance(scheme, GenericHmacScheme):
            scheme = get_scheme(self.signature_scheme, tolerance=self.signature_window)
        return scheme


@dataclass
class Verdict:
    """The answer to give (``status``, ``body``, ``headers``), or ``store`` to go on."""

    status: int = 0
    body: dict = field(default_factory=dict)
    headers: list = field(default_factory=list)
    store: bool = False
    problem: str | None = None
    security_reason: str | None = None


def too_large(limit):
    """The 413 answer."""
    return Verdict(413, {"error": f"body larger than {limit} bytes"})


def check_request(settings, headers, body, content_type, now=None):
    """Judge one request against a backend's settings; return a :class:`Verdict`.

    ``store`` is set when the message must be stored; ``problem`` then says why the
    body is malformed (answer 400 after storing) or is None (answer 202/200).
    """
    if len(body) > settings.max_payload_size:
        return too_large(settings.max_payload_size)
    content_type = (content_type or "").split(";")[0].strip().lower()
    if content_type not in settings.content_types:
        return Verdict(
            415,
            {
                "error": f"unsupported content type {content_type!r}",
                "accepted": list(settings.content_types),
            },
        )
    try:
        settings.scheme().verify(headers, body, settings.secrets, now=now)
    except SecurityError as exc:
        return Verdict(401, {"error": f"signature rejected: {exc}"}, security_reason=str(exc))
    return Verdict(store=True, problem=malformed(body, content_type))


class InboundSide:
    """What an entry point provides to :func:`accept`: its own storage and lookups."""

    def take_token(self, authenticated):
        """Count one request; return seconds to wait when over the rate limit, else 0.

        ``authenticated``: the request's signature held, it counts on the partner's budget;
        else on its client address's own budget, so that nobody who merely knows a
        backend's code can spend the partner's."""
        raise NotImplementedError

    def record_security_event(self, reason):
        """Keep a refused request (without its body)."""
        raise NotImplementedError

    def find_flow(self):
        """The flow the request names (or the backend's default); falsy when unknown."""
        raise NotImplementedError

    def store(self, flow, body):
        """Store the body; return ``(reference, correlation_id, created)``."""
        raise NotImplementedError


def accept(side, settings, *, code, flow, headers, body, content_type, now=None):
    """The whole inbound contract after the backend is found and the body read.

    Order: the checks of :func:`check_request` first; a request whose signature fails
    counts on its client address's budget (429 past it, else 401 recorded as a security
    event); a signed one on the partner's (429 past it); then 404 unknown flow, then store
    and answer.
    """
    verdict = check_request(settings, headers, body, content_type, now=now)
    if verdict.security_reason:
        retry_after = side.take_token(authenticated=False)
        if retry_after:
            return too_many(retry_after)
        side.record_security_event(verdict.security_reason[:500])
    if not verdict.store:
        return verdict
    retry_after = side.take_token(authenticated=True)
    if retry_after:
        return too_many(retry_after)
    message_type = side.find_flow()
    if not message_type:
        return Verdict(404, {"error": f"unknown flow {flow!r} for backend {code!r}"})
    reference, correlation_id, created = side.store(message_type, body)
    return stored_answer(reference, correlation_id, created, verdict.problem)


def too_many(retry_after):
    """The 429 answer."""
    return Verdict(
        429, {"error": "rate limit exceeded, retry later"}, [("Retry-After", str(retry_after))]
    )


def header_idempotency_key(headers):
    """The partner's own ``Idempotency-Key`` header, if it sends one, else None.

    Both entry points key a message by it before anything else, so the same partner
    message is stored once whichever entry point it reaches. An overlong key (or one a
    column cannot hold) is replaced by its SHA-256 (:func:`~logistics_adapters.registry.
    bounded_key`), the same way on both sides.
    """
    value = (headers.get(IDEMPOTENCY_HEADER) or "").strip()
    return bounded_key(value) if value else None


def stored_answer(reference, correlation_id, created, problem):
    """The answer once the message is stored (or recognised as a duplicate)."""
    reply = {"reference": reference, "correlation_id": correlation_id}
    if problem:
        return Verdict(400, {**reply, "error": problem, "stored": True})
    if not created:
        return Verdict(200, {**reply, "status": "duplicate"})
    return Verdict(202, {**reply, "status": "accepted"})


def malformed(body, content_type):
    """Why the body cannot be what its content type says, or None; never raises.

    JSON deeper than :data:`~logistics_adapters.formats.json.MAX_DEPTH` levels is refused
    before it is parsed, so every entry point judges it alike whatever its stack. XML is
    parsed without resolving entities, loading DTDs or touching the network, and a document
    type declaration is refused as soon as it is met, before its declarations are read: no
    entity is ever expanded or resolved.
    """
    try:
        if content_type in JSON_TYPES:
            return _json_problem(body)
        if content_type in XML_TYPES:
            return _xml_problem(body)
    except RecursionError:
        return "the body is nested too deeply to be read"
    except Exception as exc:  # a library's own failure on odd input is still the body's
        return f"unreadable body ({type(exc).__name__}: {exc})"[:500]
    return None


def _json_problem(body):
    if too_deep(body):
        return f"invalid JSON: nested too deeply (over {MAX_DEPTH} levels)"
    try:
        json.loads(body)
    except ValueError as exc:  # syntax, bad UTF-8, numbers over Python's digit limit
        return f"invalid JSON: {exc}"
    return None


def _xml_problem(body):
    try:
        refuse_doctype(body)
    except DoctypeRefused as exc:
        return str(exc)
    except etree.XMLSyntaxError as exc:
        return f"invalid XML: {exc}"
    return None
