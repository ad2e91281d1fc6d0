"""What the confirmation sets (945 ship advice, 944 receipt advice, 856 ship notice) share:
packages from marks, lots, the lines of a loop and their packages, the codec base class.

* Packages: a ``MAN`` gives one :class:`Package`: its ``GM`` (SSCC-18), ``UC``, ``W``
  (pallet) or ``AA`` mark is ``reference``, its ``CP`` or ``CN`` mark (carrier package id,
  carton tracking number) ``tracking_number``; a package with only a tracking number has it
  as reference too, so lines can point to it. ``N9*LV`` (license plate) after a line is a
  package of that line, N903 the quantity in it.
* Lines and packages: a line takes the package of its loop when the loop has one. A line
  on several license plates whose quantities add up to the line's is given as one
  :class:`ShipLine` per plate (the same line number and product, the plate's quantity, its
  one lot with that quantity); otherwise it keeps the line's quantity and no package. The
  parts of a line share its ordered quantity (:func:`share_ordered`), so that what was
  ordered and not shipped adds up once.
* Lots: the warehouse lot of the item segment and ``N9*LT`` (N903 its quantity), once each.
* The confirmation's ``tracking_number`` is its ``2I`` reference, else its ``CN`` (PRO),
  else its first package's tracking number; ``bill_of_lading`` its ``BM`` reference.
"""

import dataclasses

from ....canonical import Lot, Package, ShipConfirmation, ShipLine
from ....registry import Codec
from ..transport.common import TransportSetCodec, add_note, add_reference, number, text
from .common import LICENSE_PLATE, LINE_NUMBER, SetReader, weight

PACKAGE_MARKS = frozenset({"GM", "UC", "W", "AA"})
TRACKING_MARKS = frozenset({"CP", "CN"})
LOT = "LT"


class ConfirmationReader(SetReader):
    """Reads a confirmation set (of ``kind``): its lines, their lots and packages, its
    references."""

    kind = "shipment"

    def __init__(self):
        self.confirmation = ShipConfirmation(order_reference="", kind=self.kind)
        self.line = None
        self.plates = []
        self.loop_packages, self.loop_lines = [], []

    def result(self):
        """The confirmation read."""
        self.close_loop()
        return [finish(self.confirmation)]

    def on_n1(self, segment):
        self.close_line()
        if text(segment, 1) == "WH":
            self.confirmation.warehouse = text(segment, 4)

    def on_n9(self, segment):
        qualifier, value = text(segment, 1), text(segment, 2)
        if self.line is None:
            add_reference(self.confirmation.references, qualifier, value)
        else:
            self.line_reference(qualifier, value, number(segment, 3))

    def line_reference(self, qualifier, value, quantity=None):
        """A reference of the current line: its number, a lot, a license plate, another."""
        line = self.line
        if qualifier == LINE_NUMBER:
            line.line_number = value
        elif qualifier == LOT:
            add_lot(line, value, quantity)
        elif qualifier == LICENSE_PLATE:
            self.plates.append((value, quantity))
            self.package(value)
        else:
            add_reference(line.references, qualifier, value)

    def on_g69(self, segment):
        if self.line is not None:
            self.line.description = add_note(self.line.description, text(segment, 1))

    def on_lx(self, _segment):
        self.close_loop()

    def on_man(self, segment):
        reference, tracking = package_marks(segment)
        if reference:
            self.loop_packages.append(self.package(reference, tracking).reference)

    def package(self, reference, tracking_number=""):
        """The package ``reference`` of the confirmation (added when new)."""
        return find_package(self.confirmation.packages, reference, tracking_number)

    def new_line(self, line, lot=""):
        """Start reading ``line`` (its warehouse ``lot`` with the line's quantity)."""
        self.close_line()
        if lot:
            add_lot(line, lot, line.quantity)
        self.line = line

    def close_line(self):
        """The current line done: into the loop's lines, split by license plates."""
        if self.line is not None:
            self.loop_lines += by_plates(self.line, self.plates)
        self.line, self.plates = None, []

    def close_loop(self):
        """The loop done: its lines take its one package, and join the confirmation."""
        self.close_line()
        for line in self.loop_lines:
            if not line.package_reference and len(self.loop_packages) == 1:
                line.package_reference = self.loop_packages[0]
        self.confirmation.lines += self.loop_lines
        self.loop_packages, self.loop_lines = [], []

    def totals(self, segment, weight_index, unit_index):
        """A totals segment: the confirmation's weight."""
        self.close_line()
        self.confirmation.weight_kg = weight(segment, weight_index, unit_index)


