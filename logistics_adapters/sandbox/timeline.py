"""Signed webhooks on a scripted timeline, delivered the way carriers deliver them.

A timeline is the JSON of ``POST /_sandbox/timeline`` (or a ``--scenario`` file)::

    {"webhook_url": "http://127.0.0.1:8069/logistics/inbound/sandbox",
     "secret": "s3cret", "scheme": "generic-hmac-sha256",
     "duplicate": 1, "shuffle": false, "max_attempts": 5, "backoff": 0.5, "timeout": 5,
     "events": [{"after": 0.5, "body": {...}}, {"after": 2, "raw": "...", "path": "/x",
                 "headers": {"X-Partner": "y"}, "signature": "valid", "clock_skew": 0}]}

Each event is POSTed at ``after`` seconds from the start, signed with ``scheme`` at send time.
``duplicate`` sends every event N times in a row; ``shuffle`` (``true`` or an integer seed)
deals the events to the planned times in a random order. A connection error, a timeout, 408,
425, 429 or a 5xx is retried after ``backoff * 2 ** (attempt - 1)`` seconds (a 429's
``Retry-After`` wins), up to ``max_attempts``; retries do not hold the later events back. Each
event's ``signature`` may be ``valid`` (default), ``invalid`` (signed with another secret) or
``none``; ``clock_skew`` moves the signing time, to try the receiver's timestamp window.
"""

import heapq
import itertools
import json
import random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from http.client import HTTPException
from urllib.parse import urlsplit

from .. import __version__
from ..transport.http import parse_retry_after
from ..transport.signatures import get_scheme
from .core import HttpError, LockedLog, check_keys, number

MAX_EVENTS = 1000
MAX_AFTER = 3600
MAX_DUPLICATE = 10
MAX_ATTEMPTS = 10
MAX_BACKOFF = 60.0
MAX_TIMEOUT = 60.0
MAX_CLOCK_SKEW = 86_400
RESPONSE_EXCERPT = 2000
RETRY_STATUSES = frozenset({408, 425, 429})
SIGNATURE_MODES = ("valid", "invalid", "none")
TIMELINE_KEYS = (
    "webhook_url",
    "secret",
    "scheme",
    "events",
    "duplicate",
    "shuffle",
    "max_attempts",
    "backoff",
    "timeout",
)
EVENT_KEYS = ("after", "body", "raw", "path", "headers", "signature", "clock_skew")
USER_AGENT = f"logistics-sandbox/{__version__}"

# Webhooks go straight to their URL: a proxy from the environment must not see them.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class DeliveryLog(LockedLog):
    """The outcome of every delivery of every timeline, for ``GET /_sandbox/deliveries``."""

    def __init__(self):
        super().__init__([])

    def add(self, record):
        """Append a delivery record (a dict the timeline keeps updating under ``lock``)."""
        self._append(record)

    def records(self, timeline=None):
        """Return copies of the records, of one timeline when ``timeline`` is given."""
        return self._copies(
            lambda record: {**record, "attempt_log": list(record["attempt_log"])},
            lambda record: timeline is None or record["timeline"] == timeline,
        )


@dataclass(eq=False)
class Planned:
    """One send of one event: its copy number, time, bytes and headers to sign."""

    sequence: int
    index: int
    copy: int
    after: float
    event: dict
    record: dict


