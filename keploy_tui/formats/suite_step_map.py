"""Changing one step's round-trip YAML mapping in place, keeping the style of what stays.

A key is only written when its parsed value differs, and a replaced string keeps the
quoting style of the value it replaces, so untouched lines dump exactly as they were read.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    ScalarString,
    SingleQuotedScalarString,
)

from keploy_tui.model.suite import Assertion, Step

# The order Step.to_dict writes, used to place a key that a step did not have before.
_STEP_KEY_ORDER = ("name", "description", "method", "url", "headers", "body", "extract", "assert", "auth", "timeout")
_NUMBER_LIKE = re.compile(r"-?\d+(\.\d+)?|true|false|null|~|yes|no|on|off", re.IGNORECASE)


def update_step_map(data: CommentedMap, old: Step, new: Step) -> None:
    for key, old_value, new_value in (
        ("name", old.name, new.name),
        ("description", old.description or None, new.description or None),
        ("method", old.method, new.method),
        ("url", old.url, new.url),
        ("body", old.body, new.body),
        ("timeout", old.timeout, _whole_number(new.timeout)),
    ):
        if old_value != new_value:
            _set_key(data, key, new_value)
    if old.headers != new.headers:
        _update_mapping(data, "headers", new.headers)
    if old.extract != new.extract:
        _update_mapping(data, "extract", new.extract)
    if old.auth != new.auth:
        _set_key(data, "auth", _auth_value(new, data.get("auth")))
    if old.assertions != new.assertions:
        _update_assertions(data, old.assertions, new.assertions)


def _whole_number(value: float | None) -> float | int | None:
    # Step.timeout is a float, but a person writes `timeout: 5`, not `timeout: 5.0`.
    return int(value) if value is not None and float(value).is_integer() else value


def _set_key(data: CommentedMap, key: str, value: Any) -> None:
    """Set, add or (for None) remove one key, keeping the old value's quoting style."""
    if value is None:
        data.pop(key, None)
        return
    value = _styled_like(data.get(key), value)
    if key in data:
        data[key] = value
        return
    data.insert(_insert_position(data, key), key, value)


def _insert_position(data: CommentedMap, key: str) -> int:
    if key not in _STEP_KEY_ORDER:
        return len(data)
    earlier = _STEP_KEY_ORDER[: _STEP_KEY_ORDER.index(key)]
    keys = list(data.keys())
    positions = [index for index, existing in enumerate(keys) if existing in earlier]
    return positions[-1] + 1 if positions else 0


def _styled_like(old: Any, new: Any) -> Any:
    if not isinstance(new, str) or isinstance(new, ScalarString):
        return new
    if isinstance(old, LiteralScalarString):
        return LiteralScalarString(new) if "\n" in new else new
    if isinstance(old, (SingleQuotedScalarString, DoubleQuotedScalarString)):
        # A single-quoted YAML string cannot contain a line break without folding it.
        if isinstance(old, SingleQuotedScalarString) and "\n" not in new:
            return SingleQuotedScalarString(new)
        return DoubleQuotedScalarString(new)
    if old is None and "\n" in new and "\r" not in new:
        return LiteralScalarString(new)
    return new


def _update_mapping(data: CommentedMap, key: str, values: dict[str, str]) -> None:
    """Update headers or extract in place, so a flow mapping stays a flow mapping."""
    if not values:
        data.pop(key, None)
        return
    existing = data.get(key)
    if not isinstance(existing, CommentedMap):
        _set_key(data, key, CommentedMap(values))
        return
    for name in [name for name in existing if name not in values]:
        del existing[name]
    for name, value in values.items():
        if existing.get(name) != value:
            existing[name] = _styled_like(existing.get(name), value)


def _auth_value(step: Step, old: Any) -> Any:
    if step.auth is None:
        return None
    if step.auth.kind == "none":
        return "none"
    value = CommentedMap(step.auth.to_dict())
    if not isinstance(old, CommentedMap) or old.fa.flow_style():
        # Short auth mappings read best on one line, as the sample suites write them.
        value.fa.set_flow_style()
    return value


