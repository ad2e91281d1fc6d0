"""The canonical model: the plain objects every partner format maps to and from.

Codecs turn partner bytes into these objects and back; the Odoo addons only ever see these.
Conventions:

* text fields default to ``""`` (never ``None``), so Odoo can write them as they are;
* amounts are :class:`decimal.Decimal`; weights, dimensions and quantities are floats in
  kilograms, centimetres and the line's unit of measure;
* countries are ISO 3166-1 alpha-2 codes, currencies ISO 4217 codes;
* datetimes are timezone-aware when the partner said which zone; a partner time given without
  zone stays naive, and ``time_zone_known`` says so, so the caller can resolve it with the
  backend's time zone instead of the codec guessing.

:func:`to_jsonable` and :func:`from_jsonable` convert objects to and from JSON-ready dicts that
carry a ``"type"`` key (the class name); the ``canonical-json`` codec is built on them.
"""

import base64
import binascii
import dataclasses
import math
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .errors import ParseError

# --------------------------------------------------------------------------------------------
# Shipment statuses
# --------------------------------------------------------------------------------------------

STATUS_LABEL_CREATED = "label_created"
STATUS_PICKED_UP = "picked_up"
STATUS_IN_TRANSIT = "in_transit"
STATUS_OUT_FOR_DELIVERY = "out_for_delivery"
STATUS_AVAILABLE_FOR_PICKUP = "available_for_pickup"
STATUS_DELIVERED = "delivered"
STATUS_RETURNED_TO_SENDER = "returned_to_sender"
STATUS_CANCELLED = "cancelled"
STATUS_EXCEPTION = "exception"
STATUS_DELIVERY_FAILED = "delivery_failed"
STATUS_CUSTOMS_HOLD = "customs_hold"
STATUS_CUSTOMS_RELEASED = "customs_released"
STATUS_UNKNOWN = "unknown"

#: Statuses on the progress scale, lowest first: a shipment only ever moves up this list.
RANKED_STATUSES = (
    STATUS_LABEL_CREATED,
    STATUS_PICKED_UP,
    STATUS_IN_TRANSIT,
    STATUS_OUT_FOR_DELIVERY,
    STATUS_AVAILABLE_FOR_PICKUP,
    STATUS_DELIVERED,
)
#: Statuses a shipment never leaves.
TERMINAL_STATUSES = (STATUS_RETURNED_TO_SENDER, STATUS_CANCELLED)
#: Statuses that flag a shipment without changing its progress.
SIDE_STATUSES = (
    STATUS_EXCEPTION,
    STATUS_DELIVERY_FAILED,
    STATUS_CUSTOMS_HOLD,
    STATUS_CUSTOMS_RELEASED,
)

#: (code, label) pairs in display order, usable as an Odoo selection.
STATUSES = [
    (STATUS_LABEL_CREATED, "Label created"),
    (STATUS_PICKED_UP, "Picked up"),
    (STATUS_IN_TRANSIT, "In transit"),
    (STATUS_OUT_FOR_DELIVERY, "Out for delivery"),
    (STATUS_AVAILABLE_FOR_PICKUP, "Available for pickup"),
    (STATUS_DELIVERED, "Delivered"),
    (STATUS_RETURNED_TO_SENDER, "Returned to sender"),
    (STATUS_CANCELLED, "Cancelled"),
    (STATUS_EXCEPTION, "Exception"),
    (STATUS_DELIVERY_FAILED, "Delivery failed"),
    (STATUS_CUSTOMS_HOLD, "Customs hold"),
    (STATUS_CUSTOMS_RELEASED, "Customs released"),
    (STATUS_UNKNOWN, "Unknown"),
]
STATUS_CODES = frozenset(code for code, _label in STATUSES)

_RANKS = {code: index for index, code in enumerate(RANKED_STATUSES, start=1)}
_RANKS.update(dict.fromkeys(TERMINAL_STATUSES, len(RANKED_STATUSES) + 1))
_RANKS.update(dict.fromkeys((*SIDE_STATUSES, STATUS_UNKNOWN), 0))


