"""ANSI X12: streaming reader with envelope checks, writer, 997 / 999 / TA1 acknowledgements.

Standard-neutral objects (``Unit``, ``Group``, ``Interchange``, ``Discrepancy``) come from
:mod:`logistics_adapters.formats.edi`; importing this package registers the ``x12`` codec and
the transport sets' codecs of :mod:`.transport` (``x12-204``, ``x12-990``, ``x12-214``) and
the warehouse sets' of :mod:`.warehouse` (``x12-940``, ``x12-943``, ``x12-945``, ``x12-856``,
``x12-944``, ``x12-846``) and the freight invoices' of :mod:`.billing` (``x12-210``,
``x12-110``).
"""

from . import codes
from .ack import (
    ElementError,
    GroupAck,
    InterchangeAck,
    SegmentError,
    SetAck,
    acknowledge,
    AckSummary,
    GroupVerdict,
    acknowledge_each,
    acknowledge_summaries,
    read_acknowledgements,
    sequential_numbers,
)
from .codec import X12Codec
from .reader import InterchangeSegment, Reading, X12Reader, read, read_header
from .syntax import Delimiters
from .writer import FUNCTIONAL_IDS, Envelope, FunctionalGroup, TransactionSet, render, render_sets
from . import transport  # registers the transport sets' codecs
from . import warehouse  # registers the warehouse sets' codecs
from . import billing  # registers the freight invoices' codecs

__all__ = [
    "FUNCTIONAL_IDS",
    "AckSummary",
    "Delimiters",
    "ElementError",
    "Envelope",
    "FunctionalGroup",
    "GroupAck",
    "GroupVerdict",
    "InterchangeAck",
    "InterchangeSegment",
    "Reading",
    "SegmentError",
    "SetAck",
    "TransactionSet",
    "X12Codec",
    "X12Reader",
    "acknowledge",
    "acknowledge_each",
    "acknowledge_summaries",
    "billing",
    "codes",
    "read",
    "read_acknowledgements",
    "read_header",
    "render",
    "render_sets",
    "sequential_numbers",
    "transport",
]
