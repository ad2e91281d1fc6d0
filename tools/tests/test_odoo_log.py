"""Tests of the test runner's Odoo log reading, on lines as Odoo 19.0 writes them.

Tier 2 does not run where Odoo is not installed (CI among others), so these
tests keep the log reading honest everywhere.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import odoo_log
import run_tests

HEAD = "2026-11-22 04:56:05,550 7020"

FAILING_RUN = f"""\
Running as user 'root' is a security risk.
{HEAD} INFO lstest_1 odoo.tests.common: Importing test framework
{HEAD} WARNING lstest_1 odoo.modules.module: The module sign_oca has an incompatible version, \
setting installable=False
<string>:38: (ERROR/3) Unexpected indentation.
{HEAD} INFO lstest_1 odoo.modules.loading: Loading module logistics_probe (2/15)
{HEAD} INFO lstest_1 odoo.addons.logistics_probe.tests.test_probe: Starting TestProbe.test_error ...
{HEAD} INFO lstest_1 odoo.addons.logistics_probe.tests.test_probe: ====================
{HEAD} ERROR lstest_1 odoo.addons.logistics_probe.tests.test_probe: ERROR: TestProbe.test_error
Traceback (most recent call last):
  File "/tmp/rt_probe/logistics_probe/tests/test_probe.py", line 14, in test_error
    raise ValueError("deliberate error")
ValueError: deliberate error

{HEAD} INFO lstest_1 odoo.addons.logistics_probe.tests.test_probe: Starting TestProbe.test_fail ...
{HEAD} ERROR lstest_1 odoo.addons.logistics_probe.tests.test_probe: FAIL: TestProbe.test_fail
Traceback (most recent call last):
AssertionError: 1 != 2 : deliberate failure

