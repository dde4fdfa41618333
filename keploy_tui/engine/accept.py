"""Turning a failed assertion into a passing one: accept the actual value, or ignore the paths that differ.

The actual value is read from the attempt's stored response (status, headers, body),
because AssertionResult.actual is display text cut at a few kilobytes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from keploy_tui.engine.jsonpath import PathNotFound, resolve
from keploy_tui.model import REDACTED, Assertion, AssertionResult, Attempt, Step

JSON_DIFF_TYPES = ("json_equal", "json_path", "json_contains")


class AcceptError(ValueError):
    """The assertion cannot be changed this way; the message gives the reason."""


@dataclass(frozen=True)
class AssertionChange:
    """One assertion of a step before and after a change, with its position in the step."""

    index: int
    before: Assertion
    after: Assertion


def assertion_index(step: Step, attempt: Attempt, result_index: int) -> int:
    """Return the position in `step.assertions` of the assertion behind `attempt.assertions[result_index]`.

    Results are matched by type and key, counting earlier results of the same type and
    key, because a result of a missing variable comes before the evaluated ones and
    extraction failures come last. Raises AcceptError when the step has no such assertion.
    """
    result = attempt.assertions[result_index]
    if result.type == "extract":
        raise AcceptError(f"extracting '{result.key}' failed; change the extract path in the step editor")
    same = [item for item in attempt.assertions[:result_index] if _same_check(item, result)]
    candidates = [index for index, assertion in enumerate(step.assertions)
                  if assertion.type == result.type and assertion.key == result.key]
    if not candidates:
        # A key with a {{variable}} is stored substituted, so only the type can match it.
        candidates = [index for index, assertion in enumerate(step.assertions) if assertion.type == result.type]
    if len(same) >= len(candidates):
        raise AcceptError(f"step '{step.name}' has no {result.type} assertion on this key any more; "
                          "it was edited since the run")
    return candidates[len(same)]


def _same_check(item: AssertionResult, result: AssertionResult) -> bool:
    return item.type == result.type and item.key == result.key


def accept_actual(step: Step, attempt: Attempt, result_index: int) -> AssertionChange:
    """Return the change that makes the assertion expect what the response contained."""
    result = attempt.assertions[result_index]
    if result.passed:
        raise AcceptError("this assertion passed; only a failed one can take the actual value")
    index = assertion_index(step, attempt, result_index)
    before = step.assertions[index]
    expected = actual_expected(before, result, attempt)
    return AssertionChange(index, before, replace(before, expected=expected))


def ignore_differences(step: Step, attempt: Attempt, result_index: int) -> AssertionChange:
    """Return the change that adds the differing JSON paths to the assertion's ignore list."""
    result = attempt.assertions[result_index]
    if result.type not in JSON_DIFF_TYPES or not result.diff:
        raise AcceptError("only a failed JSON comparison with differing paths can ignore them; "
                          "press a to take the actual value instead")
    index = assertion_index(step, attempt, result_index)
    before = step.assertions[index]
    paths = list(before.ignore)
    for entry in result.diff:
        if entry.path not in paths:
            paths.append(entry.path)
    return AssertionChange(index, before, replace(before, ignore=paths))


def accept_step(step: Step, attempt: Attempt) -> list[AssertionChange]:
    """Return a change for every failed assertion of the attempt that can take the actual value.

    Raises AcceptError when none can, naming the first reason.
    """
    changes: list[AssertionChange] = []
    reasons: list[str] = []
    for result_index, result in enumerate(attempt.assertions):
        if result.passed:
            continue
        try:
            changes.append(accept_actual(step, attempt, result_index))
        except AcceptError as error:
            reasons.append(str(error))
    if not changes:
        raise AcceptError(reasons[0] if reasons else "every assertion of this step passed")
    return changes


def apply_changes(step: Step, changes: list[AssertionChange]) -> Step:
    assertions = list(step.assertions)
    for change in changes:
        assertions[change.index] = change.after
    return replace(step, assertions=assertions)


def actual_expected(assertion: Assertion, result: AssertionResult, attempt: Attempt) -> str:
    """Return the expected text under which `assertion` passes on the attempt's response."""
    response = attempt.response
    if response is None:
        raise AcceptError(f"the request failed ({attempt.error_kind or 'no response'}), so there is no "
                          "actual value to accept")
    kind = assertion.type
    if kind == "status_code":
        return str(response.status)
    if kind == "status_code_class":
        return f"{response.status // 100}xx"
    if kind == "status_code_in":
        codes = [code.strip() for code in (assertion.expected or "").split(",") if code.strip()]
        return ",".join([*codes, str(response.status)])
    if kind.startswith("header_"):
        return _header_expected(kind, result.key or "", response.headers)
    if kind in JSON_DIFF_TYPES:
        return _json_expected(result, response.body, response.base64, response.truncated)
    raise AcceptError(f"a {kind} assertion cannot take the actual value; edit it in the step editor")


def _header_expected(kind: str, name: str, headers: list[list[str]]) -> str:
    values = [value for header, value in headers if header.lower() == name.strip().lower()]
    if kind == "header_exists":
        return "true" if values else "false"
    if not values:
        raise AcceptError(f"the response has no header '{name}'; delete the assertion, or use header_exists "
                          "with expected \"false\"")
    if REDACTED in values[0]:
        raise AcceptError(f"header '{name}' was stored redacted, so its value is unknown")
    if kind == "header_matches":
        return f"^{re.escape(values[0])}$"
    return values[0]


def _json_expected(result: AssertionResult, body: str, base64: bool, truncated: bool) -> str:
    if base64 or truncated:
        raise AcceptError("the stored response body is binary or truncated, so the actual value is "
                          "incomplete; edit the expected value by hand")
    try:
        document = json.loads(body)
    except ValueError:
        if result.key:
            raise AcceptError("the response body is not JSON, so it has no value at "
                              f"{result.key}") from None
        # A whole-body json_equal on a body that is not JSON compares the text itself.
        return body
    try:
        value = resolve(document, result.key) if result.key else document
    except PathNotFound as error:
        raise AcceptError(f"{error}; delete the assertion or change its key") from None
    text = json.dumps(value, ensure_ascii=False)
    # NOTE: a body that echoed a secret is stored with "<redacted>" in its place, which
    # would become the expected value, so such a body is rejected.
    if REDACTED in text:
        raise AcceptError("the actual value contains a redacted secret; edit the expected value by hand")
    return text
