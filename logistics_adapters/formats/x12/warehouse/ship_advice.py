"""The ``x12-945`` codec: Warehouse Shipping Advice -> :class:`ShipConfirmation` (kind
``shipment``), one per set.

* ``W06``: W0602 ``order_reference`` (the depositor's order number), W0603 ``confirmed_at``
  (the ship date), W0604 ``partner_reference`` (the warehouse's shipment id), W0606 the
  ``purchase_order`` reference. ``G62*11`` (shipped on) with its time replaces the date. A
  W0603 that is no date (the published template writes the literal ``CCYYMMDD``) leaves
  ``confirmed_at`` empty, unless a G62 gives it, and is listed in ``discrepancies``: the
  shipped quantities are what the confirmation is for, and the caller dates it.
* ``N1*WH``: N104 ``warehouse``. ``N9`` references by kind (``BM`` ``bill_of_lading``).
* ``W27``: W2702 ``carrier`` (SCAC), W2703 ``service`` (routing), W2707 the ``equipment``
  reference.
* each ``LX`` loop: its ``MAN`` packages (see :mod:`.confirmations`), its ``W12`` lines:
  W1201 ``status`` (``CC`` complete, ``CP`` partial...), W1202 ``quantity_ordered``, W1203
  ``quantity`` (units shipped, required), W1205 ``uom``, the product ids (W1206, W1207/08,
  W1216, W1217/18, W1221/22), W1209 the warehouse lot; after it ``G69`` ``description`` and
  ``N9`` (``LI`` line number, ``LT`` lot, ``LV`` license plate, others the line's references).
* ``W03``: W0302 ``weight_kg`` in W0303's unit.
"""

from ..transport.common import TransportSetCodec, add_reference, moment, number, text
from .common import W12, item_ids, quantity
from .confirmations import ConfirmationCodec, ConfirmationReader, ship_line

SHIPPED_ON = "11"


class _ShipAdviceReader(ConfirmationReader):
    """Reads the body of one 945."""

    def on_w06(self, segment):
        confirmation = self.confirmation
        confirmation.order_reference = text(segment, 2)
        try:
            confirmation.confirmed_at = moment(segment, 3, None)
        except ValueError as exc:
            where = f"W06, segment {self.position}"
            confirmation.discrepancies.append(f"{exc} ({where}): the ship date is not known")
        confirmation.partner_reference = text(segment, 4)
        add_reference(confirmation.references, "PO", text(segment, 6))

    def on_g62(self, segment):
        if text(segment, 1) == SHIPPED_ON and self.line is None:
            self.confirmation.confirmed_at = moment(segment, 2, 4, 5)

    def on_w27(self, segment):
        confirmation = self.confirmation
        confirmation.carrier, confirmation.service = text(segment, 2), text(segment, 3)
        add_reference(confirmation.references, "EQ", text(segment, 7))

    def on_w12(self, segment):
        code, ids, lot = item_ids(segment, W12)
        line = ship_line(
            code,
            quantity(segment, W12.quantity),
            ids,
            quantity_ordered=number(segment, 2),
            uom=text(segment, W12.uom),
            status=text(segment, 1),
        )
        self.new_line(line, lot)

    def on_w03(self, segment):
        self.totals(segment, 2, 3)


class WarehouseShippingAdviceCodec(ConfirmationCodec, name="x12-945"):
    """ANSI X12 945 Warehouse Shipping Advice: what a 3PL shipped, lots, packages.

    A :class:`ShipConfirmation` per set, read and written (the sandbox 3PL writes them).
    """

    kind = "945"
    reader = _ShipAdviceReader
    render = TransportSetCodec.render

    def documents(self, objects):
        """One 945 body per (shipment) ShipConfirmation of ``objects``."""
        from .writers import confirmation_segments  # the writers read this module's codes

        return [confirmation_segments(obj) for obj in objects]
