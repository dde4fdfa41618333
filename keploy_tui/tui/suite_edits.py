"""Saving edits of loaded suites back to their files, and undoing the last save.

Every screen that changes a suite goes through `SuiteEdits.save`, so the editor and the
accept keys of the report share one write path, one undo list and one way of putting
the reloaded suites into the app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from keploy_tui.formats.suite_edit import SavedEdit, SuiteEditError, undo_edit
from keploy_tui.formats.suite_yaml import SUITE_SUFFIXES
from keploy_tui.model import Suite
from keploy_tui.tui.validation import literal_text

if TYPE_CHECKING:
    from keploy_tui.tui.app import KeployApp

log = logging.getLogger(__name__)

MAX_UNDO = 50
"""Saves that `u` can undo, newest first; older ones are forgotten."""


def suite_file(suite: Suite) -> Path:
    """Return the suite YAML file that `suite` was loaded from.

    Raises SuiteEditError for a suite imported from a Postman collection or a Keploy
    test-set, because those sources are not suite YAML and cannot take the edit.
    """
    # TODO: save edits of imported suites as a new suite file in the data directory.
    source = Path(suite.source) if suite.source else None
    if source is None or source.suffix.lower() not in SUITE_SUFFIXES or not source.is_file():
        origin = suite.source or "no file"
        raise SuiteEditError(f"suite '{suite.name}' was imported from {origin}, which is not suite YAML; "
                             "edits of imported suites cannot be saved yet")
    return source


class SuiteEdits:
    """The app's write path for suite files and the list of saves that `u` undoes."""

    def __init__(self, app: KeployApp) -> None:
        self.app = app
        self.saved: list[SavedEdit] = []
        """Saves of this session, newest last."""

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
        try:
            edit = change(suite_file(suite))
        except SuiteEditError as error:
            return str(error)
        except OSError as error:
            log.exception("Could not write %s", suite.source)
            return f"cannot write {suite.source}: {error.strerror or error}"
        log.info("Saved %s in %s", edit.summary, edit.path)
        self.saved.append(edit)
        del self.saved[:-MAX_UNDO]
        self.app.replace_file_suites(str(edit.path), edit.suites)
        self.app.notify(literal_text(f"Saved {edit.summary}. Press u to undo.").plain, title="Saved", markup=False)
        return edit

    def undo(self) -> bool:
        """Restore the file of the newest save; returns False when there was nothing to undo or it failed."""
        if not self.saved:
            self.app.notify("Nothing to undo: no save in this session.", severity="warning", markup=False)
            return False
        edit = self.saved[-1]
        try:
            suites = undo_edit(edit)
        except (SuiteEditError, OSError) as error:
            log.warning("Could not undo the save of %s: %s", edit.path, error)
            self._error("Undo failed", str(error))
            return False
        except Exception as error:
            # The restored file loads through the suite loader, whose errors are not SuiteEditError.
            log.exception("Could not reload %s after undo", edit.path)
            self._error("Undo failed", f"{type(error).__name__}: {error}")
            return False
        self.saved.pop()
        log.info("Undid the save of %s in %s", edit.summary, edit.path)
        self.app.replace_file_suites(str(edit.path), suites)
        self.app.notify(literal_text(f"Undid the save of {edit.summary}.").plain, title="Undo", markup=False)
        return True

    def _error(self, title: str, text: str) -> None:
        self.app.notify(literal_text(text).plain, title=title, severity="error", timeout=10.0, markup=False)
