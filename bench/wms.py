"""The ``wms`` scenario's data: a 3PL's X12 846 of its whole stock, one line per product,
its counts drifting from Odoo's on every tenth product, as the flow ``wms.inventory``
stores it (one set, wrapped alone in its interchange); and its 945s, one per released
delivery, shipping it whole (two lines, one package with its tracking number), as the flow
``wms.shipped`` stores them.

``python bench/wms.py LINES`` prints the 846, ``python bench/wms.py --945 INDEX`` a 945.
"""

import sys
from datetime import datetime, timezone

from logistics_adapters import canonical as c
from logistics_adapters.formats import x12
from logistics_adapters.formats.x12.warehouse import confirmation_segments

PARTNER = ("ZZ", "BENCH3PL")
US = ("ZZ", "BENCHODOO")
#: Every DRIFT_EVERY-th product is counted DRIFT fewer than Odoo holds.
DRIFT_EVERY, DRIFT = 10, 3
#: Odoo's quantity of every product.
ON_HAND = 100


#: What each delivery of the 945 part ships: QUANTITY of each of its two products.
QUANTITY = 2
#: First delivery of the baseline's own (the set-based run's start at 0).
BASELINE_FIRST = 900000


def product_code(index):
    return f"BW{index:07d}"


def delivery_name(index):
    """The reference the 3PL knows delivery ``index`` by (its picking's name)."""
    return f"B3PL/OUT/{index:07d}"


def delivery_products(index, products):
    """The two products (indexes among ``products``) delivery ``index`` ships."""
    first = (2 * index) % products
    return first, (first + 1) % products


def confirmation_payload(index, products):
    """The 945 of delivery ``index``: both its lines shipped whole, in one package."""
    package = c.Package(reference=f"00{index:016d}", tracking_number=f"1ZBENCH{index:010d}")
    document = c.ShipConfirmation(
        order_reference=delivery_name(index),
        kind="shipment",
        partner_reference=f"SHP{index:08d}",
        confirmed_at=datetime(2026, 12, 1, 15, 30, tzinfo=timezone.utc),
        carrier="UPSN",
        tracking_number=package.tracking_number,
        packages=[package],
        lines=[
            c.ShipLine(
                product_code=product_code(product),
                quantity=QUANTITY,
                line_number=str(number),
                uom="EA",
                package_reference=package.reference,
            )
            for number, product in enumerate(delivery_products(index, products), start=1)
        ],
    )
    return x12.render_sets(
        "945",
        [confirmation_segments(document)],
        sender=PARTNER,
        receiver=US,
        control_numbers=lambda _l: index % 999_999_999 + 1,
    )


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
    if sys.argv[1] == "--945":
        sys.stdout.buffer.write(confirmation_payload(int(sys.argv[2]), 10))
    else:
        sys.stdout.buffer.write(inventory_payload(int(sys.argv[1])))
