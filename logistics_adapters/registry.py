"""The codec registry: one codec per partner format, found by name.

A codec is a small class with a ``name`` (``"canonical-json"``, ``"x12-214"``...), a one-line
``description``, the ``media_type`` of its payloads, a ``parse(data: bytes) -> list`` returning
canonical objects and, when the format can be produced, ``render(objects) -> bytes``. A codec
declares itself in its class line (``class UpsTrackCodec(TrackingCodec, name="ups-track")``,
see :meth:`Codec.__init_subclass__`) and is registered when its module is imported:
standards in ``logistics_adapters.formats``, partner formats in their partner's package under
``logistics_adapters.partners``; the registry imports both packages on first use.

A codec also describes its partner: ``partner`` (its code), ``statuses`` (the partner's status
table, shared by all its codecs), :meth:`Codec.status_candidates` and :meth:`Codec.status_for`
(the one rule turning a partner status into a canonical one), :meth:`Codec.identify` (the
references and message id of a document) and :meth:`Codec.poll_request` (the request whose
answer is this document, for polled formats).

Whatever a payload holds, ``parse`` and ``identify`` of every codec raise nothing but
:class:`~logistics_adapters.errors.AdapterError` (a ``ParseError`` for anything unexpected: a
``RecursionError``, a ``ValueError`` of a library...), and ``identify`` gives only text a
database can store: every entry point stores what it cannot identify under the payload's hash
instead of failing (see :meth:`Codec.__init_subclass__`).
"""

import functools
import hashlib
import importlib
import inspect
from dataclasses import dataclass
from typing import NamedTuple

from .canonical import STATUS_UNKNOWN, TrackingEvent
from .errors import AdapterError, ParseError, UnknownFormatError

PARTNER_REF_LENGTH = 200
#: The longest idempotency key stored as given; a longer one is stored as its SHA-256
#: (``sha256:<hex>``), by :func:`bounded_key`, the same way on every entry point.
MAX_KEY_LENGTH = 200


class StatusEntry(NamedTuple):
    """One row of a partner's status table: the canonical ``status`` and the partner's
    ``label`` (its own wording, ``""`` when not known)."""

    status: str
    label: str = ""


@dataclass(frozen=True)
class Identity:
    """What identifies a document without reading it whole: its references (tracking numbers,
    sorted and distinct) and the partner's own unique id of this message, when it has one."""

    references: tuple[str, ...] = ()
    message_id: str = ""

    @property
    def partner_ref(self):
        """The references as one text for ``logistics.message.partner_ref`` (200 characters)."""
        return ", ".join(self.references)[:PARTNER_REF_LENGTH]


class PollRequest(NamedTuple):
    """The request to send for a polled document: ``OutboundClient.request(method, path,
    **options)``, ``options`` holding ``params`` or ``json``."""

    method: str
    path: str
    options: dict


def bounded_key(value):
    """``value`` as an idempotency key: itself when it is storable text (:func:`storable_text`)
    of at most :data:`MAX_KEY_LENGTH` characters, else ``sha256:<hex>`` of it (a unique index
    cannot hold an arbitrarily long key, nor a column a NUL)."""
    if len(value) <= MAX_KEY_LENGTH and storable_text(value):
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def storable_text(value):
    """Tell whether ``value`` is text a database column can hold: a ``str`` without NUL
    and without unpaired surrogates."""
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def status_candidates(partner_status):
    """The default lookup keys of a partner status, most specific first.

    The exact code, then the part after ``/``, then the part before (``I/OT`` -> ``I/OT``,
    ``OT``, ``I``), without repeats.
    """
    code = partner_status or ""
    before, slash, after = code.partition("/")
    return tuple(dict.fromkeys((code, after, before) if slash else (code,)))


def lookup_status(statuses, candidates):
    """The canonical status of the first of ``candidates`` in ``statuses``, else unknown."""
    for key in candidates:
        entry = statuses.get(key)
        if entry is not None:
            return entry.status
    return STATUS_UNKNOWN


def references_of(objects):
    """The sorted distinct references of canonical objects: tracking numbers of tracking
    events, ``partner_reference`` of the other objects that have one."""
    found = set()
    for obj in objects:
        if isinstance(obj, TrackingEvent):
            found.add(obj.tracking_number)
        else:
            found.add(getattr(obj, "partner_reference", ""))
    found.discard("")
    return tuple(sorted(found))


