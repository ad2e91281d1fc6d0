from odoo import api, models

from logistics_adapters.transport.inbound import (
    InboundSide,
    Verdict,
    accept,
    header_idempotency_key,
    too_large,
)


class LogisticsInbound(models.AbstractModel):
    """Accepts partner messages arriving over HTTP.

    The checks are those of ``logistics_adapters.transport.inbound``, which the edge gateway
    runs too: unknown backend 404, too large 413, unsupported content type 415, over
    the rate limit 429, bad signature 401 (kept as a security event, the body is not
    stored), unknown flow 404; then the message is stored and answered 202 with its
    reference (200 for a duplicate, 400 with a reason when the body is malformed,
    stored all the same for audit).
    """

    _name = "logistics.inbound"
    _description = "Logistics Inbound Service"

    @api.model
    def _find_backend(self, code):
        """The active backend of ``code`` and the technical user its requests run as.

        The only lookup made with superuser rights: everything after it runs as that
        user, which may read its backend and flows and store messages, nothing else.
        """
        backend = self.env["logistics.backend"].sudo().search([("code", "=", code)], limit=1)
        return backend, backend._get_technical_user() if backend else None

    @api.model
    def _accept(
        self, code, flow, *, headers, read_body, content_length, content_type, remote_addr=None
    ):
        """Check and store one inbound request as the backend's technical user; return a
        ``Verdict`` to answer with."""
        backend, user = self._find_backend(code)
        if not backend:
            return Verdict(404, {"error": f"unknown backend {code!r}"})
        return self.with_user(user)._accept_as_partner(
            backend.with_user(user),
            flow,
            headers=headers,
            read_body=read_body,
            content_length=content_length,
            content_type=content_type,
            remote_addr=remote_addr,
        )

    def _accept_as_partner(
        self, backend, flow, *, headers, read_body, content_length, content_type, remote_addr
    ):
        code = backend.code
        settings = backend._get_inbound_settings()
        if content_length and content_length > settings.max_payload_size:
            return too_large(settings.max_payload_size)
        body = read_body(settings.max_payload_size + 1)
        return accept(
            _OdooSide(backend, flow, headers, content_type, remote_addr),
            settings,
            code=code,
            flow=flow,
            headers=headers,
            body=body,
            content_type=content_type,
        )


class _OdooSide(InboundSide):
    """Odoo's storage and lookups for the shared inbound sequence."""

    def __init__(self, backend, flow, headers, content_type, remote_addr):
        self.backend = backend
        self.flow = flow
        self.headers = headers
        self.content_type = content_type
        self.remote_addr = remote_addr

    def take_token(self, authenticated):
        return self.backend._take_inbound_token(authenticated, self.remote_addr)

    def record_security_event(self, reason):
        self.backend.env["logistics.security.event"]._record(
            self.backend, self.flow, reason, self.remote_addr
        )

    def find_flow(self):
        message_type = self.backend._get_inbound_type(self.flow)
        if not message_type:
            self.record_security_event(
                f"flow {self.flow or '(default)'!r} is not one this backend may post to"
            )
        return message_type

    def store(self, flow, body):
        Message = self.backend.env["logistics.message"]
        # In a transaction of its own, committed before the answer (see the method).
        return Message._store_inbound_committed(
            self.backend,
            flow,
            body,
            content_type=self.content_type,
            headers=dict(self.headers),
            idempotency_key=header_idempotency_key(self.headers),
            partner_ref=self.headers.get("X-Partner-Reference"),
            correlation_id=self.headers.get("X-Correlation-ID"),
        )
