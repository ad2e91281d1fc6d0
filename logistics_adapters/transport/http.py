"""The one outbound HTTP client every connector uses.

:class:`OutboundClient` puts in one place what every partner call needs: timeouts (connect,
read), the ``Idempotency-Key`` and ``X-Correlation-ID`` headers, a client-side rate limit, the
classification of failures, and masked copies of the request and response for the message log
and for debug logging (like ``delivery.carrier.log_xml`` in Odoo).

Failures are raised, never returned:

* :class:`~logistics_adapters.errors.TransientError` for timeouts, connection errors, 408,
  425, 429 and every 5xx, with ``retry_after`` (seconds) from a ``Retry-After`` header given
  in seconds or as an HTTP-date;
* :class:`~logistics_adapters.errors.BusinessError` for the other 4xx (the message names the
  status and a short, masked excerpt of the body) and for requests that cannot be built
  (a malformed URL...).

Both carry ``response`` (the :class:`OutboundResponse`, or None when nothing came back) and
``request_record`` (the masked request), so the caller can store what was exchanged.

The client never retries. The message engine owns retries: it knows the attempt count, the
flow's backoff pattern and the backend's circuit breaker, it commits between attempts, and it
sends the same ``Idempotency-Key`` again. A retry loop in here would hold an Odoo worker
while it sleeps, multiply the attempts the engine counts, and hide failures from the
workbench. ``urllib3``'s own retries stay off (requests' default).
"""

import json as jsonlib
import logging
import math
import time
from dataclasses import dataclass, field
from datetime import timezone
from email.utils import parsedate_to_datetime

import requests

from .. import __version__
from ..errors import BusinessError, ParseError, TransientError
from .ratelimit import shared_rate_limiter
from .records import (
    auth_secrets,
    body_excerpt,
    charset,
    header_secrets,
    header_value,
    mask_url,
    prepared_record,
    request_record,
    text_record,
)
from .secrets import Masker

# The logger keeps its name from before the transport package, so log settings still apply.
_logger = logging.getLogger("logistics_adapters.http")

DEFAULT_TIMEOUT = (5.0, 30.0)
IDEMPOTENCY_HEADER = "Idempotency-Key"
CORRELATION_HEADER = "X-Correlation-ID"
USER_AGENT = f"logistics-adapters/{__version__}"
TRANSIENT_STATUSES = frozenset({408, 425, 429})


