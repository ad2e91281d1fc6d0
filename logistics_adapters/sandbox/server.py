"""The sandbox server: partner route sets, the request log, faults and webhook timelines."""

import base64
import contextlib
import ipaddress
import itertools
import logging
import socket
import threading
import time
from collections import deque
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from .. import __version__
from .control import CONTROL_PREFIX, ControlApi
from .core import HttpError, LockedLog, Request, Response, error_response, json_response
from .faults import FaultPlan
from .generic import GenericPartner
from .timeline import DeliveryLog, Timeline

_logger = logging.getLogger(__name__)

MAX_BODY = 10 * 1024 * 1024
MAX_RECORDS = 10_000
STOP_WAIT = 5.0


def is_loopback(host):
    """Tell whether ``host`` is ``localhost`` or a loopback address (IPv4 or IPv6)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class RequestLog(LockedLog):
    """The partner requests received so far, newest last, at most ``limit`` of them."""

    def __init__(self, limit=MAX_RECORDS):
        super().__init__(deque(maxlen=limit))
        self._seq = itertools.count(1)

    def add(self, request):
        """Record ``request`` and return its entry (completed later by :meth:`finish`)."""
        entry = {
            "seq": next(self._seq),
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "timestamp": time.time(),
            "method": request.method,
            "path": request.path,
            "query": request.query,
            "headers": dict(request.headers),
            **_body_fields(request.body),
            "status": None,
            "fault": None,
        }
        self._append(entry)
        return entry

    def finish(self, entry, status, fault=None):
        """Write the answered status (None when nothing was answered) and the fault mode."""
        with self.lock:
            entry["status"] = status
            entry["fault"] = fault

    def entries(self, *, path=None, method=None, since=0):
        """Return copies of the entries, filtered by path prefix, method and sequence."""
        return self._copies(
            dict,
            lambda entry: (
                entry["seq"] > since
                and (not path or entry["path"].startswith(path))
                and (not method or entry["method"] == method.upper())
            ),
        )


class Sandbox:
    """A local partner system: start it, point a client or a backend at :attr:`url`, stop it.

    ``route_sets`` are the partner personalities served (default: :class:`GenericPartner`);
    ``webhook_url`` and ``secret`` are the defaults of the timelines played. The host must be a
    loopback address unless ``allow_remote`` is set. One start, one stop; also a context
    manager.
    """

    def __init__(
        self,
        port=0,
        host="127.0.0.1",
        *,
        webhook_url=None,
        secret=None,
        route_sets=None,
        allow_remote=False,
    ):
        if not allow_remote and not is_loopback(host):
            raise ValueError(
                f"refusing to listen on {host!r}: the sandbox binds to loopback addresses "
                "unless allow_remote is set"
            )
        self.host = host
        self.port = port
        self.webhook_url = webhook_url
        self.secret = secret
        self.route_sets = [GenericPartner()] if route_sets is None else list(route_sets)
        self.control = ControlApi(self)
        self.request_log = RequestLog()
        self.faults = FaultPlan()
        self.delivery_log = DeliveryLog()
        self.timelines = []
        self._stopping = threading.Event()
        self._server = None
        self._thread = None

    # -- life cycle -------------------------------------------------------------------------

    def start(self):
        """Bind and serve in a daemon thread; return self. ``port=0`` picks a free port."""
        if self._server is not None:
            raise RuntimeError("the sandbox is already started")
        self._server = _Server((self.host, self.port), _Handler, self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self):
        """Stop timelines, wake hanging faults, close connections and the socket."""
        self._stopping.set()
        for timeline in list(self.timelines):
            timeline.cancel()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.close_connections()
            server.server_close()
            self._thread.join(STOP_WAIT)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def url(self):
        """The base URL, such as ``http://127.0.0.1:8075``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # -- in-process control (the control API calls these too) ------------------------------

    def requests(self, path=None, method=None, since=0):
        """Return the recorded partner requests (see ``GET /_sandbox/requests``)."""
        return self.request_log.entries(path=path, method=method, since=since)

    def clear_requests(self):
        """Forget the recorded requests."""
        return self.request_log.clear()

    def add_fault(self, **spec):
        """Activate a fault (the keys of ``POST /_sandbox/faults``); raise HttpError if bad."""
        return self.faults.add(spec)

    def clear_faults(self):
        """Remove every fault."""
        return self.faults.clear()

    def play(self, spec):
        """Validate a timeline (``POST /_sandbox/timeline``), start it and return it."""
        timeline = Timeline(
            spec, self.delivery_log, default_url=self.webhook_url, default_secret=self.secret
        )
        if self._stopping.is_set():
            raise HttpError(409, "the sandbox is stopping")
        self.timelines.append(timeline)
        return timeline.start()

    def load_scenario(self, spec):
        """Apply a scenario: its ``faults`` list, then its timeline when it has ``events``."""
        if not isinstance(spec, dict):
            raise HttpError(400, "a scenario must be a JSON object")
        spec = dict(spec)
        faults = spec.pop("faults", [])
        if not isinstance(faults, list):
            raise HttpError(400, "'faults' must be a list of fault objects")
        timeline = None
        if "events" in spec:
            timeline = Timeline(
                spec, self.delivery_log, default_url=self.webhook_url, default_secret=self.secret
            )
        elif spec:
            raise HttpError(400, f"a scenario without 'events' takes no {', '.join(spec)}")
        added = [self.faults.add(fault) for fault in faults]
        if timeline is not None:
            self.timelines.append(timeline)
            timeline.start()
        return added, timeline

    def cancel_timelines(self):
        """Stop every timeline still delivering; return how many were stopped."""
        running = [timeline for timeline in self.timelines if timeline.state == "running"]
        for timeline in running:
            timeline.cancel()
        return len(running)

    def deliveries(self, timeline=None):
        """Return the delivery records (see ``GET /_sandbox/deliveries``)."""
        return self.delivery_log.records(timeline)

    def wait_deliveries(self, count, timeout=5.0, timeline=None):
        """Wait until ``count`` deliveries are final (delivered or failed); return them all.

        Raises ``TimeoutError`` listing the records when they are not final in time.
        """
        deadline = time.monotonic() + timeout
        while True:
            records = self.deliveries(timeline)
            final = [r for r in records if r["state"] in ("delivered", "failed")]
            if len(final) >= count:
                return records
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{len(final)} of {count} deliveries final: {records}")
            time.sleep(0.02)

    def reset(self):
        """Back to a fresh sandbox: no faults, timelines, records or partner state."""
        self.cancel_timelines()
        self.clear_faults()
        self.clear_requests()
        self.delivery_log.clear()
        for route_set in self.route_sets:
            route_set.reset()

    # -- dispatch ---------------------------------------------------------------------------

    def dispatch(self, request):
        """Answer ``request``: a :class:`Response`, or None to close without answering."""
        if request.path == CONTROL_PREFIX or request.path.startswith(CONTROL_PREFIX + "/"):
            return self._route(request, [self.control])
        entry = self.request_log.add(request)
        fault = self.faults.take(request.path)
        response = self._apply_fault(fault) if fault else None
        if response is None and (fault is None or fault.mode == "slow"):
            response = self._route(request, self.route_sets)
        self.request_log.finish(entry, response.status if response else None, fault and fault.mode)
        return response

    def _apply_fault(self, fault):
        """Return the fault's answer; None for slow (then answer normally), timeout and drop."""
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        if fault.mode == "5xx":
            reason = f"sandbox fault: HTTP {fault.status}"
            return json_response(fault.status, {"error": reason}, headers)
        if fault.mode == "429":
            return json_response(429, {"error": "sandbox fault: too many requests"}, headers)
        if fault.mode in ("slow", "timeout"):
            self._stopping.wait(fault.delay)
        return None

    def _route(self, request, route_sets):
        allowed = set()
        for route_set in route_sets:
            rest = _below(request.path, route_set.prefix)
            if rest is None:
                continue
            for route in route_set.routes():
                params = route.match(rest)
                if params is None:
                    continue
                if route.method != request.method:
                    allowed.add(route.method)
                    continue
                return _call(route.handler, request, params)
        if allowed:
            methods = ", ".join(sorted(allowed))
            reason = f"{request.method} is not allowed on {request.path}; use {methods}"
            return error_response(HttpError(405, reason, headers={"Allow": methods}))
        return error_response(HttpError(404, f"no route for {request.method} {request.path}"))


