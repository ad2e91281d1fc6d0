"""Carrier tracking codecs: UPS, FedEx, DHL, AfterShip and ShipEngine JSON to TrackingEvent.

One codec per partner document, each a ``parse`` only (these documents come from partners):

| format | document |
|---|---|
| ``ups-track`` | UPS Track API v1 ``GET /api/track/v1/details/{inquiryNumber}`` response |
| ``ups-trackalert`` | UPS Track Alert webhook ``TrackingEvent`` (one event per POST) |
| ``fedex-track`` | FedEx Track API v1 ``POST /track/v1/trackingnumbers`` response |
| ``dhl-tracking`` | DHL Shipment Tracking - Unified ``GET /track/shipments`` response |
| ``aftership-tracking`` | AfterShip Tracking API v4 ``GET /trackings/...`` response |
| ``aftership-webhook`` | AfterShip webhook (``msg`` holds the same Tracking object) |
| ``shipengine-tracking`` | ShipEngine ``GET /v1/tracking`` or ``/v1/labels/{id}/track`` response |
| ``shipengine-webhook`` | ShipEngine ``API_TRACK`` webhook (``data`` holds the same track info) |

Rules shared by every codec:

* ``status`` comes from the partner's code through the tables below (``*_STATUSES``); a code
  the table does not know gives ``unknown``, never an error. ``partner_status`` keeps the
  partner's own code (``type/code`` when the partner gives two levels) and
  ``partner_status_text`` its wording, so the Odoo status map can refine any of them.
* Times: a partner time with an offset stays aware, with that offset. A local time without
  zone stays naive (``time_zone_known`` is False) unless the partner also gives the GMT time
  or the offset (UPS ``gmtDate``/``gmtTime``/``gmtOffset``), which is then used. No offset is
  ever guessed from a place name.
* Events are returned oldest first for each tracking number when their times can be compared
  (UPS and FedEx list the newest first); otherwise in the partner's order.
* An error document (FedEx ``errors``, DHL problem JSON, UPS ``response.errors``, AfterShip
  ``meta.code`` other than 200/201, ShipEngine ``errors``) raises
  :class:`PartnerErrorResponse`, a :class:`ParseError` carrying the partner's code and
  message. So does a response whose every result is a per-number error (FedEx ``error``,
  UPS ``warnings``); a response with some good results keeps them and skips the errors.
* Bad input raises :class:`ParseError`: invalid JSON with its line and column, a missing or
  mistyped field with its JSON path (``output.completeTrackResults[0].trackResults``).
"""

import re
from datetime import datetime, timedelta, timezone

from dateutil.parser import isoparse

from .. import canonical as c
from ..errors import ParseError
from ..registry import Codec, register
from ._json import join_path, kind_of, load_json

# --------------------------------------------------------------------------------------------
# Status tables: partner code -> canonical status
# --------------------------------------------------------------------------------------------

#: UPS ``activity[].status.type`` (Track API) and ``activityStatus.type`` (Track Alert, whose
#: OpenAPI description lists D, I, M, MV, U, X). ``P`` (pickup) and ``RS`` (returned to
#: shipper) are the older Track API types. ``U`` only updates the delivery date: no progress.
UPS_STATUSES = {
    "M": c.STATUS_LABEL_CREATED,
    "MV": c.STATUS_CANCELLED,
    "P": c.STATUS_PICKED_UP,
    "I": c.STATUS_IN_TRANSIT,
    "D": c.STATUS_DELIVERED,
    "X": c.STATUS_EXCEPTION,
    "RS": c.STATUS_RETURNED_TO_SENDER,
    "U": c.STATUS_UNKNOWN,
}
#: UPS 2-letter activity codes that say more than their type: ``OT`` "Out for Delivery" comes
#: with type ``I`` in the Track Alert examples; ``SR`` "released by the customs agency" comes
#: with type ``X`` in the Track API description.
UPS_ACTIVITY_CODES = {
    "OT": c.STATUS_OUT_FOR_DELIVERY,
    "SR": c.STATUS_CUSTOMS_RELEASED,
}

