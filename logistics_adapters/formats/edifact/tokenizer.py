"""EDIFACT segments read one by one from bytes, text, a file or an iterable of chunks.

The input is read in chunks (:data:`CHUNK_SIZE`), and a segment is handed on as soon as its
terminator is seen, so an interchange of any size is read in constant memory. A UNA applies
to the interchange it precedes; after a UNZ the delimiters go back to the defaults. The byte
encoding follows the syntax identifier of the current UNB (:func:`.syntax.decodings_of`).
Whatever the input, the only exception raised is :class:`~logistics_adapters.errors.ParseError`
with the byte offset of the faulty segment as ``position``.
"""

import re
from typing import NamedTuple

from ...errors import ParseError
from .syntax import DEFAULT, LEVEL_B_INFORMATION_SEPARATORS, Delimiters, decodings_of

FORMAT = "edifact"
CHUNK_SIZE = 1 << 16
#: The longest segment accepted, in bytes: beyond it the input is not EDIFACT.
MAX_SEGMENT_BYTES = 1 << 22
BOM = b"\xef\xbb\xbf"
_TAG = re.compile(r"[A-Z][A-Z0-9]{2}")


class Segment(NamedTuple):
    """One segment: its ``tag``, its ``elements`` (each a list of components, the tag not
    included), its ``text`` as written (without terminator), its byte ``offset`` in the input
    and the ``delimiters`` it was written with."""

    tag: str
    elements: list
    text: str
    offset: int
    delimiters: Delimiters

    def value(self, element, component=1):
        """The text of component ``component`` of element ``element`` (both 1-based, as in
        ``UNB05``), ``""`` when absent."""
        if element > len(self.elements):
            return ""
        components = self.elements[element - 1]
        return components[component - 1] if component <= len(components) else ""

    def composite(self, element):
        """All components of element ``element`` (1-based), ``[]`` when absent."""
        return list(self.elements[element - 1]) if element <= len(self.elements) else []


def iter_segments(source, *, chunk_size=CHUNK_SIZE):
    """Yield the :class:`Segment` objects of ``source`` (bytes, str, a binary file or an
    iterable of byte chunks) as they are read."""
    return _Tokenizer(_chunks(source, chunk_size)).segments()


def segments_of(text):
    """The segments of a message's text (:attr:`edi.Unit.text`, UNA prefix optional)."""
    return list(iter_segments(text))


def _chunks(source, chunk_size):
    if isinstance(source, str):
        return iter([source.encode("utf-8", "surrogatepass")]), True
    if isinstance(source, (bytes, bytearray, memoryview)):
        return iter([bytes(source)]), False
    read = getattr(source, "read", None)
    if callable(read):
        return iter(lambda: read(chunk_size), b""), False
    return iter(source), False


def split_escaped(text, delimiters):
    """The elements of a segment's ``text`` (each a list of components), honouring the
    release character; the fast path is plain ``split`` when no release character occurs."""
    component_sep, element_sep = delimiters.component, delimiters.element
    release = delimiters.release
    if release == " " or release not in text:
        return [part.split(component_sep) for part in text.split(element_sep)]
    elements, components, chars = [], [], []
    characters = iter(text)
    for char in characters:
        if char == release:
            chars.append(next(characters, ""))
        elif char == component_sep:
            components.append("".join(chars))
            chars = []
        elif char == element_sep:
            components.append("".join(chars))
            elements.append(components)
            components, chars = [], []
        else:
            chars.append(char)
    components.append("".join(chars))
    elements.append(components)
    return elements