def _update_assertions(data: CommentedMap, old: list[Assertion], new: list[Assertion]) -> None:
    key = "assertions" if data.get("assertions") is not None else "assert"
    if not new:
        data.pop(key, None)
        return
    items = data.get(key)
    if not isinstance(items, CommentedSeq):
        _set_key(data, "assert", CommentedSeq(_new_assertion_map(assertion, None) for assertion in new))
        return
    for index, assertion in enumerate(new):
        if index < len(old):
            if old[index] != assertion:
                _update_assertion_map(items[index], old[index], assertion)
        else:
            items.append(_new_assertion_map(assertion, items[-1] if len(items) else None))
    del items[len(new):]


def _update_assertion_map(item: CommentedMap, old: Assertion, new: Assertion) -> None:
    if old.type != new.type:
        item["type"] = _styled_like(item.get("type"), new.type)
        # A comparator combines with the type into another type, so it must not change the new one.
        item.pop("comparator", None)
    if old.key != new.key:
        key_name = "field" if "field" in item and "key" not in item else "key"
        _set_item_key(item, key_name, new.key)
    if old.expected != new.expected:
        _update_expected(item, new.expected)
    if old.ignore != new.ignore:
        _update_ignore(item, new.ignore)
    if old.ignore_order != new.ignore_order:
        _set_item_key(item, "ignore_order", True if new.ignore_order else None)


def _set_item_key(item: CommentedMap, key: str, value: Any) -> None:
    if value is None:
        item.pop(key, None)
    elif key in item:
        item[key] = _styled_like(item[key], value)
    else:
        item[key] = _expected_style(value) if isinstance(value, str) else value


def _update_expected(item: CommentedMap, expected: str | None) -> None:
    # The typed `expected` and `pattern` forms are replaced by expected_string, which
    # contains the exact text and needs no conversion when read back.
    if "expected_string" not in item:
        for name in ("expected", "pattern"):
            if name in item:
                position = list(item.keys()).index(name)
                del item[name]
                if expected is not None:
                    item.insert(position, "expected_string", _expected_style(expected))
                return
    if expected is None:
        item.pop("expected_string", None)
    elif "expected_string" in item:
        item["expected_string"] = _styled_like(item["expected_string"], expected)
        if not isinstance(item["expected_string"], ScalarString):
            item["expected_string"] = _expected_style(expected)
    else:
        item["expected_string"] = _expected_style(expected)


def _update_ignore(item: CommentedMap, paths: list[str]) -> None:
    existing = item.get("ignore")
    if not paths:
        item.pop("ignore", None)
    elif isinstance(existing, CommentedSeq):
        del existing[:]
        existing.extend(paths)
    else:
        sequence = CommentedSeq(paths)
        sequence.fa.set_flow_style()
        item["ignore"] = sequence


def _expected_style(text: str) -> Any:
    """Quote expected text the way Keploy writes it: JSON in single quotes, statuses in double quotes."""
    if "\n" in text:
        return DoubleQuotedScalarString(text)
    if text[:1] in ('"', "{", "[") or text != text.strip():
        return SingleQuotedScalarString(text)
    if _NUMBER_LIKE.fullmatch(text):
        return DoubleQuotedScalarString(text)
    return text


def _new_assertion_map(assertion: Assertion, neighbour: Any) -> CommentedMap:
    item = CommentedMap()
    for key, value in assertion.to_dict().items():
        if key == "ignore":
            _update_ignore(item, value)
        else:
            item[key] = _expected_style(value) if key in ("expected_string", "key") and isinstance(value, str) \
                else value
    if isinstance(neighbour, CommentedMap) and neighbour.fa.flow_style():
        item.fa.set_flow_style()
    return item


def new_step_map(step: Step) -> CommentedMap:
    data = CommentedMap()
    for key, value in step.to_dict().items():
        if key == "assert":
            data[key] = CommentedSeq(_new_assertion_map(assertion, None) for assertion in step.assertions)
        elif key == "auth":
            data[key] = _auth_value(step, None)
        elif key in ("headers", "extract"):
            data[key] = CommentedMap(value)
        else:
            data[key] = _styled_like(None, value)
    return data
