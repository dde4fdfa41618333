"""Turning one Postman check (a chai chain, a legacy `tests[...] =` expression) into assertions.

Each function returns the assertions for one check, or raises ValueError when the
check has no exact equivalent, so that the caller reports the line as not translated.
JSON values are checked with json_equal, or with a JSON Schema where the check is
about a type, a pattern, a range or the presence of a property.
"""

from __future__ import annotations

import json
import re
from typing import Any

from keploy_tui.formats.postman_js import (
    json_text,
    matching_close,
    parse_literal,
    parse_path,
    regex_literal,
    string_literal,
)
from keploy_tui.model.suite import Assertion

LANGUAGE_CHAINS = frozenset({
    "to", "be", "been", "is", "that", "which", "and", "has", "have", "with", "at", "of",
    "same", "but", "does", "deep", "own", "itself", "still", "also",
})
_STATUS_WORDS = {
    "ok": ("status_code", "200"), "created": ("status_code", "201"),
    "accepted": ("status_code", "202"), "badRequest": ("status_code", "400"),
    "unauthorized": ("status_code", "401"), "forbidden": ("status_code", "403"),
    "notFound": ("status_code", "404"), "rateLimited": ("status_code", "429"),
    "info": ("status_code_class", "1xx"), "success": ("status_code_class", "2xx"),
    "redirection": ("status_code_class", "3xx"), "clientError": ("status_code_class", "4xx"),
    "serverError": ("status_code_class", "5xx"),
}
_JSON_TYPES = {"string", "number", "object", "array", "boolean", "null"}
_BOUNDS = {
    "above": "exclusiveMinimum", "gt": "exclusiveMinimum", "greaterThan": "exclusiveMinimum",
    "below": "exclusiveMaximum", "lt": "exclusiveMaximum", "lessThan": "exclusiveMaximum",
    "least": "minimum", "gte": "minimum", "greaterThanOrEqual": "minimum",
    "most": "maximum", "lte": "maximum", "lessThanOrEqual": "maximum",
}
_EQUALS = {"eql", "eqls", "equal", "equals", "eq"}
_INCLUDES = {"include", "includes", "contain", "contains"}
_COMPARISON = re.compile(r"^(.+?)\s*(===|!==|==|!=|>=|<=|>|<)\s*(.+)$")


def schema(path: str, value: dict[str, Any]) -> Assertion:
    return Assertion(type="schema", key=_key(path), expected=json.dumps(value, ensure_ascii=False))


def json_equal(path: str, value: Any) -> Assertion:
    return Assertion(type="json_equal", key=_key(path), expected=json_text(value))


def _key(path: str) -> str | None:
    return None if path == "$" else path


def status_subject(text: str) -> bool:
    return text.strip() in ("pm.response.code", "responseCode.code")


def expect_chain(subject: str, links: list[tuple[str, list[str] | None]], aliases: dict[str, str]) -> list[Assertion]:
    """Return the assertions of `pm.expect(subject)` followed by the chain `links`."""
    header = re.fullmatch(r"pm\.response\.headers\.get\((.+)\)", subject.strip())
    if status_subject(subject):
        return _status_chain(links)
    if header:
        return _header_chain(string_literal(header.group(1)), links)
    return _json_chain(parse_path(subject, aliases), links)


def _meaningful(links: list[tuple[str, list[str] | None]]) -> list[tuple[str, list[str] | None]]:
    checks = [(name, args) for name, args in links if not (name in LANGUAGE_CHAINS and args is None)]
    if not checks:
        raise ValueError("the chain checks nothing")
    if any(name == "not" for name, _ in checks):
        raise ValueError("negated checks have no equivalent here")
    return checks


def _status_chain(links: list[tuple[str, list[str] | None]]) -> list[Assertion]:
    assertions = []
    for name, args in _meaningful(links):
        if name in _EQUALS and args:
            assertions.append(Assertion(type="status_code", expected=str(_status(args[0]))))
        elif name == "oneOf" and args:
            codes = parse_literal(args[0])
            assertions.append(Assertion(type="status_code_in", expected=",".join(str(_status(str(code))) for code in codes)))
        else:
            raise ValueError(f".{name} on the status code has no equivalent here")
    return assertions


def _status(text: str) -> int:
    value = parse_literal(text)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or not 100 <= value <= 599:
        raise ValueError(f"{text!r} is not an HTTP status")
    return value


