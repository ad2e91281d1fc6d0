"""What the X12 warehouse sets (940, 943, 944, 945, 856, 846) share, on top of the transport
sets' helpers (:mod:`..transport.common`: elements, dates with time codes, references,
parties, the codec base class).

* Product ids: an item segment (W01, W04, W07, W12, LIN) gives a U.P.C. case code and
  qualified ``(qualifier, id)`` pairs at places its :class:`ItemLayout` names. They are kept
  by kind in ``product_ids`` (:data:`PRODUCT_QUALIFIERS`; an unnamed qualifier as its code, a
  second one of a kind as ``<kind>_2``); ``product_code`` is the first of
  :data:`PRODUCT_PRIORITY` found (the depositor's item number ``VN`` first), else the first
  id. A pair qualified ``LT`` is a lot number, not a product id.
* Weights: unit codes ``K`` / ``KG`` are kilograms; ``L`` / ``LB``, and a missing or unknown
  code (the 940 sample's W76 writes ``GS``), pounds, the unit of US warehouse sets.
* Readers: :class:`SetReader` dispatches each segment to its ``on_<tag>`` method; every
  ValueError comes out naming the segment, its position in the set and the element.
"""

from dataclasses import dataclass

from ..transport.common import (
    POUND_KG,
    add_reference,
    in_kg,
    number,
    number_text,
    qualifier_of,
    read_body,
    text,
)

#: Product/service id qualifiers (element 235) -> the kind of ``product_ids``.
PRODUCT_QUALIFIERS = {
    "VN": "vendor_item",
    "SK": "sku",
    "BP": "buyer_part",
    "IN": "buyer_item",
    "VP": "vendor_part",
    "MG": "manufacturer_part",
    "UA": "upc_case",
    "UP": "upc",
    "UK": "gtin14",
    "EN": "ean",
}
#: The kinds taken as ``product_code``, first found first.
PRODUCT_PRIORITY = ("vendor_item", "sku", "buyer_part", "buyer_item", "vendor_part")
PRODUCT_PRIORITY += ("manufacturer_part", "upc_case", "upc", "gtin14", "ean")
UPC_CASE = "upc_case"
LOT = "LT"
#: Weight unit codes (elements 188 and 355) -> the unit of ``in_kg``.
WEIGHT_UNIT_CODES = {"K": "K", "KG": "K", "L": "L", "LB": "L"}
#: Transaction set purpose / order status codes (353, 473) -> ``WarehouseOrder.purpose``.
PURPOSES = {"00": "original", "N": "original", "04": "change", "05": "change", "R": "change"}
PURPOSES |= {"01": "cancel", "03": "cancel", "F": "cancel", "D": "cancel"}
PAYMENT_METHODS = {"PP": "prepaid", "CC": "collect", "TP": "third_party"}
PAYMENT_CODES = {method: code for code, method in PAYMENT_METHODS.items()}
LINE_NUMBER = "LI"
LICENSE_PLATE = "LV"


@dataclass(frozen=True)
class ItemLayout:
    """Where an item segment holds its product ids: ``upcs`` (U.P.C. case codes), ``pairs``
    of (qualifier, id) elements, the warehouse ``lot``, the ``quantity`` and ``uom``."""

    tag: str
    quantity: int | None
    uom: int | None
    upcs: tuple = ()
    pairs: tuple = ()
    lot: int | None = None


W01 = ItemLayout("W01", 1, 2, (3,), ((4, 5), (6, 7), (15, 16)), 13)
W04 = ItemLayout("W04", 1, 2, (3,), ((4, 5), (6, 7), (14, 15)))
W07 = ItemLayout("W07", 1, 2, (3,), ((4, 5), (6, 7), (10, 11)), 8)
W12 = ItemLayout("W12", 3, 5, (6, 16), ((7, 8), (17, 18), (21, 22)), 9)
LIN = ItemLayout("LIN", None, None, (), tuple((i, i + 1) for i in range(2, 32, 2)))


# -- reading -------------------------------------------------------------------------------


