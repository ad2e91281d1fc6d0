"""The suite's test command (``./run-tests``): tier 1 with pytest, tier 2 with Odoo.

Usage::

    ./run-tests [1|2|all] [--addons-dir DIR] [--keep-db] [--] [PYTEST_ARGS...]

* ``1``: tier 1 only; ``2``: tier 2 only; ``all`` (the default): both.
* ``--addons-dir DIR``: take the addons of tier 2 from DIR instead of the
  repository root (to try the runner itself on a throwaway addon).
* ``--keep-db``: leave the tier 2 database in place, for a post-mortem, with the
  addons installed as their tests left them (their uninstallation is not checked).
* Every other argument goes to pytest (``./run-tests 1 -k x12 -x``).

One Python runs everything, the first found of: ``$ODOO_PYTHON`` if set (taken as
given), the virtualenv ``../odoo-venv`` beside the checkout if it imports Odoo 19.0,
else ``python3`` on PATH (``tools/odoo_python.py``; the runner prints which and why). It
must have the project installed (``pip install -e . -r requirements-test.txt``); this
command installs nothing and says what to run when something is missing.

Tier 1 runs pytest on ``logistics_adapters``, ``logistics_gateway`` and on the runner's own tests in
``tools/tests``. Tier 2 runs when that Python imports Odoo 19.0: it creates a fresh
database, installs every addon of the suite (each folder of the repository root
with a ``__manifest__.py``) with demo data, runs their Odoo tests, uninstalls
them again, checks that nothing of them is left and drops the database. When Odoo
is not importable, tier 2 is skipped with a loud line, unless it was asked for
explicitly (``./run-tests 2`` or ``ODOO_PYTHON`` set), which makes it a failure.

The last line printed is ``tests: N passed, M failed`` (``, K skipped`` when some
were), over both tiers. A failure outside any single test (a step that could not
run, an offending log record, a failed uninstallation) counts as one failure there
unless failed tests already account for it, so that the line never reads
``0 failed`` for a run that failed. Logs go to ``.test-logs/`` (the newest
``KEEP_LOGS`` of each kind are kept).
"""

from __future__ import annotations

import ast
import dataclasses
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import odoo_log
import odoo_python
from odoo_python import probe

ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / ".test-logs"
TIER1_PATHS = ("logistics_adapters", "logistics_gateway", "tools/tests")
# Development-only Fernet key, published in the README: never use it in production.
ODOO_TIMEOUT = int(os.environ.get("RUN_TESTS_ODOO_TIMEOUT", "1800"))
INSTALL_HINT = "{py} -m pip install -e . -r requirements-test.txt"
KEEP_LOGS = 10


@dataclasses.dataclass
class Tally:
    """Test counts over both tiers, and the problems that fail the run."""

    passed: int = 0
    failed: int = 0
    skipped: int = 0
    problems: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    unexplained: int = 0

    def problem(self, text: str, explained: bool = False) -> None:
        """Record a failure outside the test counts. Unless failed tests already
        ``explained`` it, it counts as one failure in the summary line."""
        self.problems.append(text)
        self.unexplained += not explained
        say(f"FAILED: {text}")

    def line(self) -> str:
        """The closing summary line."""
        text = f"tests: {self.passed} passed, {self.failed + self.unexplained} failed"
        return f"{text}, {self.skipped} skipped" if self.skipped else text


@dataclasses.dataclass
class Options:
    """Parsed command line."""

    tiers: tuple[int, ...] = (1, 2)
    explicit_tier2: bool = False
    addons_dir: Path = ROOT
    keep_db: bool = False
    pytest_args: list[str] = dataclasses.field(default_factory=list)


def say(text: str = "") -> None:
    """Print a line of the runner, flushed so it interleaves with child output."""
    print(text, flush=True)


def banner(text: str) -> None:
    """Print a section title."""
    say()
    say(f"==== {text} ".ljust(78, "="))


def parse_args(argv: list[str]) -> Options:
    """Read the tier, the runner's own options and the pytest pass-through."""
    options = Options()
    args = list(argv)
    if args and args[0] in ("1", "2", "all"):
        tier = args.pop(0)
        options.tiers = (1, 2) if tier == "all" else (int(tier),)
        options.explicit_tier2 = tier == "2"
    while args:
        arg = args.pop(0)
        if arg == "--":
            options.pytest_args.extend(args)
            break
        if arg in ("-h", "--help"):
            say(__doc__)
            sys.exit(0)
        if arg == "--keep-db":
            options.keep_db = True
        elif arg == "--addons-dir" or arg.startswith("--addons-dir="):
            value = arg.partition("=")[2] if "=" in arg else (args.pop(0) if args else "")
            if not value:
                sys.exit("run-tests: --addons-dir needs a folder")
            options.addons_dir = Path(value).resolve()
        else:
            options.pytest_args.append(arg)
    return options


