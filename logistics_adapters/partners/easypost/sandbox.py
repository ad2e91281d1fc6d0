"""An EasyPost-compatible carrier: shipments, rates, buy, refund, trackers and webhooks.

Mounted at ``/v2`` like ``https://api.easypost.com/v2``. Requests authenticate as on the real
API: ``Authorization: Bearer <API key>`` (EasyPost's client libraries) or HTTP Basic with the
API key as user name; anything else is refused with 401. Errors use EasyPost's body
``{"error": {"code", "message", "errors": [{"field", "message"}]}}``; bad bodies answer 422.
Prices are deterministic: a base plus a price per started pound, per service, no distance.

Buying a label creates a Tracker that moves through ``statuses`` (pre_transit, in_transit,
out_for_delivery, delivered by default), one step every ``interval`` seconds from the purchase.
``GET`` answers show the steps reached so far. When the carrier is attached to a sandbox
(:meth:`EasyPostCarrier.attach`) and a webhook URL and secret are known (the carrier's own, or
the sandbox's defaults), every step is also sent as a ``tracker.updated`` Event signed with
``easypost-hmac``, on the sandbox's timeline machinery (retries, ``duplicate``, ``shuffle``,
delivery records, cancelled by ``stop()`` and ``reset()``). A refund stops the progress.

The error codes are close to EasyPost's but are the sandbox's own choice.
"""

import base64
import functools
import hashlib
import html
import itertools
import logging
import threading
import time

from ...sandbox.core import HttpError, Response, RouteSet, json_response, route
from .sandbox_common import (
    IDEMPOTENCY_HEADER,
    EasyPostError,
    _base_url,
    _body,
    _invalid,
    _not_found,
    _replay,
    _required,
    _same,
    _stamp,
    _utcnow,
)
from .sandbox_shipments import SERVICES, ShipmentBook
from .sandbox_trackers import (
    DEFAULT_STATUSES,
    STEP_TEMPLATES,
    WEBHOOK_OPTION_KEYS,
    TrackerBook,
    _offsets,
)

_logger = logging.getLogger(__name__)

DEFAULT_API_KEY = "sandbox-api-key"
DEFAULT_INTERVAL = 2.0


def _api(handler):
    """Make ``handler(self, request, **params) -> (status, value)`` a route handler: the API
    key checked, the answer to a POST with an ``Idempotency-Key`` kept and replayed, an
    error answered as EasyPost's."""

    @functools.wraps(handler)
    def wrapped(self, request, **params):
        try:
            self._authenticate(request)
            key = request.header(IDEMPOTENCY_HEADER)
            if not key or request.method != "POST" or not self.honour_idempotency_keys:
                status, value = handler(self, request, **params)
                return json_response(status, value)
            scope = (request.method, request.path, key)
            fingerprint = hashlib.sha256(request.body).hexdigest()
            with self._keyed:
                known = self._answers.get(scope)
                if known is not None:
                    return _replay(key, known, fingerprint)
                status, value = handler(self, request, **params)
                response = json_response(status, value)
                self._answers[scope] = (fingerprint, response)
            return response
        except EasyPostError as error:
            return error.response()
        except HttpError as error:  # request.json(): the body is not a JSON object
            status = 422 if error.status == 400 else error.status
            code = "PARAMETER.INVALID_JSON" if status == 422 else "ERROR"
            return EasyPostError(status, code, error.reason).response()

    return wrapped