class _Tokenizer:
    """The state of one read: the buffer, where it starts in the input, the delimiters and
    byte encodings of the current interchange."""

    def __init__(self, chunks):
        self.chunks, self.utf8 = chunks
        self.buffer = b""
        self.pos = 0
        self.base = 0
        self.eof = False
        self._interchange_defaults()

    def _interchange_defaults(self):
        self.encodings = decodings_of("", self.utf8)
        self._use(DEFAULT)
        self.una = False

    def _use(self, delimiters):
        self.delimiters = delimiters
        self.terminator = delimiters.terminator.encode("ascii")
        self.release = ord(delimiters.release) if delimiters.release != " " else None
        blanks = "".join(c for c in " \t\r\n" if c not in delimiters)
        self.blanks = re.compile(b"[" + re.escape(blanks.encode("ascii")) + b"]*")

    def segments(self):
        """Yield the segments one by one (see :func:`iter_segments`)."""
        self._skip_bom()
        while self._skip_blanks():
            if self._starts_with(b"UNA"):
                self._read_una()
                continue
            segment = self._next_segment()
            yield segment
            if segment.tag == "UNB":
                self.encodings = decodings_of(segment.value(1), self.utf8)
            elif segment.tag == "UNZ":
                self._interchange_defaults()

    def _fill(self):
        """Read one more chunk; returns how far the buffer's content moved to the left."""
        chunk = next(self.chunks, None)
        shift = self.pos
        if chunk is None:
            self.eof = True
            return 0
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise ParseError("the input must be bytes", format=FORMAT)
        self.buffer = self.buffer[self.pos :] + bytes(chunk)
        self.base += shift
        self.pos = 0
        return shift

    def _skip_bom(self):
        if self._starts_with(BOM):
            self.pos += len(BOM)
            self.utf8 = True
            self.encodings = decodings_of("", True)

    def _available(self, count):
        while len(self.buffer) - self.pos < count and not self.eof:
            self._fill()
        return len(self.buffer) - self.pos >= count

    def _skip_blanks(self):
        """Move past blanks between segments; False at the end of the input."""
        while True:
            self.pos = self.blanks.match(self.buffer, self.pos).end()
            if self.pos < len(self.buffer):
                return True
            if self.eof:
                return False
            self._fill()

    def _starts_with(self, prefix):
        return self._available(len(prefix)) and self.buffer.startswith(prefix, self.pos)

    def _read_una(self):
        offset = self.base + self.pos
        if not self._available(9):
            raise ParseError("UNA is cut short", format=FORMAT, segment="UNA", position=offset)
        raw = self.buffer[self.pos + 3 : self.pos + 9]
        delimiters = Delimiters.from_una(raw.decode("latin-1"))
        problem = delimiters.problem()
        if problem:
            raise ParseError(f"UNA: {problem}", format=FORMAT, segment="UNA", position=offset)
        self.pos += 9
        self._use(delimiters)
        self.una = True

    def _next_segment(self):
        if not self.una and self._starts_with(b"UNB\x1d"):
            self._use(LEVEL_B_INFORMATION_SEPARATORS)
        offset = self.base + self.pos
        end = self._find_terminator(offset)
        raw = self.buffer[self.pos : end]
        self.pos = end + 1
        text = self._decode(raw)
        elements = split_escaped(text, self.delimiters)
        tag = elements[0][0]
        if not _TAG.fullmatch(tag):
            raise ParseError(
                f"{tag[:20]!r} is not a segment tag (three upper-case letters or digits)",
                format=FORMAT,
                position=offset,
            )
        return Segment(tag, elements[1:], text, offset, self.delimiters)

    def _find_terminator(self, offset):
        search = self.pos
        while True:
            found = self.buffer.find(self.terminator, search)
            if found < 0:
                search = len(self.buffer) - self._more_or_fail(offset)
            elif self._released(found):
                search = found + 1
            else:
                return found

    def _more_or_fail(self, offset):
        if self.eof:
            raise ParseError(
                "the last segment has no terminator (truncated input?)",
                format=FORMAT,
                position=offset,
            )
        if len(self.buffer) - self.pos > MAX_SEGMENT_BYTES:
            raise ParseError(
                f"no segment terminator {self.delimiters.terminator!r} within "
                f"{MAX_SEGMENT_BYTES} bytes: not an EDIFACT interchange",
                format=FORMAT,
                position=offset,
            )
        return self._fill()

    def _released(self, index):
        """Tell whether the byte at ``index`` follows an odd run of release characters."""
        if self.release is None:
            return False
        run = index
        while run > self.pos and self.buffer[run - 1] == self.release:
            run -= 1
        return (index - run) % 2 == 1

    def _decode(self, raw):
        for encoding in self.encodings:
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        return raw.decode("latin-1")
