"""Splitting a Postman script into statements, each with the line number it starts on.

Scripts are split line by line, then at the semicolons outside strings and brackets.
A line that starts with `.` continues the statement before it (a chai chain written
over several lines). Comments and blank lines are dropped.
"""

from __future__ import annotations

import re


def statements(lines: list[str]) -> list[tuple[int, str]]:
    """Return (line number, statement) pairs, joining `.and...` continuation lines."""
    statements: list[tuple[int, str]] = []
    in_comment = False
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if in_comment or text.startswith("/*"):
            in_comment = "*/" not in text
            text = text.split("*/", 1)[1].strip() if "*/" in text else ""
        comment = re.search(r"(^|;)\s*//", text)
        if comment:
            text = text[:comment.start()].strip()
        if not text:
            continue
        if text.startswith(".") and statements:
            first, previous = statements[-1]
            statements[-1] = (first, previous.rstrip(";") + text.rstrip(";"))
            continue
        statements.extend((number, piece) for piece in split_semicolons(text))
    return statements


def split_semicolons(text: str) -> list[str]:
    """Split a line at the semicolons outside strings and brackets, tolerating unbalanced brackets."""
    pieces: list[str] = []
    depth = 0
    start = 0
    index = 0
    quote = ""
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"`":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == ";" and depth <= 0:
            pieces.append(text[start:index].strip())
            start = index + 1
        index += 1
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]
