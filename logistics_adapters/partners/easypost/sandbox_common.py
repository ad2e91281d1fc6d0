"""What the EasyPost sandbox's parts share: its error answers, ids and times."""

import hmac
from datetime import datetime, timezone

from ...sandbox.core import HttpError, Response, json_response

MODE = "test"
IDEMPOTENCY_HEADER = "Idempotency-Key"


class EasyPostError(HttpError):
    """An EasyPost error answer: ``code``, ``message`` and field ``errors``."""

    def __init__(self, status, code, message, errors=()):
        super().__init__(status, message)
        self.code = code
        self.errors = [
            {"field": field, "message": text, "suggestion": None} for field, text in errors
        ]

    def response(self):
        """Return the answer, shaped like EasyPost's."""
        body = {"error": {"code": self.code, "message": self.reason, "errors": self.errors}}
        return json_response(self.status, body, self.headers)


def _invalid(field, message):
    return EasyPostError(
        422, "PARAMETER.INVALID", f"Invalid parameter: {field}", [(field, message)]
    )


def _required(field):
    return EasyPostError(
        422, "PARAMETER.REQUIRED", f"Missing required parameter: {field}", [(field, "is required")]
    )


def _not_found():
    return EasyPostError(404, "NOT_FOUND", "The requested resource could not be found.")


def _body(request, root):
    """Return the JSON body, checking that ``body[root]`` is an object."""
    body = request.json()
    if root not in body:
        raise _required(root)
    if not isinstance(body[root], dict):
        raise _invalid(root, "must be an object")
    return body


def _replay(key, known, fingerprint):
    known_fingerprint, response = known
    if known_fingerprint != fingerprint:
        raise EasyPostError(
            422,
            "IDEMPOTENCY.KEY_REUSED",
            f"Idempotency-Key {key!r} was already used with another request body.",
        )
    return Response(
        response.status, response.body, {**response.headers, "Idempotent-Replayed": "true"}
    )


def _base_url(request, sandbox):
    host = request.header("Host")
    if host:
        return f"http://{host}"
    return sandbox.url if sandbox is not None else "http://127.0.0.1"


def _same(given, expected):
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _utcnow():
    return datetime.now(timezone.utc)


def _stamp(moment):
    """EasyPost's UTC form: ``2025-03-07T16:46:20Z`` (milliseconds when not whole)."""
    moment = moment.astimezone(timezone.utc)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
