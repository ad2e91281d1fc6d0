"""Any motor carrier that speaks X12 (204 in, 990 and 214 out): the backend provider whose
status mappings are the published AT7 codes, editable per backend in Odoo.

The formats themselves are standards (``formats.x12.transport``); this package only names
the partner kind a backend is, so that its 214 codes are seeded as status mappings.
"""

from ...formats.x12.transport.statuses import STATUSES
from ..registry import Partner, register_partner

PARTNER = register_partner(Partner("x12-carrier", "X12 motor carrier", "tms", statuses=STATUSES))