class Timeline:
    """A parsed timeline delivering its events in a background thread; see the module doc."""

    _ids = itertools.count(1)

    def __init__(self, spec, log, *, default_url=None, default_secret=None):
        check_keys(spec, TIMELINE_KEYS, "a timeline")
        self.id = next(self._ids)
        self.log = log
        self.url = _url(spec.get("webhook_url") or default_url)
        self.secret = spec.get("secret") if spec.get("secret") is not None else default_secret
        try:
            self.scheme = get_scheme(spec.get("scheme") or "generic-hmac-sha256")
        except LookupError as exc:
            raise HttpError(400, str(exc)) from None
        self.max_attempts = number(
            spec, "max_attempts", default=5, minimum=1, maximum=MAX_ATTEMPTS, integer=True
        )
        self.backoff = number(spec, "backoff", default=0.5, maximum=MAX_BACKOFF)
        self.timeout = number(spec, "timeout", default=5.0, minimum=0.01, maximum=MAX_TIMEOUT)
        duplicate = number(
            spec, "duplicate", default=1, minimum=1, maximum=MAX_DUPLICATE, integer=True
        )
        events = [self._event(index, event) for index, event in enumerate(_events(spec))]
        self.plan = self._plan(events, duplicate, spec.get("shuffle", False))
        self.state = "planned"
        self._cancel = threading.Event()
        self._thread = None

    def start(self):
        """Start delivering in a daemon thread; return self."""
        self.state = "running"
        for item in self.plan:
            self.log.add(item.record)
        self._thread = threading.Thread(
            target=self._run, name=f"sandbox-timeline-{self.id}", daemon=True
        )
        self._thread.start()
        return self

    def cancel(self, wait=2.0):
        """Stop delivering (pending events are marked cancelled) and wait for the thread."""
        self._cancel.set()
        if self._thread is not None:
            self._thread.join(wait)

    def summary(self):
        """Return the timeline's id, state and plan, as the control API answers it."""
        return {
            "timeline": self.id,
            "state": self.state,
            "webhook_url": self.url,
            "deliveries": len(self.plan),
            "plan": [
                {"sequence": p.sequence, "event": p.index, "copy": p.copy, "after": p.after}
                for p in self.plan
            ],
        }

    def _event(self, index, event):
        where = f"events[{index}]"
        check_keys(event, EVENT_KEYS, where)
        if ("body" in event) == ("raw" in event):
            raise HttpError(400, f"{where}: give exactly one of 'body' (JSON) or 'raw' (text)")
        raw = event.get("raw")
        if raw is not None and not isinstance(raw, str):
            raise HttpError(400, f"{where}: 'raw' must be a string")
        body = raw.encode("utf-8") if raw is not None else _compact(event["body"])
        headers = event.get("headers") or {}
        if not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            raise HttpError(400, f"{where}: 'headers' must map names to string values")
        path = event.get("path") or ""
        if not isinstance(path, str):
            raise HttpError(400, f"{where}: 'path' must be a string")
        signature = event.get("signature", "valid")
        if signature not in SIGNATURE_MODES:
            raise HttpError(400, f"{where}: 'signature' must be one of {SIGNATURE_MODES}")
        if signature != "none" and not self.secret:
            raise HttpError(400, f"{where}: a 'secret' is needed to sign (or signature 'none')")
        return {
            "after": float(number(event, "after", default=0, maximum=MAX_AFTER)),
            "body": body,
            "url": self.url.rstrip("/") + "/" + path.lstrip("/") if path else self.url,
            "headers": headers,
            "signature": signature,
            "clock_skew": number(
                event, "clock_skew", default=0, minimum=-MAX_CLOCK_SKEW, maximum=MAX_CLOCK_SKEW
            ),
        }

    def _plan(self, events, duplicate, shuffle):
        sends = [(index, copy) for index in range(len(events)) for copy in range(duplicate)]
        times = sorted(events[index]["after"] for index, _copy in sends)
        if shuffle is not False and shuffle is not None:
            if isinstance(shuffle, bool):
                rng = random.Random()
            elif isinstance(shuffle, int):
                rng = random.Random(shuffle)
            else:
                raise HttpError(400, "'shuffle' must be true, false or an integer seed")
            rng.shuffle(sends)
        else:
            sends.sort(key=lambda send: (events[send[0]]["after"], send[0], send[1]))
        return [
            Planned(seq, index, copy, after, events[index], self._record(seq, index, copy))
            for seq, ((index, copy), after) in enumerate(zip(sends, times))
        ]

    def _record(self, sequence, index, copy):
        return {
            "timeline": self.id,
            "sequence": sequence,
            "event": index,
            "copy": copy,
            "url": None,
            "state": "pending",
            "status_code": None,
            "response_body": None,
            "error": None,
            "attempts": 0,
            "attempt_log": [],
            "delivered_at": None,
        }

    def _run(self):
        started = time.monotonic()
        queue = [(started + item.after, item.sequence, item) for item in self.plan]
        heapq.heapify(queue)
        while queue and not self._cancel.is_set():
            due, sequence, item = queue[0]
            wait = due - time.monotonic()
            if wait > 0:
                self._cancel.wait(wait)
                continue
            heapq.heappop(queue)
            retry_in = self._attempt(item)
            if retry_in is not None:
                heapq.heappush(queue, (time.monotonic() + retry_in, sequence, item))
        with self.log.lock:
            for _due, _sequence, item in queue:
                item.record["state"] = "cancelled"
        self.state = "cancelled" if self._cancel.is_set() else "done"

    def _attempt(self, item):
        """Send ``item`` once; return the delay before the next attempt, or None when final."""
        event = item.event
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
        headers.update(self._signature(event))
        headers.update(event["headers"])
        status, text, error, retry_after, elapsed = _post(
            event["url"], event["body"], headers, self.timeout
        )
        record = item.record
        with self.log.lock:
            record["url"] = event["url"]
            record["attempts"] += 1
            record["status_code"] = status
            record["response_body"] = text
            record["error"] = error
            record["attempt_log"].append(
                {"at": _now(), "status_code": status, "error": error, "elapsed_ms": elapsed}
            )
            retryable = status is None or status >= 500 or status in RETRY_STATUSES
            if status is not None and 200 <= status < 300:
                record["state"] = "delivered"
                record["delivered_at"] = _now()
            elif not retryable or record["attempts"] >= self.max_attempts:
                record["state"] = "failed"
            else:
                delay = self.backoff * 2 ** (record["attempts"] - 1)
                if retry_after is not None:
                    delay = retry_after
                return min(delay, MAX_BACKOFF)
        return None

    def _signature(self, event):
        if event["signature"] == "none":
            return {}
        secret = self.secret if event["signature"] == "valid" else f"not-{self.secret}"
        return self.scheme.sign(event["body"], secret, now=time.time() + event["clock_skew"])


