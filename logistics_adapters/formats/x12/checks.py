"""The X12 envelope checks: each returns the discrepancies of one envelope segment.

Every :class:`~logistics_adapters.formats.edi.Discrepancy` carries the code the acknowledgement
gives it: a TA1 note code (I18) for the interchange, a 716 code for a group (AK905), a 718
code for a transaction set (AK502 / IK502). Counts compare as numbers, so a zero-padded
``SE*0000000013`` counts 13; control numbers compare as text, as X12 requires them identical.
"""

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
