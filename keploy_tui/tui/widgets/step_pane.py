"""The base of the report detail's panes: a keyboard-scrollable view of one step result."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.segment import Segment
from rich.text import Text
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from keploy_tui.model import StepResult
from keploy_tui.tui.widgets.body_block import BodyBlock

NO_STEP_HIGHLIGHTED = "No step highlighted."

Row = list[Segment] | tuple[BodyBlock, int, int]
"""A drawn row of a short part, or a body line and which of its folded rows."""


class StepPane(ScrollView, can_focus=True):
    """Draws one aspect of a step; subclasses implement `render_step`.

    The screen calls `show` for the visible pane only. The pane draws only the rows in
    view: short parts (status line, headers, assertion tables) are laid out whole, and
    a BodyBlock is folded line by line and highlighted as its rows scroll into view,
    so a step with a megabyte body shows as fast as one without.
    """

    DEFAULT_CSS = """
    StepPane {
        height: 1fr;
        padding: 0 1;
        /* Rows are folded at the content width, so that width must not change when the
           vertical scrollbar comes and goes, and nothing is ever wider than the pane. */
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[int, int, int] | None = None
        """Suite index, step index and attempt count of the drawn step, to skip redrawing it."""
        self._placeholder = NO_STEP_HIGHLIGHTED
        self._content: RenderableType = Text(self._placeholder, style="dim")
        self._rows: list[Row] = []
        self._laid_out_width = 0
        self._relayout_pending = False

    @property
    def content(self) -> RenderableType:
        """The renderable shown, for printing it whole (tests print it to read the pane)."""
        return self._content

    def show(self, step: StepResult | None, *, force: bool = False, placeholder: str | None = None) -> None:
        """Draw `step`, or the placeholder text when there is none.

        A `placeholder` given here is kept for later calls that pass none.
        """
        if placeholder is not None:
            self._placeholder = placeholder
        shown = None if step is None else (step.suite_index, step.index, len(step.attempts))
        if shown == self._shown and not force and shown is not None:
            return
        self._shown = shown
        self._content = Text(self._placeholder, style="dim") if step is None else self.render_step(step)
        self._lay_out()
        self.scroll_home(animate=False)

    def render_step(self, step: StepResult) -> RenderableType:
        raise NotImplementedError

    def on_resize(self, event: Resize) -> None:
        if self._content_width() != self._laid_out_width:
            self._lay_out()

    def _lay_out_if_stale(self) -> None:
        self._relayout_pending = False
        if self._content_width() != self._laid_out_width:
            self._lay_out()

    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    def _lay_out(self) -> None:
        width = self._content_width()
        self._laid_out_width = width
        if width <= 0:
            self._rows = []
            self.virtual_size = Size(0, 0)
            return
        console = self.app.console
        options = console.options.update_width(width)
        rows: list[Row] = []
        for part in _parts(self._content):
            if isinstance(part, BodyBlock):
                for index, count in enumerate(part.row_counts(width)):
                    if count == 1:
                        rows.append((part, index, 0))
                    else:
                        rows.extend((part, index, row) for row in range(count))
            else:
                rows.extend(console.render_lines(part, options, style=self.rich_style, pad=False))
        self._rows = rows
        self.virtual_size = Size(width, len(rows))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self._content_width()
        if width != self._laid_out_width and not self._relayout_pending:
            # Laid out while hidden or before a resize reached it, so fold again before the
            # next frame. render_line runs once per visible row, so this is queued once.
            self._relayout_pending = True
            self.call_later(self._lay_out_if_stale)
        style = self.rich_style
        index = self.scroll_offset.y + y
        if index >= len(self._rows):
            return Strip.blank(width, style)
        row = self._rows[index]
        if isinstance(row, tuple):
            block, line, part = row
            segments = block.row_segments(line, part, self._laid_out_width, self.app.console, style)
        else:
            segments = row
        return Strip(segments).crop_extend(0, width, style)


def _parts(renderable: RenderableType) -> list[RenderableType]:
    """Flatten nested Groups, so that a BodyBlock inside one is found and drawn lazily."""
    if isinstance(renderable, Group):
        return [part for child in renderable.renderables for part in _parts(child)]
    return [renderable]
