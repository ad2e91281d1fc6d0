from odoo.http import Controller, Response, route

from odoo.addons.logistics_integration.controllers.inbound import INBOUND_ROUTE


class BenchFloor(Controller):
    """The trivial route the ingest benchmark compares the inbound route with: same
    decorator (auth none, no session, read-write database cursor), no work."""

    @route("/logistics_bench/noop", **INBOUND_ROUTE)
    def noop(self, **_kwargs):
        return Response('{"status": "accepted"}', status=202, content_type="application/json")
