"""X12 acknowledgements: write the 997 / 999 (and TA1) an interchange deserves, read them back.

:func:`acknowledge` reads an inbound interchange (leniently, whatever ``strict`` says: a broken
file must still be answered) and answers each functional group with one set in an ``FA``
group: a 997 for groups before 005010, a 999 (``005010X231``) from 005010 on. Acknowledgement
groups (``FA``) are never acknowledged. Rules, per X12:

* a set (AK5 / IK5) is ``A`` without discrepancy nor segment error; with one it is ``R`` in
  strict mode and ``E`` (accepted, errors noted) in lenient mode, except a missing SE or a set
  kind not in ``supported``, which is always ``R``; the 718 codes come from the discrepancies
  (4 for a wrong SE01, 3 for SE02 != ST02, 2 for a missing SE...), then 5 when a segment is in
  error;
* the segment errors that need no transaction set definition are reported before the AK5 /
  IK5, at most ten per set, in the order of the set: an AK3 / IK3 (``AK3*ID*position**code``,
  the position counting ST as 1) for a segment ID that is not a letter and one or two
  upper-case letters or digits (720 / 620 code 1), or for a segment whose data elements hold
  a control character (U+0000-U+001F, U+007F; code 8), followed by an AK4 / IK4 per such
  element (``AK4*position**6*copy``, 723 / 621 code 6), at most ten: the position is the
  element's (1 after the ID), with the component position when the element is a composite
  (``2:1``) and, in a 999, the repetition (``2::3``); AK402 is empty (no dictionary here);
  the copy is the bad value cut to 99 characters, without the characters the answer cannot
  carry (control characters, its own delimiters), left out when nothing remains. Binary
  segments (BIN, BDS) are not checked for characters. An AK301 is the ID as read, cut to 3
  characters, without characters the answer cannot carry (no AK3 when nothing remains);
* a group (AK9) is ``R`` when no set is accepted, or when its own envelope is wrong (GE01,
  GE02, missing GE: 716 codes 5, 4, 3) in strict mode; ``P`` when some sets are rejected;
  ``E`` when errors were noted; else ``A``. AK902 is the GE01 the sender declared, AK903 the
  sets received, AK904 the sets accepted (``A`` or ``E``);
* a TA1 (``TA1*ISA13*ISA09*ISA10*A|E|R*note``) is added when the sender asked for it (ISA14 =
  1), ``ta1=True``, or ``ta1=TA1_ON_ERRORS`` and its envelope is wrong: ``A``/``000``
  without discrepancy, else ``R`` (strict) or ``E`` (lenient) with the note code of the first
  interchange discrepancy.

The answer swaps sender and receiver, keeps the inbound delimiters and usage, and takes every
control number from ``control_numbers(level)``, ``level`` being ``"interchange"``,
``"group"`` or ``"set"`` (the Odoo side draws them from sequences), once the interchange is
read.

Memory stays close to the size of the answer however many sets an interchange holds: the AK2
loop of each set is written to text as soon as the set is read, and a group keeps that text
and the counts its AK9 needs, not the sets. Only a set whose loop may read differently in an
005010 answer (a copy holding the repetition separator such an answer writes) or cannot be
written is kept until the interchange ends, when the answer's version is known.
"""

import itertools
from dataclasses import dataclass, field

from ...errors import ParseError
from ..edi import Group, Interchange, Unit
from . import codes
from .checks import INVALID_CHARACTER, segment_notes
from .reader import InterchangeSegment, X12Reader
from .syntax import FORMAT, count_value, is_implementation_ack_version
from .writer import BodyWriter, Envelope, FunctionalGroup, TransactionSet, Written, render

FUNCTIONAL_ACK = "997"
IMPLEMENTATION_ACK = "999"
ACK_GROUP_ID = "FA"
IMPLEMENTATION_ACK_VERSION = "005010X231"
FUNCTIONAL_ACK_VERSION = "004010"
MAX_ERROR_CODES = 5
#: The ``ta1`` option answering with a TA1 the interchanges whose envelope is wrong.
TA1_ON_ERRORS = "errors"
#: AK404 / IK404 (copy of bad data element) is at most 99 characters.
MAX_COPY_LENGTH = 99
_ACK_KINDS = (FUNCTIONAL_ACK, IMPLEMENTATION_ACK)
#: AK2 loops written ahead are joined into one text every so many sets.
_SETS_PER_TEXT = 512


