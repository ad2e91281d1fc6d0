"""A small HTTP/1.1 load generator: pre-built requests over keep-alive connections.

asyncio streams, no third-party client, so the generator costs little CPU next to the server
it measures on the same two cores. Each connection sends its share of the requests one after
the other (closed loop): ``concurrency`` is the number of requests in flight.
"""

import asyncio
import time
from dataclasses import dataclass, field


@dataclass
class Result:
    """Outcome of a run: per-request statuses and latencies, and the wall time."""

    statuses: list = field(default_factory=list)
    latencies_ms: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def count(self):
        return len(self.statuses)

    @property
    def rps(self):
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, fraction):
        """Latency percentile in milliseconds (``fraction`` 0..1)."""
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    def accepted(self, statuses=(200, 202)):
        return sum(1 for status in self.statuses if status in statuses)


def build_request(host, port, path, body, headers):
    """Raw bytes of one POST request (keep-alive)."""
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Connection: keep-alive",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readline()).strip() or b"0", 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    closes = b"connection: close" in head.lower()
    return status, closes


async def _worker(host, port, requests, result, timeout):
    reader = writer = None
    for raw in requests:
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(raw)
            await writer.drain()
            status, closes = await asyncio.wait_for(_read_response(reader), timeout)
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as exc:
            result.statuses.append(0)
            result.errors.append(type(exc).__name__)
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        result.statuses.append(status)
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        if closes:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _run(host, port, requests, concurrency, timeout):
    result = Result()
    shares = [requests[index::concurrency] for index in range(concurrency)]
    started = time.perf_counter()
    await asyncio.gather(*(_worker(host, port, share, result, timeout) for share in shares))
    result.seconds = time.perf_counter() - started
    return result


def run(host, port, requests, concurrency=16, timeout=30.0):
    """Send the raw ``requests`` with ``concurrency`` connections; return a :class:`Result`."""
    return asyncio.run(_run(host, port, list(requests), concurrency, timeout))


async def _paced(host, port, requests, rate, timeout):
    """Send one request every 1/rate seconds, each on a pooled connection."""
    pool = asyncio.Queue()
    for _ in range(32):
        pool.put_nowait(None)
    result = Result()

    async def one(raw):
        connection = await pool.get()
        started = time.perf_counter()
        try:
            if connection is None:
                connection = await asyncio.open_connection(host, port)
            reader, writer = connection
            writer.write(raw)
            await writer.drain()
            status, closes = await asyncio.wait_for(_read_response(reader), timeout)
            if closes:
                writer.close()
                connection = None
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as exc:
            status, connection = 0, None
            result.errors.append(type(exc).__name__)
        result.statuses.append(status)
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        pool.put_nowait(connection)

    started = time.perf_counter()
    tasks = []
    for index, raw in enumerate(requests):
        due = started + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(raw)))
    await asyncio.gather(*tasks)
    result.seconds = time.perf_counter() - started
    return result


def run_paced(host, port, requests, rate, timeout=30.0):
    """Send ``requests`` at ``rate`` per second (open loop); return a :class:`Result`."""
    return asyncio.run(_paced(host, port, list(requests), rate, timeout))
