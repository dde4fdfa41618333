"""Accept and ignore from a failed step of a report against the demo API, then re-run, and undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from keploy_tui.tui.screens.confirm import ConfirmScreen
from keploy_tui.tui.screens.report_detail import ReportDetailScreen
from keploy_tui.tui.widgets.step_list import StepList
from tests.tui.conftest import SIZE, highlight, wait_for_runs, wait_loaded
from tests.tui.test_reports_rerun import step_named, wait_for_rerun

TITLE = "sunt aut facere repellat provident occaecati excepturi optio reprehenderit"
SUITE_FILE = """\
# Comments, quotes and the second suite must survive accepting.
name: Accept demo
steps:
  - name: Wrong title   # fixed by accepting
    method: GET
    url: /posts/1
    assert:
      - type: status_code
        expected_string: "200"
      - type: json_equal
        key: $.title
        expected_string: '"not the title"'

  - name: Type mismatch
    method: GET
    url: /posts/1
    assert:
      # userId is the number 1, not the string "1".
      - {type: json_equal, key: $.userId, expected_string: '"1"'}
      - type: json_equal
        expected_string: '{"userId": 1, "id": "1"}'
        ignore: [$.title, $.body]
---
# The other suite.
name: Other suite
steps:
  - name: Read post
    method: GET
    url: /posts/1
    assert:
      - {type: status_code, expected_string: "201"}
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


async def open_report(pilot) -> ReportDetailScreen:
    await wait_loaded(pilot)
    await highlight(pilot, "Accept demo")
    await pilot.press("r", "enter")
    await wait_for_runs(pilot)
    await pilot.press("v")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReportDetailScreen)
    return screen


async def select(pilot, screen: ReportDetailScreen, name: str) -> None:
    step = step_named(screen, name)
    screen.query_one(StepList).select_step(step.suite_index, step.index)
    await pilot.pause()


async def confirm(pilot) -> str:
    """Return the confirmation text, then confirm with y."""
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ConfirmScreen)
    question = dialog.question
    await pilot.press("y")
    await pilot.pause()
    return question


async def test_accept_then_rerun_passes(make_app, suite_path, fresh_demo_server):
    app = make_app(open_paths=[str(suite_path)], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_report(pilot)
        await select(pilot, screen, "Wrong title")
        await pilot.press("a")
        question = await confirm(pilot)
        assert "  before  expected: \"not the title\"" in question
        assert f'  after   expected: "{TITLE}"' in question
        assert question.endswith(f"Save writes the change to {suite_path}. Press u afterwards to undo the save.")

        assert changed_lines(suite_path) == [(12, f"        expected_string: '\"{TITLE}\"'")]
        await pilot.press("r")
        await wait_for_rerun(pilot, screen.report_id)
        fixed = step_named(screen, "Wrong title")
        assert fixed.passed
        # The attempts ran two definitions of the step, so this is a fix, not flakiness.
        assert not fixed.flaky
        assert str(screen.step_list.get_cell("step:0:0", "result")) == "PASS"

        await pilot.press("u")
        await pilot.pause()
        assert suite_path.read_text() == SUITE_FILE
        assert app.suites[0].steps[0].assertions[1].expected == '"not the title"'


async def test_ignore_both_diffs_then_rerun_passes(make_app, suite_path, fresh_demo_server):
    app = make_app(open_paths=[str(suite_path)], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_report(pilot)
        await select(pilot, screen, "Type mismatch")
        await pilot.press("x")
        question = await confirm(pilot)
        assert "  after   ignore: [$.userId]" in question
        await pilot.press("f", "x")
        question = await confirm(pilot)
        assert "  after   ignore: [$.title, $.body, $.id]" in question

        assert changed_lines(suite_path) == [
            (19, "      - {type: json_equal, key: $.userId, expected_string: '\"1\"', ignore: [$.userId]}"),
            (22, "        ignore: [$.title, $.body, $.id]"),
        ]
        await pilot.press("r")
        await wait_for_rerun(pilot, screen.report_id)
        assert step_named(screen, "Type mismatch").passed
        assert not step_named(screen, "Type mismatch").flaky


async def test_accept_whole_step_and_decline(make_app, suite_path, fresh_demo_server):
    app = make_app(open_paths=[str(suite_path)], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_report(pilot)
        await select(pilot, screen, "Wrong title")
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert suite_path.read_text() == SUITE_FILE

        await pilot.press("A")
        await confirm(pilot)
        assert changed_lines(suite_path) == [(12, f"        expected_string: '\"{TITLE}\"'")]


async def test_accept_on_passing_step_warns(make_app, suite_path, fresh_demo_server):
    path = suite_path
    path.write_text(SUITE_FILE.replace('"not the title"', f'"{TITLE}"'))
    app = make_app(open_paths=[str(path)], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_report(pilot)
        await select(pilot, screen, "Wrong title")
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert "the highlighted step did not fail; nothing to accept" in app.toast_texts()
