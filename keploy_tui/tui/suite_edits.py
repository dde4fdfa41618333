"""Saving edits of loaded suites to suite files, and undoing saves.

Every screen that changes a suite goes through `SuiteEdits.save`, so the editor and the
accept keys of the report share one write path, one undo history and one way of putting
the reloaded suites into the app.

A suite loaded from suite YAML is saved in its own file. A suite imported from a Postman
collection or a Keploy test-set is saved in the store instead, because those formats
cannot take the edit. Its first save writes it as suite YAML to `<data-dir>/suites/` and
applies the edit there. From then on the app loads the suite from that file in place of
the import, and the import itself is never written.

Each save's previous text is kept in `<data-dir>/undo/`, so `u` works after a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.suite_edit import SavedEdit, StaleStepError, SuiteEditError, undo_edit
from keploy_tui.formats.suite_yaml import load_file
from keploy_tui.model import Suite
from keploy_tui.store.storage import StoreError
from keploy_tui.store.suite_copies import SuiteCopies, SuiteCopyError
from keploy_tui.store.undo_history import UndoEntry, UndoHistory
from keploy_tui.tui.validation import literal_text

if TYPE_CHECKING:
    from keploy_tui.tui.app import KeployApp

log = logging.getLogger(__name__)

SAVED_TOAST_SECONDS = 10.0
"""Seconds on screen of the toast that names the new file of an imported suite."""


class SuiteEdits:
    """The app's write path for suite files, and the history of saves that `u` undoes."""

    def __init__(self, app: KeployApp) -> None:
        self.app = app
        self.copies = SuiteCopies(app.data_dir)
        self.history = UndoHistory(app.data_dir)

    def is_imported(self, suite: Suite) -> bool:
        """Tell whether `suite` came from a Postman collection or a Keploy test-set, not suite YAML."""
        source = suite.source or ""
        return source not in self.app.native_sources and not (source and self.copies.contains(source))

    def save_target(self, suite: Suite) -> str:
        """Describe where a save of `suite` goes, for a confirmation."""
        if not self.is_imported(suite):
            return str(suite.source)
        return f"{self.copies.path_for(str(suite.source), suite.name)}, a new suite file in place of the import"

    def problem(self, suite: Suite) -> str | None:
        """Return why `suite` cannot be saved, or None when it can."""
        if not suite.source:
            return f"suite '{suite.name}' was not loaded from a file, so it cannot be saved"
        if not self.is_imported(suite) and not Path(suite.source).is_file():
            return f"{suite.source} was not found: it was moved or deleted. Load the suite again from where it is now"
        return None

    def save(self, suite: Suite, change: Callable[[Path], SavedEdit]) -> SavedEdit | None:
        """Apply `change` to the file of `suite`; a failure becomes an error toast and returns None."""
        result = self.attempt(suite, change)
        if isinstance(result, str):
            self._error("Not saved", result)
            return None
        return result

    def attempt(self, suite: Suite, change: Callable[[Path], SavedEdit]) -> SavedEdit | str:
        """Apply `change` to the file of `suite` and return the save, or the reason it failed.

        On success the app's suites are replaced by the reloaded ones and a toast says
        what was saved. On failure nothing is shown, so the caller can show the reason
        where the user is looking.
        """
        problem = self.problem(suite)
        if problem is not None:
            return problem
        created: Path | None = None
        try:
            if self.is_imported(suite):
                created = self.copies.create(suite)
            edit = change(created or Path(str(suite.source)))
        except StaleStepError as error:
            self._discard(created)
            self._reload(suite)
            return str(error)
        except (SuiteEditError, SuiteCopyError, StoreError) as error:
            self._discard(created)
            return str(error)
        except OSError as error:
            self._discard(created)
            log.exception("Could not write the suite file of %s", suite.name)
            return f"cannot write {created or suite.source}: {error.strerror or error}"
        log.info("Saved %s in %s", edit.summary, edit.path)
        self._remember(edit)

        if created is None:
            self.app.replace_file_suites(str(edit.path), edit.suites)
            self.app.notify(literal_text(f"Saved {edit.summary}. Press u to undo.").plain, title="Saved",
                            markup=False)
            return edit
        edited = next((item for item in edit.suites if item.name == suite.name), None)
        if edited is not None:
            self.app.use_edited_copy(suite, edited)
        text = (f"Saved {edit.summary} in {created}. The suite was imported from {suite.source}, "
                "so keploy-tui loads it from the new file from now on. Press u to undo.")
        self.app.notify(literal_text(text).plain, title="Saved", markup=False, timeout=SAVED_TOAST_SECONDS)
        return edit

    def _reload(self, suite: Suite) -> None:
        """Show the file's current suites, so that the next edit starts from them."""
        try:
            self.app.replace_file_suites(str(suite.source), load_file(str(suite.source)))
        except (SuiteLoadError, OSError) as error:
            log.warning("Could not reload %s after finding it changed: %s", suite.source, error)

    def _discard(self, created: Path | None) -> None:
        # A copy whose edit failed would later count as an edited import, so it goes.
        if created is not None:
            created.unlink(missing_ok=True)

    def _remember(self, edit: SavedEdit) -> None:
        try:
            self.history.push(edit.path, edit.before, edit.after, edit.summary)
        except (OSError, StoreError) as error:
            log.exception("Could not keep the previous version of %s for undo", edit.path)
            self.app.notify(literal_text(f"Saved, but u cannot undo it: the previous version could not be "
                                         f"kept in {self.history.folder}: {error}").plain,
                            severity="warning", markup=False)

    def undo(self, suite: Suite | None = None) -> bool:
        """Restore the file of the newest save, or of the newest save of `suite`'s file.

        Returns False when nothing was undone.
        """
        path = None if suite is None or self.is_imported(suite) else suite.source
        if suite is not None and path is None:
            self.app.notify(literal_text(f"Nothing to undo: suite '{suite.name}' was never saved.").plain,
                            severity="warning", markup=False)
            return False
        try:
            entry = self.history.latest(path)
        except (OSError, StoreError) as error:
            log.exception("Could not read the undo history in %s", self.history.folder)
            self._error("Undo failed", f"cannot read {self.history.folder}: {error}")
            return False
        if entry is None:
            where = f" of {path}" if path is not None else ""
            self.app.notify(f"Nothing to undo: no save{where} is kept.", severity="warning", markup=False)
            return False
        return self._undo(entry)

    def _undo(self, entry: UndoEntry) -> bool:
        edit = SavedEdit(path=Path(entry.path), before=entry.before, after=entry.after, suites=[],
                         summary=entry.summary)
        try:
            suites = undo_edit(edit)
        except (SuiteEditError, OSError) as error:
            log.warning("Could not undo the save of %s: %s", entry.path, error)
            self._error("Undo failed", str(error))
            return False
        except Exception as error:
            # The restored file loads through the suite loader, whose errors are not SuiteEditError.
            log.exception("Could not reload %s after undo", entry.path)
            self._error("Undo failed", f"{type(error).__name__}: {error}")
            return False
        try:
            self.history.remove(entry)
        except (OSError, StoreError):
            # The file is restored, so a second u finds it changed since that save and stops.
            log.exception("Could not delete the undone entry %s", entry.name)
        log.info("Undid the save of %s in %s", entry.summary, entry.path)
        self.app.replace_file_suites(entry.path, suites)
        self.app.notify(literal_text(f"Undid the save of {entry.summary}.").plain, title="Undo", markup=False)
        return True

    def _error(self, title: str, text: str) -> None:
        self.app.notify(literal_text(text).plain, title=title, severity="error", timeout=10.0, markup=False)
