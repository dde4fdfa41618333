"""Keeping the suite list's run badges and "Last result" column current as runs progress and re-runs are saved.

The App's message handlers call these in the event loop. They mark the changed rows dirty,
and the suite list redraws those rows on its next refresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from keploy_tui.model import Report
from keploy_tui.tui.history import LastRun, parse_time
from keploy_tui.tui.messages import SuiteProgress
from keploy_tui.tui.widgets.badge import Badge

if TYPE_CHECKING:
    from keploy_tui.tui.app import KeployApp


def record_progress(app: KeployApp, message: SuiteProgress) -> None:
    """Put a running suite's new badge in the suite list, and its result in the history once it has finished."""
    badge = Badge(message.status, message.done, message.total, message.report_id)
    app.badges[message.suite_key] = badge
    suite = app.suite_by_key(message.suite_key)
    created_at = parse_time(message.created_at)
    if badge.finished and suite is not None and created_at is not None:
        app.history.record(suite.key, suite.name, LastRun(
            report_id=message.report_id, created_at=created_at, status=message.status,
            passed=message.passed, failed=message.failed, total=message.total,
        ))
    app.suites_screen.mark_dirty(message.suite_key)


def show_rerun_counts(app: KeployApp, report: Report) -> None:
    """Put a re-run report's new counts in the suite list: its Result, and the badge of its run."""
    app.history.add(report)
    summaries = {summary.name: summary for summary in report.suites}
    for key, badge in list(app.badges.items()):
        suite = app.suite_by_key(key)
        summary = summaries.get(suite.name) if suite is not None else None
        if summary is not None and badge.report_id == report.id and badge.finished:
            app.badges[key] = Badge(summary.status, summary.done, summary.total, report.id)
    app.suites_screen.mark_all_dirty()
