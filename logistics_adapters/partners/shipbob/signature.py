"""ShipBob's webhook signature scheme: Standard Webhooks."""

import base64
import hashlib
import hmac
import re
import time

from ...transport.signatures import (
    GenericHmacScheme,
    Verified,
    _b64decode,
    _raw,
    register_scheme,
)

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
#: The header ShipBob names the topic in (``order.shipped``); not signed.
TOPIC_HEADER = "x-webhook-topic"
SECRET_PREFIX = "whsec_"
VERSION = "v1"
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")
_DIGEST_SIZE = hashlib.sha256().digest_size


@register_scheme
class ShipBobHmacScheme(GenericHmacScheme):
    """ShipBob webhooks (API 2025-07 and later): the Standard Webhooks scheme.

    Source: ShipBob's "Webhooks" page (developer.shipbob.com/2025-07/webhooks, section on
    verifying them): three headers, ``webhook-id`` (the message's unique id, the same on every
    retry), ``webhook-timestamp`` (Unix seconds) and ``webhook-signature``, "a list of
    space-delimited signatures and their corresponding version identifiers" (``v1,<base64>``);
    the signed content is ``{webhook-id}.{webhook-timestamp}.{raw body}``, HMAC-SHA256 keyed
    with "the base64-decoded bytes" of the part of the secret after ``whsec_`` (ShipBob's
    secrets match ``^whsec_[a-zA-Z0-9+/]{32}$``). The Standard Webhooks specification
    (standardwebhooks.com) publishes the test vector the tests check.

    * A ``v1`` signature of any secret passed matches (several are sent while a secret is
      rotated); other versions (``v1a``, asymmetric) are skipped, and a header with no ``v1``
      signature, or an entry that is not ``<version>,<base64 of 32 bytes>``, is malformed.
    * The timestamp must be within ``tolerance`` seconds of now, both ways (5 minutes, the
      specification's advice), checked after the signature, as ``generic-hmac-sha256`` does.
    * A secret written without ``whsec_`` (not a ShipBob secret: the sandbox's, a test's) is
      keyed with its UTF-8 bytes, as the other schemes key theirs: paste ShipBob's secret
      whole, prefix included.

    Subscriptions of the legacy API (1.0, 2.0: headers ``shipbob-topic`` and
    ``shipbob-subscription-id``) are not signed: this scheme refuses them (missing header).
    """

    code = "shipbob-hmac"
    label = "ShipBob (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature)"

    def verify(self, headers, body, secrets, now=None):
        """Check the signatures against each secret, then the timestamp window."""
        body = _raw(body)
        message_id = self._required_header(headers, ID_HEADER)
        stamp = self._required_header(headers, TIMESTAMP_HEADER)
        given = self._signatures(self._required_header(headers, SIGNATURE_HEADER))
        if not _UNIX_SECONDS.fullmatch(stamp):
            raise self._fail(f"malformed header {TIMESTAMP_HEADER}: expected Unix seconds")
        content = _content(message_id, stamp, body)
        expected = [self._mac(key, content) for key in self._secrets(secrets)]
        # Every secret against every signature, without stopping at the first match.
        matched = [sum(hmac.compare_digest(mac, sig) for sig in given) > 0 for mac in expected]
        index = next((i for i, ok in enumerate(matched) if ok), None)
        if index is None:
            raise self._fail("signature mismatch")
        self._check_window(int(stamp), now)
        return Verified(self.code, int(stamp), index)

    def sign(self, body, secret, *, now=None, message_id=None):
        """Return the three headers for ``body`` signed at ``now`` (default: the current time).

        ``message_id`` defaults to ``msg_`` and a digest of the body, so that the same body is
        the same message whenever it is sent again (a retry, a duplicate).
        """
        body = _raw(body)
        stamp = str(int(time.time() if now is None else now))
        message_id = message_id or "msg_" + hashlib.sha256(body).hexdigest()[:32]
        digest = self._mac(self._key(secret), _content(message_id, stamp, body))
        signature = f"{VERSION},{base64.b64encode(digest).decode('ascii')}"
        return {ID_HEADER: message_id, TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: signature}

    def _key(self, secret):
        """The bytes of ``whsec_<base64>`` decoded; of another secret, its UTF-8 bytes."""
        if isinstance(secret, bytes):
            return secret
        text = str(secret)
        if not text.startswith(SECRET_PREFIX):
            return text.encode("utf-8")
        key = _b64decode(text[len(SECRET_PREFIX) :])
        if not key:
            raise self._fail(
                f"a secret starting with {SECRET_PREFIX} must go on in base64; "
                "copy the secret again as ShipBob gives it"
            )
        return key

    def _signatures(self, value):
        """The ``v1`` digests of the header ``value``; ``_fail`` when it is malformed."""
        malformed = self._fail(
            f"malformed header {SIGNATURE_HEADER}: expected space-separated "
            f"'{VERSION},<base64 of 32 bytes>' signatures"
        )
        digests = []
        for entry in value.split():
            version, comma, encoded = entry.partition(",")
            if not comma:
                raise malformed
            if version != VERSION:
                continue  # another version (v1a: asymmetric), not this scheme's
            digest = _b64decode(encoded)
            if digest is None or len(digest) != _DIGEST_SIZE:
                raise malformed
            digests.append(digest)
        if not digests:
            raise self._fail(f"malformed header {SIGNATURE_HEADER}: no {VERSION} signature")
        return digests

    @staticmethod
    def _mac(key, content):
        return hmac.new(key, content, hashlib.sha256).digest()


def _content(message_id, stamp, body):
    """What is signed: ``{id}.{timestamp}.{body}``."""
    return f"{message_id}.{stamp}.".encode() + body
