"""Streaming X12 reader: interchanges, groups and transaction sets with their envelope checks.

The reader takes bytes, text, a binary file object or an iterator of chunks, and yields each
transaction set (:class:`~logistics_adapters.formats.edi.Unit`) as soon as its ``SE`` is read,
so memory stays flat however many sets an interchange holds: a group keeps its count of sets,
not the sets. Envelope checks that fail are :class:`~logistics_adapters.formats.edi.Discrepancy`
objects, raised as ``EnvelopeError`` in strict mode, recorded in lenient mode. Whatever the
input, the reader raises nothing but ``ParseError``.
"""

import codecs
import dataclasses
from typing import NamedTuple

from ...errors import ParseError
from ..edi import X12, EnvelopeError, Interchange, Unit
from ..envelopes import fed_events
from . import checks
from .syntax import FORMAT, SEGMENT_PADDING, scan_isa, split_components

CHUNK_SIZE = 1 << 16
#: Blanks skipped before an interchange: padding, line ends, BOM, DOS end-of-file, NUL.
_BLANKS = " \t\r\n\ufeff\x1a\x00"
_LINE_ENDS = "\r\n"
_DECODE_ERRORS = "x12-latin1"


def _latin1_fallback(error):
    """Bytes that are not UTF-8 read as Latin-1: nothing is lost, nothing fails."""
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error(_DECODE_ERRORS, _latin1_fallback)


class InterchangeSegment(NamedTuple):
    """A segment read directly inside an interchange, outside any group (a ``TA1``)."""

    interchange_control_number: str
    position: int
    elements: list


class Reading(NamedTuple):
    """One interchange as :func:`read` gives it, with its transaction sets."""

    interchange: Interchange
    units: list
    segments: list


def text_chunks(source, chunk_size=CHUNK_SIZE):
    """The text of ``source`` (bytes, str, binary file object or iterable of chunks), chunk
    by chunk: UTF-8, bytes that are not UTF-8 read as Latin-1."""
    if isinstance(source, str):
        yield source
        return
    decoder = codecs.getincrementaldecoder("utf-8")(errors=_DECODE_ERRORS)
    for chunk in _byte_chunks(source, chunk_size):
        text = chunk if isinstance(chunk, str) else decoder.decode(chunk)
        if text:
            yield text
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


def _byte_chunks(source, chunk_size):
    if isinstance(source, (bytes, bytearray, memoryview)):
        view = memoryview(source)
        for start in range(0, len(view), chunk_size):
            yield bytes(view[start : start + chunk_size])
    elif hasattr(source, "read"):
        while chunk := source.read(chunk_size):
            yield chunk
    else:
        yield from source


class _Tokenizer:
    """Cuts the text into segments with str methods, one interchange at a time."""

    def __init__(self, chunks):
        self._chunks = iter(chunks)
        self._buffer = ""
        self._read = 0

    def _fill(self):
        for chunk in self._chunks:
            if chunk:
                self._buffer += chunk
                self._read += len(chunk)
                return True
        return False

    @property
    def offset(self):
        """Characters consumed so far."""
        return self._read - len(self._buffer)

    def next_header(self):
        """The next ISA ``(delimiters, elements, offset)``, None when only blanks remain."""
        while True:
            self._buffer = self._buffer.lstrip(_BLANKS)
            if self._buffer or not self._fill():
                break
        if not self._buffer:
            return None
        offset = self.offset
        while (found := scan_isa(self._buffer, offset)) is None:
            if not self._fill():
                raise ParseError(
                    "truncated ISA: the data ends inside the interchange header",
                    format=FORMAT,
                    segment="ISA",
                    position=offset,
                )
        delimiters, elements, end = found
        self._buffer = self._buffer[end:]
        return self._with_suffix(delimiters), elements, offset

    def _with_suffix(self, delimiters):
        """The delimiters with the line end written after the ISA terminator, if any."""
        if delimiters.terminator == "\n":
            return delimiters
        if len(self._buffer) < 2:
            self._fill()
        head = self._buffer[:2]
        suffix = "\r\n" if head == "\r\n" else head[:1] if head[:1] in _LINE_ENDS else ""
        if delimiters.terminator == "\r":
            suffix = "\n" if suffix.startswith("\n") else ""
        return dataclasses.replace(delimiters, suffix=suffix)

    def segments(self, delimiters):
        """Yield the raw segments of one interchange, up to its IEA, a new ISA or the end."""
        terminator = delimiters.terminator
        while True:
            cut = self._buffer.rfind(terminator)
            if cut < 0:
                if self._fill():
                    continue
                yield from self._last_piece()
                return
            pieces = self._buffer[:cut].split(terminator)
            self._buffer = self._buffer[cut + 1 :]
            for index, piece in enumerate(pieces):
                segment = piece.lstrip(SEGMENT_PADDING).rstrip(_LINE_ENDS)
                if not segment:
                    continue
                if _is_header(segment):
                    self._push_back(pieces[index:], terminator)
                    return
                yield segment
                if segment[:3].upper() == "IEA":
                    self._push_back(pieces[index + 1 :], terminator)
                    return

    def _last_piece(self):
        segment = self._buffer.lstrip(SEGMENT_PADDING).rstrip(_LINE_ENDS)
        self._buffer = ""
        if segment:
            yield segment

    def _push_back(self, pieces, terminator):
        if pieces:
            self._buffer = terminator.join(pieces) + terminator + self._buffer


