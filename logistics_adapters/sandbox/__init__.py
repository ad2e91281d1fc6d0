"""A local partner system for the demo, the end-to-end tests and the benchmarks.

``python -m logistics_adapters.sandbox --port 8075`` or, in-process::

    with Sandbox(port=0, secret="s3cret") as sandbox:
        client = OutboundClient(sandbox.url)
        ...

Partners are route sets (:class:`~logistics_adapters.sandbox.core.RouteSet`, their handlers
marked with :func:`route` and :func:`control_route`); the generic JSON partner is served by
default, partner personalities come from the registry in :mod:`.personalities` that partner
packages fill; :class:`EdiPartner` plays an EDI partner on
two folders (local or SFTP), :class:`CarrierPartner` a carrier taking load tenders on them
(997, 990, a 214 timeline), :class:`ThreePlPartner` a 3PL warehouse taking orders and
transfers on them (997, 945 and 944 by scenario, 846); :class:`Json3pl` a ShipBob-like 3PL
with a JSON API (orders in, signed shipment webhooks out, polling, inventory levels). See
``logistics_adapters/README.md``.
"""

from .carrier_edi import CarrierPartner
from .core import (
    HttpError,
    Request,
    Response,
    Route,
    RouteSet,
    control_route,
    json_response,
    route,
)
from .edi import EdiPartner
from .faults import FaultPlan
from .generic import GenericPartner
from .json_3pl import Json3pl
from .json_tms import JsonTms
from .personalities import available_personalities, get_personality, register_personality
from .server import Sandbox, is_loopback
from .three_pl import ThreePlPartner
from .timeline import Timeline

__all__ = [
    "CarrierPartner",
    "EdiPartner",
    "FaultPlan",
    "GenericPartner",
    "HttpError",
    "Json3pl",
    "JsonTms",
    "Request",
    "Response",
    "Route",
    "RouteSet",
    "Sandbox",
    "ThreePlPartner",
    "Timeline",
    "available_personalities",
    "control_route",
    "get_personality",
    "is_loopback",
    "json_response",
    "register_personality",
    "route",
]
