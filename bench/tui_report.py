"""Time to open a large report in the TUI and to move between its steps.

Usage: .venv/bin/python bench/tui_report.py [--steps 2000] [--body-mib 1]

Seeds a data directory with one report of --steps steps whose responses are
--body-mib MiB each, then drives KeployApp through Textual's pilot at 80x24: the time
from pushing the report screen until its step list holds every row, and the time of
one `n` (next failure) key press including the redraw of the Response pane.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from keploy_tui.model import Attempt, Report, ResponseRecord, RunStatus, StepResult, SuiteSummary
from keploy_tui.store.reports import ReportStore


def seed(data_dir: Path, steps: int, body_mib: int) -> str:
    store = ReportStore(data_dir)
    body = "x" * (body_mib * 1024 * 1024)
    report = Report(id="bench-report", created_at="2026-01-01T00:00:00+00:00", creator="bench",
                    status=RunStatus.COMPLETED, suites=[SuiteSummary(name="Big", total=steps)])
    store.create(report)
    for start in range(0, steps, 100):
        batch = [StepResult(suite="Big", suite_index=0, step=f"step {index}", index=index, method="GET",
                            url="/x", attempts=[Attempt(
                                started_at="2026-01-01T00:00:00+00:00", duration_ms=1.0,
                                passed=index % 10 != 0,
                                response=ResponseRecord(status=200, body=body, size=len(body)))])
                 for index in range(start, min(start + 100, steps))]
        report.steps = batch
        report.recount()
        store.append_steps(report, [store.step_line(report.id, step) for step in batch])
    return report.id


async def measure(data_dir: Path, report_id: str, steps: int) -> None:
    from keploy_tui.tui.app import KeployApp
    from keploy_tui.tui.screens.report_detail import ReportDetailScreen

    app = KeployApp(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        screen = ReportDetailScreen(report_id)
        await app.push_screen(screen)
        while not screen.is_mounted or screen.step_list.row_count < steps:
            await asyncio.sleep(0.001)
        await pilot.pause()
        opened = time.perf_counter() - start
        timings = {}
        for pane, label in (("1", "Request"), ("2", "Response")):
            await pilot.press(pane)
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("n")
            await pilot.pause()
            timings[label] = time.perf_counter() - start
    keys = ", ".join(f"{label} pane {seconds * 1000:.0f} ms" for label, seconds in timings.items())
    print(f"open report: {opened:.3f} s; next failure (n) with the {keys}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000, help="steps in the report (default: 2000)")
    parser.add_argument("--body-mib", type=int, default=1, help="response body size in MiB (default: 1)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        report_id = seed(Path(work), args.steps, args.body_mib)
        asyncio.run(measure(Path(work), report_id, args.steps))


if __name__ == "__main__":
    main()
