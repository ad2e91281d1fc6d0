"""The ``x12-856`` codec: the Ship Notice/Manifest a 3PL sends in place of a 945 ->
:class:`ShipConfirmation` objects (kind ``shipment``), one per order (``HL`` level ``O``) of
every set.

The hierarchy is followed by its parent ids (HL02), so shipment / order / tare / pack / item
(``S``, ``O``, ``T``, ``P``, ``I``) nest in whatever order the partner uses:

* shipment (``S``), given to each of its orders: ``BSN`` (BSN02 ``partner_reference``,
  BSN03 / BSN04 ``confirmed_at``), ``DTM*011`` (shipped) ``confirmed_at`` with its time
  code, ``TD5`` (TD503 ``carrier``, TD505 ``service``, else TD512), ``TD1`` ``weight_kg``
  (only when the shipment holds one order), ``REF`` references (``BM``
  ``bill_of_lading``, ``CN`` PRO, ``2I`` tracking number), ``N1*WH`` (else ``SF``) N104
  ``warehouse``;
* order (``O``): ``PRF`` PRF01 ``order_reference``, its ``REF`` references;
* tare and pack (``T``, ``P``): ``MAN`` marks, a :class:`Package` (``GM`` SSCC,
  ``CP`` / ``CN`` tracking number; see :mod:`.confirmations`);
* item (``I``): a line of the order above it, in the nearest tare or pack above it: ``LIN``
  (LIN01 ``line_number``, product ids, a pair qualified ``LT`` is a lot), ``SN1`` (SN102
  ``quantity``, required, SN103 ``uom``, SN105 ``quantity_ordered``, SN108 ``status``),
  ``PID`` ``description``, ``REF*LT`` lots, other ``REF`` the line's references. Items of
  one line number and product in several packs are the parts of one line: they share its
  ordered quantity (see :mod:`.confirmations`).
"""

import dataclasses

from ....canonical import ShipConfirmation
from ..transport.common import add_note, add_reference, moment, number, text
from .common import LIN, SetReader, item_ids, quantity, weight
from .confirmations import (
    LOT,
    ConfirmationCodec,
    add_lot,
    find_package,
    finish,
    package_marks,
    share_ordered,
    ship_line,
)

SHIPPED = "011"
PACKAGE_LEVELS = frozenset({"T", "P"})


@dataclasses.dataclass
class _Level:
    """One HL: its ``code``, its ``parent`` level, its package or order confirmation."""

    number: str
    code: str
    parent: "_Level | None"
    package: object = None
    confirmation: ShipConfirmation | None = None

    def above(self, codes):
        """The nearest level at or above this one whose code is in ``codes``."""
        level = self
        while level is not None and level.code not in codes:
            level = level.parent
        return level


class _ShipNoticeReader(SetReader):
    """Reads the body of one 856 into a ShipConfirmation per order."""

    def __init__(self):
        self.shipment = ShipConfirmation(order_reference="", kind="shipment")
        self.levels, self.items = {}, []
        self.level = self.line = None

    def on_bsn(self, segment):
        self.shipment.partner_reference = text(segment, 2)
        self.shipment.confirmed_at = moment(segment, 3, 4)

    def on_hl(self, segment):
        number, parent, code = text(segment, 1), text(segment, 2), text(segment, 3)
        if parent and parent not in self.levels:
            raise ValueError(f"HL02 {parent!r} names no HL before it")
        self.level = _Level(number, code, self.levels.get(parent))
        self.levels[number], self.line = self.level, None
        if code == "O":
            self.level.confirmation = ShipConfirmation(order_reference="", kind="shipment")

    def on_dtm(self, segment):
        if self._at("S") and text(segment, 1) == SHIPPED:
            self.shipment.confirmed_at = moment(segment, 2, 3, 4)

    def on_td5(self, segment):
        if self._at("S"):
            self.shipment.carrier = text(segment, 3)
            self.shipment.service = text(segment, 5) or text(segment, 12)

    def on_td1(self, segment):
        if self._at("S"):
            self.shipment.weight_kg = weight(segment, 7, 8)

    def on_n1(self, segment):
        if self._at("S") and text(segment, 1) in ("WH", "SF"):
            self.shipment.warehouse = self.shipment.warehouse or text(segment, 4)

    def on_prf(self, segment):
        if self._at("O"):
            self.level.confirmation.order_reference = text(segment, 1)

    def on_ref(self, segment):
        qualifier, value = text(segment, 1), text(segment, 2)
        if self.line is not None:
            if qualifier == LOT:
                add_lot(self.line, value)
            else:
                add_reference(self.line.references, qualifier, value)
        elif self._at("O"):
            add_reference(self.level.confirmation.references, qualifier, value)
        elif self._at("S"):
            add_reference(self.shipment.references, qualifier, value)

    def on_man(self, segment):
        reference, tracking = package_marks(segment)
        if reference and self.level is not None and self.level.code in PACKAGE_LEVELS:
            self.level.package = (reference, tracking)

    def on_lin(self, segment):
        order = self.level.above({"O"}) if self._at("I") else None
        if order is None:
            where = self.level.number if self.level else "?"
            raise ValueError(f"LIN of HL {where}: not an item (HL03 I) under an order (HL03 O)")
        code, ids, lot = item_ids(segment, LIN)
        self.line = ship_line(code, None, ids, line_number=text(segment, 1))
        add_lot(self.line, lot)
        confirmation = order.confirmation
        pack = self.level.above(PACKAGE_LEVELS)
        if pack is not None and pack.package is not None:
            package = find_package(confirmation.packages, *pack.package)
            self.line.package_reference = package.reference
        confirmation.lines.append(self.line)
        self.items.append((self.level.number, self.line))

    def on_sn1(self, segment):
        if self.line is not None:
            self.line.quantity = quantity(segment, 2)
            self.line.uom, self.line.status = text(segment, 3), text(segment, 8)
            self.line.quantity_ordered = number(segment, 5)

    def on_pid(self, segment):
        if self.line is not None:
            self.line.description = add_note(self.line.description, text(segment, 5))

    def _at(self, code):
        return self.level is not None and self.level.code == code

    def result(self):
        """A ShipConfirmation per order, with the shipment's values."""
        for level, line in self.items:
            if line.quantity is None:
                raise ValueError(f"HL {level} (item {line.product_code!r}) has no SN1")
        orders = [level.confirmation for level in self.levels.values() if level.confirmation]
        shipment = self.shipment
        for confirmation in orders:
            for field in ("partner_reference", "confirmed_at", "carrier", "service", "warehouse"):
                setattr(confirmation, field, getattr(shipment, field))
            confirmation.weight_kg = shipment.weight_kg if len(orders) == 1 else None
            confirmation.references = {**shipment.references, **confirmation.references}
            for parts in _parts(confirmation.lines):
                share_ordered(parts)
            finish(confirmation)
        return orders


def _parts(lines):
    """The lines of the same number and product (one line in several packs), by line."""
    groups = {}
    for line in lines:
        if line.line_number:
            groups.setdefault((line.line_number, line.product_code), []).append(line)
    return [group for group in groups.values() if len(group) > 1]


class ShipNoticeCodec(ConfirmationCodec, name="x12-856"):
    """ANSI X12 856 Ship Notice/Manifest from a 3PL: shipped orders, packs, lots.

    A :class:`ShipConfirmation` per order (HL O); read only.
    """

    kind = "856"
    reader = _ShipNoticeReader
