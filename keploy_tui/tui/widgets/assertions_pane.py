"""The Assertions pane: each assertion with its outcome, failures as Path / Expected / Actual."""

from __future__ import annotations

import json
import re
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from keploy_tui.model import AssertionResult, DiffEntry, StepResult
from keploy_tui.tui.validation import literal_text
from keploy_tui.tui.widgets.diff_pane import ACTUAL_STYLE, EXPECTED_STYLE
from keploy_tui.tui.widgets.step_pane import StepPane

VALUE_LIMIT = 400
"""Characters of one expected or actual value in the Path / Expected / Actual table."""
MORE_DIFFERENCES = re.compile(r"\(and (\d+) more differences?\)$")


def value_text(value: Any, type_name: str | None, show_type: bool) -> Text:
    """Return a diff value as compact JSON, prefixed with its type when the two sides' types differ."""
    shown = value if isinstance(value, str) and type_name is None else json.dumps(value, ensure_ascii=False,
                                                                                   default=str)
    if len(shown) > VALUE_LIMIT:
        shown = shown[:VALUE_LIMIT] + "…"
    text = Text(f"{type_name} ", style="italic") if show_type and type_name else Text()
    text.append_text(literal_text(shown))
    return text


def diff_table(entries: list[DiffEntry]) -> Table:
    table = Table(show_edge=False, box=None, padding=(0, 1), expand=True)
    table.add_column("Path", style="cyan", ratio=2, overflow="fold")
    table.add_column("Expected", style=EXPECTED_STYLE, ratio=3, overflow="fold")
    table.add_column("Actual", style=ACTUAL_STYLE, ratio=3, overflow="fold")
    for entry in entries:
        show_type = entry.expected_type != entry.actual_type
        expected = Text("(missing)", style="dim") if entry.kind == "unexpected" else \
            value_text(entry.expected, entry.expected_type, show_type)
        actual = Text("(missing)", style="dim") if entry.kind == "missing" else \
            value_text(entry.actual, entry.actual_type, show_type)
        table.add_row(literal_text(entry.path), expected, actual)
    return table


def difference_count(result: AssertionResult) -> int:
    """Return how many differences the engine found, listed or not.

    The engine lists at most 100. Reports written before `diff_total` existed give the
    total only in the message the engine writes: "... (and 3449 more differences)".
    """
    if result.diff_total is not None:
        return max(result.diff_total, len(result.diff))
    match = MORE_DIFFERENCES.search(result.message)
    if match is None:
        return len(result.diff)
    return max(len(result.diff), 1 + int(match.group(1)))


def unlisted_line(result: AssertionResult) -> Text | None:
    """Return the line that counts the differences left out of the list, or None when all are listed."""
    total = difference_count(result)
    unlisted = total - len(result.diff)
    if unlisted <= 0:
        return None
    noun = "difference is" if unlisted == 1 else "differences are"
    return Text(f"  {unlisted:,} more {noun} not listed ({total:,} in all).", style="yellow")


def assertion_block(result: AssertionResult, selected: bool = False) -> list[RenderableType]:
    if not result.supported:
        mark = Text("? not supported ", style="bold yellow")
    elif result.passed:
        mark = Text("✓ ", style="bold green")
    else:
        mark = Text("✗ ", style="bold red")
    pointer = Text("▶ ", style="bold reverse") if selected else Text("")
    head = Text.assemble(pointer, mark, literal_text(result.type, "bold"))
    if result.key:
        head.append(" ")
        head.append_text(literal_text(result.key, "cyan"))
    blocks: list[RenderableType] = [head]
    if result.message:
        blocks.append(Text.assemble("  ", literal_text(result.message, "" if result.passed else "red")))
    if result.passed:
        return blocks
    if result.diff:
        blocks.append(diff_table(result.diff))
        unlisted = unlisted_line(result)
        if unlisted is not None:
            blocks.append(unlisted)
    else:
        if result.expected is not None:
            blocks.append(Text.assemble(("  Expected ", "dim"), literal_text(result.expected, EXPECTED_STYLE)))
        if result.actual is not None:
            blocks.append(Text.assemble(("  Actual   ", "dim"), literal_text(result.actual, ACTUAL_STYLE)))
    return blocks


def failed_indexes(step: StepResult | None) -> list[int]:
    """Return the positions of the failed results in the step's latest attempt."""
    attempt = step.latest if step is not None else None
    if attempt is None:
        return []
    return [index for index, result in enumerate(attempt.assertions) if not result.passed]


class AssertionsPane(StepPane):
    """Shows the latest attempt's assertion results, failures first within the order written.

    One failed result is selected (marked ▶): the one that accepting or ignoring changes.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.selected: int | None = None
        """Position of the selected result in the latest attempt, or None when nothing failed."""
        self._selected_for: tuple[int, int, int] | None = None

    def selected_result(self, step: StepResult | None) -> int | None:
        """Return the selected failed result of `step`, the first failure when another step was selected."""
        failed = failed_indexes(step)
        if step is None or not failed:
            return None
        identity = (step.suite_index, step.index, len(step.attempts))
        if identity != self._selected_for or self.selected not in failed:
            self.selected, self._selected_for = failed[0], identity
        return self.selected

    def select_next_failure(self, step: StepResult | None) -> bool:
        """Move the selection to the next failed result, wrapping; returns False when none failed."""
        current = self.selected_result(step)
        failed = failed_indexes(step)
        if current is None:
            return False
        self.selected = failed[(failed.index(current) + 1) % len(failed)]
        self.show(step, force=True)
        return True

    def render_step(self, step: StepResult) -> RenderableType:
        attempt = step.latest
        if attempt is None:
            return Text("The step did not run.", style="dim")
        selected = self.selected_result(step)
        blocks: list[RenderableType] = []
        if attempt.error:
            kind = f" ({attempt.error_kind})" if attempt.error_kind else ""
            blocks.append(Text.assemble((f"✗ request failed{kind}: ", "bold red"), literal_text(attempt.error)))
        for index, result in enumerate(attempt.assertions):
            blocks.extend(assertion_block(result, selected=index == selected))
        if not attempt.assertions and not attempt.error:
            blocks.append(Text("No checks: the step has no assertions, so it passes on any response status.",
                               style="yellow"))
        if len(step.attempts) > 1:
            outcomes = " ".join("✓" if item.passed else "✗" for item in step.attempts)
            blocks.append(Text(f"\nAttempts, oldest first: {outcomes}", style="dim"))
        return Group(*blocks)
