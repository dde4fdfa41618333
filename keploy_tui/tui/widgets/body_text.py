"""Render request and response bodies for the report panes: pretty JSON, capped, shown literally."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text

from keploy_tui.tui.validation import literal_text

RENDER_LIMIT = 64_000
"""Characters of a body drawn in a pane. A longer body is cut with a note: drawing 200,000
characters took about 250 ms a key press (bench/tui_report.py), too slow to move through steps."""
HIGHLIGHT_LIMIT = 50_000
"""Characters up to which a JSON body gets syntax highlighting; longer bodies are drawn as plain text."""
SYNTAX_THEME = "ansi_dark"


def pretty_json(text: str) -> str | None:
    """Return `text` re-indented when it is JSON, else None."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped or stripped[0] not in "[{\"-0123456789tfn":
        return None
    try:
        value = json.loads(stripped)
    except ValueError:
        return None
    return json.dumps(value, indent=2, ensure_ascii=False)


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

    Control characters are escaped before highlighting, because Syntax passes an ESC to
    the terminal unchanged. Syntax never parses markup, so `[bold]` stays literal.
    """
    if not body:
        return Text("(empty body)", style="dim")
    notes: list[Text] = []
    if base64:
        notes.append(Text(f"Binary body, {format_size(size or 0)}: stored base64-encoded, shown as stored.",
                          style="yellow"))
    if truncated:
        stored = format_size(len(body.encode("utf-8", "replace")))
        notes.append(Text(f"Truncated: the report keeps the first {stored} of {format_size(size or 0)}.",
                          style="yellow"))

    pretty = None if base64 else pretty_json(body)
    text = pretty if pretty is not None else body
    if len(text) > RENDER_LIMIT:
        notes.append(Text(f"Showing the first {RENDER_LIMIT // 1000} KB of {len(text) // 1000} KB; "
                          "copy the body with b or export the report to see all of it.", style="yellow"))
        text = text[:RENDER_LIMIT]
    safe = literal_text(text).plain
    if pretty is not None and len(safe) <= HIGHLIGHT_LIMIT:
        shown: RenderableType = Syntax(safe, "json", theme=SYNTAX_THEME, word_wrap=True,
                                       background_color="default")
    else:
        shown = Text(safe)
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
