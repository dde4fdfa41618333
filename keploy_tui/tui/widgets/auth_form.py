"""The Authentication tab of the Run Tests modal: a kind of auth and the fields it needs."""

from __future__ import annotations

import os
from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from keploy_tui.model import Auth
from keploy_tui.tui.validation import FieldError, SecretEntry, build_auth, form_values

AUTH_KINDS = (("none", "None"), ("bearer", "Bearer"), ("basic", "Basic"), ("api_key", "API key"))
LOCATIONS = (("header", "Header"), ("query", "Query parameter"))
HINT = "For steps without auth of their own. A secret may name an env var instead."


class ChoiceRadioSet(RadioSet):
    """A RadioSet whose arrow keys also press the button they move to, as radio groups in web forms do.

    Textual's RadioSet moves only a highlight on arrow keys and needs enter or space to
    press. Here one key changes the choice, so the fields below it change at once.
    """

    def action_next_button(self) -> None:
        super().action_next_button()
        self.action_toggle_button()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        self.action_toggle_button()


def _field_id(field: str) -> str:
    """Return the DOM id of the Input for an Auth attribute such as "token_env"."""
    return "auth-" + field.replace("_", "-")


class AuthForm(Vertical):
    """Fields for None, Bearer, Basic or API-key auth. `read()` returns the Auth or the first problem."""

    DEFAULT_CSS = """
    AuthForm {
        height: auto;
    }
    AuthForm .hint {
        color: $text-muted;
        height: auto;
    }
    AuthForm RadioSet {
        layout: horizontal;
        width: 100%;
    }
    AuthForm RadioSet > RadioButton {
        width: auto;
        margin-right: 2;
    }
    AuthForm .form-row {
        height: auto;
    }
    AuthForm .field-label {
        width: 11;
        padding: 1 1 0 0;
    }
    AuthForm .form-row Input, AuthForm .form-row RadioSet {
        width: 1fr;
    }
    AuthForm .form-row Input.env-input {
        width: 24;
    }
    AuthForm.-compact .field-label {
        padding: 0 1 0 0;
    }
    AuthForm.-compact .form-row Input.env-input {
        margin-left: 1;
    }
    AuthForm .kind-fields {
        height: auto;
    }
    AuthForm #auth-error {
        color: $text-error;
        height: auto;
    }
    """

    def __init__(self, auth: Auth | None = None, *, id: str | None = None, hint: str = HINT,
                 check_environment: bool = True, compact: bool = False) -> None:
        super().__init__(id=id, classes="-compact" if compact else "")
        self.compact = compact
        """True draws the fields without borders, one row each, for a form that has many."""
        self._hint = hint
        self.check_environment = check_environment
        """False skips checking that named environment variables are set, for a suite file
        that may run where they are set and this process is not."""
        self._error_shown = False
        self._initial_auth = auth or Auth()
        if self._initial_auth.kind not in dict(AUTH_KINDS):
            self._initial_auth = Auth()

    @property
    def kind(self) -> str:
        """The chosen auth kind, one of "none", "bearer", "basic", "api_key"."""
        pressed = self.query_one("#auth-kind", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return self._initial_auth.kind
        return pressed.id.removeprefix("kind-")

    @property
    def location(self) -> str:
        pressed = self.query_one("#auth-location", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return self._initial_auth.location
        return pressed.id.removeprefix("location-")

    def compose(self) -> ComposeResult:
        plain, secrets = form_values(self._initial_auth)
        yield Static(self._hint, classes="hint", markup=False)
        with ChoiceRadioSet(id="auth-kind", compact=self.compact):
            for kind, label in AUTH_KINDS:
                yield RadioButton(label, id=f"kind-{kind}")

        with Vertical(id="fields-bearer", classes="kind-fields"):
            yield from self._secret_row("Token", "token", secrets["token"])
        with Vertical(id="fields-basic", classes="kind-fields"):
            yield from self._plain_row("Username", "username", plain["username"], "user name")
            yield from self._secret_row("Password", "password", secrets["password"])
        with Vertical(id="fields-api_key", classes="kind-fields"):
            yield from self._plain_row("Key name", "name", plain["name"], "e.g. X-Api-Key or api_key")
            yield from self._secret_row("Key value", "value", secrets["value"])
            with Horizontal(classes="form-row"):
                yield Label("Send in", classes="field-label")
                with ChoiceRadioSet(id="auth-location", compact=self.compact):
                    for location, label in LOCATIONS:
                        yield RadioButton(label, id=f"location-{location}")
        yield Static("", id="auth-error", markup=False)

    def _plain_row(self, label: str, field: str, value: str, placeholder: str) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(label, classes="field-label")
            yield Input(value, placeholder=placeholder, id=_field_id(field), compact=self.compact)

    def _secret_row(self, label: str, field: str, entry: SecretEntry) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(label, classes="field-label")
            yield Input(entry.literal, placeholder=label.lower(), password=True, id=_field_id(field),
                        compact=self.compact)
            yield Input(entry.env_name, placeholder="or env var name", id=_field_id(f"{field}_env"),
                        classes="env-input", compact=self.compact)

    def on_mount(self) -> None:
        self._show_fields(self._initial_auth.kind)
        # Pressing the buttons after mount, rather than passing value=True in compose,
        # also moves the RadioSet's highlight to them, so the arrow keys start there.
        self.query_one(f"#kind-{self._initial_auth.kind}", RadioButton).value = True
        location = self._initial_auth.location if self._initial_auth.location in dict(LOCATIONS) else "header"
        self.query_one(f"#location-{location}", RadioButton).value = True

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "auth-kind":
            self._show_fields(self.kind)
        self.refresh_error()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_error()

    def _show_fields(self, kind: str) -> None:
        for container in self.query(".kind-fields"):
            container.display = container.id == f"fields-{kind}"

    def read(self, environ: Mapping[str, str] | None = None) -> Auth | FieldError:
        """Return the Auth the form describes, or the first missing or invalid field.

        Environment variable names are checked against `environ`, os.environ by default,
        because the run reads them from this process, unless check_environment is False.
        """
        secrets = {
            field: SecretEntry(self._value(field), self._value(f"{field}_env"))
            for field in ("token", "password", "value")
        }
        fields = {field: self._value(field) for field in ("username", "name")}
        if not self.check_environment:
            return build_auth(self.kind, fields, secrets, self.location, None)
        return build_auth(self.kind, fields, secrets, self.location, os.environ if environ is None else environ)

    def _value(self, field: str) -> str:
        return self.query_one(f"#{_field_id(field)}", Input).value

    def show_error(self, error: FieldError | None) -> None:
        """Show `error` under the fields and focus its field, or clear the message for None."""
        self._mark_error(error)
        if error is not None:
            self.field_input(error.field).focus()

    def refresh_error(self) -> None:
        """Recheck the form while an error is shown, so the message clears once the field is fixed."""
        if self._error_shown:
            result = self.read()
            self._mark_error(result if isinstance(result, FieldError) else None)

    def _mark_error(self, error: FieldError | None) -> None:
        self._error_shown = error is not None
        self.query_one("#auth-error", Static).update(Text(error.message) if error else "")
        if error is not None:
            self.field_input(error.field).add_class("-invalid")

    def field_input(self, field: str) -> Widget:
        """Return the Input of an Auth attribute such as "token" or "token_env"."""
        return self.query_one(f"#{_field_id(field)}", Input)

    def focus_first(self) -> None:
        self.query_one("#auth-kind", RadioSet).focus()
