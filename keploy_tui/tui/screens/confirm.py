"""A yes/no question in a modal; dismisses with True for yes and False for no or escape."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from keploy_tui.tui.validation import literal_text

SCROLL_HINT = "↑↓ PgUp PgDn scroll"


class ConfirmScreen(ModalScreen[bool]):
    """Asks `question`; `y` or the yes button confirms, `n`, escape or the no button declines.

    A question taller than the screen, such as the before/after preview of a change,
    scrolls with the arrow keys, PgUp, PgDn, Home and End, and the buttons stay in view.
    """

    # The buttons are docked, so the preview's max-height is what is left of the dialog
    # once they have their row, and a long preview scrolls instead of pushing them out.
    # Toasts are hidden on this screen, because at 80x24 a toast covers part of the
    # question or its buttons, and the question is what the user must read now. The
    # toasts shown before the dialog opened stay behind it on the screen below until they
    # time out. KeployApp.notify puts the toasts raised while the dialog is open in
    # `held_toasts`, and on_unmount shows them.
    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen Toast {
        visibility: hidden;
    }
    #confirm-dialog {
        width: 72;
        max-width: 95%;
        height: auto;
        max-height: 100%;
        border: thick $error;
        background: $surface;
        padding: 1 2;
    }
    #confirm-preview {
        height: auto;
        max-height: 100%;
    }
    #confirm-buttons {
        dock: bottom;
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    #confirm-hint {
        width: 1fr;
        color: $text-muted;
    }
    #confirm-buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
        Binding("escape", "answer(False)", "No", show=False, id="confirm.escape"),
        Binding("up,k", "scroll_preview('up')", "Scroll up", show=False, id="confirm.scroll_up"),
        Binding("down,j", "scroll_preview('down')", "Scroll down", show=False, id="confirm.scroll_down"),
        Binding("pageup", "scroll_preview('page_up')", "Page up", show=False, id="confirm.page_up"),
        Binding("pagedown", "scroll_preview('page_down')", "Page down", show=False, id="confirm.page_down"),
        Binding("home", "scroll_preview('home')", "Top", show=False, id="confirm.top"),
        Binding("end", "scroll_preview('end')", "Bottom", show=False, id="confirm.bottom"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no
        self.held_toasts: list[Callable[[], None]] = []
        """Callables that show the toasts raised while this dialog is open. on_unmount calls them."""

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            with Horizontal(id="confirm-buttons"):
                yield Static("", id="confirm-hint", markup=False)
                yield Button(f"{self.yes_label} (y)", variant="error", id="confirm-yes", compact=True)
                yield Button(f"{self.no_label} (n)", variant="primary", id="confirm-no", compact=True)
            with VerticalScroll(id="confirm-preview"):
                yield Static(literal_text(self.question), id="confirm-question")

    def on_mount(self) -> None:
        # The safe choice has the focus, so an enter pressed by habit keeps the run going.
        self.query_one("#confirm-no", Button).focus()
        self.call_after_refresh(self._show_scroll_hint)

    def on_unmount(self) -> None:
        for show in self.held_toasts:
            show()
        self.held_toasts.clear()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._show_scroll_hint)

    def _show_scroll_hint(self) -> None:
        """Show how to scroll only while the question is taller than its pane."""
        scrolls = self.query_one("#confirm-preview", VerticalScroll).max_scroll_y > 0
        self.query_one("#confirm-hint", Static).update(SCROLL_HINT if scrolls else "")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_scroll_preview(self, direction: str) -> None:
        """Scroll the question, whichever button has the focus."""
        preview = self.query_one("#confirm-preview", VerticalScroll)
        getattr(preview, f"scroll_{direction}")(animate=False)
