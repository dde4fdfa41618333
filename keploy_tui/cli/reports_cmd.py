"""`keploy-tui reports`: list stored reports, print one, or compare two."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import datetime

from keploy_tui.cli.output import Printer, printable
from keploy_tui.cli.import_cmd import add_environment_option
from keploy_tui.cli.progress import step_line
from keploy_tui.cli.run_cmd import (
    SECRET_ENV, UsageError, add_auth_options, add_connection_options, auth_from_args, check_base_url,
    check_timeout,
)
from keploy_tui.engine.auth import AuthError
from keploy_tui.engine.rerun import failed_targets, rerun_steps
from keploy_tui.engine.compare import GROUP_TITLES, Comparison, StepDelta, compare_reports, format_ms, previous_report
from keploy_tui.formats.failure_text import failure_lines
from keploy_tui.formats.report_json import to_json
from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.importers import load_any_paths
from keploy_tui.model import REDACTED, Report, RunConfig, StepResult, Suite
from keploy_tui.store.logs import setup_logging
from keploy_tui.store.paths import resolve_data_dir
from keploy_tui.store.reports import ReportStore


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("reports", help="list stored reports, print, compare or re-run one",
                                 description="List stored reports, newest first, or print, compare or "
                                             "re-run one.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    show = actions.add_parser("show", help="print one report with its steps and failures")
    show.add_argument("report_id", metavar="ID", help="a report id, or a unique prefix of one")
    show.add_argument("--json", action="store_true", help="print the stored report as JSON")
    diff = actions.add_parser(
        "diff", help="compare two reports step by step",
        description="Compare two reports step by step: regressed, fixed, still failing, unchanged, new "
                    "and removed steps, with the change in duration. With one id, compare it with the "
                    "newest earlier report of the same suites. Exit code: 0 nothing regressed, "
                    "1 a step regressed, 2 an unknown id or no earlier report.",
    )
    diff.add_argument("report_ids", nargs="+", metavar="ID",
                      help="the old report, then the new one (ids or unique prefixes); one id compares it "
                           "with the report before it")
    add_rerun_parser(actions)
    parser.set_defaults(handler=reports)


def add_rerun_parser(actions: argparse._SubParsersAction) -> None:
    rerun = actions.add_parser(
        "rerun", help="run failed steps of a report again and add the attempts to it",
        description="Run the failed steps of a report again (or one step) with the current suite "
                    "definitions, each with the variables it last ran with, and store the new attempts in "
                    "the same report. A stored report holds no secrets, so give the auth again. "
                    "Exit code: 0 every re-run step passed, 1 one failed, 2 bad usage or input.",
    )
    rerun.add_argument("report_id", metavar="ID", help="a report id, or a unique prefix of one")
    rerun.add_argument("paths", nargs="*", metavar="PATH",
                       help="where the suites are now (default: the paths the run was given, "
                            "relative to the current directory)")
    selection = rerun.add_mutually_exclusive_group()
    selection.add_argument("--failed", action="store_true", help="re-run every failed step (the default)")
    selection.add_argument("--step", metavar="'SUITE / STEP'", help="re-run this one step")
    add_environment_option(rerun)
    rerun.add_argument("--base-url", metavar="URL", default=os.environ.get("KEPLOY_TUI_BASE_URL"),
                       help="API endpoint URL (default: the report's, env KEPLOY_TUI_BASE_URL)")
    add_auth_options(rerun)
    add_connection_options(rerun)


def open_store(args: argparse.Namespace) -> ReportStore:
    data_dir = resolve_data_dir(args.data_dir)
    setup_logging(data_dir)
    store = ReportStore(data_dir)
    store.mark_interrupted()
    return store


def reports(args: argparse.Namespace) -> int:
    store = open_store(args)
    printer = Printer()
    if getattr(args, "action", None) == "diff":
        return diff_reports(store, printer, args.report_ids)
    if getattr(args, "action", None) == "rerun":
        return rerun_report(store, printer, args)
    if getattr(args, "action", None) == "show":
        try:
            report = store.get(args.report_id, bodies=args.json)
        except LookupError as error:
            print(f"keploy-tui reports show: {printable(error.args[0] if error.args else error)}", file=sys.stderr)
            return 2
        if args.json:
            sys.stdout.write(to_json(report))
        else:
            print_report(printer, report)
        return 0
    print_table(printer, store.list())
    return 0


def local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso


def print_table(printer: Printer, reports: list[Report]) -> None:
    if not reports:
        printer.line("No reports yet. Run a suite with: keploy-tui run PATH --base-url URL")
        return
    rows = [("Report ID", "Created At", "Creator", "Total/Passed/Failed", "Status")]
    for report in reports:
        rows.append((report.id, local_time(report.created_at), printable(report.creator),
                     f"{report.total}/{report.passed}/{report.failed}", report.status.value))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for number, row in enumerate(rows):
        text = "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
        if number == 0:
            text = printer.style(text, "bold")
        elif reports[number - 1].all_passed:
            text = printer.style(text, "green")
        printer.line(text)


def print_report(printer: Printer, report: Report) -> None:
    printer.line(printer.style(f"Report {report.id}", "bold"))
    printer.line(f"Created At: {local_time(report.created_at)}   Creator: {printable(report.creator)}")
    printer.line(f"Endpoint:   {printable(report.base_url)}   Auth: {report.auth_kind}")
    printer.line(f"Status:     {report.status.value}   Total/Passed/Failed: "
                 f"{report.total}/{report.passed}/{report.failed}")
    for index, suite in enumerate(report.suites):
        printer.line()
        printer.line(printer.style(f"{printable(suite.name)}  [{suite.status.value}] "
                                   f"{suite.passed}/{suite.total} passed", "bold"))
        for step in sorted((s for s in report.steps if s.suite_index == index), key=lambda s: s.index):
            printer.line("  " + step_line(printer, step))
            for line in failure_lines(step.latest):
                printer.line(f"      {printable(line)}")


def diff_reports(store: ReportStore, printer: Printer, report_ids: list[str]) -> int:
    """Print the comparison of two reports; return 1 when a step regressed, 2 for a bad id."""
    if len(report_ids) > 2:
        print(f"keploy-tui reports diff: give one or two report ids, not {len(report_ids)}", file=sys.stderr)
        return 2
    try:
        reports = [store.get(report_id, bodies=False) for report_id in report_ids]
    except LookupError as error:
        print(f"keploy-tui reports diff: {printable(error.args[0] if error.args else error)}", file=sys.stderr)
        return 2
    if len(reports) == 1:
        new = reports[0]
        previous = previous_report(store.list(), new)
        if previous is None:
            print(f"keploy-tui reports diff: no report before {new.id} ran the same suites; "
                  "give the report to compare with as a second id", file=sys.stderr)
            return 2
        reports = [store.get(previous.id, bodies=False), new]
    comparison = compare_reports(*reports)
    print_comparison(printer, comparison)
    return 1 if comparison.regressed else 0


def print_comparison(printer: Printer, comparison: Comparison) -> None:
    old, new = comparison.old, comparison.new
    for label, report in (("Old", old), ("New", new)):
        printer.line(printer.style(f"{label} {report.id}  {local_time(report.created_at)}  Total/Passed/Failed: "
                                   f"{report.total}/{report.passed}/{report.failed}", "bold"))
    colors = {"regressed": "red", "fixed": "green", "still_failing": "red"}
    for group, deltas in comparison.by_group().items():
        if not deltas:
            continue
        printer.line()
        title = f"{GROUP_TITLES[group]} ({len(deltas)}):"
        printer.line(printer.style(title, colors[group]) if group in colors else title)
        for delta in deltas:
            printer.line(f"  {delta_line(delta)}")
    printer.line()
    printer.line(comparison.summary())


def delta_line(delta: StepDelta) -> str:
    """Return `suite / step  PASS -> FAIL  12 ms -> 40 ms (+28 ms)`, with `-` where a step did not run."""
    name = printable(f"{delta.suite} / {delta.step}")
    verdicts = f"{_verdict(delta.old_passed)} -> {_verdict(delta.new_passed)}"
    times = f"{_ms(delta.old_ms)} -> {_ms(delta.new_ms)}"
    if delta.delta_ms is not None:
        times += f" ({format_ms(delta.delta_ms)})"
    return f"{name}  {verdicts}  {times}"


def _verdict(passed: bool | None) -> str:
    if passed is None:
        return "-"
    return "PASS" if passed else "FAIL"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


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
    base_url = args.base_url or report.base_url
    if REDACTED in base_url:
        raise UsageError(f"the report's endpoint {base_url} held a password; give --base-url")
    check_base_url(base_url)
    auth = auth_from_args(args)
    if auth.kind == "none" and report.auth_kind != "none":
        option = "--" + report.auth_kind.replace("_", "-")
        raise UsageError(f"report {report.id} ran with {report.auth_kind} auth, which is not stored; "
                         f"give {option} or set {SECRET_ENV.get(report.auth_kind, 'its environment variable')}")
    check_timeout(args.timeout)
    return RunConfig(base_url=base_url, auth=auth, timeout=args.timeout, verify_tls=not args.insecure)
