"""What X12 and EDIFACT interchanges have in common, as the Odoo side sees them.

Both standards wrap documents in the same three envelopes: an interchange (X12 ``ISA``/``IEA``,
EDIFACT ``UNB``/``UNZ``) holding functional groups (``GS``/``GE``, ``UNG``/``UNE``, optional in
EDIFACT) holding the documents themselves, a transaction set (``ST``/``SE``) or a message
(``UNH``/``UNT``), here both called a :class:`Unit`. The readers of :mod:`.x12` and
:mod:`.edifact` give the same objects, so the core addon splits, deduplicates and acknowledges
an interchange without knowing which standard it speaks, and no business meaning (what a 945
is) lives here.

An envelope check that fails is a :class:`Discrepancy`: the reader raises it as an
:class:`EnvelopeError` in strict mode and records it on the objects in lenient mode, because
real partners send mismatched counts.
"""

from dataclasses import dataclass, field

from ..errors import ParseError

X12 = "x12"
EDIFACT = "edifact"

#: Usage indicators: test or production (X12 ISA15; EDIFACT UNB11 = 1 means test).
USAGE_TEST = "T"
USAGE_PRODUCTION = "P"

_BLANKS = b" \t\r\n\x1a\x00"
_BOM = b"\xef\xbb\xbf"


def detect_standard(head):
    """The standard a payload starting with ``head`` (bytes) speaks: :data:`X12` (``ISA``),
    :data:`EDIFACT` (``UNA`` or ``UNB``) or ``""``; a BOM, blanks and letter case are ignored."""
    head = bytes(head[:64]).lstrip(_BLANKS)
    head = head.removeprefix(_BOM).lstrip(_BLANKS)[:3].upper()
    if head == b"ISA":
        return X12
    if head in (b"UNA", b"UNB"):
        return EDIFACT
    return ""


@dataclass(frozen=True)
class Discrepancy:
    """An envelope check that did not hold: where (``segment`` tag, its 1-based ``position``
    in the interchange, the ``element`` such as ``SE01``), what was ``expected`` and what was
    ``found``."""

    segment: str
    position: int
    element: str
    expected: str
    found: str
    message: str = ""
    #: The code the standard's acknowledgement gives this problem, "" when it has none (X12:
    #: 718 for a set, 716 for a group, a TA1 note code for the interchange).
    code: str = ""

    def describe(self):
        """One line naming the segment, its position, the element, expected and found."""
        what = f"{self.message}: " if self.message else ""
        return (
            f"{what}{self.segment} (segment {self.position}) {self.element}: "
            f"expected {self.expected!r}, found {self.found!r}"
        )

    def as_dict(self):
        """The discrepancy as plain values, for JSON and the message record."""
        return {
            "segment": self.segment,
            "position": self.position,
            "element": self.element,
            "expected": self.expected,
            "found": self.found,
            "message": self.message,
            "code": self.code,
            "text": self.describe(),
        }


class EnvelopeError(ParseError):
    """An envelope check failed in strict mode; ``discrepancy`` says which."""

    def __init__(self, discrepancy, *, format=None):
        super().__init__(
            discrepancy.describe(),
            format=format,
            segment=discrepancy.segment,
            position=discrepancy.position,
        )
        self.discrepancy = discrepancy

    def __reduce__(self):
        return (EnvelopeError, (self.discrepancy,), {"format": self.format})

    def __setstate__(self, state):
        self.format = state["format"]


@dataclass
class Unit:
    """One document of an interchange: an X12 transaction set or an EDIFACT message.

    ``kind`` is the set or message type (``"214"``, ``"IFTSTA"``), ``version`` its version
    (``"004010"``, ``"D:96A:UN"``), ``control_number`` ST02 or UNH01, ``position`` its
    1-based rank in the interchange, ``first_segment`` the position of its header segment in
    the interchange, ``text`` its segments (header to trailer) in the interchange's
    delimiters, enough to process it alone, ``segment_count`` the segments counted from
    header to trailer, ``discrepancies`` the envelope checks that did not hold for it.
    """

    standard: str
    kind: str
    version: str
    control_number: str
    position: int
    first_segment: int
    text: str
    segment_count: int
    group_control_number: str = ""
    discrepancies: list = field(default_factory=list)
    #: The segments header to trailer, each a list of elements (tag first, a composite element
    #: as a tuple of components), when the reader splits them; ``[]`` otherwise.
    segments: list = field(default_factory=list)
    #: The header segments around it as read (X12 ``ISA`` and ``GS``; EDIFACT ``UNB`` and
    #: ``UNG``), without terminators: enough to wrap the unit alone as an interchange.
    envelope: tuple = ()


@dataclass
class Group:
    """A functional group (X12 GS/GE, EDIFACT UNG/UNE; EDIFACT without UNG has one implicit
    group with an empty ``control_number``)."""

    functional_id: str
    sender: str
    receiver: str
    control_number: str
    version: str
    date: str = ""
    time: str = ""
    unit_count: int = 0
    discrepancies: list = field(default_factory=list)


@dataclass
class Interchange:
    """The outer envelope, with what deduplication, routing and acknowledgement need.

    ``sender`` and ``receiver`` are ``(qualifier, identifier)`` pairs, identifiers stripped of
    their padding; ``usage`` is :data:`USAGE_TEST` or :data:`USAGE_PRODUCTION`;
    ``ack_requested`` tells whether the sender asked for an interchange acknowledgement
    (X12 ISA14, EDIFACT UNB09); ``version`` is ISA12 or the EDIFACT syntax (``"UNOC:3"``).
    """

    standard: str
    sender: tuple
    receiver: tuple
    control_number: str
    date: str
    time: str
    usage: str
    version: str
    ack_requested: bool = False
    groups: list = field(default_factory=list)
    discrepancies: list = field(default_factory=list)
    #: The delimiters read from the header (a standard's own object), to answer in them.
    delimiters: object = None

    @property
    def key(self):
        """What makes an interchange a duplicate of another: sender, receiver, control number."""
        return (self.standard, *self.sender, *self.receiver, self.control_number)

    @property
    def all_discrepancies(self):
        """The discrepancies of the interchange envelope and of its groups (a unit keeps its
        own)."""
        found = list(self.discrepancies)
        for group in self.groups:
            found.extend(group.discrepancies)
        return found