def _is_header(segment):
    return segment[:3].upper() == "ISA" and len(segment) > 3 and not segment[3].isalnum()


class _OpenUnit:
    """A transaction set being read: its header values and segments so far."""

    __slots__ = ("control_number", "first_segment", "kind", "raw", "segments")

    def __init__(self, elements, raw, position):
        self.kind = checks.element_text(elements, 1).strip()
        self.control_number = checks.element_text(elements, 2).strip()
        self.first_segment = position
        self.raw = [raw]
        self.segments = [elements]


class _Envelope:
    """The state of one interchange: checks each envelope segment, builds the objects."""

    def __init__(self, delimiters, isa, offset, strict):
        self.delimiters = delimiters
        self.strict = strict
        self.done = []
        self.position = 1
        self.interchange = _interchange(delimiters, isa)
        self.header = (delimiters.element.join(isa),)
        self.group = None
        self.implicit_group = False
        self.unit = None
        self.unit_rank = 0
        self.closed = False
        for discrepancy in checks.isa_discrepancies(isa):
            self.flag(self.interchange.discrepancies, discrepancy)

    def flag(self, target, discrepancy):
        """Raise ``discrepancy`` in strict mode, else record it on ``target``."""
        if self.strict:
            raise EnvelopeError(discrepancy, format=FORMAT)
        target.append(discrepancy)

    def feed(self, raw):
        """Take the next raw segment of the interchange."""
        self.position += 1
        elements = raw.split(self.delimiters.element)
        tag = elements[0].strip().upper()
        handler = _HANDLERS.get(tag)
        if handler is not None:
            elements[0] = tag
            handler(self, raw, elements)
        elif self.unit is not None:
            component = self.delimiters.component
            elements = [tag] + [split_components(value, component) for value in elements[1:]]
            self.unit.raw.append(raw)
            self.unit.segments.append(elements)
        else:
            self._unexpected(tag)

    def _unexpected(self, tag):
        where = "a transaction set" if self.group is not None else "a functional group"
        self.flag(self.interchange.discrepancies, checks.unexpected(tag, self.position, where))

    def on_gs(self, raw, elements):
        self._close_unit("GS")
        self._close_group("GS")
        self.header = (self.header[0], raw.strip(_LINE_ENDS + " \t"))
        self.group = checks.group_from(elements)
        self.implicit_group = False

    def on_st(self, raw, elements):
        self._close_unit("ST")
        if self.group is None:
            self._unexpected("ST")
            self.group = checks.group_from(["GS"])
            self.implicit_group = True
        self.unit = _OpenUnit(elements, raw, self.position)

    def on_se(self, raw, elements):
        unit = self.unit
        if unit is None:
            self._unexpected("SE")
            return
        unit.raw.append(raw)
        unit.segments.append(elements)
        found = checks.trailer_discrepancies(
            elements, self.position, len(unit.raw), unit.control_number
        )
        self._emit_unit(found)

    def on_ge(self, _raw, elements):
        self._close_unit("GE")
        group = self.group
        if group is None or self.implicit_group:
            self._unexpected("GE")
            return
        found = checks.trailer_discrepancies(
            elements, self.position, group.unit_count, group.control_number
        )
        for discrepancy in found:
            self.flag(group.discrepancies, discrepancy)
        self._emit_group()

    def on_iea(self, _raw, elements):
        self._close_unit("IEA")
        self._close_group("IEA")
        interchange = self.interchange
        found = checks.trailer_discrepancies(
            elements, self.position, len(interchange.groups), interchange.control_number
        )
        for discrepancy in found:
            self.flag(interchange.discrepancies, discrepancy)
        self.closed = True
        self.done.append(interchange)

    def on_ta1(self, _raw, elements):
        if self.group is not None:
            self._unexpected("TA1")
            return
        control = self.interchange.control_number
        self.done.append(InterchangeSegment(control, self.position, elements))

    def finish(self):
        """Close what the end of the data left open (a missing IEA)."""
        if self.closed:
            return
        self.position += 1
        self._close_unit("end of data")
        self._close_group("end of data")
        self.flag(self.interchange.discrepancies, checks.missing("IEA", self.position, "end"))
        self.done.append(self.interchange)

    def _close_unit(self, found):
        if self.unit is not None:
            self._emit_unit([checks.missing("SE", self.position, found)])

    def _close_group(self, found):
        if self.group is None:
            return
        if not self.implicit_group:
            self.flag(self.group.discrepancies, checks.missing("GE", self.position, found))
        self._emit_group()

    def _emit_unit(self, discrepancies):
        unit, self.unit = self.unit, None
        self.unit_rank += 1
        for discrepancy in checks.st_discrepancies(unit):
            discrepancies.insert(0, discrepancy)
        target = []
        for discrepancy in discrepancies:
            self.flag(target, discrepancy)
        self.group.unit_count += 1
        self.done.append(self._unit(unit, target))

    def _unit(self, unit, discrepancies):
        separator = self.delimiters.terminator + self.delimiters.suffix
        return Unit(
            standard=X12,
            kind=unit.kind,
            version=self.group.version,
            control_number=unit.control_number,
            position=self.unit_rank,
            first_segment=unit.first_segment,
            text=separator.join(unit.raw) + separator,
            segment_count=len(unit.raw),
            group_control_number=self.group.control_number,
            discrepancies=discrepancies,
            segments=unit.segments,
            envelope=self.header,
        )

    def _emit_group(self):
        group, self.group = self.group, None
        if not self.implicit_group:
            self.interchange.groups.append(group)
        self.done.append(group)