def sequential_numbers(interchange=1, group=1, set=1):
    """A ``control_numbers`` callable counting up from the given numbers, one counter per
    level (for tests and the command line; the Odoo side uses its sequences)."""
    counters = {
        "interchange": itertools.count(interchange),
        "group": itertools.count(group),
        "set": itertools.count(set),
    }
    return lambda level: next(counters[level])


@dataclass(frozen=True, slots=True)
class _SetResult:
    kind: str
    control_number: str
    implementation: str
    status: str
    codes: tuple
    segment_notes: tuple = ()


def acknowledge(
    source,
    *,
    control_numbers,
    strict=False,
    ta1=None,
    when=None,
    supported=None,
    delimiters=None,
    kind=None,
):
    """The acknowledgement interchanges (bytes, one per inbound interchange that needs one)
    of the X12 ``source`` (bytes, file object or chunks; see the module doc for the rules).

    ``supported`` is a collection of set kinds this side handles (others are rejected with
    718 code 1), None for all; ``delimiters`` overrides the inbound ones; ``when`` dates the
    answer (now, UTC); ``kind`` (``"997"`` or ``"999"``) answers every group with that set
    instead of choosing by the group's version. ParseError when ``source`` is no X12 or
    cannot be answered.
    """
    options = {"strict": strict, "ta1": ta1, "when": when, "delimiters": delimiters}
    options |= {"supported": supported, "kind": kind}
    answers = acknowledge_each(source, control_numbers=control_numbers, **options)
    return [answer for _interchange, answer in answers if answer]


def acknowledge_each(source, *, control_numbers, **options):
    """Yield ``(interchange, answer)`` for each inbound interchange of ``source``, in order:
    its acknowledgement (bytes) or None when it needs none. Options as :func:`acknowledge`."""
    for summary in acknowledge_summaries(source, control_numbers=control_numbers, **options):
        yield summary.interchange, summary.answer


@dataclass
class GroupVerdict:
    """What our answer says of one functional group: the ``kind`` of set answering it (997
    or 999), the AK9 ``status`` and its 716 ``codes``, the sets ``received`` and
    ``accepted``, and the AK5 ``(status, codes)`` of each set not simply accepted, by
    control number (``exceptions``: as many entries as sets in trouble, not as sets)."""

    functional_id: str
    control_number: str
    kind: str
    status: str
    codes: tuple
    received: int
    accepted: int
    exceptions: dict


@dataclass
class AckSummary:
    """One inbound interchange and our answer to it (``answer``: bytes, or None when it
    needs none): the verdict on each group, and the TA1 ``(status, note code)`` when one is
    sent."""

    interchange: Interchange
    answer: bytes | None
    groups: list
    ta1: tuple | None = None


def acknowledge_summaries(source, *, control_numbers, **options):
    """Yield an :class:`AckSummary` for each inbound interchange of ``source``, in order:
    the answer as :func:`acknowledge_each` gives it, with the verdicts it carries, so that
    a caller need not read its own answer back. Options as :func:`acknowledge`."""
    sets, groups = None, []
    options = {"strict": False, "ta1": None, "when": None, "delimiters": None} | options
    supported = options.pop("supported", None)
    reader = X12Reader(source)
    for event in reader.events():
        if isinstance(event, Unit):
            delimiters = reader.current.delimiters
            if sets is None:
                kind = _ack_kind(event.version, options.get("kind"))
                sets = _GroupSets(options["delimiters"] or delimiters, kind == IMPLEMENTATION_ACK)
            sets.add(_set_result(event, options["strict"], supported, delimiters))
        elif isinstance(event, Group):
            groups.append((event, sets or _GroupSets(None)))
            sets = None
        elif isinstance(event, Interchange):
            verdicts = _verdicts(groups, options)
            ta1 = _ta1_verdict(event, options)
            answer = _answer(event, groups, control_numbers, options)
            groups = []
            yield AckSummary(event, answer, verdicts if answer else [], ta1 if answer else None)


def _verdicts(groups, options):
    """The :class:`GroupVerdict` of each group that is answered."""
    found = []
    for group, sets in groups:
        if not _needs_answer(group):
            continue
        status, _declared, received, accepted, *group_codes = group_answer(
            group, sets, options["strict"]
        )
        found.append(
            GroupVerdict(
                group.functional_id,
                group.control_number,
                _ack_kind(group.version, options.get("kind")),
                status,
                tuple(group_codes),
                int(received),
                int(accepted),
                dict(sets.exceptions),
            )
        )
    return found


