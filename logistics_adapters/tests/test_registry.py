"""The codec registry."""

import hashlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import AdapterError, ParseError, UnknownFormatError
from logistics_adapters.formats.canonical_json import CanonicalJsonCodec

from .strategies import HOSTILE_BODIES, hostile_bodies


@pytest.fixture
def scratch_codec():
    """Register a throw-away codec and remove it afterwards."""

    @registry.register
    class ScratchCodec(registry.Codec):
        name = "test-scratch"
        description = "scratch"

        def parse(self, data):
            return [data]

    yield ScratchCodec
    registry.unregister("test-scratch")


def test_builtin_canonical_json_is_registered():
    assert "canonical-json" in registry.available()
    codec = registry.get("canonical-json")
    assert isinstance(codec, CanonicalJsonCodec)
    assert codec.media_type == "application/json"
    assert codec.description


def test_available_is_sorted(scratch_codec):
    names = registry.available()
    assert names == sorted(names)
    assert "test-scratch" in names


def test_register_works_as_decorator_and_get_returns_an_instance(scratch_codec):
    codec = registry.get("test-scratch")
    assert isinstance(codec, scratch_codec)
    assert codec.parse(b"x") == [b"x"]
    assert not scratch_codec.can_render()
    assert CanonicalJsonCodec.can_render()


def test_unknown_name_lists_known_formats():
    with pytest.raises(UnknownFormatError) as info:
        registry.get("x12-999")
    assert "unknown format 'x12-999'" in str(info.value)
    assert "canonical-json" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_registering_the_same_class_again_is_harmless(scratch_codec):
    assert registry.register(scratch_codec) is scratch_codec
    assert isinstance(registry.get("test-scratch"), scratch_codec)


def test_another_class_cannot_take_a_used_name(scratch_codec):
    class Impostor(registry.Codec):
        name = "test-scratch"

        def parse(self, data):
            return []

    with pytest.raises(ValueError, match="already used"):
        registry.register(Impostor)
    assert isinstance(registry.get("test-scratch"), scratch_codec)


def test_a_class_declaring_its_name_registers_itself_with_its_docstring_as_description():
    class DeclaredCodec(registry.Codec, name="test-declared", media_type="text/csv"):
        """Scratch CSV rows: one object per row.

        The rest of the docstring is not the description.
        """

        def parse(self, data):
            return data.splitlines()

    try:
        codec = registry.get("test-declared")
        assert isinstance(codec, DeclaredCodec)
        assert (codec.name, codec.media_type) == ("test-declared", "text/csv")
        assert codec.description == "Scratch CSV rows: one object per row"
        assert codec.parse(b"a\nb") == [b"a", b"b"]
    finally:
        registry.unregister("test-declared")


def test_a_class_declaring_an_unknown_attribute_is_refused():
    with pytest.raises(TypeError, match="no attribute 'colour'"):

        class _Colourful(registry.Codec, name="test-colourful", colour="red"):
            def parse(self, data):
                return []

    assert "test-colourful" not in registry.available()


@pytest.mark.parametrize("name", ["", None, 42])
def test_codec_without_a_name_is_refused(name):
    codec_cls = type("Nameless", (registry.Codec,), {"name": name})
    with pytest.raises(TypeError, match="no name"):
        registry.register(codec_cls)


def test_codec_without_parse_is_refused():
    codec_cls = type("NoParse", (), {"name": "test-no-parse"})
    with pytest.raises(TypeError, match="no parse"):
        registry.register(codec_cls)
    assert "test-no-parse" not in registry.available()


def test_base_codec_refuses_to_parse_or_render():
    with pytest.raises(NotImplementedError):
        registry.Codec().parse(b"")
    with pytest.raises(NotImplementedError):
        registry.Codec().render([])


# -- whatever a payload holds, a codec raises ParseError (the store path relies on it) -------


def _parse_or_parse_error(call, body):
    """``call(body)``; an AdapterError is the codec's answer, anything else fails the test."""
    try:
        return call(body)
    except AdapterError as exc:
        assert str(exc)  # says what is wrong
        return None


