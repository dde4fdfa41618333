"""What imported suites rely on: order-insensitive json_equal, plain-text bodies and the new suite keys."""

import pytest

from keploy_tui.engine.assertions import ResponseView, evaluate
from keploy_tui.engine.json_compare import compare
from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.suite_yaml import dump_suites, loads
from keploy_tui.model.suite import Assertion, Step, Suite


def response(body, status=200):
    return ResponseView(status=status, headers=[("Content-Type", "application/json")], text=body)


def test_ignore_order_matches_reordered_arrays():
    assert compare([1, [2, 3], {"a": [4, 5]}], [{"a": [5, 4]}, [3, 2], 1], ignore_order=True) == []


def test_ignore_order_counts_repeats():
    missing = compare([1, 1, 2], [1, 2], ignore_order=True)
    assert [(entry.path, entry.kind) for entry in missing] == [("$.0", "missing")]
    extra = compare([1, 2], [1, 2, 2], ignore_order=True)
    assert [(entry.kind, entry.actual) for entry in extra] == [("unexpected", 2)]


def test_ignore_order_keeps_types_apart():
    assert [entry.kind for entry in compare([True], [1], ignore_order=True)] == ["type_changed"]
    assert compare([1], [1.0], ignore_order=True) == []


def test_ignore_order_with_ignored_field_in_elements():
    expected = [{"id": 1, "at": "t1"}, {"id": 2, "at": "t2"}]
    actual = [{"id": 2, "at": "x"}, {"id": 1, "at": "y"}]
    assert compare(expected, actual, ignore=["$.at"], ignore_order=True) == []
    changed = compare(expected, [{"id": 3, "at": "x"}, {"id": 1, "at": "y"}], ignore=["$.at"], ignore_order=True)
    assert changed != []


def test_ordered_comparison_unchanged():
    assert [entry.path for entry in compare([1, 2], [2, 1])] == ["$.0", "$.1"]


def test_json_equal_ignore_order_assertion():
    assertion = Assertion(type="json_equal", expected='{"items": [1, 2, 3]}', ignore_order=True)
    assert evaluate(assertion, response('{"items": [3, 1, 2]}')).passed
    ordered = Assertion(type="json_equal", expected='{"items": [1, 2, 3]}')
    assert not evaluate(ordered, response('{"items": [3, 1, 2]}')).passed


def test_json_equal_plain_text_body():
    html = '<a href="https://example.test">See Other</a>.\n\n'
    assertion = Assertion(type="json_equal", expected=html)
    assert evaluate(assertion, response(html, 303)).passed
    result = evaluate(assertion, response("<a>other</a>", 303))
    assert not result.passed
    assert result.message.startswith("body: expected text")


def test_json_equal_empty_body_expected_empty():
    assert evaluate(Assertion(type="json_equal", expected=""), response("", 304)).passed
    assert not evaluate(Assertion(type="json_equal", expected=""), response("{}", 200)).passed


def test_json_equal_text_against_json_body_fails():
    assert not evaluate(Assertion(type="json_equal", expected="plain words"), response('{"a": 1}')).passed


def test_suite_keys_round_trip():
    suite = Suite(
        name="Imported",
        default_base_url="http://localhost:8080",
        steps=[Step(name="a", method="GET", url="/a", assertions=[
            Assertion(type="json_equal", expected="[1, 2]", ignore=["$.at"], ignore_order=True),
        ])],
    )
    text = dump_suites([suite])
    assert "default_base_url: http://localhost:8080" in text
    assert "ignore_order: true" in text
    assert loads(text) == [suite]


def test_bad_default_base_url():
    with pytest.raises(SuiteLoadError) as caught:
        loads("name: S\ndefault_base_url: localhost:8080\nsteps:\n  - {name: a, method: GET, url: /a}\n", "s.yaml")
    assert "s.yaml:2: suite 'S': 'default_base_url' must be an http:// or https:// URL" in str(caught.value)


@pytest.mark.parametrize(
    ("assertion", "message"),
    [
        ("{type: json_equal, expected_string: '[1]', ignore_order: yes please}", "must be true or false"),
        ("{type: status_code, expected_string: '200', ignore_order: true}", "applies to json_equal"),
    ],
)
def test_bad_ignore_order(assertion, message):
    with pytest.raises(SuiteLoadError) as caught:
        loads(f"name: S\nsteps:\n  - name: a\n    method: GET\n    url: /a\n    assert:\n      - {assertion}\n", "s.yaml")
    assert message in str(caught.value)
