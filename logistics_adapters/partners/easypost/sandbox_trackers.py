"""The EasyPost sandbox's trackers: tracker steps over time, and their signed webhooks."""

import logging
import time
import uuid
from datetime import timedelta

from ...sandbox.core import HttpError
from ...sandbox.timeline import DeliveryLog, Timeline
from .sandbox_common import MODE, _stamp, _utcnow

_logger = logging.getLogger(__name__)

WEBHOOK_SCHEME = "easypost-hmac"
#: Extra timeline keys a carrier may pass on (``webhook_options``); ``headers`` go with
#: every webhook (a test server's cookie, say).
WEBHOOK_OPTION_KEYS = ("max_attempts", "backoff", "timeout", "headers")
#: Tracker steps the timeline can play: status -> (status_detail, message, where).
STEP_TEMPLATES = {
    "pre_transit": ("label_created", "Shipping Label Created", "from"),
    "in_transit": ("arrived_at_facility", "Arrived at Facility", "from"),
    "out_for_delivery": ("out_for_delivery", "Out for Delivery", "to"),
    "available_for_pickup": ("arrived_at_pickup_location", "Available for Pickup", "to"),
    "delivered": ("arrived_at_destination", "Delivered", "to"),
    "return_to_sender": ("return", "Returned to Sender", "from"),
    "failure": ("delivery_exception", "Delivery Exception", "to"),
}
DEFAULT_STATUSES = ("pre_transit", "in_transit", "out_for_delivery", "delivered")
#: EasyPost's test tracking codes (EZ1000000001...) give a tracker already at this status.
TEST_CODES = {
    "EZ1000000001": "pre_transit",
    "EZ2000000002": "in_transit",
    "EZ3000000003": "out_for_delivery",
    "EZ4000000004": "delivered",
    "EZ5000000005": "return_to_sender",
    "EZ6000000006": "failure",
}