def _check_status(code):
    if code not in STATUS_CODES:
        known = ", ".join(code for code, _label in STATUSES)
        raise ValueError(f"unknown canonical status {code!r}; known statuses: {known}")


def status_rank(code):
    """Return the progress rank of a canonical status.

    ``label_created`` is 1 up to ``delivered`` 6; both terminal statuses rank 7, above
    everything; side statuses and ``unknown`` rank 0 (they carry no progress).
    Raises ``ValueError`` for a code that is not a canonical status.
    """
    _check_status(code)
    return _RANKS[code]


def is_terminal(code):
    """Tell whether a shipment in status ``code`` must never change status again."""
    _check_status(code)
    return code in TERMINAL_STATUSES


def is_side_status(code):
    """Tell whether ``code`` flags a shipment (exception, customs...) without progress."""
    _check_status(code)
    return code in SIDE_STATUSES


def advance_status(current, incoming):
    """Return the status a shipment in ``current`` should have after an ``incoming`` event.

    A status never moves backwards (a late ``in_transit`` after ``delivered`` is ignored),
    never leaves a terminal status, and side statuses and ``unknown`` leave it unchanged:
    they are recorded on the event, not on the shipment. A shipment without status yet
    (``None``, ``""`` or Odoo's ``False``) takes the incoming status whatever it is; a shipment
    whose current status is a side status or ``unknown`` moves to any ranked incoming one.
    """
    _check_status(incoming)
    if not current:
        return incoming
    if is_terminal(current):
        return current
    if status_rank(incoming) > status_rank(current):
        return incoming
    return current


# --------------------------------------------------------------------------------------------
# Other code lists
# --------------------------------------------------------------------------------------------

CLEARANCE_SUBMITTED = "submitted"
CLEARANCE_ACCEPTED = "accepted"
CLEARANCE_HOLD = "hold"
CLEARANCE_RELEASED = "released"
CLEARANCE_REJECTED = "rejected"
CLEARANCE_CANCELLED = "cancelled"
CLEARANCE_STATUSES = [
    (CLEARANCE_SUBMITTED, "Submitted"),
    (CLEARANCE_ACCEPTED, "Accepted"),
    (CLEARANCE_HOLD, "On hold"),
    (CLEARANCE_RELEASED, "Released"),
    (CLEARANCE_REJECTED, "Rejected"),
    (CLEARANCE_CANCELLED, "Cancelled"),
]
#: The shipment side status a clearance status raises, when it raises one.
CLEARANCE_TO_SHIPMENT_STATUS = {
    CLEARANCE_HOLD: STATUS_CUSTOMS_HOLD,
    CLEARANCE_REJECTED: STATUS_CUSTOMS_HOLD,
    CLEARANCE_RELEASED: STATUS_CUSTOMS_RELEASED,
}

TENDER_STATUSES = ("tendered", "accepted", "declined", "cancelled")
TENDER_PURPOSES = ("original", "change", "cancel")
STOP_KINDS = ("pickup", "delivery")
WAREHOUSE_ORDER_KINDS = ("outbound", "inbound")
CONFIRMATION_KINDS = ("shipment", "receipt")
CUSTOMS_DIRECTIONS = ("export", "import")


def _choices(values, default=dataclasses.MISSING):
    """A dataclass field whose value must be one of ``values`` when read from JSON."""
    codes = frozenset(v[0] if isinstance(v, tuple) else v for v in values)
    return field(default=default, metadata={"choices": codes})


# --------------------------------------------------------------------------------------------
# Carrier objects
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Address:
    """A postal address with its contact."""

    name: str = ""
    company: str = ""
    street: str = ""
    street2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    country: str = ""
    phone: str = ""
    email: str = ""


@dataclass(slots=True)
class Parcel:
    """One physical package of a shipment (kilograms and centimetres)."""

    reference: str = ""
    tracking_number: str = ""
    package_type: str = ""
    weight_kg: float | None = None
    length_cm: float | None = None
    width_cm: float | None = None
    height_cm: float | None = None


