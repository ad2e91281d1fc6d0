"""AfterShip's webhook signature scheme."""

import base64
import binascii
import hashlib

from ...transport.signatures import BodyHmacScheme, register_scheme


@register_scheme
class AfterShipHmacScheme(BodyHmacScheme):
    """AfterShip Tracking webhooks: ``aftership-hmac-sha256`` = base64 HMAC-SHA256 of the body.

    Source: AfterShip's "Webhook Signature" page (aftership.com/docs/tracking/webhook/
    webhook-signature, also developers.aftership.com/reference/check-signatures): "Each
    webhook request includes a aftership-hmac-sha256 header. The signature is a base64-encoded
    HMAC generated using sha256 algorithm with webhook request body and webhook secret", shown
    in Node.js as ``createHmac('sha256', secret).update(body, 'utf8').digest('base64')``.
    AfterShip Returns and Warranty use another header (``as-signature-hmac-sha256``); they are
    not this scheme.
    """

    code = "aftership-hmac"
    label = "AfterShip (aftership-hmac-sha256)"
    header = "aftership-hmac-sha256"

    def _read_digest(self, value):
        try:
            digest = base64.b64decode(value.strip(), validate=True)
        except (binascii.Error, ValueError):
            digest = None
        if digest is None or len(digest) != hashlib.sha256().digest_size:
            raise self._fail(f"malformed header {self.header}: expected base64 of 32 bytes")
        return digest

    def _write_digest(self, digest):
        return base64.b64encode(digest).decode("ascii")
