"""Write X12 interchanges: transaction sets wrapped in ST/SE, GS/GE and ISA/IEA.

The caller gives every control number (the Odoo side draws them from database sequences):
``Envelope.control_number`` (ISA13/IEA02), ``FunctionalGroup.control_number`` (GS06/GE02) and
``TransactionSet.control_number`` (ST02/SE02); the writer counts SE01, GE01 and IEA01. A set is
a list of segments, each a list ``[tag, element, ...]`` whose composite elements are tuples or
lists of components. A data element holding a delimiter or a line end is refused with a
``ValueError``: escaping does not exist in X12.

A body may also hold :class:`Written` segments, written to text beforehand by a
:class:`BodyWriter`: a writer that produces its sets one by one (such as the 997 answering a
long interchange) keeps their text, not their segments, and SE01 still counts them.
"""

from dataclasses import dataclass, field
from datetime import datetime, timezone

from .syntax import ENVELOPE_TAGS, Delimiters

DEFAULT_DELIMITERS = Delimiters()
#: Functional identifier codes (element 479, GS01) of the sets the suite exchanges.
FUNCTIONAL_IDS = {
    "110": "IA",
    "204": "SM",
    "210": "IM",
    "214": "QM",
    "810": "IN",
    "846": "IB",
    "850": "PO",
    "855": "PR",
    "856": "SH",
    "940": "OW",
    "943": "AR",
    "944": "RE",
    "945": "SW",
    "990": "GF",
    "997": "FA",
    "999": "FA",
}
ISA_CONTROL_DIGITS = 9
SET_CONTROL_MIN_DIGITS = 4
_MAX_CONTROL_NUMBER = 10**ISA_CONTROL_DIGITS - 1
USAGES = ("T", "P")


@dataclass(frozen=True)
class TransactionSet:
    """One set to write: ``kind`` (ST01, ``"214"``), its body ``segments`` (without ST/SE;
    :class:`Written` segments may stand among them), its ``control_number`` (ST02) and, for
    005010 implementation guides, ``implementation`` (ST03, ``"005010X231"``)."""

    kind: str
    segments: list
    control_number: int
    implementation: str = ""


@dataclass(frozen=True, slots=True)
class Written:
    """Body segments already written as text (by :class:`BodyWriter`): ``text``, each
    segment followed by the terminator and suffix, and their ``count``. It may stand among the
    segments of a :class:`TransactionSet` rendered with the same delimiters (the repetition
    separator aside, which a body writer reserves or not); SE01 counts its ``count``."""

    text: str
    count: int


@dataclass(frozen=True)
class FunctionalGroup:
    """One GS/GE group: ``functional_id`` (GS01, ``"QM"``), ``control_number`` (GS06), its
    ``sets``, ``version`` (GS08, default the envelope's) and application ``sender`` /
    ``receiver`` codes (GS02/GS03, default the interchange ids)."""

    functional_id: str
    control_number: int
    sets: list = field(default_factory=list)
    version: str = ""
    sender: str = ""
    receiver: str = ""


@dataclass(frozen=True)
class Envelope:
    """The interchange header: ``sender`` and ``receiver`` as ``(qualifier, id)`` (ISA05-08),
    ``control_number`` (ISA13), ``version`` of the groups (``"004010"``; ISA12 is its first five
    digits, ``00401``), ``usage`` T or P (ISA15), ``ack_requested`` (ISA14), ``when`` (ISA09/10
    and GS04/05, now in UTC by default), ``authorization`` and ``security`` as ``(qualifier,
    information)`` (ISA01-04)."""

    sender: tuple
    receiver: tuple
    control_number: int
    version: str = "004010"
    usage: str = "P"
    ack_requested: bool = False
    when: datetime = None
    authorization: tuple = ("00", "")
    security: tuple = ("00", "")

    @property
    def control_version(self):
        """ISA12: the first five digits of the version (``004010`` -> ``00401``)."""
        return self.version[:5]


def render(envelope, groups, delimiters=DEFAULT_DELIMITERS, *, interchange_segments=()):
    """Return the interchange of ``groups`` (:class:`FunctionalGroup`) in ``envelope`` with
    ``delimiters`` as bytes (UTF-8). ``interchange_segments`` (such as a TA1) go between the
    ISA and the first GS. ValueError names what cannot be written."""
    delimiters = delimiters.with_repetition(envelope.control_version).check()
    writer = _Writer(delimiters)
    when = envelope.when or datetime.now(timezone.utc)
    writer.add(_isa(envelope, delimiters, when), delimiter_at=(11, 16))
    for segment in interchange_segments:
        writer.add(segment)
    for group in groups:
        _render_group(writer, group, envelope, when)
    writer.add(["IEA", str(len(groups)), _isa_control(envelope.control_number)])
    return writer.text().encode("utf-8")


class BodyWriter:
    """Writes body segments to text with ``delimiters`` ahead of :func:`render`, refusing
    what it refuses (ValueError); the delimiters themselves are checked by :func:`render`."""

    __slots__ = ("_writer",)

    def __init__(self, delimiters=DEFAULT_DELIMITERS):
        self._writer = _Writer(delimiters)

    def write(self, segments):
        """``segments`` (body segments, as in :class:`TransactionSet`) as a :class:`Written`."""
        texts = []
        for segment in segments:
            _check_body_tag(segment)
            texts.append(self._writer.segment_text(segment))
        return Written("".join(texts), len(segments))