def has_test_files(folder: Path) -> bool:
    """Whether pytest-style test files exist under ``folder``."""
    if not folder.is_dir():
        return False
    return any(folder.rglob("test_*.py")) or any(folder.rglob("*_test.py"))


# ---------------------------------------------------------------- tier 1


def junit_counts(path: Path) -> tuple[int, int, int] | None:
    """(passed, failed, skipped) from a pytest JUnit XML report."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = failures = errors = skipped = 0
    for suite in suites:
        total += int(suite.get("tests", 0))
        failures += int(suite.get("failures", 0))
        errors += int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return max(total - failures - errors - skipped, 0), failures + errors, skipped


def run_tier1(py: str, options: Options, tally: Tally, stamp: str) -> None:
    """Run pytest on the pure-Python package and the runner's own tests."""
    banner(f"TIER 1: pytest with {py}")
    ok, output = probe(py, "import pytest, logistics_adapters")
    if not ok:
        say(output.splitlines()[-1] if output else "")
        tally.problem(
            f"tier 1 cannot run: {py} cannot import pytest and the installed "
            f"logistics_adapters. Install them with: {INSTALL_HINT.format(py=py)}"
        )
        return
    paths = [p for p in TIER1_PATHS if (ROOT / p).exists()]
    report = LOG_DIR / f"pytest-{stamp}.xml"
    # -p no:odoo: tier 1 has no database; pytest-odoo, where installed, would want one.
    command = [py, "-m", "pytest", "-p", "no:odoo", *paths, f"--junitxml={report}"]
    command += options.pytest_args
    say("$ " + " ".join(command))
    code = subprocess.run(command, cwd=ROOT, check=False).returncode
    counts = junit_counts(report)
    if counts:
        passed, failed, skipped = counts
        tally.passed += passed
        tally.failed += failed
        tally.skipped += skipped
    if code == 5:
        if not options.pytest_args and any(has_test_files(ROOT / p) for p in paths):
            tally.problem("pytest collected no tests although test files exist")
        else:
            say("TIER 1: pytest collected or selected no tests.")
    elif code == 1 and counts and counts[1]:
        say(f"TIER 1 FAILED: {counts[1]} failed (see above).")
    elif code != 0:
        tally.problem(f"pytest exited with status {code}")
    else:
        say("TIER 1 OK.")


# ---------------------------------------------------------------- tier 2


def suite_addons(folder: Path) -> list[str]:
    """Installable addons directly under ``folder``, by name."""
    addons = []
    for manifest in sorted(folder.glob("*/__manifest__.py")):
        try:
            data = ast.literal_eval(manifest.read_text(encoding="utf-8"))
        except (ValueError, SyntaxError) as exc:
            say(f"warning: cannot read {manifest}: {exc}")
            data = {}
        if data.get("installable", True):
            addons.append(manifest.parent.name)
        else:
            say(f"note: {manifest.parent.name} is not installable, left out")
    return addons


def addons_with_tests(folder: Path, addons: list[str]) -> list[str]:
    """The addons whose ``tests`` package holds test files."""
    return [a for a in addons if any((folder / a / "tests").glob("test_*.py"))]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def db_options(addons_path: Path) -> list[str]:
    """Server options shared by every Odoo process of the run."""
    return [
        f"--addons-path={addons_path}",
        f"--db_host={os.environ.get('PGHOST') or '127.0.0.1'}",
        f"--db_port={os.environ.get('PGPORT') or '5432'}",
        f"--db_user={os.environ.get('PGUSER') or current_user()}",
    ]


def current_user() -> str:
    """The login of the user running this command."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return os.environ.get("USER", "odoo")


def progress_pattern(modules) -> re.Pattern:
    """Lines worth echoing while Odoo runs: trouble, and our modules' tests."""
    parts = [r" (ERROR|CRITICAL) ", r" odoo\.tests\.result: ", r"^odoo_db: "]
    if modules:
        names = "|".join(map(re.escape, modules))
        parts.append(rf" odoo\.addons\.({names})\.\S+: (Starting|skipped|FAIL|ERROR)")
        parts.append(rf" odoo\.modules\.loading: Loading module ({names}) ")
    return re.compile("|".join(parts))


