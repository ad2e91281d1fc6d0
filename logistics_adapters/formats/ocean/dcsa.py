"""``dcsa-events``: DCSA Track & Trace 2.2 events (``GET /v2/events``, or a subscription's
callback) read into Milestones.

The document is an array of events, or one event (``GET /v2/events/{eventID}``). Each event,
per the T&T 2.2 OpenAPI (https://github.com/dcsaorg/DCSA-OpenAPI ``tnt/v2/TNT_v2.2.0.yaml``)
and its Event Domain 1.0.4 (``domain/event``; ``event_domain_v1.1.1.yaml`` aggregates it):

* ``eventType`` (EQUIPMENT, TRANSPORT, SHIPMENT) and its code (``equipmentEventTypeCode``,
  ``transportEventTypeCode``, ``shipmentEventTypeCode``; the deprecated ``eventTypeCode``
  as fallback) give ``partner_status`` ``<eventType>/<code>`` and ``status`` through
  :data:`.statuses.DCSA_STATUSES`; a SHIPMENT event adds its ``documentTypeCode``
  (``SHIPMENT/HOLD/CUS``);
* ``eventClassifierCode`` ``ACT``: ``eventDateTime`` is ``occurred_at``; any other (``EST``,
  ``PLN``, ``REQ``): it is ``estimated_at``, ``occurred_at`` stays None and the label says
  ``(estimated)``/``(planned)``/``(requested)``. An event without ``eventDateTime`` is
  refused, naming it; ``eventCreatedDateTime`` (metadata) is only checked;
* ``reference``: the ``equipmentReference`` (also ``tracking_number`` and ``equipment``),
  else the transport document (``TRD``), else the booking (``BKG``) of
  ``documentReferences``, else a SHIPMENT event's ``documentID``; ``references``: those
  documents (``bill_of_lading``, ``booking``) and the ``references`` list (``PO`` as
  ``purchase_order``, other types as given);
* ``location``: UN/LOCODE and name of ``eventLocation`` (EQUIPMENT, 1.0.4) else of the
  ``transportCall`` and its ``location``; ``latitude``/``longitude`` from that location;
* ``partner_event_id``: ``eventID``.

``identify``: the references and container numbers; message id: the ``eventID`` of a single
event, the sorted ids joined by commas for several.
"""

from ... import canonical as c
from ...formats.json import JsonReader, join_path
from ...registry import Codec, Identity
from ..json import MEDIA_TYPE as JSON
from ..tracking import place
from .statuses import DCSA_STATUSES

FORMAT = "dcsa-events"
CODE_KEYS = {
    "EQUIPMENT": "equipmentEventTypeCode",
    "TRANSPORT": "transportEventTypeCode",
    "SHIPMENT": "shipmentEventTypeCode",
}
CLASSIFIERS = {"EST": "estimated", "PLN": "planned", "REQ": "requested"}
DOCUMENT_KINDS = {"TRD": "bill_of_lading", "BKG": "booking"}
REFERENCE_KINDS = {"PO": "purchase_order"}