def package_marks(segment):
    """``(reference, tracking_number)`` of a MAN segment (see the module doc); the tracking
    number is the reference of a package without other mark."""
    marks = {text(segment, i): text(segment, i + 1) for i in (1, 4) if text(segment, i)}
    reference = next((marks[q] for q in marks if q in PACKAGE_MARKS), "")
    tracking = next((marks[q] for q in marks if q in TRACKING_MARKS), "")
    return reference or tracking, tracking


def finish(confirmation):
    """``confirmation`` with its tracking number and bill of lading taken from its
    references and packages (see the module doc)."""
    references = confirmation.references
    confirmation.bill_of_lading = references.get("bill_of_lading", "")
    tracking = [package.tracking_number for package in confirmation.packages]
    tracking = [references.get("tracking_number"), references.get("pro"), *tracking]
    confirmation.tracking_number = next((found for found in tracking if found), "")
    return confirmation


def find_package(packages, reference, tracking_number=""):
    """The package ``reference`` of ``packages``, added when new (a tracking number given
    completes one without)."""
    for package in packages:
        if package.reference == reference:
            package.tracking_number = package.tracking_number or tracking_number
            return package
    package = Package(reference=reference, tracking_number=tracking_number)
    packages.append(package)
    return package


def add_lot(line, lot_number, quantity=None):
    """Add lot ``lot_number`` to ``line`` unless it has it."""
    if lot_number and all(lot.lot_number != lot_number for lot in line.lots):
        line.lots.append(Lot(lot_number, quantity))


def by_plates(line, plates):
    """``line`` as one ShipLine per license plate of ``plates`` (see the module doc)."""
    if len(plates) == 1:
        line.package_reference = plates[0][0]
        return [line]
    quantities = [quantity for _plate, quantity in plates]
    if not plates or None in quantities or sum(quantities) != line.quantity:
        return [line]
    return share_ordered([_on_plate(line, plate, quantity) for plate, quantity in plates])


def share_ordered(parts):
    """The ``parts`` of one line (each in its package), the ordered quantity they all repeat
    shared out: each part is ordered its own quantity, the first also what the line lacks
    (or has over). Left as they are when they do not all give the same ordered quantity."""
    ordered = parts[0].quantity_ordered
    difference = None if ordered is None else ordered - sum(part.quantity for part in parts)
    if difference is None or any(part.quantity_ordered != ordered for part in parts):
        return parts
    if parts[0].quantity + difference < 0:
        return parts
    for part in parts:
        part.quantity_ordered = part.quantity
    parts[0].quantity_ordered += difference
    return parts


def _on_plate(line, plate, quantity):
    lots = [dataclasses.replace(lot, quantity=quantity) for lot in line.lots]
    return dataclasses.replace(
        line,
        quantity=quantity,
        package_reference=plate,
        lots=lots if len(lots) == 1 else [dataclasses.replace(lot) for lot in line.lots],
        product_ids=dict(line.product_ids),
        references=dict(line.references),
    )


def ship_line(code, quantity, ids, **values):
    """A ShipLine of product ``code`` with its ``ids``."""
    return ShipLine(code, quantity, product_ids=ids, **values)


class ConfirmationCodec(TransportSetCodec):
    """A confirmation set: one :class:`ShipConfirmation` per set (per order for an 856);
    read only (the warehouse writes them)."""

    reader = None
    #: Read only: the warehouse writes these sets.
    render = Codec.render

    def read_set(self, segments):
        """The confirmations of the set's body."""
        return self.reader().read(segments)

    def references(self, obj):
        """The order confirmed and the warehouse's reference of the confirmation."""
        return (obj.order_reference, obj.partner_reference)
