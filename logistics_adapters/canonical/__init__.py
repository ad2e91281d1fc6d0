"""The canonical model: the plain objects every partner format maps to and from.

Codecs turn partner bytes into these objects and back; the Odoo addons only ever see these.
One module per domain: :mod:`.status` (shipment statuses), :mod:`.shipping` (carrier
objects), :mod:`.transport` (TMS), :mod:`.warehouse` (WMS / 3PL), :mod:`.customs`,
:mod:`.billing`, and :mod:`.jsonable` (the JSON form). Every public name is re-exported here,
so ``from logistics_adapters import canonical as c; c.Shipment`` works.

Conventions:

* text fields default to ``""`` (never ``None``), so Odoo can write them as they are;
* amounts are :class:`decimal.Decimal`; weights, dimensions and quantities are floats in
  kilograms, centimetres and the line's unit of measure;
* countries are ISO 3166-1 alpha-2 codes, currencies ISO 4217 codes;
* datetimes are timezone-aware when the partner said which zone; a partner time given without
  zone stays naive, and ``time_zone_known`` says so, so the caller can resolve it with the
  backend's time zone instead of the codec guessing.

:func:`to_jsonable` and :func:`from_jsonable` convert objects to and from JSON-ready dicts that
carry a ``"type"`` key (the class name); the ``canonical-json`` codec is built on them.
"""

# The value types of the model's fields, reachable as before (``c.Decimal``, ``c.datetime``).
from datetime import date, datetime
from decimal import Decimal

from . import billing, customs, jsonable, shipping, status, transport, warehouse
from .status import *  # noqa: F403
from .shipping import *  # noqa: F403
from .transport import *  # noqa: F403
from .warehouse import *  # noqa: F403
from .customs import *  # noqa: F403
from .billing import *  # noqa: F403
from .jsonable import *  # noqa: F403

# Each module lists its public names in its own ``__all__``; the package exports them all.
__all__ = [
    *status.__all__,
    *shipping.__all__,
    *transport.__all__,
    *warehouse.__all__,
    *customs.__all__,
    *billing.__all__,
    *jsonable.__all__,
]
