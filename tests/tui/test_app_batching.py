"""Live badges under load: queued suites, batched table updates and a responsive app during a long run."""

from __future__ import annotations

import asyncio
import time

from keploy_tui.demo import server as demo_server_module
from keploy_tui.model import RunStatus
from keploy_tui.store import ReportStore
from keploy_tui.tui.screens.help import HelpScreen
from keploy_tui.tui.screens.suites import REFRESH_INTERVAL
from keploy_tui.tui.widgets.suite_table import SuiteTable
from tests.tui.conftest import SIZE, cell, highlight, settle, table, wait_for, wait_for_runs, wait_loaded, write_suite

STEP_COUNT = 1000
MAX_KEY_SECONDS = 1.0
"""Maximum seconds a key may take to act during the long run, Pilot's own waits for idle included."""
MAX_LOOP_LAG = 0.25
"""Maximum seconds the event loop may be late to wake a sleeping task, which is the delay a key would see."""
PROBE_INTERVAL = 0.02


async def test_queued_suites_wait_for_a_slot(make_app, tmp_path, fresh_demo_server):
    # RunConfig's default concurrency is 4, so two of six suites start queued.
    names = [f"Slow {number}" for number in range(6)]
    for name in names:
        write_suite(tmp_path / f"{name}.yaml", name, [("Wait", "/slow?delay=1")])
    app = make_app(extra_sources=[str(tmp_path)], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        for _ in names:
            await pilot.press("space")
        await pilot.press("r", "enter")
        await wait_for(pilot, lambda: sum(cell(app, name, "status") == "running 0/1" for name in names) == 4,
                       "four suites running")
        await settle(pilot)
        statuses = [cell(app, name, "status") for name in names]
        assert statuses.count("running 0/1") == 4
        assert statuses.count("queued") == 2

        # A suite waiting for a slot can be cancelled before it sends anything.
        queued = names[statuses.index("queued")]
        await highlight(pilot, queued)
        await pilot.press("c")
        await wait_for_runs(pilot)
        finished = {name: cell(app, name, "status") for name in names}
        assert finished.pop(queued) == "cancelled"
        assert list(finished.values()) == ["✓ passed"] * 5


async def test_long_run_batches_updates(make_app, tmp_path, data_dir, monkeypatch):
    # The demo API must answer without Nagle's delay (about 40 ms a request), or
    # these 1,000 steps take 45 s instead of about 1.5 s.
    assert demo_server_module._Handler.disable_nagle_algorithm
    # The slow last step keeps the run going while the keys below are pressed.
    steps = [(f"Step {n}", "/posts/1") for n in range(STEP_COUNT)] + [("Last", "/slow?delay=4")]
    write_suite(tmp_path / "long.yaml", "Long suite", steps)
    write_suite(tmp_path / "other.yaml", "Other suite", [("Root", "/")])
    updates: list[str] = []
    original = SuiteTable.update_row

    def counting_update_row(self: SuiteTable, row) -> None:
        updates.append(row.key)
        original(self, row)

    monkeypatch.setattr(SuiteTable, "update_row", counting_update_row)
    with demo_server_module.DemoServer() as server:
        app = make_app(extra_sources=[str(tmp_path)], demo_url=server.url)
        await drive_long_run(app, data_dir, updates)


async def measure_loop_lag(lags: list[float]) -> None:
    """Append how late each short sleep wakes up, until cancelled."""
    while True:
        before = time.monotonic()
        await asyncio.sleep(PROBE_INTERVAL)
        lags.append(time.monotonic() - before - PROBE_INTERVAL)


async def drive_long_run(app, data_dir, updates: list[str]) -> None:
    lags: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        probe = asyncio.create_task(measure_loop_lag(lags))
        await pilot.press("r", "enter")
        started = time.monotonic()
        long_key = next(suite.key for suite in app.suites if suite.name == "Long suite")
        await wait_for(pilot, lambda: long_key in app.badges and not app.badges[long_key].finished,
                       "the long run to start")

        # The app keeps handling keys while the run goes on.
        for key, check in (("down", lambda: table(app).cursor_row == 1),
                           ("question_mark", lambda: isinstance(app.screen, HelpScreen)),
                           ("escape", lambda: app.screen is app.suites_screen),
                           ("up", lambda: table(app).cursor_row == 0)):
            before = time.monotonic()
            await pilot.press(key)
            await wait_for(pilot, check, f"key {key} to act", timeout=MAX_KEY_SECONDS)
            assert time.monotonic() - before < MAX_KEY_SECONDS
        assert app.runs.active

        await wait_for_runs(pilot, timeout=120)
        elapsed = time.monotonic() - started
        probe.cancel()
        assert cell(app, "Long suite", "status") == "✓ passed"

    print(f"max event loop lag {max(lags):.3f} s over {elapsed:.1f} s")
    assert max(lags) < MAX_LOOP_LAG

    # One table update per refresh at most, plus a few from marks and the final draw.
    long_updates = updates.count(next(suite.key for suite in app.suites if suite.name == "Long suite"))
    assert long_updates <= elapsed / REFRESH_INTERVAL + 5
    assert long_updates < STEP_COUNT / 10
    report = ReportStore(data_dir).get(ReportStore(data_dir).list()[0].id)
    assert report.status is RunStatus.COMPLETED
    assert len(report.steps) == STEP_COUNT + 1
    assert report.passed == STEP_COUNT + 1
