"""The step editor at 80x24: every field and both buttons reachable with tab, each in view when focused."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Footer, Select
from textual.widgets._footer import FooterKey
from textual.widgets._select import SelectOverlay

from keploy_tui.model.suite import ASSERTION_TYPES
from keploy_tui.tui.screens.step_editor import StepEditor
from keploy_tui.tui.screens.suite_detail import SuiteDetailScreen
from tests.tui.conftest import SIZE, highlight, wait_loaded
from tests.tui.test_help_keys import help_rows
from tests.tui.test_screens import HostApp, sample_suite

SUITE_FILE = """\
name: Small screen
steps:
  - name: Login
    method: POST
    url: /auth/login
    headers: {Content-Type: application/json}
    body: '{"user": "demo"}'
    extract: {token: $.token}
    auth: {type: basic, username: demo, password_env: DEMO_PASSWORD}
    assert:
      - {type: status_code, expected_string: "200"}
      - {type: json_equal, key: $.user, expected_string: '"demo"'}
"""
FOCUS_ORDER = [
    "field-name", "field-method", "field-timeout", "field-url", "field-headers", "field-body", "field-extract",
    "assertion-table", "assertion-type", "assertion-key", "assertion-expected", "assertion-ignore",
    "auth-inherit", "auth-kind", "auth-username", "auth-password", "auth-password-env",
    "editor-save", "editor-cancel",
]


@pytest.fixture
def suite_path(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SUITE_FILE)
    return path


async def open_editor(pilot) -> StepEditor:
    await wait_loaded(pilot)
    await highlight(pilot, "Small screen")
    await pilot.press("enter", "e")
    await pilot.pause()
    editor = pilot.app.screen
    assert isinstance(editor, StepEditor)
    return editor


def assert_buttons_in_view(editor: StepEditor) -> None:
    screen_region = editor.region
    for button in editor.query(Button):
        assert screen_region.contains_region(button.region), f"{button.id} at {button.region} is clipped"
        assert button.region.y < screen_region.height - 1, f"{button.id} is under the Footer"


async def test_tab_reaches_every_field_then_save(make_app, suite_path):
    app = make_app(open_paths=[str(suite_path)])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        form = editor.query_one("#editor-form")

        focused: list[str] = []
        while app.focused is not None and app.focused.id != "editor-save" and len(focused) < len(FOCUS_ORDER):
            widget = app.focused
            focused.append(widget.id)
            assert form.content_region.contains_region(widget.region), f"{widget.id} at {widget.region} not in view"
            assert_buttons_in_view(editor)
            if widget.id == "field-url":
                await pilot.press("end", "2")
            await pilot.press("tab")
            await pilot.pause()
        assert focused == FOCUS_ORDER[:FOCUS_ORDER.index("editor-save")]

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SuiteDetailScreen)
    assert suite_path.read_text() == SUITE_FILE.replace("url: /auth/login", "url: /auth/login2")


async def test_cancel_button_by_keyboard(make_app, suite_path):
    app = make_app(open_paths=[str(suite_path)])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await pilot.press("shift+tab")
        assert app.focused is editor.query_one("#editor-cancel", Button)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SuiteDetailScreen)
    assert suite_path.read_text() == SUITE_FILE


async def test_error_list_keeps_buttons_in_view(make_app, suite_path):
    app = make_app(open_paths=[str(suite_path)])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        for selector in ("#field-name", "#field-url"):
            editor.query_one(selector).value = ""
        editor.query_one("#field-body").text = '{"user": '
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert app.screen is editor
        assert editor.query_one("#field-name").has_focus
        assert_buttons_in_view(editor)
        assert editor.query_one("#editor-form").content_region.height >= 5


def footer_problems(editor: StepEditor) -> list[str]:
    """Return what is wrong with the Footer at this size: keys cut off, or under the command palette key."""
    footer = editor.query_one(Footer)
    keys = list(footer.query(FooterKey))
    palette = next(key for key in keys if key.action == "command_palette")
    problems = [f"the Footer scrolls by {footer.max_scroll_x} columns"] if footer.max_scroll_x else []
    for key in keys:
        if key is not palette and not (0 < key.region.right <= palette.region.x):
            problems.append(f"{key.action} at {key.region}, palette at x={palette.region.x}")
    return problems


def footer_actions(editor: StepEditor) -> set[str]:
    return {key.action for key in editor.query_one(Footer).query(FooterKey)}


async def test_footer_fits_at_every_field(make_app, suite_path):
    app = make_app(open_paths=[str(suite_path)])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        for widget_id in FOCUS_ORDER:
            widget = editor.query_one(f"#{widget_id}")
            widget.focus()
            await pilot.pause()
            await pilot.pause()
            assert footer_problems(editor) == [], widget_id
            # Where ? opens Help rather than being typed, the Footer shows ? Help.
            if not widget.check_consume_key("question_mark", "?"):
                assert {"help", "quit"} <= footer_actions(editor), widget_id

        editor.query_one("#assertion-table").focus()
        await pilot.pause()
        await pilot.pause()
        assert {"delete_assertion", "save", "cancel", "add_assertion", "help", "quit"} <= footer_actions(editor)
        await pilot.press("question_mark")
        await pilot.pause()
        rows = help_rows(app)
    # The Footer has no room for [ and ], so Help lists them.
    assert ("[", "Move up") in rows
    assert ("]", "Move down") in rows


async def test_select_list_stays_above_buttons(make_app, suite_path):
    app = make_app(open_paths=[str(suite_path)])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        select = editor.query_one("#assertion-type", Select)
        select.focus()
        await pilot.pause()
        buttons = editor.query_one("#editor-buttons")
        # The list has a row per assertion type, more rows than there are below the Select.
        assert select.region.bottom + len(ASSERTION_TYPES) > buttons.region.y

        await pilot.press("enter")
        await pilot.pause()
        overlay = select.query_one(SelectOverlay)
        assert select.expanded
        assert overlay.region.height > 0
        assert overlay.region.bottom <= buttons.region.y, f"list at {overlay.region}, buttons at y={buttons.region.y}"
        assert overlay.region.y >= editor.query_one("#editor-form").region.y
        assert footer_problems(editor) == []

        await pilot.press("escape")
        await pilot.pause()
        assert not select.expanded
        assert app.screen is editor


def test_snapshot_step_editor(snap_compare) -> None:
    suite = sample_suite()
    app = HostApp(lambda: StepEditor(suite, suite.steps[0], lambda step: None))
    assert snap_compare(app, terminal_size=SIZE)
