"""The X12 envelope checks: each returns the discrepancies of one envelope segment.

Every :class:`~logistics_adapters.formats.edi.Discrepancy` carries the code the acknowledgement
gives it: a TA1 note code (I18) for the interchange, a 716 code for a group (AK905), a 718
code for a transaction set (AK502 / IK502). Counts compare as numbers, so a zero-padded
``SE*0000000013`` counts 13; control numbers compare as text, as X12 requires them identical.

:func:`segment_notes` finds, inside a set, the syntax errors that need no transaction set
definition (an unrecognized segment ID, an invalid character in a data element), as the AK3 /
AK4 (IK3 / IK4) of an acknowledgement report them.
"""

import functools
import re
from typing import NamedTuple

from ..edi import Discrepancy, Group
from . import codes
from .syntax import ISA_WIDTHS, count_value, has_repetition

#: The TA1 note code of a wrong ISA01..ISA16.
_ISA_NOTE_CODES = (
    "010",
    "011",
    "012",
    "013",
    "005",
    "006",
    "007",
    "008",
    "014",
    "015",
    "016",
    "017",
    "018",
    "019",
    "020",
    "027",
)
_ISA_VALUES = {14: ("0", "1"), 15: ("T", "P")}
_MISSING = {
    "SE": codes.SET_TRAILER_MISSING,
    "GE": codes.GROUP_TRAILER_MISSING,
    "IEA": codes.NOTE_PREMATURE_END,
}


def element_text(elements, index):
    """Element ``index`` of a segment as text ("" when absent; components joined)."""
    value = elements[index] if index < len(elements) else ""
    return "".join(value) if isinstance(value, tuple) else value


def isa_discrepancies(isa):
    """The ISA elements whose width or value X12 does not allow."""
    found = []
    for index, width in enumerate(ISA_WIDTHS, start=1):
        value = isa[index]
        if len(value) != width:
            found.append(_isa(index, f"{width} characters", value, "not of fixed width"))
        elif index in _ISA_VALUES and value.upper() not in _ISA_VALUES[index]:
            found.append(_isa(index, " or ".join(_ISA_VALUES[index]), value, "invalid value"))
    if not has_repetition(isa[12]) and isa[11].upper() != "U":
        found.append(_isa(11, "U", isa[11], "invalid standards identifier"))
    return found


def _isa(index, expected, value, message):
    return Discrepancy(
        "ISA", 1, f"ISA{index:02d}", expected, value, message, _ISA_NOTE_CODES[index - 1]
    )


def group_from(elements):
    """The :class:`Group` a GS segment opens."""
    return Group(
        functional_id=element_text(elements, 1).strip(),
        sender=element_text(elements, 2).strip(),
        receiver=element_text(elements, 3).strip(),
        control_number=element_text(elements, 6).strip(),
        version=element_text(elements, 8).strip(),
        date=element_text(elements, 4).strip(),
        time=element_text(elements, 5).strip(),
    )


def st_discrepancies(unit):
    """A transaction set header without a valid identifier (ST01) or control number (ST02)."""
    found = []
    if not (len(unit.kind) == 3 and unit.kind.isascii() and unit.kind.isalnum()):
        found.append(
            Discrepancy(
                "ST",
                unit.first_segment,
                "ST01",
                "a transaction set identifier",
                unit.kind,
                "invalid transaction set identifier",
                codes.SET_IDENTIFIER_INVALID,
            )
        )
    if not unit.control_number:
        found.append(
            Discrepancy(
                "ST",
                unit.first_segment,
                "ST02",
                "a control number",
                "",
                "missing transaction set control number",
                codes.SET_CONTROL_NUMBER_INVALID,
            )
        )
    return found


#: Per trailer: what its 01 element counts and its 02 element echoes, with their codes.
_TRAILERS = {
    "SE": (("segment count", codes.SET_COUNT_MISMATCH), codes.SET_CONTROL_MISMATCH),
    "GE": (
        ("number of transaction sets", codes.GROUP_COUNT_MISMATCH),
        codes.GROUP_CONTROL_MISMATCH,
    ),
    "IEA": (("number of groups", codes.NOTE_GROUP_COUNT), codes.NOTE_CONTROL_MISMATCH),
}


def trailer_discrepancies(elements, position, actual, control):
    """A trailer (SE, GE, IEA) against what was read: its 01 element against the ``actual``
    count (segments ST..SE, sets of the group, groups of the interchange), its 02 element
    against the header's ``control`` number (ST02, GS06, ISA13)."""
    tag = elements[0]
    (what, count_code), control_code = _TRAILERS[tag]
    found = []
    declared = element_text(elements, 1)
    if count_value(declared) != actual:
        message = f"wrong {what}"
        found.append(
            Discrepancy(tag, position, f"{tag}01", str(actual), declared, message, count_code)
        )
    echoed = element_text(elements, 2).strip()
    if echoed != control:
        message = "control number does not match the header"
        found.append(Discrepancy(tag, position, f"{tag}02", control, echoed, message, control_code))
    return found