def render_sets(
    kind,
    sets,
    *,
    sender,
    receiver,
    control_numbers,
    version="004010",
    usage="T",
    ack_requested=False,
    applications=("", ""),
    delimiters=DEFAULT_DELIMITERS,
    when=None,
):
    """One interchange from ``sender`` to ``receiver`` of ``sets`` (the body segments of
    each set of ``kind``) in one functional group (GS01 from :data:`FUNCTIONAL_IDS`, ``ZZ``
    for a kind it does not list, GS02/GS03 from ``applications``); the control numbers are
    drawn from ``control_numbers(level)``: interchange, group, then each set."""
    envelope = Envelope(
        sender,
        receiver,
        control_numbers("interchange"),
        version=version,
        usage=usage,
        ack_requested=ack_requested,
        when=when,
    )
    group_control = control_numbers("group")
    documents = [TransactionSet(kind, list(body), control_numbers("set")) for body in sets]
    group = FunctionalGroup(
        FUNCTIONAL_IDS.get(kind, "ZZ"),
        group_control,
        documents,
        sender=applications[0],
        receiver=applications[1],
    )
    return render(envelope, [group], delimiters)


def _render_group(writer, group, envelope, when):
    version = group.version or envelope.version
    writer.add(
        [
            "GS",
            group.functional_id,
            group.sender or envelope.sender[1],
            group.receiver or envelope.receiver[1],
            when.strftime("%Y%m%d"),
            when.strftime("%H%M"),
            _control(group.control_number, 1),
            "X",
            version,
        ]
    )
    for transaction_set in group.sets:
        _render_set(writer, transaction_set)
    writer.add(["GE", str(len(group.sets)), _control(group.control_number, 1)])


def _render_set(writer, transaction_set):
    control = _control(transaction_set.control_number, SET_CONTROL_MIN_DIGITS)
    header = ["ST", transaction_set.kind, control]
    if transaction_set.implementation:
        header.append(transaction_set.implementation)
    writer.add(header)
    count = 0
    for segment in transaction_set.segments:
        if isinstance(segment, Written):
            writer.add_written(segment)
            count += segment.count
            continue
        _check_body_tag(segment)
        writer.add(segment)
        count += 1
    writer.add(["SE", str(count + 2), control])


def _check_body_tag(segment):
    if not segment or not isinstance(segment[0], str):
        raise ValueError(f"a segment must start with its tag: {segment!r}")
    tag = segment[0]
    if tag.upper() in ENVELOPE_TAGS or not (2 <= len(tag) <= 3 and tag.isalnum()):
        raise ValueError(f"segment tag {tag!r} cannot be written inside a transaction set")


def _isa(envelope, delimiters, when):
    if envelope.usage not in USAGES:
        raise ValueError(f"usage must be T or P, not {envelope.usage!r}")
    repetition = delimiters.repetition or "U"
    return [
        "ISA",
        _fixed(envelope.authorization[0], 2, "ISA01"),
        _fixed(envelope.authorization[1], 10, "ISA02"),
        _fixed(envelope.security[0], 2, "ISA03"),
        _fixed(envelope.security[1], 10, "ISA04"),
        _fixed(envelope.sender[0], 2, "ISA05"),
        _fixed(envelope.sender[1], 15, "ISA06"),
        _fixed(envelope.receiver[0], 2, "ISA07"),
        _fixed(envelope.receiver[1], 15, "ISA08"),
        when.strftime("%y%m%d"),
        when.strftime("%H%M"),
        repetition,
        _fixed(envelope.control_version, 5, "ISA12"),
        _isa_control(envelope.control_number),
        "1" if envelope.ack_requested else "0",
        envelope.usage,
        delimiters.component,
    ]


def _fixed(value, width, name):
    if len(value) > width:
        raise ValueError(f"{name} {value!r} is longer than {width} characters")
    return value.ljust(width)


def _isa_control(number):
    return _control(number, ISA_CONTROL_DIGITS)


def _control(number, digits):
    """A control number as X12 writes it: digits, zero-padded to ``digits``."""
    text = str(number)
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= _MAX_CONTROL_NUMBER:
        raise ValueError(f"control number {number!r} must be a number from 1 to 999999999")
    return text.zfill(digits)


class _Writer:
    """Joins segments with the delimiters, refusing data that holds one of them."""

    def __init__(self, delimiters):
        self.delimiters = delimiters
        self.reserved = delimiters.reserved
        self.end = delimiters.terminator + delimiters.suffix
        self.parts = []

    def add(self, segment, delimiter_at=()):
        """Append ``segment`` (``[tag, element, ...]``); the elements at ``delimiter_at`` are
        delimiters themselves (ISA11, ISA16) and are not checked."""
        self.parts.append(self.segment_text(segment, delimiter_at))

    def segment_text(self, segment, delimiter_at=()):
        """``segment`` written, followed by the terminator and suffix."""
        tag = segment[0]
        elements = [
            value if index in delimiter_at else self._element(value, tag)
            for index, value in enumerate(segment)
        ]
        return self.delimiters.element.join(elements) + self.end

    def add_written(self, written):
        """Append the segments of ``written`` (a :class:`Written`) as they are."""
        self.parts.append(written.text)

    def _element(self, value, tag):
        if isinstance(value, (tuple, list)):
            components = [self._plain(part, tag) for part in value]
            return self.delimiters.component.join(components)
        return self._plain(value, tag)

    def _plain(self, value, tag):
        if not isinstance(value, str):
            raise ValueError(f"segment {tag}: element {value!r} is not text")
        if self.reserved.intersection(value):
            found = sorted(self.reserved.intersection(value))
            raise ValueError(f"segment {tag}: element {value!r} holds the delimiter {found[0]!r}")
        return value

    def text(self):
        """Every segment added, each followed by the terminator and suffix."""
        return "".join(self.parts)
