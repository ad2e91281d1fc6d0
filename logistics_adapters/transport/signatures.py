"""Webhook signature schemes: check what a partner sent, and sign what a partner would send.

Each scheme is a small stateless class with a stable ``code`` (stored on the backend record,
so never renamed), a ``label`` for the Odoo selection, and two methods:

* ``verify(headers, body, secrets, now=None)`` returns a :class:`Verified` or raises
  :class:`~logistics_adapters.errors.SecurityError` whose message names the scheme and what is
  wrong (missing header, malformed header, timestamp outside the window, mismatch), never the
  secret;
* ``sign(body, secret, *, now=None)`` returns the headers the partner would send (for the
  sandbox, tests and benchmarks).

``headers`` is any mapping (a dict, werkzeug ``Headers``...) and is read case-insensitively;
``body`` is the raw request body as bytes, exactly as received. ``secrets`` lists the secrets
acceptable right now: the current one and, while a rotation allows it, the previous one; the
caller decides which are still valid. Every comparison goes through ``hmac.compare_digest``.

Replays: nothing here remembers a request. A request sent again is the same message with the
same idempotency key, so the inbox counts it as a duplicate (answered 200, processed once); the
timestamp window of ``generic-hmac-sha256`` refuses it once it is stale.
"""

import base64
import binascii
import hashlib
import hmac
import importlib
import re
import time
from dataclasses import dataclass

from ..errors import SecurityError

GENERIC_TIMESTAMP_HEADER = "X-Logistics-Timestamp"
GENERIC_SIGNATURE_HEADER = "X-Logistics-Signature"
DEFAULT_TOLERANCE = 300

_HEX_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class Verified:
    """What a successful verification learnt.

    ``timestamp`` is the signed Unix time when the scheme has one; ``secret_index`` is the
    position of the secret that matched in ``secrets`` (1 means the previous secret is still
    in use).
    """

    scheme: str
    timestamp: int | None = None
    secret_index: int | None = None


class SignatureScheme:
    """Base class of the schemes; subclasses set ``code``, ``label`` and the two methods."""

    code = ""
    label = ""
    needs_secret = True

    def verify(self, headers, body, secrets, now=None):
        """Return a :class:`Verified` when the request is authentic, else raise SecurityError."""
        raise NotImplementedError

    def sign(self, body, secret, *, now=None):
        """Return the headers (a dict) a partner would send with ``body``."""
        raise NotImplementedError

    def _fail(self, reason):
        return SecurityError(f"{self.code}: {reason}")

    def _required_header(self, headers, name):
        value = get_header(headers, name)
        if value is None or not value.strip():
            raise self._fail(f"missing header {name}")
        return value.strip()

    def _secrets(self, secrets):
        """Return the HMAC keys of the non-empty ``secrets``; refuse when there is none."""
        if isinstance(secrets, (str, bytes)):
            secrets = [secrets]
        keys = [self._key(secret) for secret in secrets or () if secret]
        if not keys:
            raise self._fail("no secret configured to check the signature against")
        return keys

    @staticmethod
    def _key(secret):
        """Return the key bytes of ``secret``: its UTF-8 encoding unless already bytes."""
        return secret if isinstance(secret, bytes) else str(secret).encode("utf-8")


