"""Helpers shared by the test modules."""

import contextlib
import itertools
import json
import os
import pathlib
import subprocess
import sys

import pytest
import requests

from logistics_adapters import canonical, registry
from logistics_adapters.errors import AdapterError
from logistics_adapters.formats import interchange, x12

ROOT = pathlib.Path(__file__).resolve().parents[2]
#: The published samples, beside the repository: read as published, quirks included.
SAMPLES = ROOT.parent / "shared" / "samples"
#: For a test that reads the published samples: skipped in a checkout without them.
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"shared samples not found at {SAMPLES} (checkout without them)"
)
#: Bodies that every JSON codec refuses alike (``formats.json``), with what the refusal says.
NOT_JSON = [
    (b"", "invalid JSON: Expecting value (line 1, column 1"),
    (b"[" * 100000, "nested too deeply"),
    (b"[" + b"9" * 5000 + b"]", "invalid JSON"),
]


def sample(name):
    """The bytes of the published sample ``name``."""
    return (SAMPLES / name).read_bytes()


def sample_names(pattern):
    """The names of the published samples matching ``pattern``, sorted; none without them."""
    return sorted(path.name for path in SAMPLES.glob(pattern))


#: Every published EDI sample (X12 and EDIFACT), by name.
EDI_SAMPLES = sample_names("*.edi")


def run(*args, stdin=b""):
    """Run the command line (``python -m logistics_adapters``) and return the completed
    process (bytes stdout/stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "logistics_adapters", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )


def assert_cli_parses_sample(codec, name):
    """The command line prints, as canonical JSON, what ``codec`` parses from the published
    sample ``name``."""
    result = run("parse", codec.name, str(SAMPLES / name))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == canonical.to_jsonable(codec.parse(sample(name)))


def parsed_unit_by_unit(codec, data):
    """What ``codec`` parses from each document (transaction set, message) of the EDI
    ``data`` handed on alone, as the core hands them on."""
    return [
        obj
        for reading in interchange.read(data)
        for unit in reading.units()
        for obj in codec.parse(reading.unit_payload(unit))
    ]


def loopback_session(auth=None):
    """A ``requests`` session for a local server: no proxy from the environment."""
    session = requests.Session()
    session.trust_env = False  # loopback only: no proxy from the environment
    session.auth = auth
    return session


@contextlib.contextmanager
def sandbox_command(*options):
    """Run ``python -m logistics_adapters.sandbox`` with ``options`` (a sub-command first, if
    any) and ``--port 0``; yield the process (its standard output a text pipe), killed on the
    way out if it still runs."""
    command = [sys.executable, "-m", "logistics_adapters.sandbox", *options, "--port", "0"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()


@contextlib.contextmanager
def served_sandbox(*options, banner="logistics sandbox listening on http://127.0.0.1:"):
    """Run the sandbox command line with ``options`` (:func:`sandbox_command`); yield the URL
    it announces on its first line, which starts with ``banner``. Once the block is done,
    SIGTERM stops it, with exit status 0."""
    with sandbox_command(*options) as process:
        line = process.stdout.readline()
        assert line.startswith(banner), line
        yield line.split(" on ", 1)[1].strip()
        process.terminate()
        assert process.wait(timeout=10) == 0


def parse_or_refuse(fmt, data, refusal=AdapterError):
    """Parse and identify ``data`` with codec ``fmt``: it reads, or it is refused with a
    ``refusal`` that says something (never any other exception). What it parsed to, None if
    refused."""
    codec = registry.get(fmt)
    results = []
    for call in (codec.parse, codec.identify):
        try:
            results.append(call(data))
        except refusal as exc:
            assert str(exc)
            results.append(None)
    return results[0]


def each_parses_or_refuses(codecs, data, refusal=AdapterError):
    """:func:`parse_or_refuse` with each of ``codecs`` in turn."""
    for codec in codecs:
        parse_or_refuse(codec.name, data, refusal)


#: The interchange header of :func:`x12_interchange`: 3PL to DEPOSITOR, control number 42.
X12_ISA = (
    "ISA*00*          *00*          *ZZ*3PL            *ZZ*DEPOSITOR      *250314*1545*U*"
    "00401*000000042*0*T*>~"
)


def x12_interchange(kind, body):
    """An X12 interchange holding one set ``kind`` whose body is ``body`` (segment text, each
    ended by ``~``), in the functional group of its kind."""
    segments = [segment.strip() for segment in body.split("~") if segment.strip()]
    group = x12.FUNCTIONAL_IDS[kind]
    return (
        f"{X12_ISA}GS*{group}*3PL*DEPOSITOR*20250314*1545*42*X*004010~ST*{kind}*0001~"
        f"{'~'.join(segments)}~SE*{len(segments) + 2}*0001~GE*1*42~IEA*1*000000042~"
    ).encode()


def control_numbers(start=500):
    """A ``next_control_number(level)`` counting up from ``start`` across all levels."""
    counter = itertools.count(start)
    return lambda _level: next(counter)


def write_settings(standard="x12", version="004010", **changes):
    """How Odoo writes to a partner (ODOO to PARTNER, test usage, asking for an
    acknowledgement, control numbers from 500), with ``changes``."""
    values = {
        "standard": standard,
        "sender": ("ZZ", "ODOO"),
        "receiver": ("ZZ", "PARTNER"),
        "sender_application": "ODOO",
        "receiver_application": "PARTNER",
        "version": version,
        "delimiters": {"element": "*", "component": ">", "repetition": "^", "segment": "~"},
        "newline": True,
        "usage": "T",
        "ack_requested": True,
        "next_control_number": control_numbers(),
    }
    return interchange.WriteSettings(**(values | changes))
