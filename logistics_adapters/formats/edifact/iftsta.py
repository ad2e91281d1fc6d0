"""``edifact-iftsta``: IFTSTA status reports (D.96A, EANCOM) read into Milestones.

One Milestone per status event (STS) of each consignment (CNI), and one per package when the
event lists its packages (GID with GIN ``BJ``, the SSCC, as ``tracking_number``). An STS
segment group runs until the next STS, CNI or UNT, so the goods items after an STS are the
ones it reports on (the published sample's fourth consignment: one package lost, two
delivered).

* ``reference``: the consignment number (CNI 1004); ``partner_status``: the 9011 event code,
  ``status`` through :data:`.iftsta_statuses.STATUSES`; ``reason_code``: the first 9013;
  ``partner_status_text``: the event's label, the reason in words and any date problem;
* ``occurred_at``: DTM ``334`` (status event date/time) of the event, naive (local time, no
  zone); an event without one is dated by the document date (DTM ``137``), the status being
  the one reported as of the report. A DTM ``334`` that is not a real date (the sample's
  ``20020148``) keeps the event undated (``occurred_at`` None) with the problem noted in
  ``partner_status_text``: the other consignments of the report are not refused for it, and
  no date is guessed;
* ``location``: LOC (C517: code, then name), of the event or else of its consignment;
* ``references``: the RFF of the event and of its consignment, by kind
  (:func:`.transport.add_reference`: the sample's delivery note stays ``DQ``);
* ``carrier``: NAD ``CA`` of the message; ``partner_event_id``: ``<BGM number>/<CNI
  sequence>/<event rank>`` (``/<SSCC>`` for a package).

``identify`` gives the consignment numbers and the BGM document number as message id.
"""

from dataclasses import dataclass, field

from ... import canonical as c
from ...registry import Codec, Identity
from ..tracking import place
from .iftsta_statuses import REASONS, STATUSES
from .transport import add_reference, messages_of, read_dtm

FORMAT = "edifact-iftsta"
KIND = "IFTSTA"
EVENT_DATE = "334"
DOCUMENT_DATE = "137"
SSCC = "BJ"


@dataclass
class _Event:
    """One STS segment group being read."""

    code: str
    reason: str
    rank: int
    dates: list = field(default_factory=list)
    location: str = ""
    packages: list = field(default_factory=list)
    references: dict = field(default_factory=dict)


@dataclass
class _Consignment:
    """One CNI segment group being read."""

    sequence: str
    reference: str
    location: str = ""
    events: list = field(default_factory=list)
    references: dict = field(default_factory=dict)


@dataclass
class _Report:
    """One IFTSTA message being read."""

    number: str = ""
    date: object = None
    carrier: str = ""
    consignments: list = field(default_factory=list)


class IftstaCodec(Codec, name=FORMAT, media_type="application/edifact", statuses=STATUSES):
    """UN/EDIFACT IFTSTA status report (D.96A/EANCOM): milestones per consignment."""

    def parse(self, data):
        """Return the Milestones of every IFTSTA message of ``data``."""
        milestones = []
        for segments in messages_of(data, KIND, FORMAT):
            milestones += self._milestones(read_report(segments))
        return milestones

    def identify(self, data):
        """The consignment numbers and the first message's BGM number."""
        reports = [read_report(segments) for segments in messages_of(data, KIND, FORMAT)]
        references = {cons.reference for report in reports for cons in report.consignments}
        references.discard("")
        return Identity(tuple(sorted(references)), reports[0].number)

    def _milestones(self, report):
        return [
            milestone
            for consignment in report.consignments
            for event in consignment.events
            for milestone in self._event_milestones(report, consignment, event)
        ]

    def _event_milestones(self, report, consignment, event):
        occurred_at, problem = _event_time(report, event)
        event_id = f"{report.number}/{consignment.sequence}/{event.rank}"
        common = {
            "status": self.status_for(event.code),
            "partner_status": event.code,
            "partner_status_text": _text(event, problem),
            "reason_code": event.reason,
            "occurred_at": occurred_at,
            "location": event.location or consignment.location,
            "carrier": report.carrier,
        }
        references = {**consignment.references, **event.references}
        if not event.packages:
            return [
                c.Milestone(
                    consignment.reference,
                    partner_event_id=event_id,
                    references=references,
                    **common,
                )
            ]
        return [
            c.Milestone(
                consignment.reference,
                tracking_number=package,
                partner_event_id=f"{event_id}/{package}",
                references=dict(references),
                **common,
            )
            for package in event.packages
        ]


def read_report(segments):
    """The :class:`_Report` of one IFTSTA message's segments."""
    report = _Report()
    state = {"consignment": None, "event": None}
    for segment in segments:
        handler = _HANDLERS.get(segment.tag)
        if handler is not None:
            handler(report, state, segment)
    return report


def _on_bgm(report, state, segment):
    report.number = segment.value(2)


def _on_nad(report, state, segment):
    if segment.value(1) == "CA" and state["consignment"] is None:
        report.carrier = segment.value(2, 1)


def _on_dtm(report, state, segment):
    dated = read_dtm(segment)
    if state["event"] is not None:
        state["event"].dates.append(dated)
    elif state["consignment"] is None and dated.qualifier == DOCUMENT_DATE:
        report.date = dated.moment


def _on_cni(report, state, segment):
    consignment = _Consignment(segment.value(1), segment.value(2, 1))
    report.consignments.append(consignment)
    state.update(consignment=consignment, event=None)


def _on_sts(report, state, segment):
    consignment = state["consignment"]
    if consignment is None:
        return
    rank = len(consignment.events) + 1
    event = _Event(segment.value(2, 1), segment.value(3, 1), rank)
    consignment.events.append(event)
    state["event"] = event


def _on_loc(report, state, segment):
    where = place(segment.value(2, 1), segment.value(2, 4))
    target = state["event"] or state["consignment"]
    if target is not None and not target.location:
        target.location = where


def _on_rff(report, state, segment):
    target = state["event"] or state["consignment"]
    if target is not None:
        add_reference(target.references, segment.value(1, 1), segment.value(1, 2))


def _on_gin(report, state, segment):
    if state["event"] is not None and segment.value(1) == SSCC:
        state["event"].packages += [segment.value(n, 1) for n in range(2, 7) if segment.value(n)]


_HANDLERS = {
    "BGM": _on_bgm,
    "NAD": _on_nad,
    "DTM": _on_dtm,
    "CNI": _on_cni,
    "STS": _on_sts,
    "LOC": _on_loc,
    "GIN": _on_gin,
    "RFF": _on_rff,
}


def _event_time(report, event):
    """``(occurred_at, problem)``: the event's DTM 334, else the document date."""
    for dated in event.dates:
        if dated.qualifier == EVENT_DATE:
            return dated.moment, dated.problem and f"{dated.problem} in DTM+{EVENT_DATE}"
    return report.date, ""


def _text(event, problem):
    """The event's label, its reason in words and the date problem, if any."""
    label = STATUSES.get(event.code, ("", ""))[1]
    reason = REASONS.get(event.reason, "") if event.reason else ""
    reason = reason or (f"reason {event.reason}" if event.reason else "")
    return "; ".join(part for part in (label, reason, problem) if part)
