"""CONTRL: the syntax and service report an interchange deserves, and reading one received.

:func:`acknowledge` answers every interchange of its input with one CONTRL message, all in
one interchange addressed to the sender of the first: UCI for the interchange, UCF for each
UNG group, UCM for each message, UCS/UCD for a faulty segment inside a message. Action 7
acknowledges, 4 rejects (in ``strict`` mode, any discrepancy at that level), 8 only says
"received". In lenient mode the discrepancies found are still reported with action 7, so the
sender learns what was tolerated. An input whose UNB was read but which cannot be read to
its end gets UCI action 4, error 18. A CONTRL for syntax version 4 is ``CONTRL:4:1:UN``,
for earlier versions ``CONTRL:2:2:UN``; its syntax level is the subject's when every copied
value fits, else UNOC, else UNOY.

:func:`read_acknowledgements` reads the CONTRL messages of an interchange into
:class:`Acknowledgement` objects whose actions and errors are also given in words.
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from ...errors import ParseError
from ..edi import Interchange, Unit
from . import codes
from .reader import TRAILER_ELEMENTS, EdifactReader, read
from .syntax import SYNTAX_LEVELS, RepertoireError
from .tokenizer import FORMAT
from .writer import render

CONTRL = "CONTRL"


@dataclass
class ReportedError:
    """One error of a CONTRL: the 0085 ``code`` and its ``text``, the service segment tag it
    concerns (``segment``), the position of the faulty segment in its message
    (``segment_position``) and the element position (``element``, ``"2"`` or ``"2:1"``)."""

    code: str
    text: str
    segment: str = ""
    segment_position: str = ""
    element: str = ""


@dataclass
class MessageAcknowledgement:
    """What a UCM says of one message: its reference, type and version, its group's
    reference, the 0083 ``action``, its ``status`` (``acknowledged``, ``rejected``...) and
    ``action_text``, and the errors reported for it."""

    reference: str
    kind: str
    version: str
    group_reference: str
    action: str
    status: str
    action_text: str
    errors: list = field(default_factory=list)


@dataclass
class GroupAcknowledgement:
    """What a UCF says of one functional group."""

    reference: str
    action: str
    status: str
    action_text: str
    errors: list = field(default_factory=list)


@dataclass
class Acknowledgement:
    """One CONTRL message: the interchange it answers (``interchange_reference``, its
    ``sender`` and ``receiver`` as ``(qualifier, identifier)``), the action on it, and the
    groups and messages it reports on. ``contrl_reference`` is the CONTRL's own UNH01."""

    contrl_reference: str
    interchange_reference: str
    sender: tuple
    receiver: tuple
    action: str
    status: str
    action_text: str
    errors: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    messages: list = field(default_factory=list)

    def as_dict(self):
        """The acknowledgement as plain JSON-able values."""
        return asdict(self)


# -- writing -----------------------------------------------------------------------------


@dataclass
class _Subject:
    """What acknowledging one received interchange needs, without its messages' content."""

    interchange: Interchange
    messages: list = field(default_factory=list)
    unreadable: bool = False


def acknowledge(
    data, *, strict=False, sender=None, control_reference=None, received_only=False, when=None
):
    """Return the CONTRL interchange (bytes) that ``data`` deserves (see the module doc).

    ``control_reference`` is the CONTRL interchange's UNB05: pass the next number of your
    own sequence; by default it is the UTC time as ``YYMMDDHHMMSS``. ``sender`` is its
    ``(qualifier, identifier)``, by default the receiver of the first subject interchange;
    ``received_only`` answers action 8 (received) without looking further. Raises
    ParseError when ``data`` does not even start with a readable UNB.
    """
    subjects = _subjects(data)
    first = subjects[0].interchange
    when = when or datetime.now(timezone.utc)
    messages = [
        _contrl_message(str(rank), subject, strict, received_only)
        for rank, subject in enumerate(subjects, start=1)
    ]
    envelope = {
        "sender": sender or first.receiver,
        "receiver": first.sender,
        "control_reference": control_reference or when.strftime("%y%m%d%H%M%S"),
        "when": when,
        "test": first.usage == "T",
    }
    return _render_fitting(messages, first, envelope)