#: FedEx ``scanEvents[].eventType`` (also ``latestStatusDetail.code``).
FEDEX_STATUSES = {
    "OC": c.STATUS_LABEL_CREATED,  # shipment information sent to FedEx
    "PU": c.STATUS_PICKED_UP,
    "PX": c.STATUS_PICKED_UP,  # picked up (see details)
    "AR": c.STATUS_IN_TRANSIT,  # arrived at FedEx location
    "DP": c.STATUS_IN_TRANSIT,  # departed
    "IT": c.STATUS_IN_TRANSIT,
    "AF": c.STATUS_IN_TRANSIT,  # at local FedEx facility
    "FD": c.STATUS_IN_TRANSIT,  # at FedEx destination facility
    "AO": c.STATUS_IN_TRANSIT,  # arriving on time
    "AE": c.STATUS_IN_TRANSIT,  # arriving early
    "OD": c.STATUS_OUT_FOR_DELIVERY,
    "HP": c.STATUS_AVAILABLE_FOR_PICKUP,  # ready for recipient pickup
    "HL": c.STATUS_AVAILABLE_FOR_PICKUP,  # hold at location
    "DL": c.STATUS_DELIVERED,
    "DE": c.STATUS_DELIVERY_FAILED,  # delivery exception
    "DY": c.STATUS_EXCEPTION,  # delay
    "SE": c.STATUS_EXCEPTION,  # shipment exception
    "CD": c.STATUS_CUSTOMS_HOLD,  # clearance delay
    "CC": c.STATUS_CUSTOMS_RELEASED,  # cleared customs
    "RS": c.STATUS_RETURNED_TO_SENDER,
    "CA": c.STATUS_CANCELLED,
}
#: FedEx ``derivedStatusCode`` / ``derivedCode``, FedEx's own buckets, used when the event
#: type is not in :data:`FEDEX_STATUSES`.
FEDEX_DERIVED_STATUSES = {
    "IN": c.STATUS_LABEL_CREATED,
    "PU": c.STATUS_PICKED_UP,
    "IT": c.STATUS_IN_TRANSIT,
    "OD": c.STATUS_OUT_FOR_DELIVERY,
    "DL": c.STATUS_DELIVERED,
    "DE": c.STATUS_DELIVERY_FAILED,
    "DY": c.STATUS_EXCEPTION,
    "RL": c.STATUS_EXCEPTION,  # running late
    "CA": c.STATUS_CANCELLED,
}

#: DHL Shipment Tracking - Unified ``statusCode``. It wins over ``status``, which is the
#: product's free text (DHL's own example pairs ``pre-transit`` with ``DELIVERED``).
DHL_STATUSES = {
    "pre-transit": c.STATUS_LABEL_CREATED,
    "transit": c.STATUS_IN_TRANSIT,
    "delivered": c.STATUS_DELIVERED,
    "failure": c.STATUS_EXCEPTION,
    "unknown": c.STATUS_UNKNOWN,
}

#: AfterShip ``tag`` (delivery status).
AFTERSHIP_STATUSES = {
    "Pending": c.STATUS_UNKNOWN,  # no information from the carrier yet
    "InfoReceived": c.STATUS_LABEL_CREATED,
    "InTransit": c.STATUS_IN_TRANSIT,
    "OutForDelivery": c.STATUS_OUT_FOR_DELIVERY,
    "AttemptFail": c.STATUS_DELIVERY_FAILED,
    "Delivered": c.STATUS_DELIVERED,
    "AvailableForPickup": c.STATUS_AVAILABLE_FOR_PICKUP,
    "Exception": c.STATUS_EXCEPTION,
    "Expired": c.STATUS_EXCEPTION,  # no update for a long time: a person should look
}
#: AfterShip ``subtag`` values that say more than their tag.
AFTERSHIP_SUBTAGS = {
    "InTransit_002": c.STATUS_PICKED_UP,  # acceptance scan
    "Exception_002": c.STATUS_DELIVERY_FAILED,  # customer moved
    "Exception_003": c.STATUS_DELIVERY_FAILED,  # customer refused delivery
    "Exception_004": c.STATUS_CUSTOMS_HOLD,  # delayed (customs clearance)
    "Exception_011": c.STATUS_RETURNED_TO_SENDER,  # returned to sender
}

#: ShipEngine ``status_code``; the empty string (seen in ShipEngine's own SDK mock) is unknown.
SHIPENGINE_STATUSES = {
    "AC": c.STATUS_PICKED_UP,  # accepted by the carrier
    "IT": c.STATUS_IN_TRANSIT,
    "DE": c.STATUS_DELIVERED,
    "EX": c.STATUS_EXCEPTION,
    "UN": c.STATUS_UNKNOWN,
    "AT": c.STATUS_DELIVERY_FAILED,  # delivery attempt
    "NY": c.STATUS_LABEL_CREATED,  # not yet in system
    "SP": c.STATUS_AVAILABLE_FOR_PICKUP,  # delivered to collection location
    "": c.STATUS_UNKNOWN,
}
SHIPENGINE_STATUS_LABELS = {
    "UN": "Unknown",
    "AC": "Accepted",
    "IT": "In Transit",
    "DE": "Delivered",
    "EX": "Exception",
    "AT": "Delivery Attempt",
    "NY": "Not Yet In System",
    "SP": "Delivered To Collection Location",
}


