"""The main screen: every loaded suite with its live run badge, last run and last result."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from keploy_tui.model import Suite
from keploy_tui.tui.history import relative_time
from keploy_tui.tui.validation import literal_text
from keploy_tui.tui.widgets.badge import result_text
from keploy_tui.tui.widgets.suite_table import SuiteRow, SuiteTable

if TYPE_CHECKING:
    from keploy_tui.tui.app import KeployApp

REFRESH_INTERVAL = 0.1
"""Seconds between table refreshes: badge changes are batched so a fast run cannot flood the screen."""
AGE_REFRESH_INTERVAL = 30.0
"""Seconds between rewrites of the "Last run" ages."""


class SuitesScreen(Screen[None]):
    """Suite list with marks, a name filter and the keys that start, re-run and cancel runs."""

    BINDINGS = [
        Binding("space", "toggle_mark", "Mark", tooltip="Mark or unmark the suite, then move down",
                id="suites.mark"),
        Binding("r", "run", "Run", id="suites.run"),
        Binding("R", "rerun", "Re-run", key_display="R", id="suites.rerun"),
        Binding("c", "cancel_suite", "Cancel", id="suites.cancel"),
        Binding("slash", "filter", "Filter", key_display="/", id="suites.filter"),
        Binding("i", "import_suites", "Import", show=False, id="suites.import"),
        Binding("escape", "clear_filter", "Clear filter", id="suites.clear_filter"),
    ]
    HELP_NOTES = [("↑/↓", "Move")]
    """Rows the Help screen lists before the bindings, for the keys that Textual's widgets handle."""

    def __init__(self) -> None:
        super().__init__()
        self.marked: set[str] = set()
        self.filter_text = ""
        self._dirty: set[str] = set()
        self._rebuild = True
        self._renamed: dict[str, str] = {}
        """Old key to new key of suites whose key changed since the last rebuild."""

    @property
    def keploy(self) -> KeployApp:
        return cast("KeployApp", self.app)

    @property
    def table(self) -> SuiteTable:
        return self.query_one(SuiteTable)

    def compose(self) -> ComposeResult:
        yield Header()
        yield SuiteTable(id="suite-table")
        yield Static("", id="load-errors", markup=False)
        yield Input(placeholder="Filter suites by name: enter keeps it, escape clears it",
                    id="filter", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_interval(REFRESH_INTERVAL, self.flush)
        self.set_interval(AGE_REFRESH_INTERVAL, self.mark_all_dirty)
        self.table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Escape is offered only while a filter is open, so the Footer lists it only then.
        if action == "clear_filter":
            fields = self.query("#filter")
            return self.filter_text != "" or any(field.display for field in fields)
        return True

    # Refreshing: handlers mark what changed, and flush() draws it at most every REFRESH_INTERVAL.

    def mark_dirty(self, suite_key: str) -> None:
        self._dirty.add(suite_key)

    def mark_all_dirty(self) -> None:
        self._dirty.update(suite.key for suite in self.keploy.suites)

    def request_rebuild(self) -> None:
        self._rebuild = True

    def rename_suite_key(self, old: str, new: str) -> None:
        """Keep the mark and the cursor on a suite whose key changed, from the next rebuild on."""
        if old in self.marked:
            self.marked.discard(old)
            self.marked.add(new)
        self._renamed[old] = new
        self._rebuild = True

    def flush(self) -> None:
        """Draw pending changes: the whole list after a load or filter change, else only the changed rows."""
        if self._rebuild:
            self._rebuild = False
            self._dirty.clear()
            renamed, self._renamed = self._renamed, {}
            self.table.show_rows([self.row_for(suite) for suite in self.visible_suites()], renamed)
            return
        if not self._dirty:
            return
        dirty, self._dirty = self._dirty, set()
        table = self.table
        for key in dirty:
            suite = self.keploy.suite_by_key(key)
            if suite is not None:
                table.update_row(self.row_for(suite))

    def row_for(self, suite: Suite) -> SuiteRow:
        app = self.keploy
        last = app.history.get(suite)
        return SuiteRow(
            key=suite.key,
            name=suite.name,
            steps=len(suite.steps),
            marked=suite.key in self.marked,
            badge=app.badges.get(suite.key),
            last_run=relative_time(last.created_at, app.clock()) if last else "never",
            result=result_text(last.passed, last.failed, last.status) if last else Text("–", style="dim"),
        )

    def visible_suites(self) -> list[Suite]:
        needle = self.filter_text.casefold()
        return [suite for suite in self.keploy.suites if needle in suite.name.casefold()]

    def show_load_errors(self, errors: list[str]) -> None:
        """Show the newest load error in up to three lines above the footer. The toasts show each of them."""
        line = self.query_one("#load-errors", Static)
        if not errors:
            line.display = False
            return
        count = f"{len(errors)} load errors" if len(errors) > 1 else "Load error"
        line.update(literal_text(f"{count}: {errors[-1]}"))
        line.display = True

    # Selection

    def highlighted_suite(self) -> Suite | None:
        key = self.table.highlighted_key()
        return None if key is None else self.keploy.suite_by_key(key)

    def selected_suites(self) -> list[Suite]:
        """Return the marked suites in list order, hidden ones included, else the highlighted one."""
        marked = [suite for suite in self.keploy.suites if suite.key in self.marked]
        if marked:
            return marked
        highlighted = self.highlighted_suite()
        return [highlighted] if highlighted is not None else []

    def _selection_or_notify(self) -> list[Suite]:
        suites = self.selected_suites()
        if not suites:
            self.notify("No suite selected: load suites with i, then highlight or mark one.",
                        severity="warning", markup=False)
        return suites

    # Actions

    def action_toggle_mark(self) -> None:
        suite = self.highlighted_suite()
        if suite is None:
            return
        if suite.key in self.marked:
            self.marked.discard(suite.key)
        else:
            self.marked.add(suite.key)
        self.table.update_row(self.row_for(suite))
        self.table.action_cursor_down()

    def action_run(self) -> None:
        suites = self._selection_or_notify()
        if suites:
            self.keploy.open_run_modal(suites)

    def action_rerun(self) -> None:
        suites = self._selection_or_notify()
        if suites:
            self.keploy.rerun(suites)

    def action_cancel_suite(self) -> None:
        suite = self.highlighted_suite()
        if suite is None:
            return
        if self.keploy.runs.cancel_suite(suite.key):
            self.notify(f"Cancelling suite '{literal_text(suite.name).plain}'.", markup=False)
        else:
            self.notify(f"Suite '{literal_text(suite.name).plain}' is not running.", severity="warning", markup=False)

    def action_open_suite(self) -> None:
        suite = self.highlighted_suite()
        if suite is not None:
            self.keploy.open_suite(suite)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_suite()

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        field.focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.value = ""
        field.display = False
        self._apply_filter("")
        self.table.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            event.stop()
            self._apply_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            event.stop()
            # An empty filter has nothing to keep, so the line goes away.
            if not event.value:
                event.input.display = False
            self.table.focus()
            self.refresh_bindings()

    def _apply_filter(self, text: str) -> None:
        self.filter_text = text
        self._rebuild = True
        self.flush()
        self.refresh_bindings()

    def action_import_suites(self) -> None:
        self.keploy.prompt_import()

    # The command palette

    def palette_commands(self) -> Iterator[SystemCommand]:
        """Yield a command palette entry for each action of this screen."""
        yield SystemCommand("Run suites", "Run the marked or highlighted suites (r)", self.action_run)
        yield SystemCommand("Re-run suites", "Re-run with the endpoint and auth used last (R)", self.action_rerun)
        yield SystemCommand("Cancel suite", "Cancel the highlighted running suite (c)", self.action_cancel_suite)
        yield SystemCommand("Mark suite", "Mark or unmark the highlighted suite (space)", self.action_toggle_mark)
        yield SystemCommand("Open suite", "Show the highlighted suite's steps (enter)", self.action_open_suite)
        yield SystemCommand("Filter suites", "Filter the list by name (/)", self.action_filter)
        yield SystemCommand("Import suites", "Load suites from a file or folder (i)", self.action_import_suites)
