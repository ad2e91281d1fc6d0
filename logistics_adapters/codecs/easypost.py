"""EasyPost API v2: tracker webhooks, Tracker objects and Shipments (rates, labels).

Three formats:

* ``easypost-event``: a webhook ``Event`` whose ``description`` is ``tracker.created`` or
  ``tracker.updated`` and whose ``result`` is a Tracker -> :class:`TrackingEvent` list.
* ``easypost-tracker``: a ``Tracker`` object (``POST /v2/trackers``, ``GET /v2/trackers/<id>``)
  -> the same :class:`TrackingEvent` list.
* ``easypost-shipment``: a ``Shipment`` object (create or buy response), or the body of
  ``POST /v2/shipments`` (``{"shipment": {...}}``) -> ``[Shipment, CustomsDeclaration?,
  Rate..., Label?]``; ``render`` writes a canonical Shipment (and its CustomsDeclaration) as
  the ``POST /v2/shipments`` body.

Tracking: one event per ``tracking_details[]`` entry, in the published order (oldest first).
EasyPost details have no id, so ``partner_event_id`` is ``<tracker id>/<datetime>/<status>``
(plus ``/<carrier_code>`` when the carrier gave one), stable across webhook deliveries. A
tracker with no details yet gives one summary event built from the tracker's own ``status``
at its ``updated_at``, so that the fact "EasyPost tracks this number, status X" is not lost;
with details, the tracker status is not repeated (it is the last detail's). The tracker's
``signed_by`` goes on its ``delivered`` events. EasyPost times are UTC (``Z``) and stay aware;
a time given without offset stays naive (``time_zone_known`` False) and is never shifted.

Shipments: EasyPost weights are ounces and dimensions inches, converted to kg and cm and back
(rendered to one decimal, as EasyPost takes them). String ``options`` are kept in
``Shipment.references`` as ``options.<name>`` (``currency`` and ``incoterm`` go to their
fields), the customs scalars the canonical model has no field for as ``customs_info.<name>``
(``eel_pfc``, ``non_delivery_option``...); ``render`` writes them back. A bought shipment also
gives ``references["selected_rate_id"]`` (its Rate is in the list, with the cost as Decimal),
``references["tracker_id"]`` and ``references["fee.<type>"]`` (``fee.PostageFee``...), and a
:class:`Label` with the URL of the label in the requested ``label_format``. Its status is
``label_created`` while EasyPost still says ``unknown``.

Bad input raises :class:`ParseError` naming the JSON path (``result.tracking_details[2].
datetime``) and, when the offending text value occurs once in the document, its line.
"""

import json
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .. import canonical as c
from ..errors import ParseError
from ..registry import Codec, register
from ._json import join_path, kind_of, load_json

FORMAT_EVENT = "easypost-event"
FORMAT_TRACKER = "easypost-tracker"
FORMAT_SHIPMENT = "easypost-shipment"

#: EasyPost Tracker / TrackingDetail / Shipment ``status`` -> canonical status.
STATUS_MAP = {
    "pre_transit": c.STATUS_LABEL_CREATED,
    "in_transit": c.STATUS_IN_TRANSIT,
    "out_for_delivery": c.STATUS_OUT_FOR_DELIVERY,
    "delivered": c.STATUS_DELIVERED,
    "available_for_pickup": c.STATUS_AVAILABLE_FOR_PICKUP,
    "return_to_sender": c.STATUS_RETURNED_TO_SENDER,
    "failure": c.STATUS_DELIVERY_FAILED,
    "cancelled": c.STATUS_CANCELLED,
    "error": c.STATUS_EXCEPTION,
    "unknown": c.STATUS_UNKNOWN,
}
#: Webhook event descriptions whose ``result`` is a Tracker.
TRACKER_EVENTS = ("tracker.created", "tracker.updated")

