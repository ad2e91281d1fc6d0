"""EDI payloads as HTML for a person: one segment a line, each element named on hover.

:func:`segments_html` turns an X12 or EDIFACT payload into a Bootstrap 5 fragment for the
Odoo message form: envelope segments (X12 ``ISA GS GE IEA TA1``, EDIFACT ``UNA UNB UNG UNE
UNZ``) in muted blocks, each transaction set or message (``ST``..``SE``, ``UNH``..``UNT``) in
its own block under a small heading naming its kind and control number, each element a
``<span>`` whose ``title`` names it (``B10-02 Shipment Identification Number``; the position
alone, ``ZZZ-02``, where the segment is not in :mod:`.x12.elements` or
:mod:`.edifact.elements`). Delimiters are shown as the interchange writes them, read from
its ISA or UNA by the standard's own tokenizer (lenient: no envelope check is made here).

Payloads are partner data: every character is HTML-escaped, and control characters, which an
HTML field cannot hold, are shown as their Unicode pictures (``\\x1c`` as ``␜``). The work is
bounded: :data:`MAX_SEGMENTS` segments are shown, the rest only counted.
"""

import functools
import re
from html import escape
from typing import NamedTuple

from ..errors import ParseError
from .edi import EDIFACT, X12, detect_standard
from .edifact import elements as edifact_elements
from .edifact.tokenizer import iter_segments
from .x12 import elements as x12_elements
from .x12.reader import _Tokenizer, text_chunks

#: Segments shown; the rest of the payload is read only to count them.
MAX_SEGMENTS = 2000
#: CSS class of each segment line (one ``<li>`` per segment).
SEGMENT_CLASS = "o_edi_segment"

_ENVELOPE = "envelope"
_DOCUMENT = "document"
_LOOSE = "loose"
_HEADER_TAGS = frozenset({"ST", "UNH"})
_TRAILER_TAGS = frozenset({"SE", "UNT"})
_ENVELOPE_TAGS = frozenset({"ISA", "GS", "GE", "IEA", "TA1", "UNA", "UNB", "UNG", "UNE", "UNZ"})
_BLOCKS = {
    _ENVELOPE: '<ol class="list-unstyled bg-light text-muted border rounded px-2 py-1 my-1">',
    _LOOSE: '<ol class="list-unstyled border-start border-3 border-warning ps-2 my-1">',
}
_DOCUMENT_OPEN = '<section class="border-start border-3 border-primary ps-2 my-2">'
_ROOT_OPEN = (
    '<div class="o_edi_segments font-monospace small text-break" style="white-space: pre-wrap">'
)
#: Characters an HTML field cannot hold, shown as their Unicode control pictures.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ufffe\uffff]")
_LINE_BLANKS = b" \t\r\n"
_UNA_LENGTH = 9
#: How far before a UNB a UNA is looked for (the UNA and the line ends after it).
_UNA_WINDOW = 256


class _Line(NamedTuple):
    """One segment as written: its ``tag``, its ``elements`` (each a list of components) and
    the ``element`` and ``component`` separators and ``terminator`` shown around them."""

    tag: str
    elements: list
    element: str
    component: str
    terminator: str

    @property
    def key(self):
        """The tag as the directories spell it."""
        return self.tag.strip().upper()


def segments_html(payload):
    """``payload`` (bytes of an X12 or EDIFACT interchange) as an HTML fragment showing one
    segment a line with every element named, or False when it is no EDI or cannot be read,
    so that the caller shows the raw text instead. Never raises."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8", "surrogatepass")
    if not isinstance(payload, (bytes, bytearray, memoryview)):
        return False
    payload = bytes(payload)
    lines = {X12: _x12_lines, EDIFACT: _edifact_lines}.get(detect_standard(payload))
    if lines is None:
        return False
    page = _Page(x12_elements if lines is _x12_lines else edifact_elements)
    try:
        for line in lines(payload):
            page.add(line)
    except ParseError as error:
        if not page.shown:
            return False
        page.fail(error)
    return page.html()


# -- reading ---------------------------------------------------------------------------------


def _x12_lines(payload):
    """The segments of every interchange of ``payload``, read by the X12 reader's tokenizer."""
    tokens = _Tokenizer(text_chunks(payload))
    while (header := tokens.next_header()) is not None:
        delimiters, isa, _offset = header
        terminator = delimiters.terminator.strip()
        yield _Line(isa[0], [[value] for value in isa[1:]], delimiters.element, "", terminator)
        for raw in tokens.segments(delimiters):
            tag, *values = raw.split(delimiters.element)
            elements = [value.split(delimiters.component) for value in values]
            yield _Line(tag, elements, delimiters.element, delimiters.component, terminator)


def _edifact_lines(payload):
    """The segments of ``payload`` read by the EDIFACT tokenizer, each UNA included."""
    for segment in iter_segments(payload):
        delimiters = segment.delimiters
        if segment.tag == "UNB" and _follows_una(payload, segment.offset):
            yield _Line("UNA", [[char] for char in delimiters], "", "", "")
        written = _escaper(delimiters)
        elements = [[written(text) for text in components] for components in segment.elements]
        yield _Line(
            segment.tag, elements, delimiters.element, delimiters.component, delimiters.terminator
        )


