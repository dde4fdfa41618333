"""Two runs of the same suites side by side: each step's group (regressed, fixed, ...) and its time change."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from keploy_tui.engine.compare import GROUP_TITLES, Comparison, StepDelta, format_ms
from keploy_tui.tui.screens.reports import local_time
from keploy_tui.tui.validation import literal_text
from keploy_tui.tui.widgets.row_table import RowTable

GROUP_STYLES = {
    "regressed": "bold red", "fixed": "bold green", "still_failing": "red",
    "unchanged": "dim", "new": "cyan", "removed": "magenta",
}
SLOWER_MS = 100
"""A step this many milliseconds slower than before is shown in yellow."""

FIXED_COLUMNS = {
    "old": ("Old", 4),
    "new": ("New", 4),
    "old_ms": ("Old ms", 6),
    "new_ms": ("New ms", 6),
    "delta": ("Δ", 9),
}
"""Label and width by column key. The step column takes the width that these leave, and Δ fits "+99999 ms"."""
NUMERIC_COLUMNS = {"old_ms", "new_ms", "delta"}
MIN_STEP_WIDTH = 20
# Each cell has one cell of padding on either side, and a vertical scrollbar takes two.
CELL_PADDING = 2
SCROLLBAR_WIDTH = 2


def step_width(table_width: int) -> int:
    """Return the width of the step column that fills a table `table_width` cells wide."""
    fixed = sum(width for _, width in FIXED_COLUMNS.values())
    used = fixed + CELL_PADDING * (len(FIXED_COLUMNS) + 1) + SCROLLBAR_WIDTH
    return max(MIN_STEP_WIDTH, table_width - used)


def right_aligned(text: Text, key: str) -> Text:
    """Return `text` padded to the width of column `key`, because DataTable ignores Text.justify."""
    text.align("right", FIXED_COLUMNS[key][1])
    return text


def verdict(passed: bool | None) -> Text:
    if passed is None:
        return Text("—", style="dim")
    return Text("pass", style="green") if passed else Text("fail", style="red")


def duration(value: float | None) -> Text:
    return Text("" if value is None else str(round(value)))


def delta_text(delta: StepDelta) -> Text:
    """Return the time change as the difference of the two rounded durations shown beside it,
    so that the three numbers in a row always add up."""
    if delta.old_ms is None or delta.new_ms is None:
        return Text("")
    shown_delta = round(delta.new_ms) - round(delta.old_ms)
    style = "yellow" if shown_delta >= SLOWER_MS else ""
    return Text(format_ms(shown_delta), style=style)


class CompareScreen(Screen[None]):
    """Show a Comparison grouped as the engine groups it, regressions first."""

    DEFAULT_CSS = """
    CompareScreen .compare-line {
        height: auto;
        padding: 0 1;
    }
    CompareScreen #compare-title {
        background: $boost;
    }
    CompareScreen #compare-table {
        height: 1fr;
    }
    """

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="compare.back"),
    ]

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison
        self._step_width = 0

    def compose(self) -> ComposeResult:
        old, new = self.comparison.old, self.comparison.new
        title = Text.assemble(
            ("Compare ", "bold"), literal_text(old.id[:8]), (f" {local_time(old.created_at)}", "dim"),
            " → ", literal_text(new.id[:8]), (f" {local_time(new.created_at)}", "dim"),
        )
        yield Static(title, id="compare-title", classes="compare-line")
        summary_style = "bold red" if self.comparison.regressed else "bold green"
        yield Static(Text(self.comparison.summary(), style=summary_style), id="compare-summary",
                     classes="compare-line")
        yield RowTable(id="compare-table", cursor_type="row")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#compare-table", DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        # The table is as wide as the screen.
        table = self.query_one("#compare-table", DataTable)
        width = step_width(event.size.width)
        if width != self._step_width:
            self._step_width = width
            self._fill(table, width)

    def _fill(self, table: DataTable, width: int) -> None:
        """Add the columns and rows with the step column `width` cells wide, keeping the cursor row."""
        row = table.cursor_row
        table.clear(columns=True)
        table.add_column(Text("Suite / step"), key="step", width=width)
        for key, (label, column_width) in FIXED_COLUMNS.items():
            header = right_aligned(Text(label), key) if key in NUMERIC_COLUMNS else Text(label)
            table.add_column(header, key=key, width=column_width)
        for group, deltas in self.comparison.by_group().items():
            if not deltas:
                continue
            heading = Text(f"{GROUP_TITLES[group]} ({len(deltas)})", style=GROUP_STYLES[group])
            table.add_row(heading, Text(""), Text(""), Text(""), Text(""), Text(""), key=f"group:{group}")
            for position, delta in enumerate(deltas):
                name = Text("  ").append_text(literal_text(delta.suite, "dim"))
                name.append(" / ", style="dim")
                name.append_text(literal_text(delta.step))
                name.truncate(width, overflow="ellipsis")
                table.add_row(name, verdict(delta.old_passed), verdict(delta.new_passed),
                              right_aligned(duration(delta.old_ms), "old_ms"),
                              right_aligned(duration(delta.new_ms), "new_ms"),
                              right_aligned(delta_text(delta), "delta"), key=f"{group}:{position}")
        table.move_cursor(row=row, animate=False)

    def action_back(self) -> None:
        self.dismiss()

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Back", "Close the comparison (escape)", self.action_back)
