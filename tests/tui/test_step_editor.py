"""The suite view's step editor: edits saved line by line into the file, invalid edits rejected by field."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static, TextArea

from keploy_tui.tui.screens.confirm import ConfirmScreen
from keploy_tui.tui.screens.step_editor import StepEditor
from keploy_tui.tui.screens.suite_detail import SuiteDetailScreen
from keploy_tui.tui.widgets.assertion_editor import AssertionEditor, AssertionTable
from tests.tui.conftest import SIZE, highlight, wait_loaded

SUITE_FILE = """\
# Comments and the second suite must survive the editor.
name: Editor demo
steps:
  - name: Read post   # the first step
    method: GET
    url: /posts/1
    assert:
      - type: status_code
        expected_string: "200"
      - {type: json_equal, key: $.title, expected_string: '"a title"'}
      - type: header_equal
        key: Content-Type
        expected_string: application/json
      - type: json_contains
        expected_string: '{"id": 1}'
---
# The other suite.
name: Other suite
steps:
  - name: List users
    method: GET
    url: /users
"""


@pytest.fixture
def suite_path(tmp_path: Path) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(SUITE_FILE)
    return path


def changed_lines(path: Path) -> list[tuple[int, str]]:
    old = SUITE_FILE.splitlines()
    new = path.read_text().splitlines()
    assert len(new) == len(old), path.read_text()
    return [(number, line) for number, (before, line) in enumerate(zip(old, new), start=1) if before != line]


async def open_editor(pilot) -> StepEditor:
    await wait_loaded(pilot)
    await highlight(pilot, "Editor demo")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SuiteDetailScreen)
    await pilot.press("e")
    await pilot.pause()
    editor = pilot.app.screen
    assert isinstance(editor, StepEditor)
    return editor


async def edit_assertion(pilot, editor: StepEditor, index: int, field: str, value: str) -> None:
    assertions = editor.query_one(AssertionEditor)
    assertions.select(index)
    await pilot.pause()
    editor.query_one(f"#assertion-{field}", Input).value = value
    await pilot.pause()


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()


def error_text(editor: StepEditor) -> str:
    return str(editor.query_one("#editor-errors", Static).content)


@pytest.mark.parametrize(("index", "field", "value", "line"), [
    (0, "expected", "201", '        expected_string: "201"'),
    (1, "expected", '"b title"', """      - {type: json_equal, key: $.title, expected_string: '"b title"'}"""),
    (2, "key", "content-type", "        key: content-type"),
    (2, "expected", "text/html", "        expected_string: text/html"),
    (3, "expected", '{"id": 2}', """        expected_string: '{"id": 2}'"""),
])
async def test_edit_each_assertion_kind(make_app, suite_path, index, field, value, line):
    app = make_app(open_paths=[str(suite_path)])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await edit_assertion(pilot, editor, index, field, value)
        await save(pilot)
        assert isinstance(app.screen, SuiteDetailScreen), error_text(editor)
        assert [text for _, text in changed_lines(suite_path)] == [line]
        assert app.screen.suite.steps[0].assertions[index].to_dict() == \
            app.suites[0].steps[0].assertions[index].to_dict()


async def test_ignore_and_type_change(make_app, suite_path):
    app = make_app(open_paths=[str(suite_path)])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        await edit_assertion(pilot, editor, 3, "ignore", "$.body, $.title")
        editor.query_one(AssertionEditor).select(0)
        await pilot.pause()
        editor.query_one("#assertion-type", Select).value = "status_code_class"
        editor.query_one("#assertion-expected", Input).value = "2xx"
        await pilot.pause()
        await save(pilot)
        assert isinstance(app.screen, SuiteDetailScreen), error_text(editor)
    assert suite_path.read_text() == SUITE_FILE.replace(
        '      - type: status_code\n        expected_string: "200"',
        '      - type: status_code_class\n        expected_string: "2xx"',
    ).replace("""'{"id": 1}'\n""", """'{"id": 1}'\n        ignore: [$.body, $.title]\n""")


@pytest.mark.parametrize(("change", "message", "field"), [
    ("method", "Method 'BREW' is not valid", "#field-method"),
    ("url", "URL is missing", "#field-url"),
    ("scheme", "URL 'ht!tp://bad' starts with the scheme 'ht!tp'", "#field-url"),
    ("body", "Body: invalid JSON for Content-Type application/json", "#field-body"),
    ("port", "URL 'http://host:99999/x' is not valid: Invalid port", "#field-url"),
    ("extract", "Extract line 1: invalid JSON path '$.[[['", "#field-extract"),
    ("path", "Assertion 2: invalid JSON path '$.[[['", None),
    ("status", "Assertion 1: '2000' is not an HTTP status", None),
])
async def test_invalid_edit_rejected(make_app, suite_path, change, message, field):
    app = make_app(open_paths=[str(suite_path)])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        if change == "method":
            # The Select offers only valid methods, so the field is set past it.
            editor.read_fields_original = editor.read_fields
            editor.read_fields = lambda: _with_method(editor.read_fields_original(), "BREW")
        elif change == "url":
            editor.query_one("#field-url", Input).value = "  "
        elif change == "scheme":
            editor.query_one("#field-url", Input).value = "ht!tp://bad"
        elif change == "port":
            editor.query_one("#field-url", Input).value = "http://host:99999/x"
        elif change == "extract":
            editor.query_one("#field-extract", TextArea).text = "x: $.[[["
        elif change == "path":
            await edit_assertion(pilot, editor, 1, "key", "$.[[[")
        elif change == "body":
            editor.query_one("#field-headers", TextArea).text = "Content-Type: application/json"
            editor.query_one("#field-body", TextArea).text = '{"title": '
        else:
            await edit_assertion(pilot, editor, 0, "expected", "2000")
        await pilot.pause()
        await save(pilot)
        assert app.screen is editor
        assert message in error_text(editor)
        if field is not None:
            assert editor.query_one(field).has_class("-invalid")
        assert suite_path.read_text() == SUITE_FILE


def _with_method(fields, method):
    fields.method = method
    return fields


async def test_body_json_checked_while_typing(make_app, suite_path):
    app = make_app(open_paths=[str(suite_path)])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#field-headers", TextArea).text = "Content-Type: application/json"
        editor.query_one("#field-body", TextArea).text = '{"a": '
        await pilot.pause()
        assert str(editor.query_one("#body-status", Static).content).startswith("✗ invalid JSON")
        editor.query_one("#field-body", TextArea).text = '{"a": 1}'
        await pilot.pause()
        assert str(editor.query_one("#body-status", Static).content) == "✓ valid JSON"


async def test_add_move_delete_assertions(make_app, suite_path):
    app = make_app(open_paths=[str(suite_path)])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        assertions = editor.query_one(AssertionEditor)
        assertions.select(3)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert [item.type for item in assertions.items][-1] == "status_code"
        assertions.query_one(AssertionTable).focus()
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert [item.type for item in assertions.items] == [
            "status_code", "json_equal", "header_equal", "status_code", "json_contains"]
        assertions.select(1)
        assertions.query_one(AssertionTable).focus()
        await pilot.press("delete")
        await pilot.pause()
        await save(pilot)
        assert isinstance(app.screen, SuiteDetailScreen), error_text(editor)
    types = [item.type for item in app.suites[0].steps[0].assertions]
    assert types == ["status_code", "header_equal", "status_code", "json_contains"]
    assert "# Comments and the second suite must survive the editor." in suite_path.read_text()
    assert suite_path.read_text().endswith(SUITE_FILE.split("---\n")[1])


async def test_new_delete_and_undo_step(make_app, suite_path):
    app = make_app(open_paths=[str(suite_path)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, "Editor demo")
        await pilot.press("enter", "n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, StepEditor)
        editor.query_one("#field-name", Input).value = "Read post 2"
        editor.query_one("#field-url", Input).value = "/posts/2"
        await save(pilot)
        assert [step.name for step in app.suites[0].steps] == ["Read post", "Read post 2"]

        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert [step.name for step in app.suites[0].steps] == ["Read post"]

        await pilot.press("u")
        await pilot.pause()
        assert [step.name for step in app.suites[0].steps] == ["Read post", "Read post 2"]
        await pilot.press("u")
        await pilot.pause()
        assert suite_path.read_text() == SUITE_FILE


async def test_per_step_auth_saved(make_app, suite_path):
    app = make_app(open_paths=[str(suite_path)])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#auth-inherit").value = False
        await pilot.pause()
        editor.query_one("#kind-bearer").value = True
        await pilot.pause()
        editor.query_one("#auth-token-env", Input).value = "POSTS_TOKEN"
        await save(pilot)
        assert isinstance(app.screen, SuiteDetailScreen), error_text(editor)
    assert changed_lines_with_insert(suite_path) == ["    auth: {type: bearer, token_env: POSTS_TOKEN}"]


def changed_lines_with_insert(path: Path) -> list[str]:
    old = SUITE_FILE.splitlines()
    new = path.read_text().splitlines()
    return [line for line in new if line not in old]


async def test_save_refuses_step_changed_in_file_meanwhile(make_app, suite_path):
    app = make_app(open_paths=[str(suite_path)])
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot)
        # Someone edits the same step outside the app while the editor is open.
        changed = SUITE_FILE.replace("url: /posts/1", "url: /posts/2", 1)
        assert changed != SUITE_FILE
        suite_path.write_text(changed)
        editor.query_one("#field-name", Input).value = "Renamed"
        await pilot.pause()
        await save(pilot)

        assert app.screen is editor
        assert "changed in" in error_text(editor)
        assert suite_path.read_text() == changed
        assert app.suites[0].steps[0].url == "/posts/2"
