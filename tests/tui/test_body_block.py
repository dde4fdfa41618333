"""BodyBlock: long bodies folded at the pane's width, highlighted per line, shown literally."""

from rich.console import Console
from rich.highlighter import JSONHighlighter
from rich.style import Style

from keploy_tui.tui.widgets.body_block import BodyBlock

CONSOLE = Console(width=80, color_system="truecolor")


def row_text(block, index, row, width):
    return "".join(segment.text for segment in block.row_segments(index, row, width, CONSOLE, Style()))


def test_ascii_line_folds_at_width():
    block = BodyBlock("a" * 25 + "\nshort")

    assert block.row_counts(10) == [3, 1]
    assert [row_text(block, 0, row, 10) for row in range(3)] == ["a" * 10, "a" * 10, "a" * 5]
    assert row_text(block, 1, 0, 10) == "short"


def test_wide_characters_fold_by_cells():
    block = BodyBlock("漢字" * 5)

    # Each character takes two cells, so ten characters need twenty cells: three rows at 8.
    assert block.row_counts(8) == [3]
    assert [row_text(block, 0, row, 8) for row in range(3)] == ["漢字漢字", "漢字漢字", "漢字"]


def test_empty_line_takes_one_row():
    assert BodyBlock("a\n\nb").row_counts(10) == [1, 1, 1]


def test_json_keys_are_highlighted():
    block = BodyBlock('  "name": [bold]x', JSONHighlighter())

    segments = block.row_segments(0, 0, 40, CONSOLE, Style())
    key = next(segment for segment in segments if segment.text == '"name"')
    assert key.style is not None and key.style.bold
    # Markup in a body stays text.
    assert "".join(segment.text for segment in segments) == '  "name": [bold]x'


def test_truncation_note_shows_bytes_when_sizes_round_alike():
    from keploy_tui.tui.widgets.body_text import body_renderable

    note = body_renderable("x" * 1_048_576, truncated=True, size=1_062_491).renderables[0]

    assert note.plain == "Truncated: the report keeps the first 1,048,576 B of 1,062,491 B."
