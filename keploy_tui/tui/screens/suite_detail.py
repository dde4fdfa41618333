"""A read-only view of one suite: its steps, and the request and checks of the highlighted step."""

from __future__ import annotations

import json
from collections.abc import Iterator

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from keploy_tui.model import Auth, Step, Suite
from keploy_tui.tui.validation import literal_text
from keploy_tui.tui.widgets.row_table import RowTable

STEP_COLUMNS = ("#", "Step", "Method", "URL", "Asserts", "Auth")
SECRET_NAMES = {"bearer": "token", "basic": "password", "api_key": "value"}


def auth_label(auth: Auth | None) -> str:
    """Return the Auth column text: "inherit" for a step that uses the run's auth, else the kind."""
    return "inherit" if auth is None else auth.kind


def describe_auth(auth: Auth | None) -> str:
    """Return where a step's credentials come from, never the secret itself."""
    if auth is None:
        return "inherits the run's authentication"
    if auth.kind == "none":
        return "none: the run's authentication is not sent"
    secret = SECRET_NAMES.get(auth.kind)
    if secret is None:
        return auth.kind
    env_name = getattr(auth, f"{secret}_env")
    if getattr(auth, secret) is not None:
        source = f"{secret} written in the suite (hidden)"
    elif env_name:
        source = f"{secret} from ${env_name}"
    else:
        source = f"no {secret} given"
    if auth.kind == "basic":
        return f"basic, user {auth.username or '(none)'}, {source}"
    if auth.kind == "api_key":
        return f"API key {auth.name or '(no name)'} in {auth.location}, {source}"
    return f"bearer, {source}"


def _sections(sections: list[tuple[str, list[RenderableType]]]) -> list[RenderableType]:
    """Return each section as a bold heading and its lines, a blank line before each.

    An empty section is one "(none)" line, and consecutive empty sections share the
    blank line above them, so the sections that have content stay in view at 24 rows.
    """
    parts: list[RenderableType] = []
    previous_empty = False
    for title, lines in sections:
        spacer = "" if previous_empty and not lines else "\n"
        if lines:
            parts.extend([Text(f"{spacer}{title}", style="bold"), *lines])
        else:
            parts.append(Text.assemble(spacer, Text(title, style="bold"), Text("  (none)", style="dim")))
        previous_empty = not lines
    return parts


def _body_text(body: str) -> Text:
    """Return the body as written, or indented when it is a JSON document."""
    try:
        return literal_text(json.dumps(json.loads(body), indent=2, ensure_ascii=False))
    except ValueError:
        # Bodies with unquoted {{variables}} are not JSON until substituted.
        return literal_text(body)


def step_details(step: Step, position: int) -> RenderableType:
    """Render a step's request, extractions and assertions as literal text."""
    title = Text.assemble(Text(f"Step {position}: ", style="bold"), literal_text(step.name, "bold"))
    request = Text.assemble(literal_text(step.method.upper(), "bold"), " ", literal_text(step.url))
    parts: list[RenderableType] = [title, request, literal_text(f"Auth: {describe_auth(step.auth)}")]
    if step.timeout is not None:
        parts.append(Text(f"Timeout: {step.timeout:g} s"))

    headers = [literal_text(f"{name}: {value}") for name, value in step.headers.items()]
    extract = [literal_text(f"{name} ← {path}") for name, path in step.extract.items()]
    parts.extend(_sections([
        ("Headers", headers),
        ("Body", [_body_text(step.body)] if step.body is not None else []),
        ("Extract", extract),
        (f"Assertions ({len(step.assertions)})", [_assertion_table(step)] if step.assertions else []),
    ]))
    return Group(*parts)


def _assertion_table(step: Step) -> Table:
    table = Table(box=None, show_edge=False, pad_edge=False, expand=False)
    for column in ("Type", "Key", "Expected"):
        table.add_column(column, header_style="dim", overflow="fold")
    for assertion in step.assertions:
        expected = literal_text(assertion.expected if assertion.expected is not None else "")
        if assertion.ignore:
            expected.append_text(literal_text(f"\nignore: {', '.join(assertion.ignore)}", "dim"))
        table.add_row(literal_text(assertion.type), literal_text(assertion.key or "–"), expected)
    return table


