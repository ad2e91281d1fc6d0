from odoo import api, models

from logistics_adapters.inbound import (
    Verdict,
    check_request,
    header_idempotency_key,
    stored_answer,
    too_large,
)


class LogisticsInbound(models.AbstractModel):
    """Accepts partner messages arriving over HTTP.

    The checks are those of ``logistics_adapters.inbound``, which the edge gateway
    runs too: unknown backend 404, too large 413, unsupported content type 415, over
    the rate limit 429, bad signature 401 (kept as a security event, the body is not
    stored), unknown flow 404; then the message is stored and answered 202 with its
    reference (200 for a duplicate, 400 with a reason when the body is malformed,
    stored all the same for audit).
    """

    _name = "logistics.inbound"
    _description = "Logistics Inbound Service"

    @api.model
    def _accept(
        self, code, flow, *, headers, read_body, content_length, content_type, remote_addr=None
    ):
        """Check and store one inbound request; return a ``Verdict`` to answer with."""
        backend = self.env["logistics.backend"].search([("code", "=", code)], limit=1)
        if not backend:
            return Verdict(404, {"error": f"unknown backend {code!r}"})
        settings = backend._get_inbound_settings()
        if content_length and content_length > settings.max_payload_size:
            return too_large(settings.max_payload_size)
        body = read_body(settings.max_payload_size + 1)
        retry_after = backend._take_inbound_token()
        if retry_after:
            return Verdict(
                429,
                {"error": "rate limit exceeded, retry later"},
                [("Retry-After", str(retry_after))],
            )
        verdict = check_request(settings, headers, body, content_type)
        if verdict.security_reason:
            self.env["logistics.security.event"]._record(
                backend, flow, verdict.security_reason, remote_addr
            )
        if not verdict.store:
            return verdict
        message_type = backend._get_inbound_type(flow)
        if not message_type:
            return Verdict(404, {"error": f"unknown flow {flow!r} for backend {code!r}"})
        Message = self.env["logistics.message"].with_user(backend._get_technical_user())
        message, created = Message._receive(
            backend,
            message_type,
            body,
            content_type=content_type,
            headers=dict(headers),
            idempotency_key=header_idempotency_key(headers),
            partner_ref=headers.get("X-Partner-Reference"),
            correlation_id=headers.get("X-Correlation-ID"),
        )
        return stored_answer(message.name, message.correlation_id, created, verdict.problem)
