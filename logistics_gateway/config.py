"""The gateway's settings, read from the Odoo server configuration file.

The database and the secret key are Odoo's own (``db_host``, ``db_port``, ``db_user``,
``db_password``, ``db_name``, ``logistics_secret_key`` of ``[options]``; the
``LOGISTICS_SECRET_KEY`` environment variable as a fallback, like the addon), so the
gateway and Odoo cannot disagree on them.
"""

import argparse
import configparser
import os
from dataclasses import dataclass

SECRET_KEY_OPTION = "logistics_secret_key"
SECRET_KEY_ENV = "LOGISTICS_SECRET_KEY"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8070
# Odoo writes unset options as "False" (or "None") in its configuration file.
_UNSET = {"", "false", "none"}


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to fix."""


@dataclass
class GatewayConfig:
    """Everything the gateway needs to run."""

    dbname: str
    db_host: str | None = None
    db_port: int | None = None
    db_user: str | None = None
    db_password: str | None = None
    db_sslmode: str | None = None
    secret_key: str | None = None
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = 1
    threads: int = 8
    statement_timeout_ms: int = 5000
    cache_ttl: float = 5.0
    proxy_mode: bool = False

    def connect_kwargs(self, dbname=None):
        """Keyword arguments for ``psycopg2.connect`` (unset values are left to libpq)."""
        kwargs = {
            "dbname": dbname or self.dbname,
            "host": self.db_host,
            "port": self.db_port,
            "user": self.db_user,
            "password": self.db_password,
            "sslmode": self.db_sslmode,
            "application_name": "logistics-gateway",
            "connect_timeout": 5,
        }
        return {key: value for key, value in kwargs.items() if value not in (None, "")}


def _option(options, name):
    value = options.get(name)
    if value is None or value.strip().lower() in _UNSET:
        return None
    return value.strip()


def read_odoo_config(path):
    """The ``[options]`` section of an Odoo configuration file, as a dict."""
    parser = configparser.RawConfigParser()
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read the Odoo configuration file {path}: {exc}") from exc
    except configparser.Error as exc:
        raise ConfigError(f"{path} is not an Odoo configuration file: {exc}") from exc
    if not parser.has_section("options"):
        raise ConfigError(f"{path} has no [options] section")
    return dict(parser.items("options"))


def load_config(path=None, *, dbname=None, environ=None, **overrides):
    """A :class:`GatewayConfig` from an Odoo configuration file and overrides."""
    environ = os.environ if environ is None else environ
    options = read_odoo_config(path) if path else {}
    dbname = dbname or _option(options, "db_name")
    if not dbname:
        raise ConfigError("no database: set db_name in the Odoo configuration file or pass -d")
    if "," in dbname:
        raise ConfigError(
            f"db_name lists several databases ({dbname}): pass the one to use with -d"
        )
    port = _option(options, "db_port")
    try:
        db_port = int(port) if port else None
    except ValueError:
        raise ConfigError(f"db_port {port!r} is not a number") from None
    config = GatewayConfig(
        dbname=dbname,
        db_host=_option(options, "db_host"),
        db_port=db_port,
        db_user=_option(options, "db_user"),
        db_password=_option(options, "db_password"),
        db_sslmode=_option(options, "db_sslmode"),
        secret_key=_option(options, SECRET_KEY_OPTION) or environ.get(SECRET_KEY_ENV) or None,
        proxy_mode=(_option(options, "proxy_mode") or "").lower() in ("1", "true", "yes", "on"),
    )
    for name, value in overrides.items():
        if value is not None:
            setattr(config, name, value)
    return config


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m logistics_gateway",
        description="Accept partner messages for Odoo's logistics inbox, without Odoo.",
    )
    parser.add_argument("-c", "--config", required=True, help="the Odoo configuration file")
    parser.add_argument("-d", "--database", help="database (default: db_name of the file)")
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to listen on")
    parser.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    parser.add_argument(
        "--threads", type=int, default=8, help="database threads and connections per process"
    )
    parser.add_argument(
        "--statement-timeout",
        type=int,
        default=5000,
        dest="statement_timeout_ms",
        help="PostgreSQL statement timeout in milliseconds (default 5000)",
    )
    return parser


def config_from_args(argv=None, environ=None):
    """Parse the command line into a :class:`GatewayConfig`."""
    args = build_parser().parse_args(argv)
    for name in ("port", "workers", "threads", "statement_timeout_ms"):
        if getattr(args, name) < (0 if name == "statement_timeout_ms" else 1):
            raise ConfigError(f"--{name.replace('_ms', '').replace('_', '-')} is too small")
    return load_config(
        args.config,
        dbname=args.database,
        environ=environ,
        host=args.host,
        port=args.port,
        workers=args.workers,
        threads=args.threads,
        statement_timeout_ms=args.statement_timeout_ms,
    )
