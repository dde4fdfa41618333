"""The suite list: one DataTable row per suite, keyed by Suite.key, with live badges."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from keploy_tui.tui.validation import literal_text
from keploy_tui.tui.widgets.badge import BADGE_WIDTH, Badge, badge_text

MARK, STATUS, NAME, STEPS, LAST_RUN, RESULT = "mark", "status", "name", "steps", "last_run", "result"

# Label and width by column key. The Suite column takes the width that the others leave.
FIXED_COLUMNS = {
    MARK: ("", 1),
    STATUS: ("Status", BADGE_WIDTH),
    STEPS: ("Steps", 5),
    LAST_RUN: ("Last run", 10),
    RESULT: ("Result", 9),
}
COLUMN_ORDER = (MARK, STATUS, NAME, STEPS, LAST_RUN, RESULT)
MIN_NAME_WIDTH = 12
# Each cell has one cell of padding on either side, and a vertical scrollbar takes two.
CELL_PADDING = 2
SCROLLBAR_WIDTH = 2
MARK_SYMBOL = "●"


@dataclass(frozen=True)
class SuiteRow:
    """The content of one row, built by the screen from the app's state."""

    key: str
    name: str
    steps: int
    marked: bool
    badge: Badge | None
    last_run: str
    result: Text


def row_cells(row: SuiteRow) -> dict[str, Text]:
    """Return each column's cell. Every cell is Text, so a `[bold]` in a suite name shows literally,
    and control characters in it are shown escaped."""
    return {
        MARK: Text(MARK_SYMBOL if row.marked else " ", style="bold yellow"),
        STATUS: badge_text(row.badge),
        NAME: _one_line(literal_text(row.name)),
        STEPS: Text(str(row.steps), justify="right"),
        LAST_RUN: Text(row.last_run, style="dim" if row.last_run == "never" else ""),
        RESULT: row.result,
    }


def _one_line(text: Text) -> Text:
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


class SuiteTable(DataTable):
    """A row-cursor DataTable whose Suite column fills the width the fixed columns leave."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", show=False, id="suites.open"),
        Binding("j", "cursor_down", "Down", show=False, id="suites.down"),
        Binding("k", "cursor_up", "Up", show=False, id="suites.up"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._rows: list[SuiteRow] = []
        self._name_width = MIN_NAME_WIDTH

    def on_mount(self) -> None:
        self._add_columns()

    def on_resize(self, event: events.Resize) -> None:
        width = self._fit_name_width(event.size.width)
        if width != self._name_width:
            self._name_width = width
            # clear() moves the cursor to the first row, so the highlighted suite is read before it.
            highlighted = self.highlighted_key()
            self.clear(columns=True)
            self._add_columns()
            self.show_rows(self._rows)
            self._move_cursor_to(highlighted)

    def highlighted_key(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return None

    def show_rows(self, rows: list[SuiteRow], renamed: dict[str, str] | None = None) -> None:
        """Replace every row, keeping the cursor on the same suite when it is still shown.

        `renamed` maps the old key of a suite whose key changed to its new key.
        """
        highlighted = self.highlighted_key()
        if renamed and highlighted in renamed:
            highlighted = renamed[highlighted]
        self._rows = list(rows)
        self.clear()
        for row in rows:
            cells = row_cells(row)
            self.add_row(*(cells[column] for column in COLUMN_ORDER), key=row.key)
        self._move_cursor_to(highlighted)

    def _move_cursor_to(self, key: str | None) -> None:
        if key is None:
            return
        try:
            self.move_cursor(row=self.get_row_index(key), animate=False)
        except RowDoesNotExist:
            pass

    def update_row(self, row: SuiteRow) -> None:
        """Rewrite the cells of one shown row in place. A row hidden by the filter is left alone."""
        try:
            index = self.get_row_index(row.key)
        except RowDoesNotExist:
            return
        self._rows[index] = row
        cells = row_cells(row)
        for column in COLUMN_ORDER:
            self.update_cell(row.key, column, cells[column])

    def _fit_name_width(self, total: int) -> int:
        fixed = sum(width for _, width in FIXED_COLUMNS.values())
        used = fixed + CELL_PADDING * len(COLUMN_ORDER) + SCROLLBAR_WIDTH
        return max(MIN_NAME_WIDTH, total - used)

    def _add_columns(self) -> None:
        for column in COLUMN_ORDER:
            if column == NAME:
                self.add_column(Text("Suite"), width=self._name_width, key=NAME)
            else:
                label, width = FIXED_COLUMNS[column]
                self.add_column(Text(label), width=width, key=column)