def _post(url, body, headers, timeout):
    """POST once; return ``(status, response text, error text, retry_after, elapsed_ms)``."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    started = time.perf_counter()
    status = text = error = retry_after = None
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status, text = response.status, response.read(RESPONSE_EXCERPT)
    except urllib.error.HTTPError as exc:
        status, text = exc.code, exc.read(RESPONSE_EXCERPT)
        retry_after = parse_retry_after(exc.headers.get("Retry-After"))
        exc.close()
    except (urllib.error.URLError, OSError, HTTPException) as exc:
        error = f"{type(exc).__name__}: {getattr(exc, 'reason', None) or exc}"
    elapsed = round((time.perf_counter() - started) * 1000)
    if text is not None:
        text = text.decode("utf-8", "replace")
    return status, text, error, retry_after, elapsed


def _events(spec):
    events = spec.get("events")
    if not isinstance(events, list) or not events:
        raise HttpError(400, "'events' must be a non-empty list")
    if len(events) > MAX_EVENTS:
        raise HttpError(400, f"at most {MAX_EVENTS} events per timeline")
    return events


def _url(url):
    if not url:
        raise HttpError(400, "'webhook_url' is required (or start the sandbox with --webhook-url)")
    parts = urlsplit(str(url))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HttpError(400, f"'webhook_url' must be an http(s) URL, not {url!r}")
    return str(url)


def _compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _now():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")
