"""The report detail screen on hand-built reports: navigation, panes, copy, export, compare and literal text."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pyperclip
import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from keploy_tui.engine.assertions import ResponseView, evaluate
from keploy_tui.engine.compare import StepDelta
from keploy_tui.model import (
    Assertion, AssertionResult, Auth, Report, RunConfig, RunStatus, StepResult, SuiteStatus, SuiteSummary,
)
from keploy_tui.store import ReportStore
from keploy_tui.tui.screens.compare import CompareScreen, delta_text, duration
from keploy_tui.tui.screens.confirm import ConfirmScreen
from keploy_tui.tui.screens.export_prompt import ExportPrompt
from keploy_tui.tui.screens.report_detail import ReportDetailScreen
from keploy_tui.tui.screens.reports import ReportsScreen
from keploy_tui.tui.widgets.assertions_pane import AssertionsPane, assertion_block
from keploy_tui.tui.widgets.diff_pane import DiffPane
from keploy_tui.tui.widgets.step_list import StepList
from keploy_tui.tui.widgets.step_pane import StepPane
from tests.tui.conftest import SIZE, wait_loaded
from tests.tui.reports_data import BASE_URL, EARLIER_ID, REPORT_ID, SUITE, attempt, sample_report, store_reports


def pane_text(app, name: str) -> str:
    """Return the plain text the pane `name` (request, response, assertions, diff) shows."""
    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(app.screen.query_one(f"#{name}-pane", StepPane).content)
    return console.file.getvalue()


def highlighted_step_name(app) -> str:
    step = app.screen.query_one(StepList).highlighted_step()
    return step.step if step is not None else ""


@pytest.fixture
def clipboard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record pyperclip.copy calls instead of touching a real clipboard."""
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    return copied


async def open_detail(pilot: Pilot) -> None:
    """From the suite list, open the reports screen and the newest report."""
    await wait_loaded(pilot)
    await pilot.press("p")
    assert isinstance(pilot.app.screen, ReportsScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReportDetailScreen)


async def test_detail_opens_on_first_failure(make_app, data_dir):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        assert app.screen.report_id == REPORT_ID
        assert highlighted_step_name(app) == "Read post 1"
        request = pane_text(app, "request")
        assert f"GET {BASE_URL}/posts/1" in request
        assert "Authorization: <redacted>" in request


async def test_next_failure_wraps_both_ways(make_app, data_dir):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("n")
        assert highlighted_step_name(app) == "Missing post"
        await pilot.press("n")
        assert highlighted_step_name(app) == "Read post 1"
        await pilot.press("N")
        assert highlighted_step_name(app) == "Missing post"


async def test_panes_follow_highlighted_step(make_app, data_dir):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("2")
        assert "HTTP/1.1 200 OK" in pane_text(app, "response")
        await pilot.press("n")
        response = pane_text(app, "response")
        assert "HTTP/1.1 404 Not Found" in response
        # Repeated headers stay separate, in received order.
        assert response.index("Set-Cookie: a=1") < response.index("Set-Cookie: b=2")

        await pilot.press("3")
        assert "expected status 200, got 404" in pane_text(app, "assertions")


def many_differences_report(count: int):
    """Return the sample report with one step whose json_equal, evaluated by the engine, finds `count` differences."""
    expected = Assertion(type="json_equal", expected=json.dumps(list(range(count))))
    response = ResponseView(status=200, headers=[("Content-Type", "application/json")],
                            text=json.dumps([value + 1 for value in range(count)]))
    result = evaluate(expected, response)
    report = sample_report()
    report.steps[1].attempts[0].assertions = [result]
    return report


async def test_assertion_pane_counts_unlisted(make_app, data_dir):
    ReportStore(data_dir).create(many_differences_report(3450))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("3")
        text = pane_text(app, "assertions")
        # The engine keeps the first 100 differences: $.0 to $.99.
        assert "$.99 " in text
        assert "$.100 " not in text
        assert "3,350 more differences are not listed (3,450 in all)." in text


def test_pane_count_reads_old_reports_from_message():
    from keploy_tui.model import AssertionResult
    from keploy_tui.tui.widgets.assertions_pane import difference_count

    # Reports written before diff_total existed give the total only in the message.
    old = AssertionResult(type="json_equal", passed=False, message="$.0: 1 != 2 (and 149 more differences)")
    assert difference_count(old) == 150
    current = AssertionResult(type="json_equal", passed=False, message="reworded", diff_total=150)
    assert difference_count(current) == 150


