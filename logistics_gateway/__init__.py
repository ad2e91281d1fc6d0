"""The edge gateway: Odoo's inbound route, standalone, on the same database.

``python -m logistics_gateway -c odoo.conf`` accepts partner messages at
``POST /logistics/inbound/<code>[/<flow>]`` with the checks of
:mod:`logistics_adapters.transport.inbound`, the backend settings and secrets stored by Odoo, and
writes them into Odoo's inbox table so the Odoo processors take them from there. It
needs PostgreSQL only, so it keeps accepting while Odoo is stopped, and scales by
running more of it behind a load balancer.

* :mod:`.service`: the contract, over a :class:`~.service.Store` (tested with a fake);
* :mod:`.asgi`: the raw ASGI application;
* :mod:`.postgres`: the store on Odoo's tables (psycopg2);
* :mod:`.config` and :mod:`.cli`: the Odoo configuration file and the command.
"""

from .asgi import GatewayApp
from .config import ConfigError, GatewayConfig, load_config
from .service import Backend, BackendRow, Flow, Headers, InboundService, NewMessage, Store, Stored

__all__ = [
    "Backend",
    "BackendRow",
    "ConfigError",
    "Flow",
    "GatewayApp",
    "GatewayConfig",
    "Headers",
    "InboundService",
    "NewMessage",
    "Store",
    "Stored",
    "load_config",
]
