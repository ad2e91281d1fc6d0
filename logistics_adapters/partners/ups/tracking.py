"""UPS tracking: the Track API v1 details response (polled) and Track Alert webhooks.

| format | document |
|---|---|
| ``ups-track`` | UPS Track API v1 ``GET /api/track/v1/details/{inquiryNumber}`` response |
| ``ups-trackalert`` | UPS Track Alert webhook ``TrackingEvent`` (one event per POST) |

``partner_status`` is ``type/code`` (``I/OT``); times use ``gmtDate``/``gmtTime``/``gmtOffset``
when UPS gives them, the local date and time otherwise; an activity with neither date is a
ParseError naming ``date`` (``localActivityDate`` for Track Alert). An error document
(``response.errors``) or a response whose every shipment only has ``warnings`` raises
:class:`PartnerErrorResponse`.
"""

import re
from datetime import datetime, timedelta, timezone

from ...formats.json import join_path
from ...formats.tracking import TrackingCodec, chronological, place, place_of, raise_first_error
from ...registry import PollRequest
from .statuses import STATUSES

_UPS_DATE = re.compile(r"\d{8}")
_UPS_TIME = re.compile(r"\d{1,6}")
_UPS_OFFSET = re.compile(r"([+-])(\d{1,2})(?:[:.]?(\d{2}))?")
_MAX_OFFSET = timedelta(hours=14)


def _ups_datetime(reader, parent, date_key, time_key, path):
    """UPS ``YYYYMMDD`` + ``HHMMSS`` (leading zeros may be missing: ``74700``), naive."""
    date_text = reader.text(parent, date_key, path)
    time_text = reader.text(parent, time_key, path)
    if not date_text:
        return None
    if not _UPS_DATE.fullmatch(date_text):
        raise reader.error(join_path(path, date_key), f"invalid date {date_text!r}, want YYYYMMDD")
    if time_text and not _UPS_TIME.fullmatch(time_text):
        raise reader.error(join_path(path, time_key), f"invalid time {time_text!r}, want HHMMSS")
    try:
        return datetime.strptime(date_text + (time_text or "0").zfill(6), "%Y%m%d%H%M%S")
    except ValueError:
        raise reader.error(
            join_path(path, date_key), f"invalid date-time {date_text} {time_text}"
        ) from None


def _ups_offset(reader, parent, key, path):
    """UPS ``gmtOffset``: ``-05:00`` (Track API) or ``-04.00`` (Track Alert)."""
    text = reader.text(parent, key, path)
    if not text:
        return None
    match = _UPS_OFFSET.fullmatch(text)
    if not match:
        raise reader.error(join_path(path, key), f"invalid offset {text!r}")
    sign, hours, minutes = match.groups()
    offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if offset > _MAX_OFFSET or offset.seconds % 900:
        raise reader.error(join_path(path, key), f"invalid offset {text!r}")
    return timezone(-offset if sign == "-" else offset)


def _ups_moment(reader, local, gmt, zone, path):
    """The event time: the GMT instant shown at the local offset when UPS gives them.

    ``zone`` is UPS's ``gmtOffset``; without it the offset is local minus GMT when that is a
    real offset (a quarter-hour multiple within 14 hours), UTC otherwise. Without GMT time,
    the local time gets ``zone`` when given and stays naive when not.
    """
    try:
        if gmt is None:
            return local.replace(tzinfo=zone) if local and zone else local
        if zone is None and local is not None:
            delta = local - gmt
            if abs(delta) <= _MAX_OFFSET and not delta.total_seconds() % 900:
                zone = timezone(delta)
        return gmt.replace(tzinfo=timezone.utc).astimezone(zone or timezone.utc)
    except OverflowError:
        raise reader.error(path, "date-time out of range") from None


class _UpsCodec(TrackingCodec):
    partner = "ups"
    statuses = STATUSES

    def _activity(self, reader, parent, status_key, path, number, **values):
        """The event of one UPS activity: its status, type/code and description."""
        status_path = join_path(path, status_key)
        status = reader.child(parent, status_key, path, required=True)
        type_code = reader.text(status, "type", status_path)
        activity_code = reader.text(status, "code", status_path)
        text = reader.text(status, "description", status_path)
        partner_status = f"{type_code}/{activity_code}" if activity_code else type_code
        return self.event(number, partner_status, text, description=text, **values)