def _header_chain(name: str, links: list[tuple[str, list[str] | None]]) -> list[Assertion]:
    assertions = []
    for method, args in _meaningful(links):
        if method in _EQUALS and args:
            assertions.append(Assertion(type="header_equal", key=name, expected=string_literal(args[0])))
        elif method in _INCLUDES and args:
            assertions.append(Assertion(type="header_contains", key=name, expected=string_literal(args[0])))
        elif method == "match" and args:
            assertions.append(Assertion(type="header_matches", key=name, expected=regex_literal(args[0])))
        elif method in ("exist", "ok") and args is None:
            assertions.append(Assertion(type="header_exists", key=name, expected="true"))
        else:
            raise ValueError(f".{method} on a header has no equivalent here")
    return assertions


def _json_chain(path: str, links: list[tuple[str, list[str] | None]]) -> list[Assertion]:
    assertions: list[Assertion] = []
    for method, args in _meaningful(links):
        if method == "property" and args:
            name = string_literal(args[0])
            if not re.fullmatch(r"[\w$-]+", name):
                raise ValueError(f"property {name!r} cannot be written as a JSON path here")
            if len(args) > 1:
                assertions.append(json_equal(f"{path}.{name}", parse_literal(args[1])))
            else:
                assertions.append(schema(path, {"required": [name]}))
            # chai moves the subject to the property, so later links check its value.
            path = f"{path}.{name}"
        else:
            assertions.append(_json_check(path, method, args))
    return assertions


def _json_check(path: str, method: str, args: list[str] | None) -> Assertion:
    if method in _EQUALS and args:
        return json_equal(path, parse_literal(args[0]))
    if method in ("true", "false", "null") and args is None:
        return json_equal(path, {"true": True, "false": False, "null": None}[method])
    if method in _INCLUDES and args:
        return _includes(path, parse_literal(args[0]))
    if method in ("a", "an") and args:
        kind = string_literal(args[0]).lower()
        if kind not in _JSON_TYPES:
            raise ValueError(f"type {kind!r} has no JSON equivalent")
        return schema(path, {"type": kind})
    if method == "exist" and args is None:
        return schema(path, {"not": {"type": "null"}})
    if method == "ok" and args is None:
        return schema(path, {"not": {"enum": [False, None, 0, ""]}})
    if method in _BOUNDS and args:
        return schema(path, {"type": "number", _BOUNDS[method]: _number(args[0])})
    if method == "within" and args and len(args) == 2:
        return schema(path, {"type": "number", "minimum": _number(args[0]), "maximum": _number(args[1])})
    if method == "oneOf" and args:
        return schema(path, {"enum": parse_literal(args[0])})
    if method == "match" and args:
        return schema(path, {"type": "string", "pattern": regex_literal(args[0])})
    if method in ("lengthOf", "length") and args:
        size = _number(args[0])
        return schema(path, _sized(size, size))
    if method == "empty" and args is None:
        return schema(path, _sized(0, 0))
    raise ValueError(f".{method} has no equivalent here")


def _includes(path: str, value: Any) -> Assertion:
    if isinstance(value, str):
        # chai's include means a substring for a string and an element for an array.
        return schema(path, {"anyOf": [
            {"type": "string", "pattern": re.escape(value)},
            {"type": "array", "contains": {"const": value}},
        ]})
    if isinstance(value, dict):
        return Assertion(type="json_contains", key=_key(path), expected=json_text(value))
    if isinstance(value, list):
        raise ValueError("include with an array has no exact equivalent here")
    return Assertion(type="json_contains", key=_key(path), expected=json_text([value]))


def _sized(minimum: Any, maximum: Any) -> dict[str, Any]:
    return {"anyOf": [
        {"type": "array", "minItems": minimum, "maxItems": maximum},
        {"type": "string", "minLength": minimum, "maxLength": maximum},
        {"type": "object", "minProperties": minimum, "maxProperties": maximum},
    ]}


def _number(text: str) -> int | float:
    value = parse_literal(text)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{text!r} is not a number")
    return value


