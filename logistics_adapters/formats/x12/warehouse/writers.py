"""The sets a warehouse writes: the ``945`` (shipping advice) and ``944`` (receipt advice) of a
:class:`ShipConfirmation`, the ``846`` (inventory advice) of an :class:`InventorySnapshot`,
written so that the readers of :mod:`.ship_advice`, :mod:`.receipt` and :mod:`.inventory`
give the same objects back. A sandbox 3PL and the tests write them; Odoo only reads them.

* 945: ``W06`` (W0601 ``N``, the order, the ship date, the warehouse's shipment id, the
  ``purchase_order`` reference), ``G62*11`` with the time and its time code, ``N1*WH``,
  ``N9`` references, ``W27`` (carrier, service, ``equipment``); an ``LX`` loop per run of
  lines in one package, its ``MAN`` marks ``GM`` the package's reference (its SSCC) and ``CP``
  its tracking number, then loops without ``MAN`` for lines in no package and for packages
  without lines; each ``W12`` (status, ordered, shipped, the difference, unit, product ids),
  ``G69`` descriptions, ``N9*LI`` the line number, ``N9*LT`` each lot with its quantity,
  ``N9`` references; ``W03`` the units shipped and the weight in kilograms.
* 944: ``W17`` (W1701 ``F``, date and time, receipt number, order, ``shipment_id``),
  ``N1*WH``, ``N9`` references, ``W08`` (carrier, service, ``equipment``, ``seal``); each
  ``W07`` (quantity, unit, product ids), its ``G69``, ``N9`` as in a 945, ``N9*LV`` its
  package, a ``W13`` per receiving condition (``damaged 5``: ``W13*5*<unit>*01``), one for
  ``quantity_damaged`` when the condition does not say it; ``W14`` the units received.
* 846: ``BIA`` (``00``, or ``04`` for a partial snapshot; report ``MM``, the reference, date
  and time to the second), ``DTM*007`` with the time code of an aware time, ``N1*WH``; each
  ``LIN`` (product ids, ``VN`` first unless another is the code, ``LT`` the lot), ``N1`` its
  location, a ``QTY`` per quantity (``17`` on hand, with the unit), ``CTT`` the count.
  :func:`inventory_segments` yields them one by one, however long the snapshot.

Times: a confirmation's time and a snapshot's are written in UTC when aware (``UT``); the 944
has no time code, so an aware time is written in UTC and read back naive. The references the
reader takes for ``bill_of_lading`` and ``tracking_number`` are written when those fields
say more than the references and packages do.

What the sets have no place for is not written: a package's type, weight and size (and in
a 944 its tracking number), a lot's expiry date, a 945 line's damages and conditions, a
confirmation's canonical status and discrepancies, an inventory line's condition.
"""

import dataclasses
import re

from ....canonical import Address, InventorySnapshot, Package, ShipConfirmation
from ... import references as reference_io
from ..transport.common import (
    moment_elements,
    number_text,
    party_segments,
    qualifier_of,
    reference_segments,
    trimmed,
)
from .common import (
    LICENSE_PLATE,
    LINE_NUMBER,
    LOT,
    PRODUCT_QUALIFIERS,
    W07,
    W12,
    item_segment,
    primary,
)
from .confirmations import finish
from .inventory import CHANGE, ON_HAND, QUANTITY_KINDS
from .orders import _totals as totals
from .receipt import CONDITIONS, DAMAGED
from .ship_advice import SHIPPED_ON

#: W0601 (945) and W1701 (944): the reporting code of a notification, of a final receipt.
NOTIFICATION = "N"
FINAL = "F"
#: W2701 / W0801: the transportation method (motor).
MOTOR = "M"
#: G6203: the time qualifier of the ship time (actual pickup time).
PICKUP_TIME = "8"
WAREHOUSE = "WH"
PACKAGE_MARK = "GM"
TRACKING_MARK = "CP"
#: BIA01 of a whole snapshot (a partial one is ``inventory.CHANGE``), BIA02 its report type.
ORIGINAL = "00"
REPORT_TYPE = "MM"
#: DTM01 of the snapshot's time with its time code (effective).
EFFECTIVE = "007"
#: The (qualifier, id) pairs a LIN holds (LIN02 to LIN31).
LIN_PAIRS = 15
_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


# -- 945 -----------------------------------------------------------------------------------