class UpsTrackCodec(_UpsCodec, name="ups-track"):
    """UPS Track API v1 response (trackResponse.shipment[].package[].activity[])."""

    def poll_request(self, tracking_number):
        """``GET /api/track/v1/details/{number}``."""
        return PollRequest("GET", f"/api/track/v1/details/{tracking_number}", {})

    def parse(self, data):
        """Return the TrackingEvents of every package of the response, oldest first."""
        reader, root = self.read_root(data)
        if "trackResponse" not in root and isinstance(root.get("response"), dict):
            raise_first_error(reader, reader.objects(root["response"], "errors", "response"), "UPS")
        track = reader.child(root, "trackResponse", "", required=True)
        events, warnings = [], []
        for ship_path, shipment in reader.objects(track, "shipment", "trackResponse", True):
            inquiry = reader.text(shipment, "inquiryNumber", ship_path)
            warnings.extend(reader.objects(shipment, "warnings", ship_path))
            for pkg_path, package in reader.objects(shipment, "package", ship_path):
                events.extend(self._package_events(reader, package, pkg_path, inquiry))
        if not events:
            raise_first_error(reader, warnings, "UPS")
        return chronological(events)

    def _package_events(self, reader, package, path, inquiry):
        number = reader.text(package, "trackingNumber", path) or inquiry
        if not number:
            raise reader.error(join_path(path, "trackingNumber"), "required field missing or empty")
        delivery = reader.child(package, "deliveryInformation", path)
        received_by = reader.text(delivery, "receivedBy", join_path(path, "deliveryInformation"))
        return [
            self._activity_event(reader, activity, item_path, number, received_by)
            for item_path, activity in reader.objects(package, "activity", path)
        ]

    def _activity_event(self, reader, activity, path, number, received_by):
        address_path = join_path(path, "location.address")
        location = reader.child(activity, "location", path) or {}
        address = reader.child(location, "address", join_path(path, "location")) or {}
        local = _ups_datetime(reader, activity, "date", "time", path)
        gmt = _ups_datetime(reader, activity, "gmtDate", "gmtTime", path)
        reader.child(activity, "status", path, required=True)  # named first when missing
        self.require_time(reader, local or gmt, path, "date", ("gmtDate",))
        zone = _ups_offset(reader, activity, "gmtOffset", path)
        return self._activity(
            reader,
            activity,
            "status",
            path,
            number=number,
            occurred_at=_ups_moment(reader, local, gmt, zone, join_path(path, "date")),
            location=place(
                reader.text(address, "city", address_path),
                reader.text(address, "stateProvince", address_path),
                reader.text(address, "postalCode", address_path),
                reader.text(address, "countryCode", address_path)
                or reader.text(address, "country", address_path),
            ),
            carrier="ups",
            delivered_to=received_by,
        )


class UpsTrackAlertCodec(_UpsCodec, name="ups-trackalert"):
    """UPS Track Alert webhook TrackingEvent (one package event per message)."""

    def parse(self, data):
        """Return the one TrackingEvent of the message."""
        reader, root = self.read_root(data)
        number = reader.text(root, "trackingNumber", "", required=True)
        reader.child(root, "activityStatus", "", required=True)
        where = reader.child(root, "activityLocation", "") or {}
        local = _ups_datetime(reader, root, "localActivityDate", "localActivityTime", "")
        gmt = _ups_datetime(reader, root, "gmtActivityDate", "gmtActivityTime", "")
        self.require_time(reader, local or gmt, "", "localActivityDate", ("gmtActivityDate",))
        zone = _ups_offset(reader, root, "gmtOffset", "")
        received_by = reader.text(root, "receivedBy", "")
        event = self._activity(
            reader,
            root,
            "activityStatus",
            "",
            number=number,
            occurred_at=_ups_moment(reader, local, gmt, zone, "localActivityDate"),
            location=place_of(
                reader, where, "activityLocation", "city", "stateProvince", "postalCode", "country"
            ),
            carrier="ups",
            delivered_to=received_by,
        )
        return [event]
