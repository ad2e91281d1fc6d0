"""ShipEngine tracking: the tracking response and ``API_TRACK`` webhooks.

| format | document |
|---|---|
| ``shipengine-tracking`` | ShipEngine ``GET /v1/tracking`` or ``/v1/labels/{id}/track`` response |
| ``shipengine-webhook`` | ShipEngine ``API_TRACK`` webhook (``data`` holds the same track info) |

One event per event, at its ``occurred_at`` (else ``carrier_occurred_at``; neither is a
ParseError naming ``occurred_at``). ``partner_status`` is ``status_code`` with the
``status_detail_code`` after it (``IT/DELIVERED``); the text falls back on ShipEngine's label of
the status code. Events often come with an empty ``status_code`` (ShipEngine's own SDK mock):
the latest one then takes the track info's ``status_code``/``status_detail_code``, the status
as of that event. Without events, the track info's status is the one event only when it has a
time of its own, a delivery at ``actual_delivery_date``; otherwise the response is a ParseError
naming ``events`` (``ship_date`` and ``estimated_delivery_date`` date no status). An error
envelope (``errors``) raises :class:`PartnerErrorResponse`.
"""

from ...formats.json import join_path
from ...formats.tracking import TrackingCodec, chronological, place_of, raise_first_error
from ...registry import StatusEntry
from .statuses import STATUSES

_NO_ENTRY = StatusEntry("", "")
#: Track info status codes whose ``actual_delivery_date`` is the time of the status.
_DELIVERED_CODES = ("DE", "SP")


class _ShipengineCodec(TrackingCodec):
    partner = "shipengine"
    statuses = STATUSES

    def _item_event(self, reader, item, path, number, carrier, moment=None):
        code = reader.text(item, "status_code", path)
        detail = reader.text(item, "status_detail_code", path)
        label = self.statuses.get(code, _NO_ENTRY).label
        text = reader.text(item, "status_description", path) or label
        if moment is None:
            moment = self.require_time(
                reader,
                reader.moment(item, "occurred_at", path)
                or reader.moment(item, "carrier_occurred_at", path),
                path,
                "occurred_at",
                ("carrier_occurred_at",),
            )
        return self.event(
            number,
            f"{code}/{detail}" if detail else code,
            text,
            occurred_at=moment,
            location=place_of(
                reader, item, path, "city_locality", "state_province", "postal_code", "country_code"
            ),
            description=reader.text(item, "description", path),
            carrier=carrier,
            signed_by=reader.text(item, "signer", path),
        )

    def _events(self, reader, info, path):
        """The events of a ShipEngine track info: one per event, else the current status."""
        number = reader.text(info, "tracking_number", path, required=True)
        carrier = reader.text(info, "carrier_code", path)
        events = [
            self._item_event(reader, item, item_path, number, carrier)
            for item_path, item in reader.objects(info, "events", path)
        ]
        code = reader.text(info, "status_code", path)
        detail = reader.text(info, "status_detail_code", path)
        if not events:
            events.append(self._status_event(reader, info, path, number, carrier, code))
        return self.shipment_status(chronological(events), f"{code}/{detail}" if detail else code)

    def _status_event(self, reader, info, path, number, carrier, code):
        """The track info's own status as its one event, when it has a time of its own."""
        delivered_at = reader.moment(info, "actual_delivery_date", path)
        if code not in _DELIVERED_CODES or delivered_at is None:
            raise reader.error(
                join_path(path, "events"),
                f"no event, and the status {code!r} has no time of its own (ship_date and "
                "estimated_delivery_date date no status): the event would have no time",
            )
        event = self._item_event(reader, info, path, number, carrier, moment=delivered_at)
        event.description = reader.text(info, "carrier_status_description", path)
        return event


class ShipengineTrackingCodec(_ShipengineCodec, name="shipengine-tracking"):
    """ShipEngine tracking response (GET /v1/tracking, events[])."""

    def parse(self, data):
        """Return the TrackingEvents of the response; refuse ShipEngine's error envelope."""
        reader, root = self.read_root(data)
        if "tracking_number" not in root and root.get("errors"):
            errors = reader.objects(root, "errors", "")
            raise_first_error(reader, errors, "ShipEngine", code_key="error_code")
        return self._events(reader, root, "")


class ShipengineWebhookCodec(_ShipengineCodec, name="shipengine-webhook"):
    """ShipEngine API_TRACK webhook (data.events[])."""

    def parse(self, data):
        """Return the TrackingEvents of the track info carried in ``data``."""
        reader, root = self.read_root(data)
        kind = reader.text(root, "resource_type", "")
        if kind and kind != "API_TRACK":
            raise reader.error("resource_type", f"not a tracking webhook: {kind!r}")
        info = reader.child(root, "data", "", required=True)
        return self._events(reader, info, "data")
