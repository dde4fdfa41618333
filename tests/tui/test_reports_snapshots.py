"""Snapshots at 80x24: the reports list, a failed step's Assertions pane and its Diff pane."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from keploy_tui.store import ReportStore
from keploy_tui.tui.screens.reports import ReportsScreen
from tests.tui.conftest import SIZE, RecordingApp, wait_loaded
from tests.tui.reports_data import store_reports


@pytest.fixture
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC for the test, so the Created At column is the same everywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


class HostApp(App[None]):
    def __init__(self, store: ReportStore) -> None:
        super().__init__()
        self.store = store

    def on_mount(self) -> None:
        self.push_screen(ReportsScreen(self.store))


def test_snapshot_reports_sorted_by_id(snap_compare, tmp_path: Path, utc_clock) -> None:
    store = store_reports(tmp_path)

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("s")

    assert snap_compare(HostApp(store), terminal_size=SIZE, run_before=run_before)


def open_pane(key: str):
    async def run_before(pilot: Pilot) -> None:
        await wait_loaded(pilot)
        await pilot.press("p", "enter")
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()

    return run_before


def test_snapshot_assertions_pane(snap_compare, data_dir: Path, utc_clock) -> None:
    store_reports(data_dir)
    assert snap_compare(RecordingApp(data_dir), terminal_size=SIZE, run_before=open_pane("3"))


def test_snapshot_diff_pane(snap_compare, data_dir: Path, utc_clock) -> None:
    store_reports(data_dir)
    assert snap_compare(RecordingApp(data_dir), terminal_size=SIZE, run_before=open_pane("4"))


def test_snapshot_diff_side_by_side(snap_compare, data_dir: Path, utc_clock) -> None:
    store_reports(data_dir)
    assert snap_compare(RecordingApp(data_dir), terminal_size=SIZE, run_before=open_pane("s"))
