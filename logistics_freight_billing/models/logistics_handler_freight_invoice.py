import logging
import time

from odoo import api, models

from odoo.addons.logistics_integration.engine import Result

from logistics_adapters import canonical as c
from logistics_adapters.errors import BusinessError

_logger = logging.getLogger(__name__)
#: The format of carriers' CSV invoice files (each backend says how its files are laid out).
CSV = "freight-invoice-csv"


class LogisticsHandlerFreightInvoice(models.AbstractModel):
    """Carriers' freight invoices (X12 210 and 110, JSON, CSV files): each becomes a
    freight invoice, received once, then the batch is audited together (matched, compared
    within tolerance, billed). What the audit finds (a variance, an unknown code, no
    match) is the freight invoice's state, for the freight accountants; the message is
    done. A message that holds no invoice waits in the workbench."""

    _name = "logistics.handler.freight.invoice"
    _inherit = "logistics.handler"
    _description = "Logistics handler: carriers' freight invoices"

    @api.model
    def _identify(self, backend, message_type, payload, headers=None):
        if message_type.codec != CSV:
            return super()._identify(backend, message_type, payload, headers)
        numbers = sorted({i.invoice_number for i in backend._logistics_freight_csv(payload)})
        return {"partner_ref": ", ".join(numbers) or None}

    @api.model
    def _parse(self, message):
        """A CSV file is read with its backend's layout; the rest with the flow's codec."""
        if message.type_id.codec == CSV:
            return message.backend_id.sudo()._logistics_freight_csv(message.get_payload())
        return super()._parse(message)

    @api.model
    def _validate(self, message, data):
        documents = data if isinstance(data, list) else []
        if not any(isinstance(document, c.FreightInvoice) for document in documents):
            raise BusinessError(
                "the message holds no freight invoice: check with the carrier what it sent "
                "(its flow may be the wrong one), then cancel this message"
            )
        return True

    @api.model
    def _process_many(self, items):
        """Receive the invoices of every valid message in one go, audited together as they
        are received (each message alone should that fail)."""
        Invoice = self.env["logistics.freight.invoice"].sudo().with_context(tracking_disable=True)
        results, valid = {}, []
        for message, data in items:
            started = time.monotonic()
            try:
                self._validate(message, data)
            except Exception as exc:
                results[message] = Result.failed(exc, started)
            else:
                valid.append((message, data))
        started = time.monotonic()
        try:
            with self.env.cr.savepoint():
                Invoice._receive_many(valid)
        except Exception:
            _logger.warning("Receiving %s freight invoice messages at once failed", len(valid))
            for message, data in valid:
                one = time.monotonic()
                try:
                    with self.env.cr.savepoint():
                        Invoice._receive_many([(message, data)])
                except Exception as exc:
                    results[message] = Result.failed(exc, one)
        share = (time.monotonic() - started) * 1000 / max(len(valid), 1)
        for message, _data in valid:
            results.setdefault(message, Result(None, "", share))
        return results