@dataclass(slots=True)
class Shipment:
    """A shipment as booked with a carrier; ``reference`` is ours (picking name)."""

    reference: str
    partner_reference: str = ""
    carrier: str = ""
    service: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    status: str = _choices(STATUSES, STATUS_UNKNOWN)
    ship_from: Address | None = None
    ship_to: Address | None = None
    parcels: list[Parcel] = field(default_factory=list)
    ship_date: date | None = None
    declared_value: Decimal | None = None
    currency: str = ""
    incoterm: str = ""
    is_return: bool = False
    references: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class TrackingEvent:
    """One status event of a tracked shipment, as a carrier or aggregator reported it.

    ``status`` is canonical; ``partner_status`` / ``partner_status_text`` keep the partner's
    own code and wording for the status map and for people.
    """

    tracking_number: str
    status: str = _choices(STATUSES)
    partner_status: str = ""
    partner_status_text: str = ""
    occurred_at: datetime | None = None
    location: str = ""
    description: str = ""
    partner_event_id: str = ""
    carrier: str = ""
    signed_by: str = ""
    shipment_reference: str = ""

    @property
    def time_zone_known(self):
        """False when the partner gave a local time without zone (``occurred_at`` naive)."""
        return self.occurred_at is None or self.occurred_at.tzinfo is not None

    def dedup_key(self):
        """Return a stable key identifying this event, to store each event only once."""
        when = self.occurred_at.isoformat() if self.occurred_at else ""
        ident = self.partner_event_id or f"{self.partner_status}@{when}"
        return f"{self.carrier}|{self.tracking_number}|{ident}"


@dataclass(slots=True)
class Rate:
    """A price quoted by a carrier for a service."""

    carrier: str
    service: str
    amount: Decimal
    currency: str = ""
    partner_rate_id: str = ""
    shipment_reference: str = ""
    delivery_days: int | None = None
    estimated_delivery: date | None = None


@dataclass(slots=True)
class Label:
    """A shipping label: the document itself (``content``) or where to fetch it (``url``)."""

    tracking_number: str
    carrier: str = ""
    service: str = ""
    file_format: str = ""
    content: bytes | None = None
    url: str = ""
    partner_reference: str = ""
    shipment_reference: str = ""
    parcel_reference: str = ""


# --------------------------------------------------------------------------------------------
# Transport management
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Stop:
    """A pickup or delivery stop of a transport order, with its time window."""

    sequence: int
    kind: str = _choices(STOP_KINDS)
    address: Address | None = None
    earliest: datetime | None = None
    latest: datetime | None = None
    reference: str = ""
    instructions: str = ""


@dataclass(slots=True)
class TransportOrder:
    """A load tender to a carrier or TMS, or the carrier's answer to one (``status``)."""

    reference: str
    partner_reference: str = ""
    purpose: str = _choices(TENDER_PURPOSES, "original")
    status: str = _choices(TENDER_STATUSES, "tendered")
    decline_reason: str = ""
    carrier: str = ""
    service_level: str = ""
    mode: str = ""
    equipment: str = ""
    payment_method: str = ""
    stops: list[Stop] = field(default_factory=list)
    weight_kg: float | None = None
    volume_m3: float | None = None
    pieces: int | None = None
    estimated_cost: Decimal | None = None
    currency: str = ""
    references: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Milestone:
    """A status of a transport order (X12 214 style), with canonical ``status``."""

    reference: str
    status: str = _choices(STATUSES)
    partner_status: str = ""
    partner_status_text: str = ""
    reason_code: str = ""
    occurred_at: datetime | None = None
    location: str = ""
    stop_sequence: int | None = None
    tracking_number: str = ""
    carrier: str = ""
    latitude: float | None = None
    longitude: float | None = None
    partner_event_id: str = ""


# --------------------------------------------------------------------------------------------
# Warehouse
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class OrderLine:
    """A product line of a warehouse order."""

    product_code: str
    quantity: float
    line_number: str = ""
    description: str = ""
    uom: str = ""
    lot_number: str = ""


@dataclass(slots=True)
class WarehouseOrder:
    """An order released to a warehouse or 3PL: outbound (ship) or inbound (receive)."""

    reference: str
    kind: str = _choices(WAREHOUSE_ORDER_KINDS, "outbound")
    partner_reference: str = ""
    warehouse: str = ""
    ship_to: Address | None = None
    ship_from: Address | None = None
    carrier: str = ""
    service: str = ""
    requested_date: date | None = None
    notes: str = ""
    lines: list[OrderLine] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Lot:
    """A lot or serial number and the quantity of it."""

    lot_number: str
    quantity: float | None = None
    expiration_date: date | None = None


