"""Evaluate Keploy assertions against one received response.

Every assertion is evaluated on its own. An error inside one (an invalid regular
expression, an invalid schema, a missing path, a body that is not JSON) becomes a failed
AssertionResult that explains it, and the others still run.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from keploy_tui.engine.json_compare import compare, describe, json_preview
from keploy_tui.engine.jsonpath import PathNotFound, format_path, parse_path, resolve
from keploy_tui.model import Assertion, AssertionResult, DiffEntry
from keploy_tui.model.suite import ASSERTION_TYPES

logger = logging.getLogger(__name__)

ACTUAL_LIMIT = 4096
"""Characters of the actual value kept in a result for display."""
_MESSAGE_VALUE_LIMIT = 80
_MAX_DIFF_ENTRIES = 100
_MAX_SCHEMA_ERRORS_LISTED = 5
_BODY_PREVIEW_LIMIT = 60
_STATUS_CLASS = re.compile(r"([1-5])(xx|\d\d)?", re.IGNORECASE)
_UNPARSED = object()


class BodyNotJSON(ValueError):
    """The response body is empty or is not valid JSON."""


class InvalidAssertion(ValueError):
    """The assertion itself is unusable: a missing key, a bad expected_string, regex or schema."""


@dataclass
class ResponseView:
    """The parts of a received response that assertions read."""

    status: int
    headers: list[tuple[str, str]]
    """In received order; repeated names stay separate entries."""
    text: str
    """The whole decoded body."""
    _parsed: Any = field(default=_UNPARSED, init=False, repr=False, compare=False)

    def json(self) -> Any:
        """Return the body parsed as JSON, parsed on the first call. Raises BodyNotJSON when it is not JSON."""
        if self._parsed is _UNPARSED:
            self._parsed = _parse_body(self.text)
        if isinstance(self._parsed, BodyNotJSON):
            raise self._parsed
        return self._parsed

    def header_values(self, name: str) -> list[str]:
        """Return every value of header `name`, matched case-insensitively, in received order."""
        folded_name = name.strip().lower()
        return [value for header, value in self.headers if header.lower() == folded_name]


def _parse_body(text: str) -> Any:
    """Parse a body as JSON, returning rather than raising BodyNotJSON so that the error is cached too."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        return BodyNotJSON("response body is empty, expected JSON")
    try:
        return json.loads(text)
    except ValueError as error:
        preview = json_preview(text, _BODY_PREVIEW_LIMIT)
        return BodyNotJSON(f"response body is not valid JSON ({error}); it starts with {preview}")


def evaluate_all(assertions: list[Assertion], response: ResponseView) -> list[AssertionResult]:
    return [evaluate(assertion, response) for assertion in assertions]


def evaluate(assertion: Assertion, response: ResponseView) -> AssertionResult:
    """Evaluate one assertion. Any exception raised while checking it becomes a failed result."""
    handler = _HANDLERS.get(assertion.type.strip().lower())
    if handler is None:
        known = ", ".join(ASSERTION_TYPES)
        message = f"unknown assertion type {assertion.type!r}; known types: {known}"
        return _result(assertion, False, message, supported=False)
    try:
        return handler(assertion, response)
    except BodyNotJSON as error:
        return _result(assertion, False, str(error), actual=json_preview(response.text, ACTUAL_LIMIT))
    except (PathNotFound, InvalidAssertion) as error:
        return _result(assertion, False, str(error))
    except Exception as error:
        # A bug in one check must not hide the results of the others, so it is logged
        # and reported on this assertion alone.
        logger.exception("%s assertion on key %r failed with an unexpected error", assertion.type, assertion.key)
        return _result(assertion, False, f"{assertion.type} assertion could not be evaluated: {error!r}")


def _result(
    assertion: Assertion, passed: bool, message: str, *,
    actual: str | None = None, diff: list[DiffEntry] | None = None, supported: bool = True,
    diff_total: int | None = None,
) -> AssertionResult:
    return AssertionResult(
        type=assertion.type, passed=passed, key=assertion.key, expected=assertion.expected,
        actual=actual, message=message, diff=diff or [], supported=supported, diff_total=diff_total,
    )


def _expected_text(assertion: Assertion, example: str) -> str:
    text = "" if assertion.expected is None else str(assertion.expected).strip()
    if not text:
        raise InvalidAssertion(f"{assertion.type} needs expected_string, for example {example}")
    return text


def _invalid_expected(assertion: Assertion, text: str, accepted: str) -> InvalidAssertion:
    return InvalidAssertion(f"invalid expected_string {text!r} for {assertion.type}: expected {accepted}")