async def test_assertion_pane_all_listed(make_app, data_dir):
    ReportStore(data_dir).create(many_differences_report(100))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("3")
        assert "not listed" not in pane_text(app, "assertions")


async def test_assertion_pane_shows_types(make_app, data_dir):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("3")
        text = pane_text(app, "assertions")
        assert "✗ json_equal" in text
        assert "int 1" in text
        assert 'str "1"' in text
        # Both sides are strings, so no type is shown for the title.
        assert '"hello"' in text
        assert 'str "hello"' not in text


async def test_diff_pane_switches_view(make_app, data_dir):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("4")
        unified = pane_text(app, "diff")
        assert '-  "title": "hello",' in unified
        assert '+  "title": "sunt aut facere",' in unified
        await pilot.press("s")
        side = pane_text(app, "diff")
        assert "side by side" in side
        assert "Expected" in side
        assert "Actual" in side
        assert "-  " not in side


async def test_body_markup_and_escape_literal(make_app, data_dir):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("2")
        steps = app.screen.query_one(StepList)
        steps.select_step(0, 3)
        await pilot.pause()
        text = pane_text(app, "response")
        assert '"title": "[bold]loud"' in text
        assert "\\x1b[31mred" in text
        assert "\x1b" not in text


async def test_copy_curl_body_and_id(make_app, data_dir, clipboard):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("c")
        assert app.clipboard.startswith("curl -X GET")
        assert "/posts/1" in app.clipboard
        assert "<redacted>" not in app.clipboard
        assert clipboard[-1] == app.clipboard

        await pilot.press("b")
        assert json.loads(app.clipboard)["title"] == "sunt aut facere"

        await pilot.press("y")
        assert app.clipboard == REPORT_ID
        assert app.toasts[-1][0].startswith(f"Copied report ID {REPORT_ID}")
        assert all(options["markup"] is False for _, options in app.toasts)


async def test_copy_curl_with_secrets_confirms(make_app, data_dir, clipboard):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        app.runs.configs[REPORT_ID] = RunConfig(base_url=BASE_URL, auth=Auth(kind="bearer", token="s3cret"))
        await pilot.press("C")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert "Bearer s3cret" in app.clipboard
        assert clipboard[-1] == app.clipboard


async def test_copy_survives_missing_clipboard(make_app, data_dir, monkeypatch):
    def no_clipboard(text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setattr(pyperclip, "copy", no_clipboard)
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("y")
        assert app.clipboard == REPORT_ID


@pytest.mark.parametrize("name", ["report.json", "report.xml"])
async def test_export_by_extension(make_app, data_dir, tmp_path, name):
    store_reports(data_dir)
    target = tmp_path / name
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, ExportPrompt)
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReportDetailScreen)
        assert app.toasts[-1][0] == f"Exported report {REPORT_ID[:8]} to {target}."

    text = target.read_text(encoding="utf-8")
    if name.endswith(".json"):
        assert json.loads(text)["id"] == REPORT_ID
    else:
        assert ET.fromstring(text).tag == "testsuites"


async def test_export_unknown_extension_stays(make_app, data_dir, tmp_path):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("e")
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "report.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportPrompt)
        error = str(app.screen.query_one("#export-error", Static).content)
        assert "end the name with .json or .xml" in error
    assert not (tmp_path / "report.txt").exists()


async def test_export_missing_folder_stays(make_app, data_dir, tmp_path):
    store_reports(data_dir)
    folder = tmp_path / "missing"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("e")
        app.screen.query_one("#export-path", Input).value = str(folder / "r1.json")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportPrompt)
        error = str(app.screen.query_one("#export-error", Static).content)
        assert error == (f"Not written: the folder {folder} does not exist. "
                         "Create it first, or choose another path.")
    assert not folder.exists()


