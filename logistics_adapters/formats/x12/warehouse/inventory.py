"""The ``x12-846`` codec: Inventory Inquiry/Advice -> :class:`InventorySnapshot`, one per set,
read as a stream: :func:`read_inventory` yields each :class:`InventoryLine` as its ``LIN``
loop closes, so a caller holds one line at a time however long the set (846 snapshots run to
100,000 lines); ``parse`` collects them.

* ``BIA``: BIA03 ``partner_reference``, BIA04 / BIA05 ``taken_at``; BIA01 ``04`` (change)
  makes the snapshot ``partial`` (only the products listed). ``DTM`` (heading; ``007``
  effective, ``405``, or any) with its time code replaces ``taken_at``.
* ``N1*WH`` N104 (else N102) ``warehouse``; without WH, ``N1*ST`` (the stock held for).
* each ``LIN`` a line: product ids (LIN02/03...; see :mod:`.common`), a pair qualified ``LT``
  its ``lot_number`` (``REF*LT`` too); ``N1`` in the loop its ``location``. Each ``QTY``:
  QTY01 the kind (:data:`QUANTITY_KINDS`; another code as it is) of ``quantities``, QTY02 the
  amount, QTY03 (or the ``UIT`` after it) its unit.
* On hand: ``quantity`` is the first of QTY ``17`` (quantity on hand), ``33`` (quantity
  available for sale, the one many 3PLs send alone) and ``34`` (non-committed inventory on
  shelf); its unit is ``uom``. A line without any of them is refused: other quantities
  (on order, damaged, on hold) say nothing of the stock to compare.

Malformed sets are refused whole, never read in part: a segment with more elements than X12
defines, or a unit of measure that is no 2-character code, is the trace of a missing segment
terminator (the published sample writes ``REF~ZZ~ASIAQTY~17~403.32~FT``: a REF and a QTY fused,
the QTY's quantity lost). Every such problem of a set is listed in one ParseError naming each
segment, its position and the segment it seems to swallow, at the set's end (SE): a caller
of :func:`read_inventory` discards what it took from a set that fails.
"""

from ....canonical import InventoryLine, InventorySnapshot
from ....errors import ParseError
from ..checks import element_text
from ..reader import _Tokenizer, text_chunks
from ..syntax import split_components
from ..transport.common import SegmentError, TransportSetCodec, moment, number, text
from .common import LIN, SetReader, item_ids

FORMAT = "x12-846"
KIND = "846"
#: Quantity qualifiers (element 673) -> the kinds of ``InventoryLine.quantities``.
QUANTITY_KINDS = {
    "17": "on_hand",
    "33": "available",
    "34": "noncommitted",
    "20": "unusable",
    "26": "total",
    "27": "committed",
    "63": "on_order",
    "74": "damaged",
    "87": "received",
    "IQ": "in_transit",
    "QH": "on_hold",
    "XU": "reserved",
}
#: The quantity kinds taken as on hand, first found first.
ON_HAND = ("on_hand", "available", "noncommitted")
CHANGE = "04"
#: The most elements X12 004010 gives the segments of an 846.
MAX_ELEMENTS = {"BIA": 6, "CUR": 21, "DTM": 6, "REF": 4, "PER": 9, "N1": 6, "N2": 2, "N3": 2}
MAX_ELEMENTS |= {"N4": 6, "LIN": 31, "PID": 9, "MEA": 10, "CTP": 11, "QTY": 4, "UIT": 3}
MAX_ELEMENTS |= {"SDQ": 23, "CTT": 7}
#: Segments of an 846: a value ending with one of them hints at a missing terminator.
TAGS = (*MAX_ELEMENTS, "SE")
#: Elements holding a unit of measure code (355: two characters).
UNITS = {"QTY": 3, "UIT": 1}


class _InventoryReader(SetReader):
    """Reads one 846: :meth:`feed` each segment; closed lines wait in ``done``."""

    def __init__(self, terminator):
        self.snapshot = InventorySnapshot()
        self.terminator = terminator
        self.line = None
        self.line_position = 0
        self.unit_for = None
        self.from_warehouse = False
        self.done, self.problems = [], []

    def check(self, segment, position):
        """Note what in ``segment`` betrays a missing segment terminator."""
        most = MAX_ELEMENTS.get(segment[0])
        found = ""
        if most is not None and len(segment) - 1 > most:
            found = f"{len(segment) - 1} elements, X12 defines {most}"
        unit_index = UNITS.get(segment[0])
        unit = element_text(segment, unit_index) if unit_index else ""
        if unit and (len(unit) != 2 or not unit.isalnum()):
            found = f"{segment[0]}{unit_index:02d} {unit!r} is no unit of measure code"
        if found:
            self.problems.append((segment[0], position, f"{found}{self._hint(segment)}"))

    def _hint(self, segment):
        for value in segment[1:]:
            value = value if isinstance(value, str) else "".join(value)
            for tag in TAGS:
                if value.endswith(tag) and len(value) > len(tag):
                    return (
                        f" ({value!r} runs into a {tag} segment: a segment terminator "
                        f"{self.terminator!r} is missing before it)"
                    )
        return ""

    def on_bia(self, segment):
        snapshot = self.snapshot
        snapshot.partial = text(segment, 1) == CHANGE
        snapshot.partner_reference = text(segment, 3)
        snapshot.taken_at = moment(segment, 4, 5)

    def on_dtm(self, segment):
        if self.line is None:
            self.snapshot.taken_at = moment(segment, 2, 3, 4) or self.snapshot.taken_at

    def on_n1(self, segment):
        code, place = text(segment, 1), text(segment, 4) or text(segment, 2)
        if self.line is not None:
            self.line.location = place
        elif code == "WH" or (code == "ST" and not self.from_warehouse):
            self.snapshot.warehouse, self.from_warehouse = place, code == "WH"

    def on_lin(self, segment, position):
        self.close_line()
        code, ids, lot = item_ids(segment, LIN)
        self.line = InventoryLine(code, None, lot_number=lot, product_ids=ids)
        self.line_position = position

    def on_ref(self, segment):
        if self.line is not None and text(segment, 1) == "LT" and not self.line.lot_number:
            self.line.lot_number = text(segment, 2)

    def on_qty(self, segment):
        if self.line is None:
            return
        kind = QUANTITY_KINDS.get(text(segment, 1), text(segment, 1))
        count, key = 1, kind
        while key in self.line.quantities:
            count += 1
            key = f"{kind}_{count}"
        amount = number(segment, 2)
        self.line.quantities[key] = 0.0 if amount is None else amount
        self.unit_for = key
        self._unit(text(segment, 3))

    def on_uit(self, segment):
        self._unit(text(segment, 1))

    def _unit(self, unit):
        """The unit of the quantity just read, the line's when it is the on-hand one."""
        if self.line is not None and self.unit_for in ON_HAND and unit and not self.line.uom:
            self.line.uom = unit

    def on_ctt(self, _segment):
        self.close_line()

    def close_line(self):
        """The LIN loop done: its on-hand quantity chosen, the line ready in ``done``."""
        line, self.line, self.unit_for = self.line, None, None
        if line is None:
            return
        on_hand = next((kind for kind in ON_HAND if kind in line.quantities), None)
        if on_hand is None:
            found = ", ".join(line.quantities) or "none"
            what = f"{line.product_code!r} gives no on-hand quantity (QTY01 17, 33 or 34), "
            self.problems.append(("LIN", self.line_position, f"{what}only: {found}"))
            return
        line.quantity = line.quantities[on_hand]
        self.done.append(line)