def _subjects(data):
    """The interchanges of ``data``, each with a summary of its messages."""
    reader = EdifactReader(data)
    subjects, pending = [], []
    try:
        for event in reader.events():
            if isinstance(event, Unit):
                pending.append(_summary(event))
            elif isinstance(event, Interchange):
                subjects.append(_Subject(event, pending))
                pending = []
    except ParseError:
        if reader.current is None:
            raise
        subjects.append(_Subject(reader.current, pending, unreadable=True))
    return subjects


def _summary(unit):
    identifier = unit.segments[0][2] if len(unit.segments[0]) > 2 else unit.kind
    identifier = list(identifier) if isinstance(identifier, tuple) else [identifier]
    return unit.control_number, identifier, unit.group_control_number, unit


def _contrl_message(reference, subject, strict, received_only):
    """The segments of one CONTRL message answering ``subject``."""
    interchange = subject.interchange
    version = ["4", "1"] if interchange.syntax_version in ("", "4") else ["2", "2"]
    segments = [["UNH", reference, [CONTRL, *version, "UN"]]]
    uci = [interchange.control_number, _party(interchange.sender)]
    uci.append(_party(interchange.receiver))
    if received_only:
        return [*segments, ["UCI", *uci, codes.ACTION_RECEIVED]]
    if subject.unreadable:
        return [*segments, ["UCI", *uci, codes.ACTION_REJECTED, codes.UNSPECIFIED]]
    discrepancies = interchange.discrepancies
    segments.append(["UCI", *uci, *_action(discrepancies, strict)])
    if _rejected(discrepancies, strict):
        return segments
    return segments + _lower_levels(subject, strict)


def _party(party):
    qualifier, identifier = party
    return [identifier, qualifier]


def _rejected(discrepancies, strict):
    return strict and bool(discrepancies)


def _action(discrepancies, strict):
    """The action code and, when something is wrong, the first error: tag and position."""
    action = codes.ACTION_REJECTED if _rejected(discrepancies, strict) else "7"
    if not discrepancies:
        return [action]
    code, element = _error_of(discrepancies[0])
    return [action, code, discrepancies[0].segment, element]


def _lower_levels(subject, strict):
    if not subject.interchange.explicit_groups:
        return _message_reports(subject.messages, strict)
    segments = []
    for group in subject.interchange.groups:
        ucf = [group.control_number, [group.sender], [group.receiver]]
        segments.append(["UCF", *ucf, *_action(group.discrepancies, strict)])
        if not _rejected(group.discrepancies, strict):
            members = [m for m in subject.messages if m[2] == group.control_number]
            segments += _message_reports(members, strict)
    return segments


def _message_reports(messages, strict):
    segments = []
    for reference, identifier, _group, unit in messages:
        envelope = [d for d in unit.discrepancies if d.segment in ("UNH", "UNT")]
        action = _action(envelope, strict)
        if _rejected(unit.discrepancies, strict):
            action[0] = codes.ACTION_REJECTED
        segments.append(["UCM", reference, identifier, *action])
        segments += _segment_reports(unit, envelope)
    return segments


def _segment_reports(unit, envelope):
    """UCS and UCD for the discrepancies inside the message body (invalid characters)."""
    segments = []
    for discrepancy in unit.discrepancies:
        if discrepancy in envelope:
            continue
        code, element = _error_of(discrepancy)
        segments.append(["UCS", discrepancy.position - unit.first_segment + 1])
        segments.append(["UCD", code, element.split(":")])
    return segments


def _error_of(discrepancy):
    """The 0085 code of a discrepancy and the element position it concerns."""
    element = discrepancy.element
    if element in TRAILER_ELEMENTS:
        code = codes.CONTROL_COUNT if element.endswith("01") else codes.REFERENCES_DO_NOT_MATCH
        return code, str(int(element[3:]))
    if discrepancy.segment == discrepancy.expected == element:
        return codes.MISSING, ""
    if discrepancy.expected in SYNTAX_LEVELS:
        position = element[3:].lstrip("0") or "1"
        return codes.INVALID_CHARACTERS, position
    if discrepancy.segment == "UNG":
        return codes.GROUPS_AND_MESSAGES_MIXED, ""
    return codes.OUTSIDE_MESSAGE, ""


