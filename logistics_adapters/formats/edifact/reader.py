"""EDIFACT interchanges read into the shared envelope model of :mod:`..edi`.

:class:`EdifactReader` walks the segments (:mod:`.tokenizer`) and yields each message as an
:class:`~..edi.Unit` as soon as its UNT (or what ends it) is read, so a large interchange is
processed without holding it; :func:`read` keeps everything: the interchanges with their units.
Envelope checks (UNT, UNE, UNZ counts and references, missing trailers, segments outside a
message, characters outside level A or B) become :class:`~..edi.Discrepancy` objects: raised as
:class:`~..edi.EnvelopeError` when ``strict``, recorded on the unit, group or interchange
otherwise. A message's text is its segments from UNH to UNT in the interchange's delimiters,
prefixed with the interchange's UNA when the delimiters are not the defaults, so that
:func:`.tokenizer.segments_of` reads it alone.
"""

from dataclasses import dataclass
from typing import NamedTuple

from ...errors import ParseError
from ..edi import (
    EDIFACT,
    USAGE_PRODUCTION,
    USAGE_TEST,
    Discrepancy,
    EnvelopeError,
    Group,
    Interchange,
    Unit,
)
from ..envelopes import fed_events
from .syntax import DEFAULT, invalid_character
from .tokenizer import CHUNK_SIZE, FORMAT, iter_segments

END_OF_DATA = "end of data"
#: Envelope checks as (segment, element) -> the data element they check, for CONTRL.
TRAILER_ELEMENTS = {"UNT01": "0074", "UNT02": "0062", "UNE01": "0060", "UNE02": "0048"}
TRAILER_ELEMENTS.update({"UNZ01": "0036", "UNZ02": "0020"})


@dataclass
class EdifactInterchange(Interchange):
    """An :class:`~..edi.Interchange` with what only EDIFACT's UNB says: the ``syntax``
    identifier and ``syntax_version`` (``""`` when the UNB omits it), the application
    reference (UNB07), processing priority (UNB08), communications agreement (UNB10), the
    number of messages read and whether UNG groups are used. ``delimiters`` is a
    :class:`.syntax.Delimiters`."""

    syntax: str = ""
    syntax_version: str = ""
    application_reference: str = ""
    priority: str = ""
    agreement: str = ""
    message_count: int = 0
    explicit_groups: bool = False


class Reading(NamedTuple):
    """One interchange as :func:`read` gives it, with its messages."""

    interchange: EdifactInterchange
    units: list


def read(source, *, strict=False):
    """Read every interchange of ``source`` (bytes, text, a binary file or byte chunks)
    whole: a list of :class:`Reading`. For large inputs iterate :class:`EdifactReader`."""
    readings, units = [], []
    for event in EdifactReader(source, strict=strict).events():
        if isinstance(event, Unit):
            units.append(event)
        elif isinstance(event, Interchange):
            readings.append(Reading(event, units))
            units = []
    return readings


def read_header(source):
    """The :class:`EdifactInterchange` of the first UNB of ``source``, read from it alone."""
    for segment in iter_segments(source):
        if segment.tag != "UNB":
            break
        return _interchange_of(segment)
    raise ParseError("no EDIFACT interchange: the data does not start with UNB", format=FORMAT)


