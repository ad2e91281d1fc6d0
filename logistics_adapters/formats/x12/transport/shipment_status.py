"""The ``x12-214`` codec: Transportation Carrier Shipment Status <-> :class:`Milestone` objects,
one per AT7 of every shipment (set) of an interchange.

* ``B10``: B1001 the carrier's reference (``tracking_number``, its PRO), B1002 the shipment
  id (``reference``; B1001 when empty), B1003 ``carrier`` (SCAC); values stripped of their
  padding. The set's ``L11`` references go to each of its milestones.
* each ``AT7`` a milestone: AT701 status code (``partner_status``) and AT702 reason
  (``reason_code``), or AT703 appointment status (``appointment/AA``) and AT704 reason; AT705
  date, AT706 time, AT707 time code (``time_zone``; see :mod:`.common` for the zones). A
  status is ``occurred_at``; an estimate (AT701 in
  :data:`~.statuses.ESTIMATE_CODES`) is ``estimated_at`` and an appointment
  ``appointment_at``, without ``occurred_at``. An AT7 without date is refused.
* ``MS1`` after an AT7: its ``location`` (``"CITY, ST, CC"``) and ``latitude`` /
  ``longitude`` (MS104 / MS105 as ``DDDMMSS`` or decimal degrees, MS106 / MS107 ``W`` / ``S``
  negative); ``MS2``: MS202 ``equipment`` (MS201 the carrier when B10 has none).
* the ``LX`` loop's ``L11`` references go to its milestones (``QN``, the stop sequence
  number, is ``stop_sequence``); its ``G62`` 17 / 70 are ``estimated_at``, 77 / 78
  ``appointment_at``, of the milestones without one.

``status`` comes from the AT7 code lists (:mod:`.statuses`), ``partner_status_text`` is the
list's wording of the code and of the reason (``Delivery Not Completed: Consignee Related``).
``render`` (for the sandbox and tests) writes a set per shipment (reference, tracking number,
carrier) and an LX loop per milestone.
"""

import dataclasses

from ....canonical import STATUS_UNKNOWN, Milestone
from . import statuses as table
from .common import (
    TransportSetCodec,
    add_reference,
    moment,
    moment_elements,
    reference_segments,
    text,
    trimmed,
)

FORMAT = "x12-214"
STOP_SEQUENCE = "QN"
#: LX-level G62 date qualifiers (element 432) -> the milestone field they give.
ESTIMATE_DATES = {"17": "estimated_at", "70": "estimated_at"}
ESTIMATE_DATES |= {"77": "appointment_at", "78": "appointment_at"}
#: The G62 qualifiers written for ``estimated_at`` / ``appointment_at`` of a status milestone.
ESTIMATE_DATE_CODES = {"estimated_at": "17", "appointment_at": "78"}


