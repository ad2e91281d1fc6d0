"""Masked text copies of HTTP requests and responses, for the message log and debug logs.

Every record masks the URL's password and sensitive query values, the credential-bearing
headers and the known secrets (:class:`~logistics_adapters.transport.secrets.Masker`).
"""

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from .secrets import MASK, mask

EXCERPT_LENGTH = 300
RECORD_BODY_LIMIT = 200_000

SENSITIVE_HEADER = re.compile(
    r"authorization|cookie|api[-_]?key|token|secret|passw|signature|session", re.IGNORECASE
)
SENSITIVE_PARAM = re.compile(
    r"(api[-_]?|access[-_]?|auth[-_]?|client[-_]?)?(key|token|secret|password|passwd|pwd|sig|"
    r"signature)",
    re.IGNORECASE,
)
_TEXT_TYPES = re.compile(r"^text/|[/+](json|xml|javascript|x-www-form-urlencoded)\b", re.I)


def request_record(method, url, headers, body, masker):
    """Return a masked text copy of a request (used by responses and errors alike)."""
    return text_record(f"{method} {mask_url(url, masker)}", headers, body, masker)


def prepared_record(prepared, masker):
    return request_record(prepared.method, prepared.url, prepared.headers, prepared.body, masker)


def mask_url(url, masker):
    """Return ``url`` with its password, sensitive query values and known secrets masked."""
    if not url:
        return ""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _sep, host = netloc.rpartition("@")
        user, has_password, _password = userinfo.partition(":")
        if has_password:
            netloc = f"{user}:{MASK}@{host}"
    query = "&".join(_mask_param(pair) for pair in parts.query.split("&")) if parts.query else ""
    return masker(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))


def _mask_param(pair):
    name, sep, value = pair.partition("=")
    if sep and value and SENSITIVE_PARAM.fullmatch(unquote_plus(name)):
        return f"{name}={MASK}"
    return pair


def mask_headers(headers, masker):
    """Return ``(name, value)`` pairs with sensitive header values and known secrets masked."""
    pairs = []
    for name, value in (headers or {}).items():
        value = str(value)
        if SENSITIVE_HEADER.search(name):
            scheme, space, credentials = value.partition(" ")
            value = f"{scheme} {mask(credentials)}" if space else mask(value)
        pairs.append((name, masker(value)))
    return pairs


def text_record(first_line, headers, body, masker):
    lines = [first_line]
    lines += [f"{name}: {value}" for name, value in mask_headers(headers, masker)]
    text = body_text(body, headers)
    if text:
        text = masker(text)
        if len(text) > RECORD_BODY_LIMIT:
            text = text[:RECORD_BODY_LIMIT] + f"\n[... {len(text) - RECORD_BODY_LIMIT} more chars]"
        lines += ["", text]
    return "\n".join(lines)


def body_text(body, headers):
    if not body:
        return ""
    if isinstance(body, str):
        return body
    content_type = header_value(headers, "Content-Type")
    if content_type and not _TEXT_TYPES.search(content_type):
        return f"[{len(body)} bytes of {content_type.split(';')[0].strip()}]"
    try:
        return bytes(body).decode(charset(headers))
    except (UnicodeDecodeError, LookupError):
        return f"[{len(body)} bytes of binary content]"


def body_excerpt(response):
    text = body_text(response.body, response.headers)
    text = " ".join(response.masker(text).split())
    if len(text) > EXCERPT_LENGTH:
        text = text[:EXCERPT_LENGTH] + "..."
    return text


def charset(headers):
    content_type = header_value(headers, "Content-Type") or ""
    match = re.search(r"charset=\"?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else "utf-8"


def header_value(headers, name):
    if not headers:
        return None
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name.lower()), None)
    return value


def auth_secrets(auth):
    if isinstance(auth, tuple) and len(auth) == 2:
        return [str(auth[1]), f"{auth[0]}:{auth[1]}"]
    password = getattr(auth, "password", None)
    return [str(password)] if password else []


def header_secrets(headers):
    secrets = []
    for name, value in headers.items():
        if value and SENSITIVE_HEADER.search(name):
            value = str(value)
            secrets.append(value)
            _scheme, space, credentials = value.partition(" ")
            if space and credentials:
                secrets.append(credentials)
    return secrets
