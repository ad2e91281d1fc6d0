"""The ``x12-210`` codec: Motor Carrier Freight Details and Invoice <-> :class:`FreightInvoice`,
one per set, read as :mod:`.common` says and written back the same way.

* Shipments: an ``LX`` loop with references of its own (``N9``) or small package details
  (``CD3``) is a :class:`FreightShipment` (a parcel carrier's package, a PRO of a consolidated
  invoice) with its ``L0``, ``L1`` charges and ``N1`` parties; a loop without is lading lines
  of the invoice's one shipment: its charges are the invoice's ``charges``.
* ``mode``: ``parcel`` when the set has small package details (``CD3``: the 210's loops for
  small package carriers), else ``motor``. A parcel shipment's ``CN`` reference (the
  carrier's reference of a package: UPS's ``1Z...``) is one of its tracking numbers, and
  CD305 is its ``service``.

Written (:func:`invoice_segments`, the sandbox carrier's side): ``B3`` (the invoice number,
``shipment_reference``, payment code, invoice date, ``total`` or else the charges' sum, the
delivery date qualified ``035``, the SCAC), ``C3``, ``ITD`` with the due date, ``N9`` for
each reference (the ``shipment_id`` one is B303) and ``N9*2I`` for a tracking number they do
not give, the ``N1`` loops of the parties; an ``LX`` loop of the invoice's own charges, then
one per shipment (``N9``, ``L0`` with the weight in kilograms and the pieces, ``L1``,
``N1``, ``CD3`` with the service of a parcel shipment); ``L3`` with the weight and the
charges' sum. A charge is written with its ``code`` in L108, its quantity nowhere: X12
pairs it with a qualifier the model does not keep. Not written either: a shipment's dates,
origin and destination (a 210 has no place for them).
"""

from ....canonical import CODE_LIST_X12_150, FreightInvoice
from ..transport.common import (
    integer_text,
    number_text,
    party_segments,
    qualifier_of,
    text,
    trimmed,
)
from ..warehouse.common import PAYMENT_CODES
from .common import (
    BASIC_TERMS,
    DELIVERED,
    FROM_INVOICE_DATE,
    KILOGRAMS,
    REFERENCE_QUALIFIERS,
    SHIPMENT_ID,
    TRACKING_NUMBER,
    InvoiceCodec,
    InvoiceReader,
    amount_text,
    day_text,
    distinct,
    rate_text,
    tracking_of,
)

FORMAT = "x12-210"
PARCEL, MOTOR = "parcel", "motor"
CARRIER_REFERENCE = "pro"
INVOICE_ROLES = (("BT", "bill_to"), ("SH", "ship_from"), ("CN", "ship_to"))
SHIPMENT_ROLES = INVOICE_ROLES[1:]
PIECES = "PCS"
GROSS = "G"


class MotorInvoiceReader(InvoiceReader):
    """Reads the body of one 210."""

    mode = MOTOR

    def is_shipment(self, loop):
        return loop.named

    def on_cd3(self, segment):
        if self.loop is not None:
            self.loop.named = True
            self.loop.shipment.service = self.loop.shipment.service or text(segment, 5)
        self.invoice.mode = PARCEL

    @property
    def shipment_tracking_kinds(self):
        return tracking_kinds(self.invoice.mode == PARCEL)


def tracking_kinds(parcel):
    """The reference kinds giving a shipment's tracking numbers (see the module doc)."""
    return (TRACKING_NUMBER, CARRIER_REFERENCE) if parcel else (TRACKING_NUMBER,)


def read_invoice(segments):
    """The :class:`FreightInvoice` of one 210's body (without ST/SE)."""
    (invoice,) = MotorInvoiceReader().read(segments)
    return invoice


# -- writing -------------------------------------------------------------------------------


def invoice_segments(invoice):
    """The body segments (without ST/SE) of the 210 of ``invoice``; ValueError names what a
    210 cannot say."""
    parcel = _check_mode(invoice)
    segments = heading_segments(invoice)
    covered = [number for shipment in invoice.shipments for number in shipment.tracking_numbers]
    tracking = [invoice.tracking_number, *invoice.tracking_numbers]
    segments += n9_segments(invoice, (TRACKING_NUMBER,), covered, tracking)
    segments += party_loops(invoice, INVOICE_ROLES)
    number = 0
    if invoice.charges:
        number += 1
        segments += [["LX", str(number)], *(l1_segment(number, c) for c in invoice.charges)]
    for shipment in invoice.shipments:
        number += 1
        segments += _shipment_segments(shipment, parcel, number)
    segments.append(l3_segment(invoice))
    return trimmed(segments)


