"""A modal that lists key bindings, for users who cannot see them all in the Footer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer

from keploy_tui.tui.validation import literal_text


class HelpScreen(ModalScreen[None]):
    """List (key, description) pairs, in the given order and as written, in a scrollable table."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen #help-dialog {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
    }
    HelpScreen DataTable {
        height: auto;
        max-height: 20;
    }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, bindings: list[tuple[str, str]]) -> None:
        super().__init__()
        self._key_rows = list(bindings)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = "Keys"
            yield DataTable(id="help-keys", cursor_type="none", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_column(Text("Key"), key="key")
        table.add_column(Text("Action"), key="action")
        for key, description in self._key_rows:
            table.add_row(literal_text(key, "bold"), literal_text(description))
        if not self._key_rows:
            table.add_row(Text(""), Text("No keys to show.", style="dim"))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
