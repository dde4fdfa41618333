"""The Textual app: loads suites, owns the stores and the runs, and routes run messages to the screen."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from keploy_tui.engine.auth import AuthError
from keploy_tui.engine.identity import resolve_creator
from keploy_tui.formats.import_common import ImportWarning
from keploy_tui.model import Auth, Suite
from keploy_tui.store.reports import ReportStore
from keploy_tui.store.settings import SettingsStore
from keploy_tui.store.storage import StoreError
from keploy_tui.tui.endpoints import Endpoints
from keploy_tui.tui.history import RunHistory
from keploy_tui.tui.messages import RunAccepted, RunEnded, StoreWriteFailed, SuiteProgress, SuitesLoaded
from keploy_tui.tui.run_manager import RunManager
from keploy_tui.tui.screens.confirm import ConfirmScreen
from keploy_tui.tui.screens.suites import SuitesScreen
from keploy_tui.tui.step_rerun import RerunFinished, outcome_sentence
from keploy_tui.tui.suite_edits import SuiteEdits
from keploy_tui.tui.suite_loading import SuiteLoader, absolute_path
from keploy_tui.tui.suite_results import record_progress, show_rerun_counts
from keploy_tui.tui.suite_sources import LoadResult
from keploy_tui.tui.toast_text import ERROR_TOAST_SECONDS, plain, plural
from keploy_tui.tui.widgets.badge import Badge

log = logging.getLogger(__name__)

EXTERNAL_RUNS_INTERVAL = 3.0
"""Seconds between checks for runs that another process stored, such as `keploy-tui run` in another pane."""


class KeployApp(App[None], inherit_bindings=False):
    """Suites of the data directory's remembered sources, run against a live API.

    Args:
        data_dir: the resolved data directory.
        open_paths: files or folders to load first and remember as sources when they load.
        extra_sources: files or folders to load without remembering them (the demo's samples).
        demo_url: the demo API's URL, offered as the endpoint when nothing else is known.
        clock: returns the current time, aware; tests pass a fixed one.
        creator: the Creator of reports; None resolves it as `keploy-tui run` does.
    """

    TITLE = "keploy-tui"
    # Absolute, because Textual resolves a relative path from the file of the subclass.
    CSS_PATH = Path(__file__).parent / "app.tcss"
    # At 80 columns the Footer fits about eight keys, so the rarer ones (show=False) are
    # listed by the Help screen and the command palette only. Textual's own App bindings
    # are not inherited, because the Footer keeps the order in which each key was first
    # bound. Textual binds ctrl+q first, and ? Help must come before it to fit at 80 columns.
    BINDINGS = [
        Binding("p", "reports", "Reports", id="app.reports"),
        Binding("v", "last_report", "Last report", show=False, id="app.last_report"),
        Binding("w", "import_warnings", "Import warnings", show=False, id="app.import_warnings"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help",
                tooltip="Help; F1 opens it from a text field or a dialog too"),
        # A text field takes ? as a character, and a dialog (a modal screen) hides the
        # app's other keys, so F1 is a priority key. It shares the id, so Help lists one row.
        Binding("f1", "help", "Help", show=False, priority=True, id="app.help"),
        # Not a priority binding, so the Footer lists it after the screen's keys.
        # No widget of this app binds ctrl+q, so it still quits from any focus.
        Binding("ctrl+q", "quit", "Quit", id="app.quit"),
        # As in Textual's App: ctrl+c shows a toast naming the quit key.
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(self, data_dir: Path, *, open_paths: Iterable[str] = (), extra_sources: Iterable[str] = (),
                 demo_url: str | None = None, clock: Callable[[], datetime] | None = None,
                 creator: str | None = None) -> None:
        super().__init__()
        self.data_dir = Path(data_dir)
        self.reports = ReportStore(self.data_dir)
        self.settings = SettingsStore(self.data_dir)
        self.runs = RunManager(self, self.reports, self.settings)
        self.open_paths = [absolute_path(path) for path in open_paths]
        self.extra_sources = [absolute_path(path) for path in extra_sources]
        self.demo_url = demo_url
        self.clock = clock or (lambda: datetime.now(UTC))
        self.creator = creator
        self.suites: list[Suite] = []
        self.badges: dict[str, Badge] = {}
        self.history = RunHistory()
        self.history_stamp: tuple[int, ...] | None = None
        """ReportStore.index_stamp when the history was last read; see _check_external_runs."""
        self.load_errors: list[str] = []
        self.import_warnings: list[ImportWarning] = []
        """The warnings of the last import that had any, for the warnings dialog."""
        self.loaded = False
        """True once the load at start finished, successfully or not."""
        self._suites_by_key: dict[str, Suite] = {}
        self.native_sources: set[str] = set()
        """Suite YAML files of the loaded suites. A suite from any other source was imported."""
        self.import_keys: dict[str, str] = {}
        """Suite.key of each suite loaded from its edited copy, mapped to the key of its import."""
        self.suites_screen = SuitesScreen()
        self.edits = SuiteEdits(self)
        self.endpoints = Endpoints(self)
        self.loader = SuiteLoader(self)

    def get_default_screen(self) -> Screen[None]:
        return self.suites_screen

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.key_works_on(action, self.screen)

    def key_works_on(self, action: str, screen: Screen) -> bool:
        """Tell whether the app binding of `action` works while `screen` is active."""
        from keploy_tui.tui.screens.help import HelpScreen

        # p, v and w belong to the suite list, because other screens bind keys of their own.
        if action in ("reports", "last_report", "import_warnings"):
            return screen is self.suites_screen
        if action == "help":
            return not isinstance(screen, HelpScreen)
        return True

    def on_mount(self) -> None:
        self.run_worker(self.loader.load_at_start, name="load suites", group="load", thread=True, exit_on_error=False)
        self.set_interval(EXTERNAL_RUNS_INTERVAL, self._check_external_runs)
        # What exists once the first screen is drawn lives as long as the app, so the
        # cycle collector skips it from then on. Its full passes over the whole heap
        # had added up to 150 ms to moving between steps with large bodies.
        self.call_after_refresh(gc.freeze)

    def on_unmount(self) -> None:
        self.runs.close()

    def _check_external_runs(self) -> None:
        """Read the run history again when another process, such as `keploy-tui run`, stored a run.

        The app's own runs update the history as they go, so the check waits until they
        end. Reading 5,000 index entries takes about 0.06 s of the interpreter, which a
        streaming run's screen updates need.
        """
        if not self.loaded or self.runs.active:
            return
        stamp = self.reports.index_stamp()
        if stamp == self.history_stamp:
            return
        self.history_stamp = stamp
        self.run_worker(self._reload_history, name="reload history", group="history", thread=True,
                        exclusive=True, exit_on_error=False)

    def _reload_history(self) -> None:
        try:
            history = RunHistory.from_reports(self.reports.list())
        except Exception:
            log.exception("Could not read the run history again from %s", self.reports.index_path)
            return
        self.call_from_thread(self._history_reloaded, history)

    def _history_reloaded(self, history: RunHistory) -> None:
        self.history = history
        self.suites_screen.request_rebuild()

    def suite_by_key(self, key: str) -> Suite | None:
        return self._suites_by_key.get(key)

    def add_suites(self, result: LoadResult) -> None:
        """Add the suites of `result` that are not loaded yet.

        It also records which sources are suite YAML and which suites were loaded from an edited import.
        """
        self.native_sources |= result.native_sources
        self.import_keys.update(result.import_keys)
        for suite in result.suites:
            if suite.key not in self._suites_by_key:
                self.suites.append(suite)
                self._suites_by_key[suite.key] = suite

    def replace_file_suites(self, source: str, suites: list[Suite]) -> None:
        """Put the suites just reloaded from `source` in place of the loaded ones of the same name.

        Re-runs look suites up here by name, so they use the saved version from now on.
        """
        fresh = {suite.name: suite for suite in suites}
        for position, suite in enumerate(self.suites):
            if suite.source == source and suite.name in fresh:
                self.suites[position] = fresh[suite.name]
                self._suites_by_key[suite.key] = fresh[suite.name]
        self._suites_replaced()

    def use_edited_copy(self, imported: Suite, edited: Suite) -> None:
        """Put `edited`, just written to the data directory, in place of the imported suite it came from.

        Runs and re-runs use it from now on. The remembered endpoint and auth of the
        import are offered for it until it runs under its own key.
        """
        self.native_sources.add(str(edited.source))
        self.import_keys[edited.key] = imported.key
        self.suites = [edited if suite.key == imported.key else suite for suite in self.suites]
        # The import's key still finds the suite, for screens and runs that hold the import.
        self._suites_by_key[imported.key] = edited
        self._suites_by_key[edited.key] = edited
        if imported.key in self.badges:
            self.badges[edited.key] = self.badges[imported.key]
        self.suites_screen.rename_suite_key(imported.key, edited.key)
        self._suites_replaced()

    def _suites_replaced(self) -> None:
        self.suites_screen.request_rebuild()
        for screen in self.screen_stack:
            refresh = getattr(screen, "suites_replaced", None)
            if refresh is not None:
                refresh()

    # Loading

    def _read_start_state(self) -> tuple[LoadResult, RunHistory]:
        # The load at start reads through this method, so a subclass can wrap it.
        return self.loader.read_start_state()

    def prompt_import(self) -> None:
        self.loader.prompt_import()

    def on_suites_loaded(self, message: SuitesLoaded) -> None:
        self.loader.add_loaded(message)

    # Runs

    def live_url(self, url: str) -> str:
        """Return `url`, or this demo session's URL when `url` is the demo API of an earlier session."""
        return self.endpoints.live_url(url)

    def open_run_modal(self, suites: list[Suite]) -> None:
        from keploy_tui.tui.screens.run_modal import RunTestsModal

        base_url, auth, variables = self.endpoints.endpoint_for(suites)

        def start(request) -> None:
            if request is not None:
                self.start_run(suites, request.base_url, request.auth, request.variables)

        self.push_screen(RunTestsModal([suite.name for suite in suites], base_url, auth, variables), start)

    def rerun(self, suites: list[Suite]) -> None:
        """Run `suites` again with the endpoint, auth and variables each last ran with, and open the modal for the others."""
        groups, unknown = self.endpoints.rerun_groups(suites)
        for group in groups:
            self.start_run(group.suites, group.base_url, group.auth, group.variables)
        if unknown:
            self.open_run_modal(unknown)

    def start_run(self, suites: list[Suite], base_url: str, auth: Auth, variables: dict[str, str] | None = None) -> None:
        """Start a run of the suites that are not already running. A rejected run becomes a toast."""
        busy = [suite for suite in suites if self.runs.is_running(suite.key)]
        if busy:
            names = ", ".join(f"'{plain(suite.name)}'" for suite in busy)
            self.notify(f"Already running, not started again: {names}", severity="warning", markup=False)
        suites = [suite for suite in suites if suite not in busy]
        if not suites:
            return
        if self.creator is None:
            self.creator = resolve_creator()
        try:
            self.runs.start(suites, base_url.strip(), auth, self.creator, variables)
        except AuthError as error:
            self.notify(f"Run not started: {plain(error)}", title="Authentication", severity="error", markup=False)
        except ValueError as error:
            self.notify(f"Run not started: {plain(error)}", severity="error", markup=False)
        except Exception as error:
            log.exception("Could not start a run of %d suites", len(suites))
            self.notify(f"Run not started: {type(error).__name__}: {plain(error)}", severity="error", markup=False)

    def on_suite_progress(self, message: SuiteProgress) -> None:
        record_progress(self, message)

    def on_run_accepted(self, message: RunAccepted) -> None:
        names = message.suite_names
        subject = f"'{plain(names[0])}'" if len(names) == 1 else f"{len(names)} suites"
        self.notify(f"Run started for {subject}. Press v to open its report.", title="Run started", markup=False)

    def on_run_ended(self, message: RunEnded) -> None:
        report = message.report
        counts = f"{plural(report.total, 'step')}: {report.passed} passed, {report.failed} failed"
        not_run = report.total - report.passed - report.failed
        if not_run:
            counts += f", {not_run} not run"
        if message.error is not None:
            self.notify(f"The run stopped on an error: {plain(message.error)}. {counts}.",
                        title="Run failed", severity="error", timeout=ERROR_TOAST_SECONDS, markup=False)
            return
        status = report.status.value.lower()
        severity = "information" if report.all_passed else "warning"
        self.notify(f"{counts}. Press v to open the report.", title=f"Run {status}", severity=severity,
                    markup=False)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Show a toast, or hold it while a confirmation dialog is on top.

        A toast over the dialog would cover part of its question or buttons. The dialog
        shows the held toasts when it closes, each for its full timeout, so none times
        out unseen behind it.

        NOTE: unlike Textual's App.notify, this reads the screen stack, so call it from
        the app's thread only.
        """
        show = partial(super().notify, message, title=title, severity=severity, timeout=timeout, markup=markup)
        stack = self.screen_stack
        if stack and isinstance(stack[-1], ConfirmScreen):
            stack[-1].held_toasts.append(show)
            return
        show()

    def on_store_write_failed(self, message: StoreWriteFailed) -> None:
        self.notify(plain(message.text), title="Not saved", severity="error", timeout=ERROR_TOAST_SECONDS, markup=False)

    # Screens

    def open_suite(self, suite: Suite) -> None:
        from keploy_tui.tui.screens.suite_detail import SuiteDetailScreen

        self.push_screen(SuiteDetailScreen(suite))

    def action_reports(self) -> None:
        from keploy_tui.tui.screens.reports import ReportsScreen

        self.push_screen(ReportsScreen(self.reports))

    async def action_last_report(self) -> None:
        from keploy_tui.tui.screens.report_detail import ReportDetailScreen

        report_id = self.runs.last_report_id
        if report_id is None:
            # Before the first run of this session, the newest stored report is the last run.
            try:
                newest = self.reports.list()[:1]
            except StoreError as error:
                self.notify(plain(str(error)), title="Reports not readable", severity="error", markup=False)
                return
            if not newest:
                self.notify("No report stored yet: press r to run suites.", severity="warning")
                return
            report_id = newest[0].id
        # A report created a moment ago may still sit in the writer's queue.
        await self.runs.drain()
        # The report opens straight on top of the suite list, so escape returns to the list.
        self.push_screen(ReportDetailScreen(report_id))

    def action_import_warnings(self) -> None:
        """Open the warnings of the last import that had any."""
        from keploy_tui.tui.screens.import_warnings import ImportWarningsScreen

        if not self.import_warnings:
            self.notify("No import in this session had warnings: press i to import.", markup=False)
            return
        self.push_screen(ImportWarningsScreen(self.import_warnings))

    def on_rerun_finished(self, message: RerunFinished) -> None:
        """Toast the outcome of a re-run and show its new attempts on the report screens that are open."""
        from keploy_tui.tui.screens.report_detail import ReportDetailScreen

        text, severity = outcome_sentence(message)
        self.notify(plain(text), title="Re-run", severity=severity, markup=False)
        if message.report is None:
            return
        show_rerun_counts(self, message.report)
        for screen in self.screen_stack:
            if isinstance(screen, ReportDetailScreen) and screen.report_id == message.report_id:
                screen.rerun_saved(message.report)

    def action_help(self) -> None:
        self.show_help(self.screen)

    def show_help(self, screen: Screen) -> None:
        """Open the Help screen on the keys of `screen` and the app's keys that work there."""
        from keploy_tui.tui.screens.help import HelpScreen, app_keys, screen_keys

        self.push_screen(HelpScreen(screen_keys(screen), app_keys(self, screen)))

    async def action_quit(self) -> None:
        """Quit, asking first when a run is in progress. A confirmed quit cancels the run and stores it."""
        if not self.runs.active:
            self.exit()
            return
        question = "A run is in progress. Cancel it and quit? Its report is stored as CANCELLED."
        self.push_screen(ConfirmScreen(question, yes="Cancel run and quit", no="Keep running"),
                         self._quit_confirmed)

    async def _quit_confirmed(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        self.notify("Cancelling the run...", markup=False)
        await self.runs.cancel_all()
        self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        palette_commands = getattr(screen, "palette_commands", None)
        if palette_commands is not None:
            yield from palette_commands()
        yield SystemCommand("Reports", "List stored run reports (p)", self.action_reports)
        yield SystemCommand("Last report", "Open the report of the last run (v)", self.action_last_report)
        yield SystemCommand("Import warnings", "List every warning of the last import that had any (w)",
                            self.action_import_warnings)
        # The palette is closed when a command runs, so the screen it was opened on is bound here.
        yield SystemCommand("Help", "Show the keys of this screen (?)", lambda: self.show_help(screen))
