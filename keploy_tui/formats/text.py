"""Making text from servers, suites and users safe to show on a terminal."""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 and C1 control characters except tab and newline. A terminal acts on them (an
ESC starts an escape sequence), and Textual 8.2.8 writes them through unchanged."""


def escape_controls(text: str) -> str:
    """Return `text` with each control character written as a visible `\\xNN` escape."""
    return CONTROL_CHARACTERS.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
