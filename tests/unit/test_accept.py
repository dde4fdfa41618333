"""Accepting actual values and ignoring differing paths of a failed attempt."""

import pytest

from keploy_tui.engine.accept import AcceptError, accept_actual, accept_step, ignore_differences
from keploy_tui.model import Assertion, AssertionResult, Attempt, DiffEntry, ResponseRecord, Step

BODY = '{"id": 7, "user": {"name": "Ann"}, "token": "<redacted>"}'


def attempt_with(results, body=BODY, status=404, headers=(("Content-Type", "text/html"),)):
    response = ResponseRecord(status=status, headers=[list(item) for item in headers], body=body)
    return Attempt(started_at="", duration_ms=1.0, passed=False, response=response, assertions=results)


def failed(assertion):
    return AssertionResult(type=assertion.type, passed=False, key=assertion.key, expected=assertion.expected)


@pytest.mark.parametrize(("assertion", "expected"), [
    (Assertion(type="status_code", expected="200"), "404"),
    (Assertion(type="status_code_class", expected="2xx"), "4xx"),
    (Assertion(type="status_code_in", expected="200,201"), "200,201,404"),
    (Assertion(type="header_equal", key="content-type", expected="application/json"), "text/html"),
    (Assertion(type="header_matches", key="Content-Type", expected="json"), "^text/html$"),
    (Assertion(type="header_exists", key="X-Missing", expected="true"), "false"),
    (Assertion(type="json_equal", key="$.user", expected='{"name": "Bob"}'), '{"name": "Ann"}'),
    (Assertion(type="json_contains", key="$.user.name", expected='"Bo"'), '"Ann"'),
    (Assertion(type="json_path", key="$.id", expected="8"), "7"),
])
def test_accept_actual_by_type(assertion, expected):
    step = Step(name="s", method="GET", url="/", assertions=[assertion])
    change = accept_actual(step, attempt_with([failed(assertion)]), 0)
    assert change.index == 0
    assert change.after.expected == expected


def test_accept_rejects_redacted_value():
    assertion = Assertion(type="json_equal", key="$.token", expected='"x"')
    step = Step(name="s", method="GET", url="/", assertions=[assertion])
    with pytest.raises(AcceptError, match="redacted"):
        accept_actual(step, attempt_with([failed(assertion)]), 0)


def test_accept_matches_second_same_type():
    first = Assertion(type="status_code", expected="200")
    second = Assertion(type="json_equal", key="$.id", expected="1")
    third = Assertion(type="json_equal", key="$.id", expected="2")
    step = Step(name="s", method="GET", url="/", assertions=[first, second, third])
    results = [failed(first), failed(second), failed(third)]
    assert accept_actual(step, attempt_with(results), 2).index == 2
    assert [change.index for change in accept_step(step, attempt_with(results))] == [0, 1, 2]


def test_ignore_adds_diff_paths_once():
    assertion = Assertion(type="json_equal", expected='{"id": 1}', ignore=["$.a"])
    result = failed(assertion)
    result.diff = [DiffEntry(path="$.id", kind="changed"), DiffEntry(path="$.a", kind="changed")]
    step = Step(name="s", method="GET", url="/", assertions=[assertion])
    assert ignore_differences(step, attempt_with([result]), 0).after.ignore == ["$.a", "$.id"]


def test_ignore_needs_json_diff():
    assertion = Assertion(type="status_code", expected="200")
    step = Step(name="s", method="GET", url="/", assertions=[assertion])
    with pytest.raises(AcceptError, match="only a failed JSON comparison"):
        ignore_differences(step, attempt_with([failed(assertion)]), 0)
