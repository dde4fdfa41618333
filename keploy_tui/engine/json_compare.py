"""JSON-aware comparison of an expected value with a response value.

Rules, for every comparison here:
- Numbers compare by value across int and float, as JSON has one number type:
  1 equals 1.0 and 10**20 equals 1e20. A boolean never equals a number, although
  Python treats True == 1.
- For equality, arrays compare position by position: a shorter response array reports
  its missing tail and a longer one its extra elements. With `ignore_order`, and in
  `contains` mode, order does not matter.
- Object keys and ignore paths are case-sensitive.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from keploy_tui.engine.jsonpath import PathPart, format_path, json_type, parse_path
from keploy_tui.model import DiffEntry

__all__ = ["compare", "describe", "json_preview", "json_type", "path_is_ignored"]


def json_identical(left: Any, right: Any) -> bool:
    """Tell whether two JSON values are equal as JSON: 1 equals 1.0, but true never equals 1."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(json_identical(left[key], right[key]) for key in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(json_identical, left, right))
    return left == right


def compare(
    expected: Any,
    actual: Any,
    *,
    ignore: Iterable[str] = (),
    contains: bool = False,
    base: str = "$",
    ignore_order: bool = False,
) -> list[DiffEntry]:
    """Return the differences between two parsed JSON values; an empty list means they match.

    `base` is where both values sit in the response body. Diff paths are written from
    the body root, and `ignore` paths are read from it, as Keploy's noise paths are.
    An ignore path skips its whole subtree. A path without an array index applies to
    every element (`$.items.id`), and one with an index applies to that element only
    (`$.items.0.id`). A `*` segment matches any key or index.

    With `contains=True`, `expected` only needs to be a subset of `actual`. Objects match
    by key, recursively, and extra keys in `actual` are fine. Each expected array
    element must match some element of the actual array, in any order, and two
    expected elements may match the same actual element.

    With `ignore_order=True`, arrays are compared as multisets, as Keploy compares
    recorded bodies by default: every expected element, counted with repeats, must
    match one actual element. Ignored paths are removed from both values first, so an
    element that differs only in an ignored field still finds its partner.
    Raises InvalidPath when `base` or an ignore path cannot be parsed.
    """
    base_parts = parse_path(base)
    patterns = [parse_path(path) for path in ignore]
    # Most assertions pass, and DeepDiff costs far more than a plain walk, so an exact
    # match returns before DeepDiff is built. Ignore paths only ever remove differences.
    if not contains and json_identical(expected, actual):
        return []
    if contains:
        return _entries(_subset_differences(expected, actual, base_parts, patterns), patterns)
    # deepdiff is imported only now: it adds about 50 ms to start-up, and most runs
    # have no failing comparison.
    from keploy_tui.engine import json_deepdiff

    if ignore_order:
        found = json_deepdiff.unordered_differences(
            _without_ignored(expected, base_parts, patterns),
            _without_ignored(actual, base_parts, patterns),
            base_parts,
        )
    else:
        found = json_deepdiff.ordered_differences(expected, actual, base_parts)
    return _entries(found, patterns)


def _entries(found: Iterable[Difference], patterns: list[list[PathPart]]) -> list[DiffEntry]:
    kept = [difference for difference in found if not path_is_ignored(difference[0], patterns)]
    kept.sort(key=_document_order)
    return [_entry(*difference) for difference in kept]


def path_is_ignored(parts: list[PathPart], patterns: list[list[PathPart]]) -> bool:
    """Tell whether any ignore pattern covers the value at `parts` or one of its ancestors."""
    return any(_pattern_covers(pattern, parts) for pattern in patterns)


def _pattern_covers(pattern: list[PathPart], parts: list[PathPart]) -> bool:
    position = 0
    for segment in pattern:
        while True:
            if position >= len(parts):
                return False
            part = parts[position]
            position += 1
            if segment == "*" or _segment_matches(segment, part):
                break
            # A pattern that names a key where the path has an array index leaves the
            # index out, so it applies to every element of that array.
            if isinstance(part, int) and isinstance(segment, str):
                continue
            return False
    return True


def _segment_matches(segment: PathPart, part: PathPart) -> bool:
    if isinstance(segment, int) and isinstance(part, str):
        # `$.codes.404` parses 404 as an index, but it also names the key "404".
        return str(segment) == part
    return type(segment) is type(part) and segment == part


