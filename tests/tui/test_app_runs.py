"""Runs started from the suite list against the demo API: badges, stored reports and remembered settings."""

from __future__ import annotations

import threading

from textual.widgets import Input, Static

from keploy_tui.model import Auth, RunStatus, SuiteStatus
from keploy_tui.store import ReportStore, SettingsStore
from keploy_tui.tui.screens.run_modal import RunTestsModal
from tests.tui.conftest import (
    SIZE, WAIT_TIMEOUT, cell, highlight, mark, suite_named, wait_for, wait_for_runs, wait_loaded, write_suite,
)

AUTH = "Demo API authentication"
FAILING = "Deliberate failures"
POSTS = "JSONPlaceholder posts CRUD"
USERS = "JSONPlaceholder users and todos"
SAMPLES = [AUTH, FAILING, POSTS, USERS]


async def test_run_all_samples_via_modal(make_app, samples_dir, fresh_demo_server, data_dir):
    app = make_app(extra_sources=[str(samples_dir)], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await mark(pilot, SAMPLES)
        await pilot.press("r")
        assert isinstance(app.screen, RunTestsModal)

        # The modal is prefilled with the demo URL, so enter submits it.
        await pilot.press("enter")
        assert not isinstance(app.screen, RunTestsModal)
        await wait_for_runs(pilot)

        assert cell(app, AUTH, "status") == "✓ passed"
        assert cell(app, POSTS, "status") == "✓ passed"
        assert cell(app, USERS, "status") == "✓ passed"
        assert cell(app, FAILING, "status") == "✗ failed"
        assert cell(app, FAILING, "result") == "✓1 ✗7"
        assert cell(app, AUTH, "last_run") == "just now"

    reports = ReportStore(data_dir).list()
    assert len(reports) == 1
    report = ReportStore(data_dir).get(reports[0].id)
    assert report.status is RunStatus.COMPLETED
    assert report.base_url == fresh_demo_server.url
    assert report.creator == "tester@example.com"
    assert (report.total, report.passed, report.failed) == (29, 22, 7)
    assert len(report.steps) == 29
    statuses = {suite.name: suite.status for suite in report.suites}
    assert statuses == {AUTH: SuiteStatus.PASSED, FAILING: SuiteStatus.FAILED,
                        POSTS: SuiteStatus.PASSED, USERS: SuiteStatus.PASSED}


async def test_run_toasts_name_the_report_key(make_app, samples_dir, demo_server):
    app = make_app(extra_sources=[str(samples_dir)], demo_url=demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, AUTH)
        await pilot.press("r", "enter")
        await wait_for_runs(pilot)

        started = [toast for toast in app.toasts if toast[1].get("title") == "Run started"]
        assert started[0][0] == f"Run started for '{AUTH}'. Press v to open its report."
        assert started[0][1]["markup"] is False
        finished = [toast for toast in app.toasts if toast[1].get("title") == "Run completed"]
        assert finished[0][0] == "7 steps: 7 passed, 0 failed. Press v to open the report."
        assert app.runs.last_report_id == ReportStore(app.data_dir).list()[0].id


async def test_one_step_run_toast_singular(make_app, tmp_path, demo_server):
    write_suite(tmp_path / "one.yaml", "One step", [("Root", "/")])
    app = make_app(extra_sources=[str(tmp_path)], demo_url=demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, "One step")
        await pilot.press("r", "enter")
        await wait_for_runs(pilot)

        finished = [toast for toast in app.toasts if toast[1].get("title") == "Run completed"]
        assert finished[0][0] == "1 step: 1 passed, 0 failed. Press v to open the report."


async def test_run_remembers_endpoint_per_suite(make_app, samples_dir, demo_server, data_dir):
    app = make_app(extra_sources=[str(samples_dir)], demo_url=demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, USERS)
        await pilot.press("r", "enter")
        await wait_for_runs(pilot)
        key = app.suites[SAMPLES.index(USERS)].key

    settings = SettingsStore(data_dir)
    assert settings.get_suite(key) == {"base_url": demo_server.url, "auth": {"type": "none"}}
    assert settings.last_base_url() == demo_server.url


def variables_app(make_app, tmp_path, demo_server):
    """Return an app with one suite whose step reads the variable `post`."""
    write_suite(tmp_path / "vars.yaml", "Variables", [("Post", "/posts/{{post}}")])
    return make_app(extra_sources=[str(tmp_path)], demo_url=demo_server.url)


async def submit_variables(pilot, text):
    """Open the Run modal on the Variables suite, type `text` as its variables and submit."""
    await wait_loaded(pilot)
    await highlight(pilot, "Variables")
    await pilot.press("r")
    pilot.app.screen.query_one("#variables", Input).value = text
    await pilot.press("ctrl+r")


async def test_variables_reach_steps_and_are_remembered(make_app, tmp_path, demo_server, data_dir):
    app = variables_app(make_app, tmp_path, demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await submit_variables(pilot, "post=3")
        await wait_for_runs(pilot)
        assert cell(app, "Variables", "status") == "✓ passed"

        # R runs again with the remembered variables, without the modal.
        await pilot.press("R")
        await wait_for_runs(pilot)
        key = suite_named(app, "Variables").key

    assert SettingsStore(data_dir).get_suite(key)["variables"] == {"post": "3"}
    reports = ReportStore(data_dir)
    urls = [reports.get(entry.id).steps[0].latest.request.url for entry in reports.list()]
    assert urls == [f"{demo_server.url}/posts/3"] * 2


async def test_bad_variables_keep_the_modal_open(make_app, tmp_path, demo_server):
    app = variables_app(make_app, tmp_path, demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await submit_variables(pilot, "post")
        assert isinstance(app.screen, RunTestsModal)
        error = str(app.screen.query_one("#variables-error", Static).render())
        assert error == "Variables: 'post' is not NAME=VALUE; quote a value that has spaces"
        assert not app.runs.active


async def test_rerun_reuses_stored_endpoint(make_app, samples_dir, demo_server, data_dir):
    # A token the demo API ignores on public routes, to show the auth comes back too.
    stored_auth = Auth(kind="bearer", token="stored-token")
    app = make_app(extra_sources=[str(samples_dir)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        key = next(suite.key for suite in app.suites if suite.name == USERS)
        SettingsStore(data_dir).set_suite(key, demo_server.url, stored_auth)
        await highlight(pilot, USERS)
        await pilot.press("R")

        # No modal: the run starts at once with the stored endpoint.
        assert not isinstance(app.screen, RunTestsModal)
        assert app.runs.last_report_id is not None
        await wait_for_runs(pilot)
        assert cell(app, USERS, "status") == "✓ passed"

    report = ReportStore(data_dir).list()[0]
    assert report.base_url == demo_server.url
    assert report.auth_kind == "bearer"


async def test_rerun_without_stored_endpoint_opens_modal(make_app, samples_dir, demo_server):
    app = make_app(extra_sources=[str(samples_dir)], demo_url=demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("R")
        assert isinstance(app.screen, RunTestsModal)
        await pilot.press("escape")
        assert not app.runs.active


async def test_modal_prefilled_from_suite_settings(make_app, samples_dir, demo_server, data_dir):
    app = make_app(extra_sources=[str(samples_dir)], demo_url="http://127.0.0.1:9")
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        key = next(suite.key for suite in app.suites if suite.name == POSTS)
        SettingsStore(data_dir).set_suite(key, demo_server.url, Auth())
        await highlight(pilot, POSTS)
        await pilot.press("r")
        field = app.screen.query_one("#base-url")
        assert field.value == demo_server.url


async def test_unset_env_var_is_toast(make_app, samples_dir, demo_server, data_dir, monkeypatch):
    monkeypatch.delenv("KEPLOY_TUI_TEST_UNSET_TOKEN", raising=False)
    app = make_app(extra_sources=[str(samples_dir)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        key = next(suite.key for suite in app.suites if suite.name == USERS)
        auth = Auth(kind="bearer", token_env="KEPLOY_TUI_TEST_UNSET_TOKEN")
        SettingsStore(data_dir).set_suite(key, demo_server.url, auth)
        await highlight(pilot, USERS)
        await pilot.press("R")
        await pilot.pause()

        assert not app.runs.active
        errors = [message for message, options in app.toasts if options.get("severity") == "error"]
        assert len(errors) == 1
        assert "KEPLOY_TUI_TEST_UNSET_TOKEN" in errors[0]
        assert cell(app, USERS, "status") == ""
    assert ReportStore(data_dir).list() == []


async def test_running_suite_not_started_twice(make_app, tmp_path, fresh_demo_server, data_dir):
    from tests.tui.conftest import write_suite

    write_suite(tmp_path / "slow.yaml", "Slow", [("Wait", "/slow?delay=1")])
    app = make_app(extra_sources=[str(tmp_path / "slow.yaml")], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("r", "enter")
        await pilot.press("r", "enter")
        assert any("Already running" in text for text in app.toast_texts())
        await wait_for_runs(pilot)
    assert len(ReportStore(data_dir).list()) == 1


async def test_old_demo_url_replaced(make_app, samples_dir, demo_server, data_dir):
    # A port of an earlier demo session, where nothing listens any more.
    old_url = "http://127.0.0.1:9"
    settings = SettingsStore(data_dir)
    settings.set("demo_urls", [old_url])
    app = make_app(extra_sources=[str(samples_dir)], demo_url=demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        settings.set_suite(suite_named(app, USERS).key, old_url, Auth())
        await highlight(pilot, USERS)
        await pilot.press("R")
        await wait_for_runs(pilot)
        assert cell(app, USERS, "status") == "✓ passed"

    assert ReportStore(data_dir).list()[0].base_url == demo_server.url
    assert settings.get("demo_urls") == [demo_server.url, old_url]


async def test_demo_url_offered_before_last_endpoint(make_app, samples_dir, demo_server, data_dir):
    SettingsStore(data_dir).set_suite("elsewhere.yaml::Other", "http://127.0.0.1:9", Auth())
    app = make_app(extra_sources=[str(samples_dir)], demo_url=demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("r")
        assert app.screen.query_one("#base-url").value == demo_server.url


async def test_last_endpoint_offered_without_demo(make_app, samples_dir, data_dir):
    SettingsStore(data_dir).set_suite("elsewhere.yaml::Other", "http://127.0.0.1:9", Auth())
    app = make_app(extra_sources=[str(samples_dir)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("r")
        assert app.screen.query_one("#base-url").value == "http://127.0.0.1:9"


async def test_ended_run_live_until_saved(make_app, samples_dir, demo_server, monkeypatch):
    release = threading.Event()
    real_append = ReportStore.append_steps

    def slow_append(store, report, lines):
        release.wait(WAIT_TIMEOUT)
        real_append(store, report, lines)

    monkeypatch.setattr(ReportStore, "append_steps", slow_append)
    app = make_app(extra_sources=[str(samples_dir)], demo_url=demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, AUTH)
        await pilot.press("r", "enter")
        report_id = app.runs.last_report_id
        await wait_for(pilot, lambda: not app.runs.active, "the run to end")

        # The file lags behind, so the report still comes from memory, complete.
        live = app.runs.live_report(report_id)
        assert live is not None
        assert live.status is RunStatus.COMPLETED
        assert len(live.steps) == live.total

        release.set()
        await app.runs.drain()
        await pilot.pause()
        assert app.runs.live_report(report_id) is None