def stream(command: list[str], log_path: Path, modules, timeout: int) -> int:
    """Run an Odoo process, keep all its output in ``log_path`` and echo the lines
    that show progress of our tests or trouble. Returns the exit status."""
    progress = progress_pattern(modules)
    with log_path.open("a", encoding="utf-8") as log:
        log.write(f"\n#### {' '.join(command)}\n")
        log.flush()
        # No secret key is given: the addons install with demo data as an administrator
        # would run them, and a database with demo data uses the published development
        # key by itself (a key in the environment still wins).
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        with subprocess.Popen(
            command,
            cwd=tempfile.gettempdir(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            env=env,
        ) as process:
            watchdog = threading.Timer(timeout, process.kill)
            watchdog.start()
            try:
                for line in process.stdout:
                    log.write(line)
                    if progress.search(line):
                        say("  " + line.rstrip()[:200])
                code = process.wait()
            finally:
                watchdog.cancel()
            if code == -signal.SIGKILL:
                say(f"  killed: still running after {timeout}s (RUN_TESTS_ODOO_TIMEOUT)")
            return code


def report_offending(verdict: odoo_log.Verdict, title: str) -> None:
    """Print the log records that fail the run."""
    say(f"{title}: {len(verdict.offending)} offending log record(s):")
    for record in verdict.offending[:30]:
        say(record.text(max_lines=25))
    if len(verdict.offending) > 30:
        say(f"... and {len(verdict.offending) - 30} more in the log file")


def check_log(log_path: Path, start: int, modules, tally: Tally, what: str):
    """Judge the part of the log file written since byte ``start``: print and
    record the offending records. Those that only repeat a test failure already
    counted (``FAIL:``/``ERROR:`` records and their summaries) fail the run without
    counting twice in the summary line."""
    with log_path.open(encoding="utf-8", errors="replace") as log:
        log.seek(start)
        verdict = odoo_log.judge(log, modules)
    verdict.offending = [r for r in verdict.offending if not odoo_log.is_test_summary(r)]
    if verdict.offending:
        report_offending(verdict, what)
        others = [r for r in verdict.offending if not odoo_log.is_test_failure(r)]
        if others or not verdict.not_passed:
            count = len(others or verdict.offending)
            tally.problem(f"{what}: {count} ERROR/CRITICAL or suite WARNING log record(s)")
        else:
            tally.problem(f"{what}: test failures logged", explained=True)
    return verdict


def run_tier2(found, explicit: bool, options: Options, tally: Tally, stamp: str) -> None:
    """Install the suite in a fresh database, run its Odoo tests, uninstall, drop.
    ``found`` is the python of ``odoo_python.find``; ``explicit`` whether tier 2 was
    asked for."""
    py, why = found.python, found.why
    banner(f"TIER 2: Odoo tests with {py}")
    if not found.has_odoo:
        message = (
            f"TIER 2 SKIPPED: Odoo 19.0 is not importable by {py} ({why}; set ODOO_PYTHON "
            "to a python that can import odoo 19.0, or keep it in a virtualenv named "
            "odoo-venv beside the checkout); the addons were NOT tested."
        )
        if explicit or found.explicit:
            tally.problem(
                f"tier 2 was asked for (./run-tests 2 or ODOO_PYTHON) but Odoo 19.0 is not "
                f"importable by {py} ({why})"
            )
        else:
            say("!" * 78)
            say(message)
            say("!" * 78)
            tally.notes.append(message)
        return
    addons = suite_addons(options.addons_dir)
    if not addons:
        say(f"TIER 2: no addon (folder with __manifest__.py) in {options.addons_dir}.")
        return
    ok, _output = probe(py, "import logistics_adapters")
    if not ok and options.addons_dir == ROOT and (ROOT / "logistics_adapters").is_dir():
        tally.problem(
            f"{py} cannot import the installed logistics_adapters, which the addons need. "
            f"Install it with: {INSTALL_HINT.format(py=py)}"
        )
        return
    database = f"lstest_{stamp.replace('-', '_')}_{uuid.uuid4().hex[:6]}"
    log_path = LOG_DIR / f"odoo-{database}.log"
    say(f"addons: {', '.join(addons)}")
    say(f"database: {database}")
    say(f"full Odoo log: {log_path}")
    common = db_options(options.addons_dir)
    try:
        installed = odoo_tests(py, addons, database, log_path, common, options, tally)
        if installed and options.keep_db:
            say("uninstallation not checked: the database is kept with the addons installed.")
        elif installed:
            odoo_uninstall(py, addons, database, log_path, common, tally)
    finally:
        if options.keep_db:
            say(f"database {database} kept (--keep-db); drop it with: dropdb {database}")
        else:
            odoo_drop(py, database, log_path, common, tally)
        say(f"full Odoo log: {log_path}")


def odoo_tests(py, addons, database, log_path, common, options, tally) -> bool:
    """Install the addons with demo data and run their tests; True when Odoo got
    as far as its test summary, that is when the addons are installed."""
    port = free_port()
    command = [
        py,
        "-m",
        "odoo",
        *common,
        f"--database={database}",
        f"--init={','.join(addons)}",
        "--with-demo",
        "--test-enable",
        f"--test-tags={','.join('/' + a for a in addons)}",
        "--stop-after-init",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--workers=0",
        "--max-cron-threads=0",
        "--log-level=info",
    ]
    say("$ " + " ".join(command))
    start = log_path.stat().st_size if log_path.exists() else 0
    code = stream(command, log_path, addons, ODOO_TIMEOUT)
    verdict = check_log(log_path, start, addons, tally, "install and tests")
    tally.passed += verdict.passed
    tally.failed += verdict.not_passed
    tally.skipped += verdict.skipped + len(verdict.skipped_classes)
    for skipped_class in verdict.skipped_classes:
        note = f"Odoo test class skipped whole, its tests NOT run: {skipped_class}"
        say(note)
        tally.notes.append(note)
    say(
        f"Odoo tests: {verdict.tests_run} run, {verdict.passed} passed, {verdict.failed} "
        f"failed, {verdict.errors} error(s), {verdict.skipped} skipped, "
        f"{len(verdict.skipped_classes)} class(es) skipped whole; Odoo exit status {code}"
    )
    if code != 0:
        tally.problem(
            f"Odoo exited with status {code} while installing and testing",
            explained=code == 1 and verdict.not_passed > 0,
        )
    if not verdict.summary_found:
        tally.problem("Odoo printed no test summary ('... tests when loading database')")
    elif verdict.tests_run == 0 and addons_with_tests(options.addons_dir, addons):
        tally.problem("Odoo ran 0 tests although the suite's addons have tests")
    return verdict.summary_found


def odoo_uninstall(py, addons, database, log_path, common, tally) -> None:
    """Uninstall the suite like a person would and check that nothing is left."""
    say(f"uninstalling {', '.join(addons)} from {database}")
    start = log_path.stat().st_size
    here = Path(__file__).resolve().parent
    command = [py, str(here / "odoo_db.py"), "uninstall", database, ",".join(addons), "--", *common]
    code = stream(command, log_path, addons, ODOO_TIMEOUT)
    check_log(log_path, start, addons, tally, "uninstallation")
    if code != 0:
        tally.problem(f"uninstallation of the suite failed (status {code}), see the log")
    else:
        say("uninstallation OK: no module, data, model, table or column of the suite left.")


def odoo_drop(py, database, log_path, common, tally) -> None:
    """Drop the test database and its filestore."""
    here = Path(__file__).resolve().parent
    command = [py, str(here / "odoo_db.py"), "drop", database, "--", *common]
    code = stream(command, log_path, (), 600)
    if code != 0:
        tally.problem(f"could not drop database {database} (status {code}), see the log")
    else:
        say(f"database {database} dropped.")


# ---------------------------------------------------------------- main


def prune_logs() -> None:
    """Keep only the newest ``KEEP_LOGS`` Odoo logs and pytest reports."""
    for pattern in ("odoo-*.log", "pytest-*.xml"):
        files = sorted(LOG_DIR.glob(pattern), key=lambda f: f.stat().st_mtime, reverse=True)
        for old in files[KEEP_LOGS:]:
            old.unlink(missing_ok=True)


def main(argv: list[str]) -> int:
    """Run the chosen tiers and print the closing summary line."""
    options = parse_args(argv)
    found = odoo_python.find()
    say(found.explain())
    LOG_DIR.mkdir(exist_ok=True)
    prune_logs()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    tally = Tally()
    try:
        if 1 in options.tiers:
            run_tier1(found.python, options, tally, stamp)
        if 2 in options.tiers:
            run_tier2(found, options.explicit_tier2, options, tally, stamp)
    except KeyboardInterrupt:
        tally.problem("interrupted")
    banner("SUMMARY")
    for note in tally.notes:
        say(note)
    for problem in tally.problems:
        say(f"- FAILED: {problem}")
    say(tally.line())
    (LOG_DIR / "last-summary.txt").write_text(tally.line() + "\n", encoding="utf-8")
    return 1 if tally.failed or tally.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