class DcsaEventsCodec(Codec, name=FORMAT, media_type=JSON, statuses=DCSA_STATUSES):
    """DCSA Track & Trace 2.2 events (equipment, transport, shipment): milestones."""

    def status_candidates(self, partner_status):
        """``SHIPMENT/HOLD/CUS`` -> itself, then ``SHIPMENT/HOLD``."""
        code = partner_status or ""
        parts = code.split("/")
        return tuple(dict.fromkeys("/".join(parts[:n]) for n in range(len(parts), 1, -1)))

    def parse(self, data):
        """One Milestone per event of ``data``."""
        reader, events = self._events(data)
        return [self._milestone(reader, event, path) for path, event in events]

    def identify(self, data):
        """References and equipment of the events; the event id(s) as message id."""
        reader, events = self._events(data)
        milestones = [self._milestone(reader, event, path) for path, event in events]
        found = {m.reference for m in milestones} | {m.tracking_number for m in milestones}
        for milestone in milestones:
            found.update(milestone.references.values())
        found.discard("")
        ids = sorted({reader.text(event, "eventID", path) for path, event in events} - {""})
        return Identity(tuple(sorted(found)), ",".join(ids))

    def _events(self, data):
        """``(reader, [(path, event)])`` of the document: an array of events or one event."""
        reader, document = JsonReader.load(self.name, data, tidy_text=True)
        if isinstance(document, list):
            return reader, [
                (f"[{index}]", reader.object(item, f"[{index}]"))
                for index, item in enumerate(document)
            ]
        return reader, [("", reader.root(document))]

    def _milestone(self, reader, event, path):
        kind = reader.text(event, "eventType", path, required=True)
        code_key = CODE_KEYS.get(kind)
        if code_key is None:
            raise reader.error(join_path(path, "eventType"), f"unknown event type {kind!r}")
        code = reader.text(event, code_key, path) or reader.text(event, "eventTypeCode", path)
        if not code:
            raise reader.error(join_path(path, code_key), "required field missing or empty")
        partner_status = f"{kind}/{code}"
        if kind == "SHIPMENT" and reader.text(event, "documentTypeCode", path):
            partner_status += "/" + reader.text(event, "documentTypeCode", path)
        return self._build(reader, event, path, partner_status)

    def _build(self, reader, event, path, partner_status):
        moment = reader.moment(event, "eventDateTime", path)
        if moment is None:
            raise reader.error(
                join_path(path, "eventDateTime"),
                "required field missing or empty: the event would have no time",
            )
        reader.moment(event, "eventCreatedDateTime", path)
        classifier = reader.text(event, "eventClassifierCode", path) or "ACT"
        estimate = CLASSIFIERS.get(classifier, classifier.lower()) if classifier != "ACT" else ""
        equipment = reader.text(event, "equipmentReference", path)
        references = _references(reader, event, path)
        where, latitude, longitude = _location(reader, event, path)
        return c.Milestone(
            _reference(reader, event, path, equipment, references),
            status=self.status_for(partner_status),
            partner_status=partner_status,
            partner_status_text=_label(partner_status, estimate),
            reason_code=reader.text(event, "delayReasonCode", path),
            occurred_at=None if estimate else moment,
            estimated_at=moment if estimate else None,
            location=where,
            latitude=latitude,
            longitude=longitude,
            tracking_number=equipment,
            equipment=equipment,
            partner_event_id=reader.text(event, "eventID", path),
            references=references,
        )


def _label(partner_status, estimate):
    entry = DCSA_STATUSES.get(partner_status) or DCSA_STATUSES.get(
        "/".join(partner_status.split("/")[:2])
    )
    label = entry.label if entry else ""
    return f"{label} ({estimate})" if estimate and label else label or estimate


def _references(reader, event, path):
    """``documentReferences`` and ``references`` of the event (and a SHIPMENT's document)."""
    found = {}
    items = reader.objects(event, "documentReferences", path)
    pairs = [
        (
            DOCUMENT_KINDS.get(reader.text(item, "documentReferenceType", item_path), ""),
            reader.text(item, "documentReferenceValue", item_path),
        )
        for item_path, item in items
    ]
    pairs += [
        (
            REFERENCE_KINDS.get(reader.text(item, "referenceType", item_path))
            or reader.text(item, "referenceType", item_path),
            reader.text(item, "referenceValue", item_path),
        )
        for item_path, item in reader.objects(event, "references", path)
    ]
    document_type = reader.text(event, "documentTypeCode", path)
    pairs.append(
        (DOCUMENT_KINDS.get(document_type, document_type), reader.text(event, "documentID", path))
    )
    for kind, value in pairs:
        if kind and value:
            found.setdefault(kind, value)
    return found


def _reference(reader, event, path, equipment, references):
    return (
        equipment
        or references.get("bill_of_lading")
        or references.get("booking")
        or reader.text(event, "documentID", path)
    )


def _location(reader, event, path):
    """``(place, latitude, longitude)`` of the event."""
    location_path = join_path(path, "eventLocation")
    location = reader.child(event, "eventLocation", path)
    code = reader.text(location, "UNLocationCode", location_path)
    if location is None:
        call_path = join_path(path, "transportCall")
        call = reader.child(event, "transportCall", path)
        code = reader.text(call, "UNLocationCode", call_path)
        location_path = join_path(call_path, "location")
        location = reader.child(call, "location", call_path)
        code = code or reader.text(location, "UNLocationCode", location_path)
    name = reader.text(location, "locationName", location_path)
    latitude = _coordinate(reader, location, "latitude", location_path)
    longitude = _coordinate(reader, location, "longitude", location_path)
    return place(code, name), latitude, longitude


def _coordinate(reader, location, key, path):
    """A latitude or longitude, given as text (DCSA) or a number; None when absent."""
    value = location.get(key) if location else None
    if isinstance(value, str):
        return float(reader.amount(location, key, path)) if value.strip() else None
    return reader.number(location, key, path)
