"""The Diff pane: expected vs actual JSON of each failed body comparison, unified or side by side."""

from __future__ import annotations

import difflib
import json
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from keploy_tui.model import AssertionResult, StepResult
from keploy_tui.tui.validation import literal_text
from keploy_tui.tui.widgets.body_text import dump_json
from keploy_tui.tui.widgets.step_pane import StepPane

BODY_COMPARISONS = ("json_equal", "json_path", "json_contains")
MAX_DIFF_LINES = 2000
"""Lines of one side compared; difflib is quadratic in the worst case, so huge bodies are cut."""
CONTEXT_LINES = 3
EXPECTED_STYLE = "red"
"""Colour of expected values. As in `git diff`, the expected side is the old, removed one (-) in red."""
ACTUAL_STYLE = "green"
"""Colour of actual values: the new, added side (+) in green."""


def _as_json(text: str | None) -> tuple[bool, Any]:
    if text is None:
        return False, None
    try:
        return True, json.loads(text)
    except ValueError:
        return False, text


def comparison_sides(result: AssertionResult, response_body: str | None) -> tuple[list[str], list[str]]:
    """Return the expected and actual values as lines of indented JSON with sorted keys.

    The stored actual value is cut at a few KB. When that cut breaks it and the
    assertion compared the whole body, the stored response body is used instead.
    """
    expected_parsed, expected = _as_json(result.expected)
    actual_parsed, actual = _as_json(result.actual)
    if not actual_parsed and not (result.key or "").strip("$ ") and response_body:
        actual_parsed, actual = _as_json(response_body)
    expected_text = dump_json(expected) if expected_parsed else (result.expected or "")
    actual_text = dump_json(actual) if actual_parsed else (result.actual or "")
    return expected_text.splitlines()[:MAX_DIFF_LINES], actual_text.splitlines()[:MAX_DIFF_LINES]


def unified_view(expected: list[str], actual: list[str]) -> Text:
    text = Text()
    lines = list(difflib.unified_diff(expected, actual, "expected", "actual", lineterm="", n=CONTEXT_LINES))
    if not lines:
        return Text("The expected and actual JSON are equal as text.", style="dim")
    for line in lines:
        style = ""
        if line.startswith(("---", "+++")):
            style = "bold"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith("-"):
            style = EXPECTED_STYLE
        elif line.startswith("+"):
            style = ACTUAL_STYLE
        text.append_text(literal_text(line, style))
        text.append("\n")
    return text


def side_by_side_view(expected: list[str], actual: list[str]) -> Table:
    table = Table(show_edge=False, box=None, padding=(0, 1), expand=True)
    table.add_column("- Expected", ratio=1, overflow="fold", header_style=f"bold {EXPECTED_STYLE}")
    table.add_column("+ Actual", ratio=1, overflow="fold", header_style=f"bold {ACTUAL_STYLE}")
    matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
    for tag, start_a, end_a, start_b, end_b in matcher.get_opcodes():
        left, right = expected[start_a:end_a], actual[start_b:end_b]
        for offset in range(max(len(left), len(right))):
            left_line = left[offset] if offset < len(left) else ""
            right_line = right[offset] if offset < len(right) else ""
            if tag == "equal":
                table.add_row(literal_text(left_line, "dim"), literal_text(right_line, "dim"))
            else:
                table.add_row(literal_text(left_line, EXPECTED_STYLE), literal_text(right_line, ACTUAL_STYLE))
    return table


def body_comparisons(step: StepResult) -> list[AssertionResult]:
    attempt = step.latest
    if attempt is None:
        return []
    return [result for result in attempt.assertions
            if result.type in BODY_COMPARISONS and not result.passed and (result.diff or result.actual is not None)]


class DiffPane(StepPane):
    """Shows a diff for each failed json_equal, json_path or json_contains of the latest attempt."""

    side_by_side = False

    def toggle_view(self, step: StepResult | None) -> None:
        self.side_by_side = not self.side_by_side
        self.show(step, force=True)

    def render_step(self, step: StepResult) -> RenderableType:
        results = body_comparisons(step)
        if not results:
            # A body check can fail with nothing to diff, e.g. json_path on a path not found.
            return Text("No failed check in this step has a body diff to show. "
                        "The Assertions pane (3) lists every check with its message.", style="dim")
        attempt = step.latest
        body = attempt.response.body if attempt and attempt.response and not attempt.response.base64 else None
        view = "side by side" if self.side_by_side else "unified"
        blocks: list[RenderableType] = [Text(f"{view} view · s switches", style="dim")]
        for result in results:
            head = Text.assemble(("✗ ", "bold red"), literal_text(result.type, "bold"), " ",
                                 literal_text(result.key or "$", "cyan"))
            expected, actual = comparison_sides(result, body)
            shown = side_by_side_view(expected, actual) if self.side_by_side else unified_view(expected, actual)
            blocks.extend([head, shown])
        return Group(*blocks)
