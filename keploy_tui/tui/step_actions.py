"""The suite view's step changes: edit, add, delete and move, each saved through the app's SuiteEdits."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from keploy_tui.formats import suite_edit
from keploy_tui.model import Step, Suite
from keploy_tui.tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from keploy_tui.tui.app import KeployApp


def _app(screen: Screen) -> KeployApp:
    return cast("KeployApp", screen.app)


def _writable(screen: Screen, suite: Suite) -> bool:
    """Tell whether the suite can be saved; a toast gives the reason when not."""
    problem = _app(screen).edits.problem(suite)
    if problem is not None:
        screen.notify(problem, title="Cannot save this suite", severity="warning", markup=False)
        return False
    return True


def edit_step(screen: Screen, suite: Suite, step: Step) -> None:
    from keploy_tui.tui.screens.step_editor import StepEditor

    if not _writable(screen, suite):
        return
    edits = _app(screen).edits

    def save(edited: Step) -> str | None:
        result = edits.attempt(suite, lambda path: suite_edit.update_step(path, suite.name, step.name, edited,
                                                                                   loaded=step))
        return result if isinstance(result, str) else None

    screen.app.push_screen(StepEditor(suite, step, save))


def new_step(screen: Screen, suite: Suite, index: int) -> None:
    from keploy_tui.tui.screens.step_editor import StepEditor

    if not _writable(screen, suite):
        return
    edits = _app(screen).edits

    def save(step: Step) -> str | None:
        result = edits.attempt(suite, lambda path: suite_edit.insert_step(path, suite.name, index, step))
        if isinstance(result, str):
            return result
        select = getattr(screen, "select_step_named", None)
        if select is not None:
            select(step.name)
        return None

    screen.app.push_screen(StepEditor(suite, None, save))


def delete_step(screen: Screen, suite: Suite, step: Step) -> None:
    if not _writable(screen, suite):
        return

    def delete(confirmed: bool | None) -> None:
        if confirmed:
            _app(screen).edits.save(suite, lambda path: suite_edit.delete_step(path, suite.name, step.name))

    question = f"Delete step '{step.name}' from suite '{suite.name}'? u undoes it."
    screen.app.push_screen(ConfirmScreen(question, yes="Delete", no="Keep"), delete)


def move_step(screen: Screen, suite: Suite, step: Step, offset: int) -> None:
    if _writable(screen, suite):
        _app(screen).edits.save(suite, lambda path: suite_edit.move_step(path, suite.name, step.name, offset))
