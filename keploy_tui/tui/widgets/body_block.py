"""A long body as lines that a StepPane folds and highlights only when they come into view."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from rich.cells import chop_cells
from rich.console import Console, ConsoleOptions
from rich.highlighter import Highlighter
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_CACHED_LINES = 512


class BodyBlock:
    """Body text split into lines, each folded at the pane's width rather than wrapped at words.

    Highlighting and drawing a 50 KB JSON body whole took about 0.5 s a key press, so
    a pane requests the rows it shows and nothing else. Pretty-printed JSON has no
    token that spans lines, so highlighting one line at a time colours it correctly.
    `text` must already have its control characters escaped.
    """

    def __init__(self, text: str, highlighter: Highlighter | None = None) -> None:
        self.lines = text.split("\n")
        self.highlighter = highlighter
        self._texts: OrderedDict[tuple[int, Style], Text] = OrderedDict()
        self._chops: dict[tuple[int, int], list[int]] = {}

    def row_counts(self, width: int) -> list[int]:
        """Return how many rows each line takes at `width` cells."""
        return [max(1, -(-len(line) // width)) if line.isascii() else len(self._offsets(index, width)) - 1
                for index, line in enumerate(self.lines)]

    def row_segments(self, index: int, row: int, width: int, console: Console, style: Style) -> list[Segment]:
        """Return row `row` of line `index` folded at `width` cells, as segments."""
        text = self._text(index, style)
        if self.lines[index].isascii():
            start, end = row * width, (row + 1) * width
        else:
            offsets = self._offsets(index, width)
            start, end = offsets[row], offsets[row + 1]
        return list(text[start:end].render(console))

    def _text(self, index: int, style: Style) -> Text:
        text = self._texts.get((index, style))
        if text is None:
            text = Text(self.lines[index], style=style)
            if self.highlighter is not None:
                self.highlighter.highlight(text)
            self._texts[(index, style)] = text
            if len(self._texts) > _CACHED_LINES:
                self._texts.popitem(last=False)
        return text

    def _offsets(self, index: int, width: int) -> list[int]:
        # Character offsets where each row of a line with wide or combining characters starts.
        key = (index, width)
        offsets = self._chops.get(key)
        if offsets is None:
            offsets = [0]
            for piece in chop_cells(self.lines[index], width) or [""]:
                offsets.append(offsets[-1] + len(piece))
            self._chops[key] = offsets
        return offsets

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        # Drawn whole only outside a pane: tests and anything else that prints a pane's content.
        for index in range(len(self.lines)):
            text = self._text(index, Style()).copy()
            text.overflow = "fold"
            yield text
