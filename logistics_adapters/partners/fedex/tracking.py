"""FedEx tracking: the Track API v1 ``POST /track/v1/trackingnumbers`` response (polled).

One event per scan event of each track result, at its ``date`` (a scan without one is a
ParseError naming it). ``partner_status`` is the scan's event type (its derived status code when
it has none); the latest scan with neither takes the result's ``latestStatusDetail`` (its
``code``, else ``derivedCode``). When FedEx's table does not know the event type, the
status is looked up as ``type/derived`` (candidates: both, the derived code, the type), so it
comes from FedEx's derived bucket; ``partner_status`` keeps the type alone, as before. An
error document (``errors``) or a response whose every result is an ``error`` raises
:class:`PartnerErrorResponse`.
"""

from ...formats.json import join_path
from ...formats.tracking import TrackingCodec, chronological, partner_error, place
from ...registry import PollRequest
from .statuses import EVENT_TYPES, STATUSES


def _status_code(event_type, derived):
    """The code to look up: the event type, with the derived code after it when the type is
    not in the table (``ZZ/RL``: candidates ``ZZ/RL``, ``RL``, ``ZZ``)."""
    if not event_type or not derived:
        return event_type or derived
    return event_type if event_type in EVENT_TYPES else f"{event_type}/{derived}"


class FedexTrackCodec(TrackingCodec, name="fedex-track", partner="fedex", statuses=STATUSES):
    """FedEx Track API v1 response (output.completeTrackResults[].trackResults[])."""

    def poll_request(self, tracking_number):
        """``POST /track/v1/trackingnumbers`` with detailed scans for one number."""
        info = {"trackingNumberInfo": {"trackingNumber": tracking_number}}
        body = {"includeDetailedScans": True, "trackingInfo": [info]}
        return PollRequest("POST", "/track/v1/trackingnumbers", {"json": body})

    def parse(self, data):
        """Return the TrackingEvents of every result; refuse an error-only answer."""
        reader, root = self.read_root(data)
        if "output" not in root and root.get("errors"):
            for item_path, error in reader.objects(root, "errors", ""):
                raise partner_error(reader, error, item_path, "FedEx")
        output = reader.child(root, "output", "", required=True)
        events, errors = [], []
        results = reader.objects(output, "completeTrackResults", "output", required=True)
        for result_path, result in results:
            requested = reader.text(result, "trackingNumber", result_path)
            for item_path, item in reader.objects(result, "trackResults", result_path, True):
                found = self._result_events(reader, item, item_path, requested)
                events.extend(found)
                error = reader.child(item, "error", item_path)
                if not found and error:
                    errors.append(
                        partner_error(reader, error, join_path(item_path, "error"), "FedEx")
                    )
        if not events and errors:
            raise errors[0]
        return chronological(events)

    def _result_events(self, reader, result, path, requested):
        info = reader.child(result, "trackingNumberInfo", path)
        number = reader.text(info, "trackingNumber", join_path(path, "trackingNumberInfo"))
        number = number or requested
        details_path = join_path(path, "deliveryDetails")
        details = reader.child(result, "deliveryDetails", path)
        signed_by = reader.text(details, "signedByName", details_path) or reader.text(
            details, "receivedByName", details_path
        )
        events = []
        for scan_path, scan in reader.objects(result, "scanEvents", path):
            if not number:
                raise reader.error(
                    join_path(path, "trackingNumberInfo.trackingNumber"),
                    "required field missing or empty",
                )
            events.append(self._scan_event(reader, scan, scan_path, number, signed_by))
        latest_path = join_path(path, "latestStatusDetail")
        latest = reader.child(result, "latestStatusDetail", path)
        code = reader.text(latest, "code", latest_path)
        derived = reader.text(latest, "derivedCode", latest_path)
        return self.shipment_status(events, _status_code(code, derived))

    def _scan_event(self, reader, scan, path, number, signed_by):
        event_type = reader.text(scan, "eventType", path)
        derived = reader.text(scan, "derivedStatusCode", path)
        text = reader.text(scan, "eventDescription", path)
        exception = reader.text(scan, "exceptionDescription", path)
        where_path = join_path(path, "scanLocation")
        where = reader.child(scan, "scanLocation", path) or {}
        return self.event(
            number,
            event_type or derived,
            text,
            status_code=_status_code(event_type, derived),
            occurred_at=self.require_time(reader, reader.moment(scan, "date", path), path, "date"),
            location=place(
                reader.text(where, "city", where_path),
                reader.text(where, "stateOrProvinceCode", where_path),
                reader.text(where, "postalCode", where_path),
                reader.text(where, "countryCode", where_path),
            ),
            description=" - ".join(part for part in (text, exception) if part),
            carrier="fedex",
            delivered_to=signed_by,
        )
