"""The command line, run as users run it: ``python -m logistics_adapters``."""

import json

import pytest

from logistics_adapters import canonical as c
from logistics_adapters import registry

from .helpers import run

EVENT = c.TrackingEvent("1Z999AA10123456784", "delivered", partner_status="D", signed_by="JANE")


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "events.json"
    path.write_text(json.dumps(c.to_jsonable([EVENT, EVENT])), encoding="utf-8")
    return path


def test_formats_lists_name_tab_description():
    result = run("formats")
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    names = [line.split("\t")[0] for line in lines]
    assert "canonical-json" in names
    assert all(len(line.split("\t")) == 2 and line.split("\t")[1] for line in lines)


def test_parse_file_prints_canonical_json(good_file):
    result = run("parse", "canonical-json", str(good_file))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert result.stdout.startswith(b'[\n  {\n    "type": "TrackingEvent"')
    assert c.from_jsonable(json.loads(result.stdout)) == [EVENT, EVENT]


def test_parse_reads_stdin():
    result = run("parse", "canonical-json", "-", stdin=json.dumps(c.to_jsonable(EVENT)).encode())
    assert result.returncode == 0, result.stderr
    assert c.from_jsonable(json.loads(result.stdout)) == [EVENT]


def test_bad_json_names_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(b'[\n  {"type": "TrackingEvent",\n   "status" "delivered"}\n]\n')
    result = run("parse", "canonical-json", str(path))
    assert result.returncode == 1
    assert result.stdout == b""
    stderr = result.stderr.decode()
    assert stderr.startswith("error: canonical-json: invalid JSON: Expecting ':' delimiter")
    assert "line 3, column 13" in stderr
    assert "Traceback" not in stderr


def test_bad_field_names_the_path():
    document = [c.to_jsonable(EVENT), {**c.to_jsonable(EVENT), "status": "teleported"}]
    result = run("parse", "canonical-json", "-", stdin=json.dumps(document).encode())
    assert result.returncode == 1
    assert "error: canonical-json: field '[1].status': invalid value 'teleported'" in (
        result.stderr.decode()
    )


def test_binary_garbage_is_refused_without_traceback():
    result = run("parse", "canonical-json", "-", stdin=b"\x00\xff\xfe garbage")
    assert result.returncode == 1
    assert result.stderr.startswith(b"error: canonical-json: ")
    assert b"Traceback" not in result.stderr


def test_unknown_format(good_file):
    result = run("parse", "x12-999", str(good_file))
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "error: unknown format 'x12-999'; known formats: " + ", ".join(registry.available()) + "\n"
    )


def test_missing_file(tmp_path):
    result = run("parse", "canonical-json", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert b"error: cannot read" in result.stderr
    assert b"No such file or directory" in result.stderr


def test_missing_arguments_is_a_usage_error():
    result = run("parse", "canonical-json")
    assert result.returncode == 2
    assert b"usage:" in result.stderr


def test_render_writes_the_format(good_file):
    result = run("render", "canonical-json", str(good_file))
    assert result.returncode == 0, result.stderr
    assert c.from_jsonable(json.loads(result.stdout)) == [EVENT, EVENT]