# Status code checks.


def _check_status_code(assertion: Assertion, response: ResponseView) -> AssertionResult:
    text = _expected_text(assertion, '"201"')
    if not text.isdigit():
        raise _invalid_expected(assertion, text, 'an HTTP status code such as "201"')
    expected = int(text)
    passed = response.status == expected
    message = f"status is {expected}" if passed else f"expected status {expected}, got {response.status}"
    return _result(assertion, passed, message, actual=str(response.status))


def _check_status_code_class(assertion: Assertion, response: ResponseView) -> AssertionResult:
    text = _expected_text(assertion, '"2xx"')
    match = _STATUS_CLASS.fullmatch(text)
    if match is None:
        raise _invalid_expected(assertion, text, 'a status class such as "2xx", or a status such as "200"')
    # A full status such as "200" is read as its class, 2xx, as Keploy reads it.
    expected_class = int(match.group(1))
    label = f"{expected_class}xx"
    passed = response.status // 100 == expected_class
    message = f"status {response.status} is {label}" if passed else f"expected status class {label}, got {response.status}"
    return _result(assertion, passed, message, actual=str(response.status))


def _check_status_code_in(assertion: Assertion, response: ResponseView) -> AssertionResult:
    text = _expected_text(assertion, '"200,201,204"')
    # A YAML or JSON list written as text, "[200, 201]", reads the same as "200,201".
    items = [item.strip() for item in text.strip("[]").split(",") if item.strip()]
    if not items or not all(item.isdigit() for item in items):
        raise _invalid_expected(assertion, text, 'comma-separated status codes such as "200,201,204"')
    allowed = [int(item) for item in items]
    listed = ", ".join(str(code) for code in allowed)
    passed = response.status in allowed
    message = f"status {response.status} is in {listed}" if passed else f"expected status in {listed}, got {response.status}"
    return _result(assertion, passed, message, actual=str(response.status))


# JSON body checks.


def _parse_expected_json(assertion: Assertion) -> Any:
    """Parse expected_string as JSON text, or take it as a plain string when it is not JSON.

    Keploy users often write `expected_string: Alice` for the string "Alice", and the
    text is not valid JSON, so it means that string. NaN and Infinity are not JSON and
    are read as strings too.
    """
    if assertion.expected is None:
        raise InvalidAssertion(f"{assertion.type} needs expected_string, for example '\"Alice\"' or '{{\"id\": 1}}'")
    if not isinstance(assertion.expected, str):
        # A value that is already parsed rather than text is used as is.
        return assertion.expected
    try:
        return _STRICT_JSON.decode(assertion.expected)
    except ValueError:
        return assertion.expected


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# One decoder for every call: json.loads with any option builds a new decoder each time,
# which cost more than decoding a short expected_string.
_STRICT_JSON = json.JSONDecoder(parse_constant=_reject_constant)


def _json_target(assertion: Assertion, response: ResponseView) -> tuple[Any, str]:
    """Return the value the key points to in the body, and that key written as `$.a.0.b`."""
    body = response.json()
    key = (assertion.key or "").strip()
    if not key:
        return body, "$"
    return resolve(body, key), _display_path(key)


@functools.lru_cache(maxsize=1024)
def _display_path(key: str) -> str:
    return format_path(parse_path(key))


def _check_json_equal(assertion: Assertion, response: ResponseView) -> AssertionResult:
    expected = _parse_expected_json(assertion)
    if _compares_body_text(assertion, response):
        return _check_body_text(assertion, response)
    actual, path = _json_target(assertion, response)
    diff = compare(expected, actual, ignore=assertion.ignore, base=path, ignore_order=assertion.ignore_order)
    actual_text = json_preview(actual, ACTUAL_LIMIT)
    if not diff:
        message = f"{path} equals {json_preview(expected, _MESSAGE_VALUE_LIMIT)}"
        if assertion.ignore:
            # "equals" alone would be untrue when an ignored path differs, or is the whole value.
            message += f", ignoring {', '.join(assertion.ignore)}"
        return _result(assertion, True, message, actual=actual_text)
    return _result(assertion, False, _summarize(diff), actual=actual_text, diff=diff[:_MAX_DIFF_ENTRIES],
                   diff_total=len(diff))


