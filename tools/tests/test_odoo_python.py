"""Which python runs the suite (tools/odoo_python.py), and what the runner, the CI script
and the lint do with it.

The candidate pythons are small shell scripts that answer the runner's probe the way a
python importing (or not) a given Odoo does, in a throwaway folder laid out like a
checkout with a virtualenv beside it.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import odoo_python
import pylint_addons

REPO = Path(__file__).resolve().parents[2]


def fake_python(path: Path, answer: str | None) -> Path:
    """A 'python' that prints ``answer`` as the Odoo version it imports (None: it
    cannot import odoo) and records that it was asked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if answer is None:
        body = "echo \"ModuleNotFoundError: No module named 'odoo'\" >&2; exit 1"
    else:
        body = f"echo {answer}"
    path.write_text(f'#!/bin/sh\necho asked >> "{path}.log"\n{body}\n', encoding="utf-8")
    path.chmod(0o755)
    return path


def asked(python: Path) -> bool:
    return Path(f"{python}.log").exists()


@pytest.fixture
def layout(tmp_path):
    """A checkout ``main`` with nothing beside it yet, and a python3 without Odoo."""
    checkout = tmp_path / "main"
    checkout.mkdir()
    python3 = fake_python(tmp_path / "path" / "python3", None)
    return checkout, python3


def find(checkout, python3, environ=None):
    return odoo_python.find(environ or {}, checkout=checkout, which=lambda _name: str(python3))


def test_odoo_python_is_taken_as_given_and_makes_tier2_required(layout, tmp_path):
    checkout, python3 = layout
    venv = fake_python(tmp_path / "odoo-venv" / "bin" / "python", "19.0")
    chosen = fake_python(tmp_path / "elsewhere" / "python", None)
    found = find(checkout, python3, {"ODOO_PYTHON": str(chosen)})
    assert (found.python, found.origin, found.explicit) == (str(chosen), "ODOO_PYTHON", True)
    assert not found.has_odoo and found.why == "cannot import odoo"
    assert not asked(venv) and not asked(python3)


def test_virtualenv_beside_the_checkout_comes_before_python3(layout, tmp_path):
    checkout, python3 = layout
    venv = fake_python(tmp_path / "odoo-venv" / "bin" / "python", "19.0")
    found = find(checkout, python3, {"ODOO_PYTHON": "  "})
    assert (found.python, found.origin, found.has_odoo) == (str(venv), "../odoo-venv", True)
    assert not found.explicit
    assert not asked(python3)
    assert found.explain() == f"using {venv} (../odoo-venv): imports Odoo 19.0"


def test_virtualenv_beside_through_a_symlink(layout, tmp_path):
    checkout, python3 = layout
    real = fake_python(tmp_path / "shared" / "odoo-venv" / "bin" / "python", "19.0")
    (tmp_path / "odoo-venv").symlink_to(real.parent.parent)
    found = find(checkout, python3)
    assert found.has_odoo and found.python == str(tmp_path / "odoo-venv" / "bin" / "python")


@pytest.mark.parametrize(
    ("answer", "why"),
    [(None, "cannot import odoo"), ("18.0", "imports Odoo 18.0, not 19.0")],
)
def test_virtualenv_without_odoo_19_is_passed_over_for_python3(layout, tmp_path, answer, why):
    checkout, python3 = layout
    venv = fake_python(tmp_path / "odoo-venv" / "bin" / "python", answer)
    found = find(checkout, python3)
    assert (found.python, found.origin, found.has_odoo) == (str(python3), "python3 on PATH", False)
    assert found.passed_over == (f"{venv} (../odoo-venv): {why}",)
    assert found.explain().splitlines()[0] == f"passed over {venv} (../odoo-venv): {why}"


def test_python3_with_odoo_19_runs_tier2(layout, tmp_path):
    checkout, _python3 = layout
    python3 = fake_python(tmp_path / "path-odoo" / "python3", "19.0")
    found = find(checkout, python3)
    assert (found.python, found.has_odoo, found.explicit) == (str(python3), True, False)


