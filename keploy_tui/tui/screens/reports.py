"""The list of stored run reports, newest first, with a summary of the highlighted one."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from keploy_tui.model import Report, RunStatus
from keploy_tui.store import ReportStore, StoreError
from keploy_tui.tui.history import parse_time
from keploy_tui.tui.validation import literal_text
from keploy_tui.tui.widgets.row_table import RowTable

log = logging.getLogger(__name__)

SHORT_ID_LENGTH = 8
"""Characters of the report id shown in the table; the summary below it shows the whole id."""
CREATOR_WIDTH = 16
STATUS_STYLES = {
    RunStatus.QUEUED: "cyan",
    RunStatus.RUNNING: "yellow",
    RunStatus.COMPLETED: "red",
    RunStatus.CANCELLED: "magenta",
    RunStatus.INTERRUPTED: "magenta",
}
"""A COMPLETED report is green only when every step passed, else red."""
LIVE_REFRESH_INTERVAL = 1.0
"""Seconds between reloads while a shown report is QUEUED or RUNNING."""

SORT_KEYS: list[tuple[str, str, Callable[[Report], Any]]] = [
    ("created_at", "Created At", lambda report: (report.created_at, report.id)),
    ("id", "Report ID", lambda report: report.id),
    ("creator", "Creator", lambda report: report.creator.casefold()),
    ("total", "Total", lambda report: report.total),
    ("passed", "Passed", lambda report: report.passed),
    ("failed", "Failed", lambda report: report.failed),
    ("status", "Status", lambda report: (report.status.value, report.all_passed)),
]
"""Sort columns in the order `s` cycles through them: (name, label, sort key)."""


def local_time(created_at: str) -> str:
    """Return a report's UTC time as local time, "2024-05-01 12:30:05", or the text as stored if unreadable."""
    moment = parse_time(created_at)
    if moment is None:
        return created_at
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def status_text(report: Report) -> Text:
    style = "bold green" if report.all_passed else STATUS_STYLES.get(report.status, "")
    return Text(report.status.value, style=style)


def counts_text(report: Report) -> Text:
    """Return "total/passed/failed", with failures in red."""
    failed_style = "red" if report.failed else ""
    passed_style = "green" if report.passed else ""
    return Text.assemble(f"{report.total}/", (str(report.passed), passed_style), "/", (str(report.failed), failed_style))


def creator_text(report: Report) -> Text:
    creator = literal_text(report.creator or "(unknown)")
    creator.truncate(CREATOR_WIDTH, overflow="ellipsis")
    return creator


def matches_filter(report: Report, needle: str) -> bool:
    """Tell whether `needle` occurs, ignoring case, in the report's status, creator, id or a suite name."""
    needle = needle.strip().casefold()
    if not needle:
        return True
    fields = [report.status.value, report.creator, report.id, *(suite.name for suite in report.suites)]
    return any(needle in field.casefold() for field in fields)


def report_summary(report: Report) -> Text:
    """Describe the highlighted report in three lines: id, endpoint and auth, suites."""
    summary = Text.assemble(Text("Report ", style="dim"), literal_text(report.id, "bold"))
    summary.append("\n")
    summary.append_text(Text.assemble(
        Text("Endpoint ", style="dim"), literal_text(report.base_url or "(none)"),
        Text("   Auth ", style="dim"), literal_text(report.auth_kind),
    ))
    summary.append("\n")
    summary.append("Suites ", style="dim")
    for position, suite in enumerate(report.suites):
        if position:
            summary.append(" · ", style="dim")
        summary.append_text(literal_text(suite.name))
        summary.append(f" {suite.status.value} {suite.passed}/{suite.total}", style="dim")
    if not report.suites:
        summary.append("(none)", style="dim")
    return summary


