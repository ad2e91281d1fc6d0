"""Secrets at rest and in logs: Fernet encryption, masking.

Credentials and webhook secrets are stored encrypted with Fernet (AES-128-CBC with
HMAC-SHA256, from ``cryptography``). A stored value reads ``fernet:<token>``, so encrypted
and legacy plain values are told apart. The key comes from the Odoo server configuration
option ``logistics_secret_key``. Several keys separated by commas allow a rotation: the first
one encrypts, all of them decrypt, and :meth:`SecretBox.rotate` re-encrypts under the first.

:func:`mask` and :func:`mask_in_text` hide secrets in what is shown, logged or stored as a
copy of a request. Run ``python -m logistics_adapters.secrets`` to print a new key.
"""

import base64
import json
import re
from urllib.parse import quote, quote_plus
from xml.sax.saxutils import escape as xml_escape

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from ..errors import AdapterError

PREFIX = "fernet:"
CONFIG_OPTION = "logistics_secret_key"
MASK = "\u2022" * 8
VISIBLE_TAIL = 4
MIN_LENGTH_FOR_TAIL = 12
_MIN_LENGTH_FOR_BASE64 = 6

_HOW_TO_CONFIGURE = (
    f"set '{CONFIG_OPTION} = <key>' in the [options] section of the Odoo server "
    "configuration file and restart Odoo; generate a key with "
    "'python -m logistics_adapters.secrets'"
)


class SecretKeyError(AdapterError):
    """The encryption key is not configured or not usable."""


class MissingKeyError(SecretKeyError):
    """No encryption key is configured; the message says how to configure one."""

    def __init__(self, message=None):
        super().__init__(message or f"no encryption key for logistics secrets: {_HOW_TO_CONFIGURE}")


class InvalidKeyError(SecretKeyError):
    """A configured key is not a Fernet key (32 url-safe base64-encoded bytes)."""


class DecryptionError(AdapterError):
    """A stored value cannot be decrypted: not ours, corrupted, or under a key no longer set."""


def generate_key():
    """Return a new random Fernet key, as text ready for the configuration file."""
    return Fernet.generate_key().decode("ascii")


def is_encrypted(value):
    """Tell whether ``value`` is a stored encrypted secret (starts with ``fernet:``)."""
    return isinstance(value, str) and value.startswith(PREFIX) and len(value) > len(PREFIX)


class SecretBox:
    """Encrypt and decrypt secrets under one key, or several during a rotation.

    ``key`` is a key (str or bytes), a comma-separated string of keys, or a list of keys; the
    first one encrypts. No key raises :class:`MissingKeyError`, a malformed key
    :class:`InvalidKeyError` (the key itself is never put in a message).
    """

    def __init__(self, key):
        keys = _split_keys(key)
        if not keys:
            raise MissingKeyError()
        self._fernet = MultiFernet([_fernet(k, position) for position, k in enumerate(keys, 1)])
        self.key_count = len(keys)

    def encrypt(self, value):
        """Return ``value`` (str) encrypted under the first key, as ``fernet:<token>``."""
        if not isinstance(value, str):
            raise TypeError("only text secrets can be encrypted")
        return PREFIX + self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def decrypt(self, value):
        """Return the text encrypted in ``value``; refuse values that are not ``fernet:...``."""
        return self._token_call(self._fernet.decrypt, value).decode("utf-8")

    def rotate(self, value):
        """Return ``value`` re-encrypted under the first key (for a key rotation)."""
        return PREFIX + self._token_call(self._fernet.rotate, value).decode("ascii")

    def _token_call(self, method, value):
        if not is_encrypted(value):
            raise DecryptionError(f"not an encrypted secret: the stored value has no {PREFIX!r}")
        try:
            return method(value[len(PREFIX) :].encode("ascii"))
        except (InvalidToken, UnicodeEncodeError):
            raise DecryptionError(
                "cannot decrypt a stored secret with the configured key(s): the value is "
                f"corrupted or was encrypted under another key; put the old key after the "
                f"new one in '{CONFIG_OPTION}', or enter the secret again"
            ) from None

    def __repr__(self):
        return f"<SecretBox with {self.key_count} key(s)>"


def mask(value):
    """Return ``value`` masked for display: ``••••••••1234`` or, when short, ``••••••••``.

    The last 4 characters are shown only when at least 8 stay hidden. Empty values give ``""``.
    """
    if not value:
        return ""
    value = str(value)
    if len(value) >= MIN_LENGTH_FOR_TAIL:
        return MASK + value[-VISIBLE_TAIL:]
    return MASK


class Masker:
    """Replace known secrets in text by ``MASK``; built once, applied to many texts.

    Each secret is looked for as is, URL-encoded (``quote`` and ``quote_plus``), escaped as in
    a JSON string and as in XML text, and, from 6 characters on, base64-encoded (standard and
    url-safe, with or without padding). Longer forms are replaced first, so no fragment of a
    secret survives. The visible tail of :func:`mask` is not used here: next to the
    surrounding text it could rebuild a secret that overlaps itself.
    """

    def __init__(self, secrets=()):
        forms = set()
        for secret in secrets or ():
            if secret:
                forms.update(_forms(str(secret)))
        ordered = sorted(forms, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def __bool__(self):
        return self._pattern is not None

    def __call__(self, text):
        """Return ``text`` with every known secret masked; non-text is returned unchanged."""
        if self._pattern is None or not isinstance(text, str):
            return text
        return self._pattern.sub(MASK, text)


def mask_in_text(text, secrets):
    """Return ``text`` with each secret in ``secrets`` (and its encoded forms) as ``MASK``."""
    return Masker(secrets)(text)


def _forms(secret):
    forms = {secret, quote(secret), quote(secret, safe=""), quote_plus(secret)}
    forms.update((json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]))
    forms.add(xml_escape(secret, {'"': "&quot;", "'": "&apos;"}))
    if len(secret) >= _MIN_LENGTH_FOR_BASE64:
        raw = secret.encode("utf-8")
        for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
            text = encoded.decode("ascii")
            forms.update((text, text.rstrip("=")))
    return {form for form in forms if form}


def _split_keys(key):
    if not key:
        return []
    if isinstance(key, bytes):
        key = key.decode("ascii", errors="replace")
    if isinstance(key, str):
        key = key.split(",")
    return [k.strip() if isinstance(k, str) else k for k in key if k and str(k).strip()]


def _fernet(key, position):
    try:
        return Fernet(key)
    except (ValueError, TypeError):
        raise InvalidKeyError(
            f"key {position} in '{CONFIG_OPTION}' is not a Fernet key (32 url-safe "
            "base64-encoded bytes); generate one with 'python -m logistics_adapters.secrets'"
        ) from None