def _compares_body_text(assertion: Assertion, response: ResponseView) -> bool:
    """Tell whether a whole-body json_equal compares plain text: neither side is JSON.

    Importers write a recorded body that is not JSON (HTML, plain text, an empty body)
    this way, because a non-JSON expected_string already means a plain string.
    """
    if (assertion.key or "").strip() or not isinstance(assertion.expected, str):
        return False
    if _is_json_text(assertion.expected):
        return False
    try:
        response.json()
    except BodyNotJSON:
        return True
    return False


def _is_json_text(text: str) -> bool:
    try:
        _STRICT_JSON.decode(text)
    except ValueError:
        return False
    return True


def _check_body_text(assertion: Assertion, response: ResponseView) -> AssertionResult:
    expected = str(assertion.expected)
    actual_text = json_preview(response.text, ACTUAL_LIMIT)
    if response.text == expected:
        return _result(assertion, True, f"body equals {json_preview(expected, _MESSAGE_VALUE_LIMIT)}", actual=actual_text)
    message = (f"body: expected text {json_preview(expected, _MESSAGE_VALUE_LIMIT)}, "
               f"got {json_preview(response.text, _MESSAGE_VALUE_LIMIT)}")
    return _result(assertion, False, message, actual=actual_text)


def _check_json_contains(assertion: Assertion, response: ResponseView) -> AssertionResult:
    """Check that the expected value is a subset of the value at the key.

    When both are strings the check is substring containment, so `expected_string: lice`
    passes on "Alice". Inside objects and arrays, strings must be equal.
    """
    expected = _parse_expected_json(assertion)
    actual, path = _json_target(assertion, response)
    actual_text = json_preview(actual, ACTUAL_LIMIT)
    expected_text = json_preview(expected, _MESSAGE_VALUE_LIMIT)
    if isinstance(expected, str) and isinstance(actual, str):
        if expected in actual:
            return _result(assertion, True, f"{path} contains {expected_text}", actual=actual_text)
        message = f"expected {path} to contain {expected_text}, got {json_preview(actual, _MESSAGE_VALUE_LIMIT)}"
        return _result(assertion, False, message, actual=actual_text)
    diff = compare(expected, actual, ignore=assertion.ignore, contains=True, base=path)
    if not diff:
        return _result(assertion, True, f"{path} contains {expected_text}", actual=actual_text)
    return _result(assertion, False, _summarize(diff), actual=actual_text, diff=diff[:_MAX_DIFF_ENTRIES],
                   diff_total=len(diff))


def _summarize(diff: list[DiffEntry]) -> str:
    first = describe(diff[0], _MESSAGE_VALUE_LIMIT)
    others = len(diff) - 1
    if others == 0:
        return first
    return f"{first} (and {others} more difference{'s' if others > 1 else ''})"


def _check_schema(assertion: Assertion, response: ResponseView) -> AssertionResult:
    # jsonschema is imported here because it adds about 40 ms to every run's start-up
    # and most suites have no schema assertion.
    import referencing.exceptions

    validator = _build_validator(assertion)
    actual, path = _json_target(assertion, response)
    actual_text = json_preview(actual, ACTUAL_LIMIT)
    try:
        errors = list(validator.iter_errors(actual))
    except referencing.exceptions.Unresolvable as error:
        raise InvalidAssertion(
            f"schema reference {error.ref!r} cannot be resolved; only references inside the schema are supported"
        ) from None
    if not errors:
        return _result(assertion, True, f"{path} matches the schema", actual=actual_text)
    base = parse_path(path)
    listed = [
        f"{format_path(base + list(error.absolute_path))}: {_shorten(error.message)}"
        for error in errors[:_MAX_SCHEMA_ERRORS_LISTED]
    ]
    message = f"{len(errors)} schema error{'s' if len(errors) > 1 else ''}: " + "; ".join(listed)
    if len(errors) > _MAX_SCHEMA_ERRORS_LISTED:
        message += f"; and {len(errors) - _MAX_SCHEMA_ERRORS_LISTED} more"
    return _result(assertion, False, message, actual=actual_text)