Difference = tuple[list[PathPart], str, Any, Any]
"""Path, DiffEntry kind, expected value and actual value."""


def _without_ignored(value: Any, parts: list[PathPart], patterns: list[list[PathPart]]) -> Any:
    """Return a copy of `value`, which sits at `parts`, without the subtrees the patterns cover."""
    if not patterns:
        return value
    if isinstance(value, dict):
        return {
            key: _without_ignored(item, parts + [key], patterns)
            for key, item in value.items()
            if not path_is_ignored(parts + [key], patterns)
        }
    if isinstance(value, list):
        return [
            _without_ignored(item, parts + [index], patterns)
            for index, item in enumerate(value)
            if not path_is_ignored(parts + [index], patterns)
        ]
    return value


def _document_order(difference: Difference) -> tuple[Any, ...]:
    """Sort by path with indexes as numbers, so $.items.2 comes before $.items.10."""
    parts, kind = difference[0], difference[1]
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in parts), kind


def _subset_differences(
    expected: Any, actual: Any, parts: list[PathPart], patterns: list[list[PathPart]]
) -> Iterator[Difference]:
    """Yield each way `expected` fails to be a subset of `actual`, lazily so a caller can stop at the first."""
    if path_is_ignored(parts, patterns):
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, expected_value in expected.items():
            if key in actual:
                yield from _subset_differences(expected_value, actual[key], parts + [key], patterns)
            elif not path_is_ignored(parts + [key], patterns):
                yield (parts + [key], "missing", expected_value, None)
    elif isinstance(expected, list) and isinstance(actual, list):
        for element in expected:
            if not _any_element_contains(element, actual, parts, patterns):
                # No actual element corresponds, so the entry sits on the array itself.
                yield (parts, "missing", element, None)
    elif not _same_json_value(expected, actual):
        kind = "changed" if _same_json_family(expected, actual) else "type_changed"
        yield (parts, kind, expected, actual)


def _any_element_contains(
    element: Any, candidates: list[Any], parts: list[PathPart], patterns: list[list[PathPart]]
) -> bool:
    for index, candidate in enumerate(candidates):
        mismatch = next(_subset_differences(element, candidate, parts + [index], patterns), None)
        if mismatch is None:
            return True
    return False


def _json_family(value: Any) -> str:
    kind = json_type(value)
    return "number" if kind == "integer" else kind


def _same_json_family(first: Any, second: Any) -> bool:
    return _json_family(first) == _json_family(second)


def _same_json_value(first: Any, second: Any) -> bool:
    """Compare scalars; containers of different types never reach this point equal."""
    return _same_json_family(first, second) and first == second


def _entry(parts: list[PathPart], kind: str, expected: Any, actual: Any) -> DiffEntry:
    return DiffEntry(
        path=format_path(parts),
        kind=kind,
        expected=expected,
        actual=actual,
        expected_type=None if kind == "unexpected" else json_type(expected),
        actual_type=None if kind == "missing" else json_type(actual),
    )


def describe(entry: DiffEntry, limit: int = 80) -> str:
    """Write one difference as a line of text, each value cut to about `limit` characters."""
    expected = _typed_preview(entry.expected_type, entry.expected, limit)
    actual = _typed_preview(entry.actual_type, entry.actual, limit)
    if entry.kind == "missing":
        return f"{entry.path}: missing, expected {expected}"
    if entry.kind == "unexpected":
        return f"{entry.path}: unexpected {actual}"
    if entry.kind == "type_changed":
        return f"{entry.path}: expected {expected}, got {actual}"
    return f"{entry.path}: expected {json_preview(entry.expected, limit)}, got {json_preview(entry.actual, limit)}"


def _typed_preview(type_name: str | None, value: Any, limit: int) -> str:
    if value is None:
        return "null"
    return f"{type_name} {json_preview(value, limit)}"


# One encoder for every preview: json.dumps with options builds a new one on each call,
# which took longer than encoding a short value.
_PREVIEW = json.JSONEncoder(ensure_ascii=False, default=str)


def json_preview(value: Any, limit: int) -> str:
    """Dump `value` as compact JSON, cut to `limit` characters with a note of the full length."""
    text = _PREVIEW.encode(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"