def _ta1_verdict(interchange, options):
    if not _wants_ta1(interchange, options["ta1"]):
        return None
    _tag, _control, _date, _time, status, note = ta1_segment(interchange, options["strict"])
    return status, note


class _GroupSets:
    """The sets of one group as its answer needs them: the text of their AK2 loops, written
    as each set is read (with ``delimiters``, those of the answer, in a 999 when
    ``implementation``), and the counts of AK9."""

    __slots__ = (
        "accepted",
        "count",
        "exceptions",
        "implementation",
        "noted",
        "parts",
        "received",
        "reserved",
        "texts",
        "wide",
        "writer",
    )

    def __init__(self, delimiters, implementation=False):
        #: Written texts and the results of sets kept, in the order of the sets.
        self.parts = []
        #: The texts of the last sets and their number of segments, to be joined.
        self.texts = []
        self.count = 0
        #: The delimiters of an 005010 answer: their reserved characters hold those of an
        #: 004010 one, and their repetition separator is the one character in the difference.
        self.wide = delimiters.with_repetition("00501") if delimiters else None
        self.reserved = self.wide.reserved if delimiters else frozenset()
        self.writer = BodyWriter(self.wide) if delimiters else None
        self.implementation = implementation
        self.received = self.accepted = 0
        self.noted = False
        #: The AK5 of each set not simply accepted: ``{control number: (status, codes)}``.
        self.exceptions = {}

    def add(self, result):
        """Count the set of ``result`` and write its AK2 loop, or keep the result when the
        text of the loop cannot be told yet."""
        self.received += 1
        self.accepted += result.status in (codes.ACCEPTED, codes.ACCEPTED_WITH_ERRORS)
        self.noted = self.noted or result.status == codes.ACCEPTED_WITH_ERRORS
        if result.status != codes.ACCEPTED:
            self.exceptions[result.control_number] = (result.status, result.codes)
        written = self._written_loop(result)
        if written is None:
            self._join()
            self.parts.append(result)
            return
        self.texts.append(written.text)
        self.count += written.count
        if len(self.texts) >= _SETS_PER_TEXT:
            self._join()

    def _join(self):
        if self.texts:
            self.parts.append(Written("".join(self.texts), self.count))
            self.texts, self.count = [], 0

    def loops(self, implementation, reserved):
        """The AK2 loops of the sets: their text, and the segments of the sets kept, written
        without the ``reserved`` characters."""
        self._join()
        for part in self.parts:
            if isinstance(part, Written):
                yield part
            else:
                yield from set_loop(part, implementation, reserved)

    def _written_loop(self, result):
        """The AK2 loop of ``result`` as a :class:`Written`, the same text in an 004010 and
        in an 005010 answer; None when it may differ (a copy or segment ID holding the
        repetition separator) or cannot be written: the set is then written when the answer
        is, failing as it did."""
        repetition = self.wide.repetition
        for note in result.segment_notes:
            if repetition in note.tag or any(repetition in e.value for e in note.elements):
                return None
        try:
            loop = set_loop(result, self.implementation, self.reserved)
            return self.writer.write(loop)
        except ValueError:
            return None


def _set_result(unit, strict, supported, delimiters):
    found = list(dict.fromkeys(d.code for d in unit.discrepancies if d.code))
    if supported is not None and unit.kind not in supported:
        found.insert(0, codes.SET_NOT_SUPPORTED)
    notes = tuple(segment_notes(unit.segments, delimiters, text=unit.text))
    if notes and codes.SET_SEGMENTS_IN_ERROR not in found:
        found.append(codes.SET_SEGMENTS_IN_ERROR)
    fatal = {codes.SET_TRAILER_MISSING, codes.SET_NOT_SUPPORTED}
    if not found:
        status = codes.ACCEPTED
    elif strict or fatal.intersection(found):
        status = codes.REJECTED
    else:
        status = codes.ACCEPTED_WITH_ERRORS
    header = unit.segments[0] if unit.segments else []
    implementation = _text(header[3]) if len(header) > 3 else ""
    return _SetResult(
        unit.kind,
        unit.control_number,
        implementation,
        status,
        tuple(found[:MAX_ERROR_CODES]),
        notes,
    )