def _follows_una(payload, offset):
    """Tell whether the segment at byte ``offset`` comes right after a UNA."""
    before = payload[max(0, offset - _UNA_WINDOW) : offset].rstrip(_LINE_BLANKS)
    return before[-_UNA_LENGTH : 3 - _UNA_LENGTH] == b"UNA"


@functools.lru_cache(maxsize=16)
def _escaper(delimiters):
    """A function writing a component's value back with the release character, as read."""
    if delimiters.release == " ":
        return str
    pattern = re.compile(f"[{re.escape(delimiters.separators)}]")
    release = delimiters.release
    return functools.partial(pattern.sub, lambda match: release + match.group())


# -- writing ---------------------------------------------------------------------------------


def _text(value):
    """``value`` escaped for HTML, control characters shown as pictures."""
    return escape(_UNPRINTABLE.sub(_picture, value))


def _picture(match):
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


class _Page:
    """The HTML being written: blocks of segment lines, the count of those not shown."""

    def __init__(self, directory):
        self.segments = directory.SEGMENTS
        self.directory = directory
        self.parts = [_ROOT_OPEN]
        self.block = None
        self.shown = 0
        self.hidden = 0

    def add(self, line):
        """Write ``line`` in its block, or only count it past :data:`MAX_SEGMENTS`."""
        if self.shown >= MAX_SEGMENTS:
            self.hidden += 1
            return
        self.shown += 1
        key = line.key
        if key in _HEADER_TAGS:
            self._open(_DOCUMENT, line)
        elif key in _ENVELOPE_TAGS:
            self._open(_ENVELOPE)
        elif self.block != _DOCUMENT:
            self._open(_LOOSE)
        self.parts.append(self._segment(line))
        if key in _TRAILER_TAGS and self.block == _DOCUMENT:
            self._close()

    def fail(self, error):
        """Say where reading stopped and why."""
        self._close()
        self.parts.append(
            '<div class="alert alert-warning py-1 px-2 my-1">'
            f"The rest could not be read: {_text(str(error))}</div>"
        )

    def html(self):
        """The finished fragment."""
        self._close()
        if self.hidden:
            self.parts.append(
                f'<div class="fst-italic text-muted my-1">{self.hidden:,} more segments '
                f"not shown (the first {MAX_SEGMENTS:,} are).</div>"
            )
        self.parts.append("</div>")
        return "".join(self.parts)

    def _open(self, kind, header=None):
        if kind == self.block and kind != _DOCUMENT:
            return
        self._close()
        self.block = kind
        if kind == _DOCUMENT:
            heading = _text(self._heading(header))
            self.parts.append(f'{_DOCUMENT_OPEN}<h6 class="small fw-bold mb-1">{heading}</h6>')
            self.parts.append('<ol class="list-unstyled mb-0">')
        else:
            self.parts.append(_BLOCKS[kind])

    def _close(self):
        if self.block is not None:
            self.parts.append("</ol></section>" if self.block == _DOCUMENT else "</ol>")
            self.block = None

    def _heading(self, line):
        """``Transaction set 214 — ... · control number 0006``, or ``Message IFTSTA — ...``."""
        first, second = (_first(line.elements, index) for index in (0, 1))
        if line.key == "ST":
            name = self.directory.TRANSACTION_SETS.get(first.strip(), "")
            return _title(f"Transaction set {first}", name, f"control number {second}")
        identifier = line.elements[1] if len(line.elements) > 1 else []
        kind = _join(second, ":".join(identifier[1:4]))
        name = self.directory.MESSAGES.get(second.strip(), "")
        return _title(f"Message {kind}", name, f"reference {first}")

    def _segment(self, line):
        """One ``<li>``: the tag, each element in a titled span, the delimiters as written."""
        known = self.segments.get(line.key)
        title = f' title="{_text(f"{line.key} {known[0]}")}"' if known else ""
        names = known[1] if known else []
        parts = [
            f'<li class="{SEGMENT_CLASS}"><span class="fw-bold"{title}>{_text(line.tag)}</span>'
        ]
        separator = _text(line.element)
        for number, components in enumerate(line.elements, start=1):
            parts.append(separator)
            parts.append(self._element(line, number, components, names))
        parts.append(f"{_text(line.terminator)}</li>")
        return "".join(parts)

    def _element(self, line, number, components, names):
        value = _text(line.component).join(_text(component) for component in components)
        if not value:
            return ""
        name = names[number - 1] if number <= len(names) else ""
        title = f"{line.key}-{number:02d} {name}".rstrip()
        return f'<span title="{_text(title)}">{value}</span>'


def _first(elements, index):
    """The first component of element ``index`` (0-based), ``""`` when absent."""
    return elements[index][0] if index < len(elements) and elements[index] else ""


def _join(*words):
    """The non-empty ``words`` separated by spaces."""
    return " ".join(word.strip() for word in words if word.strip())


def _title(kind, name, control):
    """A document's heading: its kind, its name when known, its control number."""
    return f"{kind} — {name} · {control}" if name else f"{kind} · {control}"


__all__ = ["MAX_SEGMENTS", "SEGMENT_CLASS", "segments_html"]
