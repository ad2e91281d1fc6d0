"""The control API under ``/_sandbox``: request log, faults, timelines, deliveries, reset,
and the control routes of the partners that have some (the EDI partner's ``/_sandbox/edi``).

Control requests are neither recorded nor hit by faults. A bad control request answers 400
with ``{"error": reason}``.
"""

from .. import __version__
from .core import HttpError, Route, RouteSet, json_response, route

CONTROL_PREFIX = "/_sandbox"


class ControlApi(RouteSet):
    """Routes that drive a :class:`~logistics_adapters.sandbox.server.Sandbox`."""

    name = "control"
    prefix = CONTROL_PREFIX
    recorded = False

    def __init__(self, sandbox):
        self.sandbox = sandbox

    def routes(self):
        """Return its own routes (marked below), then the partners' control routes."""
        return [*super().routes(), *self._partner_control_routes()]

    def _partner_control_routes(self):
        """The control routes of the route sets that have some (``control_routes()``, such
        as the EDI partner's), each under ``/<route set name>``."""
        return [
            Route(served.method, f"/{route_set.name}{served.pattern}", served.handler)
            for route_set in self.sandbox.route_sets
            for served in getattr(route_set, "control_routes", list)()
        ]

    @route("GET", "")
    def info(self, request):
        """Describe the sandbox: version, URL and every route served."""
        sandbox = self.sandbox
        routes = [
            {
                "set": route_set.name,
                "method": served.method,
                "path": route_set.prefix + served.pattern,
            }
            for route_set in [*sandbox.route_sets, self]
            for served in route_set.routes()
        ]
        return json_response(200, {"sandbox": __version__, "url": sandbox.url, "routes": routes})

    @route("POST", "/reset")
    def reset_all(self, request):
        """Forget faults, timelines, records and partner state."""
        self.sandbox.reset()
        return json_response(200, {"reset": True})

    @route("GET", "/requests")
    def list_requests(self, request):
        """Recorded partner requests; ``?path=`` prefix, ``?method=``, ``?since=`` sequence."""
        since = request.query.get("since", "0")
        if not since.isdigit():
            raise HttpError(400, f"'since' must be a sequence number, not {since!r}")
        entries = self.sandbox.requests(
            path=request.query.get("path"), method=request.query.get("method"), since=int(since)
        )
        return json_response(200, {"count": len(entries), "requests": entries})

    @route("DELETE", "/requests")
    def clear_requests(self, request):
        """Forget the recorded requests."""
        return json_response(200, {"cleared": self.sandbox.clear_requests()})

    @route("GET", "/faults")
    def list_faults(self, request):
        """The active faults."""
        return json_response(200, {"faults": self.sandbox.faults.list()})

    @route("POST", "/faults")
    def add_fault(self, request):
        """Activate a fault; answer 201 with it."""
        fault = self.sandbox.faults.add(request.json())
        return json_response(201, {"fault": self.sandbox.faults.describe(fault)})

    @route("DELETE", "/faults")
    def clear_faults(self, request):
        """Remove every fault."""
        return json_response(200, {"cleared": self.sandbox.clear_faults()})

    @route("GET", "/timeline")
    def list_timelines(self, request):
        """Every timeline played, with its state and plan."""
        return json_response(200, {"timelines": [t.summary() for t in self.sandbox.timelines]})

    @route("POST", "/timeline")
    def play_timeline(self, request):
        """Start a timeline; answer 202 with its id and delivery plan."""
        timeline = self.sandbox.play(request.json())
        return json_response(202, timeline.summary())

    @route("DELETE", "/timeline")
    def cancel_timelines(self, request):
        """Stop every running timeline."""
        return json_response(200, {"cancelled": self.sandbox.cancel_timelines()})

    @route("POST", "/scenario")
    def load_scenario(self, request):
        """Apply a scenario (faults and a timeline), as ``--scenario`` does at start."""
        faults, timeline = self.sandbox.load_scenario(request.json())
        return json_response(
            202,
            {
                "faults": [fault.id for fault in faults],
                "timeline": timeline.summary() if timeline else None,
            },
        )

    @route("GET", "/deliveries")
    def list_deliveries(self, request):
        """Delivery outcomes; ``?timeline=<id>`` for one timeline."""
        timeline = request.query.get("timeline")
        if timeline is not None and not timeline.isdigit():
            raise HttpError(400, f"'timeline' must be a timeline id, not {timeline!r}")
        records = self.sandbox.deliveries(int(timeline) if timeline else None)
        return json_response(200, {"count": len(records), "deliveries": records})

    @route("DELETE", "/deliveries")
    def clear_deliveries(self, request):
        """Forget the delivery records."""
        return json_response(200, {"cleared": self.sandbox.delivery_log.clear()})
