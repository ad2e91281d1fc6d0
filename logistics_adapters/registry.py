"""The codec registry: one codec per partner format, found by name.

A codec is a small class with a ``name`` (``"canonical-json"``, ``"x12-214"``...), a one-line
``description``, the ``media_type`` of its payloads, a ``parse(data: bytes) -> list`` returning
canonical objects and, when the format can be produced, ``render(objects) -> bytes``. Codecs
register themselves with the :func:`register` class decorator in a module of
``logistics_adapters.codecs``, which that package's ``__init__`` imports.
"""

import importlib

from .errors import UnknownFormatError

_CODECS = {}
_BUILTINS_LOADED = False


class Codec:
    """Base class for codecs: override ``parse`` and, when the format can be written, ``render``.

    ``parse`` raises :class:`~logistics_adapters.errors.ParseError` on bad input and nothing
    else; codecs are stateless, so an instance can be shared.
    """

    name = ""
    description = ""
    media_type = "application/octet-stream"

    def parse(self, data):
        """Return the canonical objects read from ``data`` (bytes)."""
        raise NotImplementedError(f"codec {self.name!r} does not parse")

    def render(self, objects):
        """Return ``objects`` (canonical objects) written in this format, as bytes."""
        raise NotImplementedError(f"codec {self.name!r} does not render")

    @classmethod
    def can_render(cls):
        """Tell whether this codec overrides :meth:`render`."""
        return cls.render is not Codec.render


def register(codec_cls):
    """Register ``codec_cls`` under its ``name``; returns it, so it works as a decorator.

    Registering the same class twice is harmless (module reloads); another class under a name
    already taken raises ``ValueError``; a class without name or ``parse`` raises ``TypeError``.
    """
    name = getattr(codec_cls, "name", None)
    if not isinstance(name, str) or not name:
        raise TypeError(f"codec {codec_cls!r} has no name")
    if not callable(getattr(codec_cls, "parse", None)):
        raise TypeError(f"codec {name!r} has no parse method")
    existing = _CODECS.get(name)
    if existing is not None and _qualname(existing) != _qualname(codec_cls):
        raise ValueError(f"codec name {name!r} already used by {_qualname(existing)}")
    _CODECS[name] = codec_cls
    return codec_cls


def unregister(name):
    """Remove the codec registered under ``name`` (for tests); unknown names are ignored."""
    _CODECS.pop(name, None)


def get(name):
    """Return an instance of the codec registered under ``name``.

    Raises :class:`~logistics_adapters.errors.UnknownFormatError` (a ``LookupError``) naming
    the known formats when there is none.
    """
    _load_builtins()
    try:
        codec_cls = _CODECS[name]
    except (KeyError, TypeError):
        known = ", ".join(available()) or "none"
        raise UnknownFormatError(f"unknown format {name!r}; known formats: {known}") from None
    return codec_cls()


def available():
    """Return the names of the registered codecs, sorted."""
    _load_builtins()
    return sorted(_CODECS)


def _qualname(codec_cls):
    return f"{codec_cls.__module__}.{codec_cls.__qualname__}"


def _load_builtins():
    global _BUILTINS_LOADED
    if not _BUILTINS_LOADED:
        _BUILTINS_LOADED = True
        importlib.import_module("logistics_adapters.codecs")
