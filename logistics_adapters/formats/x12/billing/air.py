"""The ``x12-110`` codec: Air Freight Details and Invoice -> :class:`FreightInvoice` (``mode``
``air``), one per set, read as :mod:`.common` says.

* Every ``LX`` loop is a :class:`FreightShipment` (the 110's detail is one loop per
  shipment): its ``N1`` shipper and consignee, ``N9`` references (``AW``, the air waybill,
  as ``airbill``: with ``2I`` its tracking numbers), ``P1`` (P102 ``ship_date``, the
  pick-up), ``R1`` routing (R103 ``origin``, the last airport of R105, R107... R113
  ``destination``), ``POD`` (POD01 ``delivery_date``), the ``L5`` loops' ``L0`` (weight,
  pieces) and ``L1`` charges.
* ``B3A`` (invoice type), ``L4``, ``L10``, ``SL1``, ``NTE`` and ``K1`` are not read.

Read only: carriers write 110s, the suite receives them.
"""

from ....registry import Codec
from ..transport.common import text
from .common import TRACKING_NUMBER, InvoiceCodec, InvoiceReader, day

FORMAT = "x12-110"
AIR = "air"
AIRBILL = "airbill"
#: R1 elements naming airports, origin first.
_AIRPORTS = (3, 5, 7, 9, 11, 13)


class AirInvoiceReader(InvoiceReader):
    """Reads the body of one 110."""

    mode = AIR
    shipment_tracking_kinds = (TRACKING_NUMBER, AIRBILL)
    invoice_tracking_kinds = (TRACKING_NUMBER, AIRBILL)

    def is_shipment(self, _loop):
        return True

    def on_p1(self, segment):
        if self.loop is not None:
            self.loop.shipment.ship_date = day(segment, 2)

    def on_r1(self, segment):
        airports = [text(segment, index) for index in _AIRPORTS]
        airports = [airport for airport in airports if airport]
        if self.loop is not None and airports:
            self.loop.shipment.origin, self.loop.shipment.destination = airports[0], airports[-1]

    def on_pod(self, segment):
        if self.loop is not None:
            self.loop.shipment.delivery_date = day(segment, 1)


def read_air_invoice(segments):
    """The :class:`FreightInvoice` of one 110's body (without ST/SE)."""
    (invoice,) = AirInvoiceReader().read(segments)
    return invoice


class AirFreightInvoiceCodec(InvoiceCodec, name=FORMAT):
    """ANSI X12 110 Air Freight Details and Invoice: airbills, charges, totals (read only).

    A :class:`FreightInvoice` (mode ``air``) per set, each airbill a shipment.
    """

    kind = "110"
    reader = AirInvoiceReader
    #: Read only: carriers write 110s, the suite receives them.
    render = Codec.render