def _answer(interchange, groups, control_numbers, options):
    answered = [(group, sets) for group, sets in groups if _needs_answer(group)]
    want_ta1 = _wants_ta1(interchange, options["ta1"])
    if not answered and not want_ta1:
        return None
    control = control_numbers("interchange")
    kind = options.get("kind")
    version = _envelope_version(_ack_kind(group.version, kind) for group, _sets in answered)
    delimiters = options["delimiters"] or interchange.delimiters
    # The delimiters the answer is written with: AK301 / AK404 copies must not hold them.
    reserved = delimiters.with_repetition(version[:5]).reserved
    ack_groups = _ack_groups(answered, control_numbers, options["strict"], kind, reserved)
    envelope = Envelope(
        sender=interchange.receiver,
        receiver=interchange.sender,
        control_number=control,
        version=version,
        usage=codes_usage(interchange.usage),
        when=options["when"],
    )
    segments = [ta1_segment(interchange, options["strict"])] if want_ta1 else []
    try:
        return render(envelope, ack_groups, delimiters, interchange_segments=segments)
    except ValueError as exc:
        raise ParseError(f"cannot acknowledge this interchange: {exc}", format=FORMAT) from None


def _wants_ta1(interchange, ta1):
    """Whether ``interchange`` is answered with a TA1: as its sender asks (ISA14) when
    ``ta1`` is None, always or never when it is True or False, and with
    :data:`TA1_ON_ERRORS` as asked and whenever its own envelope is wrong."""
    if ta1 == TA1_ON_ERRORS:
        return interchange.ack_requested or bool(interchange.discrepancies)
    return interchange.ack_requested if ta1 is None else ta1


def _needs_answer(group):
    return bool(group.functional_id) and group.functional_id.upper() != ACK_GROUP_ID


def codes_usage(usage):
    """The usage indicator of an answer: the inbound one, production when it is not T."""
    return "T" if usage == "T" else "P"


def _envelope_version(ack_kinds):
    """The version of an answer holding sets of ``ack_kinds``: 005010 when one is a 999."""
    return "005010" if IMPLEMENTATION_ACK in set(ack_kinds) else FUNCTIONAL_ACK_VERSION


def _ack_kind(version, kind=None):
    """The set answering a group of ``version`` (GS08): ``kind`` when given, else by the
    version."""
    if kind:
        return IMPLEMENTATION_ACK if kind == IMPLEMENTATION_ACK else FUNCTIONAL_ACK
    return IMPLEMENTATION_ACK if is_implementation_ack_version(version) else FUNCTIONAL_ACK


def _ack_groups(answered, control_numbers, strict, kind=None, reserved=frozenset()):
    by_kind = {FUNCTIONAL_ACK: [], IMPLEMENTATION_ACK: []}
    for group, sets in answered:
        by_kind[_ack_kind(group.version, kind)].append((group, sets))
    return [
        _ack_group(kind, items, control_numbers, strict, reserved)
        for kind, items in by_kind.items()
        if items
    ]


def _ack_group(kind, items, control_numbers, strict, reserved):
    first = items[0][0]
    implementation = kind == IMPLEMENTATION_ACK
    control = control_numbers("group")
    sets = [
        TransactionSet(
            kind,
            ack_body(kind, group, sets, strict, reserved=reserved),
            control_numbers("set"),
            IMPLEMENTATION_ACK_VERSION if implementation else "",
        )
        for group, sets in items
    ]
    return FunctionalGroup(
        ACK_GROUP_ID,
        control,
        sets,
        version=IMPLEMENTATION_ACK_VERSION if implementation else FUNCTIONAL_ACK_VERSION,
        sender=first.receiver,
        receiver=first.sender,
    )


def ack_body(kind, group, sets, strict, *, reserved=frozenset()):
    """The body of the 997 or 999 answering ``group`` whose sets are ``sets`` (their AK2
    loops as :class:`Written` text or segments); ``reserved`` holds the characters the answer
    cannot carry (its delimiters)."""
    implementation = kind == IMPLEMENTATION_ACK
    ak1 = ["AK1", group.functional_id, group.control_number]
    body = [ak1 + [group.version] if implementation else ak1]
    body.extend(sets.loops(implementation, reserved))
    body.append(["AK9", *group_answer(group, sets, strict)])
    return body


def set_loop(result, implementation, reserved=frozenset()):
    """The segments of the AK2 loop answering a set (its result): AK2, the AK3 / AK4 (IK3 /
    IK4) of its segment notes, AK5 (IK5)."""
    ak2 = ["AK2", result.kind, result.control_number]
    if implementation and result.implementation:
        ak2.append(result.implementation)
    loop = [ak2]
    for note in result.segment_notes:
        loop.extend(segment_note_segments(note, implementation, reserved))
    loop.append(["IK5" if implementation else "AK5", result.status, *result.codes])
    return loop


