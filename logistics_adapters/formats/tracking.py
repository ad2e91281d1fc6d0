"""What every carrier tracking codec shares: the event builder, order, places, error documents.

Each tracking codec lives in its partner's package (``logistics_adapters.partners.<partner>``)
and builds on :class:`TrackingCodec`. Rules shared by every one:

* ``status`` comes from the partner's code through the partner's status table
  (``codec.statuses``) and :meth:`~logistics_adapters.registry.Codec.status_for`; a code the
  table does not know gives ``unknown``, never an error. ``partner_status`` keeps the partner's
  own code (``type/code`` when the partner gives two levels) and ``partner_status_text`` its
  wording, so the Odoo status map can refine any of them.
* Every event has its status from the document: an event without a status code of its own
  that is the latest of its tracking number takes the shipment-level status the partner
  gives next to the events (:meth:`TrackingCodec.shipment_status`), which is the status as
  of that event; ``partner_status`` keeps the event's own (empty) code.
* Every event has a time: an event, or a shipment-level status given as the one event,
  without one raises :class:`ParseError` naming the field (:meth:`TrackingCodec.
  require_time`), never an event without time (the Odoo side would date it "now", again at
  every delivery of the same document).
* Times: a partner time with an offset stays aware, with that offset. A local time without
  zone stays naive (``time_zone_known`` is False) unless the partner also gives the GMT time
  or the offset, which is then used. No offset is ever guessed from a place name.
* Events are returned oldest first for each tracking number when their times can be compared
  (:func:`chronological`); otherwise in the partner's order.
* An error document raises :class:`PartnerErrorResponse`, a :class:`ParseError` carrying the
  partner's code and message. So does a response whose every result is a per-number error; a
  response with some good results keeps them and skips the errors.
* Bad input raises :class:`ParseError`: invalid JSON with its line and column, a missing or
  mistyped field with its JSON path (``output.completeTrackResults[0].trackResults``).
"""

from .. import canonical as c
from ..errors import ParseError
from ..registry import Codec, Identity, references_of
from .json import MEDIA_TYPE, JsonReader, join_path


class PartnerErrorResponse(ParseError):
    """The partner answered with an error document instead of tracking data.

    ``code`` is the partner's error code, ``partner_message`` its own words and
    ``http_status`` the status the document states, when it states one.
    """

    def __init__(
        self, message, *, format, field=None, code="", partner_message="", http_status=None
    ):
        super().__init__(message, format=format, field=field)
        self.code = code
        self.partner_message = partner_message
        self.http_status = http_status

    def __reduce__(self):
        return (
            _rebuild_partner_error,
            (
                self.message,
                self.format,
                self.field,
                self.code,
                self.partner_message,
                self.http_status,
            ),
        )


def _rebuild_partner_error(message, format, field, code, partner_message, http_status):
    return PartnerErrorResponse(
        message,
        format=format,
        field=field,
        code=code,
        partner_message=partner_message,
        http_status=http_status,
    )


def partner_error(reader, error, path, partner, *, code_key="code", message_key="message"):
    """The :class:`PartnerErrorResponse` of one ``{code, message}`` error object at ``path``."""
    code = reader.text(error, code_key, path)
    message = reader.text(error, message_key, path)
    return PartnerErrorResponse(
        f"{partner} error {code}: {message}",
        format=reader.format,
        field=path,
        code=code,
        partner_message=message,
    )


def raise_first_error(reader, errors, partner, **keys):
    """Raise the first of ``errors`` (``(path, object)`` pairs) as a partner error, if any."""
    for path, error in errors:
        raise partner_error(reader, error, path, partner, **keys)


def place(*parts):
    """The non-empty parts of a location joined by commas."""
    return ", ".join(part for part in parts if part)


def place_of(reader, parent, path, *keys):
    """:func:`place` of the text members ``keys`` of ``parent`` (the object at ``path``)."""
    return place(*(reader.text(parent, key, path) for key in keys))


def chronological(events):
    """Oldest first per tracking number when all times compare; else the partner's order."""
    times = [event.occurred_at for event in events]
    if not events or None in times or len({moment.tzinfo is None for moment in times}) > 1:
        return events
    groups = {}
    for event in events:
        groups.setdefault(event.tracking_number, []).append(event)
    return [
        event
        for group in groups.values()
        for event in sorted(group, key=lambda event: event.occurred_at)
    ]


def latest_events(events):
    """The latest event of each tracking number (the last of equal times, in the partner's
    order), for the numbers whose event times all compare."""
    groups = {}
    for event in events:
        groups.setdefault(event.tracking_number, []).append(event)
    latest = []
    for group in groups.values():
        times = [event.occurred_at for event in group]
        if None in times or len({moment.tzinfo is None for moment in times}) > 1:
            continue
        newest = max(times)
        latest.append([event for event in group if event.occurred_at == newest][-1])
    return latest


class TrackingCodec(Codec):
    """Base of the JSON tracking codecs: reads the document, builds events with their status."""

    media_type = MEDIA_TYPE
    #: How the reader takes text values (see :mod:`logistics_adapters.formats.json`).
    tidy_text = True
    #: The top-level member holding the partner's unique id of the message, if it has one.
    message_id_key = ""

    def read(self, data):
        """Return ``(reader, document)`` of the JSON payload ``data``."""
        return JsonReader.load(self.name, data, tidy_text=self.tidy_text)

    def read_root(self, data):
        """Return ``(reader, top-level object)`` of the JSON payload ``data``."""
        reader, document = self.read(data)
        return reader, reader.root(document)

    def identify(self, data):
        """The tracking numbers of the events and, where the format has one, the message id."""
        references = references_of(self.parse(data))
        if not self.message_id_key:
            return Identity(references)
        reader, root = self.read_root(data)
        return Identity(references, reader.text(root, self.message_id_key, ""))

    def require_time(self, reader, moment, path, key, alternatives=()):
        """``moment``, the time of the event at ``path``; a ParseError naming ``path.key``
        (and the ``alternatives`` the partner may use instead) when there is none."""
        if moment is None:
            also = f", and so is {' and '.join(alternatives)}" if alternatives else ""
            raise reader.error(
                join_path(path, key),
                f"required field missing or empty{also}: the event would have no time",
            )
        return moment

    def shipment_status(self, events, status_code):
        """Give the latest event of each number that has no status code of its own the
        status of ``status_code``, the shipment-level status the partner gives with them
        (see the module doc); return ``events``."""
        if status_code:
            for event in latest_events(events):
                if not event.partner_status:
                    event.status = self.status_for(status_code)
        return events

    def event(
        self,
        tracking_number,
        partner_status,
        text="",
        *,
        delivered_to="",
        status_code=None,
        **values,
    ):
        """A TrackingEvent whose status is :meth:`status_for` of ``partner_status``.

        ``status_code`` replaces ``partner_status`` for the lookup where the partner's status
        depends on more than the code it shows (FedEx's derived code); ``delivered_to`` (who
        signed) is kept on delivered events only.
        """
        status = self.status_for(partner_status if status_code is None else status_code)
        if delivered_to and status == c.STATUS_DELIVERED:
            values["signed_by"] = delivered_to
        return c.TrackingEvent(
            tracking_number,
            status,
            partner_status=partner_status,
            partner_status_text=text,
            **values,
        )
