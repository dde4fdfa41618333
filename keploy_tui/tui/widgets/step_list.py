"""The report detail's step table: steps grouped under a row per suite, with outcome, status and time."""

from __future__ import annotations

from urllib.parse import urlsplit

from rich.text import Text

from keploy_tui.model import Report, StepResult
from keploy_tui.tui.validation import literal_text
from keploy_tui.tui.widgets.row_table import RowTable

SUITE_ROW_PREFIX = "suite:"
PATH_WIDTH = 33
"""Width of the Step / path column at 80 columns; a wider terminal gives it the extra columns."""
_OTHER_COLUMNS = 47
"""Cells the other columns, their padding and the scrollbar take, so at 80 columns the path gets 33."""
COLUMN_KEYS = ("result", "method", "path", "status", "time", "attempts")
NO_CHECKS = " (no checks)"
"""Mark after the Step / path of a step that got a response but has no assertions, as `keploy-tui run` prints it."""


def step_key(step: StepResult) -> str:
    return f"step:{step.suite_index}:{step.index}"


def outcome_text(step: StepResult) -> Text:
    if not step.attempts:
        return Text("—", style="dim")
    if step.flaky:
        return Text("FLAKY", style="bold yellow")
    return Text("PASS", style="bold green") if step.passed else Text("FAIL", style="bold red")


def has_no_checks(step: StepResult) -> bool:
    """Tell whether the latest attempt got a response but has no assertions, so it passed on any status."""
    return step.latest is not None and step.latest.unchecked


def step_path(step: StepResult) -> str:
    """Return the path and query the latest attempt requested, else the URL as the suite wrote it."""
    attempt = step.latest
    if attempt is not None and attempt.request is not None:
        parts = urlsplit(attempt.request.url)
        return parts.path + (f"?{parts.query}" if parts.query else "") or "/"
    return step.url


