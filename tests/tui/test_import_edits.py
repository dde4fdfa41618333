"""Editing imported suites (a Postman collection, Keploy test-sets): saved as suite files in the data directory, used from then on."""

from __future__ import annotations

import errno
import json
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from keploy_tui.formats import suite_edit
from keploy_tui.store.suite_copies import SuiteCopies
from keploy_tui.tui.screens.run_modal import RunTestsModal
from keploy_tui.tui.screens.step_editor import StepEditor
from keploy_tui.tui.screens.suite_detail import SuiteDetailScreen
from keploy_tui.tui.suite_sources import load_sources
from keploy_tui.tui.widgets.assertion_editor import AssertionEditor
from tests.tui.conftest import SIZE, cell, highlight, settle, suite_named, table, wait_for_runs, wait_loaded
from tests.unit.test_import_keploy import keploy_case, make_test_set

NAME = "Postman posts"
COLLECTION = {
    "info": {"name": NAME, "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
    "item": [{
        "name": "Read post",
        "request": {"method": "GET", "url": "{{baseUrl}}/posts/1"},
        # The demo API returns 200, so the imported check fails until it is edited.
        "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": [
            "pm.test('status', function () {", "    pm.response.to.have.status(201);", "});",
        ]}}],
    }],
    "variable": [{"key": "baseUrl", "value": "http://127.0.0.1:9"}],
}


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    path = tmp_path / "posts.postman_collection.json"
    path.write_text(json.dumps(COLLECTION, indent=2), encoding="utf-8")
    return path


async def edit_expected_status(pilot, status: str) -> None:
    """Open the first step of the collection's suite in the editor, set its status check and save."""
    await highlight(pilot, NAME)
    await pilot.press("enter", "e")
    await pilot.pause()
    editor = pilot.app.screen
    assert isinstance(editor, StepEditor)
    editor.query_one(AssertionEditor).select(0)
    await pilot.pause()
    editor.query_one("#assertion-expected", Input).value = status
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SuiteDetailScreen)


async def test_edit_saved_in_data_dir_and_rerun(make_app, collection, data_dir, demo_server):
    original = collection.read_bytes()
    app = make_app(open_paths=[str(collection)], demo_url=demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, NAME)
        await pilot.press("r", "enter")
        await wait_for_runs(pilot)
        assert cell(app, NAME, "status") == "✗ failed"

        await edit_expected_status(pilot, "200")
        copy = SuiteCopies(data_dir).find(str(collection), NAME)
        assert copy is not None
        assert copy.parent == data_dir / "suites"
        assert suite_named(app, NAME).source == str(copy)
        assert app.screen.suite.source == str(copy)
        assert any(str(copy) in text and str(collection) in text for text in app.toast_texts())

        # R re-runs with the endpoint remembered for the import, and runs the edited step.
        await pilot.press("escape")
        await highlight(pilot, NAME)
        await pilot.press("R")
        await wait_for_runs(pilot)
        assert cell(app, NAME, "status") == "✓ passed"

    assert collection.read_bytes() == original
    assert "expected_string: '200'" in copy.read_text()


async def test_edited_import_loaded_after_restart(make_app, collection, data_dir, demo_server):
    first = make_app(open_paths=[str(collection)], demo_url=demo_server.url)
    async with first.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await edit_expected_status(pilot, "200")
    copy = SuiteCopies(data_dir).find(str(collection), NAME)

    # No path given: the collection is a remembered source, and its edited copy is loaded in its place.
    second = make_app(demo_url=demo_server.url)
    async with second.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        suite = suite_named(second, NAME)
        assert suite.source == str(copy)
        assert suite.steps[0].assertions[0].expected == "200"
        assert [item.name for item in second.suites] == [NAME]

        await highlight(pilot, NAME)
        await pilot.press("r", "enter")
        await wait_for_runs(pilot)
        assert cell(second, NAME, "status") == "✓ passed"


async def test_first_save_keeps_cursor(make_app, collection, samples_dir, demo_server):
    # The samples load first, so the collection's suite is not on the first row.
    app = make_app(open_paths=[str(samples_dir), str(collection)], demo_url=demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, NAME)
        assert table(app).cursor_row > 0

        await edit_expected_status(pilot, "200")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.suites_screen
        assert table(app).highlighted_key() == suite_named(app, NAME).key

        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RunTestsModal)
        assert app.screen._suite_names == [NAME]


async def test_first_save_keeps_mark(make_app, collection, samples_dir):
    app = make_app(open_paths=[str(samples_dir), str(collection)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, NAME)
        await pilot.press("space")

        await edit_expected_status(pilot, "200")
        await pilot.press("escape")
        await settle(pilot)
        edited = suite_named(app, NAME)
        assert app.suites_screen.selected_suites() == [edited]
        assert cell(app, NAME, "mark") == "●"


async def test_failed_first_save_leaves_no_copy(make_app, collection, data_dir, monkeypatch):
    def disk_full(path, *args, **kwargs):
        assert Path(path).is_file(), "the edit is applied to the new copy"
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(suite_edit, "update_step", disk_full)
    app = make_app(open_paths=[str(collection)])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await highlight(pilot, NAME)
        await pilot.press("enter", "e")
        await pilot.pause()
        editor = app.screen
        editor.query_one("#field-url", Input).value = "/posts/2"
        await pilot.press("ctrl+s")
        await pilot.pause()

        assert app.screen is editor
        assert "No space left on device" in str(editor.query_one("#editor-errors", Static).content)
        assert list((data_dir / "suites").iterdir()) == []
        assert suite_named(app, NAME).source == str(collection)


def test_keploy_imports_use_edited_copy(tmp_path, data_dir):
    test_set = make_test_set(tmp_path, {"test-1": keploy_case("test-1"), "test-2": keploy_case("test-2")})
    case_file = test_set / "tests" / "test-2.yaml"
    copies = SuiteCopies(data_dir)

    for source, step_name in ((test_set, "test-1"), (case_file, "test-2")):
        imported = load_sources([str(source)])
        suite = imported.suites[0]
        # A single test case is a .yaml file too, but it is no suite YAML and takes no edit.
        assert str(source) not in imported.native_sources
        path = copies.create(suite)
        suite_edit.update_step(path, suite.name, step_name, replace(suite.steps[0], url="/edited"))

        loaded = load_sources([str(source)], copies=copies)
        assert loaded.suites[0].source == str(path)
        assert loaded.suites[0].steps[0].url == "/edited"
        assert str(path) in loaded.native_sources
        assert loaded.import_keys == {loaded.suites[0].key: suite.key}