def test_diff_pane_no_diff_message():
    not_found = AssertionResult(type="json_path", passed=False, key="$.author", expected='"Ann"', actual=None,
                                message="path not found: $.author (no key 'author')")
    step = StepResult("Posts CRUD", 0, "Read post 1", 1, "GET", "/posts/1",
                      [attempt("/posts/1", 200, {"id": 1}, False, [not_found])])
    text = DiffPane().render_step(step).plain
    assert "No failed check in this step has a body diff to show." in text
    assert "Assertions pane (3)" in text
    assert "No failed body comparison" not in text


def cancelled_before_first_step() -> Report:
    report = Report(id=REPORT_ID, created_at="2025-01-01T11:59:00+00:00", creator="dev@example.com",
                    status=RunStatus.CANCELLED, base_url=BASE_URL, auth_kind="none",
                    suites=[SuiteSummary(name="Big suite", source="suites/big.yaml", status=SuiteStatus.CANCELLED,
                                         total=10)],
                    finished_at="2025-01-01T11:59:01+00:00", steps=[])
    report.recount()
    return report


async def test_report_without_steps_says_none_ran(make_app, data_dir):
    ReportStore(data_dir).create(cancelled_before_first_step())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        expected = "No step ran: the run was cancelled before its first step finished."
        assert expected in pane_text(app, "request")
        await pilot.press("3")
        assert expected in pane_text(app, "assertions")
        for key in ("r", "F"):
            await pilot.press(key)
            assert app.toasts[-1][0] == ("Nothing to re-run: no step of this run ran. "
                                         "Run the suites again from the suite list (r).")


@pytest.mark.parametrize("key", ["r", "F"])
async def test_rerun_of_unloaded_suite_says_how_to_load(make_app, data_dir, key):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert app.toasts[-1][0] == (
            f"Cannot re-run: suite '{SUITE}' is not loaded in the app. Load its file suites/posts.yaml "
            f"(i on the suite list, or keploy-tui open suites/posts.yaml), then press {key} again.")
        assert not any(text.startswith("Re-running") for text in app.toast_texts())


async def test_compare_with_previous_run(make_app, data_dir):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        comparison = app.screen.comparison
        assert comparison.old.id == EARLIER_ID
        assert [delta.step for delta in comparison.by_group()["regressed"]] == ["Read post 1"]
        summary = str(app.screen.query_one("#compare-summary", Static).content)
        assert summary.startswith("1 regressed, 0 fixed, 1 still failing, 2 unchanged")


@pytest.mark.parametrize(("size", "step_width"), [(SIZE, 37), ((120, 40), 77)])
async def test_compare_columns_fit_width(make_app, data_dir, size, step_width):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_detail(pilot)
        await pilot.press("d")
        await pilot.pause()
        table = app.screen.query_one("#compare-table", DataTable)
        widths = [column.get_render_width(table) for column in table.columns.values()]
        assert table.columns["step"].width == step_width
        # The vertical scrollbar may take the last two columns.
        assert sum(widths) <= size[0] - 2
        row = table.get_row_index("regressed:0")
        line = table.render_line(row + 1).text
        assert line.rstrip().endswith("+0 ms")


async def test_compare_j_k_move_cursor(make_app, data_dir):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("d")
        await pilot.pause()
        table = app.screen.query_one("#compare-table", DataTable)
        assert table.cursor_row == 0
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1


@pytest.mark.parametrize(("old_ms", "new_ms", "shown"), [
    (22.4, 4.6, "-17 ms"),
    (4.6, 22.4, "+17 ms"),
    (10.4, 10.6, "+1 ms"),
    (10.0, 10.0, "+0 ms"),
])
def test_compare_delta_from_shown_durations(old_ms, new_ms, shown):
    delta = StepDelta(suite="Posts", step="Read post", group="unchanged", old_passed=True, new_passed=True,
                      old_ms=old_ms, new_ms=new_ms)
    assert int(duration(delta.new_ms).plain) - int(duration(delta.old_ms).plain) == int(shown[:-3])
    assert delta_text(delta).plain == shown


def test_compare_slower_style_uses_shown_delta():
    slower = StepDelta(suite="Posts", step="Read post", group="unchanged", old_passed=True, new_passed=True,
                       old_ms=0.45, new_ms=100.4)
    assert delta_text(slower).plain == "+100 ms"
    assert str(delta_text(slower).style) == "yellow"