def segment_note_segments(note, implementation, reserved=frozenset()):
    """The AK3 and its AK4 (IK3 / IK4 in a 999 when ``implementation``) reporting ``note``
    (a :class:`~.checks.SegmentNote`), none when its tag has nothing writable."""
    prefix = "IK" if implementation else "AK"
    tag = _writable(note.tag, reserved)[:3]
    if not tag:
        return []
    found = [[f"{prefix}3", tag, str(note.position), "", note.code]]
    for element in note.elements:
        segment = [f"{prefix}4", _position(element, implementation), "", element.code]
        copy = _writable(element.value, reserved)[:MAX_COPY_LENGTH]
        found.append(segment + [copy] if copy else segment)
    return found


def _position(element, implementation):
    """AK401 / IK401 (C030): the element position, then the component position and, in a
    999, the repetition, as far as they are known."""
    parts = [str(element.position), str(element.component or "")]
    if implementation:
        parts.append(str(element.repetition or ""))
    while parts[-1] == "":
        parts.pop()
    return parts[0] if len(parts) == 1 else tuple(parts)


def _writable(value, reserved):
    """``value`` without the characters an answer cannot carry: control characters and the
    ``reserved`` ones (its delimiters)."""
    return "".join(
        char for char in value if char not in reserved and not INVALID_CHARACTER.match(char)
    )


def group_answer(group, sets, strict):
    """AK901..AK909 of ``group``: status, sets included, received, accepted, 716 codes;
    ``sets`` counts the sets received, accepted and whether errors were ``noted``."""
    found = list(dict.fromkeys(d.code for d in group.discrepancies if d.code))
    received, accepted = sets.received, sets.accepted
    if (found and strict) or (received and not accepted):
        status = codes.REJECTED
    elif accepted < received:
        status = codes.PARTIALLY_ACCEPTED
    elif found or sets.noted:
        status = codes.ACCEPTED_WITH_ERRORS
    else:
        status = codes.ACCEPTED
    counts = [str(_declared_sets(group)), str(received), str(accepted)]
    return [status, *counts, *found[:MAX_ERROR_CODES]]


def _declared_sets(group):
    """GE01 as the sender wrote it (the count when it matched or is missing)."""
    for discrepancy in group.discrepancies:
        if discrepancy.element == "GE01" and count_value(discrepancy.found) >= 0:
            return count_value(discrepancy.found)
    return group.unit_count


def ta1_segment(interchange, strict):
    """The TA1 answering ``interchange``: accepted, or the first discrepancy's note code."""
    found = [d.code for d in interchange.discrepancies if d.code]
    if not found:
        status, note = codes.ACCEPTED, codes.NOTE_NO_ERROR
    else:
        status = codes.REJECTED if strict else codes.ACCEPTED_WITH_ERRORS
        note = found[0]
    control = interchange.control_number
    return ["TA1", control, interchange.date, interchange.time, status, note]


# --------------------------------------------------------------------------------------------
# Reading received acknowledgements
# --------------------------------------------------------------------------------------------


@dataclass
class ElementError:
    """An AK4 / IK4: the element ``position`` (``"2"``, ``"2:1"``), its dictionary
    ``reference`` number, the 723 ``code`` and its ``text``, and the ``bad_value``."""

    position: str
    reference: str
    code: str
    text: str
    bad_value: str = ""


@dataclass
class SegmentError:
    """An AK3 / IK3: ``segment_id``, its ``position`` in the set, ``loop``, the 720 ``code``
    and its ``text``, and the element errors under it."""

    segment_id: str
    position: str
    loop: str
    code: str
    text: str
    elements: list = field(default_factory=list)


@dataclass
class SetAck:
    """An AK2 loop: the acknowledged set (``kind``, ``control_number`` = AK202), its
    ``status`` (717 code) in words, the 718 ``codes`` and their ``errors`` in words."""

    kind: str
    control_number: str
    status: str = ""
    status_text: str = ""
    codes: tuple = ()
    errors: tuple = ()
    segment_errors: list = field(default_factory=list)

    @property
    def accepted(self):
        """Tell whether the set was accepted, with or without noted errors."""
        return self.status in (codes.ACCEPTED, codes.ACCEPTED_WITH_ERRORS)


