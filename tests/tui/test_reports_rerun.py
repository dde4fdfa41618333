"""Re-runs from the report detail against the demo API: /flaky fails on odd calls and passes on even ones."""

from __future__ import annotations

from keploy_tui.store import ReportStore
from keploy_tui.tui.screens.report_detail import ReportDetailScreen
from keploy_tui.tui.step_rerun import RERUN_GROUP_PREFIX
from keploy_tui.tui.widgets.step_list import StepList, step_key
from tests.tui.conftest import SIZE, cell, settle, wait_for, wait_for_runs, wait_loaded, write_suite

FLAKY = "Flaky endpoint"


async def run_failing_suite(pilot, samples_dir) -> None:
    """Run the failing samples from the suite list and open the run's report with v."""
    await wait_loaded(pilot)
    await pilot.press("r", "enter")
    await wait_for_runs(pilot)
    await pilot.press("v")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReportDetailScreen)


async def wait_for_rerun(pilot, report_id: str) -> None:
    app = pilot.app
    group = RERUN_GROUP_PREFIX + report_id

    def done() -> bool:
        return not any(worker.group == group and not worker.is_finished for worker in app.workers)

    await wait_for(pilot, done, "the re-run to finish")
    await pilot.pause()


def step_named(screen: ReportDetailScreen, name: str):
    return next(step for step in screen.report.steps if step.step == name)


async def test_rerun_flaky_step_shows_flaky(make_app, samples_dir, fresh_demo_server, data_dir):
    app = make_app(extra_sources=[str(samples_dir / "failing.yaml")], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await run_failing_suite(pilot, samples_dir)
        screen = app.screen
        report_id = screen.report_id
        before = screen.report
        assert (before.total, before.passed, before.failed) == (8, 1, 7)

        flaky = step_named(screen, FLAKY)
        steps = screen.query_one(StepList)
        steps.select_step(flaky.suite_index, flaky.index)
        await pilot.press("r")
        await wait_for_rerun(pilot, report_id)

        assert str(steps.get_cell(step_key(flaky), "result")) == "FLAKY"
        assert str(steps.get_cell(step_key(flaky), "attempts")) == "2"
        toast = [text for text in app.toast_texts() if text.startswith("Re-ran")][-1]
        assert toast == f"Re-ran '{FLAKY}': passed (attempt 2). The step is FLAKY: its attempts disagree."

    stored = ReportStore(data_dir).get(report_id)
    result = next(step for step in stored.steps if step.step == FLAKY)
    assert [attempt.passed for attempt in result.attempts] == [False, True]
    assert (stored.total, stored.passed, stored.failed) == (8, 2, 6)
    assert ReportStore(data_dir).list()[0].passed == 2


async def test_rerun_all_failed_steps(make_app, samples_dir, fresh_demo_server, data_dir):
    app = make_app(extra_sources=[str(samples_dir / "failing.yaml")], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await run_failing_suite(pilot, samples_dir)
        report_id = app.screen.report_id
        await pilot.press("F")
        await wait_for_rerun(pilot, report_id)
        toast = [text for text in app.toast_texts() if text.startswith("Re-ran")][-1]
        assert toast == "Re-ran 7 steps: 1 passed, 6 failed."

    stored = ReportStore(data_dir).get(report_id)
    assert [len(step.attempts) for step in stored.steps] == [1, 2, 2, 2, 2, 2, 2, 2]
    assert (stored.passed, stored.failed) == (2, 6)


async def test_rerun_without_config_uses_settings(make_app, samples_dir, fresh_demo_server, data_dir):
    app = make_app(extra_sources=[str(samples_dir / "failing.yaml")], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await run_failing_suite(pilot, samples_dir)
        screen = app.screen
        # As after a restart: the run's RunConfig is gone, the remembered endpoint is not.
        app.runs.configs.clear()
        flaky = step_named(screen, FLAKY)
        screen.query_one(StepList).select_step(flaky.suite_index, flaky.index)
        await pilot.press("r")
        await wait_for_rerun(pilot, screen.report_id)
        assert step_named(screen, FLAKY).flaky


async def test_rerun_updates_suite_list(make_app, tmp_path, fresh_demo_server):
    suite_path = write_suite(tmp_path / "flaky.yaml", "Flaky only", [(FLAKY, "/flaky")])
    app = make_app(extra_sources=[str(suite_path)], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await run_failing_suite(pilot, tmp_path)
        assert cell(app, "Flaky only", "result") == "✓0 ✗1"
        assert cell(app, "Flaky only", "status") == "✗ failed"

        await pilot.press("F")
        await wait_for_rerun(pilot, app.screen.report_id)
        await settle(pilot)
        assert cell(app, "Flaky only", "result") == "✓1 ✗0"
        assert cell(app, "Flaky only", "status") == "✓ passed"
