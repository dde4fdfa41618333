"""A modal that lists the keys of the screen it was opened from, for keys the Footer has no room for."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer

from keploy_tui.tui.validation import literal_text

if TYPE_CHECKING:
    from keploy_tui.tui.app import KeployApp

KeyRow = tuple[str, str]
"""A key as displayed and what it does."""


def key_label(app: App[Any], binding: Binding) -> str:
    """Return every key of `binding` as the Footer writes it, joined by "/", such as "esc/q"."""
    keys = [key.strip() for key in binding.key.split(",")]
    if len(keys) == 1 and binding.key_display:
        return binding.key_display
    # A key_display of a multi-key binding names one key only, to keep the Footer short.
    return "/".join(app.get_key_display(binding.with_key(key)) for key in keys)


def _own_bindings(nodes: Iterable[DOMNode]) -> Iterator[Binding]:
    """Yield this app's bindings of `nodes`: those with an id, because Textual's own have none."""
    seen: set[str] = set()
    for node in nodes:
        for binding in type(node).BINDINGS:
            if isinstance(binding, Binding) and binding.id and binding.id not in seen:
                seen.add(binding.id)
                yield binding


def screen_keys(screen: Screen[Any]) -> list[KeyRow]:
    """Return the keys of `screen` and its widgets: its HELP_NOTES first, then its bindings in order."""
    rows: list[KeyRow] = list(getattr(screen, "HELP_NOTES", ()))
    for binding in _own_bindings([screen, *screen.walk_children()]):
        # The Footer shows the tooltip on mouse hover only, so it can be longer than the description.
        rows.append((key_label(screen.app, binding), binding.tooltip or binding.description))
    return rows


def app_keys(app: KeployApp, screen: Screen[Any]) -> list[KeyRow]:
    """Return the app's keys that work on `screen`, and the command palette's."""
    rows = [(key_label(app, binding), binding.tooltip or binding.description) for binding in _own_bindings([app])
            if app.key_works_on(binding.action, screen)]
    if app.ENABLE_COMMAND_PALETTE:
        rows.append(("^p", "Command palette: every action by name"))
    return rows


class HelpScreen(ModalScreen[None]):
    """List (key, description) rows as written: the screen's keys, then the app's keys under a heading."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen #help-dialog {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
    }
    HelpScreen DataTable {
        height: auto;
        max-height: 100%;
    }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, bindings: list[KeyRow], app_bindings: list[KeyRow] | None = None) -> None:
        super().__init__()
        self._key_rows = list(bindings)
        self._app_rows = list(app_bindings or [])

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = "Keys"
            dialog.border_subtitle = "↑ ↓ scroll"
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
        if self._app_rows:
            table.add_row(Text(""), Text("App keys", style="bold italic"))
            for key, description in self._app_rows:
                table.add_row(literal_text(key, "bold"), literal_text(description))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
