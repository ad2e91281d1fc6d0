"""DHL tracking: the Shipment Tracking - Unified ``GET /track/shipments`` response (polled).

One event per shipment event; a shipment without history gives its current status as its one
event. Every event needs its ``timestamp`` (a ParseError names it otherwise). The latest event
without a ``statusCode`` of its own takes the shipment's current ``status.statusCode``. DHL's
problem documents (``title``/``detail``) raise :class:`PartnerErrorResponse`.
"""

from ...formats.json import join_path
from ...formats.tracking import PartnerErrorResponse, TrackingCodec, chronological, place_of
from ...registry import PollRequest
from .statuses import STATUSES


class DhlTrackingCodec(TrackingCodec, name="dhl-tracking", partner="dhl", statuses=STATUSES):
    """DHL Shipment Tracking - Unified response (shipments[].events[])."""

    def poll_request(self, tracking_number):
        """``GET /track/shipments?trackingNumber=...``."""
        return PollRequest(
            "GET", "/track/shipments", {"params": {"trackingNumber": tracking_number}}
        )

    def parse(self, data):
        """Return the TrackingEvents of every shipment; refuse DHL's problem documents."""
        reader, root = self.read_root(data)
        if "shipments" not in root and ("title" in root or "detail" in root):
            raise self._problem(reader, root)
        events = []
        for ship_path, shipment in reader.objects(root, "shipments", "", required=True):
            events.extend(self._shipment_events(reader, shipment, ship_path))
        return chronological(events)

    def _problem(self, reader, root):
        title = reader.text(root, "title", "")
        detail = reader.text(root, "detail", "")
        status = root.get("status")
        status = status if isinstance(status, int) and not isinstance(status, bool) else None
        message = ": ".join(part for part in (title, detail) if part)
        return PartnerErrorResponse(
            f"DHL error{f' {status}' if status else ''}: {message}",
            format=reader.format,
            code=str(status or ""),
            partner_message=message,
            http_status=status,
        )

    def _shipment_events(self, reader, shipment, path):
        number = reader.text(shipment, "id", path, required=True)
        details = reader.child(shipment, "details", path) or {}
        proof = reader.child(details, "proofOfDelivery", join_path(path, "details")) or {}
        signed = reader.child(proof, "signed", join_path(path, "details.proofOfDelivery"))
        signed_by = reader.text(signed, "name", join_path(path, "details.proofOfDelivery.signed"))
        items = list(reader.objects(shipment, "events", path))
        status = reader.child(shipment, "status", path)
        if not items:
            # No history: the current status is the one event DHL gives.
            items = [(join_path(path, "status"), status)] if status else []
        events = [
            self._event(reader, item, item_path, number, signed_by) for item_path, item in items
        ]
        current = reader.text(status, "statusCode", join_path(path, "status"))
        return self.shipment_status(events, current)

    def _event(self, reader, item, path, number, signed_by):
        code = reader.text(item, "statusCode", path)
        where = reader.child(item, "location", path) or {}
        address_path = join_path(path, "location.address")
        address = reader.child(where, "address", join_path(path, "location")) or {}
        return self.event(
            number,
            code,
            reader.text(item, "status", path),
            occurred_at=self.require_time(
                reader, reader.moment(item, "timestamp", path), path, "timestamp"
            ),
            location=place_of(
                reader, address, address_path, "addressLocality", "postalCode", "countryCode"
            ),
            description=" - ".join(
                part
                for part in (
                    reader.text(item, "description", path),
                    reader.text(item, "remark", path),
                )
                if part
            ),
            carrier="dhl",
            delivered_to=signed_by,
        )
