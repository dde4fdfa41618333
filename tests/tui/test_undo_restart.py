"""`u` after restarting the app: the previous version of a saved suite file is kept in the data directory."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from keploy_tui.store.suite_copies import SuiteCopies
from keploy_tui.tui.screens.suite_detail import SuiteDetailScreen
from keploy_tui.tui.widgets.assertion_editor import AssertionEditor
from tests.tui.conftest import SIZE, highlight, suite_named, wait_loaded
from tests.tui.test_import_edits import NAME as IMPORTED, collection, edit_expected_status  # noqa: F401
from tests.tui.test_step_editor import SUITE_FILE, open_editor, suite_path  # noqa: F401

OTHER_FILE = SUITE_FILE.replace("Editor demo", "Second file").replace("Other suite", "Second other")


async def save_status(pilot, status: str) -> None:
    """Set the first assertion of the step open in the editor to `status` and save it."""
    editor = pilot.app.screen
    editor.query_one(AssertionEditor).select(0)
    await pilot.pause()
    editor.query_one("#assertion-expected", Input).value = status
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SuiteDetailScreen)


async def open_suite(pilot, name: str) -> None:
    await highlight(pilot, name)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SuiteDetailScreen)


async def test_undo_after_restart(make_app, suite_path):
    first = make_app(open_paths=[str(suite_path)])
    async with first.run_test(size=SIZE) as pilot:
        await open_editor(pilot)
        await save_status(pilot, "204")
    assert 'expected_string: "204"' in suite_path.read_text()

    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await open_suite(pilot, "Editor demo")
        await pilot.press("u")
        await pilot.pause()
        assert suite_path.read_text() == SUITE_FILE
        assert suite_named(second, "Editor demo").steps[0].assertions[0].expected == "200"
        assert "Undid the save of step 'Read post' of suite 'Editor demo'." in second.toast_texts()

        await pilot.press("u")
        await pilot.pause()
        assert f"Nothing to undo: no save of {suite_path} is kept." in second.toast_texts()
        assert suite_path.read_text() == SUITE_FILE


async def test_undo_in_suite_view_is_per_file(make_app, suite_path, tmp_path):
    other_path = tmp_path / "second.yaml"
    other_path.write_text(OTHER_FILE)
    app = make_app(open_paths=[str(suite_path), str(other_path)])
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot)
        await save_status(pilot, "204")
        await pilot.press("escape")
        await open_suite(pilot, "Second file")
        await pilot.press("e")
        await save_status(pilot, "202")
        await pilot.press("escape")

        # The newest save is in the second file, but this view undoes its own file's save.
        await open_suite(pilot, "Editor demo")
        await pilot.press("u")
        await pilot.pause()

    assert suite_path.read_text() == SUITE_FILE
    assert 'expected_string: "202"' in other_path.read_text()


async def test_undo_edited_import_after_restart(make_app, collection, data_dir):
    first = make_app(open_paths=[str(collection)])
    async with first.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await edit_expected_status(pilot, "200")
    copy = SuiteCopies(data_dir).find(str(collection), IMPORTED)

    second = make_app()
    async with second.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await open_suite(pilot, IMPORTED)
        await pilot.press("u")
        await pilot.pause()

        # The copy goes back to the suite as imported, and stays the suite's file.
        suite = suite_named(second, IMPORTED)
        assert suite.source == str(copy)
        assert suite.steps[0].assertions[0].expected == "201"
        assert second.screen.suite.steps[0].assertions[0].expected == "201"
    assert "expected_string: '201'" in Path(copy).read_text()
