"""An EasyPost-compatible carrier: shipments, rates, buy, refund, trackers and webhooks.

Mounted at ``/v2`` like ``https://api.easypost.com/v2``. Requests authenticate with HTTP Basic,
the API key as user name (refused with 401). Errors use EasyPost's body
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
import hashlib
import hmac
import html
import itertools
import json
import logging
import math
import struct
import threading
import time
import zlib
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from .core import HttpError, Response, Route, RouteSet, json_response
from .generic import tiny_pdf
from .timeline import DeliveryLog, Timeline

_logger = logging.getLogger(__name__)

DEFAULT_API_KEY = "sandbox-api-key"
DEFAULT_INTERVAL = 2.0
IDEMPOTENCY_HEADER = "Idempotency-Key"
WEBHOOK_SCHEME = "easypost-hmac"
MODE = "test"
#: Extra timeline keys a carrier may pass on (``webhook_options``); ``headers`` go with
#: every webhook (a test server's cookie, say).
WEBHOOK_OPTION_KEYS = ("max_attempts", "backoff", "timeout", "headers")
#: ``label_format`` -> (file extension, media type, PostageLabel URL field).
LABEL_FORMATS = {
    "PDF": ("pdf", "application/pdf", "label_pdf_url"),
    "ZPL": ("zpl", "application/zpl", "label_zpl_url"),
    "EPL2": ("epl2", "application/epl2", "label_epl2_url"),
    "PNG": ("png", "image/png", None),
}
DEFAULT_LABEL_FORMAT = "PDF"


def _service(carrier, service, base, per_pound, days):
    return {
        "carrier": carrier,
        "service": service,
        "base": Decimal(base),
        "per_pound": Decimal(per_pound),
        "days": days,
    }


#: The services quoted: price = base + per_pound * started pounds (at least 1).
SERVICES = (
    _service("USPS", "GroundAdvantage", "5.25", "0.82", 3),
    _service("USPS", "Priority", "7.10", "1.15", 2),
    _service("USPS", "Express", "28.50", "2.75", 1),
    _service("UPS", "Ground", "9.40", "1.05", 4),
    _service("FedEx", "FEDEX_2_DAY", "18.20", "1.90", 2),
)

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


class EasyPostError(HttpError):
    """An EasyPost error answer: ``code``, ``message`` and field ``errors``."""

    def __init__(self, status, code, message, errors=()):
        super().__init__(status, message)
        self.code = code
        self.errors = [
            {"field": field, "message": text, "suggestion": None} for field, text in errors
        ]

    def response(self):
        """Return the answer, shaped like EasyPost's."""
        body = {"error": {"code": self.code, "message": self.reason, "errors": self.errors}}
        return json_response(self.status, body, self.headers)


def _invalid(field, message):
    return EasyPostError(
        422, "PARAMETER.INVALID", f"Invalid parameter: {field}", [(field, message)]
    )


def _required(field):
    return EasyPostError(
        422, "PARAMETER.REQUIRED", f"Missing required parameter: {field}", [(field, "is required")]
    )


def _not_found():
    return EasyPostError(404, "NOT_FOUND", "The requested resource could not be found.")


