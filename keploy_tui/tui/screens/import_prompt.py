"""A modal prompt for the path of a suite file or folder to import, with path completion."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Footer, Input, Label, Static

MAX_SCANNED_ENTRIES = 2000
"""Directory entries read per completion, so a huge folder cannot stall typing."""


def complete_path(text: str) -> str | None:
    """Return `text` extended to the first file or folder name it is a prefix of, or None.

    A folder gets a trailing separator so the next completion continues inside it.
    Hidden entries are offered only when the typed name starts with a dot.
    """
    folder, prefix = os.path.split(os.path.expanduser(text))
    if not prefix:
        return None
    try:
        with os.scandir(folder or ".") as entries:
            names = []
            for count, entry in enumerate(entries):
                if count >= MAX_SCANNED_ENTRIES:
                    break
                if entry.name.startswith(prefix) and entry.name != prefix:
                    names.append((entry.name, entry.is_dir()))
    except OSError:
        return None
    if not prefix.startswith("."):
        names = [(name, is_dir) for name, is_dir in names if not name.startswith(".")]
    if not names:
        return None
    name, is_dir = min(names)
    return text + name[len(prefix):] + (os.sep if is_dir else "")


def resolve_import_path(text: str) -> tuple[Path | None, str | None]:
    """Return the absolute path for `text` with ~ expanded, or None and why it cannot be imported."""
    text = text.strip()
    if not text:
        return None, "Missing path: type a suite file or a folder of suites"
    path = Path(os.path.expanduser(text)).absolute()
    if not path.exists():
        return None, f"Not found: {path}"
    if not (path.is_file() or path.is_dir()):
        return None, f"Not a file or folder: {path}"
    return path, None


class PathSuggester(Suggester):
    """Suggest the rest of a file or folder name, which the Input shows dimmed after the cursor."""

    def __init__(self) -> None:
        # No cache, because files appear and disappear while the prompt is open.
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


class ImportPrompt(ModalScreen[str | None]):
    """Prompt for a suite file or folder. Dismisses with its absolute path, or None on cancel."""

    DEFAULT_CSS = """
    ImportPrompt {
        align: center middle;
    }
    ImportPrompt #import-dialog {
        width: 72;
        max-width: 100%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    ImportPrompt #import-error {
        color: $text-error;
        height: auto;
    }
    ImportPrompt .hint {
        color: $text-muted;
    }
    """

    BINDINGS = [
        # Priority, so the Footer shows it even though the focused Input also binds enter.
        Binding("enter", "submit", "Import", id="import_prompt.submit", priority=True),
        Binding("tab", "complete", "Complete path", id="import_prompt.complete"),
        Binding("escape", "cancel", "Cancel", id="import_prompt.cancel"),
    ]

    def __init__(self, initial: str = "") -> None:
        super().__init__()
        self._initial_path = initial

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog") as dialog:
            dialog.border_title = "Import suites"
            yield Label("File or folder path (~ is your home folder)")
            yield Input(self._initial_path, placeholder="~/api-tests or ./suite.yaml", id="import-path",
                        suggester=PathSuggester())
            yield Static("", id="import-error", markup=False)
            yield Label("Tab completes a file or folder name.", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def action_submit(self) -> None:
        path_input = self.query_one("#import-path", Input)
        path, problem = resolve_import_path(path_input.value)
        self.query_one("#import-error", Static).update(Text(problem or ""))
        path_input.set_class(problem is not None, "-invalid")
        if path is not None:
            self.dismiss(str(path))

    def action_complete(self) -> None:
        """Accept the suggested completion; the Input does that on cursor-right at the end of the text."""
        path_input = self.query_one("#import-path", Input)
        path_input.action_end()
        path_input.action_cursor_right()

    def action_cancel(self) -> None:
        self.dismiss(None)
