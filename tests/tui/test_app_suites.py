"""The suite list without runs: loading, marks, the filter, literal names and the screens its keys open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Input

from keploy_tui.model import Report, RunStatus, SuiteStatus, SuiteSummary
from keploy_tui.store import ReportStore, SettingsStore
from keploy_tui.tui.screens.help import HelpScreen
from keploy_tui.tui.screens.import_prompt import ImportPrompt
from keploy_tui.tui.screens.report_detail import ReportDetailScreen
from keploy_tui.tui.screens.reports import ReportsScreen
from keploy_tui.tui.screens.suite_detail import SuiteDetailScreen
from tests.tui.conftest import (
    FIXED_NOW, SIZE, cell, highlight, settle, shown_names, table, wait_for, wait_loaded, write_suite,
)

SAMPLE_NAMES = ["Demo API authentication", "Deliberate failures", "JSONPlaceholder posts CRUD",
                "JSONPlaceholder users and todos"]


async def test_samples_listed_with_steps(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert shown_names(app) == SAMPLE_NAMES
        assert cell(app, "JSONPlaceholder posts CRUD", "steps") == "10"
        assert cell(app, "Demo API authentication", "last_run") == "never"
        assert cell(app, "Demo API authentication", "status") == ""
        assert app.sub_title == "4 suites"


async def test_remembered_sources_load_at_start(make_app, samples_dir, data_dir):
    SettingsStore(data_dir).add_suite_sources([str(samples_dir / "auth.yaml")])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert shown_names(app) == ["Demo API authentication"]


async def test_open_paths_are_remembered(make_app, samples_dir, data_dir):
    missing = samples_dir / "missing.yaml"
    app = make_app(open_paths=[str(samples_dir / "failing.yaml"), str(missing)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert shown_names(app) == ["Deliberate failures"]
    # Only the path that loaded is remembered, so a typo does not fail every later start.
    assert SettingsStore(data_dir).suite_sources() == [str(samples_dir / "failing.yaml")]


async def test_load_error_at_start_is_toast(make_app, tmp_path, samples_dir):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: Broken\nsteps:\n  - name: one\n    method: GET\n    url: [unclosed\n")
    app = make_app(extra_sources=[str(broken), str(samples_dir / "auth.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert shown_names(app) == ["Demo API authentication"]

        errors = [(text, options) for text, options in app.toasts if options.get("severity") == "error"]
        assert len(errors) == 1
        assert errors[0][0].startswith(f"{broken}:")
        assert errors[0][1]["markup"] is False
        line = app.suites_screen.query_one("#load-errors")
        assert line.display
        assert str(broken) in str(line.render())
        # The whole error wraps at 80 columns instead of being cut at the end of one line.
        assert len(f"Load error: {app.load_errors[0]}") > 78
        assert line.size.height > 1


async def test_duplicate_suite_name_skipped(make_app, tmp_path, samples_dir):
    write_suite(tmp_path / "copy.yaml", "Demo API authentication", [("Root", "/")])
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml"), str(tmp_path / "copy.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert shown_names(app) == ["Demo API authentication"]
        assert app.suites[0].source == str(samples_dir / "auth.yaml")
        assert "already has this name" in app.load_errors[0]


async def test_markup_in_name_shown_literally(make_app, tmp_path):
    write_suite(tmp_path / "markup.yaml", "[bold]x[/bold]", [("Root", "/")])
    app = make_app(extra_sources=[str(tmp_path / "markup.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert cell(app, "[bold]x[/bold]", "name") == "[bold]x[/bold]"
        rendered = "".join(segment.text for segment in table(app).render_line(1))
        assert "[bold]x[/bold]" in rendered


async def test_space_marks_and_moves_down(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("space", "space")
        assert cell(app, SAMPLE_NAMES[0], "mark") == "●"
        assert cell(app, SAMPLE_NAMES[1], "mark") == "●"
        assert cell(app, SAMPLE_NAMES[2], "mark") == " "
        assert table(app).cursor_row == 2
        selected = [suite.name for suite in app.suites_screen.selected_suites()]
        assert selected == SAMPLE_NAMES[:2]

        await highlight(pilot, SAMPLE_NAMES[0])
        await pilot.press("space")
        assert cell(app, SAMPLE_NAMES[0], "mark") == " "
        assert [suite.name for suite in app.suites_screen.selected_suites()] == [SAMPLE_NAMES[1]]


async def test_without_marks_selection_is_highlighted(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j", "j", "k")
        assert [suite.name for suite in app.suites_screen.selected_suites()] == [SAMPLE_NAMES[1]]


async def test_resize_keeps_cursor_on_suite(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, "JSONPlaceholder posts CRUD")
        highlighted = table(app).highlighted_key()
        name_width = table(app).columns["name"].width
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        # The Suite column is rebuilt only when its width changes, which is the case under test.
        assert table(app).columns["name"].width > name_width
        assert table(app).highlighted_key() == highlighted
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert table(app).highlighted_key() == highlighted


async def test_filter_by_name(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("slash")
        field = app.suites_screen.query_one("#filter", Input)
        assert field.display and field.has_focus

        # Letters go to the filter, not to the r, R and c bindings.
        await pilot.press(*"JSONPLACEHOLDER r")
        await settle(pilot)
        assert not app.runs.active
        assert shown_names(app) == []
        await pilot.press("backspace", "backspace")
        await settle(pilot)
        assert shown_names(app) == SAMPLE_NAMES[2:]

        # Enter keeps the filter and gives the keys back to the list.
        await pilot.press("enter")
        assert table(app).has_focus
        assert shown_names(app) == SAMPLE_NAMES[2:]

        await pilot.press("escape")
        await settle(pilot)
        assert shown_names(app) == SAMPLE_NAMES
        assert not field.display
        assert field.value == ""


async def test_filter_is_case_insensitive(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("slash", *"users")
        await settle(pilot)
        assert shown_names(app) == ["JSONPlaceholder users and todos"]


def store_failing_run(data_dir, number, minutes_ago, status, suite_status, **counts):
    """Store a report of the "Deliberate failures" sample, as `keploy-tui run` would."""
    ReportStore(data_dir).create(Report(
        id=f"0b9d6a0c-0000-4000-8000-{number:012d}",
        created_at=(FIXED_NOW - timedelta(minutes=minutes_ago)).isoformat(),
        creator="ci@example.com", status=status,
        suites=[SuiteSummary(name="Deliberate failures", source="data/suites/failing.yaml",
                             status=suite_status, total=8, **counts)],
    ))


async def test_last_run_from_stored_report(make_app, samples_dir, data_dir):
    store_failing_run(data_dir, 1, 3, RunStatus.COMPLETED, SuiteStatus.FAILED, passed=2, failed=6, done=8)
    app = make_app(extra_sources=[str(samples_dir)], clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        # The report names the file by a relative path, so the suite is matched by name.
        assert cell(app, "Deliberate failures", "last_run") == "3 min ago"
        assert cell(app, "Deliberate failures", "result") == "✓2 ✗6"
        assert cell(app, "Demo API authentication", "last_run") == "never"


async def test_cancelled_stored_run_shows_cancelled(make_app, samples_dir, data_dir):
    store_failing_run(data_dir, 2, 3, RunStatus.CANCELLED, SuiteStatus.CANCELLED)
    app = make_app(extra_sources=[str(samples_dir)], clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert cell(app, "Deliberate failures", "last_run") == "3 min ago"
        assert cell(app, "Deliberate failures", "result") == "cancelled"


async def test_run_stored_by_another_process_shown(make_app, samples_dir, data_dir, monkeypatch):
    monkeypatch.setattr("keploy_tui.tui.app.EXTERNAL_RUNS_INTERVAL", 0.1)
    app = make_app(extra_sources=[str(samples_dir)], clock=lambda: FIXED_NOW)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert cell(app, "Deliberate failures", "last_run") == "never"

        store_failing_run(data_dir, 3, 2, RunStatus.COMPLETED, SuiteStatus.FAILED, passed=1, failed=7)

        failing = next(suite for suite in app.suites if suite.name == "Deliberate failures")
        await wait_for(pilot, lambda: app.history.get(failing) is not None, "the history to reload")
        await settle(pilot)
        assert cell(app, "Deliberate failures", "last_run") == "2 min ago"
        assert cell(app, "Deliberate failures", "result") == "✓1 ✗7"


async def test_enter_opens_suite_detail(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, "JSONPlaceholder posts CRUD")
        await pilot.press("enter")
        assert isinstance(app.screen, SuiteDetailScreen)
        await pilot.press("escape")
        assert app.screen is app.suites_screen


async def test_help_lists_every_key(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_table = app.screen.query_one(DataTable)
        keys = {help_table.get_row_at(row)[0].plain for row in range(help_table.row_count)}
        assert {"space", "r", "R", "c", "/", "i", "p", "v", "?", "^q", "⏎", "j", "k", "esc", "^p"} <= keys


async def test_reports_and_last_report_keys(make_app, samples_dir, demo_server):
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")], demo_url=demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        # No report is stored yet.
        await pilot.press("v")
        assert app.screen is app.suites_screen
        assert app.toasts[-1][1]["severity"] == "warning"

        await pilot.press("p")
        assert isinstance(app.screen, ReportsScreen)
        await pilot.press("escape")

        await pilot.press("r", "enter")
        await pilot.press("v")
        assert isinstance(app.screen, ReportDetailScreen)
        assert app.screen.report_id == app.runs.last_report_id
        # Escape returns to the suite list that v was pressed on, not to the reports list.
        await pilot.press("escape")
        assert app.screen is app.suites_screen
        assert not any(isinstance(screen, ReportsScreen) for screen in app.screen_stack)


async def test_import_adds_and_remembers(make_app, samples_dir, data_dir):
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("i")
        assert isinstance(app.screen, ImportPrompt)
        await pilot.press(*str(samples_dir / "jsonplaceholder.yaml"), "enter")
        await wait_for(pilot, lambda: len(app.suites) == 3, "the imported suites")
        await settle(pilot)
        assert shown_names(app) == ["Demo API authentication", "JSONPlaceholder posts CRUD",
                                    "JSONPlaceholder users and todos"]
        assert f"Imported 2 suites from {samples_dir / 'jsonplaceholder.yaml'}." in app.toast_texts()
    assert SettingsStore(data_dir).suite_sources() == [str(samples_dir / "jsonplaceholder.yaml")]


async def test_import_error_is_toast(make_app, tmp_path, samples_dir):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nsteps: 3\n")
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("i", *str(bad), "enter")
        await wait_for(pilot, lambda: bool(app.load_errors), "the import error")
        assert app.load_errors[0].startswith(f"{bad}:")
        assert len(app.suites) == 1


async def test_command_palette_lists_actions(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        titles = {command.title for command in app.get_system_commands(app.suites_screen)}
        assert {"Run suites", "Re-run suites", "Cancel suite", "Mark suite", "Open suite",
                "Filter suites", "Import suites", "Reports", "Last report", "Help", "Quit"} <= titles


@pytest.mark.corpus
async def test_import_key_takes_postman_and_test_sets(make_app, samples_dir):
    corpus = samples_dir.parents[2] / "shared" / "corpus"
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("i", *str(corpus / "postman" / "schemas-httpbin.json"), "enter")
        await wait_for(pilot, lambda: len(app.suites) == 2, "the Postman suite")
        await pilot.press("i", *str(corpus / "keploy-testsets" / "samples-go-mux-sql"), "enter")
        await wait_for(pilot, lambda: len(app.suites) == 3, "the Keploy test-set suite")
        await settle(pilot)
        names = shown_names(app)
        assert "samples-go-mux-sql / test-set-0" in names
        assert not app.load_errors


async def test_last_report_key_after_restart_opens_newest(make_app, data_dir):
    from tests.tui.reports_data import store_reports

    store = store_reports(data_dir)
    newest = store.list()[0]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ReportDetailScreen)
        assert app.screen.report_id == newest.id