def parse_retry_after(value, now=None):
    """Return the delay a ``Retry-After`` header asks for, in whole seconds, or None.

    ``value`` is delay-seconds (``"120"``) or an HTTP-date (``"Wed, 21 Oct 2015 07:28:00
    GMT"``); ``now`` is the current Unix time (default: the clock). Dates in the past give 0;
    anything unreadable gives None.
    """
    if value is None:
        return None
    value = str(value).strip()
    if value.isdigit() and value.isascii():
        return int(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = time.time() if now is None else now
    return max(0, math.ceil(when.timestamp() - now))


@dataclass(repr=False)
class OutboundResponse:
    """A 2xx/3xx answer: status, headers, body bytes, elapsed milliseconds, and masked copies.

    ``request_record()`` and ``response_record()`` return text safe to store or log: secrets
    are masked in the URL, in headers (``Authorization``, API keys, cookies...) and in bodies.
    """

    status: int
    headers: object
    body: bytes
    elapsed_ms: int
    method: str = ""
    url: str = ""
    reason: str = ""
    request_headers: object = field(default_factory=dict)
    request_body: object = None
    masker: Masker = field(default_factory=Masker)

    def __repr__(self):
        url = mask_url(self.url, self.masker)
        return f"<OutboundResponse {self.status} {self.method} {url} ({self.elapsed_ms} ms)>"

    @property
    def ok(self):
        """True for a status below 400."""
        return self.status < 400

    @property
    def text(self):
        """The body decoded with the charset the response declares (UTF-8 by default)."""
        return self.body.decode(charset(self.headers), errors="replace")

    def json(self):
        """Return the body parsed as JSON; raise ``ParseError`` naming the position if not."""
        try:
            return jsonlib.loads(self.body)
        except jsonlib.JSONDecodeError as exc:
            raise ParseError(
                f"response is not valid JSON: {exc.msg}",
                format="json",
                line=exc.lineno,
                column=exc.colno,
                position=exc.pos,
            ) from None
        except ValueError as exc:
            raise ParseError(f"response is not valid JSON: {exc}", format="json") from None

    def request_record(self):
        """Return the request as masked text: request line, headers, blank line, body."""
        return request_record(
            self.method, self.url, self.request_headers, self.request_body, self.masker
        )

    def response_record(self):
        """Return the response as masked text: status line, headers, blank line, body."""
        first = f"HTTP {self.status} {self.reason}".rstrip() + f" ({self.elapsed_ms} ms)"
        return text_record(first, self.headers, self.body, self.masker)


class OutboundClient:
    """Send requests to one partner endpoint under the suite's policy (see the module doc).

    ``timeout`` is ``(connect, read)`` seconds; ``headers`` go with every request; ``auth`` is
    a requests auth object or a ``(user, password)`` pair; ``secrets_to_mask`` lists values to
    hide in records and logs (the password of ``auth`` and the values of sensitive default
    headers are added). ``rate_limit_per_minute`` shares a :class:`RateLimiter` across the
    process by ``rate_limit_key`` (default: ``base_url``); ``rate_limiter`` passes one
    directly. ``debug_logger`` is a ``logging.Logger`` or a callable ``(text, label)`` such as
    ``carrier.log_xml``; it receives masked records. ``session`` is a ``requests.Session`` to
    reuse (the client closes only the one it made).
    """

    def __init__(
        self,
        base_url,
        *,
        timeout=DEFAULT_TIMEOUT,
        headers=None,
        auth=None,
        secrets_to_mask=(),
        rate_limit_per_minute=None,
        debug_logger=None,
        session=None,
        rate_limit_key=None,
        rate_limiter=None,
    ):
        self.base_url = base_url
        self.timeout = timeout
        self.headers = {"User-Agent": USER_AGENT, **(headers or {})}
        self.auth = tuple(auth) if isinstance(auth, list) else auth
        self.debug_logger = debug_logger
        self._own_session = session is None
        self.session = session or requests.Session()
        self.rate_limiter = rate_limiter
        if rate_limiter is None and rate_limit_per_minute:
            key = rate_limit_key or base_url
            self.rate_limiter = shared_rate_limiter(key, rate_limit_per_minute)
        self._secrets = [*secrets_to_mask, *auth_secrets(self.auth)]
        self._secrets += header_secrets(self.headers)
        self.masker = Masker(self._secrets)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        """Close the session if this client created it."""
        if self._own_session:
            self.session.close()

    def request(
        self,
        method,
        path,
        *,
        json=None,
        data=None,
        params=None,
        headers=None,
        idempotency_key=None,
        correlation_id=None,
        allow_redirects=False,
    ):
        """Send one request and return an :class:`OutboundResponse` for a 2xx/3xx answer.

        ``path`` is relative to ``base_url`` (absolute URLs are refused so credentials never
        go to another host). Raises ``TransientError`` or ``BusinessError`` as the module doc
        says. Redirects are not followed unless ``allow_redirects`` is set.
        """
        if json is not None and data is not None:
            raise ValueError("pass json or data, not both")
        masker = self._masker_for(headers)
        prepared = self._prepare(
            method, path, json, data, params, headers, idempotency_key, correlation_id
        )
        if self.rate_limiter is not None:
            self.rate_limiter.acquire()
        self._debug(
            lambda: prepared_record(prepared, masker), f"request {prepared.method} {masker(path)}"
        )
        response = self._send(prepared, allow_redirects, masker)
        self._debug(response.response_record, f"response {prepared.method} {masker(path)}")
        return self._check(response)

    def get(self, path, **kwargs):
        """Shortcut for ``request("GET", path, ...)``."""
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        """Shortcut for ``request("POST", path, ...)``."""
        return self.request("POST", path, **kwargs)

    def _masker_for(self, headers):
        extra = header_secrets(headers or {})
        return Masker(self._secrets + extra) if extra else self.masker

    def _prepare(self, method, path, json, data, params, headers, idempotency_key, correlation):
        all_headers = {**self.headers, **(headers or {})}
        if idempotency_key:
            all_headers[IDEMPOTENCY_HEADER] = str(idempotency_key)
        if correlation:
            all_headers[CORRELATION_HEADER] = str(correlation)
        request = requests.Request(
            method.upper(),
            _join(self.base_url, path),
            headers=all_headers,
            json=json,
            data=data,
            params=params,
            auth=self.auth,
        )
        try:
            return self.session.prepare_request(request)
        except (requests.exceptions.RequestException, ValueError) as exc:
            message = f"cannot build {method.upper()} {path}: {self.masker(str(exc))}"
            raise _with_records(BusinessError(message), None, None) from None

    def _send(self, prepared, allow_redirects, masker):
        settings = self.session.merge_environment_settings(prepared.url, {}, None, None, None)
        started = time.perf_counter()
        try:
            raw = self.session.send(
                prepared, timeout=self.timeout, allow_redirects=allow_redirects, **settings
            )
        except requests.exceptions.RequestException as exc:
            where = f"{prepared.method} {mask_url(prepared.url, masker)}"
            error = network_error(exc, where, masker, self.timeout)
            self._debug(lambda: str(error), f"error {prepared.method}")
            raise _with_records(error, None, prepared_record(prepared, masker)) from None
        elapsed_ms = round((time.perf_counter() - started) * 1000)
        return OutboundResponse(
            status=raw.status_code,
            headers=raw.headers,
            body=raw.content or b"",
            elapsed_ms=elapsed_ms,
            method=prepared.method,
            url=prepared.url,
            reason=raw.reason or "",
            request_headers=prepared.headers,
            request_body=prepared.body,
            masker=masker,
        )

    def _check(self, response):
        status = response.status
        if status < 400:
            return response
        where = f"{response.method} {mask_url(response.url, response.masker)}"
        message = f"{where}: HTTP {status} {response.reason}".rstrip()
        excerpt = body_excerpt(response)
        if excerpt:
            message += f": {excerpt}"
        error = status_error(status, message, response.headers)
        raise _with_records(error, response, response.request_record())

    def _debug(self, make_text, label):
        """Send ``make_text()`` to the debug logger; masked records are built only if needed."""
        target = self.debug_logger
        if target is None:
            if _logger.isEnabledFor(logging.DEBUG):
                _logger.debug("%s\n%s", label, make_text())
        elif hasattr(target, "debug"):
            target.debug("%s\n%s", label, make_text())
        else:
            target(make_text(), label)


def _join(base_url, path):
    path = path or ""
    if "://" in path:
        raise ValueError("pass a path relative to base_url, not an absolute URL")
    if not path:
        return base_url
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def network_error(exc, where, masker=None, timeout=None):
    """Return the suite error for a requests exception raised while calling ``where``.

    Timeouts and connection failures are transient; a request that could not even be sent
    (invalid URL, header...) is a business error. The text is masked with ``masker``.
    """
    detail = masker(str(exc)) if masker else str(exc)
    connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        limit = f" within {connect} s" if connect else ""
        return TransientError(f"{where}: no connection{limit}: {detail}")
    if isinstance(exc, requests.exceptions.Timeout):
        limit = f" within {read} s" if read else ""
        return TransientError(f"{where}: no answer{limit}: {detail}")
    if isinstance(exc, _CONNECTION_FAILURES):
        return TransientError(f"{where}: connection failed: {detail}")
    return BusinessError(f"{where}: request refused before sending: {detail}")


_CONNECTION_FAILURES = (
    requests.exceptions.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


def status_error(status, message, headers=None):
    """Return the error for an HTTP failure status: transient or business.

    408, 425, 429 and 5xx (and no status at all) are transient, with ``retry_after`` from the
    ``Retry-After`` header; the other statuses are business errors.
    """
    if not status or status in TRANSIENT_STATUSES or status >= 500:
        retry_after = parse_retry_after(header_value(headers, "Retry-After"))
        return TransientError(message, retry_after=retry_after)
    return BusinessError(message)


def _with_records(error, response, record):
    error.response = response
    error.request_record = record
    return error
