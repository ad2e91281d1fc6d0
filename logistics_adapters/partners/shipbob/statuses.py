"""ShipBob status table: the shipment statuses its webhooks and shipment objects carry
(``status``: ``LabelCreated``, ``Completed``...)."""

from ... import canonical as c
from ...registry import StatusEntry as S

STATUSES = {
    "LabelCreated": S(c.STATUS_LABEL_CREATED, "Label created"),
    "Completed": S(c.STATUS_PICKED_UP, "Completed (shipped)"),
    "InTransit": S(c.STATUS_IN_TRANSIT, "In transit"),
    "OutForDelivery": S(c.STATUS_OUT_FOR_DELIVERY, "Out for delivery"),
    "Delivered": S(c.STATUS_DELIVERED, "Delivered"),
    "Exception": S(c.STATUS_EXCEPTION, "Exception"),
    "OnHold": S(c.STATUS_EXCEPTION, "On hold"),
    "Cancelled": S(c.STATUS_CANCELLED, "Cancelled"),
}
