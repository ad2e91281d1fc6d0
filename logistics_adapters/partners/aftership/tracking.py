"""AfterShip tracking: the Tracking API v4 response and tracking webhooks.

| format | document |
|---|---|
| ``aftership-tracking`` | AfterShip Tracking API v4 ``GET /trackings/...`` response |
| ``aftership-webhook`` | AfterShip webhook (``msg`` holds the same Tracking object) |

One event per checkpoint, at its ``checkpoint_time`` (a checkpoint without one is a
ParseError naming it). Without any checkpoint yet, the tracking's own tag is the one event, at
the tracking's ``updated_at`` (else ``created_at``: the tag has held since then); a tracking
without either is a ParseError naming ``updated_at``. ``partner_status`` is the subtag, else the
tag; the latest checkpoint without either takes the tracking's. An error envelope
(``meta.code`` other than 200/201) raises :class:`PartnerErrorResponse`.
"""

from ...formats.tracking import PartnerErrorResponse, TrackingCodec, chronological, place_of
from .statuses import STATUSES, status_candidates


class _AftershipCodec(TrackingCodec):
    partner = "aftership"
    statuses = STATUSES

    def status_candidates(self, partner_status):
        """The subtag, then its tag: ``InTransit_002`` -> (``InTransit_002``, ``InTransit``)."""
        return status_candidates(partner_status)

    def _events(self, reader, tracking, path):
        """The events of an AfterShip Tracking object: one per checkpoint."""
        number = reader.text(tracking, "tracking_number", path, required=True)
        slug = reader.text(tracking, "slug", path)
        signed_by = reader.text(tracking, "signed_by", path)
        tag = reader.text(tracking, "tag", path)
        subtag = reader.text(tracking, "subtag", path)
        events = []
        for item_path, checkpoint in reader.objects(tracking, "checkpoints", path):
            own_tag = reader.text(checkpoint, "tag", item_path)
            own_subtag = reader.text(checkpoint, "subtag", item_path)
            location = reader.text(checkpoint, "location", item_path) or place_of(
                reader, checkpoint, item_path, "city", "state", "zip", "country_iso3"
            )
            events.append(
                self.event(
                    number,
                    own_subtag or own_tag,
                    reader.text(checkpoint, "subtag_message", item_path) or own_tag,
                    occurred_at=self.require_time(
                        reader,
                        reader.moment(checkpoint, "checkpoint_time", item_path),
                        item_path,
                        "checkpoint_time",
                    ),
                    location=location,
                    description=reader.text(checkpoint, "message", item_path),
                    carrier=reader.text(checkpoint, "slug", item_path) or slug,
                    delivered_to=signed_by,
                )
            )
        if not events:
            # No checkpoint yet: the tracking's own tag is the one event, since its last update.
            when = reader.moment(tracking, "updated_at", path) or reader.moment(
                tracking, "created_at", path
            )
            text = reader.text(tracking, "subtag_message", path) or tag
            events.append(
                self.event(
                    number,
                    subtag or tag,
                    text,
                    carrier=slug,
                    occurred_at=self.require_time(
                        reader, when, path, "updated_at", ("created_at",)
                    ),
                )
            )
        return self.shipment_status(chronological(events), subtag or tag)


class AftershipTrackingCodec(_AftershipCodec, name="aftership-tracking"):
    """AfterShip Tracking API v4 response (data.tracking.checkpoints[])."""

    def parse(self, data):
        """Return the TrackingEvents of the tracking; refuse AfterShip's error envelope."""
        reader, root = self.read_root(data)
        meta = reader.child(root, "meta", "")
        code = meta.get("code") if meta else None
        if code is not None and code not in (200, 201):
            message = reader.text(meta, "message", "meta")
            raise PartnerErrorResponse(
                f"AfterShip error {code}: {message}",
                format=self.name,
                field="meta",
                code=str(code),
                partner_message=message,
            )
        body = reader.child(root, "data", "", required=True)
        tracking = reader.child(body, "tracking", "data", required=True)
        return self._events(reader, tracking, "data.tracking")


class AftershipWebhookCodec(_AftershipCodec, name="aftership-webhook"):
    """AfterShip tracking webhook (msg.checkpoints[])."""

    #: AfterShip's webhook specification: ``event_id``, a UUID v4 per webhook event.
    message_id_key = "event_id"

    def parse(self, data):
        """Return the TrackingEvents of the tracking carried in ``msg``."""
        reader, root = self.read_root(data)
        tracking = reader.child(root, "msg", "", required=True)
        return self._events(reader, tracking, "msg")
