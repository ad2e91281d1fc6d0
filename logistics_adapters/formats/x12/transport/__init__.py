"""X12 transport sets: the ``x12-204`` (load tender), ``x12-990`` (response to a load tender)
and ``x12-214`` (shipment status) codecs, registered on import.

Each codec reads every set of its kind in an interchange, or one set wrapped alone as
:mod:`logistics_adapters.formats.interchange` hands it on, and writes canonical objects back:
``documents(objects)`` gives the body segments of each set for
``formats.interchange.render`` (the Odoo side's envelope and control numbers), ``render`` a
whole test interchange. The module functions do the same for one object:
:func:`tender_segments`, :func:`response_segments`, :func:`status_segments`.
"""

from . import statuses
from .load_tender import LoadTenderCodec, read_tender, tender_segments
from .shipment_status import ShipmentStatusCodec, read_statuses, shipments, status_segments
from .tender_response import TenderResponseCodec, read_response, response_segments

__all__ = [
    "LoadTenderCodec",
    "ShipmentStatusCodec",
    "TenderResponseCodec",
    "read_response",
    "read_statuses",
    "read_tender",
    "response_segments",
    "shipments",
    "status_segments",
    "statuses",
    "tender_segments",
]
