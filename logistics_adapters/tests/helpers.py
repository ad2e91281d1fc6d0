"""Helpers shared by the test modules."""

import contextlib
import os
import pathlib
import subprocess
import sys

import requests

from logistics_adapters import registry
from logistics_adapters.errors import AdapterError

ROOT = pathlib.Path(__file__).resolve().parents[2]


def loopback_session(auth=None):
    """A ``requests`` session for a local server: no proxy from the environment."""
    session = requests.Session()
    session.trust_env = False  # loopback only: no proxy from the environment
    session.auth = auth
    return session


@contextlib.contextmanager
def sandbox_command(*options):
    """Run ``python -m logistics_adapters.sandbox --port 0`` with ``options``; yield the process
    (its standard output a text pipe), killed on the way out if it still runs."""
    command = [sys.executable, "-m", "logistics_adapters.sandbox", "--port", "0", *options]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()


def parse_or_refuse(fmt, data):
    """Parse and identify ``data`` with codec ``fmt``: it reads, or it is refused with an
    error that says something (never any other exception)."""
    codec = registry.get(fmt)
    for call in (codec.parse, codec.identify):
        try:
            call(data)
        except AdapterError as exc:
            assert str(exc)
