import json
import logging
from dataclasses import dataclass, field

from lxml import etree

from odoo import api, models

from logistics_adapters.errors import SecurityError

_logger = logging.getLogger(__name__)

JSON_TYPES = ("application/json",)
XML_TYPES = ("application/xml", "text/xml", "application/soap+xml")


@dataclass
class InboundResult:
    status: int
    body: dict
    headers: list = field(default_factory=list)


class LogisticsInbound(models.AbstractModel):
    """Accepts partner messages arriving over HTTP, whatever the entry point.

    The order of the checks is the contract: unknown backend 404, too large 413,
    unsupported content type 415, over the rate limit 429, bad signature 401 (kept
    as a security event, the body is not stored), unknown flow 404; then the
    message is stored and answered 202 with its reference (200 for a duplicate, 400
    with a reason when the body is malformed, stored all the same for audit).
    """

    _name = "logistics.inbound"
    _description = "Logistics Inbound Service"

    @api.model
    def _accept(
        self, code, flow, *, headers, read_body, content_length, content_type, remote_addr=None
    ):
        """Check and store one inbound request; return an :class:`InboundResult`."""
        backend = self.env["logistics.backend"].search([("code", "=", code)], limit=1)
        if not backend:
            return InboundResult(404, {"error": f"unknown backend {code!r}"})
        limit = backend.max_payload_size
        if content_length and content_length > limit:
            return self._too_large(limit)
        body = read_body(limit + 1)
        if len(body) > limit:
            return self._too_large(limit)
        if not backend._accepts_content_type(content_type):
            return InboundResult(
                415,
                {
                    "error": f"unsupported content type {content_type!r}",
                    "accepted": backend._get_content_types(),
                },
            )
        retry_after = backend._take_inbound_token()
        if retry_after:
            return InboundResult(
                429,
                {"error": "rate limit exceeded, retry later"},
                [("Retry-After", str(retry_after))],
            )
        try:
            backend._get_signature_scheme().verify(headers, body, backend._get_webhook_secrets())
        except SecurityError as exc:
            self.env["logistics.security.event"]._record(backend, flow, str(exc), remote_addr)
            return InboundResult(401, {"error": f"signature rejected: {exc}"})
        message_type = backend._get_inbound_type(flow)
        if not message_type:
            return InboundResult(404, {"error": f"unknown flow {flow!r} for backend {code!r}"})
        return self._store(backend, message_type, body, content_type, headers)

    def _too_large(self, limit):
        return InboundResult(413, {"error": f"body larger than {limit} bytes"})

    def _store(self, backend, message_type, body, content_type, headers):
        problem = self._malformed(body, content_type)
        Message = self.env["logistics.message"].with_user(backend._get_technical_user())
        message, created = Message._receive(
            backend,
            message_type,
            body,
            content_type=content_type,
            headers=dict(headers),
            partner_ref=headers.get("X-Partner-Reference"),
            correlation_id=headers.get("X-Correlation-ID"),
        )
        reply = {"reference": message.name, "correlation_id": message.correlation_id}
        if problem:
            return InboundResult(400, {**reply, "error": problem, "stored": True})
        if not created:
            return InboundResult(200, {**reply, "status": "duplicate"})
        return InboundResult(202, {**reply, "status": "accepted"})

    def _malformed(self, body, content_type):
        """Why the body cannot be what its content type says, or None."""
        if content_type in JSON_TYPES:
            try:
                json.loads(body)
            except ValueError as exc:
                return f"invalid JSON: {exc}"
        elif content_type in XML_TYPES:
            parser = etree.XMLParser(
                resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
            )
            try:
                root = etree.fromstring(body, parser=parser)
            except etree.XMLSyntaxError as exc:
                return f"invalid XML: {exc}"
            if root.getroottree().docinfo.internalDTD is not None:
                return "XML with a document type declaration is refused (entities)"
        return None