def _render_fitting(messages, subject, envelope):
    """The CONTRL in the subject's syntax level if every value fits, else UNOC, else UNOY."""
    version = subject.syntax_version if subject.syntax_version in ("1", "2", "3", "4") else "4"
    for syntax in dict.fromkeys((subject.syntax, "UNOC", "UNOY")):
        if syntax not in SYNTAX_LEVELS:
            continue
        level_version = "4" if syntax == "UNOY" else version
        try:
            return render(messages, syntax=syntax, syntax_version=level_version, **envelope)
        except RepertoireError:
            continue
    raise ParseError("the interchange's references hold control characters", format=FORMAT)


# -- reading -----------------------------------------------------------------------------


def read_acknowledgements(data):
    """The :class:`Acknowledgement` of every CONTRL message in ``data``."""
    found = []
    for reading in read(data):
        found += [parse_contrl(unit) for unit in reading.units if unit.kind == CONTRL]
    return found


def parse_contrl(unit):
    """The :class:`Acknowledgement` one CONTRL :class:`~..edi.Unit` holds."""
    ack = Acknowledgement(unit.control_number, "", ("", ""), ("", ""), "", "unknown", "")
    state = {"group": "", "target": ack, "message": None, "position": ""}
    for segment in unit.segments[1:]:
        handler = _READERS.get(segment[0])
        if handler is not None:
            handler(ack, state, _Values(segment))
    return ack


class _Values:
    """Positional access to a plain segment (``UCI02:1``) that tolerates missing values."""

    def __init__(self, segment):
        self.segment = segment

    def get(self, element, component=1):
        """Component ``component`` of element ``element`` (1-based), ``""`` when absent."""
        if element >= len(self.segment):
            return ""
        value = self.segment[element]
        if isinstance(value, tuple):
            return value[component - 1] if component <= len(value) else ""
        return value if component == 1 else ""

    def joined(self, element):
        """Element ``element`` with its components joined by ``:``."""
        value = self.segment[element] if element < len(self.segment) else ""
        return ":".join(value) if isinstance(value, tuple) else value


def _status(action):
    return {
        "action": action,
        "status": codes.action_status(action),
        "action_text": codes.describe_action(action),
    }


def _error(values, code_at):
    """The error a UCI/UCF/UCM reports from element ``code_at`` on, or None."""
    code = values.get(code_at)
    if not code:
        return None
    segment, element = values.get(code_at + 1), values.joined(code_at + 2)
    return ReportedError(code, codes.describe_error(code), segment, "", element)


def _on_uci(ack, state, values):
    ack.interchange_reference = values.get(1)
    ack.sender = (values.get(2, 2), values.get(2, 1))
    ack.receiver = (values.get(3, 2), values.get(3, 1))
    for name, value in _status(values.get(4)).items():
        setattr(ack, name, value)
    ack.errors += filter(None, [_error(values, 5)])


def _on_ucf(ack, state, values):
    group = GroupAcknowledgement(values.get(1), **_status(values.get(4)))
    group.errors += filter(None, [_error(values, 5)])
    ack.groups.append(group)
    state["group"] = group.reference


def _on_ucm(ack, state, values):
    version = ":".join(values.get(2, n) for n in (2, 3, 4))
    message = MessageAcknowledgement(
        values.get(1), values.get(2, 1), version, state["group"], **_status(values.get(3))
    )
    message.errors += filter(None, [_error(values, 4)])
    ack.messages.append(message)
    state["message"] = message


def _on_ucs(ack, state, values):
    state["position"] = values.get(1)
    code = values.get(2)
    if code and state["message"] is not None:
        error = ReportedError(code, codes.describe_error(code), "", values.get(1))
        state["message"].errors.append(error)


def _on_ucd(ack, state, values):
    code = values.get(1)
    if state["message"] is not None:
        position, element = state["position"], values.joined(2)
        error = ReportedError(code, codes.describe_error(code), "", position, element)
        state["message"].errors.append(error)


_READERS = {"UCI": _on_uci, "UCF": _on_ucf, "UCM": _on_ucm, "UCS": _on_ucs, "UCD": _on_ucd}
