"""The Run Tests modal: the API endpoint URL and variables on one tab, the run's authentication on the other."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static, TabbedContent, TabPane

from keploy_tui.model import Auth
from keploy_tui.tui.validation import (
    FieldError, base_url_error, credential_names, literal_text, parse_variables, variables_text,
)
from keploy_tui.tui.widgets.auth_form import AuthForm

ENDPOINT_TAB = "endpoint"
AUTH_TAB = "authentication"


@dataclass
class RunRequest:
    """The user's confirmed input: where to send the steps and with which auth."""

    base_url: str
    """Stripped of surrounding whitespace and checked by base_url_error."""
    auth: Auth
    """May name environment variables (token_env, password_env, value_env) instead of literal secrets."""
    variables: dict[str, str] = field(default_factory=dict)
    """In scope from each suite's first step, as `keploy-tui run --var` gives them."""


class RunTestsModal(ModalScreen[RunRequest | None]):
    """Prompt for the endpoint and auth of a run. Dismisses with a RunRequest, or None on cancel.

    The modal only collects input: the caller starts the run, because a worker
    started here would be cancelled when the modal closes.
    """

    DEFAULT_CSS = """
    RunTestsModal {
        align: center middle;
    }
    RunTestsModal #dialog {
        width: 78;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    RunTestsModal TabbedContent {
        height: auto;
    }
    RunTestsModal TabPane {
        height: 14;
        padding: 0;
    }
    RunTestsModal #url-error, RunTestsModal #variables-error {
        color: $text-error;
        height: auto;
    }
    RunTestsModal #suites-heading {
        margin-top: 1;
        text-style: bold;
    }
    RunTestsModal #suite-names {
        height: 1fr;
    }
    RunTestsModal #buttons {
        height: auto;
        align-horizontal: right;
    }
    RunTestsModal #buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="run_modal.cancel"),
        Binding("ctrl+r,ctrl+s", "submit", "Run tests", id="run_modal.submit"),
        Binding("ctrl+t", "next_tab", "Next tab", id="run_modal.next_tab"),
    ]

    def __init__(self, suite_names: list[str], base_url: str = "", auth: Auth | None = None,
                 variables: dict[str, str] | None = None) -> None:
        super().__init__()
        self._suite_names = list(suite_names)
        self._base_url = base_url
        self._auth = auth
        self._variables = variables or {}
        self._url_error_shown = False

    def compose(self) -> ComposeResult:
        count = len(self._suite_names)
        with Vertical(id="dialog") as dialog:
            dialog.border_title = f"Run {count} suite{'s' if count != 1 else ''}"
            with TabbedContent(initial=ENDPOINT_TAB, id="tabs"):
                with TabPane("Endpoint", id=ENDPOINT_TAB):
                    yield Label("API Endpoint URL, prepended to every step's path")
                    yield Input(self._base_url, placeholder="http://127.0.0.1:8000", id="base-url")
                    yield Static("", id="url-error", markup=False)
                    yield Label("Variables (optional): NAME=VALUE pairs, quoted as in a shell")
                    text = variables_text(self._variables)
                    yield Input(text, placeholder="EMAIL=me@example.com TOKEN='a b'", id="variables",
                                password=bool(credential_names(text)))
                    yield Static(self._variables_note(text), id="variables-error", markup=False)
                    yield Label(f"Suites to run ({count})", id="suites-heading")
                    with VerticalScroll(id="suite-names"):
                        names = Text("\n").join(literal_text(f"• {name}") for name in self._suite_names)
                        yield Static(names, markup=False)
                with TabPane("Authentication", id=AUTH_TAB):
                    yield AuthForm(self._auth, id="auth-form")
            with Horizontal(id="buttons"):
                yield Button("Run Tests", variant="primary", id="run")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#base-url", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_next_tab(self) -> None:
        """Show the other tab and focus its first field, so the keyboard follows the view."""
        tabs = self.query_one("#tabs", TabbedContent)
        if tabs.active == ENDPOINT_TAB:
            self._show_tab(AUTH_TAB)
            self.query_one(AuthForm).focus_first()
        else:
            self._show_tab(ENDPOINT_TAB)
            self.query_one("#base-url", Input).focus()

    def action_submit(self) -> None:
        """Dismiss with a RunRequest, or keep the modal open and show the first problem."""
        url_input = self.query_one("#base-url", Input)
        url_error = base_url_error(url_input.value)
        self._show_url_error(url_error)
        if url_error is not None:
            self._show_tab(ENDPOINT_TAB)
            url_input.focus()
            return

        variables_input = self.query_one("#variables", Input)
        variables = parse_variables(variables_input.value)
        variables_error = variables if isinstance(variables, str) else None
        self.query_one("#variables-error", Static).update(Text(variables_error or ""))
        variables_input.set_class(variables_error is not None, "-invalid")
        if isinstance(variables, str):
            self._show_tab(ENDPOINT_TAB)
            variables_input.focus()
            return

        form = self.query_one(AuthForm)
        auth = form.read()
        if isinstance(auth, FieldError):
            self._show_tab(AUTH_TAB)
            form.show_error(auth)
            return
        form.show_error(None)
        self.dismiss(RunRequest(base_url=url_input.value.strip(), auth=auth, variables=variables))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_input_changed(self, event: Input.Changed) -> None:
        # Recheck only once a message is shown, so typing a URL is not interrupted by errors.
        if event.input.id == "base-url" and self._url_error_shown:
            self._show_url_error(base_url_error(event.value))
        if event.input.id == "variables":
            # Masked like the auth form's secrets while a value is a credential, so the screen never shows it.
            event.input.password = bool(credential_names(event.value))
            self.query_one("#variables-error", Static).update(self._variables_note(event.value))
            event.input.remove_class("-invalid")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "run":
            self.action_submit()
        else:
            self.action_cancel()

    @staticmethod
    def _variables_note(text: str) -> Text:
        names = credential_names(text)
        if not names:
            return Text("")
        return Text(f"Hidden while {', '.join(names)} holds a credential", style="grey62")

    def _show_url_error(self, message: str | None) -> None:
        self._url_error_shown = message is not None
        self.query_one("#url-error", Static).update(Text(message or ""))
        self.query_one("#base-url", Input).set_class(message is not None, "-invalid")

    def _show_tab(self, tab_id: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab_id