class GenericHmacScheme(SignatureScheme):
    """The suite's own scheme, a stable contract for partners and the sandbox.

    ``X-Logistics-Timestamp`` holds Unix seconds and ``X-Logistics-Signature`` the lowercase
    hex HMAC-SHA256 of ``<timestamp>.<raw body>`` keyed with the UTF-8 bytes of the secret.
    The timestamp must be within ``tolerance`` seconds of now, both ways: a request replayed
    later is refused, and one replayed within the window is a duplicate of the first.
    """

    code = "generic-hmac-sha256"
    label = "Logistics HMAC-SHA256 (timestamp and signature headers)"

    def __init__(self, tolerance=DEFAULT_TOLERANCE):
        self.tolerance = tolerance

    def verify(self, headers, body, secrets, now=None):
        """Check signature, then timestamp window; return the timestamp."""
        body = _raw(body)
        stamp = self._required_header(headers, GENERIC_TIMESTAMP_HEADER)
        given = self._required_header(headers, GENERIC_SIGNATURE_HEADER)
        if not _UNIX_SECONDS.fullmatch(stamp):
            raise self._fail(f"malformed header {GENERIC_TIMESTAMP_HEADER}: expected Unix seconds")
        if not _HEX_SHA256.fullmatch(given):
            raise self._fail(
                f"malformed header {GENERIC_SIGNATURE_HEADER}: expected 64 hex characters"
            )
        given = given.lower().encode("ascii")
        index = _match(given, self._secrets(secrets), lambda key: self._digest(key, stamp, body))
        if index is None:
            raise self._fail("signature mismatch")
        self._check_window(int(stamp), now)
        return Verified(self.code, int(stamp), index)

    def sign(self, body, secret, *, now=None):
        """Return both headers for ``body`` signed at ``now`` (default: the current time)."""
        stamp = str(int(time.time() if now is None else now))
        digest = self._digest(self._key(secret), stamp, _raw(body))
        return {GENERIC_TIMESTAMP_HEADER: stamp, GENERIC_SIGNATURE_HEADER: digest.decode()}

    @staticmethod
    def _digest(key, stamp, body):
        message = stamp.encode("ascii") + b"." + body
        return hmac.new(key, message, hashlib.sha256).hexdigest().encode("ascii")

    def _check_window(self, stamp, now):
        now = time.time() if now is None else now
        age = now - stamp
        if age > self.tolerance:
            raise self._fail(
                f"timestamp outside the {self.tolerance} s window ({int(age)} s old); "
                "a stale or replayed request, or the partner's clock is wrong"
            )
        if -age > self.tolerance:
            raise self._fail(
                f"timestamp outside the {self.tolerance} s window ({int(-age)} s in the future); "
                "check the partner's clock"
            )


class BodyHmacScheme(SignatureScheme):
    """HMAC-SHA256 of the raw body in one header, without timestamp.

    A partner scheme sets ``header`` and says how the header holds the digest
    (:meth:`_read_digest`, :meth:`_write_digest`). There is no timestamp: replays are caught by
    the message's idempotency key.
    """

    header = ""

    def verify(self, headers, body, secrets, now=None):
        """Check the body's HMAC against each secret; ``now`` is ignored (no timestamp)."""
        body = _raw(body)
        given = self._read_digest(self._required_header(headers, self.header))
        index = _match(given, self._secrets(secrets), lambda key: self._digest(key, body))
        if index is None:
            raise self._fail("signature mismatch")
        return Verified(self.code, None, index)

    def sign(self, body, secret, *, now=None):
        """Return the header for ``body``."""
        return {self.header: self._write_digest(self._digest(self._key(secret), _raw(body)))}

    def _read_digest(self, value):
        """Return the digest (bytes) the header ``value`` holds; ``_fail`` when malformed."""
        raise NotImplementedError

    def _write_digest(self, digest):
        """Return the header value holding ``digest``."""
        raise NotImplementedError

    @staticmethod
    def _digest(key, body):
        return hmac.new(key, body, hashlib.sha256).digest()


class BearerScheme(SignatureScheme):
    """A static token in ``Authorization: Bearer <token>``; the body is not signed.

    Use it only for partners that offer nothing better: a token has no timestamp and signs
    nothing, so anyone who sees one request can send others (a request sent again is still
    a duplicate by its idempotency key).
    """

    code = "bearer"
    label = "Static bearer token (Authorization header)"

    def verify(self, headers, body, secrets, now=None):
        """Compare the token with each secret."""
        token = _authorization(self, headers, "Bearer")
        index = _match(token.encode("utf-8"), self._secrets(secrets), lambda key: key)
        if index is None:
            raise self._fail("token mismatch")
        return Verified(self.code, secret_index=index)

    def sign(self, body, secret, *, now=None):
        """Return the ``Authorization`` header carrying ``secret``."""
        return {"Authorization": f"Bearer {secret}"}


