"""The generic partner API: create, read and cancel shipments, with idempotency keys.

``POST /shipments`` takes any JSON object (a ``reference`` and a ``label_format`` of ``PDF``
or ``ZPL`` are read when present) and answers 201 with an id, a tracking number and a label.
The same ``Idempotency-Key`` with the same body answers the first response again (with
``Idempotent-Replayed: true``) and creates nothing; with another body it answers 422.
"""

import base64
import hashlib
import itertools
import threading
from datetime import datetime, timezone

from .core import HttpError, RouteSet, json_response, route

LABEL_FORMATS = ("PDF", "ZPL")
IDEMPOTENCY_HEADER = "Idempotency-Key"


class GenericPartner(RouteSet):
    """A carrier-like partner speaking the suite's generic JSON API, mounted at the root."""

    name = "generic"
    carrier = "sandbox"

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        """Forget every shipment and idempotency key."""
        with self._lock:
            self.shipments = {}
            self._answers = {}
            self._ids = itertools.count(1)

    @route("POST", "/shipments")
    def create_shipment(self, request):
        """Create a shipment and its label, or replay the answer given to the same key."""
        payload = request.json()
        label_format = str(payload.get("label_format") or "PDF").upper()
        if label_format not in LABEL_FORMATS:
            raise HttpError(422, f"label_format must be one of {', '.join(LABEL_FORMATS)}")
        key = request.header(IDEMPOTENCY_HEADER)
        fingerprint = hashlib.sha256(request.body).hexdigest()
        with self._lock:
            if key and key in self._answers:
                return self._replay(key, fingerprint)
            shipment = self._new_shipment(payload, label_format)
            if key:
                self._answers[key] = (fingerprint, shipment["id"])
        return json_response(201, shipment)

    @route("GET", "/shipments/{shipment_id}")
    def get_shipment(self, request, shipment_id):
        """Return a shipment as it is now."""
        return json_response(200, self._shipment(shipment_id))

    @route("POST", "/shipments/{shipment_id}/cancel")
    def cancel_shipment(self, request, shipment_id):
        """Cancel a shipment; cancelling it again answers the same."""
        with self._lock:
            shipment = self._shipment(shipment_id)
            if shipment["status"] != "cancelled":
                shipment["status"] = "cancelled"
                shipment["cancelled_at"] = _now()
        return json_response(200, shipment)

    def _replay(self, key, fingerprint):
        known_fingerprint, shipment_id = self._answers[key]
        if known_fingerprint != fingerprint:
            raise HttpError(
                422,
                f"Idempotency-Key {key!r} was already used with another request body",
            )
        shipment = self.shipments[shipment_id]
        return json_response(201, shipment, {"Idempotent-Replayed": "true"})

    def _new_shipment(self, payload, label_format):
        number = next(self._ids)
        shipment_id = f"shp_{number:06d}"
        tracking = f"SBX{number:010d}"
        shipment = {
            "id": shipment_id,
            "object": "shipment",
            "carrier": self.carrier,
            "status": "label_created",
            "tracking_number": tracking,
            "reference": payload.get("reference"),
            "created_at": _now(),
            "label": make_label(tracking, label_format),
            "request": payload,
        }
        self.shipments[shipment_id] = shipment
        return shipment

    def _shipment(self, shipment_id):
        try:
            return self.shipments[shipment_id]
        except KeyError:
            raise HttpError(404, f"no shipment {shipment_id!r}") from None


def make_label(tracking, label_format="PDF"):
    """Return a label dict: ``format``, ``media_type`` and the base64 ``data``."""
    if label_format == "ZPL":
        data = (
            f"^XA^FO50,50^A0N,40,40^FDSANDBOX LABEL^FS^FO50,120^BCN,100,Y,N,N^FD{tracking}^FS^XZ\n"
        ).encode("ascii")
        media_type = "application/x-zpl"
    else:
        data = tiny_pdf(f"SANDBOX LABEL {tracking}")
        media_type = "application/pdf"
    return {
        "format": label_format,
        "media_type": media_type,
        "data": base64.b64encode(data).decode("ascii"),
    }


def tiny_pdf(text):
    """Return a one-page PDF showing ``text`` (ASCII), with a correct cross-reference table."""
    text = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 18 Tf 20 80 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (index, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _now():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
