"""The ``billing`` scenario's data: a carrier's X12 210 freight invoices for delivered
transport orders, each message one invoice (one set) in an interchange of its own, as the
flow ``billing.invoice.210`` stores it.

Each order's estimate is ``1,000 + index % 500``; its invoice bills exactly that as freight
(code ``400``), and one invoice in :data:`VARIANCE_EVERY` adds a liftgate nobody ordered
(``LFT`` 75.00): the audit leaves those in *variance* and approves the others.

``python bench/billing.py ORDER`` prints one of them.
"""

import sys
from datetime import date, datetime, timezone
from decimal import Decimal

from logistics_adapters import canonical as c
from logistics_adapters.formats import x12
from logistics_adapters.formats.x12.billing import invoice_segments

#: The carrier's and our identifiers in the bench's interchanges.
SCAC = "BNCH"
PARTNER = ("ZZ", SCAC)
US = ("ZZ", "BENCHODOO")
#: One invoice in VARIANCE_EVERY has an unexpected liftgate (its index a multiple of it).
VARIANCE_EVERY = 10
LIFTGATE = Decimal("75.00")
INVOICE_DATE = date(2026, 12, 1)
WHEN = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
#: First order number of the baseline's own orders (the engine's start at 0).
BASELINE_FIRST = 500000


def order_name(index):
    return f"BFO{index:07d}"


def pro_number(index):
    return f"PRO{index:09d}"


def invoice_number(index):
    return f"{SCAC}-{index:08d}"


def estimated_cost(index):
    return 1000 + index % 500


def has_variance(index):
    return index % VARIANCE_EVERY == 0


def invoice(index):
    """The carrier's invoice of order ``index`` (canonical)."""
    charges = [
        c.Charge(
            code="400",
            amount=Decimal(estimated_cost(index)),
            description="Freight",
            code_list=c.CODE_LIST_X12_150,
        )
    ]
    if has_variance(index):
        charges.append(
            c.Charge(
                code="LFT", amount=LIFTGATE, description="Liftgate", code_list=c.CODE_LIST_X12_150
            )
        )
    return c.FreightInvoice(
        invoice_number=invoice_number(index),
        invoice_date=INVOICE_DATE,
        carrier=SCAC,
        currency="USD",
        charges=charges,
        references={"pro": pro_number(index)},
    )


def invoice_payload(index):
    """The 210 of order ``index`` in an interchange of its own (bytes); control numbers
    unique per order."""
    return x12.render_sets(
        "210",
        [invoice_segments(invoice(index))],
        sender=PARTNER,
        receiver=US,
        control_numbers=lambda _level: index + 1,
        delimiters=x12.Delimiters(suffix="\n"),
        when=WHEN,
    )


if __name__ == "__main__":
    sys.stdout.write(invoice_payload(int(sys.argv[1])).decode())