@dataclass
class GroupAck:
    """One 997 or 999 (``ack_kind``): the acknowledged group (``functional_id``,
    ``control_number`` = AK102, ``version`` = AK103), its ``status`` (715), counts, 716
    ``codes`` with ``errors`` in words, and its sets."""

    ack_kind: str
    functional_id: str = ""
    control_number: str = ""
    version: str = ""
    status: str = ""
    status_text: str = ""
    included: int = -1
    received: int = -1
    accepted: int = -1
    codes: tuple = ()
    errors: tuple = ()
    sets: list = field(default_factory=list)


@dataclass
class InterchangeAck:
    """A TA1: the acknowledged interchange (``control_number`` = TA101, its date and time),
    its ``status`` (I17) and ``note_code`` (I18), both in words."""

    control_number: str
    date: str
    time: str
    status: str
    status_text: str
    note_code: str
    note: str


def read_acknowledgements(source, *, strict=False):
    """The acknowledgements in X12 ``source``: a :class:`GroupAck` per 997 / 999 and an
    :class:`InterchangeAck` per TA1, in reading order; other sets are skipped."""
    reader = X12Reader(source, strict=strict)
    found = []
    for event in reader.events():
        if isinstance(event, InterchangeSegment) and event.elements[0] == "TA1":
            found.append(_interchange_ack(event.elements))
        elif isinstance(event, Unit) and event.kind in _ACK_KINDS:
            found.extend(_AckParser(event.kind).parse(event.segments))
    return found


def _interchange_ack(elements):
    values = [_text(value) for value in elements] + [""] * 6
    status, note = values[4].strip(), values[5].strip()
    return InterchangeAck(
        control_number=values[1].strip(),
        date=values[2],
        time=values[3],
        status=status,
        status_text=codes.describe(codes.INTERCHANGE_ACK_CODES, status),
        note_code=note,
        note=codes.describe(codes.NOTE_CODES, note),
    )


def _text(value):
    return ":".join(value) if isinstance(value, tuple) else value


def _values(segment, count):
    return [_text(value).strip() for value in segment[1:]] + [""] * count


def _words(table, found):
    return tuple(codes.describe(table, code) for code in found)


class _AckParser:
    """Reads the segments of one 997 or 999 into :class:`GroupAck` objects."""

    def __init__(self, kind):
        self.kind = kind
        self.groups = []
        self.set = None
        self.segment = None

    def parse(self, segments):
        """The group acknowledgements of ``segments`` (ST to SE)."""
        handlers = {
            "AK1": self._ak1,
            "AK2": self._ak2,
            "AK3": self._ak3,
            "IK3": self._ak3,
            "AK4": self._ak4,
            "IK4": self._ak4,
            "AK5": self._ak5,
            "IK5": self._ak5,
            "AK9": self._ak9,
        }
        for segment in segments:
            handler = handlers.get(segment[0])
            if handler is not None:
                handler(_values(segment, 10))
        return self.groups

    def _group(self):
        if not self.groups:
            self.groups.append(GroupAck(self.kind))
        return self.groups[-1]

    def _ak1(self, values):
        self.groups.append(GroupAck(self.kind, *values[:3]))
        self.set = None

    def _ak2(self, values):
        self.set = SetAck(values[0], values[1])
        self.segment = None
        self._group().sets.append(self.set)

    def _current_set(self):
        if self.set is None:
            self._ak2(["", ""])
        return self.set

    def _ak3(self, values):
        text = codes.describe(codes.SEGMENT_ERRORS, values[3])
        self.segment = SegmentError(*values[:4], text)
        self._current_set().segment_errors.append(self.segment)

    def _ak4(self, values):
        text = codes.describe(codes.ELEMENT_ERRORS, values[2])
        if self.segment is None:
            self._ak3(["", "", "", ""])
        self.segment.elements.append(ElementError(*values[:3], text, values[3]))

    def _ak5(self, values):
        current = self._current_set()
        current.status = values[0]
        current.status_text = codes.describe(codes.SET_ACK_CODES, values[0])
        current.codes = tuple(code for code in values[1:6] if code)
        current.errors = _words(codes.SET_ERRORS, current.codes)

    def _ak9(self, values):
        group = self._group()
        group.status = values[0]
        group.status_text = codes.describe(codes.GROUP_ACK_CODES, values[0])
        group.included, group.received, group.accepted = (count_value(v) for v in values[1:4])
        group.codes = tuple(code for code in values[4:9] if code)
        group.errors = _words(codes.GROUP_ERRORS, group.codes)
