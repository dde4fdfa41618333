"""One report: its steps grouped by suite, and Request, Response, Assertions and Diff panes for the highlighted step."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from keploy_tui.engine.auth import AuthError
from keploy_tui.engine.auth import resolve as resolve_auth
from keploy_tui.engine.compare import compare_reports, previous_report
from keploy_tui.engine.rerun import failed_targets
from keploy_tui.formats.curl import to_curl
from keploy_tui.model import Report, RunStatus, StepResult
from keploy_tui.store import StoreError
from keploy_tui.tui.clipboard import copy_text
from keploy_tui.tui.screens.confirm import ConfirmScreen
from keploy_tui.tui.screens.reports import counts_text, local_time, status_text
from keploy_tui.tui.validation import literal_text
from keploy_tui.tui.widgets.assertions_pane import AssertionsPane
from keploy_tui.tui.widgets.diff_pane import DiffPane
from keploy_tui.tui.widgets.request_pane import RequestPane
from keploy_tui.tui.widgets.response_pane import ResponsePane
from keploy_tui.tui.widgets.step_list import StepList
from keploy_tui.tui.widgets.step_pane import NO_STEP_HIGHLIGHTED, StepPane

if TYPE_CHECKING:
    from keploy_tui.tui.app import KeployApp

log = logging.getLogger(__name__)

LIVE_REFRESH_INTERVAL = 0.25
"""Seconds between updates while this app's run of the report is going. Frequent small
updates keep keys responsive: once a second, a fast run added some 700 rows at a time."""
DISK_REFRESH_INTERVAL = 1.0
"""Seconds between reloads from disk of a report that another process is running, or
whose file is not written yet: each reads the whole report file."""
PANES = {"request": RequestPane, "response": ResponsePane, "assertions": AssertionsPane, "diff": DiffPane}
NOTHING_TO_RERUN = "Nothing to re-run: no step of this run ran. Run the suites again from the suite list (r)."


def no_step_ran_text(report: Report) -> str:
    """Return the panes' text for a finished report without step results, naming the likely cause."""
    if report.status is RunStatus.CANCELLED:
        return "No step ran: the run was cancelled before its first step finished."
    if report.status is RunStatus.INTERRUPTED:
        return "No step ran: the process running it stopped before its first step finished."
    return "No step ran in this run."