@dataclass(slots=True)
class ShipLine:
    """A confirmed line: what was really shipped or received, in which lots and package."""

    product_code: str
    quantity: float
    line_number: str = ""
    quantity_ordered: float | None = None
    uom: str = ""
    description: str = ""
    package_reference: str = ""
    lots: list[Lot] = field(default_factory=list)


@dataclass(slots=True)
class Package:
    """A package (LPN, SSCC) of a confirmation; its lines point to it by reference."""

    reference: str = ""
    tracking_number: str = ""
    package_type: str = ""
    weight_kg: float | None = None


@dataclass(slots=True)
class ShipConfirmation:
    """The warehouse's confirmation of an order: shipped (945) or received (944)."""

    order_reference: str
    kind: str = _choices(CONFIRMATION_KINDS, "shipment")
    partner_reference: str = ""
    warehouse: str = ""
    confirmed_at: datetime | None = None
    carrier: str = ""
    service: str = ""
    tracking_number: str = ""
    bill_of_lading: str = ""
    lines: list[ShipLine] = field(default_factory=list)
    packages: list[Package] = field(default_factory=list)


@dataclass(slots=True)
class InventoryLine:
    """Stock of one product (and lot, location, condition) in the warehouse's books."""

    product_code: str
    quantity: float
    uom: str = ""
    lot_number: str = ""
    location: str = ""
    condition: str = ""


@dataclass(slots=True)
class InventorySnapshot:
    """The warehouse's stock at a moment, to compare with Odoo quants."""

    warehouse: str = ""
    partner_reference: str = ""
    taken_at: datetime | None = None
    lines: list[InventoryLine] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Customs
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class CustomsItem:
    """A goods item of a declaration."""

    description: str = ""
    product_code: str = ""
    hs_code: str = ""
    origin_country: str = ""
    quantity: float | None = None
    uom: str = ""
    net_weight_kg: float | None = None
    value: Decimal | None = None


@dataclass(slots=True)
class CustomsDeclaration:
    """A customs declaration sent to a broker; ``mrn`` once customs assigned one."""

    reference: str
    direction: str = _choices(CUSTOMS_DIRECTIONS, "export")
    declaration_type: str = ""
    partner_reference: str = ""
    mrn: str = ""
    exporter: Address | None = None
    importer: Address | None = None
    declarant: Address | None = None
    origin_country: str = ""
    destination_country: str = ""
    incoterm: str = ""
    currency: str = ""
    total_value: Decimal | None = None
    gross_weight_kg: float | None = None
    shipment_reference: str = ""
    tracking_number: str = ""
    items: list[CustomsItem] = field(default_factory=list)


@dataclass(slots=True)
class Duty:
    """A duty or tax assessed by customs (``code`` such as A00 duty, B00 VAT)."""

    code: str
    amount: Decimal
    description: str = ""
    base: Decimal | None = None
    rate: Decimal | None = None
    currency: str = ""


@dataclass(slots=True)
class ClearanceStatus:
    """Where a declaration stands at customs, with the duties assessed so far."""

    declaration_reference: str
    status: str = _choices(CLEARANCE_STATUSES)
    mrn: str = ""
    partner_status: str = ""
    partner_status_text: str = ""
    occurred_at: datetime | None = None
    currency: str = ""
    duties: list[Duty] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Freight billing
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Charge:
    """One charge of a freight invoice; ``code`` is the accessorial / special-charge code."""

    code: str
    amount: Decimal
    description: str = ""
    quantity: float | None = None
    rate: Decimal | None = None


