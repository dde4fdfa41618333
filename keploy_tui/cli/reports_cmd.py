"""`keploy-tui reports`: list stored reports and print one; diff and rerun live in their own modules."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from keploy_tui.cli.output import Printer, printable
from keploy_tui.cli.import_cmd import add_environment_option
from keploy_tui.cli.progress import step_line
from keploy_tui.cli.run_cmd import add_auth_options, add_connection_options
from keploy_tui.formats.failure_text import failure_lines
from keploy_tui.formats.report_json import to_json
from keploy_tui.model import Report
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
    rerun.add_argument("--base-url", metavar="URL",
                       help="API endpoint URL (default: env KEPLOY_TUI_BASE_URL, else the report's)")
    add_auth_options(rerun)
    rerun.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                       help="a value for a variable the report stores redacted, such as a password; repeatable")
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
    # Each action's module is imported only when it runs, which keeps `keploy-tui run`,
    # which builds this command's parser, from importing them.
    if getattr(args, "action", None) == "diff":
        from keploy_tui.cli.reports_diff import diff_reports

        return diff_reports(store, printer, args.report_ids)
    if getattr(args, "action", None) == "rerun":
        from keploy_tui.cli.reports_rerun import rerun_report

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