def confirmation_segments(confirmation):
    """The body segments (without ST/SE) of the 945 telling what was shipped of
    ``confirmation`` (a shipment); ValueError names what cannot be written."""
    _check(confirmation, "shipment", "945")
    references = _references(confirmation, confirmation.packages)
    day, clock, code = _when(confirmation.confirmed_at)
    ordered_by = references.pop("purchase_order", "")
    heading = ["W06", NOTIFICATION, confirmation.order_reference, day]
    heading += [confirmation.partner_reference, "", ordered_by]
    equipment = references.pop("equipment", "")
    segments = [heading, *_warehouse(confirmation), *reference_segments(references, tag="N9")]
    if day:
        segments.append(["G62", SHIPPED_ON, day, PICKUP_TIME, clock, code])
    if confirmation.carrier or confirmation.service or equipment:
        carrier = [MOTOR, confirmation.carrier, confirmation.service, "", "", "", equipment]
        segments.append(["W27", *carrier])
    for number, (package, lines) in enumerate(_loops(confirmation), start=1):
        segments.append(["LX", str(number)])
        if package is not None:
            segments.append(_marks(package))
        for line in lines:
            segments += [_shipped(line), *_line_details(line)]
    segments.append(["W03", *totals(confirmation)])
    return trimmed(segments)


def _loops(confirmation):
    """``(package or None, lines)`` of each LX loop: a loop per run of lines in one package
    (or in none), then one per package no line is in."""
    runs = []
    for line in confirmation.lines:
        if runs and runs[-1][0] == line.package_reference:
            runs[-1][1].append(line)
        else:
            runs.append((line.package_reference, [line]))
    named = {reference for reference, _lines in runs}
    runs += [(p.reference, []) for p in confirmation.packages if p.reference not in named | {""}]
    packages = {package.reference: package for package in confirmation.packages}
    return [
        ((packages.get(reference) or Package(reference)) if reference else None, lines)
        for reference, lines in runs
    ]


def _marks(package):
    """The MAN of ``package``: ``GM`` its reference (unless it is its tracking number),
    ``CP`` its tracking number."""
    marks = []
    if package.reference != package.tracking_number:
        marks += [PACKAGE_MARK, package.reference, ""]
    if package.tracking_number:
        marks += [TRACKING_MARK, package.tracking_number]
    return ["MAN", *marks]


def _shipped(line):
    """The W12 of ``line``: status, ordered, shipped, the difference, unit, product ids."""
    segment = item_segment(W12, line)
    segment[1] = line.status
    segment[2] = number_text(line.quantity_ordered)
    if line.quantity_ordered is not None and line.quantity_ordered != line.quantity:
        segment[4] = number_text(round(line.quantity_ordered - line.quantity, 6))
    return segment


# -- 944 -----------------------------------------------------------------------------------


def receipt_segments(confirmation):
    """The body segments (without ST/SE) of the 944 telling what was received of
    ``confirmation`` (a receipt); ValueError names what cannot be written."""
    _check(confirmation, "receipt", "944")
    references = _references(confirmation, [])
    day, clock, _code = _when(confirmation.confirmed_at)
    heading = ["W17", FINAL, day, confirmation.partner_reference]
    heading += [confirmation.order_reference, references.pop("shipment_id", ""), "", clock]
    carrier = [MOTOR, confirmation.carrier, confirmation.service, ""]
    carrier += [references.pop("equipment", ""), references.pop("seal", "")]
    segments = [heading, *_warehouse(confirmation), *reference_segments(references, tag="N9")]
    if any(carrier[1:]):
        segments.append(["W08", *carrier])
    for line in confirmation.lines:
        segments += [item_segment(W07, line), *_line_details(line)]
        if line.package_reference:
            segments.append(["N9", LICENSE_PLATE, line.package_reference])
        segments += _exceptions(line)
    segments.append(["W14", totals(confirmation)[0]])
    return trimmed(segments)


def _exceptions(line):
    """A W13 per receiving condition of ``line``, and one for ``quantity_damaged`` when its
    conditions do not say it."""
    segments, damaged = [], False
    for word, amount in _conditions(line.condition):
        code = reference_io.qualifier_of(word, CONDITIONS)
        if code is None:
            raise ValueError(
                f"line {line.line_number!r}: condition {word!r} has no receiving condition "
                "code (element 412)"
            )
        damaged = damaged or (code == DAMAGED and bool(amount))
        segments.append(["W13", amount, line.uom, code])
    if line.quantity_damaged and not damaged:
        segments.append(["W13", number_text(line.quantity_damaged), line.uom, DAMAGED])
    return segments


def _conditions(condition):
    """``(word, amount)`` of each part of ``condition`` (``"damaged 5, good"``), the amount
    ``""`` when a part gives none."""
    for part in filter(None, (part.strip() for part in condition.split(","))):
        word, _blank, amount = part.rpartition(" ")
        yield (word, amount) if word and _AMOUNT.fullmatch(amount) else (part, "")


# -- what the 945 and 944 share --------------------------------------------------------------


