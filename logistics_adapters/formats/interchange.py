"""The one door of the Odoo core to X12 and EDIFACT: read a partner's interchanges as a
stream, hand each document on alone, acknowledge, read acknowledgements, write ours.

The core's EDI handlers call only this module, so they never ask which standard a payload
speaks; the standards themselves live in :mod:`.x12` and :mod:`.edifact`, and nothing here
knows what a 945 means. Whatever a payload holds, the functions raise nothing but
:class:`~logistics_adapters.errors.ParseError` (an
:class:`~logistics_adapters.formats.edi.EnvelopeError` in strict mode).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import ParseError
from ..registry import Identity
from . import edifact, x12
from .edi import EDIFACT, X12, Interchange, Unit, detect_standard
from .x12.reader import InterchangeSegment

FORMAT = "edi"
CONTENT_TYPES = {X12: "application/edi-x12", EDIFACT: "application/edifact"}
ACK_KINDS = {"997", "999", "CONTRL"}
#: X12 functional identifier codes (GS01), by transaction set.
FUNCTIONAL_IDS = x12.FUNCTIONAL_IDS
#: Our verdicts, in the core's words (``odoo.addons.logistics_integration.edi``).
ACCEPTED, ACCEPTED_WITH_ERRORS, REJECTED = "accepted", "accepted_errors", "rejected"
_X12_VERDICTS = {"A": ACCEPTED, "E": ACCEPTED_WITH_ERRORS, "P": ACCEPTED_WITH_ERRORS}
_EDIFACT_VERDICTS = {"acknowledged": ACCEPTED, "partially rejected": ACCEPTED_WITH_ERRORS}


def standard_of(data):
    """The standard ``data`` speaks, ``x12`` or ``edifact``; ParseError otherwise."""
    standard = detect_standard(bytes(data[:64]) if not isinstance(data, str) else data.encode())
    if not standard:
        raise ParseError(
            "neither X12 (starting with ISA) nor EDIFACT (starting with UNA or UNB)", format=FORMAT
        )
    return standard


def _module(standard):
    return x12 if standard == X12 else edifact


def identify(data):
    """The identity of a payload: its first interchange's key (sender, receiver, control
    number) as message id, and that interchange as reference."""
    header = _module(standard_of(data)).read_header(data)
    label = "ISA" if header.standard == X12 else "UNB"
    return Identity((f"{label} {header.control_number} from {header.sender[1]}",), _key(header))


def _key(interchange):
    return ":".join(interchange.key)


# -- reading -------------------------------------------------------------------------------


def read(data, *, strict=False):
    """Yield one :class:`InterchangeReading` per interchange of ``data``, in order.

    Read each one's documents with :meth:`InterchangeReading.units` before asking for the
    next: the payload is read once, as a stream, and memory stays flat in the number of
    documents.
    """
    standard = standard_of(data)
    reader_class = x12.X12Reader if standard == X12 else edifact.EdifactReader
    reader = reader_class(data, strict=strict)
    events = reader.events()
    while (first := next(events, None)) is not None:
        header = reader.current or getattr(reader, "last", None)
        reading = InterchangeReading(standard, header, first, events)
        yield reading
        reading.finish()


class InterchangeReading:
    """One interchange being read: its header at once (``interchange``: sender, receiver,
    control number, usage), its documents as they come (:meth:`units`), its envelope
    whole once they are read (:meth:`describe`)."""

    def __init__(self, standard, interchange, first, events):
        self.standard = standard
        self.interchange = interchange
        self.interchange_acks = []
        self.document_counts = {}
        self.unit_discrepancies = []
        self._pending = first
        self._events = events
        self._closed = False

    def units(self):
        """Yield the documents (:class:`~.edi.Unit`) of this interchange as they are read."""
        while not self._closed:
            event = self._next()
            if event is None:
                return
            if isinstance(event, Unit):
                self._count(event)
                yield event
            elif isinstance(event, InterchangeSegment):
                self.interchange_acks.append(event)
            elif isinstance(event, Interchange):
                self.interchange = event
                self._closed = True

    def finish(self):
        """Read what is left of this interchange."""
        for _unit in self.units():
            pass

    def _next(self):
        if self._pending is not None:
            event, self._pending = self._pending, None
            return event
        return next(self._events, None)

    def _count(self, unit):
        self.document_counts[unit.kind] = self.document_counts.get(unit.kind, 0) + 1
        self.unit_discrepancies.extend(
            f"{unit.kind} {unit.control_number}: {found.describe()}" for found in unit.discrepancies
        )

    def describe(self):
        """The envelope as plain values (call once :meth:`units` is read)."""
        return describe(self.interchange, self.document_counts, self.unit_discrepancies)

    def unit_payload(self, unit):
        """``unit`` alone as a whole interchange (bytes): its envelope's header segments as
        the partner wrote them, the document, trailers counting one."""
        return wrap(unit, self.interchange)

    def unit_key(self, unit):
        """What identifies ``unit`` within the interchange."""
        return f"{unit.group_control_number}/{unit.control_number}/{unit.position}"


def describe(interchange, document_counts, unit_discrepancies=()):
    """An interchange's envelope as plain values, for the core's interchange record."""
    found = [discrepancy.describe() for discrepancy in interchange.all_discrepancies]
    return {
        "standard": interchange.standard,
        "sender": interchange.sender,
        "receiver": interchange.receiver,
        "control_number": interchange.control_number,
        "groups": [group.control_number for group in interchange.groups if group.control_number],
        "version": interchange.version,
        "usage": interchange.usage,
        "date": f"{interchange.date} {interchange.time}".strip(),
        "document_count": sum(document_counts.values()),
        "documents": ", ".join(f"{kind} x {n}" for kind, n in sorted(document_counts.items())),
        "discrepancies": found + list(unit_discrepancies),
    }


def wrap(unit, interchange):
    """``unit`` wrapped alone in the envelope it came in (bytes)."""
    delimiters = interchange.delimiters
    if unit.standard == X12:
        end = delimiters.terminator + delimiters.suffix
        parts = [segment + end for segment in unit.envelope]
        parts.append(unit.text)
        group = unit.group_control_number
        if len(unit.envelope) > 1:
            parts.append(delimiters.element.join(["GE", "1", group]) + end)
        control = interchange.control_number
        parts.append(delimiters.element.join(["IEA", "1", control]) + end)
        return "".join(parts).encode("utf-8")
    una = delimiters.una if delimiters != edifact.DEFAULT else ""
    end = delimiters.terminator
    body = unit.text[len(una) :] if una and unit.text.startswith(una) else unit.text
    parts = [una, *(segment + end for segment in unit.envelope), body]
    if len(unit.envelope) > 1:
        parts.append(delimiters.element.join(["UNE", "1", unit.group_control_number]) + end)
    parts.append(delimiters.element.join(["UNZ", "1", interchange.control_number]) + end)
    return _encode_edifact("".join(parts), interchange.syntax)


def _encode_edifact(text, syntax):
    """``text`` in the first codec the reader would have read ``syntax`` with that can
    write it (the partner's bytes back, as far as the declared level allows)."""
    for codec in edifact.syntax.decodings_of(syntax):
        try:
            return text.encode(codec)
        except UnicodeEncodeError:
            continue
    return text.encode("utf-8", "surrogatepass")


def is_acknowledgement(unit):
    """Whether ``unit`` acknowledges something we sent (997, 999, CONTRL)."""
    return unit.kind.upper() in ACK_KINDS


def document_version(data):
    """The version of the (first) document of a payload: X12 GS08, EDIFACT ``D:96A:UN``."""
    for reading in read(data):
        for unit in reading.units():
            return unit.version
    return ""


# -- acknowledgements we send --------------------------------------------------------------


@dataclass
class WriteSettings:
    """How we write to one partner: identifiers, version, delimiters, usage, and the
    ``next_control_number(level)`` that draws interchange, group and set numbers."""

    standard: str
    sender: tuple
    receiver: tuple
    sender_application: str
    receiver_application: str
    version: str
    delimiters: dict
    newline: bool
    usage: str
    ack_requested: bool
    next_control_number: Callable


@dataclass
class AckSettings:
    """How we acknowledge one partner: ``policy`` none, 997, 999 or auto (by version),
    ``ta1_on_errors``, ``strict`` envelopes, and how we write (:class:`WriteSettings`)."""

    policy: str
    ta1_on_errors: bool
    strict: bool
    write: WriteSettings


@dataclass
class AckResult:
    """The acknowledgement of one interchange: ``payload`` (empty when none is sent),
    its ``kind`` and ``control`` number, the ``verdict`` on the interchange (accepted,
    accepted_errors, rejected), in words in ``detail``, and the verdict of each document
    that was not simply accepted, by control number (:meth:`verdict_of`)."""

    interchange_control: str
    payload: bytes = b""
    kind: str = ""
    control: str = ""
    verdict: str = ""
    set_verdicts: dict = field(default_factory=dict)
    detail: str = ""

    def verdict_of(self, control_number):
        """The verdict on one document: its own, accepted when the answer names it not
        (a rejected interchange rejects all), empty when nothing was answered."""
        if not self.verdict:
            return ""
        if self.verdict == REJECTED:
            return REJECTED
        return self.set_verdicts.get(control_number, ACCEPTED)


def acknowledge(data, settings):
    """The :class:`AckResult` of each interchange of ``data`` that gets an answer under the
    partner's policy, in order."""
    if settings.policy == "none":
        return []
    standard = standard_of(data)
    if standard == X12:
        return _acknowledge_x12(data, settings)
    return _acknowledge_edifact(data, settings)


def _acknowledge_x12(data, settings):
    kind = settings.policy if settings.policy in ("997", "999") else None
    ta1 = x12.ack.TA1_ON_ERRORS if settings.ta1_on_errors else None
    summaries = x12.acknowledge_summaries(
        data,
        control_numbers=settings.write.next_control_number,
        strict=settings.strict,
        ta1=ta1,
        kind=kind,
        delimiters=_x12_delimiters(settings.write),
    )
    return [_x12_result(summary) for summary in summaries if summary.answer]


def _x12_result(summary):
    """Our answer's verdicts, from what it was written from (not read back: a 997 of
    10,000 sets is one set of 20,000 segments)."""
    reports = [_x12_group_report(group) for group in summary.groups]
    if summary.ta1:
        status, note = summary.ta1
        control = summary.interchange.control_number
        reports.insert(0, _x12_ta1_report(control, status, note))
    set_verdicts = {}
    for report in reports:
        set_verdicts.update(report.set_states)
    return AckResult(
        interchange_control=summary.interchange.control_number,
        payload=summary.answer,
        kind="/".join(dict.fromkeys(report.kind for report in reports)),
        control=x12.read_header(summary.answer).control_number,
        verdict=_worst([report.state for report in reports]),
        set_verdicts=set_verdicts,
        detail="\n".join(report.detail for report in reports),
    )


def _x12_group_report(group):
    """What our 997 / 999 says of ``group`` (an :class:`x12.GroupVerdict`), in words."""
    codes = x12.codes
    line = (
        f"{group.kind} for group {group.control_number} ({group.functional_id}): "
        f"{codes.describe(codes.GROUP_ACK_CODES, group.status)}; {group.accepted} of "
        f"{group.received} sets accepted"
    )
    if group.codes:
        line += "; " + ", ".join(codes.describe(codes.GROUP_ERRORS, code) for code in group.codes)
    lines = [line]
    states = {}
    for control, (status, set_codes) in group.exceptions.items():
        states[control] = _X12_VERDICTS.get(status, REJECTED)
        text = f"  set {control}: {codes.describe(codes.SET_ACK_CODES, status)}"
        if set_codes:
            words = "; ".join(codes.describe(codes.SET_ERRORS, code) for code in set_codes)
            text += f" ({words})"
        lines.append(text)
    state = _X12_VERDICTS.get(group.status, REJECTED)
    return AckReport(group.kind, "group", group.control_number, state, states, "\n".join(lines))


def _x12_ta1_report(control, status, note):
    """What our TA1 says of the interchange ``control``, in words."""
    return _x12_report(
        x12.InterchangeAck(
            control_number=control,
            date="",
            time="",
            status=status,
            status_text=x12.codes.describe(x12.codes.INTERCHANGE_ACK_CODES, status),
            note_code=note,
            note=x12.codes.describe(x12.codes.NOTE_CODES, note),
        )
    )


def _acknowledge_edifact(data, settings):
    control = str(settings.write.next_control_number("interchange"))
    answer = edifact.acknowledge(data, strict=settings.strict, control_reference=control)
    results = []
    for ack in edifact.read_acknowledgements(answer):
        report = _edifact_report(ack)
        results.append(
            AckResult(
                interchange_control=ack.interchange_reference,
                payload=answer if not results else b"",
                kind="CONTRL",
                control=control,
                verdict=report.state,
                set_verdicts=report.set_states,
                detail=report.detail,
            )
        )
    return results


def _worst(verdicts):
    for verdict in (REJECTED, ACCEPTED_WITH_ERRORS, ACCEPTED):
        if verdict in verdicts:
            return verdict
    return ""


# -- acknowledgements we receive -----------------------------------------------------------


@dataclass
class AckReport:
    """What a partner's acknowledgement says of one thing we sent: an interchange
    (``level`` interchange, TA1 or CONTRL) or a functional group (997, 999), by its
    ``control_number``; our ``state`` words; the verdict per document; the detail in words."""

    kind: str
    level: str
    control_number: str
    state: str
    set_states: dict = field(default_factory=dict)
    detail: str = ""


def read_ack(data):
    """The :class:`AckReport` objects of an acknowledgement payload (997, 999, TA1 in an
    X12 interchange, or CONTRL)."""
    if standard_of(data) == X12:
        return [_x12_report(ack) for ack in x12.read_acknowledgements(data)]
    return [_edifact_report(ack) for ack in edifact.read_acknowledgements(data)]


def interchange_reports(reading):
    """The TA1 segments met directly in an interchange, as :class:`AckReport` objects."""
    reports = []
    for segment in reading.interchange_acks:
        if segment.elements and segment.elements[0] == "TA1":
            reports.append(_x12_report(x12.ack._interchange_ack(segment.elements)))
    return reports


def _x12_report(ack):
    if isinstance(ack, x12.InterchangeAck):
        state = _X12_VERDICTS.get(ack.status, REJECTED)
        detail = (
            f"TA1 for interchange {ack.control_number}: {ack.status_text}"
            f"{'' if ack.note_code in ('', '000') else f' ({ack.note_code}: {ack.note})'}"
        )
        return AckReport("TA1", "interchange", ack.control_number, state, {}, detail)
    set_states = {
        item.control_number: _X12_VERDICTS.get(item.status, REJECTED) for item in ack.sets
    }
    lines = [
        f"{ack.ack_kind} for group {ack.control_number} ({ack.functional_id}): "
        f"{ack.status_text or ack.status}; {max(ack.accepted, 0)} of "
        f"{max(ack.received, 0)} sets accepted"
        + (f"; {', '.join(ack.errors)}" if ack.errors else "")
    ]
    lines.extend(_x12_set_line(item) for item in ack.sets if item.status != "A")
    return AckReport(
        ack.ack_kind,
        "group",
        ack.control_number,
        _X12_VERDICTS.get(ack.status, REJECTED),
        set_states,
        "\n".join(lines),
    )


def _x12_set_line(item):
    line = f"  set {item.kind} {item.control_number}: {item.status_text or item.status}"
    if item.errors:
        line += f" ({'; '.join(item.errors)})"
    for segment in item.segment_errors:
        line += f"\n    segment {segment.segment_id} at {segment.position}: {segment.text}"
        for element in segment.elements:
            line += f"\n      element {element.position}: {element.text}"
    return line


def _edifact_report(ack):
    rejected = ack.status == "rejected"
    messages = {
        message.reference: _EDIFACT_VERDICTS.get(message.status, REJECTED)
        if message.status != "acknowledged" or not message.errors
        else ACCEPTED_WITH_ERRORS
        for message in ack.messages
    }
    state = REJECTED if rejected else _EDIFACT_VERDICTS.get(ack.status, ACCEPTED)
    if not rejected and (ack.errors or any(v != ACCEPTED for v in messages.values())):
        state = ACCEPTED_WITH_ERRORS
    lines = [f"CONTRL for interchange {ack.interchange_reference}: {ack.action_text}"]
    lines += [f"  {error.code}: {error.text}" for error in ack.errors]
    for message in ack.messages:
        lines.append(f"  message {message.kind} {message.reference}: {message.action_text}")
        lines += [f"    {error.code}: {error.text}" for error in message.errors]
    return AckReport(
        "CONTRL", "interchange", ack.interchange_reference, state, messages, "\n".join(lines)
    )


# -- writing ours --------------------------------------------------------------------------


@dataclass
class Rendered:
    """An interchange of ours: its ``payload``, ``standard``, interchange ``control``
    number and the envelope described as :func:`describe` does."""

    payload: bytes
    standard: str
    control: str
    envelope: dict

    def describe(self):
        """The envelope as plain values, for the core's interchange record."""
        return self.envelope


def render(settings, kind, documents):
    """Write ``documents`` (each a list of segments, a segment ``[tag, element, ...]``)
    of type ``kind`` as one interchange of ours, with fresh control numbers. ValueError
    (a ParseError) names what cannot be written."""
    try:
        if settings.standard == X12:
            return _render_x12(settings, kind, documents)
        return _render_edifact(settings, kind, documents)
    except ValueError as exc:
        raise ParseError(f"cannot write {kind}: {exc}", format=FORMAT) from None


def _render_x12(settings, kind, documents):
    drawn = {}

    def take(level):
        number = settings.next_control_number(level)
        drawn.setdefault(level, number)
        return number

    payload = x12.render_sets(
        kind,
        documents,
        sender=settings.sender,
        receiver=settings.receiver,
        control_numbers=take,
        version=settings.version or "004010",
        usage=settings.usage,
        ack_requested=settings.ack_requested,
        applications=(settings.sender_application, settings.receiver_application),
        delimiters=_x12_delimiters(settings),
    )
    header = x12.read_header(payload)
    envelope_values = describe(header, {kind: len(documents)}) | {"groups": [str(drawn["group"])]}
    return Rendered(payload, X12, header.control_number, envelope_values)


def _x12_delimiters(settings):
    """The delimiters we write to the partner with."""
    delimiters = settings.delimiters
    return x12.Delimiters(
        element=delimiters["element"],
        component=delimiters["component"],
        repetition=delimiters.get("repetition") or "^",
        terminator=delimiters["segment"],
        suffix="\n" if settings.newline else "",
    )


def _render_edifact(settings, kind, documents):
    take = settings.next_control_number
    control = str(take("interchange"))
    messages = []
    for document in documents:
        segments = [list(segment) for segment in document]
        if not segments or segments[0][0] != "UNH":
            raise ValueError(f"an EDIFACT {kind} message starts with its UNH segment")
        segments[0][1] = str(take("set"))
        messages.append(segments)
    syntax, _sep, syntax_version = (settings.version or "UNOC:3").partition(":")
    payload = edifact.render(
        messages,
        sender=settings.sender,
        receiver=settings.receiver,
        control_reference=control,
        syntax=syntax,
        syntax_version=int(syntax_version or 3),
        test=settings.usage == "T",
        ack_requested=settings.ack_requested,
    )
    header = edifact.read_header(payload)
    return Rendered(payload, EDIFACT, control, describe(header, {kind: len(messages)}))