@dataclass(slots=True)
class FreightInvoice:
    """A carrier's invoice for transport, to match against shipments and estimates."""

    invoice_number: str
    invoice_date: date | None = None
    due_date: date | None = None
    carrier: str = ""
    shipment_reference: str = ""
    tracking_number: str = ""
    payment_method: str = ""
    currency: str = ""
    total: Decimal | None = None
    weight_kg: float | None = None
    bill_to: Address | None = None
    ship_from: Address | None = None
    ship_to: Address | None = None
    charges: list[Charge] = field(default_factory=list)

    def charges_total(self):
        """Return the sum of the charge amounts (to compare with ``total``)."""
        return sum((charge.amount for charge in self.charges), Decimal(0))


#: Every canonical class by name: the ``"type"`` values :func:`from_jsonable` accepts.
CANONICAL_TYPES = {
    cls.__name__: cls
    for cls in (
        Address,
        Parcel,
        Shipment,
        TrackingEvent,
        Rate,
        Label,
        Stop,
        TransportOrder,
        Milestone,
        OrderLine,
        WarehouseOrder,
        Lot,
        ShipLine,
        Package,
        ShipConfirmation,
        InventoryLine,
        InventorySnapshot,
        CustomsItem,
        CustomsDeclaration,
        Duty,
        ClearanceStatus,
        Charge,
        FreightInvoice,
    )
}
_CANONICAL_CLASSES = frozenset(CANONICAL_TYPES.values())

# Bounds that keep hostile input from building absurd numbers: 64-bit integers, amounts below
# 10**24 (no freight invoice comes near; Odoo stores them as 64-bit floats anyway).
_INT_LIMIT = 2**63
_INT_MAX_DIGITS = 19
_AMOUNT_MAX_ADJUSTED_EXPONENT = 23


# --------------------------------------------------------------------------------------------
# To JSON
# --------------------------------------------------------------------------------------------


def to_jsonable(obj):
    """Return a canonical object, or a list of them, as JSON-ready dicts.

    Each object becomes a dict with a ``"type"`` key (its class name) and every field; nested
    objects too. Datetimes become ISO 8601 (with their offset when aware), dates ISO 8601,
    Decimals strings, bytes base64. Raises ``TypeError`` for anything not canonical and
    ``ValueError`` for a NaN or infinite number.
    """
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(item) for item in obj]
    if type(obj) not in _CANONICAL_CLASSES:
        raise TypeError(f"not a canonical object: {obj!r}")
    return _encode(obj)


def _encode(value):
    if dataclasses.is_dataclass(value):
        encoded = {"type": type(value).__name__}
        for item in dataclasses.fields(value):
            encoded[item.name] = _encode(getattr(value, item.name))
        return encoded
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _encode(item) for key, item in value.items()}
    return _encode_scalar(value)


def _encode_scalar(value):
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot encode non-finite number {value!r}")
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"cannot encode non-finite amount {value!r}")
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot encode {type(value).__name__} value {value!r}")


# --------------------------------------------------------------------------------------------
# From JSON
# --------------------------------------------------------------------------------------------


def from_jsonable(data):
    """Return the canonical object (or list) that :func:`to_jsonable` turned into ``data``.

    Strict: the top-level ``"type"`` must name a canonical class, unknown fields and missing
    required ones are refused, every value must have its field's type (Decimals may be given
    as strings or numbers). Raises :class:`ParseError` whose ``field`` is the JSON path of
    the bad value, such as ``[3].occurred_at``.
    """
    if isinstance(data, list):
        return [_decode_object(item, f"[{index}]", None) for index, item in enumerate(data)]
    return _decode_object(data, "", None)


def _join(path, name):
    return f"{path}.{name}" if path else name


def _error(path, message):
    return ParseError(message, field=path or None)


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _decode_object(data, path, expected):
    if not isinstance(data, dict):
        raise _error(path, f"expected an object, got {_kind(data)}")
    cls = _object_class(data, path, expected)
    fields = dataclasses.fields(cls)
    names = {item.name for item in fields}
    unknown = sorted(key for key in data if key not in names and key != "type")
    if unknown:
        raise _error(_join(path, unknown[0]), f"unknown field for {cls.__name__}")
    values = {}
    for item in fields:
        item_path = _join(path, item.name)
        if item.name in data:
            values[item.name] = _decode_field(item, data[item.name], item_path)
        elif _is_required(item):
            raise _error(item_path, f"required field missing in {cls.__name__}")
    return cls(**values)