{HEAD} INFO lstest_1 odoo.addons.logistics_probe.tests.test_probe: Starting TestProbe.test_pass ...
{HEAD} INFO lstest_1 odoo.addons.logistics_probe.tests.test_probe: Starting TestProbe.test_skip ...
{HEAD} INFO lstest_1 odoo.addons.logistics_probe.tests.test_probe: skipped TestProbe.test_skip \
: deliberately skipped
{HEAD} ERROR lstest_1 odoo.modules.loading: Module logistics_probe: 1 failures, 1 errors of 4 tests
{HEAD} INFO lstest_1 odoo.service.server: Starting post tests
{HEAD} INFO lstest_1 odoo.addons.logistics_probe.tests.test_probe: Starting \
TestProbePost.test_post_pass ...
{HEAD} ERROR lstest_1 odoo.tests.result: 1 failed, 1 error(s) of 5 tests when loading database \
'lstest_1'
"""

PASSING_RUN = f"""\
{HEAD} WARNING lstest_2 odoo.modules.module: The module agreement_sign_oca has an incompatible \
version, setting installable=False
{HEAD} INFO lstest_2 odoo.addons.logistics_probe.tests.test_probe: Starting TestProbe.test_pass ...
{HEAD} INFO lstest_2 odoo.tests.result: 0 failed, 0 error(s) of 1 tests when loading database \
'lstest_2'
"""


def test_failing_run_is_counted():
    verdict = odoo_log.judge(FAILING_RUN.splitlines(), ["logistics_probe"])
    assert verdict.summary_found
    assert (verdict.tests_run, verdict.failed, verdict.errors) == (5, 1, 1)
    assert verdict.skipped == 1
    assert verdict.passed == 2
    assert verdict.not_passed == 2
    assert verdict.started == 5


def test_failing_run_reports_error_records_with_their_traceback():
    verdict = odoo_log.judge(FAILING_RUN.splitlines(), ["logistics_probe"])
    messages = [record.message for record in verdict.offending]
    assert messages[:2] == ["ERROR: TestProbe.test_error", "FAIL: TestProbe.test_fail"]
    assert "ValueError: deliberate error" in verdict.offending[0].text()


def test_foreign_warning_and_docutils_noise_do_not_offend():
    verdict = odoo_log.judge(PASSING_RUN.splitlines(), ["logistics_probe"])
    assert verdict.offending == []
    assert (verdict.tests_run, verdict.passed) == (1, 1)
    noise = odoo_log.judge(["<string>:38: (ERROR/3) Unexpected indentation."], [])
    assert noise.offending == []
    assert not noise.summary_found


def test_warning_of_our_logger_or_naming_our_model_offends():
    lines = [
        f"{HEAD} WARNING db odoo.addons.logistics_integration.models.x: slow partner",
        f"{HEAD} WARNING db odoo.modules.loading: The models ['logistics.backend'] have no "
        "access rules in module web, consider adding some, like:",
        "id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink",
        f"{HEAD} WARNING db odoo.fields: Field x of res.partner has a weird label",
        f"{HEAD} WARNING db odoo.modules.module: Missing `author` key in manifest for "
        "'my_probe', defaulting to ''",
        f"{HEAD} CRITICAL db odoo.service.server: Failed to initialize database `db`.",
    ]
    verdict = odoo_log.judge(lines, ["my_probe"])
    loggers = [record.logger for record in verdict.offending]
    assert loggers == [
        "odoo.addons.logistics_integration.models.x",
        "odoo.modules.loading",
        "odoo.modules.module",
        "odoo.service.server",
    ]


def test_database_name_in_header_is_not_a_reason_to_fail():
    line = f"{HEAD} WARNING logistics_demo odoo.modules.module: unrelated module warning"
    assert odoo_log.judge([line], []).offending == []


def test_zero_tests_summary_is_read():
    line = (
        f"{HEAD} WARNING db odoo.tests.result: 0 failed, 0 error(s) of 0 tests "
        "when loading database 'logistics_x'"
    )
    verdict = odoo_log.judge([line], [])
    assert verdict.summary_found
    assert verdict.tests_run == 0
    # The summary names the database; the runner judges the counts, not this record.
    assert odoo_log.is_test_summary(verdict.offending[0])


def test_a_test_class_skipped_whole_is_named_and_counted_apart():
    lines = [
        f"{HEAD} INFO db odoo.addons.logistics_probe.tests.test_probe: Starting "
        "TestProbe.test_pass ...",
        f"{HEAD} INFO db odoo.tests.suite: skipped setUpClass "
        "(odoo.addons.logistics_probe.tests.test_tours.TestTours) : published samples not "
        "found at /ci/shared/samples ",
        f"{HEAD} INFO db odoo.tests.suite: skipped setUpClass "
        "(odoo.addons.base.tests.test_x.TestOther) : not ours",
        f"{HEAD} INFO db odoo.tests.result: 0 failed, 0 error(s) of 1 tests when loading "
        "database 'db'",
    ]
    verdict = odoo_log.judge(lines, ["logistics_probe"])
    assert verdict.skipped_classes == [
        "odoo.addons.logistics_probe.tests.test_tours.TestTours: published samples not found "
        "at /ci/shared/samples"
    ]
    # Odoo counts no test of a class skipped whole: the one that ran passed.
    assert (verdict.tests_run, verdict.skipped, verdict.passed) == (1, 0, 1)
    assert verdict.offending == []


def test_junit_counts(tmp_path):
    report = tmp_path / "report.xml"
    report.write_text(
        '<testsuites><testsuite name="pytest" errors="1" failures="2" skipped="3" tests="10">'
        "</testsuite></testsuites>"
    )
    assert run_tests.junit_counts(report) == (4, 3, 3)
    assert run_tests.junit_counts(tmp_path / "missing.xml") is None


def test_tier_and_pytest_arguments():
    options = run_tests.parse_args(["1", "-k", "x12", "--keep-db", "--", "--addons-dir"])
    assert options.tiers == (1,)
    assert options.keep_db
    assert options.pytest_args == ["-k", "x12", "--addons-dir"]
    options = run_tests.parse_args(["2", "--addons-dir=/tmp"])
    assert options.tiers == (2,)
    assert options.explicit_tier2
    assert str(options.addons_dir) == "/tmp"
    assert run_tests.parse_args([]).tiers == (1, 2)


def test_summary_line():
    tally = run_tests.Tally(passed=3, failed=1)
    assert tally.line() == "tests: 3 passed, 1 failed"
    tally.skipped = 2
    assert tally.line() == "tests: 3 passed, 1 failed, 2 skipped"