class StepList(RowTable):
    """Steps of one report in suite order. Suite rows are headings that the cursor may rest on."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.steps: dict[str, StepResult] = {}
        self.path_width = PATH_WIDTH
        self._report: Report | None = None

    def on_mount(self) -> None:
        self.add_column(Text("Result"), key="result", width=6)
        self.add_column(Text("Method"), key="method", width=6)
        self.add_column(Text("Step / path"), key="path", width=self.path_width)
        self.add_column(Text("HTTP"), key="status", width=4)
        self.add_column(Text("Time"), key="time", width=8)
        self.add_column(Text("Att"), key="attempts", width=3)

    def show_report(self, report: Report) -> None:
        """Show `report`'s steps, keeping the cursor on the same step when it is still there.

        A running report is shown again every second. When it only grew at the end of
        its last suite and changed steps in place, the rows are updated rather than
        rebuilt, because rebuilding thousands of rows each second made keys lag.
        """
        self._report = report
        if not self._update_in_place(report):
            self._rebuild(report)

    def on_resize(self) -> None:
        width = max(PATH_WIDTH, self.size.width - _OTHER_COLUMNS)
        if width == self.path_width:
            return
        self.path_width = width
        self.columns["path"].width = width
        if self._report is not None:
            self._rebuild(self._report)

    def _update_in_place(self, report: Report) -> bool:
        steps = sorted(report.steps, key=lambda item: (item.suite_index, item.index))
        shown_suites = [key for key in self.rows if str(key.value).startswith(SUITE_ROW_PREFIX)]
        if not self.steps or len(shown_suites) != len(report.suites):
            return False
        last_suite = len(report.suites) - 1
        new = [step for step in steps if step_key(step) not in self.steps]
        if any(step.suite_index != last_suite for step in new) or len(steps) - len(new) != len(self.steps):
            return False
        if new and self.steps and max(_position(key) for key in self.steps) > _position(step_key(new[0])):
            return False
        for step in steps:
            key = step_key(step)
            previous = self.steps.get(key)
            if previous is None:
                continue
            self.steps[key] = step
            if _row_state(previous) != _row_state(step):
                for column, cell in zip(COLUMN_KEYS, self.row_cells(step)):
                    self.update_cell(key, column, cell)
        for step in new:
            self._add_step_row(step)
        for suite_index, summary in enumerate(report.suites):
            self.update_cell(f"{SUITE_ROW_PREFIX}{suite_index}", "path",
                             _suite_heading(summary.name, f"{summary.passed}/{summary.total} passed", self.path_width))
        return True

    def _rebuild(self, report: Report) -> None:
        current = self.highlighted_key()
        self.clear()
        self.steps = {}
        by_suite: dict[int, list[StepResult]] = {}
        for step in report.steps:
            by_suite.setdefault(step.suite_index, []).append(step)
        for suite_index, summary in enumerate(report.suites):
            steps = sorted(by_suite.pop(suite_index, []), key=lambda item: item.index)
            self._add_suite_row(suite_index, summary.name, f"{summary.passed}/{summary.total} passed")
            for step in steps:
                self._add_step_row(step)
        # Steps whose suite index has no summary still get shown, under their own suite name.
        for suite_index, steps in sorted(by_suite.items()):
            self._add_suite_row(suite_index, steps[0].suite, "")
            for step in sorted(steps, key=lambda item: item.index):
                self._add_step_row(step)
        if current is not None and current in self.rows:
            self.move_cursor(row=self.get_row_index(current), animate=False)

    def _add_suite_row(self, suite_index: int, name: str, counts: str) -> None:
        heading = _suite_heading(name, counts, self.path_width)
        self.add_row(Text("▸", style="bold"), Text(""), heading, Text(""), Text(""), Text(""),
                     key=f"{SUITE_ROW_PREFIX}{suite_index}")

    def _add_step_row(self, step: StepResult) -> None:
        key = step_key(step)
        self.steps[key] = step
        self.add_row(*self.row_cells(step), key=key)

    def row_cells(self, step: StepResult) -> list[Text]:
        attempt = step.latest
        status = Text("")
        duration = Text("")
        if attempt is not None:
            if attempt.response is not None:
                code = attempt.response.status
                status = Text(str(code), style="green" if code < 400 else "red")
            else:
                status = Text("ERR", style="red")
            duration = Text(f"{attempt.duration_ms:.0f} ms", justify="right")
        # Several steps of a suite often call one path, so the step's name comes first.
        path = literal_text(step.step)
        path.append_text(literal_text(f" {step_path(step)}", "dim"))
        if has_no_checks(step):
            # The mark goes after the cut, so a long name or path cannot push it out of view.
            path.truncate(self.path_width - len(NO_CHECKS), overflow="ellipsis")
            path.append(NO_CHECKS, style="yellow")
        else:
            path.truncate(self.path_width, overflow="ellipsis")
        return [outcome_text(step), literal_text(step.method or "?"), path, status, duration,
                Text(str(len(step.attempts)), justify="right")]

    def highlighted_key(self) -> str | None:
        if not self.row_count:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)

    def highlighted_step(self) -> StepResult | None:
        key = self.highlighted_key()
        return None if key is None else self.steps.get(key)

    def select_step(self, suite_index: int, index: int) -> bool:
        key = f"step:{suite_index}:{index}"
        if key not in self.rows:
            return False
        self.move_cursor(row=self.get_row_index(key), animate=False)
        return True

    def jump_to_failure(self, forward: bool = True) -> bool:
        """Move to the next (or previous) failed step, wrapping around. Returns False when no step failed."""
        keys = [str(row.key.value) for row in self.ordered_rows]
        failing = [position for position, key in enumerate(keys)
                   if key in self.steps and self.steps[key].attempts and not self.steps[key].passed]
        if not failing:
            return False
        current = self.cursor_row
        if forward:
            target = next((position for position in failing if position > current), failing[0])
        else:
            target = next((position for position in reversed(failing) if position < current), failing[-1])
        self.move_cursor(row=target, animate=False)
        return True


def _suite_heading(name: str, counts: str, width: int) -> Text:
    """Return the suite's name and counts in `width` cells, cutting the name so the counts show."""
    counts = f"  {counts}"
    heading = literal_text(name, "bold")
    heading.truncate(max(1, width - len(counts)), overflow="ellipsis")
    heading.append(counts, style="dim")
    heading.truncate(width, overflow="ellipsis")
    return heading


def _row_state(step: StepResult) -> tuple[int, bool, float | None, bool]:
    """Return what a step's row shows that a re-run or a finishing attempt can change."""
    latest = step.latest
    return len(step.attempts), step.passed, None if latest is None else latest.duration_ms, has_no_checks(step)


def _position(key: str) -> tuple[int, int]:
    """Return the suite index and step index in a step row's key."""
    _, suite_index, index = key.split(":")
    return int(suite_index), int(index)
