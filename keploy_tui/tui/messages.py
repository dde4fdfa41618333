"""Messages the run manager posts to the app; the app's handlers update badges and show toasts."""

from __future__ import annotations

from textual.message import Message

from keploy_tui.model import Report, SuiteStatus
from keploy_tui.tui.history import RunHistory
from keploy_tui.tui.suite_sources import LoadResult


class SuiteProgress(Message):
    """A suite's badge changed: queued, running with `done` of `total` steps, or finished."""

    def __init__(self, suite_key: str, status: SuiteStatus, done: int, total: int,
                 passed: int = 0, failed: int = 0, *, report_id: str = "", created_at: str = "") -> None:
        super().__init__()
        self.suite_key = suite_key
        self.report_id = report_id
        self.created_at = created_at
        """The run's Report.created_at, for the "Last run" column once the suite finishes."""
        self.status = status
        self.done = done
        self.total = total
        self.passed = passed
        self.failed = failed


class RunAccepted(Message):
    """A run's report was created and its suites started or queued."""

    def __init__(self, report_id: str, suite_names: list[str]) -> None:
        super().__init__()
        self.report_id = report_id
        self.suite_names = suite_names


class RunEnded(Message):
    """A run finished, was cancelled or failed, and everything it wrote is in the store."""

    def __init__(self, report: Report, error: str | None = None) -> None:
        super().__init__()
        self.report = report
        """A copy without steps, taken when the run ended."""
        self.error = error
        """Set when the run stopped on an internal error instead of finishing."""


class StoreWriteFailed(Message):
    """Saving a report or the remembered settings failed; the run itself goes on."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        """A sentence for the user that names what was not saved and why."""


class SuitesLoaded(Message):
    """Suite sources were loaded in a thread: at start, or by an import."""

    def __init__(self, result: LoadResult, history: RunHistory | None = None,
                 imported: str | None = None) -> None:
        super().__init__()
        self.result = result
        self.history = history
        """The stored reports' last runs, read at start; None after an import."""
        self.imported = imported
        """The path the user imported, or None for the load at start."""