def _check_mode(invoice):
    """Whether ``invoice`` is written as a parcel invoice; ValueError when its mode and its
    shipments' services disagree (a 210 says parcel by them)."""
    if invoice.mode not in ("", MOTOR, PARCEL):
        raise ValueError(f"a 210 invoices motor or parcel freight, not {invoice.mode!r}")
    services = any(shipment.service for shipment in invoice.shipments)
    if invoice.mode == PARCEL and not services:
        raise ValueError("a parcel 210 says so by its shipments' CD3 service level: none has one")
    if invoice.mode != PARCEL and services:
        raise ValueError(f"a {invoice.mode or MOTOR} 210 has no small package details (CD3)")
    return invoice.mode == PARCEL


def heading_segments(invoice):
    """B3, then C3 (currency) and ITD (due date) when the invoice has them: the heading of
    a 210 as of a 110."""
    segments = [b3_segment(invoice)]
    if invoice.currency:
        segments.append(["C3", invoice.currency])
    if invoice.due_date:
        due = day_text(invoice.due_date)
        segments.append(["ITD", BASIC_TERMS, FROM_INVOICE_DATE, "", "", "", due])
    return segments


def b3_segment(invoice):
    payment = PAYMENT_CODES.get(invoice.payment_method, invoice.payment_method)
    total = invoice.charges_total() if invoice.total is None else invoice.total
    delivered = day_text(invoice.delivery_date)
    shipment_id = invoice.shipment_reference or invoice.references.get(SHIPMENT_ID, "")
    return [
        "B3",
        "",
        invoice.invoice_number,
        shipment_id,
        payment,
        "",
        day_text(invoice.invoice_date),
        amount_text(total),
        "",
        delivered,
        DELIVERED if delivered else "",
        invoice.carrier,
    ]


def n9_segments(holder, kinds, covered=(), tracking=None):
    """``N9`` segments of the references of ``holder`` (its ``shipment_id`` aside, written in
    B3), then ``N9*2I`` for each of ``tracking`` that neither they (as ``kinds``) nor
    ``covered`` give."""
    segments = []
    for kind, value in holder.references.items():
        if kind != SHIPMENT_ID:
            segments.append(["N9", qualifier_of(kind, REFERENCE_QUALIFIERS), value])
    given = set(tracking_of(holder, kinds)) | set(covered)
    tracking = holder.tracking_numbers if tracking is None else tracking
    qualifier = qualifier_of(TRACKING_NUMBER, REFERENCE_QUALIFIERS)
    segments += [["N9", qualifier, number] for number in distinct(tracking) if number not in given]
    return segments


def party_loops(holder, roles):
    segments = []
    for code, name in roles:
        address = getattr(holder, name)
        if address is not None:
            segments += party_segments(code, address)
    return segments


def _shipment_segments(shipment, parcel, number):
    """The ``LX`` loop ``number`` of ``shipment``."""
    references = n9_segments(shipment, tracking_kinds(parcel))
    if not references and not shipment.service:
        raise ValueError("a 210 shipment is named by its references (N9): this one has none")
    segments = [["LX", str(number)], *references]
    if shipment.weight_kg is not None or shipment.pieces is not None:
        segments.append(l0_segment(number, shipment))
    segments += [l1_segment(number, charge) for charge in shipment.charges]
    segments += party_loops(shipment, SHIPMENT_ROLES)
    if shipment.service:
        segments.append(["CD3", "", "", "", "", shipment.service])
    return segments


def l0_segment(number, shipment):
    weight, pieces = number_text(shipment.weight_kg), integer_text(shipment.pieces)
    weighed = ["", "", weight, GROSS, "", ""] if weight else [""] * 6
    counted = [pieces, PIECES] if pieces else ["", ""]
    return ["L0", str(number), *weighed, *counted, "", KILOGRAMS if weight else ""]


def l1_segment(number, charge):
    if charge.code_list not in ("", CODE_LIST_X12_150):
        raise ValueError(
            f"charge code {charge.code!r} is of list {charge.code_list!r}: a 210 (L108) "
            "holds X12 element 150 codes"
        )
    return [
        "L1",
        str(number),
        rate_text(charge.rate),
        charge.rate_qualifier,
        amount_text(charge.amount),
        "",
        "",
        "",
        charge.code,
        "",
        "",
        "",
        charge.description,
    ]


def l3_segment(invoice):
    weight = number_text(invoice.weight_kg)
    charges = amount_text(invoice.charges_total())
    unit = KILOGRAMS if weight else ""
    return ["L3", weight, GROSS if weight else "", "", "", charges, "", "", "", "", "", "", unit]


class MotorFreightInvoiceCodec(InvoiceCodec, name=FORMAT):
    """ANSI X12 210 Motor Carrier Freight Details and Invoice: charges, shipments, totals.

    A :class:`FreightInvoice` per set, read and written (the sandbox carrier writes them).
    """

    kind = "210"
    reader = MotorInvoiceReader

    def documents(self, objects):
        """One 210 body per FreightInvoice of ``objects``."""
        for obj in objects:
            if not isinstance(obj, FreightInvoice):
                raise ValueError(f"a 210 is written from FreightInvoice objects, not {obj!r}")
        return [invoice_segments(obj) for obj in objects]
