"""The list of stored run reports, newest first, with a summary of the highlighted one."""

from __future__ import annotations

import logging

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from keploy_tui.model import Report, RunStatus
from keploy_tui.store import ReportStore, StoreError
from keploy_tui.tui.history import parse_time
from keploy_tui.tui.validation import literal_text

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
    """

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="reports.back"),
        Binding("r", "reload", "Refresh", id="reports.refresh"),
    ]

    def __init__(self, store: ReportStore, report_id: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.report_id = report_id
        self._reports: dict[str, Report] = {}

    def compose(self) -> ComposeResult:
        yield Static("Run reports", id="reports-title", markup=False)
        yield DataTable(id="reports", cursor_type="row", zebra_stripes=True)
        yield Static("", id="report-summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#reports", DataTable)
        table.add_column(Text("Report ID"), key="id")
        table.add_column(Text("Created At"), key="created_at")
        table.add_column(Text("Creator"), key="creator", width=CREATOR_WIDTH)
        table.add_column(Text("Tot/Pass/Fail"), key="counts")
        table.add_column(Text("Status"), key="status")
        self.reload()
        table.focus()

    def reload(self) -> None:
        """Read the reports again, keeping the highlighted report when it still exists."""
        table = self.query_one("#reports", DataTable)
        if self._reports and table.row_count:
            self.report_id = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        try:
            reports = self.store.list()
        except StoreError as error:
            log.error("Could not list reports in %s: %s", self.store.data_dir, error)
            self._show_reports([])
            self.query_one("#report-summary", Static).update(literal_text(f"Could not read reports: {error}", "red"))
            return
        self._show_reports(reports)

    def _show_reports(self, reports: list[Report]) -> None:
        table = self.query_one("#reports", DataTable)
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
        self.query_one("#reports-title", Static).update(f"Run reports ({len(reports)})")
        summary = self.query_one("#report-summary", Static)
        if not reports:
            summary.update(Text("No reports yet. Run a suite to create one.", style="dim"))
            return
        if self.report_id in self._reports:
            table.move_cursor(row=table.get_row_index(self.report_id))
        summary.update(report_summary(reports[table.cursor_row]))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        report = self._reports.get(str(event.row_key.value))
        if report is not None:
            self.query_one("#report-summary", Static).update(report_summary(report))

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.dismiss()