def _codes(status, *names):
    return dict.fromkeys(names, status)


#: ShipEngine ``status_detail_code``; when present and listed it wins over ``status_code``.
#: Purely informative codes (INFORMATION, POST_TRANSIT_STATUS, COD_AMOUNT_PAID,
#: CARRIER_STATUS_NOT_MAPPED...) are left out, so ``status_code`` decides.
SHIPENGINE_DETAIL_STATUSES = {
    **_codes(
        c.STATUS_LABEL_CREATED,
        "SHIPMENT_CREATED",
        "AWAITING_PICKUP_DROP_OFF",
        "ELEC_ADVICE_RECD_BY_CARRIER",
        "NOT_YET_RECEIVED_BY_CARRIER",
    ),
    **_codes(
        c.STATUS_PICKED_UP,
        "DROPPED_OFF",
        "PICKED_UP",
        "RECEIVED_BY_CARRIER",
        "RECD_BY_CARRIER_NO_ELEC_ADVICE",
    ),
    **_codes(
        c.STATUS_IN_TRANSIT,
        "HUB_SCAN_OUT",
        "HUB_SCAN_IN",
        "HUB_PROCESSING",
        "IN_TRANSIT",
        "RECEIVED_LOCAL_DELIVERY_DEPOT",
        "SUB_CONTRACTOR_RECEIVED",
        "PARCEL_REDIRECTED",
        "DELIVERY_SCHEDULED",
        "DELIVERY_ARRANGED_WITH_RECIPIENT",
        "DELIVERY_RESCHEDULED",
    ),
    "OUT_FOR_DELIVERY": c.STATUS_OUT_FOR_DELIVERY,
    **_codes(
        c.STATUS_AVAILABLE_FOR_PICKUP,
        "AWAITING_COLLECTION_FROM_PICKUP_POINT",
        "COLLECT_AT_LOCAL_PO",
        "CUSTOMER_TO_COLLECT_FROM_CARRIER",
    ),
    **_codes(
        c.STATUS_DELIVERED,
        "DELIVERED",
        "DELIVERED_TO_RECEPTION",
        "DELIVERED_DAMAGED",
        "DELIVERED_IN_PART",
        "DELIVERED_SPECIFIED_SAFE_PLACE",
        "DELIVERED_TO_ALTERNATIVE_DELIVERY_LOCATION",
        "DELIVERED_TO_NEIGHBOUR",
        "DELIVERED_TO_PO_BOX",
        "PARCEL_COLLECTED_FROM_PICKUP_POINT",
        "PROOF_OF_DELIVERY",
    ),
    "CUSTOMS_CLEARED": c.STATUS_CUSTOMS_RELEASED,
    **_codes(
        c.STATUS_CUSTOMS_HOLD,
        "CUSTOMS_PROCESSING",
        "HELD_BY_CUSTOMS",
        "HELD_BY_EXPORT_CUSTOMS",
        "HELD_BY_IMPORT_CUSTOMS",
        "HELD_BY_CARRIER_FOR_CLEARANCE_PRE_PROCESSING",
    ),
    **_codes(
        c.STATUS_DELIVERY_FAILED,
        "ATTEMPTED_DELIVERY",
        "ATTEMPTED_DELIVERY_FINAL",
        "CUSTOMER_CARDED",
        "COD_AMOUNT_NOT_PAID",
        "CUSTOMER_IDENTIFICATION_FAILED",
        "NO_ACCESS_TO_RECIPIENTS_ADDRESS",
        "NOT_DELIVERED_ADDRESSEE_DECEASED",
    ),
    **_codes(
        c.STATUS_RETURNED_TO_SENDER,
        "RETURN_TO_SENDER",
        "REFUSED_BY_CUSTOMER",
        "CUSTOMER_MOVED",
        "NOT_COLLECTED_FROM_PICKUP_POINT",
        "NOT_DELIVERED",
    ),
    "CANCELLED": c.STATUS_CANCELLED,
    **_codes(
        c.STATUS_EXCEPTION,
        "PICKUP_FAILED",
        "PARCEL_DAMAGED",
        "ADDRESS_QUERY",
        "CARRIER_DELAYS",
        "DELAYED_NOT_CARRIER",
        "HELD_BY_CARRIER",
        "INCORRECT_DECLARATION",
        "MISROUTED",
        "PARCEL_REPACKED",
        "HAZARDOUS_PROHIBITED",
        "PARCEL_DISPOSED",
        "PARCEL_LOST",
        "PARCEL_OUTSIDE_OF_SERVICE_CAPABILITY",
        "UNSPECIFIED_EXCEPTION",
    ),
}


