"""Reading the small pieces of JavaScript that Postman test scripts are made of.

Nothing here runs JavaScript. It recognizes literals, property paths, regular
expression literals, call arguments and chai-style method chains, so that
postman_scripts can turn common test lines into assertions. Anything it does not
recognize raises ValueError, and the caller reports that line as not translated.
"""

from __future__ import annotations

import json
import re
from typing import Any

_CLOSERS = {"(": ")", "[": "]", "{": "}"}
_QUOTES = ("'", '"', "`")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def matching_close(text: str, start: int) -> int:
    """Return the index of the bracket that closes the one at `start`, skipping strings."""
    stack = [_CLOSERS[text[start]]]
    index = start + 1
    while index < len(text):
        char = text[index]
        if char in _QUOTES:
            index = _string_end(text, index)
        elif char in _CLOSERS:
            stack.append(_CLOSERS[char])
        elif char == stack[-1]:
            stack.pop()
            if not stack:
                return index
        elif char in ")]}":
            raise ValueError(f"unbalanced {char!r}")
        index += 1
    raise ValueError("unclosed bracket")


def _string_end(text: str, start: int) -> int:
    quote = text[start]
    index = start + 1
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == quote:
            return index
        index += 1
    raise ValueError("unterminated string")


def split_arguments(text: str) -> list[str]:
    """Split the text between a call's parentheses at its top-level commas."""
    arguments: list[str] = []
    depth_start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char in _QUOTES:
            index = _string_end(text, index)
        elif char in _CLOSERS:
            index = matching_close(text, index)
        elif char == ",":
            arguments.append(text[depth_start:index].strip())
            depth_start = index + 1
        index += 1
    last = text[depth_start:].strip()
    if last or arguments:
        arguments.append(last)
    return arguments


def parse_call(text: str, prefix: str) -> tuple[list[str], str]:
    """Read `prefix(args)` at the start of `text`; return the arguments and the text after it."""
    if not text.startswith(prefix + "("):
        raise ValueError(f"expected {prefix}(...)")
    open_index = len(prefix)
    close_index = matching_close(text, open_index)
    return split_arguments(text[open_index + 1:close_index]), text[close_index + 1:].strip()


def parse_chain(text: str) -> list[tuple[str, list[str] | None]]:
    """Split `.to.have.property('a').that.equals(1)` into (name, arguments or None) pairs."""
    links: list[tuple[str, list[str] | None]] = []
    rest = text.strip()
    while rest:
        match = re.match(r"\.\s*([A-Za-z_$][\w$]*)\s*", rest)
        if match is None:
            raise ValueError(f"cannot read {rest[:30]!r}")
        name = match.group(1)
        rest = rest[match.end():]
        if rest.startswith("("):
            close_index = matching_close(rest, 0)
            links.append((name, split_arguments(rest[1:close_index])))
            rest = rest[close_index + 1:].strip()
        else:
            links.append((name, None))
    return links


def parse_literal(text: str) -> Any:
    """Return the value of a JavaScript literal (string, number, boolean, null, array, object)."""
    value, end = _literal(text.strip(), 0)
    if text.strip()[end:].strip():
        raise ValueError(f"unexpected text after the value: {text.strip()[end:]!r}")
    return value


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _literal(text: str, index: int) -> tuple[Any, int]:
    index = _skip_space(text, index)
    if index >= len(text):
        raise ValueError("missing value")
    char = text[index]
    if char in _QUOTES:
        end = _string_end(text, index)
        return _unescape(text[index + 1:end], char), end + 1
    if char == "[":
        return _array(text, index + 1)
    if char == "{":
        return _object(text, index + 1)
    number = _NUMBER.match(text, index)
    if number:
        number_text = number.group()
        value = float(number_text) if any(c in number_text for c in ".eE") else int(number_text)
        return value, number.end()
    word = _IDENTIFIER.match(text, index)
    if word and word.group() in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[word.group()], word.end()
    raise ValueError(f"not a literal: {text[index:index + 30]!r}")