KG_PER_OUNCE = 0.028349523125
CM_PER_INCH = 2.54
#: Label formats with their own URL field on a PostageLabel (others use ``label_url``).
_LABEL_URL_FIELDS = {"PDF": "label_pdf_url", "ZPL": "label_zpl_url", "EPL2": "label_epl2_url"}
_LABEL_MEDIA_FORMATS = {
    "image/png": "PNG",
    "application/pdf": "PDF",
    "application/zpl": "ZPL",
    "application/epl2": "EPL2",
}
#: Label format -> the media type of its file.
LABEL_MEDIA_TYPES = {label_format: media for media, label_format in _LABEL_MEDIA_FORMATS.items()}
#: Customs scalars kept in ``Shipment.references`` as ``customs_info.<name>``, render order.
_CUSTOMS_TEXT_FIELDS = (
    "eel_pfc",
    "contents_explanation",
    "restriction_type",
    "restriction_comments",
    "non_delivery_option",
)
_OPTIONS_PREFIX = "options."
_CUSTOMS_PREFIX = "customs_info."
_AMOUNT_MAX_ADJUSTED_EXPONENT = 23
_NUMBER_LIMIT = 1e12
_MISSING = object()


# --------------------------------------------------------------------------------------------
# Reading JSON with paths
# --------------------------------------------------------------------------------------------


_join = join_path
_kind = kind_of