class SuiteDetailScreen(Screen):
    """Show a suite's name, description, source and steps, and the highlighted step in full."""

    DEFAULT_CSS = """
    SuiteDetailScreen #suite-info {
        height: auto;
        max-height: 5;
        padding: 0 1;
        background: $boost;
    }
    SuiteDetailScreen #steps {
        height: 1fr;
        min-height: 4;
    }
    SuiteDetailScreen #step-detail {
        height: 1fr;
        padding: 0 1;
        border-top: solid $secondary;
    }
    SuiteDetailScreen #step-detail:focus {
        border-top: solid $accent;
    }
    """

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="suite_detail.back"),
        Binding("d", "focus_detail", "Switch pane", id="suite_detail.switch_pane"),
        Binding("e", "edit_step", "Edit", id="suite_detail.edit_step"),
        Binding("n", "new_step", "New step", id="suite_detail.new_step"),
        Binding("delete,x", "delete_step", "Delete", key_display="x", id="suite_detail.delete_step"),
        Binding("left_square_bracket", "move_step(-1)", "Move up", key_display="[", show=False,
                id="suite_detail.move_up"),
        Binding("right_square_bracket", "move_step(1)", "Move down", key_display="]", show=False,
                id="suite_detail.move_down"),
        Binding("u", "undo_save", "Undo save", show=False, id="suite_detail.undo_save"),
    ]
    HELP_NOTES = [("↑/↓", "Move through the steps, or scroll the detail after d")]
    """Rows the Help screen lists before the bindings, for the keys that Textual's widgets handle."""

    def __init__(self, suite: Suite) -> None:
        super().__init__()
        self.suite = suite

    def compose(self) -> ComposeResult:
        yield Static(self._suite_info(), id="suite-info", markup=False)
        yield RowTable(id="steps", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="step-detail"):
            yield Static(id="step-text", markup=False)
        # Compact, so that ? Help fits in it at 80 columns.
        yield Footer(compact=True)

    def _suite_info(self) -> Text:
        suite = self.suite
        info = Text.assemble(Text("Suite: ", style="dim"), literal_text(suite.name, "bold"))
        if suite.description:
            info.append("\n")
            info.append_text(literal_text(suite.description))
        source = suite.source or "(not from a file)"
        if suite.source and suite.line:
            source = f"{source}:{suite.line}"
        count = len(suite.steps)
        info.append("\n")
        info.append_text(Text.assemble(
            Text("Source: ", style="dim"), literal_text(source),
            Text(f"   {count} step{'s' if count != 1 else ''}", style="dim"),
        ))
        return info

    def on_mount(self) -> None:
        table = self.query_one("#steps", DataTable)
        for label in STEP_COLUMNS:
            table.add_column(Text(label), key=label)
        self._fill_table()
        table.focus()

    def _fill_table(self) -> None:
        table = self.query_one("#steps", DataTable)
        table.clear()
        for index, step in enumerate(self.suite.steps):
            table.add_row(
                Text(str(index + 1)), literal_text(step.name), literal_text(step.method.upper()),
                literal_text(step.url), Text(str(len(step.assertions))), Text(auth_label(step.auth)),
                key=str(index),
            )
        if not self.suite.steps:
            self.query_one("#step-text", Static).update(Text("This suite has no steps.", style="dim"))

    def suites_replaced(self) -> None:
        """Show the suite as the app now has it, after a save or an undo, keeping the cursor row."""
        fresh = getattr(self.app, "suite_by_key", lambda key: None)(self.suite.key)
        if fresh is None:
            return
        table = self.query_one("#steps", DataTable)
        row = table.cursor_row
        self.suite = fresh
        self._fill_table()
        self.query_one("#suite-info", Static).update(self._suite_info())
        if self.suite.steps:
            table.move_cursor(row=min(row, len(self.suite.steps) - 1), animate=False)
            self._show_step(table.cursor_row)

    def select_step_named(self, name: str) -> None:
        names = [step.name for step in self.suite.steps]
        if name in names:
            self.query_one("#steps", DataTable).move_cursor(row=names.index(name), animate=False)

    def highlighted_index(self) -> int | None:
        table = self.query_one("#steps", DataTable)
        return table.cursor_row if self.suite.steps and 0 <= table.cursor_row < len(self.suite.steps) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is None:
            return
        self._show_step(int(event.row_key.value))

    def _show_step(self, index: int) -> None:
        self.query_one("#step-text", Static).update(step_details(self.suite.steps[index], index + 1))
        self.query_one("#step-detail", VerticalScroll).scroll_home(animate=False)

    def action_back(self) -> None:
        self.dismiss()

    def action_focus_detail(self) -> None:
        """Move focus between the step table and the detail pane, which scrolls with the arrow keys."""
        detail = self.query_one("#step-detail", VerticalScroll)
        if detail.has_focus:
            self.query_one("#steps", DataTable).focus()
        else:
            detail.focus()

    # Editing, through the app's SuiteEdits

    def action_edit_step(self) -> None:
        from keploy_tui.tui.step_actions import edit_step

        index = self.highlighted_index()
        if index is None:
            self.notify("Highlight a step to edit it.", severity="warning", markup=False)
            return
        edit_step(self, self.suite, self.suite.steps[index])

    def action_new_step(self) -> None:
        from keploy_tui.tui.step_actions import new_step

        index = self.highlighted_index()
        new_step(self, self.suite, len(self.suite.steps) if index is None else index + 1)

    def action_delete_step(self) -> None:
        from keploy_tui.tui.step_actions import delete_step

        index = self.highlighted_index()
        if index is not None:
            delete_step(self, self.suite, self.suite.steps[index])

    def action_move_step(self, offset: int) -> None:
        from keploy_tui.tui.step_actions import move_step

        index = self.highlighted_index()
        if index is not None and 0 <= index + offset < len(self.suite.steps):
            move_step(self, self.suite, self.suite.steps[index], offset)
            self.query_one("#steps", DataTable).move_cursor(row=index + offset, animate=False)

    def action_undo_save(self) -> None:
        """Undo the newest save of this suite's file, from this session or an earlier one."""
        self.app.edits.undo(self.suite)

    def palette_commands(self) -> Iterator[SystemCommand]:
        """Yield a command palette entry for each action of this screen."""
        yield SystemCommand("Edit step", "Open the highlighted step in the editor (e)", self.action_edit_step)
        yield SystemCommand("New step", "Add a step after the highlighted one (n)", self.action_new_step)
        yield SystemCommand("Delete step", "Delete the highlighted step, after a confirmation (x)",
                            self.action_delete_step)
        yield SystemCommand("Move step up", "Move the highlighted step up ([)", lambda: self.action_move_step(-1))
        yield SystemCommand("Move step down", "Move the highlighted step down (])", lambda: self.action_move_step(1))
        yield SystemCommand("Undo last save", "Restore this suite's file as it was before its last save (u)",
                            self.action_undo_save)
        yield SystemCommand("Switch pane", "Move focus between the steps and the detail (d)", self.action_focus_detail)
