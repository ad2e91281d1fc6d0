"""Read an Odoo 19.0 server log and judge a test run of the suite's addons.

Only the standard library is used, so that any Python 3.10+ can run it.

An Odoo log record starts with a header line::

    2026-11-22 04:53:01,860 5642 WARNING dbname odoo.modules.module: message

and may go on over several lines (tracebacks, CSV hints). Anything else in the
output (``<string>:38: (ERROR/3) Unexpected indentation.`` from docutils, or
"Running as user 'root' is a security risk.") is not a log record and is
attached to no verdict.

The test wording parsed here is Odoo 19.0's (``odoo/tests/result.py`` and
``odoo/service/server.py``):

* ``odoo.addons.<module>.tests.<file>: Starting <Class>.<method> ...`` (INFO)
* ``odoo.addons.<module>.tests.<file>: FAIL: <Class>.<method>`` (ERROR)
* ``odoo.addons.<module>.tests.<file>: ERROR: <Class>.<method>`` (ERROR)
* ``odoo.addons.<module>.tests.<file>: skipped <Class>.<method> : <reason>`` (INFO)
* ``odoo.tests.suite: skipped setUpClass (<module path>.<Class>) : <reason>`` (INFO), a
  whole class skipped from its ``setUpClass``; its tests are in no count of Odoo's, so
  the class is kept by name to be reported (and counted as one skip);
* ``odoo.tests.result: F failed, E error(s) of N tests when loading database 'db'``
  (INFO when all passed, WARNING when no test ran, ERROR otherwise); N counts
  skipped tests too.
"""

from __future__ import annotations

import dataclasses
import re

HEADER_RE = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?P<pid>\d+) "
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL|RUNBOT|TEST|\?) "
    r"(?P<db>\S+) (?P<logger>[\w.\-]+): (?P<message>.*)$"
)
SUMMARY_RE = re.compile(
    r"^(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests"
    r" when loading database '(?P<db>[^']*)'"
)
SKIPPED_RE = re.compile(r"^skipped (?P<test>\S+) : ")
CLASS_SKIPPED_RE = re.compile(r"^skipped setUpClass \((?P<test>[\w.]+)\) : (?P<reason>.*)$")
STARTING_RE = re.compile(r"^Starting (?P<test>\S+) \.\.\.")
FAILURE_RE = re.compile(r"^(?P<kind>FAIL|ERROR): (?P<test>.+)$")

BAD_LEVELS = frozenset({"ERROR", "CRITICAL"})


@dataclasses.dataclass
class Record:
    """One log record: its header fields and any continuation lines."""

    lineno: int
    level: str
    db: str
    logger: str
    message: str
    extra: list[str] = dataclasses.field(default_factory=list)
    header: str = ""

    def text(self, max_lines: int = 40) -> str:
        """The record as it appeared in the log, cut after ``max_lines`` lines."""
        lines = [self.header, *self.extra]
        if len(lines) > max_lines:
            cut = len(lines) - max_lines
            lines = [*lines[:max_lines], f"    ... ({cut} more lines in the log file)"]
        return "\n".join(line.rstrip() for line in lines)


@dataclasses.dataclass
class Verdict:
    """What a log says about a test run."""

    tests_run: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    summary_found: bool = False
    started: int = 0
    offending: list[Record] = dataclasses.field(default_factory=list)
    skipped_classes: list[str] = dataclasses.field(default_factory=list)

    @property
    def passed(self) -> int:
        """Tests that ran and neither failed, errored nor were skipped."""
        return max(self.tests_run - self.failed - self.errors - self.skipped, 0)

    @property
    def not_passed(self) -> int:
        """Failures plus errors, as one number for the summary line."""
        return self.failed + self.errors


def parse_records(lines):
    """Yield the log records of an Odoo log, dropping lines outside any record.

    Lines before the first header and lines that are not log records but were
    printed on the same stream (docutils warnings, the root-user notice) are
    continuation lines at worst: they never start a record of their own.
    """
    current = None
    for lineno, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        match = HEADER_RE.match(line)
        if match:
            if current is not None:
                yield current
            current = Record(
                lineno=lineno,
                level=match["level"],
                db=match["db"],
                logger=match["logger"],
                message=match["message"].rstrip(),
                header=line,
            )
        elif current is not None:
            current.extra.append(line)
    if current is not None:
        yield current


def names_suite(text: str, modules) -> bool:
    """Tell whether ``text`` names one of our modules or models."""
    if "logistics_" in text or "logistics." in text:
        return True
    return any(re.search(rf"\b{re.escape(module)}\b", text) for module in modules)


def is_suite_logger(logger: str, modules) -> bool:
    """Tell whether a logger belongs to one of the suite's addons."""
    if logger.startswith("odoo.addons.logistics_"):
        return True
    return any(
        logger == f"odoo.addons.{module}" or logger.startswith(f"odoo.addons.{module}.")
        for module in modules
    )


def is_offending(record: Record, modules) -> bool:
    """An ERROR/CRITICAL record, or a WARNING that concerns the suite."""
    if record.level in BAD_LEVELS:
        return True
    if record.level != "WARNING":
        return False
    if is_suite_logger(record.logger, modules):
        return True
    # Only the message: the database name in the header is ours to choose.
    return names_suite("\n".join([record.message, *record.extra]), modules)


def judge(lines, modules=()) -> Verdict:
    """Read the lines of an Odoo log and return the verdict for ``modules``."""
    verdict = Verdict()
    for record in parse_records(lines):
        if is_offending(record, modules):
            verdict.offending.append(record)
        if record.logger == "odoo.tests.result":
            summary = SUMMARY_RE.match(record.message)
            if summary:
                verdict.summary_found = True
                verdict.failed = int(summary["failed"])
                verdict.errors = int(summary["errors"])
                verdict.tests_run = int(summary["run"])
            continue
        if record.logger == "odoo.tests.suite":
            skipped_class = CLASS_SKIPPED_RE.match(record.message)
            if skipped_class and is_suite_logger(skipped_class["test"], modules):
                verdict.skipped_classes.append(
                    f"{skipped_class['test']}: {skipped_class['reason'].strip()}"
                )
            continue
        if not record.logger.startswith("odoo.addons."):
            continue
        if SKIPPED_RE.match(record.message):
            verdict.skipped += 1
        elif STARTING_RE.match(record.message):
            verdict.started += 1
    return verdict


def is_test_summary(record: Record) -> bool:
    """The final ``odoo.tests.result`` line, which repeats what other lines say."""
    return record.logger == "odoo.tests.result" and bool(SUMMARY_RE.match(record.message))


MODULE_FAILURES_RE = re.compile(r"^Module \S+: \d+ failures, \d+ errors of \d+ tests")


def is_test_failure(record: Record) -> bool:
    """An ERROR record that only reports a failed or errored test, which the
    test summary counts already."""
    if record.logger.startswith("odoo.addons.") and FAILURE_RE.match(record.message):
        return True
    if record.logger == "odoo.modules.loading":
        return bool(
            MODULE_FAILURES_RE.match(record.message)
            or record.message.startswith("At least one test failed when loading the modules")
        )
    return is_test_summary(record)