def _below(path, prefix):
    """Return the part of ``path`` under ``prefix``, or None when it is not under it."""
    if not prefix:
        return path
    if path == prefix or path.startswith(prefix + "/"):
        return path[len(prefix) :]
    return None


def _call(handler, request, params):
    try:
        return handler(request, **params)
    except HttpError as error:
        return error_response(error)
    except Exception as exc:
        _logger.exception("sandbox handler failed on %s %s", request.method, request.path)
        return json_response(500, {"error": f"sandbox bug: {type(exc).__name__}: {exc}"})


def _body_fields(body):
    if not body:
        return {"body": ""}
    try:
        return {"body": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body": None, "body_base64": base64.b64encode(body).decode("ascii")}


class _Server(ThreadingHTTPServer):
    """A threading server that knows its sandbox and can close idle keep-alive connections."""

    daemon_threads = True

    def __init__(self, address, handler, sandbox):
        self.sandbox = sandbox
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self._connections = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self):
        """Shut every open connection down, so no handler thread waits for a next request."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = f"logistics-sandbox/{__version__}"
    timeout = 120  # an idle keep-alive connection is closed after this many seconds

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _handle(self):
        parts = urlsplit(self.path)
        try:
            body = self._read_body()
        except HttpError as error:
            self.close_connection = True
            self._send(error_response(error))
            return
        request = Request(
            method=self.command,
            path=parts.path or "/",
            query=dict(parse_qsl(parts.query)),
            headers=dict(self.headers.items()),
            body=body,
        )
        response = self.server.sandbox.dispatch(request)
        if response is None:
            self.close_connection = True
            return
        self._send(response)

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raise HttpError(411, "chunked request bodies are not supported; send Content-Length")
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit():
            raise HttpError(400, f"bad Content-Length {length!r}")
        if int(length) > MAX_BODY:
            raise HttpError(413, f"the body is larger than {MAX_BODY} bytes")
        return self.rfile.read(int(length)) if int(length) else b""

    def _send(self, response: Response):
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except OSError:
            self.close_connection = True

    def log_message(self, format, *args):
        _logger.debug("%s " + format, self.address_string(), *args)