class SetReader:
    """Reads the body of one set: ``on_<tag>`` methods take their segments, :meth:`other`
    the rest; :meth:`read` feeds a whole body and returns :meth:`result`."""

    handlers = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.handlers = {
            name[3:].upper(): getattr(cls, name) for name in dir(cls) if name.startswith("on_")
        }

    position = 1

    def feed(self, segment):
        """Take the next segment of the set (``position`` counts them, ST being 1)."""
        self.position += 1
        handler = self.handlers.get(segment[0])
        if handler is not None:
            handler(self, segment)
        else:
            self.other(segment)

    def other(self, segment):
        """A segment without handler."""

    def read(self, segments):
        """Read the body ``segments`` (positions counted from ST) and return the result."""
        read_body(self, segments)
        return self.result()

    def result(self):
        """The objects read."""
        raise NotImplementedError


def item_ids(segment, layout):
    """``(product_code, product_ids, lot)`` of an item segment laid out as ``layout``."""
    ids, lot = {}, text(segment, layout.lot) if layout.lot else ""
    for index in layout.upcs:
        add_reference(ids, "UA", text(segment, index), PRODUCT_QUALIFIERS)
    for qualifier_index, id_index in layout.pairs:
        if qualifier_index >= len(segment):
            break
        qualifier, value = text(segment, qualifier_index), text(segment, id_index)
        if qualifier == LOT:
            lot = lot or value
        else:
            add_reference(ids, qualifier, value, PRODUCT_QUALIFIERS)
    return primary(ids), ids, lot


def primary(product_ids):
    """The product code among ``product_ids``: the first kind of :data:`PRODUCT_PRIORITY`
    found, else the first id, else ``""``."""
    for kind in PRODUCT_PRIORITY:
        if kind in product_ids:
            return product_ids[kind]
    return next(iter(product_ids.values()), "")


def quantity(segment, index):
    """Element ``index`` as a quantity; ValueError names it when it is empty."""
    found = number(segment, index)
    if found is None:
        raise ValueError(f"{segment[0]}{index:02d} (quantity) is empty")
    return found


def weight(segment, value_index, unit_index):
    """A weight element in kilograms (see the module doc for its unit), None when empty."""
    unit = WEIGHT_UNIT_CODES.get(text(segment, unit_index), "L")
    return in_kg(number(segment, value_index), unit)


def payment_method(code):
    """The payment method of a shipment method of payment code (element 146)."""
    return PAYMENT_METHODS.get(code, code)


# -- writing -------------------------------------------------------------------------------


def item_segment(layout, line):
    """The item segment of ``line`` (its product ids, quantity, unit) as ``layout`` places
    them; ValueError when they do not fit. ``product_code`` is written as the vendor's item
    number (VN) unless it is what :func:`primary` finds among ``product_ids``."""
    if not line.product_code:
        raise ValueError(f"line {line.line_number!r} has no product code")
    ids = list(line.product_ids.items())
    if primary(line.product_ids) != line.product_code:
        ids.insert(0, ("vendor_item", line.product_code))
    upcs, pairs = [], []
    for kind, value in ids:
        if kind.startswith(UPC_CASE) and len(upcs) < len(layout.upcs):
            upcs.append(value)
        else:
            pairs.append((kind, value))
    if len(pairs) > len(layout.pairs):
        raise ValueError(
            f"line {line.line_number!r}: {len(ids)} product ids, a {layout.tag} holds "
            f"{len(layout.pairs)} and {len(layout.upcs)} U.P.C. case code(s)"
        )
    segment = [layout.tag] + [""] * max(i for pair in layout.pairs for i in pair)
    segment[layout.quantity] = number_text(line.quantity)
    segment[layout.uom] = line.uom
    for index, value in zip(layout.upcs, upcs, strict=False):
        segment[index] = value
    for (qualifier_index, id_index), (kind, value) in zip(layout.pairs, pairs, strict=False):
        segment[qualifier_index] = qualifier_of(kind, PRODUCT_QUALIFIERS)
        segment[id_index] = value
    return segment


def weight_elements(weight_kg):
    """``(weight, qualifier, unit)`` elements of a gross weight in kilograms."""
    if weight_kg is None:
        return "", "", ""
    return number_text(weight_kg), "G", "K"


__all__ = [
    "LIN",
    "POUND_KG",
    "W01",
    "W04",
    "W07",
    "W12",
    "ItemLayout",
    "SetReader",
    "item_ids",
    "item_segment",
    "payment_method",
    "primary",
    "quantity",
    "text",
    "weight",
    "weight_elements",
]
