"""What the X12 freight invoices share (210 motor carrier, 110 air freight): the heading, the
charge lines, the totals, implied decimals, and the reader both sets' readers build on.

* ``B3``: B302 ``invoice_number`` (required), B303 ``shipment_reference`` (also the
  ``shipment_id`` reference), B304 ``payment_method`` (``PP`` prepaid, ``CC`` collect, ``TP``
  third party; another code as given), B305 the weight unit of weights without their own,
  B306 ``invoice_date``, B307 ``total`` (the net amount due), B309 ``delivery_date``, B311
  ``carrier`` (SCAC). B312, a date the standard does not name, is not read.
* ``C3``: C301 ``currency``. ``ITD``: ITD06 ``due_date``, else the invoice date plus ITD07
  net days.
* ``N9`` references by kind (:data:`REFERENCE_QUALIFIERS`: ``CN`` ``pro``, ``BM``
  ``bill_of_lading``, ``PO`` ``purchase_order``, ``2I`` ``tracking_number``, ``AW``
  ``airbill``...; another qualifier as its own kind): the invoice's before the first ``LX``,
  the loop's inside one.
* ``N1`` loops: ``BT`` ``bill_to``, ``SH`` / ``SF`` ``ship_from``, ``CN`` / ``ST``
  ``ship_to`` of the invoice, or inside an ``LX`` loop of its shipment (N102 the company,
  ``N2`` the name of a person, ``N3`` the street, a second ``N3`` going to ``street2``,
  ``N4``, ``G61``); other parties (the carrier, ``ZZ``) are not kept.
* ``LX`` loops: each one a shipment or lines of the invoice, as the set's reader decides
  (:meth:`InvoiceReader.is_shipment`). ``L0``: L004 weight (L011 its unit), L008 pieces,
  added up over the loop's ``L0``. ``L1`` a :class:`Charge`: L108 ``code`` (X12 element 150,
  ``code_list`` ``x12-150``), L104 ``amount`` (required), L102 ``rate`` and L103
  ``rate_qualifier``, L112 ``description``, L117 ``quantity``. An ``L1`` outside any loop
  (after ``L3``) is the invoice's.
* ``L3``: L301 the invoice's ``weight_kg`` (L312 its unit); L305 the charges' total, the
  ``total`` when B307 gives none.
* Amounts (B307, L104, L305: X12 type N2) have two implied decimals and a leading minus
  for negatives: ``5165`` is 51.65, ``-1274`` is -12.74. One written with a decimal point is
  refused, naming the element: which of the two it means is not ours to guess. Rates (L102,
  type R) are written as they are (``51.65``).
* Weights: unit ``K`` is kilograms, ``L`` (and no unit at all, the US carriers' habit)
  pounds.
* Tracking numbers: the ``tracking_number`` references, and those kinds the set's reader
  adds (:attr:`InvoiceReader.shipment_tracking_kinds`), each once, the invoice's gathering
  its shipments'; ``tracking_number`` is the first of them.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from ....canonical import CODE_LIST_X12_150, Charge, FreightInvoice, FreightShipment
from ..transport.common import REFERENCE_QUALIFIERS as TRANSPORT_REFERENCES
from ..transport.common import (
    TransportSetCodec,
    add_reference,
    in_kg,
    integer,
    moment,
    new_party,
    number,
    read_party_segment,
    text,
)
from ..warehouse.common import SetReader, payment_method

#: Reference qualifiers (element 128) -> reference kinds: the transport sets' and ``airbill``.
REFERENCE_QUALIFIERS = {**TRANSPORT_REFERENCES, "AW": "airbill"}
SHIPMENT_ID = "shipment_id"
TRACKING_NUMBER = "tracking_number"
#: N101 entity codes -> the party fields of an invoice (and of a shipment, ``bill_to`` aside).
PARTY_FIELDS = {"BT": "bill_to", "SH": "ship_from", "SF": "ship_from"}
PARTY_FIELDS |= {"CN": "ship_to", "ST": "ship_to"}
PARTY_TAGS = frozenset({"N2", "N3", "N4", "G61"})
#: Weight unit codes (element 188) read; anything else is pounds.
KILOGRAMS, POUNDS = "K", "L"
#: B310 date qualifier written with the delivery date: delivered.
DELIVERED = "035"
#: ITD01 basic terms, ITD02 from the invoice date.
BASIC_TERMS, FROM_INVOICE_DATE = "01", "3"
_N2 = re.compile(r"-?[0-9]+")
_RATE = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_CENT = Decimal("0.01")
#: Net days (ITD07) beyond ten years are no payment term.
_LONGEST_TERMS = 3660
#: Amounts this large are no freight charge.
_LARGEST = Decimal(10) ** 15


# -- elements ------------------------------------------------------------------------------


def _name(segment, index):
    return f"{segment[0]}{index:02d}"


def amount(segment, index):
    """Element ``index`` as an amount with two implied decimals (X12 type N2), None when
    empty; ValueError names a bad one."""
    value = text(segment, index)
    if not value:
        return None
    if not _N2.fullmatch(value) or len(value) > 18:
        raise ValueError(
            f"{_name(segment, index)} {value!r} is not an amount in cents (two implied "
            "decimals, no decimal point)"
        )
    return Decimal(value).scaleb(-2)


def rate(segment, index):
    """Element ``index`` as a decimal number (X12 type R), None when empty."""
    value = text(segment, index)
    if not value:
        return None
    if not _RATE.fullmatch(value) or abs(Decimal(value)) >= _LARGEST:
        raise ValueError(f"{_name(segment, index)} {value!r} is not a number")
    return Decimal(value)


def day(segment, index):
    """Element ``index`` as a date (CCYYMMDD), None when empty."""
    found = moment(segment, index, None)
    return None if found is None else found.date()


def amount_text(value):
    """``value`` as an N2 element (in cents); ValueError when it has fractions of a cent."""
    if value is None:
        return ""
    cents = value.quantize(_CENT)
    if cents != value:
        raise ValueError(f"amount {value} has fractions of a cent: an X12 amount cannot say it")
    return str(int(cents.scaleb(2)))


def rate_text(value):
    """``value`` (a Decimal) as an R element: no exponent."""
    return "" if value is None else format(value, "f")


def day_text(value):
    """A date as CCYYMMDD, ``""`` for None."""
    return "" if value is None else value.strftime("%Y%m%d")


def charge_of(segment):
    """The Charge of an L1 segment (see the module doc)."""
    found = amount(segment, 4)
    if found is None:
        raise ValueError("L104 (charge) is empty")
    code = text(segment, 8)
    return Charge(
        code,
        found,
        text(segment, 12),
        number(segment, 17),
        rate(segment, 2),
        CODE_LIST_X12_150 if code else "",
        text(segment, 3),
    )


def distinct(values):
    """``values`` without empty ones and repeats, in order."""
    return [value for value in dict.fromkeys(values) if value]


def kind_base(kind):
    """A reference kind without its ``_2``, ``_3``... suffix."""
    base, _sep, rank = kind.rpartition("_")
    return base if base and rank.isdigit() else kind


# -- reading -------------------------------------------------------------------------------


@dataclass
class _Loop:
    """An ``LX`` loop being read: the shipment it may be, and whether it names one."""

    shipment: FreightShipment = field(default_factory=FreightShipment)
    named: bool = False


class InvoiceReader(SetReader):
    """Reads the body of one freight invoice set into a :class:`FreightInvoice` (see the
    module doc); a set's reader says what its loops are and adds its own segments."""

    mode = ""
    #: Reference kinds giving the tracking numbers of a shipment (and of the invoice).
    shipment_tracking_kinds = (TRACKING_NUMBER,)
    invoice_tracking_kinds = (TRACKING_NUMBER,)

    def __init__(self):
        self.invoice = FreightInvoice(invoice_number="", mode=self.mode)
        self.unit = POUNDS
        self.loop = None
        self.party = None

    def is_shipment(self, loop):
        """Whether ``loop`` is a shipment (else its charges and parties are the invoice's)."""
        raise NotImplementedError

    def result(self):
        """The invoice read."""
        self.close_loop()
        return [self.finish()]

    @property
    def holder(self):
        """What the segment being read belongs to: the loop's shipment, else the invoice."""
        return self.invoice if self.loop is None else self.loop.shipment

    def on_b3(self, segment):
        invoice = self.invoice
        invoice.invoice_number = text(segment, 2)
        if not invoice.invoice_number:
            raise ValueError("B302 (invoice number) is empty")
        invoice.shipment_reference = text(segment, 3)
        add_reference(invoice.references, SHIPMENT_ID, invoice.shipment_reference)
        invoice.payment_method = payment_method(text(segment, 4))
        self.unit = KILOGRAMS if text(segment, 5) == KILOGRAMS else POUNDS
        invoice.invoice_date = day(segment, 6)
        invoice.total = amount(segment, 7)
        invoice.delivery_date = day(segment, 9)
        invoice.carrier = text(segment, 11)

    def on_c3(self, segment):
        self.invoice.currency = text(segment, 1)

    def on_itd(self, segment):
        invoice = self.invoice
        invoice.due_date = day(segment, 6)
        days = integer(segment, 7)
        if days is not None and not 0 <= days <= _LONGEST_TERMS:
            raise ValueError(f"ITD07 (net days) {days} is no payment term")
        if invoice.due_date is None and days is not None and invoice.invoice_date:
            invoice.due_date = invoice.invoice_date + timedelta(days=days)

    def on_n9(self, segment):
        add_reference(
            self.holder.references, text(segment, 1), text(segment, 2), REFERENCE_QUALIFIERS
        )
        if self.loop is not None:
            self.loop.named = True

    def on_n1(self, segment):
        self.party, _location = new_party(segment)
        name = PARTY_FIELDS.get(text(segment, 1))
        holder = self.holder
        if name and hasattr(holder, name) and getattr(holder, name) is None:
            setattr(holder, name, self.party)

    def other(self, segment):
        party = self.party
        if segment[0] not in PARTY_TAGS or party is None:
            return
        if segment[0] == "N2":
            party.name = party.name or text(segment, 1)
        elif segment[0] == "N3" and party.street:
            lines = (party.street2, text(segment, 1), text(segment, 2))
            party.street2 = ", ".join(line for line in lines if line)
        else:
            read_party_segment(party, segment)

    def on_lx(self, _segment):
        self.close_loop()
        self.loop = _Loop()

    def on_l0(self, segment):
        if self.loop is None:
            return
        shipment = self.loop.shipment
        shipment.weight_kg = _added(shipment.weight_kg, self.weight(segment, 4, 11))
        shipment.pieces = _added(shipment.pieces, integer(segment, 8))

    def on_l1(self, segment):
        self.holder.charges.append(charge_of(segment))

    def on_l3(self, segment):
        self.close_loop()
        invoice = self.invoice
        invoice.weight_kg = self.weight(segment, 1, 12)
        stated = amount(segment, 5)
        invoice.total = stated if invoice.total is None else invoice.total

    def weight(self, segment, value_index, unit_index):
        """A weight element in kilograms, in its unit element's unit or the set's."""
        unit = text(segment, unit_index) or self.unit
        return in_kg(number(segment, value_index), KILOGRAMS if unit == KILOGRAMS else POUNDS)

    def close_loop(self):
        """The loop read: a shipment of the invoice, or lines (charges, parties) of it."""
        loop, self.loop, self.party = self.loop, None, None
        if loop is None:
            return
        invoice, shipment = self.invoice, loop.shipment
        if self.is_shipment(loop):
            invoice.shipments.append(shipment)
            return
        invoice.charges += shipment.charges
        invoice.ship_from = invoice.ship_from or shipment.ship_from
        invoice.ship_to = invoice.ship_to or shipment.ship_to

    def finish(self):
        """The invoice with its tracking numbers (see the module doc)."""
        invoice = self.invoice
        for shipment in invoice.shipments:
            shipment.tracking_numbers = tracking_of(shipment, self.shipment_tracking_kinds)
        found = tracking_of(invoice, self.invoice_tracking_kinds)
        found += [number for s in invoice.shipments for number in s.tracking_numbers]
        invoice.tracking_numbers = distinct(found)
        invoice.tracking_number = next(iter(invoice.tracking_numbers), "")
        return invoice


class InvoiceCodec(TransportSetCodec):
    """A freight invoice set: one :class:`FreightInvoice` per set, read by ``reader``."""

    reader = None

    def read_set(self, segments):
        """The one FreightInvoice of the set's body."""
        return self.reader().read(segments)

    def references(self, obj):
        """The invoice number."""
        return (obj.invoice_number,)


def tracking_of(holder, kinds):
    """The tracking numbers among the references of ``holder`` (those of ``kinds``)."""
    return distinct(value for kind, value in holder.references.items() if kind_base(kind) in kinds)


def _added(total, value):
    """``total`` + ``value``, None counting as nothing (None when both are)."""
    if value is None:
        return total
    return value if total is None else total + value


__all__ = [
    "REFERENCE_QUALIFIERS",
    "InvoiceCodec",
    "InvoiceReader",
    "amount",
    "amount_text",
    "charge_of",
    "day",
    "day_text",
    "rate",
    "rate_text",
]