class ReportsScreen(Screen):
    """List the reports of a ReportStore and highlight `report_id` when it is given."""

    DEFAULT_CSS = """
    ReportsScreen #reports-title {
        height: 1;
        padding: 0 1;
        background: $boost;
        text-style: bold;
    }
    ReportsScreen #reports {
        height: 1fr;
    }
    ReportsScreen #report-summary {
        height: auto;
        max-height: 6;
        padding: 0 1;
        border-top: solid $secondary;
    }
    ReportsScreen #report-filter {
        display: none;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="reports.back"),
        Binding("enter", "open_report", "Open", id="reports.open"),
        Binding("s", "cycle_sort", "Sort", id="reports.sort"),
        Binding("S", "reverse_sort", "Reverse", key_display="S", show=False, id="reports.reverse"),
        Binding("slash", "filter", "Filter", key_display="/", id="reports.filter"),
        Binding("y", "copy_id", "Copy ID", id="reports.copy_id"),
        Binding("r", "reload", "Refresh", id="reports.refresh"),
    ]

    def __init__(self, store: ReportStore, report_id: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.report_id = report_id
        self.sort_index = 0
        self.sort_descending = True
        self.filter_text = ""
        self._all: list[Report] = []
        self._reports: dict[str, Report] = {}
        self._error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Run reports", id="reports-title", markup=False)
        yield RowTable(id="reports", cursor_type="row", zebra_stripes=True)
        yield Static("", id="report-summary", markup=False)
        yield Input(placeholder="Filter by suite, status or creator: enter keeps it, escape clears it",
                    id="report-filter", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#reports", DataTable)
        table.add_column(Text("Report ID"), key="id")
        table.add_column(Text("Created At"), key="created_at")
        table.add_column(Text("Creator"), key="creator", width=CREATOR_WIDTH)
        table.add_column(Text("Tot/Pass/Fail"), key="counts")
        table.add_column(Text("Status"), key="status")
        self.reload()
        self.set_interval(LIVE_REFRESH_INTERVAL, self._refresh_if_live)
        table.focus()

    def reload(self) -> None:
        """Read the reports again, keeping the highlighted report when it still exists."""
        self._remember_highlight()
        try:
            self._all = self.store.list()
            self._error = None
        except StoreError as error:
            log.error("Could not list reports in %s: %s", self.store.data_dir, error)
            self._all = []
            self._error = f"Could not read reports: {error}"
        self._show_reports()

    def _remember_highlight(self) -> None:
        table = self.query_one("#reports", DataTable)
        if self._reports and table.row_count:
            self.report_id = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _refresh_if_live(self) -> None:
        """Update the rows of running reports; listing them all again each second is slow.

        Only while this screen is on top: Textual's is_current is also true for the
        screen right under it, and the detail screen on top refreshes itself.
        """
        if self.app.screen is not self:
            return
        for report_id, report in list(self._reports.items()):
            if report.status.active:
                self._update_row(report_id)

    def _update_row(self, report_id: str) -> None:
        if report_id not in self._reports:
            return
        runs = getattr(self.app, "runs", None)
        report = runs.live_report(report_id) if runs is not None else None
        try:
            report = report or self.store.summary(report_id)
        except StoreError as error:
            log.warning("Could not refresh report %s: %s", report_id, error)
            return
        self._reports[report_id] = report
        self._all = [report if item.id == report_id else item for item in self._all]
        table = self.query_one("#reports", DataTable)
        table.update_cell(report_id, "counts", counts_text(report))
        table.update_cell(report_id, "status", status_text(report))
        if self.highlighted_report() is report:
            self.query_one("#report-summary", Static).update(report_summary(report))

    def visible_reports(self) -> list[Report]:
        _, _, key = SORT_KEYS[self.sort_index]
        shown = [report for report in self._all if matches_filter(report, self.filter_text)]
        return sorted(shown, key=key, reverse=self.sort_descending)

    def _show_reports(self) -> None:
        table = self.query_one("#reports", DataTable)
        reports = self.visible_reports()
        table.clear()
        self._reports = {report.id: report for report in reports}
        for report in reports:
            table.add_row(
                literal_text(report.id[:SHORT_ID_LENGTH]),
                Text(local_time(report.created_at)),
                creator_text(report),
                counts_text(report),
                status_text(report),
                key=report.id,
            )
        self.query_one("#reports-title", Static).update(self._title(len(reports)))
        summary = self.query_one("#report-summary", Static)
        if self._error is not None:
            summary.update(literal_text(self._error, "red"))
            return
        if not reports:
            empty = "No report matches the filter." if self._all else "No reports yet. Run a suite to create one."
            summary.update(Text(empty, style="dim"))
            return
        if self.report_id in self._reports:
            table.move_cursor(row=table.get_row_index(self.report_id))
        summary.update(report_summary(reports[table.cursor_row]))

    def _title(self, shown: int) -> Text:
        count = f"{shown}" if shown == len(self._all) else f"{shown} of {len(self._all)}"
        _, label, _ = SORT_KEYS[self.sort_index]
        title = Text(f"Run reports ({count})")
        title.append(f"  sorted by {label} {'↓' if self.sort_descending else '↑'}", style="dim")
        if self.filter_text:
            title.append("  filter: ", style="dim")
            title.append_text(literal_text(self.filter_text))
        return title

    def highlighted_report(self) -> Report | None:
        table = self.query_one("#reports", DataTable)
        if not self._reports or not table.row_count:
            return None
        return self._reports.get(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        report = self._reports.get(str(event.row_key.value))
        if report is not None:
            self.query_one("#report-summary", Static).update(report_summary(report))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_report()

    # Actions

    def action_open_report(self) -> None:
        report = self.highlighted_report()
        if report is not None:
            self._push_detail(report.id)

    def _push_detail(self, report_id: str) -> None:
        from keploy_tui.tui.screens.report_detail import ReportDetailScreen

        # The list shows the counts a re-run changed when the detail screen closes. Only
        # that row is read again: listing 5,000 reports again took about 0.6 s.
        self.app.push_screen(ReportDetailScreen(report_id), lambda _: self._update_row(report_id))

    def action_cycle_sort(self) -> None:
        self._remember_highlight()
        self.sort_index = (self.sort_index + 1) % len(SORT_KEYS)
        # Newest, largest and last-in-the-alphabet first reads best for times and counts only.
        self.sort_descending = SORT_KEYS[self.sort_index][0] in ("created_at", "total", "passed", "failed")
        self._show_reports()

    def action_reverse_sort(self) -> None:
        self._remember_highlight()
        self.sort_descending = not self.sort_descending
        self._show_reports()

    def action_filter(self) -> None:
        field = self.query_one("#report-filter", Input)
        field.display = True
        field.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._remember_highlight()
        self.filter_text = event.value
        self._show_reports()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            event.input.display = False
        self.query_one("#reports", DataTable).focus()

    def action_copy_id(self) -> None:
        from keploy_tui.tui.clipboard import copy_text

        report = self.highlighted_report()
        if report is not None:
            copy_text(self.app, report.id, f"report ID {report.id}")

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        # Escape first closes an open filter, as on the suite list.
        field = self.query_one("#report-filter", Input)
        if field.display:
            field.value = ""
            field.display = False
            self.query_one("#reports", DataTable).focus()
            return
        self.dismiss()

    def palette_commands(self) -> Iterator[SystemCommand]:
        """Yield a command palette entry for each action of this screen."""
        yield SystemCommand("Open report", "Show the highlighted report's steps (enter)", self.action_open_report)
        yield SystemCommand("Sort reports", "Sort by the next column (s)", self.action_cycle_sort)
        yield SystemCommand("Reverse sort", "Reverse the sort order (S)", self.action_reverse_sort)
        yield SystemCommand("Filter reports", "Filter by suite, status or creator (/)", self.action_filter)
        yield SystemCommand("Copy report ID", "Copy the highlighted report's full ID (y)", self.action_copy_id)
        yield SystemCommand("Refresh reports", "Read the reports again (r)", self.action_reload)
