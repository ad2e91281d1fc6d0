"""EasyPost tracking: ``tracker.created`` / ``tracker.updated`` webhook Events and Trackers.

* ``easypost-event``: a webhook ``Event`` whose ``description`` is ``tracker.created`` or
  ``tracker.updated`` and whose ``result`` is a Tracker -> :class:`TrackingEvent` list;
  :meth:`~EasyPostEventCodec.identify` gives the Event's ``id`` as the message id.
* ``easypost-tracker``: a ``Tracker`` object (``POST /v2/trackers``, ``GET /v2/trackers/<id>``)
  -> the same :class:`TrackingEvent` list.

One event per ``tracking_details[]`` entry, in the published order (oldest first).
EasyPost details have no id, so ``partner_event_id`` is ``<tracker id>/<datetime>/<status>``
(plus ``/<carrier_code>`` when the carrier gave one), stable across webhook deliveries. A
tracker with no details yet gives one summary event built from the tracker's own ``status``
at its ``updated_at`` (``created_at`` when EasyPost gives no update time; neither is a
ParseError naming ``updated_at``), so that the fact "EasyPost tracks this number, status X"
is not lost; with details, the tracker status is not repeated (it is the last detail's).
A detail without ``datetime`` or ``status`` is a ParseError naming it: EasyPost documents
both on every TrackingDetail. The tracker's
``signed_by`` goes on its ``delivered`` events. EasyPost times are UTC (``Z``) and stay aware;
a time given without offset stays naive (``time_zone_known`` False) and is never shifted.
``partner_status`` is ``status/status_detail`` (``status`` alone without detail).
"""

from ... import canonical as c
from ...formats.json import join_path
from ...formats.tracking import TrackingCodec, place
from .statuses import EasyPostCodecMixin

FORMAT_EVENT = "easypost-event"
FORMAT_TRACKER = "easypost-tracker"
#: Webhook event descriptions whose ``result`` is a Tracker.
TRACKER_EVENTS = ("tracker.created", "tracker.updated")


def _partner_status(status, detail):
    return f"{status}/{detail}" if detail else status


def _location(reader, detail, path):
    location = reader.child(detail, "tracking_location", path)
    if location is None:
        return ""
    path = join_path(path, "tracking_location")
    city, state, zip_code, country = (
        reader.text(location, name, path).strip() for name in ("city", "state", "zip", "country")
    )
    return place(city, " ".join(part for part in (state, zip_code) if part), country)


class _EasyPostTrackingCodec(EasyPostCodecMixin, TrackingCodec):
    def _tracker_events(self, reader, tracker, path):
        """Return the TrackingEvents of the EasyPost Tracker ``tracker`` found at ``path``."""
        reader.object(tracker, path, "a Tracker object")
        reader.expect(tracker, "object", path, "Tracker")
        head = {
            "carrier": reader.text(tracker, "carrier", path),
            "shipment_reference": reader.text(tracker, "shipment_id", path),
        }
        number = reader.text(tracker, "tracking_code", path, required=True)
        key = reader.text(tracker, "id", path) or number
        status = reader.text(tracker, "status", path, required=True)
        signed_by = reader.text(tracker, "signed_by", path)
        details_path = join_path(path, "tracking_details")
        events = [
            self._detail_event(reader, detail, f"{details_path}[{index}]", number, key, head)
            for index, detail in enumerate(reader.array(tracker, "tracking_details", path))
        ]
        if not events:
            events.append(self._summary_event(reader, tracker, path, number, key, status, head))
        for event in events:
            if event.status == c.STATUS_DELIVERED:
                event.signed_by = signed_by
        return events

    def _detail_event(self, reader, detail, path, number, key, head):
        reader.object(detail, path, "a TrackingDetail object")
        occurred_at = reader.when(detail, "datetime", path, required=True)
        status = reader.text(detail, "status", path, required=True)
        carrier_code = reader.text(detail, "carrier_code", path)
        event_id = "/".join(
            part for part in (key, occurred_at.isoformat(), status, carrier_code) if part
        )
        return self.event(
            number,
            _partner_status(status, reader.text(detail, "status_detail", path)),
            reader.text(detail, "description", path),
            occurred_at=occurred_at,
            location=_location(reader, detail, path),
            description=reader.text(detail, "message", path),
            partner_event_id=event_id,
            **head,
        )

    def _summary_event(self, reader, tracker, path, number, key, status, head):
        occurred_at = self.require_time(
            reader,
            reader.when(tracker, "updated_at", path) or reader.when(tracker, "created_at", path),
            path,
            "updated_at",
            ("created_at",),
        )
        when = occurred_at.isoformat()
        return self.event(
            number,
            _partner_status(status, reader.text(tracker, "status_detail", path)),
            occurred_at=occurred_at,
            partner_event_id="/".join(part for part in (key, when, status, "tracker") if part),
            **head,
        )


class EasyPostEventCodec(_EasyPostTrackingCodec, name=FORMAT_EVENT):
    """EasyPost webhook Event tracker.updated/created -> TrackingEvents."""

    #: Every EasyPost Event has its own ``id`` (``evt_...``); deliveries of one Event share it.
    message_id_key = "id"

    def parse(self, data):
        """Return one TrackingEvent per tracking detail of the Event's Tracker."""
        reader, document = self.read(data)
        reader.object(document, "", "an EasyPost Event object")
        reader.expect(document, "object", "", "Event")
        kind = reader.text(document, "description", "", required=True)
        if kind not in TRACKER_EVENTS:
            raise reader.error(
                "description",
                f"unsupported event {kind!r}; expected one of: {', '.join(TRACKER_EVENTS)}",
                kind,
            )
        tracker = reader.get(document, "result", "", required=True)
        return self._tracker_events(reader, tracker, "result")


class EasyPostTrackerCodec(_EasyPostTrackingCodec, name=FORMAT_TRACKER):
    """EasyPost Tracker object -> TrackingEvents."""

    def parse(self, data):
        """Return one TrackingEvent per tracking detail of the Tracker."""
        reader, document = self.read(data)
        return self._tracker_events(reader, document, "")
