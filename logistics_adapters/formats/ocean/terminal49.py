"""``terminal49-webhook``: Terminal49 webhook notifications (JSON:API) read into Milestones.

A notification (https://terminal49.com/docs/api-docs/webhooks/payloads) is ``data``, a
``webhook_notification`` whose ``attributes.event`` names what happened and whose
``relationships.reference_object`` points into ``included``, with the shipment, container,
port and vessel records it relates to. Examples: Terminal49's published payload examples
(https://terminal49.com/docs/api-docs/useful-info/webhook-events-examples, the
``Terminal49/API`` repository's ``docs/api-docs/useful-info/webhook-events-examples.mdx``).

* ``container.transport.*`` (a ``transport_event``) and ``shipment.estimated.arrival`` (an
  ``estimated_event``) give one Milestone: ``partner_status`` the event name, ``status``
  through :data:`.statuses.TERMINAL49_STATUSES`; ``reference`` the container number, else the
  shipment's bill of lading (also in ``references``); ``carrier`` the shipping line's SCAC;
  ``location`` the UN/LOCODE and the port's name; ``time_zone`` the event's ``timezone``;
  ``partner_event_id`` the event record's id;
* an actual event's ``timestamp`` is ``occurred_at``; an estimated one's
  (``container.transport.estimated.*``, ``estimated_timestamp`` of ``shipment.estimated.*``)
  is ``estimated_at``. A notification whose event record is not included (the published
  ``container.transport.available`` example) is dated by the notification's ``created_at``,
  the status being the one notified then, and says so in ``partner_status_text``;
* ``tracking_request.failed`` raises :class:`~..tracking.PartnerErrorResponse` with the
  request's ``failed_reason``: the shipment cannot be tracked;
* any other event (``tracking_request.succeeded``, ``container.updated``...) carries no
  milestone: ``parse`` gives ``[]`` and ``identify`` still names its containers and bills.

``identify``: the container numbers, bills of lading and request numbers of the notification
(its included records); message id: ``data.id``, Terminal49's idempotency key.
"""

from ... import canonical as c
from ...formats.json import JsonReader, join_path
from ...registry import Codec, Identity
from ..json import MEDIA_TYPE as JSON
from ..tracking import PartnerErrorResponse, place
from .statuses import TERMINAL49_STATUSES

FORMAT = "terminal49-webhook"
NOTIFICATION = "webhook_notification"
ESTIMATED = ".estimated."
FAILED = "tracking_request.failed"
MILESTONE_TYPES = ("transport_event", "estimated_event")


class _Notification:
    """One notification read: its id, event, reference object and included records."""

    def __init__(self, reader, root):
        self.reader = reader
        data = reader.child(root, "data", "", required=True)
        reader.expect(data, "type", "data", NOTIFICATION)
        self.id = reader.text(data, "id", "data", required=True)
        attributes = reader.child(data, "attributes", "data") or {}
        self.event = reader.text(attributes, "event", "data.attributes", required=True)
        self.created_at = reader.moment(attributes, "created_at", "data.attributes")
        self.included = {}
        for path, record in reader.objects(root, "included", ""):
            key = (reader.text(record, "type", path), reader.text(record, "id", path))
            self.included[key] = (path, record)
        self.reference = self.related(data, "reference_object", "data")

    def related(self, record, name, path):
        """``(type, id)`` of the to-one relationship ``name`` of ``record``, or None."""
        reader = self.reader
        relationships = reader.child(record, "relationships", path)
        rel_path = join_path(path, f"relationships.{name}")
        link = reader.child(relationships, name, join_path(path, "relationships"))
        target = reader.child(link, "data", rel_path)
        if target is None:
            return None
        target_path = join_path(rel_path, "data")
        return reader.text(target, "type", target_path), reader.text(target, "id", target_path)

    def record(self, key):
        """``(path, attributes, record)`` of the included record ``key``; Nones when absent."""
        path, record = self.included.get(key, (None, None))
        if record is None:
            return None, {}, None
        attributes = self.reader.child(record, "attributes", path) or {}
        return join_path(path, "attributes"), attributes, record

    def linked(self, record, path, name):
        """``(path, attributes)`` of the record ``record`` relates to as ``name``."""
        key = self.related(record, name, path) if record is not None else None
        found_path, attributes, _record = self.record(key) if key else (None, {}, None)
        return found_path, attributes


