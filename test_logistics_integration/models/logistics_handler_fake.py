import json
import time

from odoo import api, models
from odoo.exceptions import ConcurrencyError

from logistics_adapters.errors import BusinessError, SecurityError, TransientError


class LogisticsHandlerFake(models.AbstractModel):
    """A partner whose behaviour is written in each payload (tests only).

    ``outcome``: ok, conflict (a concurrent update), transient, business or security;
    ``fail_times``: fail transiently on the first N attempts, then succeed;
    ``retry_after``: seconds the partner asks to wait; ``key`` and ``ref``: idempotency
    key and partner reference; ``call``: a path of the backend to POST ``json`` to
    through the outbound client; ``sleep``: seconds the partner takes (at most 1).
    """

    _name = "logistics.handler.fake"
    _inherit = "logistics.handler"
    _description = "Fake logistics handler (tests)"

    @api.model
    def _identify(self, backend, message_type, payload, headers=None):
        data = self._load(payload)
        return {"idempotency_key": data.get("key"), "partner_ref": data.get("ref")}

    @api.model
    def _validate(self, message, data):
        self._load(data)
        return True

    @api.model
    def _process(self, message, data):
        return self._act(message)

    @api.model
    def _send(self, message):
        return self._act(message)

    def _act(self, message):
        data = self._load(message.get_payload())
        self.env["test.logistics.effect"].create(
            {"message_id": message.id, "ref": data.get("ref"), "direction": message.direction}
        )
        if data.get("sleep"):
            time.sleep(min(float(data["sleep"]), 1.0))
        if data.get("call"):
            message.call_partner("POST", data["call"], json=data.get("json", {}))
        outcome = data.get("outcome", "ok")
        if message.attempts <= data.get("fail_times", 0):
            outcome = "transient"
        if outcome == "conflict":
            raise ConcurrencyError("could not serialize access due to concurrent update")
        if outcome == "transient":
            raise TransientError("partner unavailable", retry_after=data.get("retry_after"))
        if outcome == "business":
            raise BusinessError("order %s unknown to the partner" % data.get("ref"))
        if outcome == "security":
            raise SecurityError("signature mismatch")
        return True

    def _load(self, payload):
        try:
            return json.loads(payload or b"{}")
        except ValueError as exc:
            raise BusinessError("payload is not JSON: %s" % exc) from exc
