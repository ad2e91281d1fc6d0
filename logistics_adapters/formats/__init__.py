"""Standards shared by many partners, with no partner name in them.

Importing this package registers their codecs (``canonical-json``, ``x12``, ``edifact`` and
its transport messages, the ocean formats of :mod:`.ocean`, the freight invoices of
:mod:`.freight_invoice_json` and :mod:`.csv_invoice`, the WCO customs declarations and
notifications of :mod:`.wco`);
:mod:`.interchange` is the one door of the Odoo core to both EDI standards; :mod:`.json` is
the one JSON reader of every JSON codec and :mod:`.tracking` what every tracking codec shares.
"""

from . import (
    canonical_json,
    csv_invoice,
    edifact,
    freight_invoice_json,
    interchange,
    ocean,
    wco,
    x12,
)

__all__ = [
    "canonical_json",
    "csv_invoice",
    "edifact",
    "freight_invoice_json",
    "interchange",
    "ocean",
    "wco",
    "x12",
]
