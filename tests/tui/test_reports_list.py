"""The reports list: sorting, filtering, copying the id, live refresh and opening a report."""

from __future__ import annotations

from pathlib import Path

import pyperclip
import pytest
from textual.app import App
from textual.widgets import DataTable

from keploy_tui.model import Report, RunStatus, SuiteStatus, SuiteSummary
from keploy_tui.store import ReportStore
from keploy_tui.tui.screens.report_detail import ReportDetailScreen
from keploy_tui.tui.screens.reports import ReportsScreen
from tests.tui.conftest import SIZE, wait_loaded
from tests.tui.reports_data import REPORT_ID, sample_report, store_reports


class HostApp(App[None]):
    def __init__(self, screen: ReportsScreen) -> None:
        super().__init__()
        self.start_screen = screen

    def on_mount(self) -> None:
        self.push_screen(self.start_screen)


def seed(store: ReportStore) -> None:
    """Store three reports: an old passing one by ci, a failing one by dev, a running one by ci."""
    cases = [
        ("aaaa0001", "2024-05-01T10:00:00+00:00", "ci@example.com", RunStatus.COMPLETED, "Users", 5, 0),
        ("cccc0002", "2024-05-02T10:00:00+00:00", "dev@example.com", RunStatus.COMPLETED, "Posts", 2, 3),
        ("bbbb0003", "2024-05-03T10:00:00+00:00", "ci@example.com", RunStatus.RUNNING, "Orders", 1, 0),
    ]
    for report_id, created_at, creator, status, suite, passed, failed in cases:
        summary = SuiteSummary(name=suite, status=SuiteStatus.FAILED if failed else SuiteStatus.PASSED,
                               total=passed + failed + 1, passed=passed, failed=failed, done=passed + failed)
        store.create(Report(id=report_id, created_at=created_at, creator=creator, status=status, suites=[summary]))


def row_ids(app: App) -> list[str]:
    return [str(key.value) for key in app.screen.query_one("#reports", DataTable).rows]


async def test_sort_cycles_columns(tmp_path: Path) -> None:
    store = ReportStore(tmp_path)
    seed(store)
    app = HostApp(ReportsScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        assert row_ids(app) == ["bbbb0003", "cccc0002", "aaaa0001"]
        await pilot.press("s")
        assert row_ids(app) == ["aaaa0001", "bbbb0003", "cccc0002"]
        await pilot.press("S")
        assert row_ids(app) == ["cccc0002", "bbbb0003", "aaaa0001"]
        # Creator, then Total, then Passed, then Failed.
        await pilot.press("s", "s", "s", "s")
        assert row_ids(app)[0] == "cccc0002"
        title = str(app.screen.query_one("#reports-title").content)
        assert "sorted by Failed ↓" in title


@pytest.mark.parametrize(("needle", "expected"), [
    ("running", ["bbbb0003"]),
    ("dev@", ["cccc0002"]),
    ("users", ["aaaa0001"]),
    ("nothing", []),
])
async def test_filter_by_status_creator_suite(tmp_path: Path, needle: str, expected: list[str]) -> None:
    store = ReportStore(tmp_path)
    seed(store)
    app = HostApp(ReportsScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *needle)
        assert row_ids(app) == expected
        await pilot.press("escape")
        assert len(row_ids(app)) == 3
        assert isinstance(app.screen, ReportsScreen)


async def test_copy_full_report_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    store = ReportStore(tmp_path)
    store.create(sample_report())
    app = HostApp(ReportsScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y")
        assert app.clipboard == REPORT_ID
        assert copied == [REPORT_ID]


async def test_running_report_updates_live(tmp_path: Path) -> None:
    store = ReportStore(tmp_path)
    seed(store)
    app = HostApp(ReportsScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        running = store.get("bbbb0003")
        running.status = RunStatus.COMPLETED
        running.suites[0].passed = 2
        store.update(running)
        await pilot.pause(1.5)
        table = app.screen.query_one("#reports", DataTable)
        assert str(table.get_cell("bbbb0003", "status")) == "COMPLETED"
        assert str(table.get_cell("bbbb0003", "counts")) == "2/2/0"


async def test_live_refresh_updates_rows_in_place(tmp_path: Path) -> None:
    store = ReportStore(tmp_path)
    seed(store)
    app = HostApp(ReportsScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#reports", DataTable)
        rows = dict(table.rows)
        running = store.get("bbbb0003")
        running.suites[0].passed = 1
        store.update(running)
        await pilot.pause(1.5)

        assert str(table.get_cell("bbbb0003", "counts")) == "2/1/0"
        # Listing thousands of reports again each second made keys lag, so rows stay.
        assert all(table.rows[key] is row for key, row in rows.items())


async def test_enter_opens_and_escape_returns(make_app, data_dir) -> None:
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("p", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReportDetailScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReportsScreen)