class EasyPostCarrier(RouteSet):
    """The EasyPost API v2 personality; see the module doc. Thread-safe.

    Options: ``api_key`` (the one accepted), ``webhook_url`` and ``webhook_secret`` (default:
    the sandbox's), ``interval`` (seconds between tracker steps: a number or one per step
    after the first), ``statuses`` (the steps played, from :data:`STEP_TEMPLATES`),
    ``duplicate`` and ``shuffle`` (as in a timeline), ``webhook_options`` (``max_attempts``,
    ``backoff``, ``timeout``) and ``services`` (rate rules like :data:`SERVICES`).
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

    def routes(self):
        """Return the EasyPost routes (labels and public tracking pages need no key)."""
        return [
            Route("POST", "/shipments", self._api(self.create_shipment)),
            Route("GET", "/shipments/{shipment_id}", self._api(self.get_shipment)),
            Route("POST", "/shipments/{shipment_id}/buy", self._api(self.buy)),
            Route("POST", "/shipments/{shipment_id}/refund", self._api(self.refund)),
            Route("POST", "/trackers", self._api(self.create_tracker)),
            Route("GET", "/trackers/{tracker_id}", self._api(self.get_tracker)),
            Route("GET", "/labels/{file_name}", self.get_label),
            Route("GET", "/track/{tracker_id}", self.public_tracking),
        ]

    # -- handlers ---------------------------------------------------------------------------

    def create_shipment(self, request):
        """``POST /v2/shipments``: 201 with the Shipment and its rates."""
        body = _body(request, "shipment")
        with self._lock:
            shipment = self._new_shipment(body["shipment"], _base_url(request, self.sandbox))
        return 201, self._shipment_view(shipment)

    def get_shipment(self, request, shipment_id):
        """``GET /v2/shipments/<id>``: the Shipment as it is now."""
        with self._lock:
            return 200, self._shipment_view(self._shipment(shipment_id))

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

    def get_tracker(self, request, tracker_id):
        """``GET /v2/trackers/<id>``: the Tracker as it is now."""
        with self._lock:
            tracker = self.trackers.get(tracker_id)
            if tracker is None:
                raise _not_found()
            return 200, self._tracker_view(tracker)

    def get_label(self, request, file_name):
        """``GET /v2/labels/<postage label id>.<ext>``: the label file (no key, like S3)."""
        with self._lock:
            label = self.labels.get(file_name)
        if label is None:
            return _not_found().response()
        media_type, data = label
        return Response(200, data, {"Content-Type": media_type})

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

    def _api(self, handler):
        """Wrap ``handler(request, **params) -> (status, value)`` with auth and replays."""

        def wrapped(request, **params):
            try:
                self._authenticate(request)
                key = request.header(IDEMPOTENCY_HEADER)
                if not key or request.method != "POST":
                    status, value = handler(request, **params)
                    return json_response(status, value)
                scope = (request.method, request.path, key)
                fingerprint = hashlib.sha256(request.body).hexdigest()
                with self._keyed:
                    known = self._answers.get(scope)
                    if known is not None:
                        return _replay(key, known, fingerprint)
                    status, value = handler(request, **params)
                    response = json_response(status, value)
                    self._answers[scope] = (fingerprint, response)
                return response
            except EasyPostError as error:
                return error.response()
            except HttpError as error:  # request.json(): the body is not a JSON object
                status = 422 if error.status == 400 else error.status
                code = "PARAMETER.INVALID_JSON" if status == 422 else "ERROR"
                return EasyPostError(status, code, error.reason).response()

        wrapped.__name__ = getattr(handler, "__name__", "handler")
        wrapped.__doc__ = handler.__doc__
        return wrapped

    def _authenticate(self, request):
        header = request.header("Authorization") or ""
        scheme, _, token = header.partition(" ")
        user = None
        if scheme.lower() == "basic":
            try:
                user = base64.b64decode(token.strip(), validate=True).decode("utf-8")
            except ValueError:
                user = None
            user = user.partition(":")[0] if user is not None else None
        if not user:
            raise EasyPostError(
                401,
                "APIKEY.REQUIRED",
                "No API key provided: use HTTP Basic auth with the API key as user name.",
            )
        if not _same(user, self.api_key):
            raise EasyPostError(401, "APIKEY.INVALID", "The API key provided is not valid.")

    # -- state ------------------------------------------------------------------------------

    def _new_id(self, prefix):
        return f"{prefix}_{next(self._ids):032x}"

    def _new_shipment(self, spec, base_url):
        now = _stamp(_utcnow())
        shipment_id = self._new_id("shp")
        addresses = {
            name: _address(spec, name, self._new_id("adr"), now, required=name != "return_address")
            for name in ("from_address", "to_address", "return_address")
        }
        parcel = _parcel(spec, self._new_id("prcl"), now)
        options = spec.get("options") or {}
        if not isinstance(options, dict):
            raise _invalid("shipment.options", "must be an object")
        label_format = options.get("label_format") or DEFAULT_LABEL_FORMAT
        if not isinstance(label_format, str) or label_format.upper() not in LABEL_FORMATS:
            raise _invalid(
                "shipment.options.label_format", f"must be one of {', '.join(LABEL_FORMATS)}"
            )
        options = {
            **options,
            "label_format": label_format.upper(),
            "currency": options.get("currency") or "USD",
            "payment": options.get("payment") or {"type": "SENDER"},
            "date_advance": options.get("date_advance") or 0,
        }
        reference = spec.get("reference")
        if reference is not None and not isinstance(reference, (str, int)):
            raise _invalid("shipment.reference", "must be a string")
        shipment = {
            "id": shipment_id,
            "created_at": now,
            "is_return": spec.get("is_return") is True,
            "messages": [],
            "mode": MODE,
            "options": options,
            "reference": None if reference is None else str(reference),
            "status": "unknown",
            "tracking_code": None,
            "updated_at": now,
            "customs_info": self._customs(spec, now),
            "from_address": addresses["from_address"],
            "to_address": addresses["to_address"],
            "return_address": addresses["return_address"] or addresses["from_address"],
            "buyer_address": addresses["to_address"],
            "insurance": None,
            "parcel": parcel,
            "postage_label": None,
            "rates": [],
            "refund_status": None,
            "selected_rate": None,
            "tracker_id": None,
            "forms": [],
            "fees": [],
            "object": "Shipment",
            "base_url": base_url,
        }
        shipment["rates"] = [
            self._rate(shipment_id, rule, parcel["weight"], now) for rule in self.services
        ]
        self.shipments[shipment_id] = shipment
        return shipment

    def _customs(self, spec, now):
        customs = spec.get("customs_info")
        if customs is None:
            return None
        if not isinstance(customs, dict):
            raise _invalid("shipment.customs_info", "must be an object")
        items = customs.get("customs_items") or []
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise _invalid("shipment.customs_info.customs_items", "must be a list of objects")
        return {
            **customs,
            "id": self._new_id("cstinfo"),
            "object": "CustomsInfo",
            "created_at": now,
            "updated_at": now,
            "mode": MODE,
            "customs_items": [
                {
                    **item,
                    "id": self._new_id("cstitem"),
                    "object": "CustomsItem",
                    "created_at": now,
                    "updated_at": now,
                    "mode": MODE,
                    **({"value": str(item["value"])} if item.get("value") is not None else {}),
                }
                for item in items
            ],
        }

    def _rate(self, shipment_id, rule, weight_oz, now):
        pounds = max(1, math.ceil(weight_oz / 16))
        amount = _cents(rule["base"] + rule["per_pound"] * pounds)
        carrier = rule["carrier"]
        return {
            "id": self._new_id("rate"),
            "object": "Rate",
            "created_at": now,
            "updated_at": now,
            "mode": MODE,
            "service": rule["service"],
            "carrier": carrier,
            "rate": str(amount),
            "currency": "USD",
            "retail_rate": str(_cents(amount * Decimal("1.25"))),
            "retail_currency": "USD",
            "list_rate": str(_cents(amount * Decimal("1.10"))),
            "list_currency": "USD",
            "billing_type": "easypost",
            "delivery_days": rule["days"],
            "delivery_date": None,
            "delivery_date_guaranteed": False,
            "est_delivery_days": rule["days"],
            "shipment_id": shipment_id,
            "carrier_account_id": f"ca_sandbox_{carrier.lower()}",
        }

    def _purchase(self, shipment, rate):
        now_dt = _utcnow()
        now = _stamp(now_dt)
        number = next(self._ids)
        code = _tracking_code(rate["carrier"], number)
        label_format = shipment["options"]["label_format"]
        extension, media_type, url_field = LABEL_FORMATS[label_format]
        label_id = self._new_id("pl")
        file_name = f"{label_id}.{extension}"
        url = f"{shipment['base_url']}{self.prefix}/labels/{file_name}"
        self.labels[file_name] = (media_type, _label_file(label_format, code, rate))
        label = {
            "object": "PostageLabel",
            "id": label_id,
            "created_at": now,
            "updated_at": now,
            "date_advance": 0,
            "integrated_form": "none",
            "label_date": now,
            "label_resolution": 300,
            "label_size": "4x6",
            "label_type": "default",
            "label_file_type": media_type,
            "label_url": url,
            "label_pdf_url": None,
            "label_zpl_url": None,
            "label_epl2_url": None,
            "label_file": None,
        }
        if url_field:
            label[url_field] = url
        tracker = self._new_tracker(
            code, rate["carrier"], shipment, shipment["base_url"], rate["service"]
        )
        tracker["est_delivery_date"] = _stamp(now_dt + timedelta(days=rate["delivery_days"]))
        shipment.update(
            tracking_code=code,
            postage_label=label,
            selected_rate=rate,
            tracker_id=tracker["id"],
            updated_at=now,
            fees=[
                _fee("LabelFee", Decimal(0)),
                _fee("PostageFee", Decimal(rate["rate"])),
            ],
        )

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

    def _shipment(self, shipment_id):
        shipment = self.shipments.get(shipment_id)
        if shipment is None:
            raise _not_found()
        return shipment

    # -- views (JSON copies of the state, with the tracker steps reached so far) ------------

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

    def _shipment_view(self, shipment):
        view = {
            key: value
            for key, value in shipment.items()
            if key not in ("tracker_id", "base_url", "status")
        }
        view = json.loads(json.dumps(view))
        tracker = self.trackers.get(shipment["tracker_id"]) if shipment["tracker_id"] else None
        view["tracker"] = self._tracker_view(tracker) if tracker else None
        view["status"] = view["tracker"]["status"] if tracker else shipment["status"]
        # EasyPost's key order: "object" last.
        view["object"] = view.pop("object")
        return view

    # -- webhooks ---------------------------------------------------------------------------

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
            "id": self._new_id("evt"),
            "user_id": "user_sandbox",
            "status": "pending",
            "object": "Event",
            "result": tracker,
        }


# -- helpers ----------------------------------------------------------------------------------


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


def _body(request, root):
    """Return the JSON body, checking that ``body[root]`` is an object."""
    body = request.json()
    if root not in body:
        raise _required(root)
    if not isinstance(body[root], dict):
        raise _invalid(root, "must be an object")
    return body


def _address(spec, name, address_id, now, required=True):
    address = spec.get(name)
    if address is None:
        if required:
            raise _required(f"shipment.{name}")
        return None
    if not isinstance(address, dict):
        raise _invalid(f"shipment.{name}", "must be an object")
    fields = ("name", "company", "street1", "street2", "city", "state", "zip", "country")
    fields += ("phone", "email")
    values = {field: address.get(field) for field in fields}
    for field in ("street1", "city", "zip", "country"):
        if not isinstance(values[field], str) or not values[field].strip():
            raise _required(f"shipment.{name}.{field}")
    return {
        "id": address_id,
        "object": "Address",
        "created_at": now,
        "updated_at": now,
        **values,
        "mode": MODE,
        "residential": address.get("residential"),
        "verifications": {},
    }


def _parcel(spec, parcel_id, now):
    parcel = spec.get("parcel")
    if parcel is None:
        raise _required("shipment.parcel")
    if not isinstance(parcel, dict):
        raise _invalid("shipment.parcel", "must be an object")
    values = {}
    for name in ("length", "width", "height", "weight"):
        value = parcel.get(name)
        if value is None:
            if name == "weight":
                raise _required("shipment.parcel.weight")
            values[name] = None
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _invalid(f"shipment.parcel.{name}", "must be a number")
        if not 0 < value <= 10_000:
            raise _invalid(f"shipment.parcel.{name}", "must be greater than 0 (and sensible)")
        values[name] = float(value)
    return {
        "id": parcel_id,
        "object": "Parcel",
        "created_at": now,
        "updated_at": now,
        **values,
        "predefined_package": parcel.get("predefined_package"),
        "mode": MODE,
    }


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


def _fee(kind, amount):
    return {
        "object": "Fee",
        "type": kind,
        "amount": str(amount.quantize(Decimal("0.00001"))),
        "charged": True,
        "refunded": False,
    }


def _cents(amount):
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _label_file(label_format, code, rate):
    text = f"SANDBOX {rate['carrier']} {rate['service']} {code}"
    if label_format == "PDF":
        return tiny_pdf(text)
    if label_format == "ZPL":
        return (
            f"^XA^FO50,50^A0N,40,40^FD{text}^FS^FO50,120^BCN,100,Y,N,N^FD{code}^FS^XZ\n"
        ).encode("ascii")
    if label_format == "EPL2":
        return f'N\nA50,50,0,3,1,1,N,"{text}"\nB50,120,0,1,2,4,100,B,"{code}"\nP1\n'.encode("ascii")
    return tiny_png()


def tiny_png(width=8, height=12):
    """Return a small valid white PNG (8-bit greyscale)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\xff" * width for _row in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def _replay(key, known, fingerprint):
    known_fingerprint, response = known
    if known_fingerprint != fingerprint:
        raise EasyPostError(
            422,
            "IDEMPOTENCY.KEY_REUSED",
            f"Idempotency-Key {key!r} was already used with another request body.",
        )
    return Response(
        response.status, response.body, {**response.headers, "Idempotent-Replayed": "true"}
    )


def _base_url(request, sandbox):
    host = request.header("Host")
    if host:
        return f"http://{host}"
    return sandbox.url if sandbox is not None else "http://127.0.0.1"


def _same(given, expected):
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _utcnow():
    return datetime.now(timezone.utc)


def _stamp(moment):
    """EasyPost's UTC form: ``2025-03-07T16:46:20Z`` (milliseconds when not whole)."""
    moment = moment.astimezone(timezone.utc)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
