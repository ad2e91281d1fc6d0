"""The ``x12-944`` codec: Warehouse Stock Transfer Receipt Advice -> :class:`ShipConfirmation`
(kind ``receipt``), one per set.

* ``W17``: W1702 ``confirmed_at`` (the receipt date, W1707 its time), W1703
  ``partner_reference`` (the warehouse receipt number), W1704 ``order_reference`` (the
  depositor's order number: the 943 received), W1705 the ``shipment_id`` reference.
* ``N1*WH``: N104 ``warehouse``. ``N9`` references by kind. ``W08``: W0802 ``carrier``,
  W0803 ``service``, W0805 the ``equipment`` and W0806 the ``seal`` references.
* each ``W07`` a line: W0701 ``quantity`` received, W0702 ``uom``, the product ids (W0703,
  W0704/05, W0706/07, W0710/11: a pair qualified ``LT`` is a lot), W0708 the warehouse lot;
  after it ``G69``, ``N9`` (as in a 945: ``LI``, ``LT``, ``LV``, others) and each ``W13``
  exception: W1303 the receiving condition (412: ``01`` damaged, ``02`` short, ``03`` over,
  ``04`` quality problem, ``05`` incorrect product...) added to ``condition``, W1301 its
  quantity (shown there as ``short 5``), and for damaged goods added to
  ``quantity_damaged``. ``quantity`` stays what W0701 says.
* ``W14`` (totals) is not read: the lines say it.
"""

from ..transport.common import TransportSetCodec, add_reference, moment, number, number_text, text
from .common import W07, item_ids, quantity
from .confirmations import ConfirmationCodec, ConfirmationReader, ship_line

#: Receiving condition codes (element 412) -> the words of ``ShipLine.condition``.
CONDITIONS = {
    "01": "damaged",
    "02": "short",
    "03": "over",
    "04": "quality_problem",
    "05": "incorrect_product",
    "06": "nonstandard_container",
    "07": "good",
    "08": "rejected",
    "09": "hold",
    "10": "scrapped",
}
DAMAGED = "01"


class _ReceiptReader(ConfirmationReader):
    """Reads the body of one 944."""

    kind = "receipt"

    def on_w17(self, segment):
        confirmation = self.confirmation
        confirmation.confirmed_at = moment(segment, 2, 7)
        confirmation.partner_reference = text(segment, 3)
        confirmation.order_reference = text(segment, 4)
        add_reference(confirmation.references, "shipment_id", text(segment, 5))

    def on_w08(self, segment):
        confirmation = self.confirmation
        confirmation.carrier, confirmation.service = text(segment, 2), text(segment, 3)
        add_reference(confirmation.references, "EQ", text(segment, 5))
        add_reference(confirmation.references, "SN", text(segment, 6))

    def on_w07(self, segment):
        code, ids, lot = item_ids(segment, W07)
        line = ship_line(code, quantity(segment, 1), ids, uom=text(segment, W07.uom))
        self.new_line(line, lot)

    def on_w13(self, segment):
        line = self.line
        if line is None:
            raise ValueError("W13 (item exception) follows no W07 line")
        code, amount = text(segment, 3), number(segment, 1)
        word = CONDITIONS.get(code, code)
        said = f"{word} {number_text(amount)}" if amount is not None else word
        line.condition = ", ".join(part for part in (line.condition, said) if part)
        if code == DAMAGED and amount is not None:
            line.quantity_damaged = (line.quantity_damaged or 0.0) + amount


class StockTransferReceiptCodec(ConfirmationCodec, name="x12-944"):
    """ANSI X12 944 Warehouse Stock Transfer Receipt Advice: what a 3PL received.

    A receipt :class:`ShipConfirmation` per set, read and written (the sandbox 3PL writes
    them).
    """

    kind = "944"
    reader = _ReceiptReader
    render = TransportSetCodec.render

    def documents(self, objects):
        """One 944 body per (receipt) ShipConfirmation of ``objects``."""
        from .writers import receipt_segments  # the writers read this module's codes

        return [receipt_segments(obj) for obj in objects]
