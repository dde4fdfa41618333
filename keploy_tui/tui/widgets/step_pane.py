"""The base of the report detail's panes: a keyboard-scrollable view of one step result."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from keploy_tui.model import StepResult


class StepPane(VerticalScroll, can_focus=True):
    """Draws one aspect of a step; subclasses implement `render_step`.

    The screen calls `show` for the visible pane only, so a long body is rendered once,
    for the step that is highlighted, and never for the panes nobody looks at.
    """

    DEFAULT_CSS = """
    StepPane {
        height: 1fr;
        padding: 0 1;
    }
    StepPane > Static {
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[int, int, int] | None = None
        """Suite index, step index and attempt count of the drawn step, to skip redrawing it."""

    def compose(self) -> ComposeResult:
        yield Static("", classes="pane-content")

    def show(self, step: StepResult | None, *, force: bool = False) -> None:
        shown = None if step is None else (step.suite_index, step.index, len(step.attempts))
        if shown == self._shown and not force and shown is not None:
            return
        self._shown = shown
        content = Text("No step highlighted.", style="dim") if step is None else self.render_step(step)
        self.query_one(".pane-content", Static).update(content)
        self.scroll_home(animate=False)

    def render_step(self, step: StepResult) -> RenderableType:
        raise NotImplementedError