class Terminal49WebhookCodec(Codec, name=FORMAT, media_type=JSON, statuses=TERMINAL49_STATUSES):
    """Terminal49 webhook notification (JSON:API): container transport milestones."""

    def status_candidates(self, partner_status):
        """An estimated event is also looked up as the event it estimates."""
        code = partner_status or ""
        actual = code.replace(ESTIMATED, ".", 1) if ESTIMATED in code else code
        return tuple(dict.fromkeys((code, actual)))

    def parse(self, data):
        """The Milestone of a transport or estimated event; [] for other notifications."""
        notification = self._read(data)
        if notification.event == FAILED:
            raise self._failure(notification)
        if not self._carries_milestone(notification.event):
            return []
        return [self._milestone(notification)]

    def identify(self, data):
        """Container numbers, bills of lading and request numbers; ``data.id``."""
        notification = self._read(data)
        keys = {
            "container": "number",
            "shipment": "bill_of_lading_number",
            "tracking_request": "request_number",
        }
        found = set()
        for (kind, _id), (path, record) in notification.included.items():
            if kind in keys:
                attributes = notification.reader.child(record, "attributes", path)
                found.add(notification.reader.text(attributes, keys[kind], path))
        found.discard("")
        return Identity(tuple(sorted(found)), notification.id)

    def _read(self, data):
        reader, document = JsonReader.load(self.name, data, tidy_text=True)
        return _Notification(reader, reader.root(document))

    @staticmethod
    def _carries_milestone(event):
        return event.startswith("container.transport.") or event.startswith("shipment.estimated.")

    def _failure(self, notification):
        _path, request, _record = notification.record(notification.reference or ("", ""))
        number = notification.reader.text(request, "request_number", "")
        reason = notification.reader.text(request, "failed_reason", "")
        return PartnerErrorResponse(
            f"Terminal49 tracking request {number} failed: {reason or 'no reason given'}",
            format=self.name,
            code=reason,
            partner_message=reason,
        )

    def _milestone(self, notification):
        reader = notification.reader
        path, event, record = notification.record(notification.reference or ("", ""))
        path = path or ""
        moment, note = self._moment(notification, event, path)
        estimated = ESTIMATED in notification.event
        container_path, container = notification.linked(record, path, "container")
        shipment_path, shipment = notification.linked(record, path, "shipment")
        number = reader.text(container, "number", container_path or "")
        bill = reader.text(shipment, "bill_of_lading_number", shipment_path or "")
        label = self._label(notification.event, estimated)
        return c.Milestone(
            number or bill,
            status=self.status_for(notification.event),
            partner_status=notification.event,
            partner_status_text="; ".join(part for part in (label, note) if part),
            occurred_at=None if estimated else moment,
            estimated_at=moment if estimated else None,
            location=_location(notification, event, record, path),
            tracking_number=number,
            equipment=number,
            carrier=reader.text(shipment, "shipping_line_scac", shipment_path or ""),
            time_zone=reader.text(event, "timezone", path),
            partner_event_id=reader.text(record, "id", path) if record else "",
            references={"bill_of_lading": bill} if bill else {},
        )

    def _label(self, event, estimated):
        """The event's label; an estimated one's is the estimated event's, marked."""
        for key in self.status_candidates(event):
            if key in TERMINAL49_STATUSES:
                label = TERMINAL49_STATUSES[key].label
                return f"{label} (estimated)" if estimated and key != event else label
        return ""

    @staticmethod
    def _moment(notification, event, path):
        """``(moment, note)``: the event's time, else the notification's, noted."""
        reader = notification.reader
        key = "estimated_timestamp" if "estimated_timestamp" in event else "timestamp"
        moment = reader.moment(event, key, path)
        if moment is not None:
            return moment, ""
        if notification.created_at is None:
            raise reader.error(
                "data.attributes.created_at",
                "required field missing or empty: the event would have no time",
            )
        return notification.created_at, "dated by the notification: its event is not included"


def _location(notification, event, record, path):
    """The event's UN/LOCODE and its port's name."""
    reader = notification.reader
    port_path, port = notification.linked(record, path, "location")
    if not port:
        port_path, port = notification.linked(record, path, "port")
    return place(
        reader.text(event, "location_locode", path), reader.text(port, "name", port_path or "")
    )