class EdifactReader:
    """Read EDIFACT interchanges from ``source`` incrementally (see the module doc).

    Iterating gives the messages (:class:`~..edi.Unit`) as they complete; :meth:`events`
    gives the units, each :class:`~..edi.Group` and :class:`EdifactInterchange` once closed.
    ``current`` is the interchange being read. ``strict=True`` raises ``EnvelopeError`` at
    the first discrepancy; otherwise they are recorded on the unit, group or interchange.
    """

    def __init__(self, source, *, strict=False, chunk_size=CHUNK_SIZE):
        self.source = source
        self.chunk_size = chunk_size
        self.strict = strict
        self.current = None
        #: The interchange read last, once closed (``current`` is None between interchanges).
        self.last = None
        self._done = []
        self._group = None
        self._header = ()
        self._message = None
        self._position = 0
        self._interchanges = 0
        self._handlers = {
            "UNB": self._on_unb,
            "UNG": self._on_ung,
            "UNE": self._on_une,
            "UNH": self._on_unh,
            "UNT": self._on_unt,
            "UNZ": self._on_unz,
        }

    def __iter__(self):
        return (event for event in self.events() if isinstance(event, Unit))

    def events(self):
        """Yield units, closed groups and closed interchanges in reading order."""
        segments = iter_segments(self.source, chunk_size=self.chunk_size)
        yield from fed_events(segments, self._on_segment, self._end_of_data, self._done)

    def _on_segment(self, segment):
        if self.current is None and segment.tag != "UNB":
            raise ParseError(
                f"expected UNB (or UNA) to open an interchange, found {segment.tag}",
                format=FORMAT,
                segment=segment.tag,
                position=segment.offset,
            )
        self._position += 1
        self._handlers.get(segment.tag, self._on_data)(segment)

    def _end_of_data(self):
        if not self._interchanges:
            raise ParseError("no EDIFACT interchange: the data is empty", format=FORMAT)
        if self.current is not None:
            self._close_interchange(END_OF_DATA)

    # -- reporting ---------------------------------------------------------------------

    def _report(self, where, segment, element, expected, found, message):
        discrepancy = Discrepancy(
            segment, self._position, element, str(expected), str(found), message
        )
        if self.strict:
            raise EnvelopeError(discrepancy, format=FORMAT)
        where.append(discrepancy)

    def _check_count(self, where, segment, number, expected, what):
        found = segment.value(number)
        if not (found.isascii() and found.isdigit() and int(found) == expected):
            element = f"{segment.tag}{number:02d}"
            self._report(where, segment.tag, element, expected, found, what)

    def _check_reference(self, where, segment, number, expected, what):
        found = segment.value(number)
        if found != expected:
            element = f"{segment.tag}{number:02d}"
            self._report(where, segment.tag, element, expected, found, what)

    def _missing(self, where, trailer, found, what):
        self._report(where, trailer, trailer, trailer, found, what)

    # -- interchange ---------------------------------------------------------------------

    def _on_unb(self, segment):
        if self.current is not None:
            self._position -= 1
            self._close_interchange("UNB")
        self.current = _interchange_of(segment)
        self._header = (segment.text,)
        self._interchanges += 1
        self._position = 1

    def _on_unz(self, segment):
        self._close_open_parts("UNZ")
        interchange = self.current
        groups = interchange.explicit_groups
        expected = len(interchange.groups) if groups else interchange.message_count
        what = "group count" if groups else "message count"
        self._check_count(interchange.discrepancies, segment, 1, expected, what)
        reference = interchange.control_number
        self._check_reference(interchange.discrepancies, segment, 2, reference, "UNB05")
        self._finish_interchange()

    def _close_interchange(self, found):
        self._close_open_parts(found)
        self._position += 1
        what = f"interchange {self.current.control_number} has no UNZ"
        self._missing(self.current.discrepancies, "UNZ", found, what)
        self._finish_interchange()

    def _finish_interchange(self):
        self._done.append(self.current)
        self.last = self.current
        self.current = None

    def _close_open_parts(self, found):
        self._close_message(found)
        if self._group is not None and self.current.explicit_groups:
            what = f"group {self._group.control_number} has no UNE"
            self._missing(self._group.discrepancies, "UNE", found, what)
        self._finish_group()

    # -- groups --------------------------------------------------------------------------

    def _on_ung(self, segment):
        self._close_message("UNG")
        interchange = self.current
        if self._group is not None and interchange.explicit_groups:
            what = f"group {self._group.control_number} has no UNE"
            self._missing(self._group.discrepancies, "UNE", "UNG", what)
        elif interchange.message_count:
            what = "functional groups and messages mixed"
            self._report(interchange.discrepancies, "UNG", "UNG", "UNH", "UNG", what)
        self._finish_group()
        interchange.explicit_groups = True
        self._group = _group_of(segment)
        self._header = (self._header[0], segment.text)
        interchange.groups.append(self._group)

    def _on_une(self, segment):
        self._close_message("UNE")
        group = self._group
        if group is None or not self.current.explicit_groups:
            self._outside(segment)
            return
        self._check_count(group.discrepancies, segment, 1, group.unit_count, "message count")
        self._check_reference(group.discrepancies, segment, 2, group.control_number, "UNG05")
        self._finish_group()

    def _current_group(self):
        if self._group is None:
            interchange = self.current
            self._group = Group("", interchange.sender[1], interchange.receiver[1], "", "")
            interchange.groups.append(self._group)
        return self._group

    def _finish_group(self):
        if self._group is not None:
            self._done.append(self._group)
            self._group = None

    # -- messages ------------------------------------------------------------------------

    def _on_unh(self, segment):
        self._close_message("UNH")
        group = self._current_group()
        self.current.message_count += 1
        group.unit_count += 1
        self._message = _OpenMessage(segment, self._position, self.current, group)
        self._message.unit.envelope = (
            self._header if self.current.explicit_groups else self._header[:1]
        )
        self._check_characters(segment)

    def _on_data(self, segment):
        if self._message is None:
            self._outside(segment)
            return
        self._message.add(segment)
        self._check_characters(segment)

    def _on_unt(self, segment):
        message = self._message
        if message is None:
            self._outside(segment)
            return
        message.add(segment)
        self._check_characters(segment)
        where = message.unit.discrepancies
        self._check_count(where, segment, 1, message.unit.segment_count, "segment count")
        self._check_reference(where, segment, 2, message.unit.control_number, "UNH01")
        self._finish_message()

    def _close_message(self, found):
        """End the open message, if any, which lacks its UNT."""
        if self._message is None:
            return
        reference = self._message.unit.control_number
        what = f"message {reference} has no UNT"
        self._missing(self._message.unit.discrepancies, "UNT", found, what)
        self._finish_message()

    def _finish_message(self):
        self._done.append(self._message.finish())
        self._message = None

    def _outside(self, segment):
        what = f"{segment.tag} outside a message"
        where = self.current.discrepancies
        self._report(where, segment.tag, segment.tag, "UNH", segment.tag, what)

    def _check_characters(self, segment):
        syntax = self.current.syntax
        if syntax not in ("UNOA", "UNOB"):
            return
        char = invalid_character(syntax, segment.text, segment.delimiters.separators)
        if char:
            element = _element_holding(segment, char)
            what = f"character outside the {syntax} repertoire"
            self._report(self._message.unit.discrepancies, segment.tag, element, syntax, char, what)


