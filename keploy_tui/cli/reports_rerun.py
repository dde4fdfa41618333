"""`keploy-tui reports rerun`: run failed steps of a stored report again and add the attempts to it."""

from __future__ import annotations

import argparse
import asyncio
import sys

from keploy_tui.cli.output import Printer, printable
from keploy_tui.cli.progress import step_line
from keploy_tui.cli.run_cmd import (
    SECRET_ENV, UsageError, auth_from_args, check_base_url, check_timeout, given_base_url, parse_vars,
)
from keploy_tui.engine.auth import AuthError
from keploy_tui.engine.rerun import LOST_COOKIES, failed_targets, lost_cookies, rerun_steps
from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.failure_text import failure_lines
from keploy_tui.formats.importers import load_any_paths
from keploy_tui.model import REDACTED, Report, RunConfig, StepResult, Suite
from keploy_tui.store.reports import ReportStore


def rerun_report(store: ReportStore, printer: Printer, args: argparse.Namespace) -> int:
    """Re-run steps of a stored report, print a line per step and save the attempts."""
    try:
        report = store.get(args.report_id, bodies=False)
        if report.status.active:
            raise UsageError(f"report {report.id} is still {report.status.value}; re-run its steps after it finishes")
        suites = load_any_paths(args.paths or _sources(report), args.environment).suites
        targets = [_step_target(report, suites, args.step)] if args.step else failed_targets(report)
        config = _rerun_config(args, report)
    except (LookupError, SuiteLoadError, UsageError, AuthError, OSError) as error:
        print(f"keploy-tui reports rerun: {printable(error.args[0] if error.args else error)}", file=sys.stderr)
        return 2
    if not targets:
        printer.line(f"Report {report.id} has no failed steps; nothing to re-run.")
        return 0
    def show(result: StepResult) -> None:
        # The failure details follow each line, as `reports show` prints them.
        printer.line(step_line(printer, result))
        if lost_cookies(result):
            printer.line(f"    {LOST_COOKIES}")
        if not result.passed:
            for line in failure_lines(result.latest):
                printer.line(f"    {printable(line)}")

    try:
        results = asyncio.run(rerun_steps(report, suites, targets, config, on_result=show))
    except (LookupError, AuthError) as error:
        print(f"keploy-tui reports rerun: {printable(error.args[0] if error.args else error)}", file=sys.stderr)
        return 2
    # Appending only the re-run steps keeps attempts another process saved meanwhile.
    store.append_steps(report, [store.step_line(report.id, result) for result in results])
    passed = sum(result.passed for result in results)
    printer.line()
    noun = "step" if len(results) == 1 else "steps"
    printer.line(f"Re-ran {len(results)} {noun}: {passed} passed, {len(results) - passed} failed. "
                 f"Report {report.id} Total/Passed/Failed: {report.total}/{report.passed}/{report.failed}")
    return 0 if passed == len(results) else 1


def _sources(report: Report) -> list[str]:
    sources = list(dict.fromkeys(suite.source for suite in report.suites if suite.source))
    if not sources:
        raise UsageError(f"report {report.id} does not record where its suites came from; give their PATHs")
    return sources


def _step_target(report: Report, suites: list[Suite], text: str) -> tuple[int, int]:
    """Return the target of `SUITE / STEP`: its stored result, or its position if it never ran."""
    suite_name, separator, step_name = (part.strip() for part in text.partition(" / "))
    if not separator:
        raise UsageError(f"--step must be 'SUITE / STEP', not {text!r}")
    for result in report.steps:
        if (result.suite, result.step) == (suite_name, step_name):
            return result.suite_index, result.index
    for suite_index, summary in enumerate(report.suites):
        definition = next((suite for suite in suites if suite.name == summary.name == suite_name), None)
        names = [step.name for step in definition.steps] if definition else []
        if step_name in names:
            return suite_index, names.index(step_name)
    raise LookupError(f"report {report.id} has no step {text!r}; `keploy-tui reports show` lists them")


def _rerun_config(args: argparse.Namespace, report: Report) -> RunConfig:
    base_url, source = given_base_url(args)
    if not base_url:
        base_url, source = report.base_url, "endpoint of the report"
    if REDACTED in base_url:
        raise UsageError(f"the report's endpoint {base_url} held a password; give --base-url")
    check_base_url(base_url, source)
    auth = auth_from_args(args)
    if auth.kind == "none" and report.auth_kind != "none":
        option = "--" + report.auth_kind.replace("_", "-")
        raise UsageError(f"report {report.id} ran with {report.auth_kind} auth, which is not stored; "
                         f"give {option} or set {SECRET_ENV.get(report.auth_kind, 'its environment variable')}")
    check_timeout(args.timeout)
    return RunConfig(base_url=base_url, auth=auth, timeout=args.timeout, verify_tls=not args.insecure,
                     variables=parse_vars(args.var))
