"""Helpers for driving KeployApp with Pilot: an app that records its toasts, and waits with timeouts."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from keploy_tui.model import Suite
from keploy_tui.tui.app import KeployApp
from keploy_tui.tui.screens.suites import REFRESH_INTERVAL
from keploy_tui.tui.widgets.suite_table import SuiteTable

SIZE = (80, 24)
FIXED_NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
CREATOR = "tester@example.com"
WAIT_TIMEOUT = 20.0
"""Seconds a helper waits before failing the test, about ten times as long as a run of the samples."""


class RecordingApp(KeployApp):
    """KeployApp that keeps every notify() call, so tests can check the text and markup=False."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("creator", CREATOR)
        super().__init__(*args, **kwargs)
        self.toasts: list[tuple[str, dict[str, Any]]] = []

    def notify(self, message: str, **kwargs: Any) -> None:  # type: ignore[override]
        self.toasts.append((message, kwargs))
        super().notify(message, **kwargs)

    def toast_texts(self) -> list[str]:
        return [message for message, _ in self.toasts]


@pytest.fixture
def make_app(data_dir: Path) -> Callable[..., RecordingApp]:
    """Build a RecordingApp on this test's own data directory."""

    def build(**kwargs: Any) -> RecordingApp:
        return RecordingApp(data_dir, **kwargs)

    return build


async def wait_for(pilot: Pilot, condition: Callable[[], bool], what: str,
                   timeout: float = WAIT_TIMEOUT) -> None:
    """Pause the pilot until `condition()` is true, and fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await pilot.pause(0.05)


async def wait_loaded(pilot: Pilot) -> None:
    """Wait until the suites loaded at start are in the table."""
    app = pilot.app
    await wait_for(pilot, lambda: app.loaded, "the suites to load")
    await app.workers.wait_for_complete()
    await settle(pilot)


async def wait_for_runs(pilot: Pilot, timeout: float = WAIT_TIMEOUT) -> None:
    """Wait until every run finished, its report is written and the table shows it."""
    app = pilot.app
    await wait_for(pilot, lambda: not app.runs.active, "the runs to finish", timeout)
    await app.workers.wait_for_complete()
    await app.runs.drain()
    await settle(pilot)


async def settle(pilot: Pilot) -> None:
    """Let posted messages reach their handlers, then draw the batched table changes."""
    await pilot.pause(REFRESH_INTERVAL)
    pilot.app.suites_screen.flush()
    await pilot.pause()


def table(app: KeployApp) -> SuiteTable:
    return app.suites_screen.query_one(SuiteTable)


def suite_named(app: KeployApp, name: str) -> Suite:
    for suite in app.suites:
        if suite.name == name:
            return suite
    raise AssertionError(f"no suite named {name!r}; loaded: {[suite.name for suite in app.suites]}")


def cell(app: KeployApp, name: str, column: str) -> str:
    """Return the plain text of one cell of the suite named `name`."""
    return table(app).get_cell(suite_named(app, name).key, column).plain


def shown_names(app: KeployApp) -> list[str]:
    """Return the Suite column of every shown row, top to bottom."""
    suite_table = table(app)
    return [suite_table.get_row_at(index)[2].plain for index in range(suite_table.row_count)]


async def highlight(pilot: Pilot, name: str) -> None:
    """Move the cursor to the row of the suite named `name`."""
    app = pilot.app
    suite_table = table(app)
    suite_table.move_cursor(row=suite_table.get_row_index(suite_named(app, name).key), animate=False)
    await pilot.pause()


async def mark(pilot: Pilot, names: Iterable[str]) -> None:
    for name in names:
        await highlight(pilot, name)
        await pilot.press("space")


def write_suite(path: Path, name: str, steps: list[tuple[str, str]]) -> Path:
    """Write a suite file whose steps GET each URL and expect 200; `steps` is (name, url) pairs."""
    lines = [f"name: {name!r}", "steps:"]
    for step_name, url in steps:
        lines += [
            f"  - name: {step_name!r}",
            "    method: GET",
            f"    url: {url!r}",
            "    assert:",
            '      - {type: status_code, expected_string: "200"}',
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
