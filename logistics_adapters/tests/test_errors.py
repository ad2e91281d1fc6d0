"""Error classes: messages that say what and where, and their classification."""

import pickle

import pytest

from logistics_adapters import errors
from logistics_adapters.errors import (
    AdapterError,
    BusinessError,
    ParseError,
    SecurityError,
    TransientError,
    UnknownFormatError,
    error_kind,
)


def test_parse_error_message_names_format_field_value_and_line():
    exc = ParseError(
        "invalid date '2020-13-01'",
        format="easypost-event",
        field="result.tracking_details[2].datetime",
        line=14,
    )
    assert str(exc) == (
        "easypost-event: field 'result.tracking_details[2].datetime': "
        "invalid date '2020-13-01' (line 14)"
    )


def test_parse_error_message_with_segment_and_coordinates():
    exc = ParseError("bad date", format="x12-214", segment="AT7", line=5, column=3, position=42)
    assert str(exc) == "x12-214: segment 'AT7': bad date (line 5, column 3, position 42)"


def test_parse_error_message_with_only_a_reason():
    assert str(ParseError("empty document")) == "empty document"


def test_parse_error_keeps_its_attributes_and_survives_pickling():
    exc = ParseError("bad", format="f", field="a.b", segment="N1", line=1, column=2, position=3)
    copy = pickle.loads(pickle.dumps(exc))
    assert str(copy) == str(exc)
    assert (copy.format, copy.field, copy.segment) == ("f", "a.b", "N1")
    assert (copy.line, copy.column, copy.position) == (1, 2, 3)
    assert copy.message == "bad"


def test_with_format_fills_only_a_missing_format():
    assert ParseError("x").with_format("canonical-json").format == "canonical-json"
    assert ParseError("x", format="a").with_format("b").format == "a"


def test_transient_error_carries_retry_after_and_survives_pickling():
    exc = TransientError("429 Too Many Requests", retry_after=30)
    assert exc.retry_after == 30
    assert TransientError("timeout").retry_after is None
    copy = pickle.loads(pickle.dumps(exc))
    assert (str(copy), copy.retry_after) == ("429 Too Many Requests", 30)


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (TransientError("x"), "transient"),
        (TimeoutError("x"), "transient"),
        (ConnectionResetError("x"), "transient"),
        (BusinessError("x"), "business"),
        (ParseError("x"), "business"),
        (UnknownFormatError("x"), "business"),
        (AdapterError("x"), "business"),
        (SecurityError("x"), "security"),
        (KeyError("x"), "business"),
        (ZeroDivisionError(), "business"),
    ],
)
def test_error_kind(exc, kind):
    assert error_kind(exc) == kind
    assert kind in errors.ERROR_KINDS


def test_error_kind_constants():
    assert errors.ERROR_KIND_TRANSIENT == "transient"
    assert errors.ERROR_KIND_BUSINESS == "business"
    assert errors.ERROR_KIND_SECURITY == "security"


def test_every_adapter_error_is_an_adapter_error():
    for cls in (ParseError, TransientError, BusinessError, SecurityError, UnknownFormatError):
        assert issubclass(cls, AdapterError)
    assert issubclass(UnknownFormatError, LookupError)
