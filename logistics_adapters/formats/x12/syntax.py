"""X12 syntax: the delimiters, the ISA header and its fixed widths, versions, counts.

An interchange names its own delimiters in its ISA header: the element separator is the
character after ``ISA``, the component separator is ISA16, the repetition separator ISA11 from
control version 00402 on (before, ISA11 is the standards identifier ``U``) and the segment
terminator the character after ISA16. Published files do not always pad the ISA to its fixed
widths, so the header is found by counting 16 element separators, not by slicing.
"""

from dataclasses import dataclass

from ...errors import ParseError

FORMAT = "x12"

#: ISA01..ISA16 widths, as X12 fixes them (the whole ISA is 106 characters with its terminator).
ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)
#: The longest ISA read before refusing it (a non-fixed-width header is a little longer).
MAX_ISA_LENGTH = 512
#: The first control version (ISA12) whose ISA11 is a repetition separator.
REPETITION_VERSION = 402
#: Characters allowed after a terminator and before the next segment (line ends, indentation).
SEGMENT_PADDING = " \t\r\n"
#: Envelope segments a writer refuses inside a transaction set.
ENVELOPE_TAGS = frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE", "TA1"})
_NEWLINES = "\r\n"
#: The line ends that may follow a line-end terminator (CR then LF; nothing after LF).
_SUFFIXES = {"\n": ("",), "\r": ("", "\n")}
_MAX_COUNT_DIGITS = 18


@dataclass(frozen=True)
class Delimiters:
    """The separators of an interchange: ``element``, ``component``, ``repetition`` (``""``
    before version 00402), the segment ``terminator`` and ``suffix``, the line end written
    after each terminator (``""``, ``"\\n"`` or ``"\\r\\n"``)."""

    element: str = "*"
    component: str = ">"
    repetition: str = "^"
    terminator: str = "~"
    suffix: str = ""

    def check(self):
        """Return self when the delimiters can be written; ValueError says why not."""
        separators = [self.element, self.component, self.terminator]
        separators += [self.repetition] if self.repetition else []
        if any(len(char) != 1 for char in separators):
            raise ValueError(f"every delimiter must be one character: {self!r}")
        if len(set(separators)) != len(separators):
            raise ValueError(f"delimiters must be distinct: {self!r}")
        for char in separators:
            if char.isalnum() or char == " " or (char in _NEWLINES and char != self.terminator):
                raise ValueError(f"delimiter {char!r} cannot be a letter, digit or blank")
        if self.suffix not in _SUFFIXES.get(self.terminator, ("", "\n", "\r\n")):
            raise ValueError(f"suffix {self.suffix!r} cannot follow {self.terminator!r}")
        return self

    @property
    def reserved(self):
        """The characters no data element may hold: the delimiters and line ends."""
        return {self.element, self.component, self.repetition, self.terminator, *_NEWLINES} - {""}

    def with_repetition(self, version):
        """These delimiters fit for control ``version`` (ISA12): a repetition separator from
        00402 on (the first free of ``^ ! { |``), none before."""
        if not has_repetition(version):
            return Delimiters(self.element, self.component, "", self.terminator, self.suffix)
        if self.repetition:
            return self
        taken = {self.element, self.component, self.terminator}
        free = next(char for char in "^!{|" if char not in taken)
        return Delimiters(self.element, self.component, free, self.terminator, self.suffix)

    def as_dict(self):
        """The delimiters as plain values, for JSON."""
        return {
            "element": self.element,
            "component": self.component,
            "repetition": self.repetition,
            "terminator": self.terminator,
            "suffix": self.suffix,
        }


def has_repetition(version):
    """Tell whether control version ``version`` (ISA12, ``00401``) has a repetition separator."""
    return count_value(version) >= REPETITION_VERSION


def is_implementation_ack_version(version):
    """Tell whether a group of ``version`` (GS08) is acknowledged by a 999 (005010 on)."""
    return count_value(version[:6]) >= 5010


def count_value(text):
    """The number an X12 count or version holds (zero padding allowed), -1 when it is none."""
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) <= _MAX_COUNT_DIGITS:
        return int(text)
    return -1


def scan_isa(text, offset=0):
    """Read the ISA header at the start of ``text``: ``(delimiters, elements, end)`` where
    ``elements`` are ``ISA`` and ISA01..ISA16 and ``end`` the index after its terminator, or
    None when ``text`` is too short to tell. ParseError when it is no ISA, naming ``offset``
    (the position of ``text`` in the stream)."""
    if len(text) < 4:
        return None
    if text[:3].upper() != "ISA":
        raise ParseError(
            f"expected an ISA segment, found {text[:20]!r}", format=FORMAT, position=offset
        )
    separator = _element_separator(text[3], offset)
    last = _sixteenth_separator(text, separator, offset)
    if last is None or len(text) < last + 3:
        return None
    component, terminator = text[last + 1], text[last + 2]
    elements = text[:last].split(separator) + [component]
    _check_header_delimiters(separator, component, terminator, text[:last], offset)
    repetition = elements[11] if has_repetition(elements[12]) else ""
    if repetition in (separator, component, terminator) or repetition.isalnum():
        repetition = ""
    delimiters = Delimiters(separator, component, repetition, terminator)
    return delimiters, elements, last + 3


def _element_separator(char, offset):
    if char.isalnum() or char in SEGMENT_PADDING:
        raise ParseError(
            f"invalid element separator {char!r} after ISA",
            format=FORMAT,
            segment="ISA",
            position=offset + 3,
        )
    return char


def _sixteenth_separator(text, separator, offset):
    """Index of the 16th element separator of the ISA (before ISA16), None if not read yet."""
    index = 3
    for _ in range(15):
        index = text.find(separator, index + 1, MAX_ISA_LENGTH)
        if index < 0 or "\n" in text[: max(index, 0)]:
            return _truncated(text, offset)
    return index


def _truncated(text, offset):
    if len(text) < MAX_ISA_LENGTH and "\n" not in text:
        return None
    raise ParseError(
        "truncated ISA: fewer than 16 elements", format=FORMAT, segment="ISA", position=offset
    )


def _check_header_delimiters(separator, component, terminator, header, offset):
    problem = ""
    if component.isalnum() or component in SEGMENT_PADDING or component == separator:
        problem = f"invalid component separator {component!r} (ISA16)"
    elif terminator.isalnum() or terminator in " \t" or terminator in (separator, component):
        problem = f"invalid segment terminator {terminator!r} after ISA16"
    elif terminator in header:
        problem = f"segment terminator {terminator!r} inside the ISA: the header is truncated"
    if problem:
        raise ParseError(problem, format=FORMAT, segment="ISA", position=offset)


def split_components(element, component):
    """``element`` as a tuple of components when it holds ``component``, else as it is."""
    return tuple(element.split(component)) if component in element else element
