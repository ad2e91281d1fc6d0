import json
import logging

from odoo.exceptions import ConcurrencyError
from odoo.http import Controller, Response, request, route
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

_logger = logging.getLogger(__name__)

#: How a partner's request is served: POST only, no login (the signature authenticates),
#: no CSRF token, no session kept, a read-write cursor.
INBOUND_ROUTE = {
    "type": "http",
    "auth": "none",
    "methods": ["POST"],
    "csrf": False,
    "save_session": False,
    "readonly": False,
}


class LogisticsInboundController(Controller):
    """Partner systems post their messages here; ``logistics.inbound`` does the work,
    with the checks the edge gateway shares, so both answer alike, as the backend's
    technical user (least privilege), never as the superuser."""

    @route(
        ["/logistics/inbound/<string:code>", "/logistics/inbound/<string:code>/<string:flow>"],
        **INBOUND_ROUTE,
    )
    def inbound(self, code, flow=None, **_kwargs):
        httprequest = request.httprequest
        try:
            with request.env.cr.savepoint():
                verdict = request.env["logistics.inbound"]._accept(
                    code,
                    flow,
                    headers=httprequest.headers,
                    read_body=lambda _limit: httprequest.get_data(),
                    content_length=httprequest.content_length,
                    content_type=httprequest.mimetype,
                    remote_addr=httprequest.remote_addr,
                )
        except (ConcurrencyError, *PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
            raise  # Odoo retries the whole request
        except Exception:
            # Never a stack trace to a partner; it retries, and the log says why.
            _logger.exception("Inbound request for backend %s could not be handled", code)
            return self._answer(503, {"error": "temporarily unavailable, retry later"})
        return self._answer(verdict.status, verdict.body, verdict.headers)

    def _answer(self, status, body, headers=()):
        return Response(
            json.dumps(body),
            status=status,
            headers=[("Content-Type", "application/json"), *headers],
        )