async def test_compare_without_previous_run(make_app, data_dir):
    store = store_reports(data_dir)
    store.delete(EARLIER_ID)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("d")
        assert isinstance(app.screen, ReportDetailScreen)
        assert app.toasts[-1][0] == "No earlier run of the same suites to compare with."


async def test_palette_lists_detail_actions(make_app, data_dir):
    store_reports(data_dir)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Next failure", "Re-run step", "Re-run failed steps", "Compare with previous run",
                "Copy as curl", "Copy response body", "Copy report ID", "Export report"} <= titles


async def test_long_body_is_capped(make_app, data_dir):
    store = store_reports(data_dir)
    report = store.get(REPORT_ID)
    response = report.steps[3].latest.response
    response.body = json.dumps([{"id": index, "text": "x" * 40} for index in range(20_000)])
    response.size = len(response.body)
    store.save_steps(report)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("2")
        app.screen.query_one(StepList).select_step(0, 3)
        await pilot.pause()
        text = pane_text(app, "response")
        assert "Showing the first 250 KB of a 1.3 MB body" in text
        assert len(text) < 300_000
        # The pane lays out every folded row but draws only those in view.
        pane = app.screen.query_one("#response-pane", StepPane)
        assert pane.virtual_size.height > 10_000
        assert pane.region.height < 30


async def test_running_report_detail_grows_in_place(make_app, tmp_path, fresh_demo_server):
    from tests.tui.conftest import wait_for, wait_for_runs, write_suite

    write_suite(tmp_path / "live.yaml", "Live", [
        ("First", "/posts/1"), ("Wait", "/slow?delay=1.5"), ("Third", "/posts/2"), ("Fourth", "/posts/3"),
    ])
    app = make_app(extra_sources=[str(tmp_path / "live.yaml")], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("r", "enter")
        await wait_for(pilot, lambda: app.runs.last_report_id is not None, "the run to start")
        report_id = app.runs.last_report_id
        await app.push_screen(ReportDetailScreen(report_id))
        screen = app.screen
        await wait_for(pilot, lambda: "step:0:0" in screen.step_list.steps, "the first step to show")
        # The rows stay the same objects while the run adds steps, so the cursor keeps its place.
        first_row = screen.step_list.rows["step:0:0"]
        assert "step:0:3" not in screen.step_list.steps

        await wait_for_runs(pilot)
        await wait_for(pilot, lambda: "step:0:3" in screen.step_list.steps, "the last step to show")
        await pilot.pause(1.2)

        step_list = screen.step_list
        assert step_list.rows["step:0:0"] is first_row
        assert step_list.row_count == 5
        assert "4/4 passed" in str(step_list.get_cell("suite:0", "path"))
        assert "COMPLETED" in str(screen.query_one("#detail-title", Static).content)


async def test_pane_shown_later_folds_at_its_width(make_app, data_dir):
    store = store_reports(data_dir)
    report = store.get(REPORT_ID)
    response = report.steps[0].latest.response
    response.body = json.dumps([{"id": index, "title": "sunt aut facere " * 8} for index in range(30)])
    store.save_steps(report)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        await pilot.press("3")
        app.screen.query_one(StepList).select_step(0, 0)
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()

        pane = app.screen.query_one("#response-pane", StepPane)
        width = pane.scrollable_content_region.width
        # The body is taller than the pane, so its scrollbar shows, and the rows were
        # folded at the width left beside it: nothing is cut or scrolls sideways.
        assert pane.show_vertical_scrollbar
        assert pane.virtual_size.width == width
        assert not pane.show_horizontal_scrollbar
        drawn = "".join(pane.render_line(y).text for y in range(pane.scrollable_content_region.height))
        assert '"title": "sunt aut facere sunt aut facere' in drawn


async def test_step_list_widens_with_terminal(make_app, data_dir):
    store = store_reports(data_dir)
    report = store.get(REPORT_ID)
    long_name = "Read the post that has a rather long descriptive name"
    report.steps[0].step = long_name
    store.save_steps(report)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot)
        step_list = app.screen.query_one(StepList)
        await pilot.pause()

        assert step_list.path_width == 120 - 47
        assert str(step_list.get_cell("step:0:0", "path")).startswith(long_name)

        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert step_list.path_width == 33
        assert str(step_list.get_cell("step:0:0", "path")).endswith("…")


