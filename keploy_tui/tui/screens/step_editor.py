"""The step editor: every field of one step, checked on save, with errors shown beside the form."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static, TextArea

from keploy_tui.model import Auth, Step, Suite
from keploy_tui.model.suite import HTTP_METHODS
from keploy_tui.tui.screens.confirm import ConfirmScreen
from keploy_tui.tui.step_form import FormError, StepFields, body_error, build_step, is_json_content, parse_lines
from keploy_tui.tui.validation import FieldError, literal_text
from keploy_tui.tui.widgets.assertion_editor import AssertionEditor
from keploy_tui.tui.widgets.auth_form import AuthForm

AUTH_HINT = "This step's own auth. A secret may name an env var, read when the suite runs."
FIELD_WIDGETS = {
    "name": "#field-name", "method": "#field-method", "url": "#field-url", "timeout": "#field-timeout",
    "headers": "#field-headers", "body": "#field-body", "extract": "#field-extract",
}


class StepEditor(Screen[Step | None]):
    """Edits `step` of `suite`, or a new step when `step` is None.

    `save` writes the built step and returns None, or a message that is shown while the
    editor stays open, such as a file that could not be written.
    """

    # Compact, borderless fields keep the form short enough to see most of it at 80x24.
    # A focused field is shown by its background, and the buttons stay below the form.
    DEFAULT_CSS = """
    StepEditor #editor-title {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    StepEditor #editor-errors {
        height: auto;
        max-height: 5;
        padding: 0 1;
        color: $text-error;
    }
    StepEditor #editor-form {
        height: 1fr;
        padding: 0 1;
    }
    StepEditor .form-row {
        height: auto;
        margin-bottom: 1;
    }
    StepEditor .field-label {
        width: 10;
    }
    StepEditor .form-row Input {
        width: 1fr;
    }
    StepEditor #field-method {
        width: 12;
        margin-right: 2;
    }
    StepEditor #timeout-label {
        width: 8;
    }
    StepEditor #field-timeout {
        width: 10;
    }
    StepEditor #field-headers, StepEditor #field-extract {
        height: 3;
    }
    StepEditor #field-body {
        height: 5;
    }
    StepEditor #body-status {
        height: 1;
    }
    StepEditor .section-label, StepEditor AssertionEditor {
        margin-top: 1;
    }
    StepEditor #step-auth RadioSet {
        margin-bottom: 1;
    }
    StepEditor #editor-form .-textual-compact:focus,
    StepEditor #editor-form Select:focus > SelectCurrent {
        background: $accent 30%;
    }
    StepEditor #editor-form .-invalid,
    StepEditor #editor-form Select.-invalid > SelectCurrent {
        background: $error 30%;
    }
    /* Textual 8 gives a Select's option list `constrain: none inside`, which moves it up
       to fit the screen, and the screen includes the buttons and the Footer. The move
       counts the margin as part of the list, so the list ends above those two rows. */
    StepEditor Select > SelectOverlay {
        margin-bottom: 2;
    }
    StepEditor #editor-buttons {
        height: 1;
        padding: 0 1;
        align-horizontal: right;
    }
    StepEditor #editor-buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="step_editor.save"),
        Binding("escape", "cancel", "Cancel", id="step_editor.cancel"),
        Binding("ctrl+n", "add_assertion", "Add assertion", id="step_editor.add_assertion"),
    ]

    def __init__(self, suite: Suite, step: Step | None, save: Callable[[Step], str | None]) -> None:
        super().__init__()
        self.suite = suite
        self.step = step
        self.save_step = save
        self.initial = StepFields.from_step(step) if step is not None else StepFields()
        self.fields = StepFields.from_step(step) if step is not None else StepFields()

    def compose(self) -> ComposeResult:
        action = f"Edit step '{self.step.name}'" if self.step is not None else "New step"
        yield Static(literal_text(f"{action} of suite '{self.suite.name}'", "bold"), id="editor-title")
        yield Static("", id="editor-errors", markup=False)
        # Each field scrolls the form to itself when it gets the focus, so the form is no tab stop.
        with VerticalScroll(id="editor-form", can_focus=False):
            with Horizontal(classes="form-row"):
                yield Label("Name", classes="field-label")
                yield Input(self.fields.name, placeholder="a name unique in the suite", id="field-name",
                            compact=True)
            with Horizontal(classes="form-row"):
                yield Label("Method", classes="field-label")
                yield Select([(method, method) for method in HTTP_METHODS], allow_blank=False,
                             value=self._method_choice(), id="field-method", compact=True)
                yield Label("Timeout", id="timeout-label")
                yield Input(self.fields.timeout, placeholder="seconds", id="field-timeout", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("URL", classes="field-label")
                yield Input(self.fields.url, placeholder="/posts/{{post_id}} or a full URL", id="field-url",
                            compact=True)
            yield Label("Headers, one 'Name: value' per line", markup=False)
            yield TextArea(self.fields.headers, id="field-headers", soft_wrap=True, compact=True)
            yield Label("Body", id="body-label", classes="section-label")
            yield TextArea(self.fields.body, id="field-body", soft_wrap=True, compact=True)
            yield Static("", id="body-status", markup=False)
            yield Label("Extract, one 'variable: $.path' per line", markup=False)
            yield TextArea(self.fields.extract, id="field-extract", soft_wrap=True, compact=True)
            yield AssertionEditor(self.fields.assertions, id="field-assertions")
            inherit = self.step is None or self.step.auth is None
            yield Checkbox("Use the run's authentication", value=inherit, id="auth-inherit", compact=True,
                           classes="section-label")
            yield AuthForm(None if inherit else self.step.auth, id="step-auth", hint=AUTH_HINT,
                           check_environment=False, compact=True)
        with Horizontal(id="editor-buttons"):
            yield Button("Save (ctrl+s)", variant="primary", id="editor-save", compact=True)
            yield Button("Cancel (esc)", id="editor-cancel", compact=True)
        yield Footer(compact=True)

    def _method_choice(self) -> str:
        method = self.fields.method.upper()
        return method if method in HTTP_METHODS else HTTP_METHODS[0]

    def on_mount(self) -> None:
        self.query_one("#step-auth", AuthForm).display = not self.query_one("#auth-inherit", Checkbox).value
        self._check_body()
        self.query_one("#field-name", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "editor-save":
            self.action_save()
        elif event.button.id == "editor-cancel":
            self.action_cancel()

    # Live checks

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "auth-inherit":
            self.query_one("#step-auth", AuthForm).display = not event.value

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id in ("field-body", "field-headers"):
            self._check_body()

    def _check_body(self) -> None:
        """Say under the body whether it is valid JSON, when the Content-Type header says JSON."""
        headers = parse_lines(self.query_one("#field-headers", TextArea).text, "headers", "")
        status = self.query_one("#body-status", Static)
        if isinstance(headers, FormError) or not is_json_content(headers):
            status.update("")
            return
        problem = body_error(self.query_one("#field-body", TextArea).text, headers)
        status.update(Text(f"✗ {problem}", style="red") if problem else Text("✓ valid JSON", style="green"))

    # Saving

    def read_fields(self) -> StepFields:
        method = self.query_one("#field-method", Select)
        return StepFields(
            name=self.query_one("#field-name", Input).value,
            method="" if method.is_blank() else str(method.value),
            url=self.query_one("#field-url", Input).value,
            headers=self.query_one("#field-headers", TextArea).text,
            body=self.query_one("#field-body", TextArea).text,
            extract=self.query_one("#field-extract", TextArea).text,
            timeout=self.query_one("#field-timeout", Input).value,
            assertions=self.query_one(AssertionEditor).items,
            description=self.initial.description,
        )

    def read_auth(self) -> Auth | None | FormError:
        if self.query_one("#auth-inherit", Checkbox).value:
            return None
        auth = self.query_one("#step-auth", AuthForm).read()
        if isinstance(auth, FieldError):
            return FormError("auth", f"Auth: {auth.message}")
        return auth

    def action_save(self) -> None:
        """Check every field and save; on any problem the editor stays open and lists them."""
        if self.step is not None and not self._changed():
            self.notify("No changes to save.", markup=False)
            self.dismiss(None)
            return
        others = [step.name for step in self.suite.steps if self.step is None or step.name != self.step.name]
        result = build_step(self.read_fields(), self.read_auth(), others)
        if isinstance(result, list):
            self.show_errors(result)
            return
        problem = self.save_step(result)
        if problem is not None:
            self.show_errors([FormError("file", problem)], focus=False)
            return
        self.dismiss(result)

    def show_errors(self, errors: list[FormError], *, focus: bool = True) -> None:
        self.query_one("#editor-errors", Static).update(Text("\n".join(error.message for error in errors)))
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        for error in errors:
            widget = self._widget_for(error.field)
            if widget is not None:
                widget.add_class("-invalid")
        if focus and errors:
            self._focus_field(errors[0].field)

    def _widget_for(self, field: str) -> Widget | None:
        if field in FIELD_WIDGETS:
            return self.query_one(FIELD_WIDGETS[field])
        return None

    def _focus_field(self, field: str) -> None:
        if field.startswith("assert["):
            self.query_one(AssertionEditor).select(int(field[len("assert["):-1]))
        elif field == "auth":
            self.query_one("#step-auth", AuthForm).focus_first()
        elif (widget := self._widget_for(field)) is not None:
            widget.focus()

    # Other actions

    def action_add_assertion(self) -> None:
        self.query_one(AssertionEditor).add()

    def action_cancel(self) -> None:
        """Close without saving, asking first when a field was changed."""
        if not self._changed():
            self.dismiss(None)
            return

        def discard(confirmed: bool | None) -> None:
            if confirmed:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard the changes to this step?", yes="Discard", no="Keep editing"),
                             discard)

    def _changed(self) -> bool:
        return self.read_fields() != self.initial or self.read_auth() != (self.step.auth if self.step else None)

    def palette_commands(self) -> Iterator[SystemCommand]:
        """Yield a command palette entry for each action of the editor."""
        editor = self.query_one(AssertionEditor)
        yield SystemCommand("Save step", "Check the fields and save the step to its suite file (ctrl+s)",
                            self.action_save)
        yield SystemCommand("Cancel editing", "Close the editor without saving (escape)", self.action_cancel)
        yield SystemCommand("Add assertion", "Add an assertion after the highlighted one (ctrl+n)",
                            self.action_add_assertion)
        yield SystemCommand("Delete assertion", "Delete the highlighted assertion (delete in the list)",
                            editor.delete)
        yield SystemCommand("Move assertion up", "Move the highlighted assertion up ([ in the list)",
                            lambda: editor.move(-1))
        yield SystemCommand("Move assertion down", "Move the highlighted assertion down (] in the list)",
                            lambda: editor.move(1))