def response_chain(links: list[tuple[str, list[str] | None]]) -> list[Assertion]:
    """Return the assertions of `pm.response.to...` followed by `links`."""
    negated = any(name == "not" for name, _ in links)
    checks = [(name, args) for name, args in links if name != "not" and not (name in LANGUAGE_CHAINS and args is None)]
    if not checks:
        raise ValueError("the chain checks nothing")
    assertions = []
    for name, args in checks:
        if name == "header" and args:
            header = string_literal(args[0])
            if len(args) > 1 and not negated:
                assertions.append(Assertion(type="header_equal", key=header, expected=string_literal(args[1])))
            elif len(args) == 1:
                assertions.append(Assertion(type="header_exists", key=header, expected="false" if negated else "true"))
            else:
                raise ValueError("a negated header value check has no equivalent here")
        elif negated:
            raise ValueError("negated checks have no equivalent here")
        elif name == "status" and args:
            assertions.append(Assertion(type="status_code", expected=str(_status(args[0]))))
        elif name in _STATUS_WORDS and args is None:
            kind, expected = _STATUS_WORDS[name]
            assertions.append(Assertion(type=kind, expected=expected))
        elif name in ("json", "jsonBody") and not args:
            assertions.append(schema("$", {}))
        elif name == "jsonBody" and args:
            assertions.append(_json_body(args))
        elif name == "body" and args and len(args) == 1:
            value = parse_literal(args[0])
            expected = value if isinstance(value, str) else json_text(value)
            assertions.append(Assertion(type="json_equal", expected=expected))
        else:
            raise ValueError(f"pm.response .{name} has no equivalent here")
    return assertions


def _json_body(args: list[str]) -> Assertion:
    dotted = string_literal(args[0])
    if not re.fullmatch(r"[\w$-]+(\.[\w$-]+)*", dotted):
        raise ValueError(f"path {dotted!r} cannot be written as a JSON path here")
    path = f"$.{dotted}"
    if len(args) > 1:
        return json_equal(path, parse_literal(args[1]))
    return schema(path, {})


def boolean_check(expression: str, aliases: dict[str, str], status_variables: dict[str, int]) -> list[Assertion]:
    """Return the assertions for a legacy `tests["..."] = expression`."""
    text = _strip_parens(expression.strip())
    if text in status_variables:
        return [Assertion(type="status_code", expected=str(status_variables[text]))]
    call = re.fullmatch(r"(.+)\.hasOwnProperty\((.+)\)", text)
    if call:
        return [schema(parse_path(call.group(1), aliases), {"required": [string_literal(call.group(2))]})]
    for function, kind in (("Number.isInteger", "integer"), ("Array.isArray", "array")):
        if text.startswith(function + "(") and text.endswith(")"):
            return [schema(parse_path(text[len(function) + 1:-1], aliases), {"type": kind})]
    regex = re.fullmatch(r"(/.+/[a-z]*)\.test\((.+)\)", text)
    if regex:
        pattern = regex_literal(regex.group(1))
        return [schema(parse_path(regex.group(2), aliases), {"type": "string", "pattern": pattern})]
    return _comparison(text, aliases)


def _comparison(text: str, aliases: dict[str, str]) -> list[Assertion]:
    match = _COMPARISON.match(text)
    if match is None:
        raise ValueError("the expression has no equivalent here")
    left, operator, right = (part.strip() for part in match.groups())
    typeof = re.fullmatch(r"typeof\s+(.+)", left)
    if typeof and operator in ("===", "=="):
        kind = string_literal(right)
        if kind not in _JSON_TYPES - {"array", "null"}:
            raise ValueError(f"typeof {kind!r} has no JSON equivalent")
        return [schema(parse_path(typeof.group(1), aliases), {"type": kind})]
    if status_subject(left) and operator in ("===", "=="):
        return [Assertion(type="status_code", expected=str(_status(right)))]
    path = parse_path(left, aliases)
    if operator in ("!==", "!=") and right in ("undefined", "null"):
        return [schema(path, {} if right == "undefined" else {"not": {"type": "null"}})]
    if operator in ("===", "=="):
        return [json_equal(path, parse_literal(right))]
    bound = {">": "exclusiveMinimum", ">=": "minimum", "<": "exclusiveMaximum", "<=": "maximum"}.get(operator)
    if bound:
        return [schema(path, {"type": "number", bound: _number(right)})]
    raise ValueError(f"operator {operator} has no equivalent here")


def _strip_parens(text: str) -> str:
    while text.startswith("(") and matching_close(text, 0) == len(text) - 1:
        text = text[1:-1].strip()
    return text