class EasyPostCarrier(ShipmentBook, TrackerBook, RouteSet):
    """The EasyPost API v2 personality; see the module doc. Thread-safe.

    Options: ``api_key`` (the one accepted), ``webhook_url`` and ``webhook_secret`` (default:
    the sandbox's), ``interval`` (seconds between tracker steps: a number or one per step
    after the first), ``statuses`` (the steps played, from :data:`STEP_TEMPLATES`),
    ``duplicate`` and ``shuffle`` (as in a timeline), ``webhook_options`` (``max_attempts``,
    ``backoff``, ``timeout``), ``services`` (rate rules like :data:`SERVICES`) and
    ``honour_idempotency_keys`` (False: a repeated request is done again, as by a carrier
    that ignores ``Idempotency-Key``).
    """

    name = "easypost"
    prefix = "/v2"

    def __init__(
        self,
        *,
        api_key=DEFAULT_API_KEY,
        webhook_url=None,
        webhook_secret=None,
        interval=DEFAULT_INTERVAL,
        statuses=DEFAULT_STATUSES,
        duplicate=1,
        shuffle=False,
        webhook_options=None,
        services=SERVICES,
        honour_idempotency_keys=True,
    ):
        if not api_key:
            raise ValueError("api_key must not be empty")
        unknown = [status for status in statuses if status not in STEP_TEMPLATES]
        if not statuses or unknown:
            raise ValueError(f"statuses must be taken from {', '.join(STEP_TEMPLATES)}")
        self.api_key = api_key
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.statuses = tuple(statuses)
        self.offsets = _offsets(interval, len(self.statuses))
        self.services = tuple(services)
        # False plays a carrier that ignores Idempotency-Key: a repeated request is done
        # again (a second purchase), as many carriers' APIs would.
        self.honour_idempotency_keys = honour_idempotency_keys
        self.webhook_options = dict(webhook_options or {})
        extra = sorted(set(self.webhook_options) - set(WEBHOOK_OPTION_KEYS))
        if extra:
            raise ValueError(f"unknown webhook_options {extra}; known: {WEBHOOK_OPTION_KEYS}")
        self.webhook_options.update(duplicate=duplicate, shuffle=shuffle)
        self._check_webhook_options()
        self.sandbox = None
        self._lock = threading.Lock()
        self._keyed = threading.Lock()  # requests with an Idempotency-Key run one at a time
        self.reset()

    def attach(self, sandbox):
        """Send webhooks through ``sandbox`` (its timelines, deliveries and defaults); return it."""
        self.sandbox = sandbox
        return sandbox

    def reset(self):
        """Forget every shipment, tracker, label and idempotency key."""
        with self._lock:
            self.shipments = {}
            self.trackers = {}
            self.labels = {}
            self._answers = {}
            self._ids = itertools.count(1)
            self._timelines = {}

    # -- handlers (``@_api``: the API key asked for; labels and tracking pages need none) ---

    @route("POST", "/shipments")
    @_api
    def create_shipment(self, request):
        """``POST /v2/shipments``: 201 with the Shipment and its rates."""
        body = _body(request, "shipment")
        with self._lock:
            shipment = self._new_shipment(body["shipment"], _base_url(request, self.sandbox))
        return 201, self._shipment_view(shipment)

    @route("GET", "/shipments/{shipment_id}")
    @_api
    def get_shipment(self, request, shipment_id):
        """``GET /v2/shipments/<id>``: the Shipment as it is now."""
        with self._lock:
            return 200, self._shipment_view(self._shipment(shipment_id))

    @route("POST", "/shipments/{shipment_id}/buy")
    @_api
    def buy(self, request, shipment_id):
        """``POST /v2/shipments/<id>/buy``: buy the rate's label, start the tracker."""
        body = _body(request, "rate")
        rate_id = body["rate"].get("id")
        if not isinstance(rate_id, str) or not rate_id:
            raise _required("rate.id")
        with self._lock:
            shipment = self._shipment(shipment_id)
            if shipment["selected_rate"] is not None:
                raise EasyPostError(
                    422,
                    "SHIPMENT.POSTAGE.EXISTS",
                    "Shipment already purchased.",
                    [("shipment", "postage was already purchased for this shipment")],
                )
            rate = next((r for r in shipment["rates"] if r["id"] == rate_id), None)
            if rate is None:
                raise _invalid("rate.id", f"{rate_id!r} is not a rate of {shipment_id}")
            self._purchase(shipment, rate)
            view = self._shipment_view(shipment)
        self._schedule_webhooks(shipment["tracker_id"])
        return 200, view

    @route("POST", "/shipments/{shipment_id}/refund")
    @_api
    def refund(self, request, shipment_id):
        """``POST /v2/shipments/<id>/refund``: ``refund_status`` submitted; progress stops."""
        with self._lock:
            shipment = self._shipment(shipment_id)
            if shipment["selected_rate"] is None:
                raise EasyPostError(
                    422,
                    "SHIPMENT.REFUND.UNAVAILABLE",
                    "Shipment has no postage to refund.",
                    [("shipment", "no label was purchased")],
                )
            if shipment["refund_status"] is None:
                shipment["refund_status"] = "submitted"
                shipment["updated_at"] = _stamp(_utcnow())
                tracker = self.trackers[shipment["tracker_id"]]
                tracker["stopped_at"] = time.monotonic()
            timeline = self._timelines.pop(shipment["tracker_id"], None)
            view = self._shipment_view(shipment)
        if timeline is not None:
            timeline.cancel()
        return 200, view

    @route("POST", "/trackers")
    @_api
    def create_tracker(self, request):
        """``POST /v2/trackers``: the Tracker of a code (an existing one is answered again)."""
        body = _body(request, "tracker")
        code = body["tracker"].get("tracking_code")
        carrier = body["tracker"].get("carrier") or "USPS"
        if not isinstance(code, str) or not code.strip():
            raise _required("tracker.tracking_code")
        if not isinstance(carrier, str):
            raise _invalid("tracker.carrier", "must be a string")
        with self._lock:
            tracker = next(
                (t for t in self.trackers.values() if t["tracking_code"] == code.strip()), None
            )
            new = tracker is None
            if new:
                base_url = _base_url(request, self.sandbox)
                tracker = self._new_tracker(code.strip(), carrier, None, base_url)
            view = self._tracker_view(tracker)
        if new and tracker["scheduled"]:
            self._schedule_webhooks(tracker["id"])
        return 200, view

    @route("GET", "/trackers/{tracker_id}")
    @_api
    def get_tracker(self, request, tracker_id):
        """``GET /v2/trackers/<id>``: the Tracker as it is now."""
        with self._lock:
            tracker = self.trackers.get(tracker_id)
            if tracker is None:
                raise _not_found()
            return 200, self._tracker_view(tracker)

    @route("GET", "/labels/{file_name}")
    def get_label(self, request, file_name):
        """``GET /v2/labels/<postage label id>.<ext>``: the label file (no key, like S3)."""
        with self._lock:
            label = self.labels.get(file_name)
        if label is None:
            return _not_found().response()
        media_type, data = label
        return Response(200, data, {"Content-Type": media_type})

    @route("GET", "/track/{tracker_id}")
    def public_tracking(self, request, tracker_id):
        """``GET /v2/track/<tracker id>``: a small HTML page, the Tracker's ``public_url``."""
        with self._lock:
            tracker = self.trackers.get(tracker_id)
            view = self._tracker_view(tracker) if tracker else None
        if view is None:
            return _not_found().response()
        code, carrier = html.escape(view["tracking_code"]), html.escape(view["carrier"])
        rows = "".join(
            f"<li>{d['datetime']} {d['status']}: {html.escape(d['message'])}</li>"
            for d in view["tracking_details"]
        )
        page = (
            f"<!DOCTYPE html><html><head><title>{code}</title></head><body>"
            f"<h1>{carrier} {code}: {view['status']}</h1><ul>{rows}</ul></body></html>"
        )
        return Response(200, page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})

    # -- authentication, idempotency, errors ------------------------------------------------

    def _authenticate(self, request):
        """Accept the API key as EasyPost does: HTTP Basic with the key as user name (what
        most HTTP tools send) or ``Authorization: Bearer <key>`` (what EasyPost's own client
        libraries send); anything else answers 401."""
        key = _api_key(request.header("Authorization") or "")
        if not key:
            raise EasyPostError(
                401,
                "APIKEY.REQUIRED",
                "No API key provided: send 'Authorization: Bearer <API key>' or HTTP Basic "
                "auth with the API key as user name.",
            )
        if not _same(key, self.api_key):
            raise EasyPostError(401, "APIKEY.INVALID", "The API key provided is not valid.")

    # -- state ------------------------------------------------------------------------------

    def _new_id(self, prefix):
        return f"{prefix}_{next(self._ids):032x}"

    # -- views (JSON copies of the state, with the tracker steps reached so far) ------------

    # -- webhooks ---------------------------------------------------------------------------


# -- helpers ----------------------------------------------------------------------------------


def _api_key(header):
    """The API key an ``Authorization`` header carries (Basic user name or Bearer token), or
    ``""``."""
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer":
        return token
    if scheme.lower() != "basic":
        return ""
    try:
        credentials = base64.b64decode(token, validate=True).decode("utf-8")
    except ValueError:
        return ""
    return credentials.partition(":")[0]
