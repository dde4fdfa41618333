"""Suite detail, help, import prompt and reports screens, each pushed by a small host app."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.console import Console
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from keploy_tui.model import Assertion, Auth, Report, RunStatus, Step, Suite, SuiteStatus, SuiteSummary
from keploy_tui.store import ReportStore
from keploy_tui.tui.screens.help import HelpScreen
from keploy_tui.tui.screens import import_prompt
from keploy_tui.tui.screens.import_prompt import (
    DEFAULT_HINT,
    Completion,
    ImportPrompt,
    PathSuggester,
    candidates_hint,
    complete_path,
)
from keploy_tui.tui.screens.reports import ReportsScreen, local_time
from keploy_tui.tui.screens.suite_detail import SuiteDetailScreen, describe_auth

SIZE = (80, 24)


class HostApp(App[None]):
    """An empty app that pushes one screen and records what it dismisses with."""

    def __init__(self, make_screen: Callable[[], Screen]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), callback=self.results.append)


def rendered(pilot: Pilot, selector: str) -> str:
    """Return the plain text of a Static, which may hold a Rich renderable such as a Group."""
    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(pilot.app.screen.query_one(selector, Static).content)
    return console.file.getvalue()


def cell_text(table: DataTable, row: int, column: int) -> str:
    return str(table.get_cell_at((row, column)))


@pytest.fixture
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC for the test, so times shown on screen are the same everywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def sample_suite() -> Suite:
    create = Step(
        name="Create post",
        method="POST",
        url="/posts",
        headers={"Content-Type": "application/json"},
        body='{"title": "[bold]hello", "userId": 1}',
        extract={"post_id": "$.id"},
        assertions=[
            Assertion(type="status_code", expected="201"),
            Assertion(type="json_equal", key="$.title", expected='"[bold]hello"', ignore=["$.createdAt"]),
        ],
    )
    read = Step(
        name="Read post",
        method="GET",
        url="/posts/{{post_id}}",
        auth=Auth(kind="bearer", token_env="ORDERS_TOKEN"),
        assertions=[Assertion(type="status_code_class", expected="2xx")],
        timeout=5,
    )
    anonymous = Step(name="Public list", method="GET", url="/posts", auth=Auth(kind="none"))
    return Suite(
        name="[bold]x",
        description="Create a post, [i]read[/i] it back",
        steps=[create, read, anonymous],
        source="suites/posts.yaml",
        line=3,
    )


# Suite detail


async def test_suite_detail_shows_name_literally() -> None:
    app = HostApp(lambda: SuiteDetailScreen(sample_suite()))
    async with app.run_test(size=SIZE) as pilot:
        info = rendered(pilot, "#suite-info")
    assert "Suite: [bold]x" in info
    assert "Create a post, [i]read[/i] it back" in info
    assert "suites/posts.yaml:3" in info
    assert "3 steps" in info


async def test_suite_detail_lists_steps() -> None:
    app = HostApp(lambda: SuiteDetailScreen(sample_suite()))
    async with app.run_test(size=SIZE):
        table = app.screen.query_one("#steps", DataTable)
        rows = [[cell_text(table, row, column) for column in range(6)] for row in range(table.row_count)]
    assert rows == [
        ["1", "Create post", "POST", "/posts", "2", "inherit"],
        ["2", "Read post", "GET", "/posts/{{post_id}}", "1", "bearer"],
        ["3", "Public list", "GET", "/posts", "0", "none"],
    ]


async def test_suite_detail_shows_highlighted_step() -> None:
    app = HostApp(lambda: SuiteDetailScreen(sample_suite()))
    async with app.run_test(size=SIZE) as pilot:
        first = rendered(pilot, "#step-text")
        await pilot.press("down")
        second = rendered(pilot, "#step-text")
    assert "Content-Type: application/json" in first
    assert '"title": "[bold]hello"' in first
    assert "post_id ← $.id" in first
    assert "json_equal" in first
    assert "ignore: $.createdAt" in first
    assert "Step 2: Read post" in second
    assert "bearer, token from $ORDERS_TOKEN" in second
    assert "Timeout: 5 s" in second


async def test_suite_detail_without_steps() -> None:
    app = HostApp(lambda: SuiteDetailScreen(Suite(name="Empty")))
    async with app.run_test(size=SIZE) as pilot:
        assert "no steps" in rendered(pilot, "#step-text")


@pytest.mark.parametrize("key", ["escape", "q"])
async def test_suite_detail_key_goes_back(key: str) -> None:
    app = HostApp(lambda: SuiteDetailScreen(sample_suite()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, SuiteDetailScreen)


def test_describe_auth_hides_literal_secret() -> None:
    text = describe_auth(Auth(kind="basic", username="ci", password="hunter2"))
    assert "hunter2" not in text
    assert text == "basic, user ci, password written in the suite (hidden)"


# Help


async def test_help_lists_bindings() -> None:
    rows = [("r", "Run selected suites"), ("[b]", "Show [bold] literally")]
    app = HostApp(lambda: HelpScreen(rows))
    async with app.run_test(size=SIZE):
        table = app.screen.query_one(DataTable)
        displayed_rows = [(cell_text(table, row, 0), cell_text(table, row, 1)) for row in range(table.row_count)]
    assert displayed_rows == rows


async def test_help_escape_closes() -> None:
    app = HostApp(lambda: HelpScreen([("r", "Run")]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
    assert app.results == [None]


# Import prompt


async def test_import_returns_expanded_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    suite_file = tmp_path / "suite.yaml"
    suite_file.write_text("name: x\nsteps: []\n", encoding="utf-8")
    app = HostApp(ImportPrompt)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"~/suite.yaml", "enter")
        await pilot.pause()
    assert app.results == [str(suite_file)]


async def test_import_missing_path_stays_open(tmp_path: Path) -> None:
    missing = tmp_path / "nope [bold]"
    app = HostApp(ImportPrompt)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one(Input).value = str(missing)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportPrompt)
        assert f"Not found: {missing}" in rendered(pilot, "#import-error")
    assert app.results == []


async def test_import_empty_path_stays_open() -> None:
    app = HostApp(ImportPrompt)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "Missing path" in rendered(pilot, "#import-error")
    assert app.results == []


async def test_import_escape_returns_none() -> None:
    app = HostApp(ImportPrompt)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"abc", "escape")
        await pilot.pause()
    assert app.results == [None]


async def test_import_tab_completes(tmp_path: Path) -> None:
    (tmp_path / "suites").mkdir()
    app = HostApp(ImportPrompt)
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one(Input)
        field.value = str(tmp_path / "su")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("tab")
        assert field.value == str(tmp_path / "suites") + "/"


def test_complete_path_cases(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text("", encoding="utf-8")
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps-old.yaml").write_text("", encoding="utf-8")
    (tmp_path / ".apikey").write_text("", encoding="utf-8")
    base = str(tmp_path)
    # Several matches stop at the prefix they share, as a shell does, and are all listed.
    assert complete_path(f"{base}/a") == Completion(f"{base}/ap", ["api.yaml", "apps-old.yaml", "apps/"])
    assert complete_path(f"{base}/app") == Completion(f"{base}/apps", ["apps-old.yaml", "apps/"])
    assert complete_path(f"{base}/ap").text == f"{base}/ap"
    assert complete_path(f"{base}/api").text == f"{base}/api.yaml"
    assert complete_path(f"{base}/apps-").text == f"{base}/apps-old.yaml"
    assert complete_path(f"{base}/.ap").text == f"{base}/.apikey"
    assert complete_path(f"{base}/zz") == Completion(f"{base}/zz", [])
    assert complete_path(f"{base}/") == Completion(f"{base}/ap", ["api.yaml", "apps-old.yaml", "apps/"])


def test_complete_path_exact_folder_name(tmp_path: Path) -> None:
    (tmp_path / "suites").mkdir()
    assert complete_path(str(tmp_path / "suites")).text == str(tmp_path / "suites") + "/"


def test_complete_path_huge_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_prompt, "MAX_SCANNED_ENTRIES", 2)
    for name in ("a1.yaml", "a2.yaml", "b.yaml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    completion = complete_path(str(tmp_path / "a"))
    assert completion == Completion(str(tmp_path / "a"), [], truncated=True)
    assert candidates_hint(completion, str(tmp_path / "a")).startswith(f"Not completed, because {tmp_path} has")


def test_candidates_hint_counts_the_rest() -> None:
    names = [f"suite-{number:02}.yaml" for number in range(15)]
    hint = candidates_hint(Completion("suite-", names), "suite-")
    assert hint.startswith("15 matches: suite-00.yaml  suite-01.yaml")
    assert "suite-11.yaml" in hint
    assert "suite-12.yaml" not in hint
    assert hint.endswith("… and 3 more")


async def test_suggester_suggests_shared_prefix(tmp_path: Path) -> None:
    (tmp_path / "orders.json").write_text("", encoding="utf-8")
    (tmp_path / "orders.yaml").write_text("", encoding="utf-8")
    suggester = PathSuggester()
    assert await suggester.get_suggestion(str(tmp_path / "o")) == str(tmp_path / "orders.")
    assert await suggester.get_suggestion(str(tmp_path / "orders.")) is None


async def test_import_tab_lists_ambiguous_names(tmp_path: Path) -> None:
    (tmp_path / "orders.json").write_text("", encoding="utf-8")
    (tmp_path / "orders.yaml").write_text("", encoding="utf-8")
    (tmp_path / "orders-v2").mkdir()
    app = HostApp(ImportPrompt)
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one(Input)
        field.value = str(tmp_path / "ord")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert field.value == str(tmp_path / "orders")
        assert field.cursor_position == len(field.value)
        assert "3 matches: orders-v2/  orders.json  orders.yaml" in rendered(pilot, "#import-hint")

        await pilot.press(*".y", "tab")
        await pilot.pause()
        assert field.value == str(tmp_path / "orders.yaml")
        assert rendered(pilot, "#import-hint").strip() == DEFAULT_HINT


async def test_import_tab_without_match_says_so(tmp_path: Path) -> None:
    app = HostApp(ImportPrompt)
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one(Input)
        field.value = str(tmp_path / "nothing [bold]")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert field.value == str(tmp_path / "nothing [bold]")
        assert f"No file or folder matches {tmp_path / 'nothing [bold]'}" in rendered(pilot, "#import-hint")

        await pilot.press("x")
        await pilot.pause()
        assert rendered(pilot, "#import-hint").strip() == DEFAULT_HINT


# Reports


def seed_reports(store: ReportStore) -> list[str]:
    """Store four reports a day apart and return their ids, oldest first."""
    cases = [
        (RunStatus.COMPLETED, 5, 0),
        (RunStatus.COMPLETED, 3, 2),
        (RunStatus.RUNNING, 1, 0),
        (RunStatus.INTERRUPTED, 0, 0),
    ]
    ids = []
    for day, (status, passed, failed) in enumerate(cases, start=1):
        report_id = f"{day:08d}-7d3c-4b1e-9a55-{day:012d}"
        summary = SuiteSummary(
            name="Posts [red]CRUD", source="suites/posts.yaml", status=SuiteStatus.PASSED if not failed else SuiteStatus.FAILED,
            total=passed + failed, passed=passed, failed=failed, done=passed + failed,
        )
        store.create(Report(
            id=report_id, created_at=f"2024-05-0{day}T10:30:0{day}+00:00", creator="[bold]dev@example.com",
            status=status, base_url="http://127.0.0.1:8000", auth_kind="bearer", suites=[summary],
        ))
        ids.append(report_id)
    return ids


async def test_reports_listed_newest_first(tmp_path: Path, utc_clock: None) -> None:
    store = ReportStore(tmp_path)
    ids = seed_reports(store)
    app = HostApp(lambda: ReportsScreen(store))
    async with app.run_test(size=SIZE):
        table = app.screen.query_one("#reports", DataTable)
        first_row = [cell_text(table, 0, column) for column in range(5)]
        keys = [row_key.value for row_key in table.rows]
    assert keys == list(reversed(ids))
    assert first_row == ["00000004", "2024-05-04 10:30:04", "[bold]dev@examp…", "0/0/0", "INTERRUPTED"]


async def test_reports_completed_green_only_at_full_pass(tmp_path: Path) -> None:
    store = ReportStore(tmp_path)
    ids = seed_reports(store)
    app = HostApp(lambda: ReportsScreen(store))
    async with app.run_test(size=SIZE):
        table = app.screen.query_one("#reports", DataTable)
        all_passed = table.get_cell(ids[0], "status")
        with_failures = table.get_cell(ids[1], "status")
    assert str(all_passed) == str(with_failures) == "COMPLETED"
    assert "green" in str(all_passed.style)
    assert "green" not in str(with_failures.style)


async def test_reports_highlight_given_id(tmp_path: Path) -> None:
    store = ReportStore(tmp_path)
    ids = seed_reports(store)
    app = HostApp(lambda: ReportsScreen(store, report_id=ids[1]))
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#reports", DataTable)
        assert table.cursor_row == 2
        summary = rendered(pilot, "#report-summary")
    assert f"Report {ids[1]}" in summary
    assert "Posts [red]CRUD failed 3/5" in summary


async def test_reports_refresh_shows_new_report(tmp_path: Path) -> None:
    store = ReportStore(tmp_path)
    ids = seed_reports(store)
    app = HostApp(lambda: ReportsScreen(store, report_id=ids[0]))
    async with app.run_test(size=SIZE) as pilot:
        store.create(Report(id="new-report", created_at="2024-06-01T00:00:00+00:00", creator="ci"))
        await pilot.press("r")
        await pilot.pause()
        table = app.screen.query_one("#reports", DataTable)
        assert table.row_count == 5
        # The highlight stays on the report it was on.
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == ids[0]


async def test_reports_empty_store(tmp_path: Path) -> None:
    app = HostApp(lambda: ReportsScreen(ReportStore(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        assert "No reports yet" in rendered(pilot, "#report-summary")


async def test_reports_corrupt_index_shows_error(tmp_path: Path) -> None:
    store = ReportStore(tmp_path)
    store.index_path.write_text("{not json", encoding="utf-8")
    app = HostApp(lambda: ReportsScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        assert "Could not read reports" in rendered(pilot, "#report-summary")


async def test_reports_escape_goes_back(tmp_path: Path) -> None:
    app = HostApp(lambda: ReportsScreen(ReportStore(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReportsScreen)


def test_local_time_keeps_unreadable_text() -> None:
    assert local_time("yesterday") == "yesterday"


# Snapshots


def test_snapshot_suite_detail(snap_compare) -> None:
    app = HostApp(lambda: SuiteDetailScreen(sample_suite()))
    assert snap_compare(app, terminal_size=SIZE)


def test_snapshot_reports_list(snap_compare, tmp_path: Path, utc_clock: None) -> None:
    store = ReportStore(tmp_path)
    ids = seed_reports(store)
    app = HostApp(lambda: ReportsScreen(store, report_id=ids[1]))
    assert snap_compare(app, terminal_size=SIZE)


def test_snapshot_help(snap_compare) -> None:
    rows = [("r", "Run the selected suites"), ("enter", "Open suite detail"), ("ctrl+p", "Command palette")]
    app = HostApp(lambda: HelpScreen(rows))
    assert snap_compare(app, terminal_size=SIZE)


async def type_in_one_burst(pilot: Pilot, start: str, typed: str) -> None:
    """Put `start` in the focused field, then send `typed` and Enter as one burst of keys, as a paste does."""
    field = pilot.app.screen.query_one(Input)
    field.value = start
    field.cursor_position = len(start)
    for key in [*typed, "enter"]:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    await pilot.pause(0.2)


async def test_import_enter_waits_for_typed_keys(tmp_path: Path) -> None:
    # A paste or a fast typist sends the keys in one burst: Enter must submit every
    # character typed before it, not the part the field had handled so far.
    folder = tmp_path / "suites"
    folder.mkdir()
    suite_file = folder / "suite.yaml"
    suite_file.write_text("name: x\nsteps: []\n", encoding="utf-8")
    app = HostApp(ImportPrompt)
    async with app.run_test(size=SIZE) as pilot:
        await type_in_one_burst(pilot, f"{folder}/", "suite.yaml")
    assert app.results == [str(suite_file)]


async def test_export_enter_waits_for_typed_keys(tmp_path: Path) -> None:
    from keploy_tui.tui.screens.export_prompt import ExportPrompt

    written: list[Path] = []
    app = HostApp(lambda: ExportPrompt(written.append))
    async with app.run_test(size=SIZE) as pilot:
        await type_in_one_burst(pilot, f"{tmp_path}/", "report.xml")
    assert written == [tmp_path / "report.xml"]
