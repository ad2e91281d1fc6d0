"""ShipHero's webhook signature scheme."""

import base64
import hashlib

from ...transport.signatures import BodyHmacScheme, _b64decode, register_scheme


@register_scheme
class ShipHeroHmacScheme(BodyHmacScheme):
    """ShipHero webhooks: ``x-shiphero-hmac-sha256`` = base64 HMAC-SHA256 of the raw body.

    Source: ShipHero's "Webhooks" page, section "Request Verification"
    (developer.shiphero.com/webhooks): every webhook carries the ``X-ShipHero-HMAC-SHA256``
    header, the base64 digest of the HMAC-SHA256 of the request body, shown in Python as
    ``base64.b64encode(hmac.new(secret, msg=data, digestmod=hashlib.sha256).digest())``. The key
    is the secret of the webhook: the ``shared_signature_secret`` that the ``webhook_create``
    mutation answers once (older accounts: the API secret of the app), its UTF-8 bytes.
    ShipHero sends no timestamp: a webhook sent again (five retries, 10 s timeout) is the same
    message, caught by its idempotency key; ``X-Shiphero-Message-ID`` (section "Message
    Identification Header") names each message.
    """

    code = "shiphero-hmac"
    label = "ShipHero (x-shiphero-hmac-sha256)"
    header = "x-shiphero-hmac-sha256"

    def _read_digest(self, value):
        digest = _b64decode(value)
        if digest is None or len(digest) != hashlib.sha256().digest_size:
            raise self._fail(f"malformed header {self.header}: expected base64 of 32 bytes")
        return digest

    def _write_digest(self, digest):
        return base64.b64encode(digest).decode("ascii")
