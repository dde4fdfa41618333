"""Reading one assertion of a step, in Keploy's form or in the form its step editor writes.

Keploy's generator writes `{type, key, expected_string}` (keploy/docs,
versioned_docs/version-4.0.0/running-keploy/agent-test-generation.md). The step editor
writes `expected` as a typed YAML value, `field` for the header name, `pattern` for
header_matches and `comparator: equal` (review-and-improve-ai-generated-tests.md in the
same folder). Keploy's webhook documentation lists both `expected` and `expected_string`
on one assertion, so `expected_string` wins when both are given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from keploy_tui.engine.jsonpath import InvalidPath, parse_path
from keploy_tui.formats.yaml_values import (
    Where,
    describe,
    is_bool,
    is_scalar,
    item_line,
    json_text,
    key_line,
    scalar_text,
)
from keploy_tui.model.suite import ASSERTION_TYPES, Assertion

JSON_TYPES = ("json_equal", "json_path", "json_contains", "schema")
HEADER_TYPES = ("header_equal", "header_contains", "header_exists", "header_matches")
OPTIONAL_EXPECTED = ("header_exists", "custom_functions")
USED_KEYS = (
    "type", "key", "field", "expected_string", "expected", "pattern", "comparator", "ignore",
    "ignore_order",
)

# Only `comparator: equal` appears in Keploy's documentation, always next to a type
# that already names the check (status_code, status_code_class), so `equal` keeps the
# type. The other comparators pick the member of the type's family that performs them.
# A comparator with no such member is rejected instead of being ignored.
COMPARATORS = {
    "equal": "equal", "equals": "equal", "eq": "equal",
    "contains": "contains", "exists": "exists",
    "matches": "matches", "regex": "matches", "in": "in",
}
_FAMILIES = {
    "header_equal": "header", "header_contains": "header",
    "header_exists": "header", "header_matches": "header",
    "json_equal": "json", "json_path": "json", "json_contains": "json",
    "status_code": "status", "status_code_in": "status",
}
_COMBINED_TYPES = {
    ("header", "contains"): "header_contains",
    ("header", "exists"): "header_exists",
    ("header", "matches"): "header_matches",
    ("json", "contains"): "json_contains",
    ("status", "in"): "status_code_in",
}

_EXPECTED_HINTS = {
    "status_code": 'a status such as "201"',
    "status_code_class": 'a class such as "2xx"',
    "status_code_in": 'a list such as "200,201,204"',
    "header_equal": "the header value",
    "header_contains": "the text the header must contain",
    "header_matches": "a regular expression",
    "schema": "a JSON Schema",
}
_STATUS = re.compile(r"[1-5]\d\d")


def parse_assertion(items: list[Any], index: int, label: str, where: Where) -> Assertion:
    """Build the Assertion at `items[index]`, with `label` (such as "assert[0]") in errors."""
    data = items[index]
    line = item_line(items, index)
    if not isinstance(data, Mapping):
        raise where.error(f"{label} must be a mapping with a type, not {describe(data)}", line)
    where.warn_unknown_keys(data, USED_KEYS, ())

    kind = _assertion_type(data, label, where, line)
    key = _assertion_key(data, kind, label, where, line)
    expected = _expected(data, kind, label, where)
    _check_expected(data, kind, expected, label, where, line)
    ignore = _ignore_paths(data, label, where)
    ignore_order = _ignore_order(data, kind, label, where)
    return Assertion(
        type=kind, key=key, expected=expected, ignore=ignore, line=line, ignore_order=ignore_order
    )


def _assertion_type(data: Mapping[Any, Any], label: str, where: Where, line: int | None) -> str:
    raw = data.get("type")
    if raw is None:
        raise where.error(
            f"{label}: missing required key 'type'; add one of {', '.join(ASSERTION_TYPES)}", line
        )
    type_line = key_line(data, "type")
    if not isinstance(raw, str):
        raise where.error(
            f"{label}: 'type' must be one of {', '.join(ASSERTION_TYPES)}, not {describe(raw)}",
            type_line,
        )
    # Keploy's webhook payloads spell types in capitals (STATUS_CODE).
    kind = raw.strip().lower()
    if kind not in ASSERTION_TYPES:
        raise where.error(
            f"{label}: unknown type '{raw}'; expected one of {', '.join(ASSERTION_TYPES)}",
            type_line,
        )
    if data.get("comparator") is None:
        return kind
    return _apply_comparator(kind, data["comparator"], label, where, key_line(data, "comparator"))


def _apply_comparator(kind: str, raw: Any, label: str, where: Where, line: int | None) -> str:
    if not isinstance(raw, str):
        raise where.error(
            f"{label}: 'comparator' must be text such as equal, not {describe(raw)}", line
        )
    comparator = COMPARATORS.get(raw.strip().lower())
    if comparator == "equal":
        return kind
    combined = _COMBINED_TYPES.get((_FAMILIES.get(kind, ""), comparator or ""))
    if combined is None:
        family = _FAMILIES.get(kind, "")
        allowed = ["equal"] + [c for (f, c) in _COMBINED_TYPES if f == family]
        raise where.error(
            f"{label}: comparator '{raw}' is not supported with type {kind}; "
            f"use {' or '.join(allowed)}, or pick the assertion type that performs it",
            line,
        )
    return combined


def _assertion_key(
    data: Mapping[Any, Any], kind: str, label: str, where: Where, line: int | None
) -> str | None:
    key = _optional_text(data, "key", label, where)
    field = _optional_text(data, "field", label, where)
    if key and field and key != field:
        raise where.error(
            f"{label}: key '{key}' and field '{field}' disagree; keep one of them",
            key_line(data, "field"),
        )
    key = key or field or None
    if key is None and kind in HEADER_TYPES:
        raise where.error(f"{label}: type {kind} needs key: the header name", line)
    if key is not None and kind in JSON_TYPES:
        _check_path(key, label, where, key_line(data, "key" if data.get("key") is not None else "field"))
    return key


def _check_path(path: str, label: str, where: Where, line: int | None) -> None:
    """Reject a JSON path that cannot be read, so the error names the file instead of failing the run."""
    # A `{{var}}` is filled in at run time, so only the run can tell whether the path reads.
    if "{{" in path:
        return
    try:
        parse_path(path)
    except InvalidPath as error:
        raise where.error(f"{label}: {error}; write a path such as $.user.id or $.items[0]", line) from None


def _optional_text(data: Mapping[Any, Any], name: str, label: str, where: Where) -> str | None:
    value = data.get(name)
    if not is_scalar(value):
        raise where.error(
            f"{label}: '{name}' must be text, not {describe(value)}", key_line(data, name)
        )
    return scalar_text(value)


def _expected(data: Mapping[Any, Any], kind: str, label: str, where: Where) -> str | None:
    """Return the expected text from expected_string, expected or pattern, in that order."""
    for name in ("expected_string", "expected", "pattern"):
        value = data.get(name)
        if value is None:
            continue
        try:
            return _expected_text(value, kind, typed=name != "expected_string")
        except (TypeError, ValueError) as error:
            raise where.error(
                f"{label}: '{name}' cannot be used as expected text: {error}", key_line(data, name)
            ) from None
    return None


def _expected_text(value: Any, kind: str, *, typed: bool) -> str:
    """Turn an expected value into Keploy's expected_string text.

    A list for status_code_in becomes "200,201", as Keploy writes it; other lists and
    mappings become JSON. A typed `expected` scalar on a JSON type becomes JSON too, so
    `expected: Alice` means the JSON string "Alice".
    """
    if kind == "status_code_in" and isinstance(value, list):
        texts = [scalar_text(item) if is_scalar(item) else None for item in value]
        if any(text is None for text in texts):
            raise ValueError("each status in the list must be a number")
        return ",".join(text for text in texts if text is not None)
    if isinstance(value, (Mapping, list)):
        return json_text(value)
    if typed and kind in JSON_TYPES and not _is_json_document(value):
        return json_text(value)
    text = scalar_text(value)
    if text is None:
        raise TypeError("it is null")
    return text


def _is_json_document(value: Any) -> bool:
    # NOTE: a typed `expected` string that contains a JSON object or array is read as
    # that JSON, not as a JSON string. Keploy's documentation does not say which it means.
    if not isinstance(value, str) or value.strip()[:1] not in ("{", "["):
        return False
    try:
        json.loads(value)
    except ValueError:
        return False
    return True


def _check_expected(
    data: Mapping[Any, Any],
    kind: str,
    expected: str | None,
    label: str,
    where: Where,
    line: int | None,
) -> None:
    """Reject expected text that can never pass, so the error points at the file."""
    if expected is None:
        if kind not in OPTIONAL_EXPECTED:
            hint = _EXPECTED_HINTS.get(kind, "JSON text such as '\"Alice\"' or 42")
            raise where.error(f"{label}: type {kind} needs expected_string: {hint}", line)
        return

    for name in ("expected_string", "expected", "pattern"):
        if data.get(name) is not None:
            line = key_line(data, name)
            break
    # A `{{var}}` is filled in at run time, so only the run can tell whether it fits.
    problem = None if "{{" in expected else _expected_problem(kind, expected)
    if problem:
        raise where.error(f"{label}: {problem}", line)


def _expected_problem(kind: str, expected: str) -> str | None:
    text = expected.strip()
    if kind == "status_code" and not _STATUS.fullmatch(text):
        return (
            f"'{expected}' is not an HTTP status; write a number from 100 to 599, such as \"201\""
        )
    if kind == "status_code_class" and not re.fullmatch(r"[1-5](xx|\d\d)", text, re.IGNORECASE):
        return f"'{expected}' is not a status class; write one such as \"2xx\""
    if kind == "status_code_in":
        codes = [code.strip() for code in text.split(",")]
        if not all(_STATUS.fullmatch(code) for code in codes):
            return f"'{expected}' is not a list of HTTP statuses; write one such as \"200,201,204\""
    if kind == "header_exists" and text.lower() not in ("true", "false"):
        return f"'{expected}' must be \"true\" or \"false\" for header_exists"
    if kind == "header_matches":
        try:
            re.compile(expected)
        except re.error as error:
            return f"'{expected}' is not a valid regular expression: {error}"
    if kind == "schema":
        try:
            schema = json.loads(expected)
        except ValueError as error:
            return f"the schema is not valid JSON: {error}"
        if not isinstance(schema, (dict, bool)):
            return "the schema must be a JSON object"
    return None


def _ignore_paths(data: Mapping[Any, Any], label: str, where: Where) -> list[str]:
    value = data.get("ignore")
    if value is None:
        return []
    paths = [value] if isinstance(value, str) else value
    if not isinstance(paths, list) or not all(isinstance(p, str) and p.strip() for p in paths):
        raise where.error(
            f"{label}: 'ignore' must be a list of JSON paths such as [$.createdAt]",
            key_line(data, "ignore"),
        )
    for path in paths:
        _check_path(path, label, where, key_line(data, "ignore"))
    return [str(path) for path in paths]


def _ignore_order(data: Mapping[Any, Any], kind: str, label: str, where: Where) -> bool:
    value = data.get("ignore_order")
    if value is None:
        return False
    line = key_line(data, "ignore_order")
    if not is_bool(value):
        raise where.error(f"{label}: 'ignore_order' must be true or false, not {describe(value)}", line)
    # json_contains already matches array elements in any order, so the key changes
    # nothing there and is accepted.
    if kind not in JSON_TYPES or kind == "schema":
        raise where.error(
            f"{label}: 'ignore_order' applies to json_equal and json_path, not to {kind}", line
        )
    return bool(value)
