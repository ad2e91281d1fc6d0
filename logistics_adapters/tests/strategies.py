"""Hypothesis strategies building canonical objects."""

import copy
import dataclasses
import types
import typing
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import strategies as st

from logistics_adapters import canonical as c

texts = st.text(max_size=20)
codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", max_size=8)
status_codes = st.sampled_from([code for code, _label in c.STATUSES])
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
aware_datetimes = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1), timezones=offsets
)
# Partners without zone (X12, EDIFACT local times) give naive datetimes: those must survive too.
_moments = aware_datetimes | st.datetimes(min_value=datetime(1970, 1, 2))
event_times = st.none() | _moments
_days = st.dates(min_value=date(1900, 1, 1))
dates = st.none() | _days
amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False
)
_sizes = st.floats(min_value=0, max_value=1e6, allow_nan=False)
weights = st.none() | _sizes

#: The strategy for each type a canonical field may have; :func:`every_field` builds those of
#: ``X | None``, ``list[X]``, ``dict[K, V]`` and nested dataclasses from them.
TYPE_STRATEGIES = {
    str: texts,
    bool: st.booleans(),
    int: st.integers(min_value=0, max_value=10**6),
    float: _sizes,
    Decimal: amounts,
    date: _days,
    datetime: _moments,
    bytes: st.binary(max_size=64),
}
#: Fields drawn otherwise than their type says, by name in whichever class: identifiers and
#: partner codes (short codes) and code-list values. Fields with choices draw one of them.
FIELD_STRATEGIES = {
    **dict.fromkeys(
        [
            "reference",
            "tracking_number",
            "partner_status",
            "partner_event_id",
            "carrier",
            "code",
            "invoice_number",
            "zip",
        ],
        codes,
    ),
    "country": st.sampled_from(["", "US", "DE", "FR", "JP"]),
    "currency": st.sampled_from(["", "EUR", "USD"]),
}


def every_field(cls, by_type=TYPE_STRATEGIES, by_name=FIELD_STRATEGIES):
    """A strategy building the canonical dataclass ``cls`` with a value drawn for every field:
    from ``by_name`` by the field's name, else one of its choices, else from its annotation
    through ``by_type`` (a nested dataclass is built the same way; lists and dicts hold up to
    four items)."""

    def for_field(item):
        if item.name in by_name:
            return by_name[item.name]
        if "choices" in item.metadata:
            return st.sampled_from(sorted(item.metadata["choices"]))
        return for_type(item.type)

    def for_type(annotation):
        args = typing.get_args(annotation)
        origin = typing.get_origin(annotation)
        if origin is types.UnionType:  # ``X | None``
            (inner,) = [arg for arg in args if arg is not type(None)]
            return st.none() | for_type(inner)
        if origin is list:
            return st.lists(for_type(args[0]), max_size=4)
        if origin is dict:
            return st.dictionaries(for_type(args[0]), for_type(args[1]), max_size=4)
        if dataclasses.is_dataclass(annotation):
            return every_field(annotation, by_type, by_name)
        return by_type[annotation]

    return st.builds(cls, **{item.name: for_field(item) for item in dataclasses.fields(cls)})


addresses = every_field(c.Address)
parcels = every_field(c.Parcel)
tracking_events = every_field(c.TrackingEvent)
shipments = every_field(c.Shipment)
charges = every_field(c.Charge)
freight_invoices = every_field(c.FreightInvoice)
labels = every_field(c.Label)
canonical_objects = st.one_of(tracking_events, shipments, freight_invoices, labels)


@st.composite
def mutated_bytes(draw, data):
    """``data`` with a few bytes deleted, inserted or replaced, or cut short."""
    data = bytearray(data)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=len(data)))
        action = draw(st.sampled_from(["delete", "insert", "replace", "truncate"]))
        chunk = draw(st.binary(min_size=1, max_size=4) | st.sampled_from([b'"', b"{", b"]", b","]))
        if action == "delete":
            del data[position : position + len(chunk)]
        elif action == "insert":
            data[position:position] = chunk
        elif action == "replace":
            data[position : position + len(chunk)] = chunk
        else:
            del data[position:]
    return bytes(data)