def test_nothing_found_is_python3_without_odoo(layout):
    checkout, python3 = layout
    found = find(checkout, python3)
    assert (found.python, found.has_odoo, found.passed_over) == (str(python3), False, ())


def test_a_virtualenv_python_that_cannot_run_is_not_a_candidate(layout, tmp_path):
    checkout, python3 = layout
    venv = fake_python(tmp_path / "odoo-venv" / "bin" / "python", "19.0")
    venv.chmod(0o644)
    found = find(checkout, python3)
    assert found.python == str(python3) and not asked(venv)


def test_command_line_prints_the_python_and_says_whether_tier2_can_run(monkeypatch, capsys):
    without = odoo_python.Found("/x/python3", "python3 on PATH", False, "cannot import odoo")
    monkeypatch.setattr(odoo_python, "find", lambda: without)
    assert odoo_python.main(["--explain"]) == odoo_python.NO_ODOO
    out, err = capsys.readouterr()
    assert out == "/x/python3\n"
    assert err == "using /x/python3 (python3 on PATH): cannot import odoo\n"
    with_odoo = odoo_python.Found("/v/python", "../odoo-venv", True, "imports Odoo 19.0")
    monkeypatch.setattr(odoo_python, "find", lambda: with_odoo)
    assert odoo_python.main([]) == 0
    assert capsys.readouterr() == ("/v/python\n", "")


# -- ./run-tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("venv", [True, False])
def test_run_tests_starts_the_runner_with_the_virtualenv_beside(tmp_path, venv):
    checkout = tmp_path / "main"
    (checkout / "tools").mkdir(parents=True)
    (checkout / "run-tests").write_bytes((REPO / "run-tests").read_bytes())
    (checkout / "tools" / "run_tests.py").write_text("", encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, folder in (("python3", bin_dir), ("python", tmp_path / "odoo-venv" / "bin")):
        if name == "python" and not venv:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        script = folder / name
        script.write_text(f'#!/bin/sh\necho "{name}: $*"\n', encoding="utf-8")
        script.chmod(0o755)
    environ = {k: v for k, v in os.environ.items() if k != "ODOO_PYTHON"}
    environ["PATH"] = f"{bin_dir}{os.pathsep}{environ['PATH']}"
    done = subprocess.run(
        ["bash", str(checkout / "run-tests"), "1", "-x"],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    starter = "python" if venv else "python3"
    assert done.stdout == f"{starter}: tools/run_tests.py 1 -x\n"


# -- pylint ----------------------------------------------------------------------------------


def test_pylint_sees_the_odoo_source_of_the_python_found():
    with_odoo = odoo_python.Found("/v/python", "../odoo-venv", True, "imports Odoo 19.0")
    without = odoo_python.Found("/x/python3", "python3 on PATH", False, "cannot import odoo")
    source = {"/v/python": "/src/odoo"}.get
    assert pylint_addons.odoo_folder(lambda: with_odoo, source) == "/src/odoo"
    assert pylint_addons.odoo_folder(lambda: without, source) is None
    environ = pylint_addons.pylint_environ("/src/odoo", {"PYTHONPATH": "/a", "HOME": "/h"})
    assert environ == {"PYTHONPATH": f"/src/odoo{os.pathsep}/a", "HOME": "/h"}
    assert pylint_addons.pylint_environ("/src/odoo", {}) == {"PYTHONPATH": "/src/odoo"}
    assert pylint_addons.pylint_environ(None, {"HOME": "/h"}) == {"HOME": "/h"}


def test_odoo_source_is_where_the_python_found_imports_odoo_from(tmp_path):
    assert odoo_python.odoo_source(str(fake_python(tmp_path / "a" / "python", "/src"))) == "/src"
    assert odoo_python.odoo_source(str(fake_python(tmp_path / "b" / "python", None))) is None