class BasicScheme(SignatureScheme):
    """HTTP basic authentication; each secret is written ``user:password``.

    Same limits as :class:`BearerScheme`. User and password are compared together, in
    constant time, as the bytes ``user:password``.
    """

    code = "basic"
    label = "HTTP basic authentication (user:password)"

    def verify(self, headers, body, secrets, now=None):
        """Compare the decoded ``user:password`` with each secret."""
        credentials = _b64decode(_authorization(self, headers, "Basic"))
        if credentials is None or b":" not in credentials:
            raise self._fail("malformed header Authorization: expected base64 of user:password")
        index = _match(credentials, self._secrets(secrets), lambda key: key)
        if index is None:
            raise self._fail("credentials mismatch")
        return Verified(self.code, secret_index=index)

    def sign(self, body, secret, *, now=None):
        """Return the ``Authorization`` header for ``secret`` (``user:password``)."""
        return {"Authorization": "Basic " + base64.b64encode(self._key(secret)).decode("ascii")}


class NoneScheme(SignatureScheme):
    """Accept every request: only for backends explicitly configured without a signature."""

    code = "none"
    label = "None (accept unsigned requests)"
    needs_secret = False

    def verify(self, headers, body, secrets, now=None):
        """Accept the request without looking at it."""
        return Verified(self.code)

    def sign(self, body, secret, *, now=None):
        """Return no header."""
        return {}


#: The registered schemes by code, in registration order (partner schemes register from their
#: partner package, loaded on first use of :func:`get_scheme`, :func:`scheme_selection`...).
SCHEMES = {}


def register_scheme(scheme_cls):
    """Register ``scheme_cls`` under its ``code``; returns it, so it works as a decorator."""
    SCHEMES[scheme_cls.code] = scheme_cls
    return scheme_cls


for _scheme_cls in (GenericHmacScheme, BearerScheme, BasicScheme, NoneScheme):
    register_scheme(_scheme_cls)


def available_schemes():
    """Return the codes of every registered scheme, partner schemes included."""
    _load_partners()
    return list(SCHEMES)


def get_scheme(code, **options):
    """Return an instance of the scheme registered under ``code``.

    ``options`` go to the constructor (``tolerance=`` for ``generic-hmac-sha256``). An unknown
    code raises ``LookupError`` listing the known ones: a misconfigured backend must not fall
    back to accepting everything.
    """
    _load_partners()
    try:
        scheme_cls = SCHEMES[code]
    except (KeyError, TypeError):
        known = ", ".join(SCHEMES)
        raise LookupError(f"unknown signature scheme {code!r}; known schemes: {known}") from None
    return scheme_cls(**options)


def scheme_selection():
    """Return ``[(code, label), ...]`` for an Odoo ``fields.Selection``."""
    _load_partners()
    return [(code, cls.label) for code, cls in SCHEMES.items()]


def _load_partners():
    importlib.import_module("logistics_adapters.registry").load_partners()


def get_header(headers, name):
    """Return the value of header ``name`` in ``headers`` (any case), or None."""
    if headers is None:
        return None
    value = headers.get(name)
    if value is None:
        wanted = name.lower()
        value = next((v for k, v in headers.items() if str(k).lower() == wanted), None)
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value


def _match(given, keys, expected_for):
    """Return the index of the first key whose expected value equals ``given``, else None.

    Every key is compared (no early exit) with ``hmac.compare_digest``.
    """
    results = [hmac.compare_digest(expected_for(key), given) for key in keys]
    return next((i for i, ok in enumerate(results) if ok), None)


def _raw(body):
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if body is None:
        return b""
    raise TypeError("pass the raw request body as bytes, exactly as received")


def _b64decode(value):
    try:
        return base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None


def _authorization(scheme, headers, kind):
    value = scheme._required_header(headers, "Authorization")
    word, _sep, rest = value.partition(" ")
    if word.lower() != kind.lower() or not rest.strip():
        raise scheme._fail(f"malformed header Authorization: expected '{kind} <credentials>'")
    return rest.strip()
