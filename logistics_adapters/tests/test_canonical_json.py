"""The canonical-json codec: round trips, errors with positions, and fuzzing."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import ParseError

from . import strategies
from .helpers import NOT_JSON

CODEC = registry.get("canonical-json")


def _dump(objects):
    return json.dumps(c.to_jsonable(objects)).encode("utf-8")


def test_parse_one_object_gives_a_list_of_one():
    event = c.TrackingEvent("1Z", "delivered", signed_by="J. SMITH")
    assert CODEC.parse(_dump(event)) == [event]


def test_render_then_parse_gives_the_same_objects():
    objects = [c.TrackingEvent("1Z", "picked_up"), c.Rate("UPS", "Ground", c.Decimal("9.95"))]
    data = CODEC.render(objects)
    assert data.startswith(b"[\n  {")
    assert CODEC.parse(data) == objects


def test_parse_accepts_a_byte_order_mark_and_str():
    event = c.TrackingEvent("1Z", "delivered")
    assert CODEC.parse(b"\xef\xbb\xbf" + _dump(event)) == [event]
    assert CODEC.parse(_dump(event).decode()) == [event]


def test_syntax_error_names_line_and_column():
    data = b'[\n  {"type": "TrackingEvent",\n   "tracking_number": "1Z" "status": "x"}\n]'
    with pytest.raises(ParseError) as info:
        CODEC.parse(data)
    exc = info.value
    assert (exc.format, exc.line, exc.column) == ("canonical-json", 3, 28)
    assert str(exc).startswith("canonical-json: invalid JSON: Expecting ',' delimiter")
    assert "(line 3, column 28, position 57)" in str(exc)


def test_field_error_names_the_json_path():
    good = c.to_jsonable(c.TrackingEvent("1Z", "in_transit"))
    documents = [good, good, good, {**good, "occurred_at": 12}]
    with pytest.raises(ParseError) as info:
        CODEC.parse(json.dumps(documents).encode())
    assert str(info.value) == (
        "canonical-json: field '[3].occurred_at': expected a string, got a number"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        *NOT_JSON,
        (b"42", "expected a canonical object or an array of them"),
        (b'"text"', "expected a canonical object or an array of them"),
        (b"[1]", "field '[0]': expected an object, got a number"),
        (b'{"type": "Invoice"}', "field 'type': unknown type 'Invoice'"),
        (b'{"type": "Parcel", "wieght": 1}', "field 'wieght': unknown field for Parcel"),
        (b'{"type": "Parcel", "weight_kg": NaN}', "invalid JSON: NaN is not allowed"),
        (b'{"type": "Parcel", "weight_kg": 1e999}', "number out of range"),
        (b'{"type": "Parcel", "reference": "\\ud800"}', "unpaired surrogate"),
        (b'{"type": "Parcel"}\xff', "invalid UTF-8 byte 0xff (line 1, column 19, position 18)"),
    ],
)
def test_bad_documents_are_refused_clearly(data, message):
    with pytest.raises(ParseError) as info:
        CODEC.parse(data)
    assert info.value.format == "canonical-json"
    assert message in str(info.value)


@given(st.lists(strategies.canonical_objects, max_size=4))
def test_round_trip_of_mixed_objects(objects):
    assert CODEC.parse(CODEC.render(objects)) == objects


def _accepts_or_refuses_cleanly(data):
    try:
        result = CODEC.parse(data)
    except ParseError as exc:
        assert str(exc).startswith("canonical-json: ")
        return None
    assert isinstance(result, list)
    assert all(type(obj) in c.CANONICAL_TYPES.values() for obj in result)
    return result


@given(st.binary(max_size=200))
def test_fuzz_arbitrary_bytes(data):
    _accepts_or_refuses_cleanly(data)


@st.composite
def mutated_documents(draw):
    """A valid document with a few bytes deleted, inserted or replaced."""
    document = _dump(draw(st.lists(strategies.canonical_objects, min_size=1, max_size=2)))
    return draw(strategies.mutated_bytes(document))


@given(mutated_documents())
def test_fuzz_mutated_documents(data):
    _accepts_or_refuses_cleanly(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def documents_with_a_wrong_value(draw):
    """A valid document where one field holds an arbitrary JSON value."""
    document = c.to_jsonable(draw(strategies.canonical_objects))
    name = draw(st.sampled_from(sorted(document)))
    document[name] = draw(json_values)
    return json.dumps(document).encode("utf-8")


@given(documents_with_a_wrong_value())
def test_fuzz_wrong_values(data):
    _accepts_or_refuses_cleanly(data)
