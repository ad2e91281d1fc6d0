"""Hypothesis strategies building canonical objects."""

import copy
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
event_times = st.none() | aware_datetimes | st.datetimes(min_value=datetime(1970, 1, 2))
dates = st.none() | st.dates(min_value=date(1900, 1, 1))
amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False
)
weights = st.none() | st.floats(min_value=0, max_value=1e6, allow_nan=False)

addresses = st.builds(
    c.Address,
    name=texts,
    street=texts,
    city=texts,
    zip=codes,
    country=st.sampled_from(["", "US", "DE", "FR", "JP"]),
)
parcels = st.builds(
    c.Parcel,
    reference=codes,
    tracking_number=codes,
    weight_kg=weights,
    length_cm=weights,
)
tracking_events = st.builds(
    c.TrackingEvent,
    tracking_number=codes,
    status=status_codes,
    partner_status=codes,
    partner_status_text=texts,
    occurred_at=event_times,
    location=texts,
    description=texts,
    partner_event_id=codes,
    carrier=codes,
    signed_by=texts,
)
shipments = st.builds(
    c.Shipment,
    reference=codes,
    carrier=codes,
    tracking_number=codes,
    status=status_codes,
    ship_from=st.none() | addresses,
    ship_to=st.none() | addresses,
    parcels=st.lists(parcels, max_size=3),
    ship_date=dates,
    declared_value=st.none() | amounts,
    currency=st.sampled_from(["", "EUR", "USD"]),
    is_return=st.booleans(),
    references=st.dictionaries(codes, texts, max_size=3),
)
charges = st.builds(
    c.Charge,
    code=codes,
    amount=amounts,
    description=texts,
    quantity=weights,
    rate=st.none() | amounts,
)
freight_invoices = st.builds(
    c.FreightInvoice,
    invoice_number=codes,
    invoice_date=dates,
    due_date=dates,
    carrier=codes,
    currency=st.sampled_from(["", "EUR", "USD"]),
    total=st.none() | amounts,
    bill_to=st.none() | addresses,
    charges=st.lists(charges, max_size=4),
)
labels = st.builds(
    c.Label, tracking_number=codes, content=st.none() | st.binary(max_size=64), url=texts
)
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
