"""Plain-text explanation of a failed step, shared by the CLI and the JUnit export."""

from __future__ import annotations

import json
from typing import Any

from keploy_tui.model import AssertionResult, Attempt, StepResult

MAX_VALUE_CHARS = 200


def short_value(value: Any, type_name: str | None = None) -> str:
    """Render a value compactly, with its JSON type when known: `integer <42>`."""
    text = value if isinstance(value, str) and type_name is None else json.dumps(value, ensure_ascii=False)
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 3] + "..."
    return f"{type_name} <{text}>" if type_name else text


def assertion_lines(result: AssertionResult) -> list[str]:
    """Return the lines that explain one failed assertion: a headline, then Path / Expected / Actual."""
    label = result.type
    if result.key not in (None, "") and not result.message.startswith(result.key):
        label = f"{result.type} {result.key}"
    lines = [f"{label}: {result.message}" if result.message else label]
    for entry in result.diff:
        lines.append(f"  Path:     {entry.path}")
        if entry.kind != "unexpected":
            lines.append(f"  Expected: {short_value(entry.expected, entry.expected_type)}")
        else:
            lines.append("  Expected: (absent)")
        if entry.kind != "missing":
            lines.append(f"  Actual:   {short_value(entry.actual, entry.actual_type)}")
        else:
            lines.append("  Actual:   (absent)")
    # A message such as "expected status 201, got 404" already shows both values.
    shown = result.actual is not None and result.actual in result.message
    if not result.diff and not shown and result.expected is not None and result.actual is not None:
        lines.append(f"  Expected: {short_value(result.expected)}")
        lines.append(f"  Actual:   {short_value(result.actual)}")
    return lines


def failure_lines(attempt: Attempt) -> list[str]:
    """Return every line that explains why `attempt` failed; empty when it passed."""
    if attempt.passed:
        return []
    if attempt.error:
        return [attempt.error]
    lines: list[str] = []
    for result in attempt.assertions:
        if not result.passed:
            lines.extend(assertion_lines(result))
    return lines


def flaky_text(result: StepResult) -> str:
    """Return a sentence that lists a flaky step's verdicts, oldest first."""
    verdicts = ", ".join("passed" if attempt.passed else "failed" for attempt in result.attempts)
    return f"flaky: {len(result.attempts)} attempts ({verdicts}); the verdict is the latest attempt's"
