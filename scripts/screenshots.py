"""Write SVG screenshots of every screen of the app at 80x24 into screenshots/.

The app runs headless (App.run_test) on a temporary data directory against the demo API,
which is started in this process on a free 127.0.0.1 port. The sample suites are run
once before the app opens, so the suite list and the reports screen have history to show.

Usage: .venv/bin/python scripts/screenshots.py [--out DIR]

It works in the project folder, so the import prompt's screenshot shows a relative path.

Report ids, times and the demo API's port change on every run, so the SVGs do too.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The venv does not install the package, so the project root goes on sys.path.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input, RadioButton  # noqa: E402

from keploy_tui.demo import DEMO_TOKEN, DemoServer  # noqa: E402
from keploy_tui.engine.runner import Runner  # noqa: E402
from keploy_tui.formats.suite_yaml import load_paths  # noqa: E402
from keploy_tui.model import RunConfig, SuiteStatus  # noqa: E402
from keploy_tui.store.recorder import ReportRecorder  # noqa: E402
from keploy_tui.store.reports import ReportStore  # noqa: E402
from keploy_tui.tui.app import KeployApp  # noqa: E402
from keploy_tui.tui.widgets.step_list import StepList  # noqa: E402

SIZE = (80, 24)
SAMPLES_DIR = ROOT / "data" / "suites"
CREATOR = "demo@example.com"
WAIT_TIMEOUT = 30.0
"""Seconds to wait for the app to load or for a run to finish, far above the few seconds a run of the samples takes."""


async def seed_reports(data_dir: Path, base_url: str) -> None:
    """Run the sample suites once, headless, so the app starts with a stored report."""
    suites = load_paths([str(SAMPLES_DIR)])
    runner = Runner(suites, RunConfig(base_url=base_url, creator=CREATOR), on_event=ReportRecorder(ReportStore(data_dir)))
    await runner.run()


async def wait_until(pilot: Pilot, condition: Callable[[], bool], description: str) -> None:
    deadline = time.monotonic() + WAIT_TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {WAIT_TIMEOUT:g} s waiting for {description}")
        await pilot.pause(0.05)


class Camera:
    """Saves the app's current screen as `<out>/<name>.svg` and lists what it wrote."""

    def __init__(self, app: KeployApp, out: Path) -> None:
        self.app = app
        self.out = out
        self.written: list[Path] = []

    async def shoot(self, pilot: Pilot, name: str) -> None:
        # Settle layout and the suite list's batched refresh, and keep input cursors visible.
        await pilot.pause(0.3)
        for field in self.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()
        path = self.out / f"{name}.svg"
        path.write_text(self.app.export_screenshot(title="keploy-tui"), encoding="utf-8")
        self.written.append(path)


def any_badge(app: KeployApp, status: SuiteStatus) -> bool:
    return any(badge.status is status for badge in app.badges.values())


async def capture(out: Path, data_dir: Path, server: DemoServer) -> list[Path]:
    app = KeployApp(data_dir, extra_sources=[str(SAMPLES_DIR)], demo_url=server.url, creator=CREATOR)
    camera = Camera(app, out)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: app.loaded and bool(app.suites), "the suites to load")
        await camera.shoot(pilot, "suites")

        await pilot.press("enter")
        await pilot.press("down")
        await camera.shoot(pilot, "suite-detail")
        # The editor is closed unchanged, so the sample files are never written.
        await pilot.press("e")
        await camera.shoot(pilot, "step-editor")
        await pilot.press("escape", "escape")

        # Mark every suite, so the modal lists them all and the run shows several badges.
        for _ in app.suites:
            await pilot.press("space")
        await pilot.press("r")
        await camera.shoot(pilot, "run-modal-endpoint")

        await pilot.press("ctrl+t")
        app.screen.query_one("#kind-bearer", RadioButton).value = True
        app.screen.query_one("#auth-token", Input).value = DEMO_TOKEN
        await camera.shoot(pilot, "run-modal-auth")

        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: any_badge(app, SuiteStatus.RUNNING), "a suite to start running")
        await camera.shoot(pilot, "run-in-progress")

        await wait_until(pilot, lambda: app.badges and not app.runs.active, "the run to finish")
        await camera.shoot(pilot, "run-finished")

        # The run's last report write happens on the store's writer thread.
        await app.runs.drain()
        app.clear_notifications()
        await pilot.press("p")
        await camera.shoot(pilot, "reports")

        # The newest report is the app's run; the seeded run before it is what d compares with.
        await pilot.press("enter")
        await camera.shoot(pilot, "report-detail")
        await pilot.press("3")
        await camera.shoot(pilot, "report-assertions")
        # Declined with n, so the sample files are never written.
        await pilot.press("a")
        await camera.shoot(pilot, "accept-prompt")
        await pilot.press("n")
        await pilot.press("4")
        await camera.shoot(pilot, "report-diff")
        await pilot.press("s")
        await camera.shoot(pilot, "report-diff-side-by-side")
        await pilot.press("d")
        await camera.shoot(pilot, "report-compare")
        await pilot.press("escape")

        detail = app.screen
        flaky = next(step for step in detail.report.steps if step.step == "Flaky endpoint")
        detail.query_one(StepList).select_step(flaky.suite_index, flaky.index)
        await pilot.press("1", "r")
        await wait_until(pilot, lambda: detail.report.steps and len(
            next(step for step in detail.report.steps if step.step == "Flaky endpoint").attempts) > 1,
            "the re-run of the flaky step")
        await camera.shoot(pilot, "report-rerun")
        app.clear_notifications()
        await pilot.press("escape", "escape")

        await pilot.press("question_mark")
        await camera.shoot(pilot, "help")
        await pilot.press("escape")

        await pilot.press("i")
        await pilot.press(*"data/su")
        await pilot.pause(0.2)
        await camera.shoot(pilot, "import-prompt")
        await pilot.press("escape")
    return camera.written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write SVG screenshots of every screen at 80x24.")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots",
                        help="folder for the SVG files (default: screenshots/ in the project)")
    args = parser.parse_args(argv)
    args.out = args.out.absolute()
    args.out.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)

    with tempfile.TemporaryDirectory(prefix="keploy-tui-screenshots-") as temp, DemoServer() as server:
        data_dir = Path(temp)
        asyncio.run(seed_reports(data_dir, server.url))
        written = asyncio.run(capture(args.out, data_dir, server))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
