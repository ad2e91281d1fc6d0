"""SOAP through zeep, under the same policy as :mod:`logistics_adapters.http`.

:func:`soap_client` builds a zeep client whose transport puts the ``(connect, read)`` timeout
on every request, classifies HTTP failures, masks secrets in debug logs, and parses XML with
no DTD and no entities (``Settings(forbid_dtd=True, forbid_entities=True,
forbid_external=True)``): a WSDL or a reply that declares a DTD or an entity is refused with a
:class:`~logistics_adapters.errors.SecurityError` before anything in it is used.

:func:`call` runs one operation and turns every failure into the suite's errors: a SOAP fault
into ``BusinessError`` (``faultcode`` and ``faultstring`` in the message and as attributes),
or ``TransientError`` when the partner's fault string or code is listed in
``transient_faults``; timeouts, connection errors, 408/425/429 and 5xx replies without a fault
into ``TransientError``. Like the HTTP client, nothing here retries: the message engine does.

The WSDL is a local path or a URL. With ``cache=True``, documents fetched by URL (the WSDL
and its imported schemas) are kept in zeep's ``InMemoryCache`` for an hour. It is chosen over
``SqliteCache`` because Odoo workers are separate processes that may run on a read-only or
shared home, where a SQLite file would be created in the user cache folder and locked by
concurrent writers; a WSDL is small, so one download per worker and hour costs nothing.
Local files are read directly and not cached.
"""

import datetime
import re
import threading
import time

import requests
import zeep
from zeep.cache import InMemoryCache
from zeep.exceptions import (
    DTDForbidden,
    EntitiesForbidden,
    Fault,
    TransportError,
    ValidationError,
    XMLSyntaxError,
)
from zeep.transports import Transport
from zeep.xsd.types import builtins as xsd_builtins

from ..errors import AdapterError, BusinessError, SecurityError, TransientError
from .http import TRANSIENT_STATUSES, OutboundResponse, network_error, status_error
from .records import EXCERPT_LENGTH, mask_url, request_record
from .secrets import Masker

_DATE_WITH_ZONE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})")

# zeep's message when a non-200 reply is XML without a soap:Fault (zeep spells it so).
_ZEEP_NO_FAULT_ELEMENT = "Unknown fault occured"


def soap_settings():
    """Return the zeep settings of the suite: strict parsing, no DTD, no entity, no external."""
    return zeep.Settings(strict=True, forbid_dtd=True, forbid_entities=True, forbid_external=True)


class SoapClient(zeep.Client):
    """A zeep ``Client`` that also knows the secrets to mask in errors (``masker``)."""

    def __init__(self, wsdl, *, masker, **kwargs):
        self.masker = masker
        super().__init__(wsdl, **kwargs)


class PolicyTransport(Transport):
    """A zeep transport with the suite's timeouts, failure classes and masked debug logging.

    Every GET (WSDL, schemas) and POST (operations) uses ``timeout``. Replies with status
    408, 425, 429 or 5xx other than 500 raise ``TransientError`` at once (with
    ``retry_after``); a 500 is left to zeep, because SOAP 1.1 sends its faults with 500. The
    last exchange of the current thread is kept as an :class:`OutboundResponse` in
    ``last_response`` for records.
    """

    def __init__(self, *, timeout, cache=None, session=None, masker=None, debug_logger=None):
        super().__init__(cache=cache, timeout=timeout, operation_timeout=timeout, session=session)
        self.masker = masker or Masker()
        self.debug_logger = debug_logger
        self._local = threading.local()

    @property
    def last_response(self):
        """The :class:`OutboundResponse` of this thread's last operation, or None."""
        return getattr(self._local, "response", None)

    def last_request_record(self):
        """Return the masked copy of this thread's last request (even one that got no reply)."""
        if self.last_response is not None:
            return self.last_response.request_record()
        pending = getattr(self._local, "request", None)
        return request_record(*pending, self.masker) if pending else None

    def post(self, address, message, headers):
        """Post an envelope; raise ``TransientError`` on network failures and busy statuses."""
        return self._exchange("POST", address, headers, message)

    def get(self, address, params, headers):
        """Send an HTTP-GET binding operation under the same policy as :meth:`post`."""
        return self._exchange("GET", address, headers, None, params=params)

    def _exchange(self, method, address, headers, body, params=None):
        self._local.response = None
        self._local.request = (method, address, headers, body)
        started = time.perf_counter()
        raw = self._send(method, address, headers=headers, data=body, params=params)
        response = OutboundResponse(
            status=raw.status_code,
            headers=raw.headers,
            body=raw.content or b"",
            elapsed_ms=round((time.perf_counter() - started) * 1000),
            method=method,
            url=raw.request.url if raw.request is not None else address,
            reason=raw.reason or "",
            request_headers=raw.request.headers if raw.request is not None else headers,
            request_body=body,
            masker=self.masker,
        )
        self._local.response = response
        self._debug(response)
        _raise_for_busy_status(response, self.masker)
        return raw

    def _load_remote_data(self, url):
        """Fetch a WSDL or schema by URL; failures are classified like operations."""
        raw = self._send("GET", url, timeout=self.load_timeout)
        if raw.status_code >= 400:
            message = f"loading {mask_url(url, self.masker)}: HTTP {raw.status_code} {raw.reason}"
            raise status_error(raw.status_code, message.rstrip(), raw.headers)
        return raw.content

    def _send(self, method, url, timeout=None, **kwargs):
        timeout = timeout if timeout is not None else self.operation_timeout
        try:
            return self.session.request(method, url, timeout=timeout, **kwargs)
        except requests.exceptions.RequestException as exc:
            where = f"{method} {mask_url(url, self.masker)}"
            raise network_error(exc, where, self.masker, timeout) from None

    def _debug(self, response):
        target = self.debug_logger
        if target is None:
            return
        for label, text in (
            (f"request {response.method}", response.request_record()),
            (f"response {response.status}", response.response_record()),
        ):
            if hasattr(target, "debug"):
                target.debug("%s\n%s", label, text)
            else:
                target(text, label)