# --------------------------------------------------------------------------------------------
# Errors and reading helpers
# --------------------------------------------------------------------------------------------


class PartnerErrorResponse(ParseError):
    """The partner answered with an error document instead of tracking data.

    ``code`` is the partner's error code, ``partner_message`` its own words and
    ``http_status`` the status the document states, when it states one.
    """

    def __init__(
        self, message, *, format, field=None, code="", partner_message="", http_status=None
    ):
        super().__init__(message, format=format, field=field)
        self.code = code
        self.partner_message = partner_message
        self.http_status = http_status

    def __reduce__(self):
        return (
            _rebuild_partner_error,
            (
                self.message,
                self.format,
                self.field,
                self.code,
                self.partner_message,
                self.http_status,
            ),
        )


def _rebuild_partner_error(message, format, field, code, partner_message, http_status):
    return PartnerErrorResponse(
        message,
        format=format,
        field=field,
        code=code,
        partner_message=partner_message,
        http_status=http_status,
    )


_join = join_path
_kind = kind_of


class _Reader:
    """Reads one JSON document for codec ``fmt``; every error names the JSON path."""

    def __init__(self, fmt):
        self.fmt = fmt

    def error(self, path, message):
        return ParseError(message, format=self.fmt, field=path or None)

    def load(self, data):
        """Return the JSON document in ``data`` (bytes or str), refusing it clearly."""
        return load_json(self.fmt, data)[1]

    def root(self, document):
        """Return the top-level object of the document."""
        if not isinstance(document, dict):
            raise self.error("", f"expected a JSON object at the top, got {_kind(document)}")
        return document

    def child(self, parent, key, path, required=False):
        """Return the object under ``key`` (None when absent or null, unless required)."""
        value = parent.get(key)
        if value is None:
            if required:
                raise self.error(_join(path, key), "required field missing")
            return None
        if not isinstance(value, dict):
            raise self.error(_join(path, key), f"expected an object, got {_kind(value)}")
        return value

    def objects(self, parent, key, path, required=False):
        """Yield ``(path, object)`` for each item of the array under ``key``."""
        value = parent.get(key)
        item_path = _join(path, key)
        if value is None:
            if required:
                raise self.error(item_path, "required field missing")
            return
        if not isinstance(value, list):
            raise self.error(item_path, f"expected an array, got {_kind(value)}")
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.error(f"{item_path}[{index}]", f"expected an object, got {_kind(item)}")
            yield f"{item_path}[{index}]", item

    def text(self, parent, key, path, required=False):
        """Return the text under ``key`` stripped ("" when absent or null); ints are text."""
        if parent is None:
            value = None
        else:
            value = parent.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        elif value is not None and not isinstance(value, str):
            raise self.error(_join(path, key), f"expected a string, got {_kind(value)}")
        value = (value or "").strip()
        if "\x00" in value or not _encodable(value):
            raise self.error(_join(path, key), "invalid text")
        if required and not value:
            raise self.error(_join(path, key), "required field missing or empty")
        return value

    def moment(self, parent, key, path):
        """Return the ISO 8601 date-time under ``key``: aware when it has an offset."""
        text = self.text(parent, key, path)
        if not text:
            return None
        try:
            moment = isoparse(text)
            if moment.tzinfo is not None:
                moment = moment.replace(tzinfo=timezone(moment.utcoffset()))
        except (ValueError, OverflowError):
            raise self.error(_join(path, key), f"invalid date-time {text!r}") from None
        return moment


