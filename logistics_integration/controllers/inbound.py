import json

from odoo.http import Controller, Response, request, route


class LogisticsInboundController(Controller):
    """Partner systems post their messages here; the work is done by
    ``logistics.inbound``, so the edge gateway can answer exactly the same."""

    @route(
        ["/logistics/inbound/<string:code>", "/logistics/inbound/<string:code>/<string:flow>"],
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def inbound(self, code, flow=None, **_kwargs):
        httprequest = request.httprequest
        result = (
            request.env["logistics.inbound"]
            .sudo()
            ._accept(
                code,
                flow,
                headers=httprequest.headers,
                read_body=lambda _limit: httprequest.get_data(),
                content_length=httprequest.content_length,
                content_type=httprequest.mimetype,
                remote_addr=httprequest.remote_addr,
            )
        )
        return Response(
            json.dumps(result.body),
            status=result.status,
            headers=[("Content-Type", "application/json"), *result.headers],
        )
