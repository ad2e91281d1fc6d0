"""The client-side rate limit: a token bucket, shared in the process by key (a backend)."""

import math
import threading
import time

from ..errors import TransientError

MAX_RATE_LIMIT_WAIT = 5.0


class RateLimiter:
    """A thread-safe token bucket: ``rate_per_minute`` calls, in bursts of ``burst`` at most.

    The default burst is one second's worth of calls (at least 1), which keeps any sliding
    minute within about 1/60 of the rate. :meth:`acquire` waits when the next token comes
    within ``max_wait`` seconds; further than that it raises ``TransientError`` with
    ``retry_after`` instead, so a worker is not held while the message engine can reschedule
    the message. ``clock`` and ``sleep`` are injectable for tests.
    """

    def __init__(
        self,
        rate_per_minute,
        *,
        burst=None,
        max_wait=MAX_RATE_LIMIT_WAIT,
        clock=time.monotonic,
        sleep=time.sleep,
    ):
        if not rate_per_minute or rate_per_minute <= 0:
            raise ValueError("rate_per_minute must be a positive number")
        self.rate_per_minute = rate_per_minute
        self.capacity = burst if burst is not None else max(1, int(rate_per_minute // 60))
        self.max_wait = max_wait
        self._per_second = rate_per_minute / 60.0
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(self.capacity)
        self._updated = clock()

    def acquire(self):
        """Take one token, waiting if needed; return the seconds waited."""
        with self._lock:
            self._refill()
            wait = max(0.0, (1.0 - self._tokens) / self._per_second)
            if wait > self.max_wait:
                raise TransientError(
                    f"client-side rate limit of {self.rate_per_minute:g} calls per minute "
                    f"reached; next call possible in {wait:.1f} s",
                    retry_after=math.ceil(wait),
                )
            self._tokens -= 1.0
        if wait:
            self._sleep(wait)
        return wait

    def _refill(self):
        now = self._clock()
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(float(self.capacity), self._tokens + elapsed * self._per_second)
        self._updated = now


_SHARED_LIMITERS = {}
_SHARED_LIMITERS_LOCK = threading.Lock()


def shared_rate_limiter(key, rate_per_minute):
    """Return the process-wide limiter for ``key`` (e.g. a backend), made on first use.

    Clients are cheap and often built per call; sharing the bucket by key makes the limit hold
    across them. A new rate for the same key replaces the bucket.
    """
    with _SHARED_LIMITERS_LOCK:
        limiter = _SHARED_LIMITERS.get(key)
        if limiter is None or limiter.rate_per_minute != rate_per_minute:
            limiter = _SHARED_LIMITERS[key] = RateLimiter(rate_per_minute)
        return limiter