@pytest.mark.parametrize("name", sorted(HOSTILE_BODIES))
def test_every_codec_reads_or_refuses_each_hostile_body(name):
    body = HOSTILE_BODIES[name]
    for fmt in registry.available():
        codec = registry.get(fmt)
        _parse_or_parse_error(codec.parse, body)
        identity = _parse_or_parse_error(codec.identify, body)
        if identity is not None:
            assert registry.bounded_key(identity.message_id) == identity.message_id
            assert all(registry.storable_text(ref) for ref in identity.references)


@settings(max_examples=60)
@given(body=hostile_bodies(max_size=4096), fmt=st.sampled_from(sorted(registry.available())))
def test_no_codec_raises_anything_but_a_parse_error(body, fmt):
    codec = registry.get(fmt)
    _parse_or_parse_error(codec.parse, body)
    _parse_or_parse_error(codec.identify, body)


def test_every_registered_codec_is_guarded():
    for fmt in registry.available():
        codec_cls = type(registry.get(fmt))
        assert getattr(codec_cls.parse, "_guarded", False), fmt
        assert getattr(codec_cls.identify, "_guarded", False), fmt


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply to be read"),
        (ValueError("Exceeds the limit (4300 digits)"), "unreadable document (ValueError"),
        (KeyError("id"), "unreadable document (KeyError"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "UnicodeDecodeError"),
    ],
)
def test_a_codec_failing_on_a_payload_raises_a_parse_error(error, message):
    class Failing(registry.Codec):
        name = "test-failing"

        def parse(self, data):
            raise error

    with pytest.raises(ParseError, match=re.escape(message)) as info:
        Failing().parse(b"{}")
    assert info.value.format == "test-failing"
    with pytest.raises(ParseError, match=re.escape(message)):
        Failing().identify(b"{}")  # the default identify parses


def test_json_nested_too_deep_for_the_stack_is_a_parse_error_in_every_json_codec():
    # json.loads recursing past the interpreter's limit (the Odoo route's stack is deep):
    # refused before parsing, the same way on every entry point.
    body = b'{"id": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    for fmt in ("canonical-json", "easypost-event", "ups-track", "aftership-webhook"):
        with pytest.raises(ParseError, match=re.escape("nested too deeply (over 256 levels)")):
            registry.get(fmt).parse(body)


@pytest.mark.parametrize(
    ("message_id", "key"),
    [
        ("evt_1", "evt_1"),
        ("e" * 200, "e" * 200),
        ("e" * 201, "sha256:" + hashlib.sha256(b"e" * 201).hexdigest()),
        ("evt\x00", "sha256:" + hashlib.sha256(b"evt\x00").hexdigest()),
        (
            "evt\ud800",
            "sha256:" + hashlib.sha256("evt\ud800".encode("utf-8", "surrogatepass")).hexdigest(),
        ),
    ],
)
def test_identify_gives_a_message_id_a_unique_index_can_hold(message_id, key):
    class Keyed(registry.Codec):
        name = "test-keyed"

        def parse(self, data):
            return []

        def identify(self, data):
            return registry.Identity(("1Z1",), message_id)

    assert Keyed().identify(b"{}") == registry.Identity(("1Z1",), key)


def test_identify_refuses_a_reference_a_column_cannot_hold():
    class BadReference(registry.Codec):
        name = "test-bad-reference"

        def parse(self, data):
            return [c.TrackingEvent("1Z\x00", c.STATUS_IN_TRANSIT)]

    with pytest.raises(ParseError, match="reference '1Z\\\\x00' is not storable text"):
        BadReference().identify(b"{}")


RACE = """
import threading
import sys
from logistics_adapters.transport.signatures import get_scheme
from logistics_adapters import registry
assert "logistics_adapters.partners" not in sys.modules
barrier = threading.Barrier(16)
failures = []
def first_request(index):
    barrier.wait()
    try:
        if index % 2:
            get_scheme("easypost-hmac")
        else:
            registry.get("ups-track")
    except Exception as exc:
        failures.append(repr(exc))
threads = [threading.Thread(target=first_request, args=(i,)) for i in range(16)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(failures)
"""


def test_first_lookups_from_many_threads_at_once_all_find_the_partners():
    """A gateway's first requests arrive together, each in a thread: every one must see
    every partner, none a half-loaded registry."""
    import subprocess
    import sys

    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", RACE], capture_output=True, text=True, timeout=60, check=True
        )
        assert done.stdout.strip() == "[]", done.stdout + done.stderr
