"""The gateway as a raw ASGI application: ``POST /logistics/inbound/<code>[/<flow>]``.

Only reading the body and sending the answer happen on the event loop; the checks and
the database work (blocking psycopg2 calls) run in a thread pool, one database
connection per thread.
"""

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor

from logistics_adapters.transport.inbound import Verdict

from .service import UNAVAILABLE, Headers

_logger = logging.getLogger(__name__)

PREFIX = "/logistics/inbound/"
NOT_FOUND = Verdict(404, {"error": "not found"})
METHOD_NOT_ALLOWED = Verdict(405, {"error": "method not allowed, use POST"}, [("Allow", "POST")])


def route(path):
    """``(code, flow)`` for a path the Odoo route matches, else None."""
    if not path.startswith(PREFIX):
        return None
    parts = path[len(PREFIX) :].split("/")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # one trailing slash
    if not 1 <= len(parts) <= 2 or not all(parts):
        return None
    return parts[0], (parts[1] if len(parts) == 2 else None)


class GatewayApp:
    """ASGI application around an :class:`~.service.InboundService`."""

    def __init__(self, service, *, threads=8, executor=None):
        self.service = service
        self.executor = executor or ThreadPoolExecutor(threads, thread_name_prefix="gateway")

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        started = []

        async def tracked_send(message):
            started.append(message["type"])
            await send(message)

        try:
            verdict = await self._handle(scope, receive)
        except Exception:
            # Never a stack trace to a partner; it retries, and the log says why.
            _logger.exception("Inbound request %s could not be handled", scope.get("path"))
            verdict = UNAVAILABLE
        if verdict is not None and not started:
            await self._answer(tracked_send, verdict)

    async def _lifespan(self, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self._run(self.service.store.close)
                self.executor.shutdown(wait=False)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _run(self, function, *args, **kwargs):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, lambda: function(*args, **kwargs))

    async def _handle(self, scope, receive):
        target = route(scope.get("path") or "")
        if target is None:
            return NOT_FOUND
        if scope.get("method") != "POST":
            return METHOD_NOT_ALLOWED
        code, flow = target
        service = self.service
        backend = await self._run(service.find_backend, code)
        if backend is None:
            return service.unknown_backend(code)
        settings = service.settings(backend)
        headers = Headers.from_asgi(scope.get("headers") or [])
        verdict = service.declared_too_large(settings, content_length(headers))
        if verdict:
            return verdict
        body = await read_body(receive, settings.max_payload_size + 1)
        if body is None:
            return None  # the client went away
        client = scope.get("client") or (None, None)
        return await self._run(
            service.accept,
            backend,
            settings,
            flow,
            headers=headers,
            body=body,
            content_type=headers.get("Content-Type"),
            remote_addr=client[0],
        )

    async def _answer(self, send, verdict):
        body = json.dumps(verdict.body).encode()
        headers = [(b"content-type", b"application/json")]
        headers += [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in verdict.headers
        ]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": verdict.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def content_length(headers):
    """The declared body length, or None when absent or not a number."""
    value = headers.get("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


async def read_body(receive, limit):
    """Read the body, stopping once ``limit`` bytes are in; None if the client left."""
    chunks, size = [], 0
    while size < limit:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)[:limit]
