"""Cancelling a suite with c, and quitting during a run: the report is stored CANCELLED with the steps that ran."""

from __future__ import annotations

from keploy_tui.model import RunStatus, SuiteStatus
from keploy_tui.store import ReportStore
from keploy_tui.tui.screens.confirm import ConfirmScreen
from tests.tui.conftest import SIZE, cell, highlight, wait_for, wait_for_runs, wait_loaded, write_suite

SLOW_STEPS = [("Quick", "/posts/1"), ("Wait 1", "/slow?delay=2"), ("Wait 2", "/slow?delay=2"),
              ("Wait 3", "/slow?delay=2")]


def slow_app(make_app, tmp_path, server_url):
    write_suite(tmp_path / "slow.yaml", "Slow suite", SLOW_STEPS)
    write_suite(tmp_path / "quick.yaml", "Quick suite", [("Root", "/")])
    return make_app(extra_sources=[str(tmp_path)], demo_url=server_url)


def first_step_done(app) -> bool:
    return cell(app, "Slow suite", "status").startswith("running 1/")


async def test_cancel_running_suite(make_app, tmp_path, fresh_demo_server, data_dir):
    app = slow_app(make_app, tmp_path, fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, "Slow suite")
        await pilot.press("r", "enter")
        await wait_for(pilot, lambda: first_step_done(app), "the first step of the slow suite")
        await pilot.press("c")
        await wait_for_runs(pilot)

        assert cell(app, "Slow suite", "status") == "cancelled"
        assert cell(app, "Slow suite", "result") == "cancelled"
        assert "Cancelling suite 'Slow suite'." in app.toast_texts()
        assert "4 steps: 1 passed, 0 failed, 3 not run. Press v to open the report." in app.toast_texts()

    report = ReportStore(data_dir).get(ReportStore(data_dir).list()[0].id)
    assert report.status is RunStatus.CANCELLED
    assert report.suites[0].status is SuiteStatus.CANCELLED
    assert [step.step for step in report.steps] == ["Quick"]


async def test_cancel_idle_suite_is_warning(make_app, tmp_path, fresh_demo_server):
    app = slow_app(make_app, tmp_path, fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, "Quick suite")
        await pilot.press("c")
        assert app.toasts[-1][0] == "Suite 'Quick suite' is not running."
        assert app.toasts[-1][1]["severity"] == "warning"


async def test_cancel_leaves_other_suites_running(make_app, tmp_path, fresh_demo_server, data_dir):
    app = slow_app(make_app, tmp_path, fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        for name in ("Quick suite", "Slow suite"):
            await highlight(pilot, name)
            await pilot.press("space")
        await pilot.press("r", "enter")
        await wait_for(pilot, lambda: first_step_done(app), "the first step of the slow suite")
        await highlight(pilot, "Slow suite")
        await pilot.press("c")
        await wait_for_runs(pilot)
        assert cell(app, "Quick suite", "status") == "✓ passed"
        assert cell(app, "Slow suite", "status") == "cancelled"

    report = ReportStore(data_dir).list()[0]
    assert report.status is RunStatus.CANCELLED
    assert (report.total, report.passed, report.failed) == (5, 2, 0)


async def test_quit_during_run_stores_cancelled(make_app, tmp_path, fresh_demo_server, data_dir):
    app = slow_app(make_app, tmp_path, fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, "Slow suite")
        await pilot.press("r", "enter")
        await wait_for(pilot, lambda: first_step_done(app), "the first step of the slow suite")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.return_code is not None, "the app to exit")

    report = ReportStore(data_dir).get(ReportStore(data_dir).list()[0].id)
    assert report.status is RunStatus.CANCELLED
    assert report.finished_at is not None
    assert report.suites[0].status is SuiteStatus.CANCELLED
    assert [step.step for step in report.steps] == ["Quick"]


async def test_quit_declined_keeps_run(make_app, tmp_path, fresh_demo_server, data_dir):
    write_suite(tmp_path / "slow.yaml", "Slow suite", [("Wait", "/slow?delay=3")])
    app = make_app(extra_sources=[str(tmp_path)], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("r", "enter")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.return_code is None
        await wait_for_runs(pilot)
        assert cell(app, "Slow suite", "status") == "✓ passed"
    assert ReportStore(data_dir).list()[0].status is RunStatus.COMPLETED


async def test_quit_without_run_exits_at_once(make_app, tmp_path, fresh_demo_server):
    app = slow_app(make_app, tmp_path, fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code is not None, "the app to exit")
