"""The step editor's assertion list: a table of the assertions and fields for the highlighted one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Select

from keploy_tui.model.suite import ASSERTION_TYPES
from keploy_tui.tui.step_form import EXPECTED_HINTS, KEY_HINTS, AssertionFields
from keploy_tui.tui.validation import literal_text

COLUMNS = ("#", "Type", "Key", "Expected")
NO_KEY_HINT = "(not used by this type)"
CELL_LIMIT = 40


class AssertionTable(DataTable):
    """The list of assertions; its keys move and delete the highlighted one."""

    # At 80 columns the Footer has no room for [ and ] beside the editor's and the app's
    # keys, so they are left to the label above the table and to the Help screen.
    BINDINGS = [
        Binding("left_square_bracket", "move(-1)", "Move up", key_display="[", show=False,
                id="step_editor.assertion_up"),
        Binding("right_square_bracket", "move(1)", "Move down", key_display="]", show=False,
                id="step_editor.assertion_down"),
        Binding("delete", "delete_assertion", "Delete", id="step_editor.assertion_delete"),
    ]

    def action_move(self, offset: int) -> None:
        self._editor.move(offset)

    def action_delete_assertion(self) -> None:
        self._editor.delete()

    @property
    def _editor(self) -> AssertionEditor:
        return self.query_ancestor(AssertionEditor)


class AssertionEditor(Vertical):
    """Edits a list of AssertionFields in place: `items` is always the current list."""

    DEFAULT_CSS = """
    AssertionEditor {
        height: auto;
    }
    AssertionEditor AssertionTable {
        height: 6;
    }
    AssertionEditor .form-row {
        height: auto;
        margin-top: 1;
    }
    AssertionEditor .field-label {
        width: 10;
    }
    AssertionEditor #assertion-type {
        width: 22;
        margin-right: 1;
    }
    AssertionEditor .form-row Input {
        width: 1fr;
    }
    """

    def __init__(self, items: list[AssertionFields], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items = items
        self.current: int | None = 0 if items else None

    def compose(self) -> ComposeResult:
        yield Label("Assertions: [ and ] move, delete removes, ctrl+n adds", markup=False)
        yield AssertionTable(id="assertion-table", cursor_type="row")
        with Horizontal(classes="form-row"):
            yield Label("Type", classes="field-label")
            yield Select([(kind, kind) for kind in ASSERTION_TYPES], allow_blank=False, id="assertion-type",
                         compact=True)
            yield Input(placeholder=NO_KEY_HINT, id="assertion-key", compact=True)
        with Horizontal(classes="form-row"):
            yield Label("Expected", classes="field-label")
            yield Input(id="assertion-expected", compact=True)
        with Horizontal(classes="form-row"):
            yield Label("Ignore", classes="field-label")
            yield Input(placeholder="JSON paths to skip, comma-separated, e.g. $.createdAt", id="assertion-ignore",
                        compact=True)

    @property
    def table(self) -> AssertionTable:
        return self.query_one(AssertionTable)

    def on_mount(self) -> None:
        for label in COLUMNS:
            self.table.add_column(Text(label), key=label)
        self._rebuild()

    def _rebuild(self) -> None:
        table = self.table
        table.clear()
        for index, item in enumerate(self.items):
            table.add_row(*self._cells(index, item), key=str(index))
        if self.current is not None and self.items:
            self.current = min(self.current, len(self.items) - 1)
            table.move_cursor(row=self.current, animate=False)
        self._load_fields()

    def _cells(self, index: int, item: AssertionFields) -> list[Text]:
        expected = item.expected if len(item.expected) <= CELL_LIMIT else item.expected[:CELL_LIMIT] + "…"
        return [Text(str(index + 1)), literal_text(item.type), literal_text(item.key or "–"), literal_text(expected)]

    def _load_fields(self) -> None:
        item = self.items[self.current] if self.current is not None and self.items else None
        for widget_id in ("assertion-type", "assertion-key", "assertion-expected", "assertion-ignore"):
            self.query_one(f"#{widget_id}").disabled = item is None
        if item is None:
            return
        self.query_one("#assertion-type", Select).value = item.type
        self.query_one("#assertion-key", Input).value = item.key
        self.query_one("#assertion-expected", Input).value = item.expected
        self.query_one("#assertion-ignore", Input).value = item.ignore
        self._show_hints(item.type)

    def _show_hints(self, kind: str) -> None:
        self.query_one("#assertion-key", Input).placeholder = KEY_HINTS.get(kind, NO_KEY_HINT)
        self.query_one("#assertion-expected", Input).placeholder = EXPECTED_HINTS.get(kind, "")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.row_key.value is not None and int(event.row_key.value) != self.current:
            self.current = int(event.row_key.value)
            self._load_fields()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.current is None or event.select.is_blank():
            return
        self.items[self.current].type = str(event.select.value)
        self._show_hints(self.items[self.current].type)
        self._update_row()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.current is None or event.input.id not in ("assertion-key", "assertion-expected", "assertion-ignore"):
            return
        event.stop()
        # The widget's value now, not the event's: the selection may have moved since it was posted.
        item = self.items[self.current]
        field = event.input.id.removeprefix("assertion-")
        setattr(item, field, event.input.value)
        self._update_row()

    def _update_row(self) -> None:
        if self.current is None:
            return
        row_key = str(self.current)
        for label, cell in zip(COLUMNS, self._cells(self.current, self.items[self.current])):
            self.table.update_cell(row_key, label, cell)

    def add(self) -> None:
        """Add a status_code assertion after the highlighted one and select its expected value."""
        position = len(self.items) if self.current is None else self.current + 1
        self.items.insert(position, AssertionFields(type="status_code", expected="200"))
        self.current = position
        self._rebuild()
        self.query_one("#assertion-expected", Input).focus()

    def delete(self) -> None:
        if self.current is None:
            return
        del self.items[self.current]
        self.current = min(self.current, len(self.items) - 1) if self.items else None
        self._rebuild()

    def move(self, offset: int) -> None:
        if self.current is None:
            return
        target = self.current + offset
        if not 0 <= target < len(self.items):
            return
        self.items[self.current], self.items[target] = self.items[target], self.items[self.current]
        self.current = target
        self._rebuild()

    def select(self, index: int) -> None:
        """Highlight assertion `index` and focus its expected value, to show where an error is."""
        if 0 <= index < len(self.items):
            self.current = index
            self._rebuild()
            self.query_one("#assertion-expected", Input).focus()
