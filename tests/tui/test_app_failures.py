"""Failures around a run become toasts and a failed or unsaved run, never a crash of the app."""

from __future__ import annotations

from keploy_tui.engine import runner as runner_module
from keploy_tui.model import Auth, RunStatus, SuiteStatus
from keploy_tui.store import ReportStore, StoreError
from tests.tui.conftest import SIZE, cell, suite_named, wait_for_runs, wait_loaded

AUTH = "Demo API authentication"


async def test_store_failure_is_toast(make_app, samples_dir, demo_server, monkeypatch):
    def failing_create(self, report):
        raise StoreError("disk full")

    monkeypatch.setattr(ReportStore, "create", failing_create)
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")], demo_url=demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("r", "enter")
        await wait_for_runs(pilot)

        # The run itself goes on and ends normally.
        assert cell(app, AUTH, "status") == "✓ passed"
        unsaved = [(text, options) for text, options in app.toasts if options.get("title") == "Not saved"]
        assert len(unsaved) == 1
        assert unsaved[0][0].endswith(": disk full")
        assert unsaved[0][0].startswith("Could not save report ")


async def test_internal_error_fails_run(make_app, samples_dir, demo_server, data_dir, monkeypatch):
    def broken_client(config, transport=None):
        raise RuntimeError("no HTTP client")

    monkeypatch.setattr(runner_module, "run_client", broken_client)
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")], demo_url=demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("r", "enter")
        await wait_for_runs(pilot)

        assert cell(app, AUTH, "status") == "✗ failed"
        failed = [text for text, options in app.toasts if options.get("title") == "Run failed"]
        assert failed == ["The run stopped on an error: RuntimeError: no HTTP client. 7 steps: 0 passed, 0 failed, 7 not run."]
        assert app.return_code is None

    report = ReportStore(data_dir).list()[0]
    assert report.status is RunStatus.INTERRUPTED
    assert report.suites[0].status is SuiteStatus.FAILED
    assert report.finished_at is not None


async def test_invalid_url_is_toast(make_app, samples_dir, data_dir):
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        app.start_run([suite_named(app, AUTH)], "localhost:8000", Auth())
        assert not app.runs.active
        assert app.toasts[-1][0].startswith("Run not started: Missing scheme")
    assert ReportStore(data_dir).list() == []
