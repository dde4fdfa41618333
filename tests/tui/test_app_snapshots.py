"""Snapshots of the suite list at 80x24: at rest with stored history, and after a run of the samples.

Times are fixed so the images do not change: a fixed clock for the stored reports, and
"just now" for the run, which ends within a minute of the screenshot.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot

from keploy_tui.model import Auth, Report, RunStatus, SuiteStatus, SuiteSummary
from keploy_tui.store import ReportStore, SettingsStore
from tests.tui.conftest import FIXED_NOW, SIZE, RecordingApp, settle, wait_for_runs, wait_loaded


def seed_reports(data_dir: Path, samples_dir: Path) -> None:
    store = ReportStore(data_dir)
    runs = [
        ("0b9d6a0c-0000-4000-8000-000000000001", timedelta(days=2),
         SuiteSummary(name="Demo API authentication", source=str(samples_dir / "auth.yaml"),
                      status=SuiteStatus.PASSED, total=7, passed=7, done=7)),
        ("0b9d6a0c-0000-4000-8000-000000000002", timedelta(minutes=3),
         SuiteSummary(name="Deliberate failures", source=str(samples_dir / "failing.yaml"),
                      status=SuiteStatus.FAILED, total=8, passed=2, failed=6, done=8)),
    ]
    for report_id, age, summary in runs:
        store.create(Report(id=report_id, created_at=(FIXED_NOW - age).isoformat(), creator="ci@example.com",
                            status=RunStatus.COMPLETED, suites=[summary]))


def test_suite_list_at_rest(snap_compare, data_dir, samples_dir):
    seed_reports(data_dir, samples_dir)
    app = RecordingApp(data_dir, extra_sources=[str(samples_dir)], clock=lambda: FIXED_NOW)

    async def run_before(pilot: Pilot) -> None:
        await wait_loaded(pilot)
        await pilot.press("j")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_suite_list_after_run(snap_compare, data_dir, samples_dir, fresh_demo_server):
    app = RecordingApp(data_dir, extra_sources=[str(samples_dir)])

    async def run_before(pilot: Pilot) -> None:
        await wait_loaded(pilot)
        settings = SettingsStore(data_dir)
        for suite in app.suites:
            settings.set_suite(suite.key, fresh_demo_server.url, Auth())
        await pilot.press("space", "space", "space", "space", "R")
        await wait_for_runs(pilot)
        app.clear_notifications()
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
