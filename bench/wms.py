"""The ``wms`` scenario's data: a 3PL's X12 846 of its whole stock, one line per product,
its counts drifting from Odoo's on every tenth product, as the flow ``wms.inventory``
stores it (one set, wrapped alone in its interchange).

``python bench/wms.py LINES`` prints it.
"""

import sys
from datetime import datetime, timezone

from logistics_adapters.formats import x12

PARTNER = ("ZZ", "BENCH3PL")
US = ("ZZ", "BENCHODOO")
#: Every DRIFT_EVERY-th product is counted DRIFT fewer than Odoo holds.
DRIFT_EVERY, DRIFT = 10, 3
#: Odoo's quantity of every product.
ON_HAND = 100


def product_code(index):
    return f"BW{index:07d}"


def inventory_payload(lines):
    """The 846 of ``lines`` products: on hand ON_HAND, less DRIFT every DRIFT_EVERY-th."""
    taken = datetime.now(timezone.utc)
    body = [["BIA", "00", "MM", "BENCH-INV", taken.strftime("%Y%m%d"), taken.strftime("%H%M%S")]]
    for index in range(lines):
        counted = ON_HAND - (DRIFT if index % DRIFT_EVERY == 0 else 0)
        body.append(["LIN", "", "VN", product_code(index)])
        body.append(["QTY", "17", str(counted), "EA"])
    body.append(["CTT", str(lines)])
    return x12.render_sets(
        "846", [body], sender=PARTNER, receiver=US, control_numbers=lambda _l: 846
    )


if __name__ == "__main__":
    sys.stdout.buffer.write(inventory_payload(int(sys.argv[1])))
