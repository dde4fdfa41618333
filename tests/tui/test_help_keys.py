"""The Help screen on every screen: the keys of the screen it was opened from, and the Footer's ? Help at 80 columns."""

from __future__ import annotations

from textual.widgets import DataTable, Footer, Input
from textual.widgets._footer import FooterKey

from keploy_tui.tui.screens.compare import CompareScreen
from keploy_tui.tui.screens.help import HelpScreen
from keploy_tui.tui.screens.report_detail import ReportDetailScreen
from keploy_tui.tui.screens.reports import ReportsScreen
from keploy_tui.tui.screens.run_modal import RunTestsModal
from keploy_tui.tui.screens.suite_detail import SuiteDetailScreen
from tests.tui.conftest import SIZE, wait_loaded
from tests.tui.reports_data import store_reports

APP_KEYS = [("?", "Help; F1 opens it from a text field or a dialog too"), ("^q", "Quit"), ("^p", "Command palette: every action by name")]


def help_rows(app) -> list[tuple[str, str]]:
    """Return the (key, action) rows of the open Help screen, the heading row included."""
    assert isinstance(app.screen, HelpScreen), f"Help is not open: {type(app.screen).__name__}"
    table = app.screen.query_one(DataTable)
    return [(table.get_row_at(row)[0].plain, table.get_row_at(row)[1].plain) for row in range(table.row_count)]


async def open_help(pilot) -> list[tuple[str, str]]:
    """Press ?, return the Help screen's rows and close it again."""
    await pilot.press("question_mark")
    await pilot.pause()
    rows = help_rows(pilot.app)
    await pilot.press("escape")
    await pilot.pause()
    return rows


async def open_report(pilot) -> None:
    await wait_loaded(pilot)
    await pilot.press("p", "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReportDetailScreen)


async def test_help_on_suite_list(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        rows = await open_help(pilot)
    keys = [key for key, _ in rows]
    assert {"↑/↓", "space", "r", "R", "c", "/", "i", "esc", "⏎", "j", "k", "p", "v"} <= set(keys)
    assert ("space", "Mark or unmark the suite, then move down") in rows
    assert rows[-len(APP_KEYS):] == APP_KEYS


async def test_help_on_report_detail(make_app, data_dir):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_report(pilot)
        rows = await open_help(pilot)
        assert isinstance(app.screen, ReportDetailScreen)
    for row in [("1", "Request"), ("2", "Response"), ("3", "Assertions"), ("4", "Diff"), ("s", "Diff view"),
                ("a", "Accept"), ("x", "Ignore diff"), ("A", "Accept step"), ("f", "Next failed assertion"),
                ("u", "Undo save"), ("N", "Prev fail"), ("b", "Copy body"), ("y", "Copy ID"),
                ("C", "curl with secrets"), ("c", "curl"), ("esc/q", "Back")]:
        assert row in rows
    assert ("⏎", "Move the focus into the pane, where ↑ ↓ pgup pgdn scroll it") in rows
    assert ("tab", "From the pane, back to the steps; escape leaves the report") in rows
    # p and v work on the suite list only, so they are not listed here.
    assert rows[-len(APP_KEYS) - 1:] == [("", "App keys"), *APP_KEYS]


async def test_report_focus_keys(make_app, data_dir):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_report(pilot)
        await pilot.press("enter")
        assert app.focused is app.screen.active_pane()
        await pilot.press("tab")
        assert app.focused is app.screen.step_list
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ReportsScreen)


async def test_help_on_suite_detail(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, SuiteDetailScreen)
        rows = await open_help(pilot)
    for row in [("u", "Undo save"), ("[", "Move up"), ("]", "Move down"), ("del/x", "Delete"), ("e", "Edit")]:
        assert row in rows


async def test_help_on_compare(make_app, data_dir):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_report(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        rows = await open_help(pilot)
        assert isinstance(app.screen, CompareScreen)
    assert rows == [("esc/q", "Back"), ("j", "Down"), ("k", "Up"), ("", "App keys"), *APP_KEYS]


async def test_help_not_opened_twice(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("question_mark", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert len(app.screen_stack) == 2


async def test_question_mark_typed_in_input(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RunTestsModal)
        field = app.screen.query_one("#base-url", Input)
        field.value = "http://127.0.0.1:1/x"
        field.cursor_position = len(field.value)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, RunTestsModal)
        assert field.value == "http://127.0.0.1:1/x?"

        # F1 opens the help from the field, whose text stays as typed.
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert field.value == "http://127.0.0.1:1/x?"


async def test_palette_help_uses_its_screen(make_app, data_dir):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_report(pilot)
        command = next(command for command in app.get_system_commands(app.screen) if command.title == "Help")
        command.callback()
        await pilot.pause()
        assert ("1", "Request") in help_rows(app)


def help_key_visible(app) -> bool:
    """Tell whether the Footer shows ? Help whole, left of the command palette key."""
    footer = app.screen.query_one(Footer)
    keys = {key.action: key for key in footer.query(FooterKey)}
    help_key, palette = keys.get("help"), keys.get("command_palette")
    if help_key is None or palette is None:
        return False
    return help_key.region.right <= palette.region.x


async def test_footer_shows_help_at_80_columns(make_app, data_dir, samples_dir):
    store_reports(data_dir)
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert help_key_visible(app), "suite list"
        await pilot.press("enter")
        await pilot.pause()
        assert help_key_visible(app), "suite detail"
        await pilot.press("escape", "p")
        await pilot.pause()
        assert help_key_visible(app), "report list"
        await pilot.press("enter")
        await pilot.pause()
        assert help_key_visible(app), "report detail"
        await pilot.press("d")
        await pilot.pause()
        assert help_key_visible(app), "compare"