def _check(confirmation, kind, set_kind):
    if not isinstance(confirmation, ShipConfirmation):
        raise ValueError(
            f"a {set_kind} is written from ShipConfirmation objects, not {confirmation!r}"
        )
    if confirmation.kind != kind:
        reference = confirmation.order_reference
        raise ValueError(f"a {set_kind} confirms a {kind}; {reference!r} is a {confirmation.kind}")


def _references(confirmation, packages):
    """The references to write: ``bill_of_lading`` and ``tracking_number`` among them when
    the reader would not find them otherwise in the references and the written
    ``packages``."""
    written = dict(confirmation.references)
    if confirmation.bill_of_lading:
        written["bill_of_lading"] = confirmation.bill_of_lading
    read = finish(dataclasses.replace(confirmation, references=written, packages=packages))
    if confirmation.tracking_number and read.tracking_number != confirmation.tracking_number:
        written["tracking_number"] = confirmation.tracking_number
    return written


def _line_details(line):
    """What follows a line's item segment: G69 its description, N9 its line number (LI),
    lots (LT, with their quantities) and references."""
    segments = [["G69", part] for part in line.description.splitlines()]
    if line.line_number:
        segments.append(["N9", LINE_NUMBER, line.line_number])
    for lot in line.lots:
        segments.append(["N9", LOT, lot.lot_number, number_text(lot.quantity)])
    return segments + reference_segments(line.references, tag="N9")


def _warehouse(document):
    """The N1*WH of a confirmation's or snapshot's warehouse code, if any."""
    return party_segments(WAREHOUSE, Address(), document.warehouse) if document.warehouse else []


def _when(moment):
    """``(date, time to the second, time code)`` of ``moment`` (see the module doc), empty
    for None."""
    if moment is None:
        return "", "", ""
    day, clock, code = moment_elements(moment)
    return day, clock.ljust(6, "0"), code


# -- 846 -----------------------------------------------------------------------------------


def inventory_segments(snapshot):
    """The body segments (without ST/SE) of the 846 reporting ``snapshot``, yielded one at a
    time; ValueError names what cannot be written (a wrong object at once, a line when the
    segments reach it)."""
    if not isinstance(snapshot, InventorySnapshot):
        raise ValueError(f"an 846 is written from InventorySnapshot objects, not {snapshot!r}")
    return _inventory(snapshot)


def _inventory(snapshot):
    day, clock, code = _when(snapshot.taken_at)
    purpose = CHANGE if snapshot.partial else ORIGINAL
    yield from trimmed([["BIA", purpose, REPORT_TYPE, snapshot.partner_reference, day, clock]])
    if code:
        yield ["DTM", EFFECTIVE, day, clock, code]
    yield from _warehouse(snapshot)
    count = 0
    for line in snapshot.lines:
        yield from _inventory_line(line)
        count += 1
    yield ["CTT", str(count)]


def _inventory_line(line):
    """The LIN loop of ``line``: its product ids and lot, its location, its quantities."""
    if not line.product_code:
        raise ValueError(f"an inventory line has no product code: {line!r}")
    ids = list(line.product_ids.items())
    if primary(line.product_ids) != line.product_code:
        ids.insert(0, ("vendor_item", line.product_code))
    pairs = [(qualifier_of(kind, PRODUCT_QUALIFIERS), value) for kind, value in ids]
    pairs += [(LOT, line.lot_number)] if line.lot_number else []
    if len(pairs) > LIN_PAIRS:
        raise ValueError(
            f"{line.product_code!r}: {len(pairs)} ids and lot, a LIN holds {LIN_PAIRS}"
        )
    segments = [["LIN", "", *(element for pair in pairs for element in pair)]]
    if line.location:
        segments += party_segments(WAREHOUSE, Address(), line.location)
    return trimmed(segments + _quantities(line))


def _quantities(line):
    """A QTY per quantity of ``line``, its on-hand one (``quantity``, with the unit) first
    when ``quantities`` has none."""
    if line.uom and not (len(line.uom) == 2 and line.uom.isalnum()):
        raise ValueError(f"{line.product_code!r}: unit {line.uom!r} is no 2-character code")
    quantities = dict(line.quantities)
    on_hand = next((kind for kind in ON_HAND if kind in quantities), None)
    if on_hand is None:
        on_hand, quantities = ON_HAND[0], {ON_HAND[0]: line.quantity, **quantities}
    quantities[on_hand] = line.quantity
    segments = []
    for kind, amount in quantities.items():
        code = reference_io.qualifier_of(kind, QUANTITY_KINDS)
        if code is None:
            raise ValueError(f"{line.product_code!r}: quantity {kind!r} has no QTY01 code")
        unit = line.uom if kind == on_hand else ""
        segments.append(["QTY", code, number_text(amount), unit])
    return segments


__all__ = ["confirmation_segments", "inventory_segments", "receipt_segments"]