class TrackerBook:
    """The trackers part of :class:`~.sandbox.EasyPostCarrier`: steps, views and webhooks."""

    def _new_tracker(self, code, carrier, shipment, base_url, service=None):
        started = _utcnow().replace(microsecond=0)
        tracker_id = self._new_id("trk")
        fixed = TEST_CODES.get(code) if shipment is None else None
        if fixed is not None:
            steps = list(DEFAULT_STATUSES[: DEFAULT_STATUSES.index(fixed) + 1])
            if fixed not in DEFAULT_STATUSES:
                steps = ["pre_transit", "in_transit", fixed]
            offsets = [0.0] * len(steps)
            started -= timedelta(hours=len(steps))
            times = [started + timedelta(hours=index) for index in range(len(steps))]
        else:
            steps, offsets = list(self.statuses), list(self.offsets)
            times = [started + timedelta(seconds=offset) for offset in offsets]
        places = {
            "from": _place(shipment["from_address"] if shipment else None),
            "to": _place(shipment["to_address"] if shipment else None),
        }
        tracker = {
            "id": tracker_id,
            "tracking_code": code,
            "carrier": carrier,
            "shipment_id": shipment["id"] if shipment else None,
            "created_at": _stamp(started),
            "weight": shipment["parcel"]["weight"] if shipment else None,
            "est_delivery_date": None,
            "is_return": bool(shipment and shipment["is_return"]),
            "signed_by": _signer(shipment),
            "public_url": f"{base_url}{self.prefix}/track/{tracker_id}",
            "steps": [_detail(status, when, places, carrier) for status, when in zip(steps, times)],
            "offsets": offsets,
            "clock": time.monotonic(),
            "stopped_at": None,
            "scheduled": fixed is None,
            "service": service,
        }
        self.trackers[tracker_id] = tracker
        return tracker

    def _reached(self, tracker, now=None):
        now = time.monotonic() if now is None else now
        if tracker["stopped_at"] is not None:
            now = min(now, tracker["stopped_at"])
        elapsed = now - tracker["clock"]
        return max(1, sum(offset <= elapsed for offset in tracker["offsets"]))

    def _tracker_view(self, tracker, steps=None):
        steps = self._reached(tracker) if steps is None else steps
        details = tracker["steps"][:steps]
        last = details[-1]
        final = last["status"] in ("delivered", "return_to_sender", "failure")
        return {
            "id": tracker["id"],
            "object": "Tracker",
            "mode": MODE,
            "tracking_code": tracker["tracking_code"],
            "status": last["status"],
            "status_detail": last["status_detail"],
            "created_at": tracker["created_at"],
            "updated_at": last["datetime"],
            "signed_by": tracker["signed_by"] if last["status"] == "delivered" else None,
            "weight": tracker["weight"],
            "est_delivery_date": tracker["est_delivery_date"],
            "shipment_id": tracker["shipment_id"],
            "carrier": tracker["carrier"],
            "tracking_details": [dict(detail) for detail in details],
            "fees": [],
            "carrier_detail": {
                "object": "CarrierDetail",
                "service": tracker["service"],
                "container_type": None,
                "est_delivery_date_local": None,
                "est_delivery_time_local": None,
                "origin_location": None,
                "destination_location": None,
            },
            "finalized": final,
            "is_return": tracker["is_return"],
            "public_url": tracker["public_url"],
        }

    def _check_webhook_options(self):
        options = dict(self.webhook_options)
        event = {"body": {}}
        if "headers" in options:
            event["headers"] = options.pop("headers")
        spec = {
            "webhook_url": "http://127.0.0.1/check",
            "secret": "check",
            "events": [event],
            **options,
        }
        try:
            Timeline(spec, DeliveryLog())
        except HttpError as exc:
            raise ValueError(f"bad webhook option: {exc.reason}") from None

    def _webhook_target(self):
        sandbox = self.sandbox
        url = self.webhook_url or (sandbox.webhook_url if sandbox else None)
        secret = self.webhook_secret
        if secret is None and sandbox is not None:
            secret = sandbox.secret
        return url, secret

    def _schedule_webhooks(self, tracker_id):
        """Play one signed ``tracker.updated`` Event per step on the sandbox's timelines."""
        url, secret = self._webhook_target()
        if not url or not secret:
            return None
        if self.sandbox is None:
            _logger.warning("EasyPostCarrier is not attached to a sandbox: no webhooks sent")
            return None
        options = dict(self.webhook_options)
        headers = options.pop("headers", None)
        with self._lock:
            tracker = self.trackers[tracker_id]
            events = []
            for index, offset in enumerate(tracker["offsets"]):
                result = self._tracker_view(tracker, index + 1)
                previous = tracker["steps"][index - 1]["status"] if index else None
                event = {"after": offset, "body": self._event(result, previous, url)}
                if headers:
                    event["headers"] = dict(headers)
                events.append(event)
        spec = {
            "webhook_url": url,
            "secret": secret,
            "scheme": WEBHOOK_SCHEME,
            "events": events,
            **options,
        }
        try:
            timeline = self.sandbox.play(spec)
        except HttpError as exc:  # the sandbox is stopping
            _logger.warning("no webhooks for %s: %s", tracker_id, exc.reason)
            return None
        with self._lock:
            self._timelines[tracker_id] = timeline
        return timeline

    def _event(self, tracker, previous_status, url):
        when = tracker["updated_at"]
        return {
            "description": "tracker.updated",
            "mode": MODE,
            "previous_attributes": {"status": previous_status} if previous_status else {},
            "created_at": when,
            "pending_urls": [url],
            "completed_urls": [],
            "updated_at": when,
            "id": f"evt_{uuid.uuid4().hex}",  # unique across resets and runs: an idempotency key
            "user_id": "user_sandbox",
            "status": "pending",
            "object": "Event",
            "result": tracker,
        }


def _offsets(interval, count):
    """Return the offset in seconds of each of ``count`` steps (the first at 0)."""
    if isinstance(interval, (int, float)) and not isinstance(interval, bool):
        gaps = [float(interval)] * (count - 1)
    else:
        gaps = [float(gap) for gap in interval]
        if len(gaps) != count - 1:
            raise ValueError(f"interval needs {count - 1} gaps for {count} statuses")
    if any(gap < 0 or gap > 3600 for gap in gaps):
        raise ValueError("every interval must be between 0 and 3600 seconds")
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    if offsets[-1] > 3600:
        raise ValueError("the whole timeline must fit in 3600 seconds")
    return offsets


def _place(address):
    if not address:
        return {"city": None, "state": None, "country": None, "zip": None}
    return {name: address.get(name) for name in ("city", "state", "country", "zip")}


def _detail(status, when, places, carrier):
    status_detail, message, where = STEP_TEMPLATES[status]
    return {
        "object": "TrackingDetail",
        "message": message,
        "description": message,
        "status": status,
        "status_detail": status_detail,
        "datetime": _stamp(when),
        "source": carrier,
        "carrier_code": "",
        "tracking_location": {"object": "TrackingLocation", **places[where]},
    }


def _signer(shipment):
    name = shipment["to_address"].get("name") if shipment else None
    return (name or "SANDBOX RECIPIENT").upper()


def _tracking_code(carrier, number):
    if carrier == "UPS":
        return f"1ZSBX{number:013d}"
    if carrier == "FedEx":
        return f"7{number:011d}"
    return f"9400100000000{number:09d}"
