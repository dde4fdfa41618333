"""Time to open a large report in the TUI and to move between its steps.

Usage: .venv/bin/python bench/tui_report.py [--steps 2000] [--body-kib 1024] [--keys 20]

Seeds a data directory with one report of --steps steps whose responses are JSON bodies
of about --body-kib KiB each (an array of small objects, the common shape of a large
API response), then drives KeployApp at 80x24: the time from pushing the report screen
until its step list contains every row, and for each pane, the time from a key press
(n, then j) to the first frame whose pane shows the newly highlighted step. Keys go in
through the driver and frames are timed as in bench/tui.py, because Pilot.press and
pause wait for the app to go idle, which added about 100 ms to every key.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tui import frame_time, pane_shows_highlighted, send_key, timed_app_class, wait_until  # noqa: E402

from keploy_tui.model import Attempt, Report, ResponseRecord, RunStatus, StepResult, SuiteSummary  # noqa: E402
from keploy_tui.store.reports import ReportStore  # noqa: E402


def json_body(kib: int) -> str:
    item = {"id": 0, "name": "item", "tags": ["a", "b"], "active": True, "price": 12.5}
    count = max(1, kib * 1024 // len(json.dumps(item)))
    return json.dumps([dict(item, id=index, name=f"item {index}") for index in range(count)])


def seed(data_dir: Path, steps: int, body: str) -> str:
    store = ReportStore(data_dir)
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


async def measure(data_dir: Path, report_id: str, steps: int, keys: int) -> None:
    from keploy_tui.tui.screens.report_detail import ReportDetailScreen

    app = timed_app_class()(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        screen = ReportDetailScreen(report_id)
        await app.push_screen(screen)
        await wait_until(lambda: screen.is_mounted and screen.step_list.row_count >= steps + 1, "every row")
        opened = time.perf_counter() - start
        await pilot.pause()
        print(f"open report: {opened:.3f} s")
        for pane, label in (("1", "Request"), ("2", "Response")):
            await pilot.press(pane)
            await pilot.pause()
            for key in ("n", "j"):
                samples = []
                for _ in range(keys):
                    reacted = app.frame_where(pane_shows_highlighted(screen))
                    pressed = time.perf_counter()
                    send_key(app, key)
                    samples.append(await frame_time(reacted, f"the {label} pane after {key}") - pressed)
                    await pilot.pause()
                print(f"  {label} pane, {key}: median {statistics.median(samples) * 1000:.0f} ms, "
                      f"max {max(samples) * 1000:.0f} ms over {keys} presses")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000, help="steps in the report (default: 2000)")
    parser.add_argument("--body-kib", type=int, default=1024, help="JSON body size in KiB (default: 1024)")
    parser.add_argument("--keys", type=int, default=20, help="presses of each key per pane (default: 20)")
    args = parser.parse_args()
    body = json_body(args.body_kib)
    print(f"{args.steps} steps, JSON bodies of {len(body) / 1024:.0f} KiB, terminal 80x24 (headless)")
    with tempfile.TemporaryDirectory() as work:
        report_id = seed(Path(work), args.steps, body)
        asyncio.run(measure(Path(work), report_id, args.steps, args.keys))


if __name__ == "__main__":
    main()