def _guarded(method, *, identify):
    """``method`` raising ParseError for anything but an AdapterError; for ``identify``, the
    result made storable (:func:`_storable_identity`)."""

    @functools.wraps(method)
    def guarded(self, data, *args, **kwargs):
        try:
            result = method(self, data, *args, **kwargs)
        except AdapterError:
            raise
        except RecursionError:
            raise ParseError(
                "the document is nested too deeply to be read", format=self.name
            ) from None
        except Exception as exc:
            raise ParseError(
                f"unreadable document ({type(exc).__name__}: {exc})"[:500], format=self.name
            ) from exc
        return _storable_identity(self, result) if identify else result

    guarded._guarded = True
    return guarded


def _storable_identity(codec, identity):
    """The identity with its message id as a key (:func:`bounded_key`); ParseError when a
    reference is not storable text."""
    for reference in identity.references:
        if not storable_text(reference):
            raise ParseError(f"reference {reference!r} is not storable text", format=codec.name)
    if not isinstance(identity.message_id, str):
        raise ParseError(f"message id {identity.message_id!r} is not text", format=codec.name)
    return Identity(identity.references, bounded_key(identity.message_id))


def _guard_parse(method):
    return _guarded(method, identify=False)


def _guard_identify(method):
    return _guarded(method, identify=True)


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
    #: The partner code (``"ups"``); ``""`` for a partner-free format.
    partner = ""
    #: The partner's status table: partner code -> :class:`StatusEntry`.
    statuses = {}

    def __init_subclass__(cls, name=None, **declared):
        """Declare, guard and register a codec class.

        Class keywords set the codec's attributes (``class Ups(Codec, name="ups-track",
        partner="ups")``); a class that declares a ``name`` is registered under it, with the
        first paragraph of its docstring as ``description`` unless it sets one. The ``parse``
        and ``identify`` a class defines are guarded (see the module doc): an entry point calls
        them on whatever a partner sent, and must never fail on it.
        """
        super().__init_subclass__()
        for key, value in declared.items():
            if not hasattr(cls, key):
                raise TypeError(f"codec {cls.__qualname__}: no attribute {key!r} to declare")
            setattr(cls, key, value)
        for method_name, guard in (("parse", _guard_parse), ("identify", _guard_identify)):
            method = cls.__dict__.get(method_name)
            if callable(method) and not getattr(method, "_guarded", False):
                setattr(cls, method_name, guard(method))
        if name:
            cls.name = name
            if "description" not in declared:
                summary = inspect.cleandoc(cls.__doc__ or "").split("\n\n")[0]
                cls.description = " ".join(summary.split()).rstrip(".")
            register(cls)

    def status_candidates(self, partner_status):
        """The keys of ``statuses`` to try for ``partner_status``, most specific first."""
        return status_candidates(partner_status)

    def status_for(self, partner_status):
        """The canonical status of ``partner_status``: its first candidate in ``statuses``."""
        return lookup_status(self.statuses, self.status_candidates(partner_status))

    @_guard_identify
    def identify(self, data):
        """Return the :class:`Identity` of ``data``; ParseError on bad input, as ``parse``.

        By default: the references of the parsed objects, no message id.
        """
        return Identity(references_of(self.parse(data)))

    def poll_request(self, tracking_number):
        """The :class:`PollRequest` whose answer is this format for ``tracking_number``, or
        None when this format does not answer a poll."""
        return None

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

    @classmethod
    def can_poll(cls):
        """Tell whether this format answers a poll (overrides :meth:`poll_request`)."""
        return cls.poll_request is not Codec.poll_request


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
    load_partners()
    try:
        codec_cls = _CODECS[name]
    except (KeyError, TypeError):
        known = ", ".join(available()) or "none"
        raise UnknownFormatError(f"unknown format {name!r}; known formats: {known}") from None
    return codec_cls()


def available():
    """Return the names of the registered codecs, sorted."""
    load_partners()
    return sorted(_CODECS)


def _qualname(codec_cls):
    return f"{codec_cls.__module__}.{codec_cls.__qualname__}"


def load_partners():
    """Import every format and partner package, which register their codecs, signature
    schemes, sandbox personalities and descriptors. Thread-safe: the flag is set only once
    the imports are done, and Python's import locks make a second thread wait for a package
    another one is importing (a gateway's first requests arrive at once); a call made while
    the package imports, in its own thread, gets the package as far as it is."""
    global _BUILTINS_LOADED
    if not _BUILTINS_LOADED:
        importlib.import_module("logistics_adapters.formats")
        importlib.import_module("logistics_adapters.partners")
        _BUILTINS_LOADED = True
