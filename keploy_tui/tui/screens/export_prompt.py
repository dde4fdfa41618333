"""A modal prompt for the file to export a report to; the extension picks JSON or JUnit XML."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from keploy_tui.formats.junit import to_junit
from keploy_tui.formats.report_json import to_json
from keploy_tui.model import Report
from keploy_tui.tui.screens.import_prompt import PathSuggester
from keploy_tui.tui.validation import literal_text

EXPORTERS = {".json": to_json, ".xml": to_junit}


def write_report(report: Report, path: Path) -> None:
    """Write `report` as JSON (.json) or JUnit XML (.xml). Raises ValueError for another extension, OSError on I/O."""
    exporter = EXPORTERS.get(path.suffix.lower())
    if exporter is None:
        raise ValueError(f"Unknown extension {path.suffix or '(none)'!r}: end the name with .json or .xml")
    path.write_text(exporter(report), encoding="utf-8")


class ExportPrompt(ModalScreen[Path | None]):
    """Ask for a path and call `write` with it; a failure stays in the prompt as an error line.

    Dismisses with the absolute path written, or None on cancel.
    """

    DEFAULT_CSS = """
    ExportPrompt {
        align: center middle;
    }
    ExportPrompt #export-dialog {
        width: 72;
        max-width: 100%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    ExportPrompt #export-error {
        color: $text-error;
        height: auto;
    }
    ExportPrompt .hint {
        color: $text-muted;
    }
    """

    BINDINGS = [
        # Priority, so the Footer shows it even though the focused Input also binds enter.
        Binding("enter", "submit", "Export", id="export_prompt.submit", priority=True),
        Binding("escape", "cancel", "Cancel", id="export_prompt.cancel"),
    ]

    def __init__(self, write: Callable[[Path], None], initial: str = "") -> None:
        super().__init__()
        self._write = write
        self._initial_path = initial

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog") as dialog:
            dialog.border_title = "Export report"
            yield Label("File to write: .json for JSON, .xml for JUnit XML")
            yield Input(self._initial_path, id="export-path", suggester=PathSuggester())
            yield Static("", id="export-error", markup=False)
            yield Label("An existing file is replaced.", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def action_submit(self) -> None:
        # The binding is a priority one, so it runs before the field has handled the keys
        # typed just before Enter. Queued behind them, the export reads the whole path.
        self.query_one("#export-path", Input).call_later(self._submit)

    def _submit(self) -> None:
        field = self.query_one("#export-path", Input)
        text = field.value.strip()
        if not text:
            self._show_error("Missing path: type a file name ending in .json or .xml")
            return
        path = Path(os.path.expanduser(text)).absolute()
        if not path.parent.is_dir():
            self._show_error(f"Not written: the folder {path.parent} does not exist. "
                             "Create it first, or choose another path.")
            return
        try:
            self._write(path)
        except OSError as error:
            self._show_error(f"Not written: cannot write {path}: {error.strerror or error}")
            return
        except ValueError as error:
            self._show_error(f"Not written: {error}")
            return
        self.dismiss(path)

    def _show_error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(literal_text(message))
        self.query_one("#export-path", Input).set_class(True, "-invalid")

    def action_cancel(self) -> None:
        self.dismiss(None)