def _encodable(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _place(*parts):
    return ", ".join(part for part in parts if part)


def _event(tracking_number, status, partner_status, text, **values):
    return c.TrackingEvent(
        tracking_number,
        status,
        partner_status=partner_status,
        partner_status_text=text,
        **values,
    )


def _chronological(events):
    """Oldest first per tracking number when all times compare; else the partner's order."""
    times = [event.occurred_at for event in events]
    if not events or None in times or len({moment.tzinfo is None for moment in times}) > 1:
        return events
    groups = {}
    for event in events:
        groups.setdefault(event.tracking_number, []).append(event)
    return [
        event
        for group in groups.values()
        for event in sorted(group, key=lambda event: event.occurred_at)
    ]


# --------------------------------------------------------------------------------------------
# UPS
# --------------------------------------------------------------------------------------------

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
        raise reader.error(_join(path, date_key), f"invalid date {date_text!r}, want YYYYMMDD")
    if time_text and not _UPS_TIME.fullmatch(time_text):
        raise reader.error(_join(path, time_key), f"invalid time {time_text!r}, want HHMMSS")
    try:
        return datetime.strptime(date_text + (time_text or "0").zfill(6), "%Y%m%d%H%M%S")
    except ValueError:
        raise reader.error(
            _join(path, date_key), f"invalid date-time {date_text} {time_text}"
        ) from None


def _ups_offset(reader, parent, key, path):
    """UPS ``gmtOffset``: ``-05:00`` (Track API) or ``-04.00`` (Track Alert)."""
    text = reader.text(parent, key, path)
    if not text:
        return None
    match = _UPS_OFFSET.fullmatch(text)
    if not match:
        raise reader.error(_join(path, key), f"invalid offset {text!r}")
    sign, hours, minutes = match.groups()
    offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if offset > _MAX_OFFSET or offset.seconds % 900:
        raise reader.error(_join(path, key), f"invalid offset {text!r}")
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


def _ups_status(type_code, activity_code):
    status = UPS_ACTIVITY_CODES.get(activity_code)
    return status or UPS_STATUSES.get(type_code, c.STATUS_UNKNOWN)


def _ups_partner_status(type_code, activity_code):
    return f"{type_code}/{activity_code}" if activity_code else type_code


def _ups_errors(reader, errors):
    """Raise the first UPS error or warning of ``errors`` (``[{code, message}]``)."""
    for item_path, item in errors:
        code = reader.text(item, "code", item_path)
        message = reader.text(item, "message", item_path)
        raise PartnerErrorResponse(
            f"UPS error {code}: {message}",
            format=reader.fmt,
            field=item_path,
            code=code,
            partner_message=message,
        )


@register
class UpsTrackCodec(Codec):
    """UPS Track API v1 details response: one event per package activity."""

    name = "ups-track"
    description = "UPS Track API v1 response (trackResponse.shipment[].package[].activity[])"
    media_type = "application/json"

    def parse(self, data):
        """Return the TrackingEvents of every package of the response, oldest first."""
        reader = _Reader(self.name)
        root = reader.root(reader.load(data))
        if "trackResponse" not in root and isinstance(root.get("response"), dict):
            _ups_errors(reader, reader.objects(root["response"], "errors", "response"))
        track = reader.child(root, "trackResponse", "", required=True)
        events, warnings = [], []
        for ship_path, shipment in reader.objects(track, "shipment", "trackResponse", True):
            inquiry = reader.text(shipment, "inquiryNumber", ship_path)
            warnings.extend(reader.objects(shipment, "warnings", ship_path))
            for pkg_path, package in reader.objects(shipment, "package", ship_path):
                events.extend(self._package_events(reader, package, pkg_path, inquiry))
        if not events:
            _ups_errors(reader, iter(warnings))
        return _chronological(events)

    def _package_events(self, reader, package, path, inquiry):
        number = reader.text(package, "trackingNumber", path) or inquiry
        if not number:
            raise reader.error(_join(path, "trackingNumber"), "required field missing or empty")
        delivery = reader.child(package, "deliveryInformation", path)
        received_by = reader.text(delivery, "receivedBy", _join(path, "deliveryInformation"))
        return [
            self._activity_event(reader, activity, item_path, number, received_by)
            for item_path, activity in reader.objects(package, "activity", path)
        ]

    def _activity_event(self, reader, activity, path, number, received_by):
        status_path = _join(path, "status")
        status = reader.child(activity, "status", path, required=True)
        type_code = reader.text(status, "type", status_path)
        activity_code = reader.text(status, "code", status_path)
        text = reader.text(status, "description", status_path)
        canonical = _ups_status(type_code, activity_code)
        address_path = _join(path, "location.address")
        location = reader.child(activity, "location", path) or {}
        address = reader.child(location, "address", _join(path, "location")) or {}
        local = _ups_datetime(reader, activity, "date", "time", path)
        gmt = _ups_datetime(reader, activity, "gmtDate", "gmtTime", path)
        zone = _ups_offset(reader, activity, "gmtOffset", path)
        return _event(
            number,
            canonical,
            _ups_partner_status(type_code, activity_code),
            text,
            occurred_at=_ups_moment(reader, local, gmt, zone, _join(path, "date")),
            location=_place(
                reader.text(address, "city", address_path),
                reader.text(address, "stateProvince", address_path),
                reader.text(address, "postalCode", address_path),
                reader.text(address, "countryCode", address_path)
                or reader.text(address, "country", address_path),
            ),
            description=text,
            carrier="ups",
            signed_by=received_by if canonical == c.STATUS_DELIVERED else "",
        )


@register
class UpsTrackAlertCodec(Codec):
    """UPS Track Alert webhook: one TrackingEvent per POST."""

    name = "ups-trackalert"
    description = "UPS Track Alert webhook TrackingEvent (one package event per message)"
    media_type = "application/json"

    def parse(self, data):
        """Return the one TrackingEvent of the message."""
        reader = _Reader(self.name)
        root = reader.root(reader.load(data))
        number = reader.text(root, "trackingNumber", "", required=True)
        status = reader.child(root, "activityStatus", "", required=True)
        type_code = reader.text(status, "type", "activityStatus")
        activity_code = reader.text(status, "code", "activityStatus")
        text = reader.text(status, "description", "activityStatus")
        canonical = _ups_status(type_code, activity_code)
        where = reader.child(root, "activityLocation", "") or {}
        local = _ups_datetime(reader, root, "localActivityDate", "localActivityTime", "")
        gmt = _ups_datetime(reader, root, "gmtActivityDate", "gmtActivityTime", "")
        zone = _ups_offset(reader, root, "gmtOffset", "")
        received_by = reader.text(root, "receivedBy", "")
        event = _event(
            number,
            canonical,
            _ups_partner_status(type_code, activity_code),
            text,
            occurred_at=_ups_moment(reader, local, gmt, zone, "localActivityDate"),
            location=_place(
                reader.text(where, "city", "activityLocation"),
                reader.text(where, "stateProvince", "activityLocation"),
                reader.text(where, "postalCode", "activityLocation"),
                reader.text(where, "country", "activityLocation"),
            ),
            description=text,
            carrier="ups",
            signed_by=received_by if canonical == c.STATUS_DELIVERED else "",
        )
        return [event]


# --------------------------------------------------------------------------------------------
# FedEx
# --------------------------------------------------------------------------------------------


def _fedex_error(reader, error, path):
    code = reader.text(error, "code", path)
    message = reader.text(error, "message", path)
    return PartnerErrorResponse(
        f"FedEx error {code}: {message}",
        format=reader.fmt,
        field=path,
        code=code,
        partner_message=message,
    )


@register
class FedexTrackCodec(Codec):
    """FedEx Track API v1 response: one event per scan event of each track result."""

    name = "fedex-track"
    description = "FedEx Track API v1 response (output.completeTrackResults[].trackResults[])"
    media_type = "application/json"

    def parse(self, data):
        """Return the TrackingEvents of every result; refuse an error-only answer."""
        reader = _Reader(self.name)
        root = reader.root(reader.load(data))
        if "output" not in root and root.get("errors"):
            for item_path, error in reader.objects(root, "errors", ""):
                raise _fedex_error(reader, error, item_path)
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
                    errors.append(_fedex_error(reader, error, _join(item_path, "error")))
        if not events and errors:
            raise errors[0]
        return _chronological(events)

    def _result_events(self, reader, result, path, requested):
        info = reader.child(result, "trackingNumberInfo", path)
        number = reader.text(info, "trackingNumber", _join(path, "trackingNumberInfo"))
        number = number or requested
        details_path = _join(path, "deliveryDetails")
        details = reader.child(result, "deliveryDetails", path)
        signed_by = reader.text(details, "signedByName", details_path) or reader.text(
            details, "receivedByName", details_path
        )
        events = []
        for scan_path, scan in reader.objects(result, "scanEvents", path):
            if not number:
                raise reader.error(
                    _join(path, "trackingNumberInfo.trackingNumber"),
                    "required field missing or empty",
                )
            events.append(self._scan_event(reader, scan, scan_path, number, signed_by))
        return events

    def _scan_event(self, reader, scan, path, number, signed_by):
        event_type = reader.text(scan, "eventType", path)
        derived = reader.text(scan, "derivedStatusCode", path)
        status = FEDEX_STATUSES.get(event_type) or FEDEX_DERIVED_STATUSES.get(
            derived, c.STATUS_UNKNOWN
        )
        text = reader.text(scan, "eventDescription", path)
        exception = reader.text(scan, "exceptionDescription", path)
        where_path = _join(path, "scanLocation")
        where = reader.child(scan, "scanLocation", path) or {}
        return _event(
            number,
            status,
            event_type or derived,
            text,
            occurred_at=reader.moment(scan, "date", path),
            location=_place(
                reader.text(where, "city", where_path),
                reader.text(where, "stateOrProvinceCode", where_path),
                reader.text(where, "postalCode", where_path),
                reader.text(where, "countryCode", where_path),
            ),
            description=" - ".join(part for part in (text, exception) if part),
            carrier="fedex",
            signed_by=signed_by if status == c.STATUS_DELIVERED else "",
        )


# --------------------------------------------------------------------------------------------
# DHL
# --------------------------------------------------------------------------------------------


@register
class DhlTrackingCodec(Codec):
    """DHL Shipment Tracking - Unified response: one event per shipment event."""

    name = "dhl-tracking"
    description = "DHL Shipment Tracking - Unified response (shipments[].events[])"
    media_type = "application/json"

    def parse(self, data):
        """Return the TrackingEvents of every shipment; refuse DHL's problem documents."""
        reader = _Reader(self.name)
        root = reader.root(reader.load(data))
        if "shipments" not in root and ("title" in root or "detail" in root):
            raise self._problem(reader, root)
        events = []
        for ship_path, shipment in reader.objects(root, "shipments", "", required=True):
            events.extend(self._shipment_events(reader, shipment, ship_path))
        return _chronological(events)

    def _problem(self, reader, root):
        title = reader.text(root, "title", "")
        detail = reader.text(root, "detail", "")
        status = root.get("status")
        status = status if isinstance(status, int) and not isinstance(status, bool) else None
        message = ": ".join(part for part in (title, detail) if part)
        return PartnerErrorResponse(
            f"DHL error{f' {status}' if status else ''}: {message}",
            format=reader.fmt,
            code=str(status or ""),
            partner_message=message,
            http_status=status,
        )

    def _shipment_events(self, reader, shipment, path):
        number = reader.text(shipment, "id", path, required=True)
        details = reader.child(shipment, "details", path) or {}
        proof = reader.child(details, "proofOfDelivery", _join(path, "details")) or {}
        signed = reader.child(proof, "signed", _join(path, "details.proofOfDelivery"))
        signed_by = reader.text(signed, "name", _join(path, "details.proofOfDelivery.signed"))
        items = list(reader.objects(shipment, "events", path))
        if not items:
            # No history: the current status is the one event DHL gives.
            status = reader.child(shipment, "status", path)
            items = [(_join(path, "status"), status)] if status else []
        return [
            self._event(reader, item, item_path, number, signed_by) for item_path, item in items
        ]

    def _event(self, reader, item, path, number, signed_by):
        code = reader.text(item, "statusCode", path)
        status = DHL_STATUSES.get(code, c.STATUS_UNKNOWN)
        where = reader.child(item, "location", path) or {}
        address_path = _join(path, "location.address")
        address = reader.child(where, "address", _join(path, "location")) or {}
        return _event(
            number,
            status,
            code,
            reader.text(item, "status", path),
            occurred_at=reader.moment(item, "timestamp", path),
            location=_place(
                reader.text(address, "addressLocality", address_path),
                reader.text(address, "postalCode", address_path),
                reader.text(address, "countryCode", address_path),
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
            signed_by=signed_by if status == c.STATUS_DELIVERED else "",
        )


# --------------------------------------------------------------------------------------------
# AfterShip
# --------------------------------------------------------------------------------------------


def _aftership_status(tag, subtag):
    return AFTERSHIP_SUBTAGS.get(subtag) or AFTERSHIP_STATUSES.get(tag, c.STATUS_UNKNOWN)


def _aftership_events(reader, tracking, path):
    """The events of an AfterShip Tracking object: one per checkpoint."""
    number = reader.text(tracking, "tracking_number", path, required=True)
    slug = reader.text(tracking, "slug", path)
    signed_by = reader.text(tracking, "signed_by", path)
    events = []
    for item_path, checkpoint in reader.objects(tracking, "checkpoints", path):
        tag = reader.text(checkpoint, "tag", item_path)
        subtag = reader.text(checkpoint, "subtag", item_path)
        status = _aftership_status(tag, subtag)
        location = reader.text(checkpoint, "location", item_path) or _place(
            reader.text(checkpoint, "city", item_path),
            reader.text(checkpoint, "state", item_path),
            reader.text(checkpoint, "zip", item_path),
            reader.text(checkpoint, "country_iso3", item_path),
        )
        events.append(
            _event(
                number,
                status,
                subtag or tag,
                reader.text(checkpoint, "subtag_message", item_path) or tag,
                occurred_at=reader.moment(checkpoint, "checkpoint_time", item_path),
                location=location,
                description=reader.text(checkpoint, "message", item_path),
                carrier=reader.text(checkpoint, "slug", item_path) or slug,
                signed_by=signed_by if status == c.STATUS_DELIVERED else "",
            )
        )
    if not events:
        # No checkpoint yet: the tracking's own tag is the one event, without time.
        tag = reader.text(tracking, "tag", path)
        subtag = reader.text(tracking, "subtag", path)
        text = reader.text(tracking, "subtag_message", path) or tag
        status = _aftership_status(tag, subtag)
        events.append(_event(number, status, subtag or tag, text, carrier=slug))
    return _chronological(events)


@register
class AftershipTrackingCodec(Codec):
    """AfterShip Tracking API v4 response (``data.tracking``): one event per checkpoint."""

    name = "aftership-tracking"
    description = "AfterShip Tracking API v4 response (data.tracking.checkpoints[])"
    media_type = "application/json"

    def parse(self, data):
        """Return the TrackingEvents of the tracking; refuse AfterShip's error envelope."""
        reader = _Reader(self.name)
        root = reader.root(reader.load(data))
        meta = reader.child(root, "meta", "")
        code = meta.get("code") if meta else None
        if code is not None and code not in (200, 201):
            message = reader.text(meta, "message", "meta")
            raise PartnerErrorResponse(
                f"AfterShip error {code}: {message}",
                format=self.name,
                field="meta",
                code=str(code),
                partner_message=message,
            )
        body = reader.child(root, "data", "", required=True)
        tracking = reader.child(body, "tracking", "data", required=True)
        return _aftership_events(reader, tracking, "data.tracking")


@register
class AftershipWebhookCodec(Codec):
    """AfterShip tracking webhook (``msg`` is the Tracking object): one event per checkpoint."""

    name = "aftership-webhook"
    description = "AfterShip tracking webhook (msg.checkpoints[])"
    media_type = "application/json"

    def parse(self, data):
        """Return the TrackingEvents of the tracking carried in ``msg``."""
        reader = _Reader(self.name)
        root = reader.root(reader.load(data))
        tracking = reader.child(root, "msg", "", required=True)
        return _aftership_events(reader, tracking, "msg")


# --------------------------------------------------------------------------------------------
# ShipEngine
# --------------------------------------------------------------------------------------------


def _shipengine_event(reader, item, path, number, carrier):
    code = reader.text(item, "status_code", path)
    detail = reader.text(item, "status_detail_code", path)
    status = SHIPENGINE_DETAIL_STATUSES.get(detail) or SHIPENGINE_STATUSES.get(
        code, c.STATUS_UNKNOWN
    )
    text = reader.text(item, "status_description", path) or SHIPENGINE_STATUS_LABELS.get(code, "")
    moment = reader.moment(item, "occurred_at", path) or reader.moment(
        item, "carrier_occurred_at", path
    )
    return _event(
        number,
        status,
        f"{code}/{detail}" if detail else code,
        text,
        occurred_at=moment,
        location=_place(
            reader.text(item, "city_locality", path),
            reader.text(item, "state_province", path),
            reader.text(item, "postal_code", path),
            reader.text(item, "country_code", path),
        ),
        description=reader.text(item, "description", path),
        carrier=carrier,
        signed_by=reader.text(item, "signer", path),
    )


def _shipengine_events(reader, info, path):
    """The events of a ShipEngine track info: one per event, else the current status."""
    number = reader.text(info, "tracking_number", path, required=True)
    carrier = reader.text(info, "carrier_code", path)
    events = [
        _shipengine_event(reader, item, item_path, number, carrier)
        for item_path, item in reader.objects(info, "events", path)
    ]
    if not events:
        event = _shipengine_event(reader, info, path, number, carrier)
        event.occurred_at = None  # the track info's dates are estimates, not the event's
        event.description = reader.text(info, "carrier_status_description", path)
        events.append(event)
    return _chronological(events)


def _shipengine_errors(reader, root):
    for item_path, error in reader.objects(root, "errors", ""):
        code = reader.text(error, "error_code", item_path)
        message = reader.text(error, "message", item_path)
        raise PartnerErrorResponse(
            f"ShipEngine error {code}: {message}",
            format=reader.fmt,
            field=item_path,
            code=code,
            partner_message=message,
        )


@register
class ShipengineTrackingCodec(Codec):
    """ShipEngine ``GET /v1/tracking`` response: one event per event."""

    name = "shipengine-tracking"
    description = "ShipEngine tracking response (GET /v1/tracking, events[])"
    media_type = "application/json"

    def parse(self, data):
        """Return the TrackingEvents of the response; refuse ShipEngine's error envelope."""
        reader = _Reader(self.name)
        root = reader.root(reader.load(data))
        if "tracking_number" not in root and root.get("errors"):
            _shipengine_errors(reader, root)
        return _shipengine_events(reader, root, "")


@register
class ShipengineWebhookCodec(Codec):
    """ShipEngine ``API_TRACK`` webhook (``data`` is the track info): one event per event."""

    name = "shipengine-webhook"
    description = "ShipEngine API_TRACK webhook (data.events[])"
    media_type = "application/json"

    def parse(self, data):
        """Return the TrackingEvents of the track info carried in ``data``."""
        reader = _Reader(self.name)
        root = reader.root(reader.load(data))
        kind = reader.text(root, "resource_type", "")
        if kind and kind != "API_TRACK":
            raise reader.error("resource_type", f"not a tracking webhook: {kind!r}")
        info = reader.child(root, "data", "", required=True)
        return _shipengine_events(reader, info, "data")
