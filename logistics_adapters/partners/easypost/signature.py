"""EasyPost's webhook signature scheme."""

import re
import unicodedata

from ...transport.signatures import BodyHmacScheme, register_scheme

_HEX_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


@register_scheme
class EasyPostHmacScheme(BodyHmacScheme):
    """EasyPost webhooks: ``X-Hmac-Signature: hmac-sha256-hex=<hex>`` over the raw body.

    The key is the webhook secret normalised to NFKD then encoded as UTF-8, as EasyPost's
    client libraries do (``easypost.util.validate_webhook``), so non-ASCII secrets match.
    EasyPost sends no timestamp: replays are caught by the message's idempotency key.
    """

    code = "easypost-hmac"
    label = "EasyPost (X-Hmac-Signature)"
    header = "X-Hmac-Signature"
    prefix = "hmac-sha256-hex="

    @staticmethod
    def _key(secret):
        """Return the NFKD-normalised secret as UTF-8 (bytes are taken as they are)."""
        if isinstance(secret, bytes):
            return secret
        return unicodedata.normalize("NFKD", str(secret)).encode("utf-8")

    def _read_digest(self, value):
        given = value[len(self.prefix) :] if value.startswith(self.prefix) else None
        if given is None or not _HEX_SHA256.fullmatch(given):
            raise self._fail(f"malformed header {self.header}: expected '{self.prefix}<hex>'")
        return bytes.fromhex(given)

    def _write_digest(self, digest):
        return self.prefix + digest.hex()