_HANDLERS = {
    "GS": _Envelope.on_gs,
    "ST": _Envelope.on_st,
    "SE": _Envelope.on_se,
    "GE": _Envelope.on_ge,
    "IEA": _Envelope.on_iea,
    "TA1": _Envelope.on_ta1,
}


def _interchange(delimiters, isa):
    return Interchange(
        standard=X12,
        sender=(isa[5].strip(), isa[6].strip()),
        receiver=(isa[7].strip(), isa[8].strip()),
        control_number=isa[13].strip(),
        date=isa[9].strip(),
        time=isa[10].strip(),
        usage=isa[15].strip().upper(),
        version=isa[12].strip(),
        ack_requested=isa[14].strip() == "1",
        delimiters=delimiters,
    )


class X12Reader:
    """Read X12 interchanges from ``source`` (bytes, str, a binary file object or an iterable
    of byte chunks) incrementally.

    Iterating gives the transaction sets (:class:`Unit`) as they complete; :meth:`events`
    gives the units, each :class:`Group` and :class:`Interchange` once closed, and the
    :class:`InterchangeSegment` of each ``TA1``. ``current`` is the interchange being read.
    ``strict=True`` raises ``EnvelopeError`` at the first discrepancy; otherwise they are
    recorded on the unit, group or interchange they belong to.
    """

    def __init__(self, source, *, strict=False, chunk_size=CHUNK_SIZE):
        self._tokens = _Tokenizer(text_chunks(source, chunk_size))
        self.strict = strict
        self.current = None

    def __iter__(self):
        return (event for event in self.events() if isinstance(event, Unit))

    def events(self):
        """Yield units, closed groups, closed interchanges and TA1 segments in reading order."""
        interchanges = 0
        while (header := self._tokens.next_header()) is not None:
            interchanges += 1
            yield from self._interchange_events(*header)
        if not interchanges:
            raise ParseError("no X12 interchange: the data is empty", format=FORMAT)

    def _interchange_events(self, delimiters, isa, offset):
        envelope = _Envelope(delimiters, isa, offset, self.strict)
        self.current = envelope.interchange
        segments = self._tokens.segments(delimiters)
        yield from fed_events(segments, envelope.feed, envelope.finish, envelope.done)


def read(source, *, strict=False):
    """Read every interchange of ``source`` whole: a list of :class:`Reading` (interchange,
    its units, its TA1 segments). For large inputs iterate :class:`X12Reader` instead."""
    readings, units, segments = [], [], []
    for event in X12Reader(source, strict=strict).events():
        if isinstance(event, Unit):
            units.append(event)
        elif isinstance(event, InterchangeSegment):
            segments.append(event)
        elif isinstance(event, Interchange):
            readings.append(Reading(event, units, segments))
            units, segments = [], []
    return readings


def read_header(source):
    """The :class:`Interchange` of the first ISA of ``source``, read from its header alone."""
    header = _Tokenizer(text_chunks(source)).next_header()
    if header is None:
        raise ParseError("no X12 interchange: the data is empty", format=FORMAT)
    delimiters, isa, _offset = header
    return _interchange(delimiters, isa)


__all__ = [
    "InterchangeSegment",
    "Reading",
    "X12Reader",
    "read",
    "read_header",
    "text_chunks",
]