def unchecked_report():
    """Return the sample report where "Missing post" has no assertions and so passed on its 404."""
    report = sample_report()
    missing = report.steps[2]
    missing.step = "Missing post with a name too long for the column"
    missing.attempts[0].assertions = []
    missing.attempts[0].passed = True
    report.recount()
    return report


async def test_unchecked_step_marked_no_checks(make_app, data_dir):
    ReportStore(data_dir).create(unchecked_report())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(pilot)
        step_list = app.screen.query_one(StepList)
        unchecked = step_list.get_cell("step:0:2", "path")
        checked = step_list.get_cell("step:0:0", "path")

        # The mark stays in view at 80 columns although the name alone fills the column.
        assert str(unchecked).endswith("(no checks)")
        assert unchecked.cell_len <= step_list.path_width
        assert "(no checks)" not in str(checked)

        step_list.select_step(0, 2)
        await pilot.press("3")
        assert "No checks: the step has no assertions" in pane_text(app, "assertions")


def colour_of(renderable, needle: str) -> str | None:
    """Return the colour name of the first drawn segment that contains `needle`."""
    console = Console(width=160, file=io.StringIO(), color_system="truecolor")
    for segment in console.render(renderable):
        if needle in segment.text:
            return segment.style.color.name if segment.style and segment.style.color else None
    raise AssertionError(f"{needle!r} is not drawn")


def failed_read_step() -> StepResult:
    return sample_report().steps[1]


def test_unified_diff_colours_like_git():
    pane = DiffPane()
    unified = pane.render_step(failed_read_step())
    assert colour_of(unified, '-  "title": "hello",') == "red"
    assert colour_of(unified, '+  "title": "sunt aut facere",') == "green"


def test_side_by_side_colours_like_git():
    pane = DiffPane()
    pane.side_by_side = True
    side = pane.render_step(failed_read_step())
    assert colour_of(side, "- Expected") == "red"
    assert colour_of(side, "+ Actual") == "green"
    assert colour_of(side, '"title": "hello",') == "red"
    assert colour_of(side, '"title": "sunt aut facere",') == "green"


def test_assertions_pane_colours_like_git():
    pane = AssertionsPane()
    listed = pane.render_step(failed_read_step())
    assert colour_of(listed, '"hello"') == "red"
    assert colour_of(listed, '"sunt aut facere"') == "green"

    # A failure without a JSON diff shows its two values on their own lines.
    status = sample_report().steps[2].latest.assertions[0]
    _, _, expected_line, actual_line = assertion_block(status)
    assert colour_of(expected_line, "200") == "red"
    assert colour_of(actual_line, "404") == "green"


async def test_live_refresh_leaves_the_shown_pane_alone(make_app, tmp_path, fresh_demo_server, monkeypatch):
    from tests.tui.conftest import wait_for, wait_for_runs, write_suite

    write_suite(tmp_path / "live.yaml", "Live", [("First", "/posts/1"), ("Wait", "/slow?delay=1.5")])
    app = make_app(extra_sources=[str(tmp_path / "live.yaml")], demo_url=fresh_demo_server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("r", "enter")
        await wait_for(pilot, lambda: app.runs.last_report_id is not None, "the run to start")
        await app.push_screen(ReportDetailScreen(app.runs.last_report_id))
        screen = app.screen
        await wait_for(pilot, lambda: "step:0:0" in screen.step_list.steps, "the first step to show")
        screen.step_list.select_step(0, 0)
        await pilot.pause()
        drawn: list[int] = []
        original = StepPane.show

        def counting_show(pane, step, **options):
            if options.get("force"):
                drawn.append(step.index if step else -1)
            original(pane, step, **options)

        monkeypatch.setattr(StepPane, "show", counting_show)
        # Several live refreshes pass while the second step waits for its response.
        await pilot.pause(0.8)
        assert app.runs.active
        assert drawn == []
        await wait_for_runs(pilot)


def test_long_suite_name_keeps_its_counts():
    from keploy_tui.tui.widgets.step_list import _suite_heading

    heading = _suite_heading("JSONPlaceholder users and todos", "10/10 passed", 33)
    assert heading.plain.endswith("  10/10 passed")
    assert heading.plain.startswith("JSONPlaceholder")
    assert len(heading.plain) <= 33
