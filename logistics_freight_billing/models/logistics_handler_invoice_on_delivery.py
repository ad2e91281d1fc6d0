import json

from odoo import api, models

from logistics_adapters.errors import BusinessError, ParseError


class LogisticsHandlerInvoiceOnDelivery(models.AbstractModel):
    """Releases the customer invoice held for a proof of delivery.

    A delivered delivery (a parcel's delivered event, a load's delivery milestone) queues
    one message of this flow (its own key), worked after the tracking in a savepoint of its
    own: a failure of accounting leaves the tracking applied, waits in the workbench with
    its error and a Retry, and gives the backend's responsible person a to-do on the
    delivery.
    """

    _name = "logistics.handler.invoice.on.delivery"
    _inherit = "logistics.handler"
    _description = "Logistics handler: invoice on proof of delivery"

    @api.model
    def _parse(self, message):
        try:
            return json.loads(message.get_payload())
        except ValueError as exc:
            raise ParseError(f"not the JSON of an invoice release: {exc}") from exc

    @api.model
    def _validate(self, message, data):
        if not self._get_picking(data):
            raise BusinessError(
                f"delivery {data.get('picking')} no longer exists: cancel this message and "
                f"invoice {data.get('sale_order')} by hand if it is still due"
            )
        return True

    @api.model
    def _process(self, message, data):
        self._get_picking(data)._logistics_invoice_on_delivery()
        return True

    @api.model
    def _process_many(self, items):
        results = super()._process_many(items)
        for message, data in items:
            error = results[message].error
            picking = isinstance(error, BusinessError) and self._get_picking(data)
            if picking:
                picking._logistics_flag_invoice_failure(message, error)
        return results

    def _get_picking(self, data):
        picking_id = data.get("picking_id") if isinstance(data, dict) else None
        if not isinstance(picking_id, int):
            return self.env["stock.picking"]
        return self.env["stock.picking"].sudo().browse(picking_id).exists()
