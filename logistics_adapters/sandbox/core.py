"""The small request/response model the sandbox's route sets are written against.

A route set is a class with a ``prefix`` whose handler methods are marked with
:func:`route` (partner routes) or :func:`control_route` (served under ``/_sandbox/<name>``),
as Odoo's ``@route`` marks a controller's; ``routes()`` and ``control_routes()`` collect them
as :class:`Route` objects. Each route maps a method and a path pattern
(``/shipments/{id}/cancel``) to a handler ``handler(request, **path_params) -> Response``. A
handler refuses bad input by raising :class:`HttpError`, which the server answers as JSON
``{"error": reason}``.
"""

import json
import re
import threading
from dataclasses import dataclass, field

JSON_TYPE = "application/json"


class HttpError(Exception):
    """An answer other than success, with a reason the caller can read."""

    def __init__(self, status, reason, *, headers=None):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers or {}


@dataclass
class Request:
    """One received request: the raw body, headers readable case-insensitively."""

    method: str
    path: str
    query: dict
    headers: dict
    body: bytes = b""

    def header(self, name, default=None):
        """Return the value of header ``name`` whatever its case, else ``default``."""
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), default)

    def json(self, *, required=True):
        """Return the body parsed as a JSON object, or raise ``HttpError(400)`` saying why."""
        if not self.body.strip():
            if required:
                raise HttpError(400, "a JSON object is required in the request body")
            return {}
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise HttpError(400, f"the body is not valid JSON: {exc}") from None
        if not isinstance(value, dict):
            raise HttpError(400, "the body must be a JSON object")
        return value


@dataclass
class Response:
    """What a handler answers; ``body`` is bytes, ``headers`` a plain dict."""

    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)


def json_response(status, value, headers=None):
    """Return a :class:`Response` with ``value`` as JSON."""
    body = json.dumps(value, indent=1, sort_keys=False).encode("utf-8")
    return Response(status, body, {"Content-Type": JSON_TYPE, **(headers or {})})


def error_response(error):
    """Return the JSON answer for an :class:`HttpError`."""
    return json_response(error.status, {"error": error.reason}, error.headers)


@dataclass
class Route:
    """A method and a path pattern (``{name}`` matches one path segment) bound to a handler."""

    method: str
    pattern: str
    handler: object
    regex: re.Pattern = field(init=False, repr=False)

    def __post_init__(self):
        parts = re.split(r"\{(\w+)\}", self.pattern)
        regex = "".join(
            f"(?P<{part}>[^/]+)" if index % 2 else re.escape(part)
            for index, part in enumerate(parts)
        )
        self.regex = re.compile(regex + "/?")

    def match(self, path):
        """Return the path parameters when ``path`` matches the pattern, else None."""
        found = self.regex.fullmatch(path)
        return found.groupdict() if found else None


#: The function attribute holding a handler's marks: ``(kind, method, path)`` tuples.
_MARKS = "sandbox_routes"
_PARTNER, _CONTROL = "partner", "control"


def route(method, path):
    """Mark the decorated method as the handler of ``method path`` (relative to the route
    set's ``prefix``); :meth:`RouteSet.routes` collects it. A method may carry several."""
    return _mark(_PARTNER, method, path)


def control_route(method, path):
    """Mark the decorated method as the handler of the control route ``method path``, which
    the sandbox's control API serves under ``/_sandbox/<route set name>`` (never recorded,
    never hit by faults); :meth:`RouteSet.control_routes` collects it."""
    return _mark(_CONTROL, method, path)


def _mark(kind, method, path):
    def mark(handler):
        # Marks kept in written order (the decorator above is applied last), on the function
        # itself: marking a borrowed function again marks it in the lending class too.
        setattr(handler, _MARKS, ((kind, method, path), *getattr(handler, _MARKS, ())))
        return handler

    return mark


class RouteSet:
    """Base class of a partner personality (or of the control API) mounted at ``prefix``.

    ``recorded`` says whether its requests go to the request log and may be hit by faults:
    partner routes are, control routes are not.

    Its routes are its methods marked with :func:`route` and :func:`control_route`, in this
    order: the base classes' first (along the MRO, the most basic first), then each class's
    in the order its body defines or assigns them (a method borrowed from another class by
    assignment brings its marks along). A method a subclass defines again keeps its place and
    its routes (unless the subclass marks it again), and the subclass's method serves them.
    The server answers with the first route matching the path and method, so the order is
    the precedence. A class that builds its routes otherwise overrides :meth:`routes`.
    """

    name = "base"
    prefix = ""
    recorded = True

    def routes(self):
        """Return the :class:`Route` list; patterns are relative to ``prefix``."""
        return self._marked(_PARTNER)

    def control_routes(self):
        """Return the control :class:`Route` list, served under ``/_sandbox/<name>``."""
        return self._marked(_CONTROL)

    def _marked(self, kind):
        """The routes of ``kind`` marked on the methods of this route set's class."""
        marks = {}
        for cls in reversed(type(self).__mro__):
            for name, value in vars(cls).items():
                if found := getattr(value, _MARKS, None):
                    marks[name] = found
        return [
            Route(method, path, getattr(self, name))
            for name, handler_marks in marks.items()
            for mark_kind, method, path in handler_marks
            if mark_kind == kind
        ]

    def reset(self):
        """Forget the state kept so far (shipments, idempotency keys...)."""


def number(spec, key, *, default=None, minimum=0, maximum=None, integer=False):
    """Read a bounded number from a control request, or raise ``HttpError(400)`` saying why."""
    value = spec.get(key, default)
    if value is None:
        return None
    kind = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind):
        expected = "an integer" if integer else "a number"
        raise HttpError(400, f"'{key}' must be {expected}, not {json.dumps(value)}")
    if value < minimum or (maximum is not None and value > maximum):
        raise HttpError(400, f"'{key}' must be between {minimum} and {maximum}, not {value}")
    return value


def check_keys(spec, allowed, what):
    """Refuse keys of ``spec`` outside ``allowed`` (a typo must not be silently ignored)."""
    if not isinstance(spec, dict):
        raise HttpError(400, f"{what} must be a JSON object")
    unknown = sorted(set(spec) - set(allowed))
    if unknown:
        known = ", ".join(sorted(allowed))
        raise HttpError(400, f"unknown key(s) in {what}: {', '.join(unknown)}; known: {known}")


class LockedLog:
    """A sandbox log: dicts kept in ``entries`` (a list or a deque), changed under ``lock``."""

    def __init__(self, entries):
        self.lock = threading.Lock()
        self._entries = entries

    def _append(self, entry):
        with self.lock:
            self._entries.append(entry)

    def _copies(self, copy, keep):
        """``copy`` of every entry that ``keep`` accepts, taken under the lock."""
        with self.lock:
            return [copy(entry) for entry in self._entries if keep(entry)]

    def clear(self):
        """Forget every entry; return how many there were."""
        with self.lock:
            count = len(self._entries)
            self._entries.clear()
        return count