def _build_validator(assertion: Assertion) -> Any:
    """Build a validator for the schema in expected_string, picking the draft from `$schema`.

    A schema without a known `$schema` is read as Draft 2020-12. The empty registry
    resolves `$ref` within the schema itself and fetches nothing over the network, so a
    remote `$ref` fails as unresolvable.
    NOTE: `format` is checked only where jsonschema has a checker with the installed
    packages. email, date, ipv4, ipv6 and uuid need none. date-time needs
    rfc3339-validator and uri needs rfc3987, and without them those formats pass unchecked.
    """
    import jsonschema
    import referencing

    text = _expected_text(assertion, '\'{"type": "object"}\'')
    try:
        schema = json.loads(text)
    except ValueError as error:
        raise InvalidAssertion(f"schema in expected_string is not valid JSON: {error}") from None
    if not isinstance(schema, (dict, bool)):
        raise InvalidAssertion(f"schema in expected_string must be a JSON object or boolean, got {json_preview(schema, 40)}")
    with warnings.catch_warnings():
        # jsonschema warns when `$schema` names an unknown draft, and the default draft applies then.
        warnings.simplefilter("ignore", DeprecationWarning)
        validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        validator_class.check_schema(schema)
    except jsonschema.SchemaError as error:
        location = format_path(list(error.absolute_path))
        raise InvalidAssertion(f"invalid JSON Schema at {location}: {_shorten(error.message)}") from None
    return validator_class(schema, registry=referencing.Registry(), format_checker=validator_class.FORMAT_CHECKER)


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else f"{text[:limit]}..."


# Header checks.


def _header_name(assertion: Assertion) -> str:
    name = (assertion.key or "").strip()
    if not name:
        raise InvalidAssertion(f"{assertion.type} needs the header name in key")
    return name


def _check_header(
    assertion: Assertion, response: ResponseView, verb: str, matches: Callable[[str], bool]
) -> AssertionResult:
    name = _header_name(assertion)
    values = response.header_values(name)
    if not values:
        return _result(assertion, False, f"header {name} not found")
    actual = values[0] if len(values) == 1 else json.dumps(values, ensure_ascii=False)
    expected = json_preview(assertion.expected or "", _MESSAGE_VALUE_LIMIT)
    if any(matches(value) for value in values):
        return _result(assertion, True, f"header {name} {verb} {expected}", actual=actual)
    got = ", ".join(json_preview(value, _MESSAGE_VALUE_LIMIT) for value in values)
    return _result(assertion, False, f"header {name}: no value {verb} {expected}, got {got}", actual=actual)


def _check_header_equal(assertion: Assertion, response: ResponseView) -> AssertionResult:
    expected = _expected_header_text(assertion)
    return _check_header(assertion, response, "equals", lambda value: value == expected)


def _check_header_contains(assertion: Assertion, response: ResponseView) -> AssertionResult:
    expected = _expected_header_text(assertion)
    return _check_header(assertion, response, "contains", lambda value: expected in value)


def _expected_header_text(assertion: Assertion) -> str:
    """Return expected_string unstripped, because an empty header value is a valid expectation."""
    if assertion.expected is None:
        raise InvalidAssertion(f"{assertion.type} needs expected_string, for example \"application/json\"")
    return str(assertion.expected)


def _check_header_matches(assertion: Assertion, response: ResponseView) -> AssertionResult:
    pattern_text = _expected_text(assertion, '"^application/json"')
    try:
        pattern = re.compile(pattern_text)
    except re.error as error:
        raise InvalidAssertion(f"invalid regular expression {pattern_text!r} in expected_string: {error}") from None
    return _check_header(assertion, response, "matches", lambda value: pattern.search(value) is not None)


def _check_header_exists(assertion: Assertion, response: ResponseView) -> AssertionResult:
    name = _header_name(assertion)
    text = "" if assertion.expected is None else str(assertion.expected).strip()
    if text.lower() not in ("", "true", "false"):
        raise _invalid_expected(assertion, text, '"true" or "false"')
    expected_present = text.lower() != "false"
    present = bool(response.header_values(name))
    actual = "present" if present else "absent"
    expected_state = "present" if expected_present else "absent"
    passed = present == expected_present
    message = f"header {name} is {actual}" if passed else f"expected header {name} to be {expected_state}, but it is {actual}"
    return _result(assertion, passed, message, actual=actual)


def _check_custom_functions(assertion: Assertion, response: ResponseView) -> AssertionResult:
    message = "JavaScript custom functions are not supported by keploy-tui; this assertion was not evaluated"
    return _result(assertion, False, message, supported=False)


_HANDLERS: dict[str, Callable[[Assertion, ResponseView], AssertionResult]] = {
    "status_code": _check_status_code,
    "status_code_class": _check_status_code_class,
    "status_code_in": _check_status_code_in,
    "json_equal": _check_json_equal,
    "json_path": _check_json_equal,
    "json_contains": _check_json_contains,
    "header_equal": _check_header_equal,
    "header_contains": _check_header_contains,
    "header_matches": _check_header_matches,
    "header_exists": _check_header_exists,
    "schema": _check_schema,
    "custom_functions": _check_custom_functions,
}
