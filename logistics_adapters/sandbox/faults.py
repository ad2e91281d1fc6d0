"""Faults on command: the partner goes down, slows, hangs, drops or throttles.

A fault applies to the next ``count`` partner requests, or to those received in the next
``seconds`` (whichever ends first when both are given; one request when neither is). Both are
bounded and so is every sleep, so no fault can outlive a test run.
"""

import itertools
import threading
import time
from dataclasses import dataclass

from .core import HttpError, check_keys, number

MODES = ("5xx", "timeout", "slow", "drop", "429")
MAX_COUNT = 10_000
MAX_SECONDS = 3600
MAX_DELAY = 60.0
DEFAULT_DELAY = {"timeout": 30.0, "slow": 2.0}
FAULT_KEYS = ("mode", "count", "seconds", "delay", "paths", "status", "retry_after")


@dataclass
class Fault:
    """One active fault; ``remaining`` is None when only ``until`` bounds it."""

    id: int
    mode: str
    remaining: int | None
    until: float | None
    delay: float
    paths: str
    status: int | None
    retry_after: int | None
    hits: int = 0

    def applies(self, path, now):
        """Tell whether this fault hits a request to ``path`` received at ``now``."""
        return self.active(now) and path.startswith(self.paths)

    def active(self, now):
        """Tell whether the fault still has requests or time left."""
        if self.remaining is not None and self.remaining <= 0:
            return False
        return self.until is None or now < self.until

    def as_dict(self, now):
        """Return the fault as the control API shows it."""
        left = None if self.until is None else max(0.0, round(self.until - now, 3))
        return {
            "id": self.id,
            "mode": self.mode,
            "remaining": self.remaining,
            "seconds_left": left,
            "delay": self.delay,
            "paths": self.paths,
            "status": self.status,
            "retry_after": self.retry_after,
            "hits": self.hits,
        }


class FaultPlan:
    """The active faults, first added first applied; thread-safe."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._faults = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, spec):
        """Validate ``spec`` (the JSON of ``POST /_sandbox/faults``) and activate it."""
        fault = self._parse(spec)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self):
        """Remove every fault; return how many were active."""
        with self._lock:
            now = self._clock()
            active = sum(fault.active(now) for fault in self._faults)
            self._faults.clear()
        return active

    def take(self, path):
        """Return the fault that hits a request to ``path`` now (using one of its count)."""
        with self._lock:
            now = self._clock()
            self._faults = [fault for fault in self._faults if fault.active(now)]
            for fault in self._faults:
                if fault.applies(path, now):
                    fault.hits += 1
                    if fault.remaining is not None:
                        fault.remaining -= 1
                    return fault
        return None

    def describe(self, fault):
        """Return ``fault`` as the control API shows it."""
        return fault.as_dict(self._clock())

    def list(self):
        """Return the active faults as dicts."""
        with self._lock:
            now = self._clock()
            return [fault.as_dict(now) for fault in self._faults if fault.active(now)]

    def _parse(self, spec):
        check_keys(spec, FAULT_KEYS, "a fault")
        mode = spec.get("mode")
        if mode not in MODES:
            raise HttpError(400, f"'mode' must be one of {', '.join(MODES)}, not {mode!r}")
        count = number(spec, "count", minimum=1, maximum=MAX_COUNT, integer=True)
        seconds = number(spec, "seconds", minimum=0.001, maximum=MAX_SECONDS)
        if count is None and seconds is None:
            count = 1
        default_delay = DEFAULT_DELAY.get(mode, 0.0)
        delay = number(spec, "delay", default=default_delay, maximum=MAX_DELAY)
        paths = spec.get("paths") or "/"
        if not isinstance(paths, str) or not paths.startswith("/"):
            raise HttpError(400, "'paths' must be a path prefix starting with '/'")
        status = number(spec, "status", default=503, minimum=500, maximum=599, integer=True)
        retry_default = 1 if mode == "429" else None
        retry_after = number(
            spec, "retry_after", default=retry_default, maximum=MAX_SECONDS, integer=True
        )
        return Fault(
            id=next(self._ids),
            mode=mode,
            remaining=count,
            until=None if seconds is None else self._clock() + seconds,
            delay=float(delay),
            paths=paths,
            status=status if mode == "5xx" else 429 if mode == "429" else None,
            retry_after=retry_after,
        )