class _StatusReader:
    """Reads the body segments of one 214 into its milestones."""

    def __init__(self, codec):
        self.codec = codec
        self.base = Milestone(reference="", status=STATUS_UNKNOWN)
        self.milestones = []
        self.loop = []
        self.loop_references = {}
        self.loop_dates = {}
        self.loop_sequence = None

    def feed(self, segment):
        """Take the next segment of the set."""
        handler = _HANDLERS.get(segment[0])
        if handler is not None:
            handler(self, segment)

    def on_b10(self, segment):
        base = self.base
        base.tracking_number, base.reference = text(segment, 1), text(segment, 2)
        base.reference = base.reference or base.tracking_number
        base.carrier = text(segment, 3)

    def on_l11(self, segment):
        qualifier, value = text(segment, 2), text(segment, 1)
        if not self.milestones and not self.loop:
            add_reference(self.base.references, qualifier, value)
        elif qualifier == STOP_SEQUENCE and value.isdigit():
            self.loop_sequence = int(value)
        else:
            add_reference(self.loop_references, qualifier, value)

    def on_lx(self, _segment):
        self.close_loop()

    def on_at7(self, segment):
        milestone = dataclasses.replace(self.base, references=dict(self.base.references))
        appointment = text(segment, 3)
        code = table.APPOINTMENT_PREFIX + appointment if appointment else text(segment, 1)
        reason = text(segment, 4) if appointment else text(segment, 2)
        milestone.partner_status, milestone.reason_code = code, reason
        milestone.status = self.codec.status_for(code)
        milestone.partner_status_text = describe(code, reason)
        milestone.time_zone = text(segment, 7)
        when = moment(segment, 5, 6, 7)
        if when is None:
            raise ValueError(f"AT7 {code or '(no status)'} has no date (AT705)")
        setattr(milestone, _time_field(code), when)
        self.loop.append(milestone)

    def on_ms1(self, segment):
        if self.loop:
            read_position(self.loop[-1], segment)

    def on_ms2(self, segment):
        if self.loop:
            milestone = self.loop[-1]
            milestone.equipment = text(segment, 2)
            milestone.carrier = milestone.carrier or text(segment, 1)

    def on_g62(self, segment):
        field = ESTIMATE_DATES.get(text(segment, 1))
        if field and self.loop:
            self.loop_dates.setdefault(field, moment(segment, 2, 4, 5))

    def close_loop(self):
        """Give the LX loop's references and dates to its milestones."""
        for milestone in self.loop:
            for kind, value in self.loop_references.items():
                add_reference(milestone.references, kind, value)
            if self.loop_sequence is not None:
                milestone.stop_sequence = self.loop_sequence
            for field, when in self.loop_dates.items():
                if getattr(milestone, field) is None:
                    setattr(milestone, field, when)
        self.milestones += self.loop
        self.loop, self.loop_references, self.loop_dates = [], {}, {}
        self.loop_sequence = None


_HANDLERS = {
    name[3:].upper(): method
    for name, method in vars(_StatusReader).items()
    if name.startswith("on_")
}


def _time_field(code):
    if code.startswith(table.APPOINTMENT_PREFIX):
        return "appointment_at"
    return "estimated_at" if code in table.ESTIMATE_CODES else "occurred_at"


def describe(code, reason):
    """The code lists' wording of a status ``code`` and its ``reason`` (``""`` if unknown)."""
    entry = table.STATUSES.get(code)
    label = entry.label if entry else ""
    reason_label = table.REASONS.get(reason, "")
    return f"{label}: {reason_label}" if label and reason_label else label


def read_position(milestone, segment):
    """Fill ``milestone``'s location and coordinates from an MS1 segment."""
    milestone.location = ", ".join(part for part in (text(segment, i) for i in (1, 2, 3)) if part)
    longitude = _degrees(segment, 4, 180)
    latitude = _degrees(segment, 5, 90)
    if longitude is not None:
        milestone.longitude = -abs(longitude) if text(segment, 6) == "W" else longitude
    if latitude is not None:
        milestone.latitude = -abs(latitude) if text(segment, 7) == "S" else latitude


def _degrees(segment, index, limit):
    """Element ``index`` in degrees: decimal, or ``DDDMMSS`` / ``DDMMSS``."""
    value = text(segment, index).lstrip("+")
    if not value:
        return None
    if "." in value or len(value) < 6 or not value.isdigit():
        found = _decimal_degrees(value, segment, index)
    else:
        minutes, seconds = int(value[-4:-2]), int(value[-2:])
        if minutes > 59 or seconds > 59:
            raise ValueError(f"{segment[0]}{index:02d} {value!r} is no position")
        found = round((int(value[:-4]) * 3600 + minutes * 60 + seconds) / 3600, 6)
    if abs(found) > limit:
        raise ValueError(f"{segment[0]}{index:02d} {value!r} is beyond {limit} degrees")
    return found


def _decimal_degrees(value, segment, index):
    try:
        found = float(value)
    except ValueError:
        raise ValueError(f"{segment[0]}{index:02d} {value!r} is no position") from None
    if found != found:
        raise ValueError(f"{segment[0]}{index:02d} {value!r} is no position")
    return found


