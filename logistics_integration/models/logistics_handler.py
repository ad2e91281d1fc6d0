from odoo import api, models
from odoo.exceptions import UserError

from logistics_adapters.errors import BusinessError


class LogisticsHandler(models.AbstractModel):
    """The contract between the message engine and partner code.

    A message type names a handler model that inherits this one. The engine calls:

    * ``_receive(backend, message_type, payload, headers)`` when a partner message arrives, to
      read its identity (idempotency key, partner reference, related record) before
      it is stored;
    * ``_validate(message)`` then ``_process(message)`` for inbound messages;
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
    def _receive(self, backend, message_type, payload, headers=None):
        """Identity of an arriving payload, as a dict.

        Keys: ``idempotency_key`` (defaults to the payload's SHA-256 when absent),
        ``partner_ref``, ``res_model`` and ``res_id``. The default knows nothing of
        the payload.
        """
        return {}

    @api.model
    def _validate(self, message):
        """Check an inbound message before it is processed; raise on bad input."""
        return True

    @api.model
    def _process(self, message):
        """Apply an inbound message to Odoo records."""
        raise UserError(
            self.env._(
                "Handler %(handler)s cannot process inbound messages of flow %(flow)s.",
                handler=self._name,
                flow=message.type_id.code,
            )
        )

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
    def _process(self, message):
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
