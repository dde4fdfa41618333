"""Live progress lines of `keploy-tui run` and its closing summary."""

from __future__ import annotations

import shlex

from keploy_tui.cli.output import Printer, printable
from keploy_tui.engine.events import RunEvent, StepFinished
from keploy_tui.formats.failure_text import failure_lines
from keploy_tui.model import Report, RunStatus, StepResult


class ProgressPrinter:
    """Prints one line per finished step, then failures and a summary."""

    def __init__(self, printer: Printer, quiet: bool = False, data_dir: str | None = None) -> None:
        self.printer = printer
        self.quiet = quiet
        self.data_dir = data_dir
        """The --data-dir the command was given, repeated in the command the summary suggests."""

    def __call__(self, event: RunEvent) -> None:
        if isinstance(event, StepFinished) and not self.quiet:
            self.printer.line(step_line(self.printer, event.result))

    def summary(self, report: Report) -> None:
        out = self.printer
        failed = [step for step in sorted(report.steps, key=lambda s: (s.suite_index, s.index)) if not step.passed]
        if failed:
            out.line()
            out.line(out.style(f"Failures ({len(failed)}):", "bold"))
        for step in failed:
            out.line()
            out.line(out.style(f"{out.fail_mark} {printable(step.suite)} / {printable(step.step)}", "red"))
            for line in failure_lines(step.latest):
                out.line(f"    {printable(line)}")
        out.line()
        not_run = report.total - report.passed - report.failed
        noun = "step" if report.total == 1 else "steps"
        counts = f"{report.total} {noun}: {report.passed} passed, {report.failed} failed"
        if not_run:
            counts += f", {not_run} not run"
        color = "green" if report.all_passed else "red"
        if report.status is not RunStatus.COMPLETED:
            status = report.status.value
        elif report.all_passed:
            status = "PASSED"
        else:
            status = "FAILED"
        out.line(out.style(f"{status}  {counts}", color))
        show = f"keploy-tui reports show {report.id[:8]}"
        if self.data_dir:
            show += f" --data-dir {shlex.quote(self.data_dir)}"
        out.line(f"Report {report.id}  ({printable(show)})")


def step_line(printer: Printer, result: StepResult) -> str:
    attempt = result.latest
    mark = printer.style(printer.pass_mark, "green") if result.passed else printer.style(printer.fail_mark, "red")
    if attempt.response is not None:
        outcome = str(attempt.response.status)
    else:
        outcome = attempt.error_kind or "error"
    if result.flaky:
        mark += " " + printer.style(f"FLAKY ({len(result.attempts)} attempts)", "yellow")
    name = printable(f"{result.suite} / {result.step}")
    line = f"{mark} {name}  {outcome}  {attempt.duration_ms:.0f} ms"
    if attempt.unchecked:
        # A step without assertions passes on any response, a 404 included.
        line += "  " + printer.style("(no checks)", "yellow")
    return line
