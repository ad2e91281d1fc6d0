"""``python -m logistics_gateway -c odoo.conf [-d db] [--host] [--port] [--workers]``."""

import json
import logging
import os
import sys

from .asgi import GatewayApp
from .config import ConfigError, GatewayConfig, config_from_args
from .service import InboundService

_logger = logging.getLogger(__name__)

# How the command hands its configuration to the worker processes uvicorn starts.
CONFIG_ENV = "LOGISTICS_GATEWAY_CONFIG"


def create_app(config, store=None):
    """The ASGI application for ``config`` (a :class:`GatewayConfig`)."""
    if store is None:
        from .postgres import PostgresStore  # psycopg2 only when needed

        store = PostgresStore(config, maxconn=config.threads)
    service = InboundService(store, config.secret_key, cache_ttl=config.cache_ttl)
    return GatewayApp(service, threads=config.threads)


def app_from_env():
    """Application factory of a worker process (``uvicorn --factory``)."""
    return create_app(GatewayConfig(**json.loads(os.environ[CONFIG_ENV])))


def main(argv=None):
    """Run the gateway until interrupted; return the exit status."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        config = config_from_args(argv)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        import uvicorn  # only the command needs the server
    except ImportError:
        print("error: the gateway needs uvicorn: pip install uvicorn", file=sys.stderr)
        return 2
    try:
        from .postgres import PostgresStore

        probe = PostgresStore(config, maxconn=1)
        probe.check()
        probe.close()
    except Exception as exc:
        print(f"error: cannot use database {config.dbname!r}: {exc}".strip(), file=sys.stderr)
        return 1
    if not config.secret_key:
        _logger.warning(
            "No logistics_secret_key in the configuration nor LOGISTICS_SECRET_KEY: backends "
            "with a webhook secret will be answered 503"
        )
    options = {
        "host": config.host,
        "port": config.port,
        "proxy_headers": config.proxy_mode,
        "forwarded_allow_ips": "*" if config.proxy_mode else None,
        "access_log": False,
        "log_level": "info",
    }
    if config.workers > 1:
        os.environ[CONFIG_ENV] = json.dumps(vars(config))
        uvicorn.run(
            "logistics_gateway.cli:app_from_env",
            factory=True,
            workers=config.workers,
            **options,
        )
    else:
        uvicorn.run(create_app(config), **options)
    return 0