def _array(text: str, index: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    while True:
        index = _skip_space(text, index)
        if index < len(text) and text[index] == "]":
            return items, index + 1
        value, index = _literal(text, index)
        items.append(value)
        index = _skip_space(text, index)
        if index < len(text) and text[index] == ",":
            index += 1
        elif index >= len(text) or text[index] != "]":
            raise ValueError("expected , or ] in an array")


def _object(text: str, index: int) -> tuple[dict[str, Any], int]:
    items: dict[str, Any] = {}
    while True:
        index = _skip_space(text, index)
        if index < len(text) and text[index] == "}":
            return items, index + 1
        if index < len(text) and text[index] in _QUOTES:
            end = _string_end(text, index)
            key, index = _unescape(text[index + 1:end], text[index]), end + 1
        else:
            word = _IDENTIFIER.match(text, index) or _NUMBER.match(text, index)
            if word is None:
                raise ValueError("expected a property name in an object")
            key, index = word.group(), word.end()
        index = _skip_space(text, index)
        if index >= len(text) or text[index] != ":":
            raise ValueError("expected : in an object")
        items[key], index = _literal(text, index + 1)
        index = _skip_space(text, index)
        if index < len(text) and text[index] == ",":
            index += 1
        elif index >= len(text) or text[index] != "}":
            raise ValueError("expected , or } in an object")


def _unescape(body: str, quote: str) -> str:
    if quote == "`" and "${" in body:
        raise ValueError("template literals with ${...} are computed at run time")
    result: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char != "\\":
            result.append(char)
            index += 1
            continue
        following = body[index + 1:index + 2]
        if following == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[index + 2:index + 6]):
            result.append(chr(int(body[index + 2:index + 6], 16)))
            index += 6
            continue
        result.append(_ESCAPES.get(following, following))
        index += 2
    return "".join(result)


def string_literal(text: str) -> str:
    value = parse_literal(text)
    if not isinstance(value, str):
        raise ValueError(f"expected a string, not {text!r}")
    return value


def regex_literal(text: str) -> str:
    """Return a Python pattern for a JavaScript `/pattern/flags` literal; only the i flag is kept."""
    match = re.fullmatch(r"/(.+)/([a-z]*)", text.strip(), re.DOTALL)
    if match is None:
        raise ValueError(f"not a regular expression literal: {text!r}")
    pattern, flags = match.groups()
    if set(flags) - {"i", "g"}:
        raise ValueError(f"regular expression flags {flags!r} have no equivalent here")
    re.compile(pattern)
    return f"(?i){pattern}" if "i" in flags else pattern


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


_PATH_STEP = re.compile(r"""\.\s*([A-Za-z_$][\w$]*)|\[\s*(\d+)\s*\]|\[\s*(['"])(.*?)\3\s*\]""")
_KEY = re.compile(r"[\w$-]+")


def parse_path(text: str, aliases: dict[str, str]) -> str:
    """Return the JSON path (`$.a.0.b`) of a property expression on the response body.

    The expression starts with a name in `aliases` (a variable that contains the body or
    a part of it) or with `pm.response.json()`, followed by `.key`, `[0]` or `['key']`.
    """
    text = text.strip()
    for root in ("pm.response.json()", "JSON.parse(responseBody)"):
        if text.startswith(root):
            base, rest = "$", text[len(root):]
            break
    else:
        name = _IDENTIFIER.match(text)
        if name is None or name.group() not in aliases:
            raise ValueError(f"{text!r} is not a value of the response body")
        base, rest = aliases[name.group()], text[name.end():]
    parts: list[str] = []
    while rest.strip():
        step = _PATH_STEP.match(rest.strip())
        if step is None:
            raise ValueError(f"cannot read the property access {rest.strip()!r}")
        key = step.group(1) or step.group(2) or step.group(4)
        if key is None or not _KEY.fullmatch(key) or key == "length":
            raise ValueError(f"property {key!r} cannot be written as a JSON path here")
        parts.append(key)
        rest = rest.strip()[step.end():]
    return ".".join([base, *parts]) if parts else base
