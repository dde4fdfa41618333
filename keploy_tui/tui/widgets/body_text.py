"""Render request and response bodies for the report panes: pretty JSON, capped, shown literally."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Group, RenderableType
from rich.highlighter import JSONHighlighter
from rich.text import Text

from keploy_tui.tui.validation import literal_text
from keploy_tui.tui.widgets.body_block import BodyBlock

RENDER_LIMIT = 250_000
"""Characters of a body shown in a pane; a longer body is cut with a note. The pane draws
only the rows in view, but re-indenting JSON and splitting it into rows is paid on each
move to the step: 20 to 40 ms for 250,000 characters on a 2-core VM."""
_JSON_HIGHLIGHTER = JSONHighlighter()


def pretty_json(text: str, limit: int | None = None) -> str | None:
    """Return `text` re-indented when it is JSON, else None; with `limit`, at most about that many characters.

    json.dumps with an indent runs the pure-Python encoder (about 80 ms for 1 MB), so
    with a limit the encoding stops once that much is out.
    """
    stripped = text.lstrip("\ufeff").strip()
    if not stripped or stripped[0] not in "[{\"-0123456789tfn":
        return None
    with _cycle_collector_paused():
        try:
            value = json.loads(stripped)
        except ValueError:
            return None
        chunks, length = [], 0
        for chunk in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(value):
            chunks.append(chunk)
            length += len(chunk)
            if limit is not None and length > limit:
                break
        return "".join(chunks)


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    # Parsing a 1 MB body allocates enough objects to start full collections over the
    # whole app's heap, which tripled the time (35 ms to 120 ms). JSON values form no
    # reference cycles, so reference counting alone frees them.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def dump_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def body_renderable(body: str | None, *, base64: bool = False, truncated: bool = False,
                    size: int | None = None) -> RenderableType:
    """Return a body for display: labelled when binary or truncated, re-indented JSON highlighted, capped.

    Control characters are escaped before highlighting, so an ESC never reaches the
    terminal, and the text is never parsed as markup, so `[bold]` stays literal.
    """
    if not body:
        return Text("(empty body)", style="dim")
    notes: list[Text] = []
    if base64:
        notes.append(Text(f"Binary body, {format_size(size or 0)}: stored base64-encoded, shown as stored.",
                          style="yellow"))
    if truncated:
        stored = format_size(len(body.encode("utf-8", "replace")))
        whole = format_size(size or 0)
        if whole == stored:
            # 1,048,576 of 1,062,491 bytes both round to 1.0 MB, which reads as nothing cut.
            stored, whole = f"{len(body.encode('utf-8', 'replace')):,} B", f"{size or 0:,} B"
        notes.append(Text(f"Truncated: the report keeps the first {stored} of {whole}.",
                          style="yellow"))

    pretty = None if base64 else pretty_json(body, RENDER_LIMIT)
    text = pretty if pretty is not None else body
    if len(text) > RENDER_LIMIT:
        notes.append(Text(f"Showing the first {RENDER_LIMIT // 1000} KB of a {format_size(len(body))} body; "
                          "copy the body with b or export the report to see all of it.", style="yellow"))
        text = text[:RENDER_LIMIT]
    shown = BodyBlock(literal_text(text).plain, _JSON_HIGHLIGHTER if pretty is not None else None)
    return Group(*notes, shown) if notes else shown


def headers_text(headers: list[list[str]]) -> Text:
    """Return headers one per line in their stored order, names in bold."""
    text = Text()
    for name, value in headers:
        text.append_text(literal_text(name, "bold"))
        text.append(": ")
        text.append_text(literal_text(value))
        text.append("\n")
    if not headers:
        text.append("(no headers)\n", style="dim")
    return text
