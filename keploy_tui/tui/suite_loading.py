"""Loading suite sources into the app: the opened, demo and remembered ones at start, and imports.

Each load reads files in a thread worker and posts SuitesLoaded. The App's handler passes
that message to `SuiteLoader.add_loaded`, so the app's suites change only in the event loop.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from keploy_tui.engine.identity import resolve_creator
from keploy_tui.tui.history import RunHistory
from keploy_tui.tui.import_advice import advice_for_app
from keploy_tui.tui.messages import SuitesLoaded
from keploy_tui.tui.suite_sources import LoadResult, load_sources
from keploy_tui.tui.toast_text import ERROR_TOAST_SECONDS, plain, plural

if TYPE_CHECKING:
    from keploy_tui.tui.app import KeployApp

log = logging.getLogger(__name__)

MAX_ERROR_TOASTS = 3
"""Load errors shown as toasts at once. One more toast counts the rest, which are in the log."""


def absolute_path(path: str | Path) -> str:
    return str(Path(path).expanduser().absolute())


class SuiteLoader:
    """The app's loads of suite sources, and the toasts and errors that report them."""

    def __init__(self, app: KeployApp) -> None:
        self.app = app

    def load_at_start(self) -> None:
        """Load sources, read the run history and resolve the creator, in a thread worker."""
        try:
            # The call goes through the app, so an App subclass can wrap the load, as bench/tui.py does to time it.
            result, history = self.app._read_start_state()
        except Exception as error:
            # Every expected failure is caught below, so this is a bug; the app still opens.
            log.exception("Loading the suites at start failed")
            result, history = LoadResult(errors=[f"Loading the suites failed: {error}"]), RunHistory()
        self.app.post_message(SuitesLoaded(result, history))

    def read_start_state(self) -> tuple[LoadResult, RunHistory]:
        app = self.app
        errors: list[str] = []
        remembered: list[str] = []
        try:
            remembered = app.settings.suite_sources()
        except Exception as error:
            log.exception("Could not read the remembered suite sources")
            errors.append(f"Could not read the remembered suite sources: {error}")

        sources = list(dict.fromkeys([*app.open_paths, *app.extra_sources, *remembered]))
        result = load_sources(sources, copies=app.edits.copies)
        result.errors[:0] = errors
        opened = [source for source in result.loaded if source in app.open_paths]
        if opened:
            try:
                app.settings.add_suite_sources(opened)
            except Exception as error:
                log.exception("Could not remember the opened suite sources")
                result.errors.append(f"Could not remember {', '.join(opened)} as suite sources: {error}")

        history = RunHistory()
        try:
            # Taken before the read, so a run stored meanwhile still counts as a change.
            app.history_stamp = app.reports.index_stamp()
            history = RunHistory.from_reports(app.reports.list())
        except Exception as error:
            log.exception("Could not read the report index")
            result.errors.append(f"Could not read the stored reports: {error}")

        if app.demo_url:
            app.endpoints.remember_demo_url(app.demo_url)
        if app.creator is None:
            app.creator = resolve_creator()
        return result, history

    def prompt_import(self) -> None:
        from keploy_tui.tui.screens.import_prompt import ImportPrompt

        self.app.push_screen(ImportPrompt(), self._import_path)

    def _import_path(self, path: str | None) -> None:
        if not path or not path.strip():
            return
        known = [suite.name for suite in self.app.suites]
        self.app.run_worker(lambda: self._load_import(path.strip(), known), name="import suites",
                            group="load", thread=True, exit_on_error=False)

    def _load_import(self, path: str, known_names: list[str]) -> None:
        result = load_sources([absolute_path(path)], known_names, copies=self.app.edits.copies)
        if result.loaded:
            try:
                self.app.settings.add_suite_sources(result.loaded)
            except Exception as error:
                log.exception("Could not remember %s as a suite source", path)
                result.errors.append(f"Could not remember {path} as a suite source: {error}")
        self.app.post_message(SuitesLoaded(result, imported=path))

    def add_loaded(self, message: SuitesLoaded) -> None:
        """Add the suites of a finished load to the app, toast its outcome and redraw the suite list."""
        app = self.app
        result = message.result
        app.add_suites(result)
        if message.history is not None:
            app.history = message.history
            app.loaded = True
        if message.imported is not None and result.warnings:
            app.import_warnings = list(result.warnings)
            for warning in result.warnings:
                log.warning("import %s: %s", message.imported, warning)
        if message.imported is not None and (result.suites or result.warnings):
            text = f"Imported {plural(len(result.suites), 'suite')} from {plain(message.imported)}."
            if result.warnings:
                them = "it" if len(result.warnings) == 1 else "them"
                text += f" {plural(len(result.warnings), 'warning')}: press w to read {them}."
            app.notify(text, markup=False, severity="warning" if result.warnings else "information")
        self._report_load_errors(result.errors)
        count = len(app.suites)
        app.sub_title = f"{count} suite{'' if count == 1 else 's'}" + (f" · demo API {app.demo_url}" if app.demo_url else "")
        app.suites_screen.request_rebuild()

    def _report_load_errors(self, errors: list[str]) -> None:
        if not errors:
            return
        app = self.app
        errors = [advice_for_app(error) for error in errors]
        app.load_errors.extend(errors)
        for error in errors[:MAX_ERROR_TOASTS]:
            app.notify(plain(error), title="Could not load suites", severity="error",
                       timeout=ERROR_TOAST_SECONDS, markup=False)
        if len(errors) > MAX_ERROR_TOASTS:
            hidden = len(errors) - MAX_ERROR_TOASTS
            app.notify(f"{hidden} more load error{'' if hidden == 1 else 's'}; see {app.data_dir / 'keploy-tui.log'}.",
                       severity="error", timeout=ERROR_TOAST_SECONDS, markup=False)
        app.suites_screen.show_load_errors(app.load_errors)
