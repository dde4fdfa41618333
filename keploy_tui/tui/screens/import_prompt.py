"""A modal prompt for the path of a suite file or folder to import, with path completion."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Footer, Input, Label, Static

from keploy_tui.tui.validation import literal_text

MAX_SCANNED_ENTRIES = 2000
"""Directory entries read per completion, so a huge folder cannot stall typing."""
MAX_SHOWN_CANDIDATES = 12
"""Names the hint line lists when a completion is ambiguous; the rest are counted."""
DEFAULT_HINT = "Tab completes a file or folder name."


@dataclass(frozen=True)
class Completion:
    """The result of completing a path: the text to put in the field, and the names it could still become."""

    text: str
    """The typed text extended by the longest prefix that every matching name shares."""
    candidates: list[str]
    """Every matching name, sorted, folders with a trailing separator."""
    truncated: bool = False
    """True when the folder has more than MAX_SCANNED_ENTRIES entries, so `text` was not extended."""


def complete_path(text: str) -> Completion:
    """Complete the last name of `text` the way a shell does on tab.

    A single match is completed whole, and a folder gets a trailing separator so the next
    completion continues inside it. Several matches extend `text` to their longest common
    prefix and are listed in `candidates`. Hidden entries are offered only when the typed
    name starts with a dot.
    """
    folder, prefix = os.path.split(os.path.expanduser(text))
    matches: list[tuple[str, bool]] = []
    try:
        with os.scandir(folder or ".") as entries:
            for count, entry in enumerate(entries):
                if count >= MAX_SCANNED_ENTRIES:
                    # A common prefix of the entries read so far may not be shared by the rest.
                    return Completion(text, [], truncated=True)
                if entry.name.startswith(prefix):
                    matches.append((entry.name, entry.is_dir()))
    except OSError:
        return Completion(text, [])
    if not prefix.startswith("."):
        matches = [(name, is_dir) for name, is_dir in matches if not name.startswith(".")]
    candidates = sorted(name + (os.sep if is_dir else "") for name, is_dir in matches)
    if len(matches) == 1:
        return Completion(text + candidates[0][len(prefix):], candidates)
    common = os.path.commonprefix([name for name, _ in matches])
    return Completion(text + common[len(prefix):], candidates)


def candidates_hint(completion: Completion, text: str) -> str:
    """Return the hint line after a tab: the names `text` could still become, or why nothing was completed."""
    if completion.truncated:
        folder = os.path.dirname(text) or "."
        return f"Not completed, because {folder} has more than {MAX_SCANNED_ENTRIES} entries. Type the whole name."
    if not completion.candidates:
        return f"No file or folder matches {text}"
    if len(completion.candidates) == 1:
        return DEFAULT_HINT
    listed = completion.candidates[:MAX_SHOWN_CANDIDATES]
    hint = f"{len(completion.candidates)} matches: " + "  ".join(listed)
    if len(completion.candidates) > len(listed):
        hint += f"  … and {len(completion.candidates) - len(listed)} more"
    return hint


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
        completion = complete_path(value)
        return completion.text if completion.text != value else None


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
        self._hint_value: str | None = None
        """The field's text when the hint line was last set to the candidates of a completion."""

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog") as dialog:
            dialog.border_title = "Import suites"
            yield Label("File or folder path (~ is your home folder)")
            yield Input(self._initial_path, placeholder="~/api-tests or ./suite.yaml", id="import-path",
                        suggester=PathSuggester())
            yield Static("", id="import-error", markup=False)
            yield Static(DEFAULT_HINT, id="import-hint", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def action_submit(self) -> None:
        # The binding is a priority one, so it runs before the field has handled the keys
        # typed just before Enter. Queued behind them, the import reads the whole path.
        self.query_one("#import-path", Input).call_later(self._submit)

    def _submit(self) -> None:
        path_input = self.query_one("#import-path", Input)
        path, problem = resolve_import_path(path_input.value)
        self.query_one("#import-error", Static).update(Text(problem or ""))
        path_input.set_class(problem is not None, "-invalid")
        if path is not None:
            self.dismiss(str(path))

    def action_complete(self) -> None:
        """Complete the path as far as it is unambiguous, and list the names it could still become."""
        path_input = self.query_one("#import-path", Input)
        typed = path_input.value
        completion = complete_path(typed)
        path_input.value = completion.text
        path_input.action_end()
        self._hint_value = completion.text
        self.query_one("#import-hint", Static).update(literal_text(candidates_hint(completion, typed)))

    def on_input_changed(self, event: Input.Changed) -> None:
        # The candidates belong to the text they were listed for, so typing on restores the hint.
        if event.value != self._hint_value:
            self._hint_value = None
            self.query_one("#import-hint", Static).update(DEFAULT_HINT)

    def action_cancel(self) -> None:
        self.dismiss(None)