class _Reader:
    """Typed access to a decoded JSON document; every error names the JSON path."""

    def __init__(self, format, text):
        self.format = format
        self.source = text

    def error(self, path, message, value=_MISSING):
        """Return a ParseError at ``path``, with the line of ``value`` when it is unambiguous."""
        line = column = None
        if isinstance(value, str):
            line, column = _locate(self.source, value)
        return ParseError(message, format=self.format, field=path or None, line=line, column=column)

    def object(self, value, path, what="an object"):
        """Return ``value`` if it is a JSON object."""
        if not isinstance(value, dict):
            raise self.error(path, f"expected {what}, got {_kind(value)}")
        return value

    def get(self, obj, path, name, required=False):
        """Return ``obj[name]``; None when absent or null, unless ``required``."""
        value = obj.get(name)
        if value is None and required:
            raise self.error(_join(path, name), "required field missing")
        return value

    def child(self, obj, path, name, required=False):
        """Return the object ``obj[name]`` (None when absent or null, unless required)."""
        value = self.get(obj, path, name, required)
        return None if value is None else self.object(value, _join(path, name))

    def array(self, obj, path, name):
        """Return the array ``obj[name]``; ``[]`` when absent or null."""
        value = obj.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(_join(path, name), f"expected an array, got {_kind(value)}")
        return value

    def text(self, obj, path, name, required=False):
        """Return the string ``obj[name]``; ``""`` when absent or null, unless required."""
        value = self.get(obj, path, name, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.error(_join(path, name), f"expected a string, got {_kind(value)}")
        if required and not value.strip():
            raise self.error(_join(path, name), "required field is empty")
        return value

    def expect(self, obj, path, name, expected):
        """Check that ``obj[name]`` is the string ``expected`` (an object type, say)."""
        value = obj.get(name)
        if value is None:
            raise self.error(_join(path, name), f"required field missing (expected {expected!r})")
        if value != expected:
            raise self.error(_join(path, name), f"expected {expected!r}, got {value!r}", value)

    def when(self, obj, path, name, required=False):
        """Return the ISO 8601 datetime ``obj[name]``: aware with an offset, naive without."""
        value = self.text(obj, path, name, required)
        if not value:
            return None
        text = value[:-1] + "+00:00" if value[-1:] in ("Z", "z") else value
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise self.error(_join(path, name), f"invalid date {value!r}", value) from None

    def day(self, obj, path, name):
        """Return the date part of the ISO 8601 date or datetime ``obj[name]``, or None."""
        value = self.text(obj, path, name)
        if not value:
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise self.error(_join(path, name), f"invalid date {value!r}", value) from None

    def amount(self, obj, path, name, required=False):
        """Return the amount ``obj[name]`` (EasyPost writes strings such as "6.07000")."""
        value = self.get(obj, path, name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            raise self.error(_join(path, name), f"expected an amount, got {_kind(value)}")
        try:
            amount = Decimal(value.strip() if isinstance(value, str) else value)
        except (InvalidOperation, ValueError):
            raise self.error(_join(path, name), f"invalid amount {value!r}", value) from None
        if not amount.is_finite() or (amount and amount.adjusted() > _AMOUNT_MAX_ADJUSTED_EXPONENT):
            raise self.error(_join(path, name), f"invalid amount {value!r}", value)
        return amount

    def number(self, obj, path, name):
        """Return the number ``obj[name]`` as a float, or None."""
        value = self.get(obj, path, name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise self.error(_join(path, name), f"expected a number, got {_kind(value)}")
        if not abs(value) < _NUMBER_LIMIT:
            raise self.error(_join(path, name), f"number out of range: {value}")
        return float(value)

    def integer(self, obj, path, name):
        """Return the integer ``obj[name]``, or None."""
        number = self.number(obj, path, name)
        if number is None:
            return None
        if number != int(number):
            raise self.error(_join(path, name), f"expected an integer, got {obj[name]}")
        return int(number)


def _locate(text, value):
    """Return (line, column) of the JSON string ``value`` when it is a member value once."""
    literals = {json.dumps(value), json.dumps(value, ensure_ascii=False)}
    pattern = "|".join(re.escape(literal) for literal in literals)
    matches = list(re.finditer(rf":\s*({pattern})", text))
    if len(matches) != 1:
        return None, None
    start = matches[0].start(1)
    return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1


def _load(format, data):
    """Return a ``_Reader`` and the decoded JSON document of ``data``."""
    text, document = load_json(format, data)
    return _Reader(format, text), document


# --------------------------------------------------------------------------------------------
# Trackers
# --------------------------------------------------------------------------------------------


def map_status(status):
    """Return the canonical status of an EasyPost ``status`` (``unknown`` when not known)."""
    return STATUS_MAP.get(status, c.STATUS_UNKNOWN)


def _partner_status(status, detail):
    return f"{status}/{detail}" if detail else status


def _location(reader, detail, path):
    location = reader.child(detail, path, "tracking_location")
    if location is None:
        return ""
    path = _join(path, "tracking_location")
    city, state, zip_code, country = (
        reader.text(location, path, name).strip() for name in ("city", "state", "zip", "country")
    )
    parts = (city, " ".join(part for part in (state, zip_code) if part), country)
    return ", ".join(part for part in parts if part)


def _tracker_events(reader, tracker, path):
    """Return the TrackingEvents of the EasyPost Tracker ``tracker`` found at ``path``."""
    reader.object(tracker, path, "a Tracker object")
    reader.expect(tracker, path, "object", "Tracker")
    head = {
        "tracking_number": reader.text(tracker, path, "tracking_code", required=True),
        "carrier": reader.text(tracker, path, "carrier"),
        "shipment_reference": reader.text(tracker, path, "shipment_id"),
    }
    key = reader.text(tracker, path, "id") or head["tracking_number"]
    status = reader.text(tracker, path, "status", required=True)
    signed_by = reader.text(tracker, path, "signed_by")
    details_path = _join(path, "tracking_details")
    events = [
        _detail_event(reader, detail, f"{details_path}[{index}]", head, key)
        for index, detail in enumerate(reader.array(tracker, path, "tracking_details"))
    ]
    if not events:
        events.append(_summary_event(reader, tracker, path, head, key, status))
    for event in events:
        if event.status == c.STATUS_DELIVERED:
            event.signed_by = signed_by
    return events


def _detail_event(reader, detail, path, head, key):
    reader.object(detail, path, "a TrackingDetail object")
    occurred_at = reader.when(detail, path, "datetime", required=True)
    status = reader.text(detail, path, "status", required=True)
    carrier_code = reader.text(detail, path, "carrier_code")
    event_id = "/".join(
        part for part in (key, occurred_at.isoformat(), status, carrier_code) if part
    )
    return c.TrackingEvent(
        status=map_status(status),
        partner_status=_partner_status(status, reader.text(detail, path, "status_detail")),
        partner_status_text=reader.text(detail, path, "description"),
        occurred_at=occurred_at,
        location=_location(reader, detail, path),
        description=reader.text(detail, path, "message"),
        partner_event_id=event_id,
        **head,
    )


def _summary_event(reader, tracker, path, head, key, status):
    occurred_at = reader.when(tracker, path, "updated_at")
    when = occurred_at.isoformat() if occurred_at else ""
    return c.TrackingEvent(
        status=map_status(status),
        partner_status=_partner_status(status, reader.text(tracker, path, "status_detail")),
        occurred_at=occurred_at,
        partner_event_id="/".join(part for part in (key, when, status, "tracker") if part),
        **head,
    )


@register
class EasyPostEventCodec(Codec):
    """EasyPost ``tracker.created`` / ``tracker.updated`` webhook Events."""

    name = FORMAT_EVENT
    description = "EasyPost webhook Event tracker.updated/created -> TrackingEvents"
    media_type = "application/json"

    def parse(self, data):
        """Return one TrackingEvent per tracking detail of the Event's Tracker."""
        reader, document = _load(self.name, data)
        reader.object(document, "", "an EasyPost Event object")
        reader.expect(document, "", "object", "Event")
        kind = reader.text(document, "", "description", required=True)
        if kind not in TRACKER_EVENTS:
            raise reader.error(
                "description",
                f"unsupported event {kind!r}; expected one of: {', '.join(TRACKER_EVENTS)}",
                kind,
            )
        tracker = reader.get(document, "", "result", required=True)
        return _tracker_events(reader, tracker, "result")


@register
class EasyPostTrackerCodec(Codec):
    """EasyPost Tracker objects, as the trackers API returns them."""

    name = FORMAT_TRACKER
    description = "EasyPost Tracker object -> TrackingEvents"
    media_type = "application/json"

    def parse(self, data):
        """Return one TrackingEvent per tracking detail of the Tracker."""
        reader, document = _load(self.name, data)
        return _tracker_events(reader, document, "")


# --------------------------------------------------------------------------------------------
# Shipments: parse
# --------------------------------------------------------------------------------------------


def _address(reader, obj, path, name):
    address = reader.child(obj, path, name)
    if address is None:
        return None
    path = _join(path, name)
    fields = {
        "name": "name",
        "company": "company",
        "street": "street1",
        "street2": "street2",
        "city": "city",
        "state": "state",
        "zip": "zip",
        "country": "country",
        "phone": "phone",
        "email": "email",
    }
    return c.Address(
        **{ours: reader.text(address, path, theirs) for ours, theirs in fields.items()}
    )


def _from_ounces(value):
    return None if value is None else value * KG_PER_OUNCE


def _from_inches(value):
    return None if value is None else value * CM_PER_INCH


def _parcel(reader, parcel, path, tracking_number):
    return c.Parcel(
        tracking_number=tracking_number,
        package_type=reader.text(parcel, path, "predefined_package"),
        weight_kg=_from_ounces(reader.number(parcel, path, "weight")),
        length_cm=_from_inches(reader.number(parcel, path, "length")),
        width_cm=_from_inches(reader.number(parcel, path, "width")),
        height_cm=_from_inches(reader.number(parcel, path, "height")),
    )


def _rate(reader, rate, path, reference):
    reader.object(rate, path, "a Rate object")
    days = reader.integer(rate, path, "delivery_days")
    return c.Rate(
        carrier=reader.text(rate, path, "carrier", required=True),
        service=reader.text(rate, path, "service"),
        amount=reader.amount(rate, path, "rate", required=True),
        currency=reader.text(rate, path, "currency"),
        partner_rate_id=reader.text(rate, path, "id"),
        shipment_reference=reference,
        delivery_days=days if days is not None else reader.integer(rate, path, "est_delivery_days"),
        estimated_delivery=reader.day(rate, path, "delivery_date"),
    )


def _label(reader, label, path, shipment, label_format):
    url_field = _LABEL_URL_FIELDS.get(label_format.upper())
    url = reader.text(label, path, url_field) if url_field else ""
    file_format = label_format.upper()
    if not url:
        url = reader.text(label, path, "label_url")
        media_type = reader.text(label, path, "label_file_type")
        file_format = _LABEL_MEDIA_FORMATS.get(media_type.lower(), file_format)
    return c.Label(
        tracking_number=shipment.tracking_number,
        carrier=shipment.carrier,
        service=shipment.service,
        file_format=file_format,
        url=url,
        partner_reference=reader.text(label, path, "id"),
        shipment_reference=shipment.reference,
    )


def _customs_item(reader, item, path):
    reader.object(item, path, "a CustomsItem object")
    return c.CustomsItem(
        description=reader.text(item, path, "description"),
        product_code=reader.text(item, path, "code"),
        hs_code=reader.text(item, path, "hs_tariff_number"),
        origin_country=reader.text(item, path, "origin_country"),
        quantity=reader.number(item, path, "quantity"),
        net_weight_kg=_from_ounces(reader.number(item, path, "weight")),
        value=reader.amount(item, path, "value"),
    )


def _customs(reader, customs, path, shipment):
    items_path = _join(path, "customs_items")
    items = [
        _customs_item(reader, item, f"{items_path}[{index}]")
        for index, item in enumerate(reader.array(customs, path, "customs_items"))
    ]
    values = [item.value for item in items if item.value is not None]
    currencies = [
        reader.text(item, f"{items_path}[{index}]", "currency")
        for index, item in enumerate(reader.array(customs, path, "customs_items"))
    ]
    signer = reader.text(customs, path, "customs_signer")
    for name in _CUSTOMS_TEXT_FIELDS:
        if customs.get(name) is not None:
            shipment.references[_CUSTOMS_PREFIX + name] = reader.text(customs, path, name)
    return c.CustomsDeclaration(
        reference=shipment.reference,
        declaration_type=reader.text(customs, path, "contents_type"),
        partner_reference=reader.text(customs, path, "id"),
        declarant=c.Address(name=signer) if signer else None,
        origin_country=shipment.ship_from.country if shipment.ship_from else "",
        destination_country=shipment.ship_to.country if shipment.ship_to else "",
        incoterm=shipment.incoterm,
        currency=next((code for code in currencies if code), shipment.currency),
        total_value=sum(values, Decimal(0)) if values else None,
        shipment_reference=shipment.reference,
        tracking_number=shipment.tracking_number,
        items=items,
    )


def _read_options(reader, shipment_obj, path, shipment):
    options = reader.child(shipment_obj, path, "options") or {}
    path = _join(path, "options")
    for name, value in options.items():
        if name == "currency":
            shipment.currency = reader.text(options, path, name)
        elif name == "incoterm":
            shipment.incoterm = reader.text(options, path, name)
        elif isinstance(value, str):
            shipment.references[_OPTIONS_PREFIX + name] = value
    return options


def _read_fees(reader, shipment_obj, path, shipment):
    fees_path = _join(path, "fees")
    totals = {}
    for index, fee in enumerate(reader.array(shipment_obj, path, "fees")):
        fee_path = f"{fees_path}[{index}]"
        reader.object(fee, fee_path, "a Fee object")
        kind = reader.text(fee, fee_path, "type", required=True)
        amount = reader.amount(fee, fee_path, "amount", required=True)
        totals[kind] = totals.get(kind, Decimal(0)) + amount
    for kind, amount in totals.items():
        shipment.references[f"fee.{kind}"] = str(amount)


def _read_shipment(reader, obj, path):
    """Return the canonical objects of the EasyPost Shipment ``obj`` found at ``path``."""
    tracking_number = reader.text(obj, path, "tracking_code")
    shipment = c.Shipment(
        reference=reader.text(obj, path, "reference"),
        partner_reference=reader.text(obj, path, "id"),
        tracking_number=tracking_number,
        status=map_status(reader.text(obj, path, "status") or "unknown"),
        ship_from=_address(reader, obj, path, "from_address"),
        ship_to=_address(reader, obj, path, "to_address"),
        is_return=obj.get("is_return") is True,
    )
    parcel = reader.child(obj, path, "parcel")
    if parcel is not None:
        shipment.parcels.append(_parcel(reader, parcel, _join(path, "parcel"), tracking_number))
    options = _read_options(reader, obj, path, shipment)
    objects = [shipment]
    customs = reader.child(obj, path, "customs_info")
    if customs is not None:
        objects.append(_customs(reader, customs, _join(path, "customs_info"), shipment))
    objects.extend(_read_rates(reader, obj, path, shipment))
    _read_tracker(reader, obj, path, shipment)
    _read_fees(reader, obj, path, shipment)
    label = reader.child(obj, path, "postage_label")
    if label is not None:
        label_path = _join(path, "postage_label")
        shipment.ship_date = reader.day(label, label_path, "label_date")
        if shipment.status == c.STATUS_UNKNOWN:
            shipment.status = c.STATUS_LABEL_CREATED
        label_format = options.get("label_format")
        label_format = label_format if isinstance(label_format, str) else ""
        objects.append(_label(reader, label, label_path, shipment, label_format))
    return objects


def _read_rates(reader, obj, path, shipment):
    rates_path = _join(path, "rates")
    rates = [
        _rate(reader, rate, f"{rates_path}[{index}]", shipment.reference)
        for index, rate in enumerate(reader.array(obj, path, "rates"))
    ]
    selected = reader.child(obj, path, "selected_rate")
    if selected is not None:
        chosen = _rate(reader, selected, _join(path, "selected_rate"), shipment.reference)
        shipment.carrier, shipment.service = chosen.carrier, chosen.service
        shipment.currency = shipment.currency or chosen.currency
        if chosen.partner_rate_id:
            shipment.references["selected_rate_id"] = chosen.partner_rate_id
        known = {rate.partner_rate_id for rate in rates if rate.partner_rate_id}
        if not chosen.partner_rate_id or chosen.partner_rate_id not in known:
            rates.append(chosen)
    return rates


def _read_tracker(reader, obj, path, shipment):
    tracker = reader.child(obj, path, "tracker")
    if tracker is None:
        return
    tracker_path = _join(path, "tracker")
    shipment.tracking_url = reader.text(tracker, tracker_path, "public_url")
    tracker_id = reader.text(tracker, tracker_path, "id")
    if tracker_id:
        shipment.references["tracker_id"] = tracker_id


# --------------------------------------------------------------------------------------------
# Shipments: render
# --------------------------------------------------------------------------------------------


def _one_decimal(value, minimum=None):
    """Return ``value`` rounded to the tenth EasyPost takes, as int when it is whole."""
    rounded = Decimal(repr(round(value, 6))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if minimum is not None and rounded < Decimal(minimum):
        rounded = Decimal(minimum)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def _json_amount(amount):
    if amount == amount.to_integral_value():
        return int(amount)
    as_float = float(amount)
    return as_float if Decimal(repr(as_float)) == amount else str(amount)


def _render_address(address):
    fields = (
        ("name", address.name),
        ("company", address.company),
        ("street1", address.street),
        ("street2", address.street2),
        ("city", address.city),
        ("state", address.state),
        ("zip", address.zip),
        ("country", address.country),
        ("email", address.email),
        ("phone", address.phone),
    )
    return {name: value for name, value in fields if value}


def _render_parcel(parcel):
    if parcel.weight_kg is None or parcel.weight_kg <= 0:
        raise ValueError("parcels[0].weight_kg: EasyPost needs a positive parcel weight")
    body = {}
    for name in ("length", "width", "height"):
        value = getattr(parcel, f"{name}_cm")
        if value is not None:
            body[name] = _one_decimal(value / CM_PER_INCH)
    if parcel.package_type:
        body["predefined_package"] = parcel.package_type
    body["weight"] = _one_decimal(parcel.weight_kg / KG_PER_OUNCE, minimum="0.1")
    return body


def _render_customs_item(item):
    body = {"description": item.description}
    if item.quantity is not None:
        body["quantity"] = (
            int(item.quantity) if item.quantity == int(item.quantity) else item.quantity
        )
    if item.net_weight_kg is not None:
        body["weight"] = _one_decimal(item.net_weight_kg / KG_PER_OUNCE, minimum="0.1")
    if item.value is not None:
        body["value"] = _json_amount(item.value)
    for name, value in (
        ("hs_tariff_number", item.hs_code),
        ("origin_country", item.origin_country),
        ("code", item.product_code),
    ):
        if value:
            body[name] = value
    return body


def _render_customs(declaration, references):
    def text(name):
        return references.get(_CUSTOMS_PREFIX + name)

    signer = declaration.declarant.name if declaration.declarant else ""
    body = {"eel_pfc": text("eel_pfc")}
    if signer:
        body.update(customs_certify=True, customs_signer=signer)
    body["contents_type"] = declaration.declaration_type or None
    for name in _CUSTOMS_TEXT_FIELDS[1:]:
        body[name] = text(name)
    body = {name: value for name, value in body.items() if value is not None}
    body["customs_items"] = [_render_customs_item(item) for item in declaration.items]
    return body


def _render_options(shipment):
    options = {
        name[len(_OPTIONS_PREFIX) :]: value
        for name, value in shipment.references.items()
        if name.startswith(_OPTIONS_PREFIX) and len(name) > len(_OPTIONS_PREFIX)
    }
    if shipment.currency:
        options.setdefault("currency", shipment.currency)
    if shipment.incoterm:
        options.setdefault("incoterm", shipment.incoterm)
    return options


def _pick_objects(objects):
    if not isinstance(objects, (list, tuple)):
        objects = [objects]
    shipments = [obj for obj in objects if isinstance(obj, c.Shipment)]
    declarations = [obj for obj in objects if isinstance(obj, c.CustomsDeclaration)]
    others = [obj for obj in objects if not isinstance(obj, (c.Shipment, c.Rate, c.Label))]
    others = [obj for obj in others if not isinstance(obj, c.CustomsDeclaration)]
    if len(shipments) != 1:
        raise ValueError(f"expected exactly one Shipment, got {len(shipments)}")
    if len(declarations) > 1:
        raise ValueError("expected at most one CustomsDeclaration")
    if others:
        raise ValueError(f"cannot render {type(others[0]).__name__} in an EasyPost shipment")
    return shipments[0], (declarations[0] if declarations else None)


def render_shipment(objects):
    """Return the ``POST /v2/shipments`` body (a dict) for a Shipment and its customs."""
    shipment, declaration = _pick_objects(objects)
    if shipment.ship_from is None or shipment.ship_to is None:
        raise ValueError("a Shipment needs ship_from and ship_to for EasyPost")
    if len(shipment.parcels) != 1:
        raise ValueError(f"EasyPost ships one parcel per shipment, got {len(shipment.parcels)}")
    body = {
        "from_address": _render_address(shipment.ship_from),
        "to_address": _render_address(shipment.ship_to),
        "parcel": _render_parcel(shipment.parcels[0]),
    }
    if declaration is not None:
        body["customs_info"] = _render_customs(declaration, shipment.references)
    options = _render_options(shipment)
    if options:
        body["options"] = options
    if shipment.reference:
        body["reference"] = shipment.reference
    if shipment.is_return:
        body["is_return"] = True
    return {"shipment": body}


@register
class EasyPostShipmentCodec(Codec):
    """EasyPost Shipment objects (rates, label) and the shipment create request."""

    name = FORMAT_SHIPMENT
    description = "EasyPost Shipment (rates, bought label) <-> Shipment, Rates, Label"
    media_type = "application/json"

    def parse(self, data):
        """Return [Shipment, CustomsDeclaration?, Rate..., Label?] of a Shipment or request."""
        reader, document = _load(self.name, data)
        reader.object(document, "", "an EasyPost Shipment object")
        if "object" not in document and set(document) == {"shipment"}:
            shipment = reader.object(document["shipment"], "shipment", "a shipment object")
            return _read_shipment(reader, shipment, "shipment")
        reader.expect(document, "", "object", "Shipment")
        return _read_shipment(reader, document, "")

    def render(self, objects):
        """Return the JSON body of ``POST /v2/shipments`` for one Shipment (and customs)."""
        return json.dumps(render_shipment(objects), ensure_ascii=False).encode("utf-8")
