"""JSON paths as Keploy writes them: `$.users.0.id`, where a dot also indexes arrays.

`users.0.id`, `$.users[0].id` and `$["users"][0]["id"]` read the same. `$` or an empty
path is the root. This is the small dialect Keploy suites use, not full JSONPath:
there are no filters, slices or recursive descent. A `*` segment (`$.items[*].id`)
parses, but only ignore-path matching gives it a meaning; `resolve` treats it as a key.
"""

from __future__ import annotations

import functools

import re
from typing import Any

PathPart = str | int

_MAX_KEYS_LISTED = 10
# A key that must be written in brackets to read back as the same key.
_PLAIN_KEY = re.compile(r"[^.\[\]'\"\s]+")


class PathNotFound(LookupError):
    """A path that does not lead to a value in the document."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"path not found: {self.path} ({self.reason})"


class InvalidPath(PathNotFound, ValueError):
    """A path whose syntax cannot be parsed.

    It subclasses PathNotFound so that a caller of `resolve` handles one exception
    for every path that yields no value.
    """

    def __str__(self) -> str:
        return f"invalid JSON path {self.path!r}: {self.reason}"


def parse_path(path: str) -> list[PathPart]:
    """Split a path into keys (str) and array indexes (int).

    A dot segment made only of digits becomes an int. `resolve` still finds it as a key
    in an object, so `$.codes.404` works on `{"codes": {"404": ...}}`.
    Raises InvalidPath on unbalanced brackets, unterminated quotes or empty segments.
    """
    # A suite checks the same few paths on every step, so parsing each once is enough.
    return list(_parse_path(path))


@functools.lru_cache(maxsize=1024)
def _parse_path(path: str) -> tuple[PathPart, ...]:
    text = path.strip()
    start = 1 if text.startswith("$") else 0
    parts: list[PathPart] = []
    position = start
    while position < len(text):
        char = text[position]
        if char == ".":
            position = _read_dot_segment(path, text, position + 1, parts)
        elif char == "[":
            position = _read_bracket_segment(path, text, position + 1, parts)
        elif position == 0:
            # Keploy also writes paths without the leading `$.`, as in `users.0.id`.
            position = _read_dot_segment(path, text, 0, parts)
        else:
            raise InvalidPath(path, f"unexpected {char!r} at position {position}")
    return tuple(parts)


def _read_dot_segment(path: str, text: str, start: int, parts: list[PathPart]) -> int:
    end = start
    while end < len(text) and text[end] not in ".[":
        end += 1
    segment = text[start:end].strip()
    if not segment:
        raise InvalidPath(path, f"empty segment at position {start}")
    parts.append(int(segment) if segment.isdigit() else segment)
    return end


def _read_bracket_segment(path: str, text: str, start: int, parts: list[PathPart]) -> int:
    if start < len(text) and text[start] in "'\"":
        key, after_quote = _read_quoted(path, text, start)
        if after_quote >= len(text) or text[after_quote] != "]":
            raise InvalidPath(path, f"missing ']' after the quoted key at position {start}")
        parts.append(key)
        return after_quote + 1
    end = text.find("]", start)
    if end == -1:
        raise InvalidPath(path, f"missing ']' for the '[' at position {start - 1}")
    segment = text[start:end].strip()
    if segment == "*":
        parts.append("*")
    elif segment.isdigit():
        parts.append(int(segment))
    else:
        raise InvalidPath(path, f"expected an array index or a quoted key in brackets, got [{segment}]")
    return end + 1


def _read_quoted(path: str, text: str, start: int) -> tuple[str, int]:
    """Read a quoted key that starts at its opening quote. A backslash escapes the next character."""
    quote = text[start]
    chars: list[str] = []
    position = start + 1
    while position < len(text):
        char = text[position]
        if char == "\\" and position + 1 < len(text):
            chars.append(text[position + 1])
            position += 2
            continue
        if char == quote:
            return "".join(chars), position + 1
        chars.append(char)
        position += 1
    raise InvalidPath(path, f"unterminated quoted key at position {start}")


def format_path(parts: list[PathPart]) -> str:
    """Join parts back into `$.users.0.id` form, writing keys such as "a.b" in brackets."""
    pieces = ["$"]
    for part in parts:
        if isinstance(part, int) or _PLAIN_KEY.fullmatch(part):
            pieces.append(f".{part}")
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            pieces.append(f'["{escaped}"]')
    return "".join(pieces)


def resolve(data: Any, path: str) -> Any:
    """Return the value at `path` in parsed JSON `data`.

    Raises PathNotFound naming the first part that does not exist and why, or
    InvalidPath (a PathNotFound) when the path cannot be parsed.
    """
    parts = parse_path(path)
    current = data
    for depth, part in enumerate(parts):
        current = _step(current, part, parts, depth)
    return current


def _step(current: Any, part: PathPart, parts: list[PathPart], depth: int) -> Any:
    if isinstance(current, dict):
        key = str(part)
        if key in current:
            return current[key]
        reason = f"no key {key!r} in the object at {format_path(parts[:depth])}{_describe_keys(current)}"
    elif isinstance(current, list):
        if isinstance(part, int) and part < len(current):
            return current[part]
        if isinstance(part, int):
            reason = f"no index {part} in a list of {len(current)} at {format_path(parts[:depth])}"
        else:
            reason = f"{format_path(parts[:depth])} is an array, so {part!r} must be an index"
    else:
        reason = f"the value at {format_path(parts[:depth])} is of type {json_type(current)}, not an object or array"
    raise PathNotFound(format_path(parts), reason)


def json_type(value: Any) -> str:
    """Name the JSON type of a parsed value: string, integer, number, boolean, null, object or array.

    `integer` is a Python int and `number` any other number, so messages can tell 42
    from 42.5. Both are JSON numbers and compare equal by value.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return type(value).__name__


def _describe_keys(obj: dict[str, Any]) -> str:
    if not obj:
        return ", which is empty"
    keys = list(obj)
    listed = ", ".join(keys[:_MAX_KEYS_LISTED])
    if len(keys) > _MAX_KEYS_LISTED:
        listed += f", ... ({len(keys)} keys)"
    return f"; keys: {listed}"