def soap_client(
    wsdl,
    *,
    timeout,
    cache=True,
    secrets_to_mask=(),
    session=None,
    debug_logger=None,
    plugins=None,
    wsse=None,
):
    """Return a :class:`SoapClient` for ``wsdl`` (a local path or a URL).

    ``timeout`` is ``(connect, read)`` seconds (or one number) for every request, including
    the WSDL download. ``cache`` is True (zeep's ``InMemoryCache``), False, or a zeep cache.
    ``secrets_to_mask`` are hidden in error messages and in what ``debug_logger`` (a logger or
    a callable ``(text, label)``) receives. A WSDL that cannot be read raises
    ``BusinessError``, one that declares a DTD or an entity ``SecurityError``, one that cannot
    be downloaded now ``TransientError``.
    """
    _backport_zeep_date_with_zone()
    masker = Masker(secrets_to_mask)
    transport = PolicyTransport(
        timeout=timeout,
        cache=_cache(cache),
        session=session,
        masker=masker,
        debug_logger=debug_logger,
    )
    try:
        return SoapClient(
            wsdl,
            masker=masker,
            transport=transport,
            settings=soap_settings(),
            plugins=plugins,
            wsse=wsse,
        )
    except AdapterError:
        raise
    except (DTDForbidden, EntitiesForbidden) as exc:
        raise SecurityError(f"WSDL {_name(wsdl, masker)} refused: {_forbidden(exc)}") from None
    except (OSError, zeep.exceptions.Error, ValueError) as exc:
        detail = masker(str(exc)) or type(exc).__name__
        raise BusinessError(f"cannot load WSDL {_name(wsdl, masker)}: {detail}") from None


def _backport_zeep_date_with_zone():
    """Let zeep < 4.3 read an ``xsd:date`` with a zone offset, such as ``2016-01-16+01:00``.

    zeep 4.2.1 (pinned by Odoo 19.0) reads dates with ``isodate.parse_date``, which refuses a
    zone since isodate 0.7; zeep then logs an error and returns None, so VIES's
    ``requestDate`` is lost. zeep 4.3 falls back to the date part; this installs the same
    fallback, once, and only where zeep lacks it.
    """
    date_type = xsd_builtins.Date
    if hasattr(date_type, "_pattern") or hasattr(date_type, "_logistics_backport"):
        return
    original = date_type.pythonvalue

    def pythonvalue(self, value):
        try:
            return original(self, value)
        except ValueError:
            match = _DATE_WITH_ZONE.fullmatch(value.strip())
            if match is None:
                raise
            return datetime.date(*map(int, match.groups()))

    date_type.pythonvalue = pythonvalue
    date_type._logistics_backport = True


