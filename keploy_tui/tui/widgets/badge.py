"""The run badge of a suite row and its "Last result" cell, rendered as plain rich Text."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from keploy_tui.model import SuiteStatus

BADGE_WIDTH = 14
"""Cells of the Status column: fits "running 99/100"."""

BADGE_STYLES = {
    SuiteStatus.QUEUED: "yellow",
    SuiteStatus.RUNNING: "bold cyan",
    SuiteStatus.PASSED: "bold green",
    SuiteStatus.FAILED: "bold red",
    SuiteStatus.CANCELLED: "magenta",
    SuiteStatus.INTERRUPTED: "dim",
}


@dataclass(frozen=True)
class Badge:
    """A suite's live state in this session: its status and how many steps finished."""

    status: SuiteStatus
    done: int = 0
    total: int = 0
    report_id: str | None = None
    """The report of the run the badge shows, so that a re-run of that report can update it."""

    @property
    def finished(self) -> bool:
        return self.status not in (SuiteStatus.QUEUED, SuiteStatus.RUNNING)


def badge_text(badge: Badge | None, width: int = BADGE_WIDTH) -> Text:
    """Return the Status cell: empty before the first run of the session, then the badge."""
    if badge is None:
        return Text("")
    style = BADGE_STYLES[badge.status]
    if badge.status is SuiteStatus.RUNNING:
        label = f"running {badge.done}/{badge.total}"
        if len(label) > width:
            label = f"▶ {badge.done}/{badge.total}"
        return Text(label, style=style)
    if badge.status is SuiteStatus.PASSED:
        return Text("✓ passed", style=style)
    if badge.status is SuiteStatus.FAILED:
        return Text("✗ failed", style=style)
    return Text(badge.status.value, style=style)


def result_text(passed: int, failed: int, status: SuiteStatus | None = None) -> Text:
    """Return the "Last result" cell: green passed and red failed step counts, or "cancelled".

    A cancelled run counts only the steps that finished, so its "✓0 ✗0" would read as an empty pass.
    NOTE: an interrupted run still shows its counts, because "interrupted" is wider than the column.
    """
    if status is SuiteStatus.CANCELLED:
        return Text("cancelled", style=BADGE_STYLES[status])
    text = Text()
    text.append(f"✓{passed}", style="green")
    text.append(" ")
    text.append(f"✗{failed}", style="red" if failed else "dim")
    return text
