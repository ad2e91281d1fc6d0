"""The ``tms`` scenario's data: a carrier's X12 214 status messages for transport orders,
each message one set (one milestone) wrapped alone in its interchange, as
``formats.interchange`` hands a set on and as the flow ``tms.status`` stores it.

``python bench/tms.py ORDER STEP`` prints one of them.
"""

import sys
from datetime import datetime, timedelta, timezone

from logistics_adapters import canonical as c
from logistics_adapters.formats import x12
from logistics_adapters.formats.x12 import transport as x12_transport

#: The carrier's and our identifiers in the bench's interchanges.
SCAC = "BNCH"
PARTNER = ("ZZ", SCAC)
US = ("ZZ", "BENCHODOO")
#: The AT7 status codes of an order's milestones, in the order they are reported: at the
#: pickup, departed, terminals and departures on the way, en route, at the consignee,
#: unloaded (``delivered``). Each is a milestone of its own (its own time).
STEPS = ("X3", "AF", "X4", "P1", "X4", "P1", "X4", "X6", "X1", "D1")
#: The first milestone's time; each next one an hour later.
BASE = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)
#: First order number of the baseline's own orders (the set-based run's start at 0).
BASELINE_FIRST = 500000


def order_name(index):
    return f"BTO{index:07d}"


def pro_number(index):
    return f"PRO{index:09d}"


def milestone(index, step):
    """The ``step``-th milestone (0-9) of order ``index``."""
    return c.Milestone(
        reference=order_name(index),
        status="unknown",  # the 214 says only the code; the reader maps it
        partner_status=STEPS[step],
        occurred_at=BASE + timedelta(hours=step),
        tracking_number=pro_number(index),
        carrier=SCAC,
        location="CHICAGO, IL, US",
    )


def status_payload(index, step):
    """One 214 (one milestone) of order ``index`` in an interchange of its own (bytes);
    control numbers unique per order and step."""
    control = index * len(STEPS) + step + 1
    return x12.render_sets(
        "214",
        [x12_transport.status_segments([milestone(index, step)])],
        sender=PARTNER,
        receiver=US,
        control_numbers=lambda _level: control,
        delimiters=x12.Delimiters(suffix="\n"),
        when=BASE,
    )


if __name__ == "__main__":
    sys.stdout.write(status_payload(int(sys.argv[1]), int(sys.argv[2])).decode())