def read_inventory(source):
    """Yield ``(snapshot, line)`` for each line of every 846 of ``source`` (bytes, text, a
    binary file or an iterator of chunks) as it is read, then ``(snapshot, None)`` when the
    set ends. ``snapshot`` (its heading values; its ``lines`` left empty) is the same object
    for every line of a set. ParseError on bad input (see the module doc)."""
    tokens = _Tokenizer(text_chunks(source))
    while (header := tokens.next_header()) is not None:
        delimiters = header[0]
        state = _Stream(delimiters)
        for raw in tokens.segments(delimiters):
            yield from state.take(raw)
        yield from state.end_set()


class _Stream:
    """The 846 being read in an interchange, segment by segment."""

    def __init__(self, delimiters):
        self.delimiters = delimiters
        self.reader, self.position, self.control_number = None, 0, ""

    def take(self, raw):
        """Yield what segment ``raw`` completes."""
        elements = raw.split(self.delimiters.element)
        tag = elements[0].strip().upper()
        if tag == "ST":
            yield from self.end_set()
            if element_text(elements, 1).strip() == KIND:
                self.reader = _InventoryReader(self.delimiters.terminator)
                self.position, self.control_number = 1, element_text(elements, 2).strip()
        elif tag == "SE":
            yield from self.end_set()
        elif self.reader is not None:
            component = self.delimiters.component
            segment = [tag] + [split_components(value, component) for value in elements[1:]]
            self.position += 1
            self._feed(segment)
            yield from self._lines()

    def _feed(self, segment):
        self.reader.check(segment, self.position)
        try:
            if segment[0] == "LIN":
                self.reader.on_lin(segment, self.position)
            else:
                self.reader.feed(segment)
        except ValueError as exc:
            self._fail(SegmentError(segment[0], self.position, exc))

    def _lines(self):
        snapshot = self.reader.snapshot
        for line in self.reader.done:
            yield snapshot, line
        self.reader.done.clear()

    def end_set(self):
        """Yield the last line and the end of the set being read, if any."""
        reader = self.reader
        if reader is None:
            return
        reader.close_line()
        if reader.problems:
            self._refuse(reader.problems)
        yield from self._lines()
        self.reader = None
        yield reader.snapshot, None

    def _fail(self, error):
        raise error.parse_error(KIND, self.control_number, FORMAT) from None

    def _refuse(self, problems):
        problems = sorted(problems, key=lambda problem: problem[1])
        listed = "; ".join(f"segment {at} ({tag}): {what}" for tag, at, what in problems)
        tag, position, _what = problems[0]
        raise ParseError(
            f"{KIND} set {self.control_number} refused, {len(problems)} malformed "
            f"segment(s), quantities would be lost: {listed}",
            format=FORMAT,
            segment=tag,
            position=position,
        )


class InventoryAdviceCodec(TransportSetCodec, name=FORMAT):
    """ANSI X12 846 Inventory Inquiry/Advice: a warehouse's stock, read as a stream.

    An :class:`InventorySnapshot` per set, read as a stream and written as one (the sandbox
    3PL writes them).
    """

    kind = KIND

    def documents(self, objects):
        """One 846 body per InventorySnapshot of ``objects``, each a generator of segments."""
        from .writers import inventory_segments  # the writers read this module's codes

        return [inventory_segments(obj) for obj in objects]

    def parse(self, data):
        """The snapshots of every 846 of ``data``, their lines collected."""
        snapshots = []
        for snapshot, line in read_inventory(data):
            if line is None:
                snapshots.append(snapshot)
            else:
                snapshot.lines.append(line)
        if not snapshots:
            raise ParseError(f"no {KIND} transaction set in the interchange", format=self.name)
        return snapshots

    def references(self, obj):
        """The warehouse's reference of the report (BIA03)."""
        return (obj.partner_reference,)