def call(client, operation, /, *args, transient_faults=(), **kwargs):
    """Run ``operation`` of ``client`` with ``args``/``kwargs``; return zeep's result.

    ``transient_faults`` lists fault strings or codes (``"SERVER_BUSY"``, ``"soap:Server"``
    or just ``"Server"``) that mean "try again later" for this partner. Raised errors carry
    ``response`` (the last :class:`OutboundResponse`, when a reply came) and
    ``request_record``, as :class:`~logistics_adapters.http.OutboundClient` errors do.
    """
    masker = getattr(client, "masker", None) or Masker()
    try:
        method = client.service[operation]
    except AttributeError:
        known = ", ".join(sorted(name for name, _proxy in client.service)) or "none"
        raise BusinessError(f"no SOAP operation {operation!r}; known: {known}") from None
    try:
        return method(*args, **kwargs)
    except AdapterError as exc:
        raise _with_exchange(exc, client) from None
    except Exception as exc:
        response = getattr(client.transport, "last_response", None)
        error = _classify(exc, operation, transient_faults, masker, response)
        if error is None:
            raise
        raise _with_exchange(error, client) from None


def _classify(exc, operation, transient_faults, masker, response=None):
    """Return the suite error for a zeep/requests failure, or None to let it through."""
    where = f"SOAP {operation}"
    if isinstance(exc, Fault) and _not_a_fault(exc) and response is not None:
        excerpt = _excerpt(response, masker)
        message = f"{where}: HTTP {response.status} without a SOAP fault: {excerpt}"
        return status_error(response.status, message.rstrip(": "), response.headers)
    if isinstance(exc, Fault):
        return _fault_error(exc, where, transient_faults, masker)
    if isinstance(exc, TransportError):
        detail = masker(exc.message or "")[:EXCERPT_LENGTH]
        return status_error(exc.status_code, f"{where}: HTTP {exc.status_code}: {detail}")
    if isinstance(exc, (DTDForbidden, EntitiesForbidden)):
        return SecurityError(f"{where}: reply refused: {_forbidden(exc)}")
    if isinstance(exc, ValidationError):
        return BusinessError(f"{where}: arguments do not match the WSDL: {masker(str(exc))}")
    if isinstance(exc, XMLSyntaxError):
        return BusinessError(f"{where}: the reply is not a SOAP envelope: {masker(str(exc))}")
    if isinstance(exc, requests.exceptions.RequestException):
        return network_error(exc, where, masker)
    if isinstance(exc, zeep.exceptions.Error):
        return BusinessError(f"{where}: {masker(str(exc)) or type(exc).__name__}")
    return None


def _not_a_fault(exc):
    """Tell whether zeep raised ``Fault`` for a reply that holds no SOAP Fault element."""
    return exc.code is None and exc.message == _ZEEP_NO_FAULT_ELEMENT


def _excerpt(response, masker):
    text = " ".join(masker(response.text).split())
    return text[:EXCERPT_LENGTH] + ("..." if len(text) > EXCERPT_LENGTH else "")


def _fault_error(exc, where, transient_faults, masker):
    code = exc.code or ""
    text = exc.message or ""
    names = {text, code, code.rpartition(":")[2]} - {""}
    message = f"{where}: SOAP fault {code}: {text}" if code else f"{where}: SOAP fault: {text}"
    message = masker(message)
    if names & set(transient_faults):
        error = TransientError(message)
    else:
        error = BusinessError(message)
    error.faultcode = code
    error.faultstring = masker(text)
    return error


def _raise_for_busy_status(response, masker):
    status = response.status
    if status in TRANSIENT_STATUSES or status > 500:
        where = f"{response.method} {mask_url(response.url, masker)}"
        message = f"{where}: HTTP {status} {response.reason}".rstrip()
        error = status_error(status, message, response.headers)
        error.response = response
        error.request_record = response.request_record()
        raise error


def _with_exchange(error, client):
    transport = client.transport
    if getattr(error, "request_record", None) is None and isinstance(transport, PolicyTransport):
        error.response = transport.last_response
        error.request_record = transport.last_request_record()
    return error


def _forbidden(exc):
    if isinstance(exc, DTDForbidden):
        return f"it declares a DTD ({exc.name!r}); DTDs and entities are not accepted"
    return f"it declares the entity {exc.name!r}; entities are not accepted"


def _cache(cache):
    if cache is True:
        return InMemoryCache()
    return cache or None


def _name(wsdl, masker):
    return mask_url(str(wsdl), masker) if "://" in str(wsdl) else repr(str(wsdl))