def json_paths(node, path=()):
    """Every path (a tuple of keys and indexes) into a JSON document, the root ``()`` first."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from json_paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from json_paths(value, (*path, index))


@st.composite
def with_one_value_changed(draw, document, values):
    """A copy of ``document`` where one value is removed or replaced by one of ``values``
    (the root can only be replaced)."""
    document = copy.deepcopy(document)
    path = draw(st.sampled_from(list(json_paths(document))))
    if not path:
        return draw(values)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    if draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(values)
    return document


# -- hostile bodies: what a signed partner may send that a parser chokes on ---------------------

#: One body of each kind the inbound contract must store and answer 2xx or 4xx (never 5xx),
#: by name: deep nesting, huge numbers, bad UTF-8, a BOM, NUL bytes, mixed line endings,
#: empty, and XML with a document type declaration. ``sized_body`` adds bodies of a given size.
HOSTILE_BODIES = {
    "deep-array": b"[" * 2048,
    "deep-object": b'{"a":' * 2000 + b"1" + b"}" * 2000,
    "deep-closed": b"[" * 1500 + b"]" * 1500,
    "deep-in-value": b'{"id": "evt_1", "result": ' + b"[" * 3000 + b"]" * 3000 + b"}",
    "huge-integer": b'{"amount": ' + b"9" * 5000 + b"}",
    "huge-exponent": b'{"amount": 1e999999, "weight": -1e-999999}',
    "huge-float": b'{"amount": ' + b"1" * 4000 + b"." + b"1" * 4000 + b"}",
    "invalid-utf8": b'{"note": "caf\xe9 \xff\xfe"}',
    "overlong-utf8": b'{"note": "\xc0\xaf"}',
    "lone-surrogate": b'{"id": "\\ud800", "note": "\\udfff"}',
    "bom-json": b'\xef\xbb\xbf{"id": "evt_bom"}',
    "bom-only": b"\xef\xbb\xbf",
    "utf16-json": '{"id": "evt_utf16"}'.encode("utf-16"),
    "nul-bytes": b'{"id": "evt\x00", "note": "a\x00b"}',
    "nul-escaped": b'{"id": "evt\\u0000", "tracking_code": "1Z\\u0000"}',
    "nul-only": b"\x00" * 64,
    "mixed-line-endings": b'{\r\n"id": "evt_crlf",\r"note": "a\rb\nc\r\nd"\n}\r\n',
    "empty": b"",
    "whitespace": b" \r\n\t ",
    "xml-doctype": b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>',
    "xml-bomb": b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><r>&c;&c;&c;</r>',
    "xml-deep": b"<r>" * 600 + b"</r>" * 600,
    "xml-parameter-entity": b'<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">%p;]><r/>',
}


def sized_body(size, opening=b'{"pad": "', closing=b'"}'):
    """A valid JSON body of exactly ``size`` bytes (at least 11), padded with ``x``."""
    return opening + b"x" * (size - len(opening) - len(closing)) + closing


@st.composite
def hostile_bodies(draw, max_size=2048):
    """A hostile body of at most ``max_size`` bytes: one of :data:`HOSTILE_BODIES`, a nested
    prefix of any depth, a number of any length, or bytes mixing BOMs, NULs and line ends."""
    kind = draw(st.sampled_from(["named", "nested", "number", "mixed"]))
    if kind == "named":
        body = draw(st.sampled_from(sorted(HOSTILE_BODIES.values())))
    elif kind == "nested":
        opener = draw(st.sampled_from([b"[", b'{"a":', b'[{"b":', b"<r>"]))
        depth = draw(st.integers(min_value=200, max_value=max_size))
        closed = draw(st.booleans())
        closer = {b"[": b"]", b'{"a":': b"}", b'[{"b":': b"}]", b"<r>": b"</r>"}[opener]
        body = opener * depth + ((b"0" if opener != b"<r>" else b"") + closer * depth) * closed
    elif kind == "number":
        digits = draw(st.integers(min_value=1, max_value=max_size))
        body = draw(st.sampled_from([b"", b"-", b"0.", b"1e"])) + b"7" * digits
    else:
        parts = st.sampled_from(
            [
                b"\xef\xbb\xbf",
                b"\x00",
                b"\r\n",
                b"\r",
                b"\n",
                b"{",
                b"}",
                b'"',
                b"\\u0000",
                b"\xff",
                b"\xc3",
                b"<",
                b"!DOCTYPE",
                b"[",
                b"1e999",
            ]
        )
        body = b"".join(draw(st.lists(parts | st.binary(max_size=8), max_size=40)))
    return body[:max_size]


# -- freight invoices as X12 210 and 110 write them (amounts in cents, codes of element 150)

x12_names = (
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ ,.", min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
x12_cents = st.integers(-(10**9), 10**9).map(lambda n: Decimal(n).scaleb(-2))
x12_rates = st.none() | st.decimals(-1000, 1000, places=3, allow_nan=False, allow_infinity=False)
x12_days = st.none() | st.dates(date(2000, 1, 1), date(2099, 12, 31))
x12_weights = st.none() | st.floats(0, 1e6, allow_nan=False).map(lambda value: round(value, 3))


def x12_addresses(street, city, zip_code, countries):
    """None, or an address of a drawn company with these (or empty) street, city, ZIP and
    country."""
    return st.none() | st.builds(
        c.Address,
        company=x12_names,
        street=st.sampled_from(["", street]),
        city=st.sampled_from(["", city]),
        zip=st.sampled_from(["", zip_code]),
        country=st.sampled_from(["", *countries]),
    )


@st.composite
def x12_charges(draw, codes, labels, rate_qualifiers):
    """A charge of one of ``codes`` ("" for none), in cents, with a rate or not."""
    code = draw(st.sampled_from(codes))
    rate = draw(x12_rates)
    return c.Charge(
        code,
        draw(x12_cents),
        draw(st.sampled_from(labels)),
        rate=rate,
        code_list=c.CODE_LIST_X12_150 if code else "",
        rate_qualifier=draw(st.sampled_from(rate_qualifiers)) if rate is not None else "",
    )
