from odoo.http import Controller, Response, route


class BenchFloor(Controller):
    """The trivial route the ingest benchmark compares the inbound route with: same
    decorator (auth none, no session, read-write database cursor), no work."""

    @route(
        "/logistics_bench/noop",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def noop(self, **_kwargs):
        return Response('{"status": "accepted"}', status=202, content_type="application/json")
