"""The ``x12-110`` codec: Air Freight Details and Invoice <-> :class:`FreightInvoice` (``mode``
``air``), one per set, read as :mod:`.common` says and written back the same way.

* Every ``LX`` loop is a :class:`FreightShipment` (the 110's detail is one loop per
  shipment): its ``N1`` shipper and consignee, ``N9`` references (``AW``, the air waybill,
  as ``airbill``: with ``2I`` its tracking numbers), ``P1`` (P102 ``ship_date``, the
  pick-up), ``R1`` routing (R103 ``origin``, the last airport of R105, R107... R113
  ``destination``), ``POD`` (POD01 ``delivery_date``), the ``L5`` loops' ``L0`` (weight,
  pieces) and ``L1`` charges.
* ``B3A`` (invoice type), ``ACS`` (ancillary charges), ``L4``, ``L10``, ``SL1``, ``NTE`` and
  ``K1`` are not read.

Written (:func:`air_invoice_segments`, a carrier's side: the tests' and the sandbox's), in
the order of the X12 004010 110: the heading as the 210's (``B3`` with the invoice number,
``shipment_reference``, payment code, invoice date, ``total`` or else the charges' sum, the
delivery date qualified ``035``, the SCAC; ``C3``; ``ITD`` with the due date; the ``N1``
loops of the parties, then ``N9`` for each reference and ``N9*2I`` for a tracking number no
shipment gives); one ``LX`` loop per shipment (``N1`` shipper and consignee, ``P1`` with
the ship date qualified ``011`` shipped, ``R1`` with the SCAC, the origin airport and the
destination one, ``POD``, ``N9``, then one ``L5`` loop: ``L5``, ``L0`` with the weight in
kilograms and the pieces, ``L1`` per charge, amounts with two implied decimals and a
leading minus for a discount); ``L3`` with the weight and the charges' sum. Not written,
as the model does not keep them: the flight's air carrier (R104, mandatory in the guides,
left empty), who signed for the delivery (POD03), a lading description. What a 110 cannot
say is refused (ValueError): a mode other than air, an invoice without shipments, charges
of the invoice's own (a 110 bills its airbills; the summary's ``ACS`` is neither written
nor read), a shipment without references, with a service level, or with only one end of
its route.
"""

from ....canonical import CODE_LIST_X12_150, FreightInvoice
from ..transport.common import text, trimmed
from .common import (
    TRACKING_NUMBER,
    InvoiceCodec,
    InvoiceReader,
    day,
    day_text,
)
from .motor import (
    INVOICE_ROLES,
    SHIPMENT_ROLES,
    heading_segments,
    l0_segment,
    l1_segment,
    l3_segment,
    n9_segments,
    party_loops,
)

FORMAT = "x12-110"
AIR = "air"
AIRBILL = "airbill"
#: R1 elements naming airports, origin first.
_AIRPORTS = (3, 5, 7, 9, 11, 13)
#: P103, the date/time qualifier (element 374) written with the ship date: shipped.
SHIPPED = "011"
#: The lading line (L501) each shipment's weight and charges are written under.
LADING_LINE = "1"
TRACKING_KINDS = (TRACKING_NUMBER, AIRBILL)


class AirInvoiceReader(InvoiceReader):
    """Reads the body of one 110."""

    mode = AIR
    shipment_tracking_kinds = TRACKING_KINDS
    invoice_tracking_kinds = TRACKING_KINDS

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


# -- writing -------------------------------------------------------------------------------


def air_invoice_segments(invoice):
    """The body segments (without ST/SE) of the 110 of ``invoice``, an airbill per shipment;
    ValueError names what a 110 cannot say (see the module doc)."""
    _check_invoice(invoice)
    segments = heading_segments(invoice)
    segments += party_loops(invoice, INVOICE_ROLES)
    covered = [number for shipment in invoice.shipments for number in shipment.tracking_numbers]
    tracking = [invoice.tracking_number, *invoice.tracking_numbers]
    segments += n9_segments(invoice, TRACKING_KINDS, covered, tracking)
    for number, shipment in enumerate(invoice.shipments, start=1):
        segments += _airbill_segments(shipment, number, invoice.carrier)
    segments.append(l3_segment(invoice))
    return trimmed(segments)


def _check_invoice(invoice):
    if invoice.mode not in ("", AIR):
        raise ValueError(f"a 110 invoices air freight, not {invoice.mode!r}")
    if not invoice.shipments:
        raise ValueError("a 110 bills airbills (an LX loop each): this invoice has no shipment")
    if invoice.charges:
        raise ValueError(
            "a 110 bills its airbills: the invoice's own charges have no place (put them on "
            "a shipment)"
        )


def _airbill_segments(shipment, number, carrier):
    """The ``LX`` loop ``number`` of ``shipment``, flown by ``carrier`` (a SCAC)."""
    references = n9_segments(shipment, TRACKING_KINDS)
    if not references:
        raise ValueError("a 110 shipment is named by its airbill (N9*AW): this one has none")
    if shipment.service:
        raise ValueError(f"a 110 has no service level: shipment service {shipment.service!r}")
    segments = [["LX", str(number)], *party_loops(shipment, SHIPMENT_ROLES)]
    if shipment.ship_date:
        segments.append(["P1", "", day_text(shipment.ship_date), SHIPPED])
    if shipment.origin or shipment.destination:
        segments.append(_r1(shipment, carrier))
    if shipment.delivery_date:
        segments.append(["POD", day_text(shipment.delivery_date)])
    segments += [*references, ["L5", LADING_LINE]]
    if shipment.weight_kg is not None or shipment.pieces is not None:
        segments.append(l0_segment(LADING_LINE, shipment))
    segments += [_l1(charge) for charge in shipment.charges]
    return segments


def _r1(shipment, carrier):
    if not (shipment.origin and shipment.destination):
        raise ValueError(
            "an R1 routes from an airport (R103) to another (R105): give the shipment both "
            f"its origin and its destination, not {shipment.origin!r} and "
            f"{shipment.destination!r}"
        )
    return ["R1", carrier, "", shipment.origin, "", shipment.destination]


def _l1(charge):
    if charge.code_list not in ("", CODE_LIST_X12_150):
        raise ValueError(
            f"charge code {charge.code!r} is of list {charge.code_list!r}: a 110 (L108) "
            "holds X12 element 150 codes"
        )
    return l1_segment(LADING_LINE, charge)


class AirFreightInvoiceCodec(InvoiceCodec, name=FORMAT):
    """ANSI X12 110 Air Freight Details and Invoice: airbills, charges, totals.

    A :class:`FreightInvoice` (mode ``air``) per set, each airbill a shipment; read and
    written (carriers write them: the tests' and the sandbox's).
    """

    kind = "110"
    reader = AirInvoiceReader

    def documents(self, objects):
        """One 110 body per FreightInvoice of ``objects``."""
        for obj in objects:
            if not isinstance(obj, FreightInvoice):
                raise ValueError(f"a 110 is written from FreightInvoice objects, not {obj!r}")
        return [air_invoice_segments(obj) for obj in objects]
