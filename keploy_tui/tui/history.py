"""The last stored run of each suite, for the suite list's "Last run" and "Last result" columns.

Textual-free, so it can be tested and reused without an app.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from keploy_tui.model import Report, Suite, SuiteStatus, SuiteSummary


@dataclass(frozen=True)
class LastRun:
    """The newest stored result of one suite."""

    report_id: str
    created_at: datetime
    """Aware, UTC."""
    status: SuiteStatus
    passed: int
    failed: int
    total: int


class RunHistory:
    """The newest LastRun per suite, looked up by suite key and, failing that, by suite name.

    A CLI run records the source path as the user typed it (often relative), and the app
    loads sources by absolute path, so the name is the fallback that still matches them.
    """

    def __init__(self) -> None:
        self._by_key: dict[str, LastRun] = {}
        self._by_name: dict[str, LastRun] = {}

    @classmethod
    def from_reports(cls, reports: Iterable[Report]) -> RunHistory:
        history = cls()
        for report in reports:
            history.add(report)
        return history

    def add(self, report: Report) -> None:
        """Record each suite of `report` unless a newer report of it is already recorded.

        A re-run changes the counts of a stored report, so adding the same report again
        replaces its entries.
        """
        created_at = parse_time(report.created_at)
        if created_at is None:
            return
        for summary in report.suites:
            last = LastRun(
                report_id=report.id, created_at=created_at, status=summary.status,
                passed=summary.passed, failed=summary.failed, total=summary.total,
            )
            self.record(summary_key(summary), summary.name, last)

    def record(self, suite_key: str, suite_name: str, last: LastRun) -> None:
        """Keep `last` for the suite unless a newer report is already known."""
        _keep_newer(self._by_key, suite_key, last)
        _keep_newer(self._by_name, suite_name, last)

    def get(self, suite: Suite) -> LastRun | None:
        return self._by_key.get(suite.key) or self._by_name.get(suite.name)


def summary_key(summary: SuiteSummary) -> str:
    """Return the Suite.key of the suite a report summary was recorded from."""
    return f"{summary.source or ''}::{summary.name}"


def _keep_newer(index: dict[str, LastRun], key: str, last: LastRun) -> None:
    current = index.get(key)
    if current is None or current.created_at < last.created_at or current.report_id == last.report_id:
        index[key] = last


def parse_time(text: str) -> datetime | None:
    """Parse an ISO 8601 time from a report, reading a time without an offset as UTC."""
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def relative_time(then: datetime, now: datetime) -> str:
    """Return a short age such as "just now", "3 min ago", "2 h ago" or "5 d ago".

    A time in the future (a clock that moved back) reads "just now".
    """
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} h ago"
    days = hours // 24
    if days < 60:
        return f"{days} d ago"
    return then.astimezone().strftime("%Y-%m-%d")