class _OpenMessage:
    """A message being read: its unit and its segments' text so far."""

    def __init__(self, segment, position, interchange, group):
        delimiters = segment.delimiters
        prefix = delimiters.una if delimiters != DEFAULT else ""
        self.terminator = delimiters.terminator
        self.parts = [prefix]
        self.unit = Unit(
            standard=EDIFACT,
            kind=segment.value(2, 1),
            version=":".join(segment.composite(2)[1:4]),
            control_number=segment.value(1),
            position=interchange.message_count,
            first_segment=position,
            text="",
            segment_count=0,
            group_control_number=group.control_number,
        )
        self.add(segment)

    def add(self, segment):
        """Append ``segment`` to the message."""
        self.parts.append(segment.text)
        self.parts.append(self.terminator)
        self.unit.segments.append(_plain(segment))
        self.unit.segment_count += 1

    def finish(self):
        """The unit with its text."""
        self.unit.text = "".join(self.parts)
        return self.unit


def _plain(segment):
    """``segment`` as :attr:`edi.Unit.segments` holds it: tag first, a simple element as text,
    a composite one as a tuple of components."""
    plain = [segment.tag]
    for components in segment.elements:
        plain.append(components[0] if len(components) == 1 else tuple(components))
    return plain


def _element_holding(segment, char):
    """``DTM01`` or ``DTM01:2``: where ``char`` first occurs in ``segment``."""
    for number, components in enumerate(segment.elements, start=1):
        for position, component in enumerate(components, start=1):
            if char in component:
                suffix = f":{position}" if len(components) > 1 else ""
                return f"{segment.tag}{number:02d}{suffix}"
    return segment.tag


def _interchange_of(segment):
    """The interchange a UNB opens."""
    syntax, syntax_version = segment.value(1, 1), segment.value(1, 2)
    return EdifactInterchange(
        standard=EDIFACT,
        sender=(segment.value(2, 2).strip(), segment.value(2, 1).strip()),
        receiver=(segment.value(3, 2).strip(), segment.value(3, 1).strip()),
        control_number=segment.value(5),
        date=segment.value(4, 1),
        time=segment.value(4, 2),
        usage=USAGE_TEST if segment.value(11) == "1" else USAGE_PRODUCTION,
        version=f"{syntax}:{syntax_version}" if syntax_version else syntax,
        ack_requested=segment.value(9) == "1",
        syntax=syntax,
        syntax_version=syntax_version,
        application_reference=segment.value(7),
        priority=segment.value(8),
        agreement=segment.value(10),
        delimiters=segment.delimiters,
    )


def _group_of(segment):
    """The functional group a UNG opens; its version as ``D:03B:UN``."""
    version = [segment.value(7, 1), segment.value(7, 2), segment.value(6)]
    return Group(
        functional_id=segment.value(1),
        sender=segment.value(2, 1).strip(),
        receiver=segment.value(3, 1).strip(),
        control_number=segment.value(5),
        version=":".join(version),
        date=segment.value(4, 1),
        time=segment.value(4, 2),
    )
