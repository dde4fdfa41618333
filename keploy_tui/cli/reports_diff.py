"""`keploy-tui reports diff`: compare two reports step by step."""

from __future__ import annotations

import sys

from keploy_tui.cli.output import Printer, printable
from keploy_tui.cli.reports_cmd import local_time
from keploy_tui.engine.compare import GROUP_TITLES, Comparison, StepDelta, compare_reports, format_ms, previous_report
from keploy_tui.store.reports import ReportStore


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
    if delta.old_ms is not None and delta.new_ms is not None:
        # The difference of the rounded durations, so that the three numbers shown add up.
        times += f" ({format_ms(round(delta.new_ms) - round(delta.old_ms))})"
    return f"{name}  {verdicts}  {times}"


def _verdict(passed: bool | None) -> str:
    if passed is None:
        return "-"
    return "PASS" if passed else "FAIL"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{round(value)} ms"
