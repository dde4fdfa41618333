"""A modal that lists every warning of an import, grouped by file, in a scrollable dialog."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from keploy_tui.formats.import_common import ImportWarning
from keploy_tui.tui.import_advice import warning_for_app
from keploy_tui.tui.validation import literal_text


def warnings_view(warnings: list[ImportWarning]) -> Group:
    """Return the warnings grouped by file, in the files' first-seen order, with the advice reworded for the app.

    Each warning is a bullet whose wrapped lines are indented under its first one.
    """
    by_file: dict[str, list[str]] = {}
    for warning in map(warning_for_app, warnings):
        by_file.setdefault(warning.source, []).append(warning.message)
    parts: list[RenderableType] = []
    for source, messages in by_file.items():
        if parts:
            parts.append(Text())
        parts.append(literal_text(source, "bold"))
        bullets = Table.grid(padding=(0, 1, 0, 0), expand=True)
        bullets.add_column(width=1, no_wrap=True)
        # A script line is often one long word; fold it rather than cut it with an ellipsis.
        bullets.add_column(ratio=1, overflow="fold")
        for message in messages:
            bullets.add_row("•", literal_text(message))
        parts.append(bullets)
    return Group(*parts)


class ImportWarningsScreen(ModalScreen[None]):
    """Show the warnings of an import; the arrow and page keys scroll them."""

    DEFAULT_CSS = """
    ImportWarningsScreen {
        align: center middle;
    }
    ImportWarningsScreen #warnings-dialog {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
    }
    ImportWarningsScreen #warnings-scroll {
        height: auto;
        max-height: 100%;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="import_warnings.close"),
    ]

    def __init__(self, warnings: list[ImportWarning]) -> None:
        super().__init__()
        self.warnings = list(warnings)

    def compose(self) -> ComposeResult:
        with Vertical(id="warnings-dialog") as dialog:
            dialog.border_title = f"Import warnings: {len(self.warnings)}"
            dialog.border_subtitle = "↑ ↓ pgup pgdn scroll"
            with VerticalScroll(id="warnings-scroll"):
                yield Static(warnings_view(self.warnings), id="warnings-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#warnings-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)