def _object_class(data, path, expected):
    type_name = data.get("type")
    if expected is not None:
        if type_name is not None and type_name != expected.__name__:
            raise _error(
                _join(path, "type"), f"expected type {expected.__name__!r}, got {type_name!r}"
            )
        return expected
    if type_name is None:
        raise _error(_join(path, "type"), "missing 'type' naming the canonical class")
    if not isinstance(type_name, str) or type_name not in CANONICAL_TYPES:
        known = ", ".join(sorted(CANONICAL_TYPES))
        raise _error(_join(path, "type"), f"unknown type {type_name!r}; known types: {known}")
    return CANONICAL_TYPES[type_name]


def _is_required(item):
    return item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING


def _decode_field(item, value, path):
    decoded = _decode_value(value, item.type, path)
    choices = item.metadata.get("choices")
    if choices is not None and decoded not in choices:
        known = ", ".join(sorted(choices))
        raise _error(path, f"invalid value {decoded!r}; expected one of: {known}")
    return decoded


def _decode_value(value, annotation, path):
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (annotation,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _decode_value(value, annotation, path)
    if origin is list:
        return _decode_list(value, typing.get_args(annotation)[0], path)
    if origin is dict:
        return _decode_dict(value, typing.get_args(annotation)[1], path)
    if dataclasses.is_dataclass(annotation):
        return _decode_object(value, path, annotation)
    return _SCALAR_DECODERS[annotation](value, path)


def _decode_list(value, item_type, path):
    if not isinstance(value, list):
        raise _error(path, f"expected an array, got {_kind(value)}")
    return [_decode_value(item, item_type, f"{path}[{index}]") for index, item in enumerate(value)]


def _decode_dict(value, item_type, path):
    if not isinstance(value, dict):
        raise _error(path, f"expected an object, got {_kind(value)}")
    return {
        _decode_str(key, path): _decode_value(item, item_type, _join(path, key))
        for key, item in value.items()
    }


def _decode_str(value, path):
    if not isinstance(value, str):
        raise _error(path, f"expected a string, got {_kind(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _error(path, "invalid text: unpaired surrogate") from None
    return value


def _decode_bool(value, path):
    if not isinstance(value, bool):
        raise _error(path, f"expected true or false, got {_kind(value)}")
    return value


def _decode_int(value, path):
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise _error(path, f"expected an integer, got {_kind(value)}")
    if isinstance(value, Decimal):
        if (
            not value.is_finite()
            or value.adjusted() > _INT_MAX_DIGITS
            or value != value.to_integral_value()
        ):
            raise _error(path, f"expected an integer, got {value}")
        value = int(value)
    if not -_INT_LIMIT <= value < _INT_LIMIT:
        raise _error(path, f"integer out of range: {value}")
    return value


def _decode_float(value, path):
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise _error(path, f"expected a number, got {_kind(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = float("inf")
    if not math.isfinite(number):
        raise _error(path, f"number out of range: {value}")
    return number


def _decode_decimal(value, path):
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise _error(path, f"expected an amount (string or number), got {_kind(value)}")
    try:
        amount = Decimal(repr(value) if isinstance(value, float) else value)
    except (InvalidOperation, ValueError):
        raise _error(path, f"invalid amount {value!r}") from None
    if not amount.is_finite():
        raise _error(path, f"invalid amount {value!r}")
    if amount and amount.adjusted() > _AMOUNT_MAX_ADJUSTED_EXPONENT:
        raise _error(path, f"amount out of range: {value}")
    return amount


def _decode_datetime(value, path):
    text = _decode_str(value, path)
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise _error(path, f"invalid datetime {value!r}") from None


def _decode_date(value, path):
    text = _decode_str(value, path)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _error(path, f"invalid date {value!r}") from None


def _decode_bytes(value, path):
    text = _decode_str(value, path)
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise _error(path, "invalid base64 content") from None


_SCALAR_DECODERS = {
    str: _decode_str,
    bool: _decode_bool,
    int: _decode_int,
    float: _decode_float,
    Decimal: _decode_decimal,
    datetime: _decode_datetime,
    date: _decode_date,
    bytes: _decode_bytes,
}
