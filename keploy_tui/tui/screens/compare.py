"""Two runs of the same suites side by side: each step's group (regressed, fixed, ...) and its time change."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from keploy_tui.engine.compare import GROUP_TITLES, Comparison, StepDelta, format_ms
from keploy_tui.tui.screens.reports import local_time
from keploy_tui.tui.validation import literal_text

GROUP_STYLES = {
    "regressed": "bold red", "fixed": "bold green", "still_failing": "red",
    "unchanged": "dim", "new": "cyan", "removed": "magenta",
}
STEP_WIDTH = 38
SLOWER_MS = 100
"""A step this many milliseconds slower than before is shown in yellow."""


def verdict(passed: bool | None) -> Text:
    if passed is None:
        return Text("—", style="dim")
    return Text("pass", style="green") if passed else Text("fail", style="red")


def duration(value: float | None) -> Text:
    return Text("" if value is None else f"{value:.0f}", justify="right")


def delta_text(delta: StepDelta) -> Text:
    if delta.delta_ms is None:
        return Text("")
    style = "yellow" if delta.delta_ms >= SLOWER_MS else ""
    return Text(format_ms(delta.delta_ms), style=style, justify="right")


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
        yield DataTable(id="compare-table", cursor_type="row")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#compare-table", DataTable)
        table.add_column(Text("Suite / step"), key="step", width=STEP_WIDTH)
        table.add_column(Text("Old"), key="old", width=4)
        table.add_column(Text("New"), key="new", width=4)
        table.add_column(Text("Old ms"), key="old_ms", width=7)
        table.add_column(Text("New ms"), key="new_ms", width=7)
        table.add_column(Text("Δ ms"), key="delta", width=8)
        for group, deltas in self.comparison.by_group().items():
            if not deltas:
                continue
            heading = Text(f"{GROUP_TITLES[group]} ({len(deltas)})", style=GROUP_STYLES[group])
            table.add_row(heading, Text(""), Text(""), Text(""), Text(""), Text(""), key=f"group:{group}")
            for position, delta in enumerate(deltas):
                name = Text("  ").append_text(literal_text(delta.suite, "dim"))
                name.append(" / ", style="dim")
                name.append_text(literal_text(delta.step))
                name.truncate(STEP_WIDTH, overflow="ellipsis")
                table.add_row(name, verdict(delta.old_passed), verdict(delta.new_passed), duration(delta.old_ms),
                              duration(delta.new_ms), delta_text(delta), key=f"{group}:{position}")
        table.focus()

    def action_back(self) -> None:
        self.dismiss()

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Back", "Close the comparison (escape)", self.action_back)
