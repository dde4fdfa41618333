"""Accepting actual values and ignoring differing paths from a report, after a before/after confirmation.

The change is computed against the suite as loaded now, not as it was when the report
ran, and saved through the app's SuiteEdits, so `r` re-runs the step with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from keploy_tui.engine.accept import (
    AcceptError,
    AssertionChange,
    accept_actual,
    accept_step,
    apply_changes,
    ignore_differences,
)
from keploy_tui.formats.suite_edit import update_step
from keploy_tui.model import Assertion, Step, StepResult, Suite
from keploy_tui.tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from keploy_tui.tui.app import KeployApp

PREVIEW_VALUE_LIMIT = 160
"""Characters of one expected value or ignore list in the confirmation."""
QUESTIONS = {
    "accept": "Accept the actual value as the expected one?",
    "ignore": "Ignore the paths that differ?",
    "step": "Accept the actual values of every failed assertion of this step?",
}


def definition_of(app: KeployApp, result: StepResult) -> tuple[Suite, Step]:
    """Return the loaded suite and step that a report's step result ran from, matched by name."""
    suite = next((item for item in app.suites if item.name == result.suite), None)
    if suite is None:
        raise AcceptError(f"suite '{result.suite}' is not loaded any more")
    step = next((item for item in suite.steps if item.name == result.step), None)
    if step is None:
        raise AcceptError(f"step '{result.step}' is no longer in suite '{result.suite}'")
    return suite, step


def plan_changes(app: KeployApp, result: StepResult, mode: str, result_index: int | None
                 ) -> tuple[Suite, Step, list[AssertionChange]]:
    """Return the suite, the step and the changes that `mode` ("accept", "ignore" or "step") makes.

    Raises AcceptError when the step did not fail or the change cannot be made.
    """
    attempt = result.latest
    if attempt is None or attempt.passed:
        raise AcceptError("the highlighted step did not fail; nothing to accept")
    suite, step = definition_of(app, result)
    if mode == "step":
        return suite, step, accept_step(step, attempt)
    if result_index is None:
        raise AcceptError("no assertion of this step failed; a request error cannot be accepted")
    change = accept_actual(step, attempt, result_index) if mode == "accept" else \
        ignore_differences(step, attempt, result_index)
    return suite, step, [change]


def preview_text(suite: Suite, step: Step, mode: str, changes: list[AssertionChange], target: str) -> str:
    """Return the confirmation text: what is asked, each assertion before and after, and `target`, the file written."""
    lines = [QUESTIONS[mode], f"Suite '{suite.name}', step '{step.name}'", ""]
    for change in changes:
        lines.append(f"assert[{change.index}] {change.before.type} {change.before.key or ''}".rstrip())
        for label, assertion in (("before", change.before), ("after ", change.after)):
            lines.append(f"  {label}  {_changed_part(change, assertion)}")
    lines.append("")
    lines.append(f"Save writes the change to {target}. Press u afterwards to undo the save.")
    return "\n".join(lines)


def _changed_part(change: AssertionChange, assertion: Assertion) -> str:
    if change.before.ignore != change.after.ignore:
        text = f"ignore: [{', '.join(assertion.ignore)}]"
    else:
        text = f"expected: {assertion.expected if assertion.expected is not None else '(none)'}"
    return text if len(text) <= PREVIEW_VALUE_LIMIT else text[:PREVIEW_VALUE_LIMIT] + "…"


def confirm_and_save(app: KeployApp, result: StepResult, mode: str, result_index: int | None) -> None:
    """Show the change that `mode` makes to the step behind `result` and save it when confirmed."""
    try:
        suite, step, changes = plan_changes(app, result, mode, result_index)
    except AcceptError as error:
        app.notify(str(error), title="Cannot change the assertion", severity="warning", markup=False)
        return
    edited = apply_changes(step, changes)

    def save(confirmed: bool | None) -> None:
        if confirmed:
            saved = app.edits.save(suite, lambda path: update_step(path, suite.name, step.name, edited, loaded=step))
            if saved is not None:
                app.notify("Press r to re-run the step with the saved assertions.", markup=False)

    preview = preview_text(suite, step, mode, changes, app.edits.save_target(suite))
    app.push_screen(ConfirmScreen(preview, yes="Save", no="Cancel"), save)