class ReportDetailScreen(Screen[None]):
    """Browse one stored report by keyboard, re-run its steps, compare it, copy from it and export it."""

    DEFAULT_CSS = """
    ReportDetailScreen #detail-title {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    /* The steps get a third of the height and the panes the rest. The minimum keeps
       the header and 7 steps in view at 24 rows. */
    ReportDetailScreen #steps {
        height: 1fr;
        min-height: 8;
    }
    ReportDetailScreen TabbedContent {
        height: 2fr;
    }
    ReportDetailScreen TabPane {
        padding: 0;
    }
    """

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="report_detail.back"),
        Binding("n", "next_failure", "Next fail", id="report_detail.next_failure"),
        Binding("N", "previous_failure", "Prev fail", key_display="N", show=False,
                id="report_detail.previous_failure"),
        Binding("r", "rerun_step", "Re-run", id="report_detail.rerun_step"),
        Binding("F", "rerun_failed", "All failed", key_display="F", id="report_detail.rerun_failed"),
        Binding("d", "compare", "Compare", id="report_detail.compare"),
        # Not in the Footer, so that ? Help fits in it at 80 columns.
        Binding("c", "copy_curl", "curl", show=False, id="report_detail.copy_curl"),
        Binding("C", "copy_curl_secrets", "curl with secrets", key_display="C", show=False,
                id="report_detail.copy_curl_secrets"),
        Binding("b", "copy_body", "Copy body", show=False, id="report_detail.copy_body"),
        Binding("y", "copy_id", "Copy ID", show=False, id="report_detail.copy_id"),
        Binding("e", "export", "Export", id="report_detail.export"),
        Binding("s", "toggle_diff", "Diff view", show=False, id="report_detail.toggle_diff"),
        Binding("1", "pane('request')", "Request", show=False, id="report_detail.pane_request"),
        Binding("2", "pane('response')", "Response", show=False, id="report_detail.pane_response"),
        Binding("3", "pane('assertions')", "Assertions", show=False, id="report_detail.pane_assertions"),
        Binding("4", "pane('diff')", "Diff", show=False, id="report_detail.pane_diff"),
        Binding("a", "change_assertion('accept')", "Accept", show=False, id="report_detail.accept"),
        Binding("x", "change_assertion('ignore')", "Ignore diff", show=False, id="report_detail.ignore"),
        Binding("A", "change_assertion('step')", "Accept step", key_display="A", show=False,
                id="report_detail.accept_step"),
        Binding("f", "next_failed_assertion", "Next failed assertion", show=False,
                id="report_detail.next_failed_assertion"),
        Binding("u", "undo_save", "Undo save", show=False, id="report_detail.undo_save"),
    ]
    HELP_NOTES = [
        ("↑/↓", "Move through the steps"),
        ("⏎", "Move the focus into the pane, where ↑ ↓ pgup pgdn scroll it"),
        ("tab", "From the pane, back to the steps; escape leaves the report"),
    ]
    """Rows the Help screen lists before the bindings, for the keys that Textual's widgets handle."""

    def __init__(self, report_id: str, step: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.report_id = report_id
        self.report: Report | None = None
        self._initial_step = step
        self._panes_pending = False
        self._last_disk_read = 0.0

    @property
    def keploy(self) -> KeployApp:
        return cast("KeployApp", self.app)

    @property
    def step_list(self) -> StepList:
        return self.query_one(StepList)

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-title")
        yield StepList(id="steps")
        with TabbedContent(id="panes", initial="request"):
            for name, pane in PANES.items():
                with TabPane(name.capitalize(), id=name):
                    yield pane(id=f"{name}-pane")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.set_interval(LIVE_REFRESH_INTERVAL, self._refresh_if_live)
        self.step_list.focus()

    # Loading

    def reload(self) -> None:
        live = self.keploy.runs.live_report(self.report_id)
        if live is not None:
            self.show_report(live)
            return
        self._last_disk_read = time.monotonic()
        try:
            # Large bodies stay on disk until their step is highlighted, so a report
            # of thousands of steps with megabyte bodies opens quickly.
            report = self.keploy.reports.get(self.report_id, bodies=False)
        except StoreError as error:
            # A report started a moment ago may not be written yet; the live refresh tries again.
            self.query_one("#detail-title", Static).update(literal_text(f"Could not read the report: {error}", "red"))
            return
        self.show_report(report)

    def _refresh_if_live(self) -> None:
        if self.report is not None and not self.report.status.active:
            return
        live = self.keploy.runs.live_report(self.report_id)
        if live is not None:
            # The highlighted step is drawn again only when it changed, so a pane being
            # read keeps its scroll position and a key press does not wait for a redraw.
            self.show_report(live, force_panes=False)
        elif time.monotonic() - self._last_disk_read >= DISK_REFRESH_INTERVAL:
            self.reload()

    def show_report(self, report: Report, force_panes: bool = True) -> None:
        self.report = report
        self.report_id = report.id
        title = Text.assemble(
            literal_text(report.id[:8], "bold"), "  ", status_text(report), "  ", counts_text(report),
            Text(f"  {local_time(report.created_at)}  ", style="dim"), literal_text(report.base_url),
        )
        title.truncate(78, overflow="ellipsis")
        self.query_one("#detail-title", Static).update(title)
        steps = self.step_list
        steps.show_report(report)
        if self._initial_step is not None:
            steps.select_step(*self._initial_step)
            self._initial_step = None
        elif steps.highlighted_step() is None and not steps.jump_to_failure():
            steps.move_cursor(row=1 if steps.row_count > 1 else 0, animate=False)
        self.refresh_panes(force=force_panes)

    # Panes

    def highlighted_step(self) -> StepResult | None:
        step = self.step_list.highlighted_step()
        if step is not None:
            self.keploy.reports.load_bodies(self.report_id, [step])
        return step

    def active_pane(self) -> StepPane:
        active = self.query_one(TabbedContent).active or "request"
        return self.query_one(f"#{active}-pane", StepPane)

    def refresh_panes(self, force: bool = False) -> None:
        """Draw the highlighted step in the visible pane only; the others draw when their tab opens."""
        placeholder = no_step_ran_text(self.report) if self._no_step_ran() else NO_STEP_HIGHLIGHTED
        self.active_pane().show(self.highlighted_step(), force=force, placeholder=placeholder)

    def _no_step_ran(self) -> bool:
        return self.report is not None and not self.report.status.active and not self.report.steps

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if not self._panes_pending:
            # The list's cursor is drawn first, and the highlights that arrive meanwhile
            # (a held-down j) share one pane update, because a large body takes longer.
            self._panes_pending = True
            self.call_after_refresh(self._refresh_pending_panes)

    def _refresh_pending_panes(self) -> None:
        self._panes_pending = False
        self.refresh_panes()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # Enter moves the focus into the pane, where the arrow keys scroll it.
        event.stop()
        self.active_pane().focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self.refresh_panes()

    def action_pane(self, name: str) -> None:
        self.query_one(TabbedContent).active = name
        self.refresh_panes()

    def action_toggle_diff(self) -> None:
        self.query_one(TabbedContent).active = "diff"
        self.query_one(DiffPane).toggle_view(self.highlighted_step())

    # Navigation

    def action_back(self) -> None:
        self.dismiss()

    def action_next_failure(self) -> None:
        if not self.step_list.jump_to_failure(forward=True):
            self.notify("No failed step in this report.", markup=False)

    def action_previous_failure(self) -> None:
        if not self.step_list.jump_to_failure(forward=False):
            self.notify("No failed step in this report.", markup=False)

    # Re-runs

    def _can_rerun(self) -> bool:
        from keploy_tui.tui.step_rerun import is_rerunning

        if self.report is None:
            return False
        if self.report.status.active:
            self.notify("The run is still in progress: re-run its steps when it ends.", severity="warning")
            return False
        if is_rerunning(self.keploy, self.report.id):
            self.notify("A re-run of this report is already in progress.", severity="warning")
            return False
        return True

    def _suites_loaded(self, targets: list[tuple[int, int]], key: str) -> bool:
        from keploy_tui.tui.step_rerun import missing_suite_error

        if self.report is None:
            return False
        problem = missing_suite_error(self.keploy, self.report, targets, key)
        if problem is not None:
            self.notify(problem, severity="warning", markup=False)
            return False
        return True

    def action_rerun_step(self) -> None:
        from keploy_tui.tui.step_rerun import start_rerun

        if self._no_step_ran():
            self.notify(NOTHING_TO_RERUN, severity="warning", markup=False)
            return
        step = self.highlighted_step()
        if step is None:
            self.notify("Highlight a step to re-run it.", severity="warning")
            return
        targets = [(step.suite_index, step.index)]
        if self._can_rerun() and self._suites_loaded(targets, "r"):
            self.notify(f"Re-running '{literal_text(step.step).plain}'...", markup=False)
            start_rerun(self.keploy, self.report_id, targets)

    def action_rerun_failed(self) -> None:
        from keploy_tui.tui.step_rerun import start_rerun

        if self._no_step_ran():
            self.notify(NOTHING_TO_RERUN, severity="warning", markup=False)
            return
        if self.report is None or not self._can_rerun():
            return
        targets = failed_targets(self.report)
        if not targets:
            self.notify("No failed step to re-run.", markup=False)
            return
        if not self._suites_loaded(targets, "F"):
            return
        self.notify(f"Re-running {len(targets)} failed steps...", markup=False)
        start_rerun(self.keploy, self.report_id, targets)

    def rerun_saved(self, report: Report) -> None:
        """Show a report that a re-run just saved, keeping the highlighted step."""
        self.show_report(report)

    # Accepting actual values

    def action_change_assertion(self, mode: str) -> None:
        """Accept the selected failed assertion's actual value, ignore its differing paths, or accept the whole step."""
        from keploy_tui.tui.accept_flow import confirm_and_save

        step = self.highlighted_step()
        if step is None:
            self.notify("Highlight a failed step first.", severity="warning", markup=False)
            return
        self.action_pane("assertions")
        confirm_and_save(self.keploy, step, mode, self.query_one(AssertionsPane).selected_result(step))

    def action_next_failed_assertion(self) -> None:
        self.action_pane("assertions")
        if not self.query_one(AssertionsPane).select_next_failure(self.highlighted_step()):
            self.notify("No assertion of the highlighted step failed.", markup=False)

    def action_undo_save(self) -> None:
        self.keploy.edits.undo()

    # Compare

    def action_compare(self) -> None:
        from keploy_tui.tui.screens.compare import CompareScreen

        if self.report is None:
            return
        try:
            previous = previous_report(self.keploy.reports.list(), self.report)
            old = self.keploy.reports.get(previous.id, bodies=False) if previous is not None else None
        except StoreError as error:
            self.notify(f"Could not read the earlier reports: {error}", severity="error", markup=False)
            return
        if old is None:
            self.notify("No earlier run of the same suites to compare with.", severity="warning", markup=False)
            return
        self.app.push_screen(CompareScreen(compare_reports(old, self.report)))

    # Clipboard

    def _request_or_notify(self):
        step = self.highlighted_step()
        attempt = step.latest if step is not None else None
        if attempt is None or attempt.request is None:
            self.notify("The highlighted step has no recorded request.", severity="warning", markup=False)
            return None
        return attempt.request

    def action_copy_curl(self) -> None:
        request = self._request_or_notify()
        if request is not None:
            copy_text(self.app, to_curl(request), "the request as curl, secrets as shell variables")

    def action_copy_curl_secrets(self) -> None:
        request = self._request_or_notify()
        if request is None:
            return
        config = self.keploy.runs.configs.get(self.report_id)
        if config is None or config.auth.kind == "none":
            self.notify("No credentials of this run are in memory: copying with placeholders instead.",
                        severity="warning", markup=False)
            self.action_copy_curl()
            return
        try:
            auth = resolve_auth(config.auth)
        except AuthError as error:
            self.notify(f"Could not resolve the credentials: {error}", severity="error", markup=False)
            return

        def copy(confirmed: bool | None) -> None:
            if confirmed:
                copy_text(self.app, to_curl(request, auth), "the request as curl with its secrets")

        question = "Copy the curl command with the run's secrets in plain text? Anyone who sees your clipboard sees them."
        self.app.push_screen(ConfirmScreen(question, yes="Copy with secrets", no="Cancel"), copy)

    def action_copy_body(self) -> None:
        step = self.highlighted_step()
        attempt = step.latest if step is not None else None
        if attempt is None or attempt.response is None:
            self.notify("The highlighted step has no response.", severity="warning", markup=False)
            return
        kind = "the response body (base64)" if attempt.response.base64 else "the response body"
        copy_text(self.app, attempt.response.body, kind)

    def action_copy_id(self) -> None:
        copy_text(self.app, self.report_id, f"report ID {self.report_id}")

    # Export

    def action_export(self) -> None:
        from keploy_tui.tui.screens.export_prompt import ExportPrompt, write_report

        if self.report is None:
            return
        report = self.report

        def done(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Exported report {report.id[:8]} to {path}.", markup=False)

        self.app.push_screen(ExportPrompt(lambda path: write_report(self.keploy.reports.get(report.id), path),
                                          f"report-{report.id[:8]}.json"), done)

    def palette_commands(self) -> Iterator[SystemCommand]:
        """Yield a command palette entry for each action of this screen."""
        yield SystemCommand("Next failure", "Jump to the next failed step (n)", self.action_next_failure)
        yield SystemCommand("Previous failure", "Jump to the previous failed step (N)", self.action_previous_failure)
        yield SystemCommand("Re-run step", "Re-run the highlighted step (r)", self.action_rerun_step)
        yield SystemCommand("Re-run failed steps", "Re-run every failed step in order (F)", self.action_rerun_failed)
        yield SystemCommand("Compare with previous run", "Compare with the last run of the same suites (d)",
                            self.action_compare)
        yield SystemCommand("Copy as curl", "Copy the request as curl, secrets as variables (c)", self.action_copy_curl)
        yield SystemCommand("Copy as curl with secrets", "Copy the request with the run's secrets (C)",
                            self.action_copy_curl_secrets)
        yield SystemCommand("Copy response body", "Copy the highlighted step's response body (b)",
                            self.action_copy_body)
        yield SystemCommand("Copy report ID", "Copy the full report ID (y)", self.action_copy_id)
        yield SystemCommand("Export report", "Write the report as JSON or JUnit XML (e)", self.action_export)
        yield SystemCommand("Accept actual value", "Make the selected failed assertion expect the actual value (a)",
                            lambda: self.action_change_assertion("accept"))
        yield SystemCommand("Ignore differing paths", "Add the differing JSON paths to the assertion's ignore (x)",
                            lambda: self.action_change_assertion("ignore"))
        yield SystemCommand("Accept the whole step", "Accept the actual value of every failed assertion (A)",
                            lambda: self.action_change_assertion("step"))
        yield SystemCommand("Next failed assertion", "Select the next failed assertion to accept or ignore (f)",
                            self.action_next_failed_assertion)
        yield SystemCommand("Undo last save", "Restore the suite file as it was before the last save (u)",
                            self.action_undo_save)
        yield SystemCommand("Switch diff view", "Unified or side-by-side diff (s)", self.action_toggle_diff)
        for number, name in enumerate(PANES, start=1):
            yield SystemCommand(f"Show {name} pane", f"Show the {name} of the highlighted step ({number})",
                                lambda name=name: self.action_pane(name))
