import time

from odoo import api, models
from odoo.exceptions import UserError

from logistics_adapters.errors import BusinessError

from ..engine import Result


class LogisticsHandler(models.AbstractModel):
    """The contract between the message engine and partner code.

    A message type names a handler model that inherits this one. The engine calls:

    * ``_identify(backend, message_type, payload, headers)`` when a partner message
      arrives, to read its identity (idempotency key, partner reference, related record)
      before it is stored;
    * for inbound messages, ``_parse(message)`` once, then ``_process_many(items)`` on the
      claimed messages of the handler with their parsed payloads; its default runs
      ``_validate(message, data)`` and ``_process(message, data)`` for each message in a
      savepoint of its own;
    * ``_send(message)`` for outbound messages.

    A handler signals failures with the exceptions of ``logistics_adapters.errors``:
    ``TransientError`` (retried by the type's pattern), ``BusinessError`` or
    ``ParseError`` (waits for a person) and ``SecurityError``.
    """

    _name = "logistics.handler"
    _description = "Logistics Message Handler"

    @api.model
    def _get_handler_models(self):
        """Names of every model implementing the handler contract."""
        names, todo = {self._name}, [self._name]
        while todo:
            for child in self.env[todo.pop()]._inherit_children:
                if child not in names:
                    names.add(child)
                    todo.append(child)
        return names

    @api.model
    def _identify(self, backend, message_type, payload, headers=None):
        """Identity of an arriving payload, as a dict.

        Keys: ``idempotency_key`` (defaults to the payload's SHA-256 when absent),
        ``partner_ref``, ``res_model`` and ``res_id``. The default asks the flow's
        codec, when it has one: the partner's own message id is the key, the
        references it names (tracking numbers, orders) the partner reference.
        """
        if not message_type.codec:
            return {}
        identity = message_type.get_codec().identify(payload)
        return {
            "idempotency_key": identity.message_id or None,
            "partner_ref": identity.partner_ref or None,
        }

    @api.model
    def _parse(self, message):
        """The payload of an inbound message read once, handed to the other steps.

        The default reads it with the flow's codec (a list of canonical objects), or
        gives the raw bytes when the flow has no format.
        """
        payload = message.get_payload()
        if not message.type_id.codec:
            return payload
        return message.type_id.get_codec().parse(payload)

    @api.model
    def _validate(self, message, data):
        """Check an inbound message before it is processed; raise on bad input."""
        return True

    @api.model
    def _process(self, message, data):
        """Apply an inbound message (``data``: what ``_parse`` read) to Odoo records."""
        raise UserError(
            self.env._(
                "Handler %(handler)s cannot process inbound messages of flow %(flow)s.",
                handler=self._name,
                flow=message.type_id.code,
            )
        )

    @api.model
    def _process_many(self, items):
        """Apply claimed inbound messages: ``items`` is a list of ``(message, data)``.

        Return ``{message: Result}``, one per item: the engine marks each message done,
        failed or deferred by its result. The default validates and processes each
        message in a savepoint of its own, so one failure rolls back only its message;
        a handler that can apply a batch in fewer statements overrides this.
        """
        results = {}
        for message, data in items:
            started = time.monotonic()
            try:
                with self.env.cr.savepoint():
                    self._validate(message, data)
                    self._process(message, data)
            except Exception as exc:
                results[message] = Result.failed(exc, started)
            else:
                results[message] = Result.done(started)
        return results

    @api.model
    def _send(self, message):
        """Deliver an outbound message to the partner."""
        raise UserError(
            self.env._(
                "Handler %(handler)s cannot send outbound messages of flow %(flow)s.",
                handler=self._name,
                flow=message.type_id.code,
            )
        )


class LogisticsHandlerStore(models.AbstractModel):
    """Keeps the messages of a flow without acting on them.

    For partner messages that must be on record but need no processing yet, and for
    trying a backend's connection before its connector is installed.
    """

    _name = "logistics.handler.store"
    _inherit = "logistics.handler"
    _description = "Logistics handler: store only"

    @api.model
    def _parse(self, message):
        return None

    @api.model
    def _process(self, message, data):
        return True


class LogisticsHandlerFileSend(models.AbstractModel):
    """Delivers outbound messages as files into the backend's outbound file channel."""

    _name = "logistics.handler.file.send"
    _inherit = "logistics.handler"
    _description = "Logistics handler: write a file to the partner"

    @api.model
    def _send(self, message):
        channel = self.env["logistics.file.channel"].search(
            [("backend_id", "=", message.backend_id.id), ("direction", "=", "outbound")],
            limit=1,
        )
        if not channel:
            raise BusinessError(
                f"backend {message.backend_id.code} has no outbound file channel: add one "
                "under Configuration > File channels"
            )
        channel._write_file(message)
        return True
