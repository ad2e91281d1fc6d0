"""X12 freight invoices, registered on import: ``x12-210`` (Motor Carrier Freight Details and
Invoice) and ``x12-110`` (Air Freight Details and Invoice), each read and written, each set
as one :class:`FreightInvoice` with its shipments and charges (:mod:`.common` says how they
read); and X12 element 150, the published special charge codes (:mod:`.charge_codes`).

As in :mod:`..transport`, each codec reads every set of its kind in an interchange, or one
set handed on alone, and gives ``documents(invoices)`` (the body segments of each set, for
``formats.interchange.render``) and ``render`` (a whole test interchange).
:func:`invoice_segments` writes one 210 body and :func:`air_invoice_segments` one 110 body,
:func:`read_invoice` and :func:`read_air_invoice` read one body.
"""

from .air import AirFreightInvoiceCodec, air_invoice_segments, read_air_invoice
from .charge_codes import SPECIAL_CHARGE_CODES, UnknownChargeCode, charge_code_label
from .motor import MotorFreightInvoiceCodec, invoice_segments, read_invoice

__all__ = [
    "SPECIAL_CHARGE_CODES",
    "AirFreightInvoiceCodec",
    "MotorFreightInvoiceCodec",
    "UnknownChargeCode",
    "air_invoice_segments",
    "charge_code_label",
    "invoice_segments",
    "read_air_invoice",
    "read_invoice",
]
