"""The codec registry."""

import pytest

from logistics_adapters import registry
from logistics_adapters.errors import UnknownFormatError
from logistics_adapters.formats.canonical_json import CanonicalJsonCodec


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