def missing(tag, position, found):
    """The trailer ``tag`` was not read before ``found`` (the next header or the end)."""
    return Discrepancy(tag, position, tag, tag, found, f"{tag} missing", _MISSING[tag])


def unexpected(tag, position, where):
    """A segment ``tag`` read outside the envelope it belongs in."""
    return Discrepancy(
        tag,
        position,
        tag,
        f"inside {where}",
        tag,
        f"{tag} outside {where}",
        codes.NOTE_INVALID_CONTENT,
    )


# --------------------------------------------------------------------------------------------
# Segment and element syntax (AK3 / AK4, IK3 / IK4)
# --------------------------------------------------------------------------------------------

#: A segment ID: a letter then one or two upper-case letters or digits.
SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}\Z")
#: Characters outside the X12 basic and extended character sets: the control characters.
INVALID_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
#: Segments carrying binary data (BIN02, BDS03), where any character may occur.
BINARY_SEGMENTS = frozenset({"BIN", "BDS"})
#: The most AK3 (IK3) one set gets, and the most AK4 (IK4) one segment gets.
MAX_SEGMENT_NOTES = 10
MAX_ELEMENT_NOTES = 10


class ElementNote(NamedTuple):
    """A data element in error: its ``position`` in the segment (1 for the first element
    after the ID), the ``component`` position in its composite and the ``repetition`` it sits
    in (0 when the element has a single component or occurrence), the 723 ``code`` and the
    ``value`` found."""

    position: int
    component: int
    repetition: int
    code: str
    value: str


class SegmentNote(NamedTuple):
    """A segment in error: its ``tag`` as read, its ``position`` in the set (ST is 1), the
    720 ``code`` and its :class:`ElementNote` list."""

    tag: str
    position: int
    code: str
    elements: tuple = ()


def segment_notes(segments, delimiters, limit=MAX_SEGMENT_NOTES, text=None):
    """The :class:`SegmentNote` of a set's ``segments`` (as the reader gives them: ST first,
    tag first, composites as tuples; ``delimiters`` those of the interchange), at most
    ``limit``: a segment ID that is not a letter and one or two letters or digits (720 code
    1), a data element holding a control character (720 code 8, 723 code 6; not in binary
    segments). Segments are reported in order, so the first ``limit`` errors are kept.

    ``text`` is the set as read (``Unit.text``): when it holds no control character but its
    delimiters, only the segment IDs are checked."""
    if text is not None and not _has_invalid_character(text, delimiters):
        return _unrecognized_ids(segments, limit)
    found = []
    for position, segment in enumerate(segments, start=1):
        note = _segment_note(segment, position, delimiters)
        if note is not None:
            found.append(note)
            if len(found) >= limit:
                break
    return found


def _unrecognized_ids(segments, limit):
    found = []
    for position, segment in enumerate(segments, start=1):
        if not SEGMENT_ID.match(segment[0]):
            found.append(SegmentNote(segment[0], position, codes.SEGMENT_ID_UNRECOGNIZED))
            if len(found) >= limit:
                break
    return found


def _has_invalid_character(text, delimiters):
    """Tell whether ``text`` (segments joined by terminator and line end) may hold a control
    character in its data: one that is none of the ``delimiters``."""
    separator = delimiters.terminator + delimiters.suffix
    return _data_control_pattern(delimiters).search(text.replace(separator, "")) is not None


@functools.lru_cache(maxsize=32)
def _data_control_pattern(delimiters):
    used = {delimiters.element, delimiters.component, delimiters.repetition}
    used |= {delimiters.terminator}
    chars = [chr(code) for code in (*range(0x20), 0x7F) if chr(code) not in used]
    return re.compile("[" + re.escape("".join(chars)) + "]")


def _segment_note(segment, position, delimiters):
    tag = segment[0]
    if not SEGMENT_ID.match(tag):
        return SegmentNote(tag, position, codes.SEGMENT_ID_UNRECOGNIZED)
    if tag in BINARY_SEGMENTS:
        return None
    found = []
    for index, value in enumerate(segment[1:], start=1):
        text = delimiters.component.join(value) if isinstance(value, tuple) else value
        if INVALID_CHARACTER.search(text):
            found.extend(_element_notes(index, text, delimiters))
        if len(found) >= MAX_ELEMENT_NOTES:
            break
    if not found:
        return None
    elements = tuple(found[:MAX_ELEMENT_NOTES])
    return SegmentNote(tag, position, codes.SEGMENT_HAS_ELEMENT_ERRORS, elements)


def _element_notes(index, text, delimiters):
    """The parts of element ``index`` (its raw ``text``) holding a control character, each
    repetition and component apart (a delimiter that is a control character is no error)."""
    repetitions = text.split(delimiters.repetition) if delimiters.repetition else [text]
    found = []
    for repetition, occurrence in enumerate(repetitions, start=1):
        components = occurrence.split(delimiters.component)
        for component, value in enumerate(components, start=1):
            if INVALID_CHARACTER.search(value):
                found.append(
                    ElementNote(
                        index,
                        component if len(components) > 1 else 0,
                        repetition if len(repetitions) > 1 else 0,
                        codes.ELEMENT_INVALID_CHARACTER,
                        value,
                    )
                )
    return found
