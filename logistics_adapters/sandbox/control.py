"""The control API under ``/_sandbox``: request log, faults, timelines, deliveries, reset,
and the control routes of the partners that have some (the EDI partner's ``/_sandbox/edi``).

Control requests are neither recorded nor hit by faults. A bad control request answers 400
with ``{"error": reason}``.
"""

from .. import __version__
from .core import HttpError, Route, RouteSet, json_response

CONTROL_PREFIX = "/_sandbox"


class ControlApi(RouteSet):
    """Routes that drive a :class:`~logistics_adapters.sandbox.server.Sandbox`."""

    name = "control"
    prefix = CONTROL_PREFIX
    recorded = False

    def __init__(self, sandbox):
        self.sandbox = sandbox

    def routes(self):
        """Return the control routes."""
        return [
            Route("GET", "", self.info),
            Route("POST", "/reset", self.reset_all),
            Route("GET", "/requests", self.list_requests),
            Route("DELETE", "/requests", self.clear_requests),
            Route("GET", "/faults", self.list_faults),
            Route("POST", "/faults", self.add_fault),
            Route("DELETE", "/faults", self.clear_faults),
            Route("GET", "/timeline", self.list_timelines),
            Route("POST", "/timeline", self.play_timeline),
            Route("DELETE", "/timeline", self.cancel_timelines),
            Route("POST", "/scenario", self.load_scenario),
            Route("GET", "/deliveries", self.list_deliveries),
            Route("DELETE", "/deliveries", self.clear_deliveries),
            *self._partner_control_routes(),
        ]

    def _partner_control_routes(self):
        """The control routes of the route sets that have some (``control_routes()``, such
        as the EDI partner's), each under ``/<route set name>``."""
        return [
            Route(route.method, f"/{route_set.name}{route.pattern}", route.handler)
            for route_set in self.sandbox.route_sets
            for route in getattr(route_set, "control_routes", list)()
        ]

    def info(self, request):
        """Describe the sandbox: version, URL and every route served."""
        sandbox = self.sandbox
        routes = [
            {
                "set": route_set.name,
                "method": route.method,
                "path": route_set.prefix + route.pattern,
            }
            for route_set in [*sandbox.route_sets, self]
            for route in route_set.routes()
        ]
        return json_response(200, {"sandbox": __version__, "url": sandbox.url, "routes": routes})

    def reset_all(self, request):
        """Forget faults, timelines, records and partner state."""
        self.sandbox.reset()
        return json_response(200, {"reset": True})

    def list_requests(self, request):
        """Recorded partner requests; ``?path=`` prefix, ``?method=``, ``?since=`` sequence."""
        since = request.query.get("since", "0")
        if not since.isdigit():
            raise HttpError(400, f"'since' must be a sequence number, not {since!r}")
        entries = self.sandbox.requests(
            path=request.query.get("path"), method=request.query.get("method"), since=int(since)
        )
        return json_response(200, {"count": len(entries), "requests": entries})

    def clear_requests(self, request):
        """Forget the recorded requests."""
        return json_response(200, {"cleared": self.sandbox.clear_requests()})

    def list_faults(self, request):
        """The active faults."""
        return json_response(200, {"faults": self.sandbox.faults.list()})

    def add_fault(self, request):
        """Activate a fault; answer 201 with it."""
        fault = self.sandbox.faults.add(request.json())
        return json_response(201, {"fault": self.sandbox.faults.describe(fault)})

    def clear_faults(self, request):
        """Remove every fault."""
        return json_response(200, {"cleared": self.sandbox.clear_faults()})

    def list_timelines(self, request):
        """Every timeline played, with its state and plan."""
        return json_response(200, {"timelines": [t.summary() for t in self.sandbox.timelines]})

    def play_timeline(self, request):
        """Start a timeline; answer 202 with its id and delivery plan."""
        timeline = self.sandbox.play(request.json())
        return json_response(202, timeline.summary())

    def cancel_timelines(self, request):
        """Stop every running timeline."""
        return json_response(200, {"cancelled": self.sandbox.cancel_timelines()})

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

    def list_deliveries(self, request):
        """Delivery outcomes; ``?timeline=<id>`` for one timeline."""
        timeline = request.query.get("timeline")
        if timeline is not None and not timeline.isdigit():
            raise HttpError(400, f"'timeline' must be a timeline id, not {timeline!r}")
        records = self.sandbox.deliveries(int(timeline) if timeline else None)
        return json_response(200, {"count": len(records), "deliveries": records})

    def clear_deliveries(self, request):
        """Forget the delivery records."""
        return json_response(200, {"cleared": self.sandbox.delivery_log.clear()})