def read_statuses(codec, segments):
    """The milestones of one 214's body ``segments``."""
    reader = _StatusReader(codec)
    for segment in segments:
        reader.feed(segment)
    reader.close_loop()
    return reader.milestones


# -- writing -------------------------------------------------------------------------------


def status_segments(milestones):
    """The body segments (without ST/SE) of one 214 reporting ``milestones`` of one shipment
    (the first one's reference, tracking number and carrier): an LX loop each."""
    first = milestones[0]
    segments = [["B10", first.tracking_number, first.reference, first.carrier]]
    for number, milestone in enumerate(milestones, start=1):
        segments.append(["LX", str(number)])
        segments += _milestone_segments(milestone)
    return trimmed(segments)


def _milestone_segments(milestone):
    code, reason = milestone.partner_status, milestone.reason_code
    field = _time_field(code)
    when = getattr(milestone, field)
    if when is None:
        raise ValueError(f"milestone {code!r} of {milestone.reference!r} has no {field}")
    day, clock, zone = moment_elements(when, milestone.time_zone)
    if code.startswith(table.APPOINTMENT_PREFIX):
        status = ["", "", code.removeprefix(table.APPOINTMENT_PREFIX), reason]
    else:
        status = [code, reason, "", ""]
    segments = [["AT7", *status, day, clock, zone]]
    if milestone.location or milestone.latitude is not None or milestone.longitude is not None:
        segments.append(_position(milestone))
    if milestone.equipment:
        segments.append(["MS2", milestone.carrier, milestone.equipment])
    segments += reference_segments(milestone.references)
    if milestone.stop_sequence is not None:
        segments.append(["L11", str(milestone.stop_sequence), STOP_SEQUENCE])
    segments += _estimates(milestone, field)
    return segments


def _estimates(milestone, written):
    segments = []
    for field, qualifier in ESTIMATE_DATE_CODES.items():
        when = getattr(milestone, field)
        if field != written and when is not None:
            day, clock, zone = moment_elements(when, milestone.time_zone)
            segments.append(["G62", qualifier, day, "", clock, zone])
    return segments


def _position(milestone):
    parts = milestone.location.split(", ") if milestone.location else []
    place = parts if len(parts) == 3 else [milestone.location, "", ""]
    longitude, latitude = milestone.longitude, milestone.latitude
    return [
        "MS1",
        *place,
        _dms(longitude, 3),
        _dms(latitude, 2),
        "" if longitude is None else "W" if longitude < 0 else "E",
        "" if latitude is None else "S" if latitude < 0 else "N",
    ]


def _dms(value, degree_digits):
    """``value`` (degrees) as ``DDDMMSS`` / ``DDMMSS``, to the second."""
    if value is None:
        return ""
    degrees, rest = divmod(round(abs(value) * 3600), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{degrees:0{degree_digits}d}{minutes:02d}{seconds:02d}"


def shipments(milestones):
    """``milestones`` grouped by shipment (reference, tracking number, carrier), in order."""
    groups = {}
    for milestone in milestones:
        key = (milestone.reference, milestone.tracking_number, milestone.carrier)
        groups.setdefault(key, []).append(milestone)
    return list(groups.values())


class ShipmentStatusCodec(TransportSetCodec, name=FORMAT, statuses=table.STATUSES):
    """ANSI X12 214 Transportation Carrier Shipment Status: transport milestones."""

    kind = "214"

    def read_set(self, segments):
        """The milestones of a 214's body."""
        return read_statuses(self, segments)

    def references(self, obj):
        """A milestone's shipment id and carrier reference (B1002, B1001)."""
        return (obj.reference, obj.tracking_number)

    def documents(self, objects):
        """One 214 body per shipment of the Milestone ``objects``."""
        for obj in objects:
            if not isinstance(obj, Milestone):
                raise ValueError(f"a 214 is written from Milestone objects, not {obj!r}")
        return [status_segments(group) for group in shipments(objects)]
