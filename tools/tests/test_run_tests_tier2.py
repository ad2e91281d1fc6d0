"""The course of tier 2 in the runner (tools/run_tests.py), with the Odoo steps replaced
by recorders: when it is skipped, when that fails the run, what --keep-db keeps."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import odoo_python
import run_tests


def found(has_odoo=True, explicit=False):
    why = "imports Odoo 19.0" if has_odoo else "cannot import odoo"
    return odoo_python.Found("/x/python", "python3 on PATH", has_odoo, why, explicit)


def test_tier2_without_odoo_is_skipped_loudly():
    tally = run_tests.Tally()
    run_tests.run_tier2(found(has_odoo=False), False, run_tests.Options(), tally, "stamp")
    assert not tally.problems
    [note] = tally.notes
    assert note.startswith("TIER 2 SKIPPED: Odoo 19.0 is not importable by /x/python")
    assert "odoo-venv beside the checkout" in note and "the addons were NOT tested" in note


@pytest.mark.parametrize(("chosen", "asked_for"), [(True, False), (False, True)])
def test_tier2_without_odoo_fails_when_asked_for(chosen, asked_for):
    tally = run_tests.Tally()
    run_tests.run_tier2(
        found(has_odoo=False, explicit=chosen), asked_for, run_tests.Options(), tally, "stamp"
    )
    [problem] = tally.problems
    assert problem.startswith("tier 2 was asked for")
    assert tally.line() == "tests: 0 passed, 1 failed"


@pytest.fixture
def odoo_steps(tmp_path, monkeypatch):
    """An addons folder with one addon; the Odoo steps record that they ran."""
    (tmp_path / "logistics_probe").mkdir()
    (tmp_path / "logistics_probe" / "__manifest__.py").write_text("{'name': 'Probe'}")
    monkeypatch.setattr(run_tests, "LOG_DIR", tmp_path / "logs")
    monkeypatch.setattr(run_tests, "probe", lambda py, code: (True, ""))
    steps = []
    for step, result in (("odoo_tests", True), ("odoo_uninstall", None), ("odoo_drop", None)):
        monkeypatch.setattr(
            run_tests, step, lambda *args, step=step, result=result: steps.append(step) or result
        )
    return tmp_path, steps


def test_tier2_installs_tests_uninstalls_and_drops(odoo_steps):
    addons_dir, steps = odoo_steps
    options = run_tests.Options(addons_dir=addons_dir)
    run_tests.run_tier2(found(), False, options, run_tests.Tally(), "stamp")
    assert steps == ["odoo_tests", "odoo_uninstall", "odoo_drop"]


def test_keep_db_keeps_the_addons_installed(odoo_steps, capsys):
    addons_dir, steps = odoo_steps
    options = run_tests.Options(addons_dir=addons_dir, keep_db=True)
    run_tests.run_tier2(found(), False, options, run_tests.Tally(), "stamp")
    assert steps == ["odoo_tests"], "kept as the tests left it, to run a test file against"
    assert "kept with the addons installed" in capsys.readouterr().out


def test_a_test_class_skipped_whole_shows_in_the_summary(tmp_path, monkeypatch):
    head = "2026-11-22 04:56:05,550 7020 INFO db"
    log = [
        f"{head} odoo.addons.logistics_probe.tests.test_a: Starting TestA.test_a ...",
        f"{head} odoo.tests.suite: skipped setUpClass "
        "(odoo.addons.logistics_probe.tests.test_b.TestB) : published samples not found",
        f"{head} odoo.tests.result: 0 failed, 0 error(s) of 1 tests when loading database 'db'",
    ]

    def stream(command, log_path, modules, timeout):
        log_path.write_text("\n".join(log) + "\n", encoding="utf-8")
        return 0

    monkeypatch.setattr(run_tests, "stream", stream)
    tally = run_tests.Tally()
    options = run_tests.Options(addons_dir=tmp_path)
    log_path = tmp_path / "odoo.log"
    assert run_tests.odoo_tests("py", ["logistics_probe"], "db", log_path, [], options, tally)
    assert tally.line() == "tests: 1 passed, 0 failed, 1 skipped"
    assert tally.notes == [
        "Odoo test class skipped whole, its tests NOT run: "
        "odoo.addons.logistics_probe.tests.test_b.TestB: published samples not found"
    ]
