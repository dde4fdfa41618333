"""Import warnings in the app: counted in the toast, all listed by w, with the command-line advice reworded."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from textual.containers import VerticalScroll
from textual.widgets import Input

from keploy_tui.formats.import_common import ImportWarning
from keploy_tui.tui.import_advice import advice_for_app
from keploy_tui.tui.screens.import_prompt import ImportPrompt
from keploy_tui.tui.screens.import_warnings import ImportWarningsScreen, warnings_view
from keploy_tui.tui.suite_sources import load_sources
from tests.tui.conftest import SIZE, settle, wait_for, wait_loaded
from tests.tui.test_screens import HostApp, rendered

# One request that sets off every importer warning whose advice names a command-line option.
COLLECTION = {
    "info": {"name": "Warned", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
    "variable": [{"key": "token", "value": "from-collection"}],
    "item": [{
        "name": "Login",
        "protocolProfileBehavior": {"strictSSL": False},
        "request": {
            "method": "POST",
            "url": "{{host}}/login?x={{bad name}}",
            "auth": {"type": "basic", "basic": [{"key": "username", "value": "{{user}}"},
                                                {"key": "password", "value": "pw"}]},
            "header": [{"key": "Authorization", "value": "Bearer {{token}}"}],
        },
        "event": [{"listen": "test", "script": {"exec": [
            "pm.environment.set('token', pm.response.json().token);",
        ]}}],
    }],
}
CLI_ADVICE = re.compile(r"give --|need --|with --var|; --insecure|-e/--environment")
"""The importers' advice for the command line, which the app must not offer as its own."""
APP_ADVICE = [
    "the app always checks TLS certificates, and keploy-tui run --insecure skips the checks",
    "give Basic auth on the Authentication tab when you run the suite, or as the step's own auth",
    "give them values in the Variables field of the Run dialog, as NAME=VALUE",
    "these variable names cannot be set at run time and are sent as written: bad name",
    "steps before the extraction need them in the Variables field of the Run dialog",
    "so enter the API Endpoint URL when you run the suite",
]


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    path = tmp_path / "warned [bold].postman_collection.json"
    path.write_text(json.dumps(COLLECTION, indent=2), encoding="utf-8")
    return path


async def import_path(pilot, path: Path) -> None:
    """Open the import prompt with i, fill in `path` and submit it."""
    await pilot.press("i")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ImportPrompt)
    pilot.app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")


def flat(text: str) -> str:
    """Join the lines of wrapped text, so a phrase split by the dialog's width is found."""
    return " ".join(text.split())


# Advice reworded for the app


def test_every_cli_advice_reworded(collection):
    warnings = load_sources([str(collection)]).warnings
    assert len(warnings) == len(APP_ADVICE)
    reworded = [advice_for_app(warning.message) for warning in warnings]
    for original, text in zip(warnings, reworded):
        assert CLI_ADVICE.search(original.message), original.message
        assert not CLI_ADVICE.search(text), text
    for advice in APP_ADVICE:
        assert any(advice in text for text in reworded), advice


def test_unknown_cli_option_gets_note():
    text = advice_for_app("retries are not imported; give --retries N when running")
    assert text == ("retries are not imported; give --retries N when running "
                    "(--retries: an option of the keploy-tui command line, not of the app)")


def test_text_without_options_unchanged():
    assert advice_for_app("a test case of kind Grpc is skipped") == "a test case of kind Grpc is skipped"
    assert advice_for_app("header X-Trace--Id dropped") == "header X-Trace--Id dropped"


async def test_environment_import_error_reworded(make_app, tmp_path, samples_dir):
    environment = tmp_path / "dev.postman_environment.json"
    environment.write_text(json.dumps({"name": "dev", "values": [{"key": "a", "value": "1"}]}))
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await import_path(pilot, environment)
        await wait_for(pilot, lambda: bool(app.load_errors), "the import error")
    assert "-e/--environment" not in app.load_errors[0]
    assert "the app cannot read environments, so run keploy-tui import COLLECTION -e" in app.load_errors[0]


# The toast and the warnings dialog


async def test_toast_counts_and_w_lists_all(make_app, collection, samples_dir):
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await import_path(pilot, collection)
        await wait_for(pilot, lambda: len(app.suites) == 2, "the imported suite")
        await settle(pilot)
        toast, options = app.toasts[-1]
        assert toast == f"Imported 1 suite from {collection}. 6 warnings: press w to read them."
        assert options["markup"] is False
        assert options["severity"] == "warning"

        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ImportWarningsScreen)
        assert app.screen.query_one("#warnings-dialog").border_title == "Import warnings: 6"
        listed = flat(rendered(pilot, "#warnings-list"))
        assert listed.startswith(str(collection))
        assert listed.count("• ") == 6
        for advice in APP_ADVICE:
            assert advice in listed
        assert not CLI_ADVICE.search(listed)

        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.suites_screen


async def test_w_without_warnings_is_toast(make_app, samples_dir):
    app = make_app(extra_sources=[str(samples_dir / "auth.yaml")])
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("w")
        await pilot.pause()
        assert app.screen is app.suites_screen
        assert app.toast_texts()[-1] == "No import in this session had warnings: press i to import."


async def test_warnings_scroll_to_the_last():
    warnings = [ImportWarning(f"/suites/file-{number % 3}.json", f"script line {number} is not translated")
                for number in range(60)]
    app = HostApp(lambda: ImportWarningsScreen(warnings))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = app.screen.query_one("#warnings-dialog")
        scroll = app.screen.query_one("#warnings-scroll", VerticalScroll)
        assert app.focused is scroll
        assert app.screen.region.contains_region(dialog.region)
        assert scroll.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("q")
        await pilot.pause()
    assert app.results == [None]


def test_warnings_grouped_by_file_literally():
    warnings = [ImportWarning("a [bold].json", "first [red]"), ImportWarning("b.json", "second"),
                ImportWarning("a [bold].json", "third " + "word " * 20)]
    console = Console(width=40, file=io.StringIO(), color_system=None)
    console.print(warnings_view(warnings))
    lines = [line.rstrip() for line in console.file.getvalue().splitlines()]
    assert lines[:3] == ["a [bold].json", "• first [red]", "• third word word word word word word"]
    # A long warning wraps under its own text, not under the bullet.
    assert all(line.startswith("  word") for line in lines[3:5])
    assert lines[-3:] == ["", "b.json", "• second"]


def test_long_script_line_folds_not_cut():
    code = "pm.expect(responseJSON).to.have.property('headers').that.not.have.property('host')"
    console = Console(width=40, file=io.StringIO(), color_system=None)
    console.print(warnings_view([ImportWarning("a.json", code)]))
    folded = "".join(line.strip().lstrip("• ") for line in console.file.getvalue().splitlines()[1:])
    assert folded == code
