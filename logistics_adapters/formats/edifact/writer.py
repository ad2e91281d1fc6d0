"""EDIFACT interchanges written from messages given as lists of segments.

A message is a list of segments starting with its UNH; a segment is ``[tag, element, ...]``,
an element a string (or an int) or a list of component strings. The writer adds UNT, UNE
and UNZ with their counts and references, and the UNB (and UNG) from its arguments.

Decisions: a UNA is always written, so a reader never has to guess (syntax 4 interchanges
declare ``*`` as repetition separator, ``UNA:+.?*'``; earlier ones ``UNA:+.? '``); the UNB date
is ``YYMMDD`` up to syntax version 3 and ``CCYYMMDD`` from version 4, as ISO 9735 says; values
are escaped with the release character; trailing empty elements and components are not
written (ISO 9735 forbids trailing separators), so the reader gives them back without; a
character outside the syntax level's repertoire raises :class:`.syntax.RepertoireError`.
"""

import re
from datetime import datetime, timezone

from .syntax import DEFAULT, Delimiters, check_repertoire, encoding_of

SYNTAX_4_DELIMITERS = Delimiters(repetition="*")
_TAG = re.compile(r"[A-Z][A-Z0-9]{2}")


def render(
    messages,
    *,
    sender,
    receiver,
    control_reference,
    syntax="UNOC",
    syntax_version=4,
    when=None,
    test=False,
    ack_requested=False,
    application_reference="",
    group=None,
    delimiters=None,
):
    """Return ``messages`` as one interchange (bytes in the syntax level's encoding).

    ``sender`` and ``receiver`` are ``(qualifier, identifier)`` pairs as on
    :class:`~..edi.Interchange`; ``control_reference`` is UNB05; ``when`` (a datetime, now in
    UTC by default) gives the UNB date and time; ``test`` sets UNB11; ``group``, an
    :class:`~..edi.Group`, wraps the messages in one UNG/UNE with its functional id,
    sender, receiver, control number and version (``D:96A:UN``). Raises ``ValueError`` on a
    malformed message and :class:`.syntax.RepertoireError` on a character ``syntax`` cannot
    carry.
    """
    when = when or datetime.now(timezone.utc)
    version = str(syntax_version)
    delimiters = delimiters or (SYNTAX_4_DELIMITERS if version == "4" else DEFAULT)
    writer = _Writer(syntax, delimiters)
    date = when.strftime("%Y%m%d" if version == "4" else "%y%m%d")
    unb = [[syntax, version], _party(sender), _party(receiver), [date, when.strftime("%H%M")]]
    unb += [control_reference, "", application_reference, ""]
    unb += ["1" if ack_requested else "", "", "1" if test else ""]
    writer.segment(["UNB", *unb])
    count = writer.messages(messages, group, [date, when.strftime("%H%M")])
    writer.segment(["UNZ", count, control_reference])
    return writer.getvalue()


def _party(party):
    qualifier, identifier = party
    return [identifier, qualifier]


class _Writer:
    """Segments escaped, checked and joined in one syntax level and set of delimiters."""

    def __init__(self, syntax, delimiters):
        problem = delimiters.problem()
        if delimiters.release == " ":
            problem = problem or "a release character is needed to write values safely"
        if problem:
            raise ValueError(problem)
        self.syntax = syntax
        self.encoding = encoding_of(syntax)
        self.delimiters = delimiters
        special = re.escape(delimiters.separators)
        self.escape_pattern = re.compile(f"[{special}]")
        self.parts = [delimiters.una]

    def getvalue(self):
        """The interchange written so far, encoded."""
        return "".join(self.parts).encode(self.encoding)

    def messages(self, messages, group, date_time):
        """Write the messages (in ``group`` when given); returns the UNZ01 count."""
        if group is None:
            return sum(1 for message in messages if self.message(message))
        version, release, agency = (group.version.split(":") + ["", "", ""])[:3]
        functional = [group.functional_id, group.sender, group.receiver]
        date_time = [group.date, group.time] if group.date else date_time
        ung = [*functional, date_time, group.control_number, agency, [version, release]]
        self.segment(["UNG", *ung])
        count = sum(1 for message in messages if self.message(message))
        self.segment(["UNE", count, group.control_number])
        return 1

    def message(self, segments):
        """Write one message (its UNH first) and its UNT; returns True."""
        segments = list(segments)
        if not segments or not segments[0] or segments[0][0] != "UNH":
            raise ValueError("a message must start with its UNH segment")
        if any(segment and segment[0] in ("UNT", "UNB", "UNZ") for segment in segments):
            raise ValueError("UNT, UNB and UNZ are written by render, not given")
        for segment in segments:
            self.segment(segment)
        reference = _text(segments[0][1]) if len(segments[0]) > 1 else ""
        self.segment(["UNT", len(segments) + 1, reference])
        return True

    def segment(self, segment):
        """Write ``segment`` (``[tag, element, ...]``)."""
        tag = segment[0] if segment else ""
        if not isinstance(tag, str) or not _TAG.fullmatch(tag):
            raise ValueError(f"{tag!r} is not a segment tag (three upper-case letters or digits)")
        elements = [self._element(tag, number, value) for number, value in enumerate(segment)]
        d = self.delimiters
        self.parts.append(d.element.join(_trimmed(elements)) + d.terminator)

    def _element(self, tag, number, value):
        if number == 0:
            return tag
        components = value if isinstance(value, (list, tuple)) else [value]
        escaped = [
            self._component(tag, number, position, _text(component))
            for position, component in enumerate(components, start=1)
        ]
        return self.delimiters.component.join(_trimmed(escaped))

    def _component(self, tag, number, position, text):
        check_repertoire(self.syntax, text, segment=tag, element=number, component=position)
        release = self.delimiters.release
        return self.escape_pattern.sub(lambda match: release + match.group(), text)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"EDIFACT values are text or integers, not {type(value).__name__}")
    return str(value)


def _trimmed(parts):
    end = len(parts)
    while end > 1 and parts[end - 1] == "":
        end -= 1
    return parts[:end]
