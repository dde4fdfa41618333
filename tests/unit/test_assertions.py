import json
import urllib.request

import pytest

from keploy_tui.engine import assertions
from keploy_tui.engine.assertions import BodyNotJSON, ResponseView, evaluate, evaluate_all
from keploy_tui.model import Assertion
from keploy_tui.model.suite import ASSERTION_TYPES

USER = {"id": 42, "name": "Alice", "tags": ["admin", "dev"], "createdAt": "2024-01-01T00:00:00Z",
        "items": [{"id": 1, "sku": "a"}, {"id": 2, "sku": "b"}]}
HEADERS = [
    ("Content-Type", "application/json; charset=utf-8"),
    ("Set-Cookie", "session=abc; HttpOnly"),
    ("Set-Cookie", "theme=dark"),
]


def response(status=200, body=USER, headers=HEADERS):
    text = body if isinstance(body, str) else json.dumps(body)
    return ResponseView(status=status, headers=list(headers), text=text)


def check(kind, key=None, expected=None, ignore=(), **response_fields):
    return evaluate(Assertion(type=kind, key=key, expected=expected, ignore=list(ignore)), response(**response_fields))


# Status codes.


def test_status_code_passes():
    assert check("status_code", expected="200").passed


def test_status_code_fails_with_message():
    result = check("status_code", expected="201", status=404)
    assert (result.passed, result.message) == (False, "expected status 201, got 404")


def test_status_code_reports_actual():
    assert check("status_code", expected="201", status=404).actual == "404"


def test_status_code_invalid_expected():
    result = check("status_code", expected="created")
    assert result.message == "invalid expected_string 'created' for status_code: expected an HTTP status code such as \"201\""


def test_status_code_missing_expected():
    assert check("status_code").message == 'status_code needs expected_string, for example "201"'


@pytest.mark.parametrize("expected", ["2xx", "2XX", "200", "204", "2"])
def test_status_code_class_passes(expected):
    assert check("status_code_class", expected=expected, status=201).passed


def test_status_code_class_fails():
    result = check("status_code_class", expected="2xx", status=404)
    assert (result.passed, result.message) == (False, "expected status class 2xx, got 404")


def test_status_code_class_invalid():
    assert not check("status_code_class", expected="success").passed


def test_status_code_in_tolerates_spaces():
    assert check("status_code_in", expected=" 200 , 201,204", status=204).passed


def test_status_code_in_fails():
    result = check("status_code_in", expected="200,201", status=500)
    assert result.message == "expected status in 200, 201, got 500"


def test_status_code_in_reads_list_text():
    assert check("status_code_in", expected="[200, 201]", status=201).passed


def test_status_code_in_invalid():
    result = check("status_code_in", expected="200,ok")
    assert result.message.startswith("invalid expected_string '200,ok' for status_code_in")


# json_equal and json_path.


@pytest.mark.parametrize("kind", ["json_equal", "json_path"])
def test_json_equal_at_path(kind):
    assert check(kind, key="$.name", expected='"Alice"').passed


@pytest.mark.parametrize("key", ["users.0.name", "$.users[0].name", "$.users.0.name"])
def test_json_equal_path_syntaxes(key):
    assert check("json_equal", key=key, expected='"Bob"', body={"users": [{"name": "Bob"}]}).passed


@pytest.mark.parametrize("key", [None, "", "$"])
def test_json_equal_whole_body(key):
    assert check("json_equal", key=key, expected=json.dumps(USER)).passed


def test_json_equal_plain_string_fallback():
    assert check("json_equal", key="$.name", expected="Alice").passed


def test_json_equal_number_ignores_float_form():
    assert check("json_equal", key="$.id", expected="42.0").passed


def test_json_equal_nan_text_is_a_string():
    assert check("json_equal", key="$.v", expected="NaN", body={"v": "NaN"}).passed


def test_json_equal_value_mismatch():
    result = check("json_equal", key="$.name", expected='"Bob"')
    assert result.message == '$.name: expected "Bob", got "Alice"'


def test_json_equal_actual_is_json_text():
    assert check("json_equal", key="$.name", expected='"Bob"').actual == '"Alice"'


def test_json_equal_type_change_message():
    result = check("json_equal", key="$.id", expected='"42"')
    assert result.message == '$.id: expected string "42", got integer 42'


def test_json_equal_diff_entries():
    result = check("json_equal", key="$.id", expected='"42"')
    assert [(entry.path, entry.kind) for entry in result.diff] == [("$.id", "type_changed")]


def test_json_equal_counts_other_differences():
    result = check("json_equal", expected='{"id": 1, "name": "Bob"}', body={"id": 2, "name": "Eve"})
    assert result.message == "$.id: expected 1, got 2 (and 1 more difference)"


def test_json_equal_ignore_paths():
    expected = dict(USER, createdAt="2000-01-01", items=[{"id": 8, "sku": "a"}, {"id": 9, "sku": "b"}])
    result = check("json_equal", expected=json.dumps(expected), ignore=["$.createdAt", "$.items.id"])
    assert result.passed
    assert result.message.endswith(", ignoring $.createdAt, $.items.id")


def test_json_equal_ignore_with_index_keeps_others():
    expected = dict(USER, items=[{"id": 8, "sku": "a"}, {"id": 9, "sku": "b"}])
    result = check("json_equal", expected=json.dumps(expected), ignore=["$.items.0.id"])
    assert [entry.path for entry in result.diff] == ["$.items.1.id"]


def test_json_equal_ignore_under_key():
    result = check("json_equal", key="$.items.0", expected='{"id": 5, "sku": "a"}', ignore=["$.items.id"])
    assert result.passed


def test_json_equal_path_not_found():
    result = check("json_equal", key="$.items.3.id", expected="1")
    assert result.message == "path not found: $.items.3.id (no index 3 in a list of 2 at $.items)"


def test_json_equal_body_not_json():
    result = check("json_equal", key="$.id", expected="1", body="<html>oops</html>")
    assert result.message.startswith("response body is not valid JSON (Expecting value")


def test_json_equal_body_not_json_shows_body():
    result = check("json_equal", key="$.id", expected="1", body="<html>oops</html>")
    assert result.actual == '"<html>oops</html>"'


def test_json_equal_empty_body():
    assert check("json_equal", expected="{}", body="").message == "response body is empty, expected JSON"


def test_json_equal_missing_expected():
    assert not check("json_equal", key="$.id").passed


# json_contains.


def test_json_contains_object_subset():
    assert check("json_contains", expected='{"name": "Alice", "tags": ["dev"]}').passed


def test_json_contains_nested_arrays():
    body = {"orders": [{"id": 1, "lines": [{"sku": "a"}, {"sku": "b"}]}, {"id": 2, "lines": []}]}
    assert check("json_contains", key="$.orders", expected='[{"lines": [{"sku": "b"}]}]', body=body).passed


def test_json_contains_missing_element():
    result = check("json_contains", key="$.tags", expected='["root"]')
    assert result.message == '$.tags: missing, expected string "root"'


def test_json_contains_missing_key():
    result = check("json_contains", expected='{"email": "a@example.com"}')
    assert [(entry.path, entry.kind) for entry in result.diff] == [("$.email", "missing")]


def test_json_contains_substring():
    assert check("json_contains", key="$.name", expected="lic").passed


def test_json_contains_substring_fails():
    result = check("json_contains", key="$.name", expected='"Bob"')
    assert result.message == 'expected $.name to contain "Bob", got "Alice"'


# Headers.


@pytest.mark.parametrize("name", ["content-type", "CONTENT-TYPE", " Content-Type "])
def test_header_name_any_case(name):
    assert check("header_equal", key=name, expected="application/json; charset=utf-8").passed


def test_header_equal_fails():
    result = check("header_equal", key="Content-Type", expected="text/html")
    assert result.message == 'header Content-Type: no value equals "text/html", got "application/json; charset=utf-8"'


def test_header_missing():
    result = check("header_equal", key="X-Request-Id", expected="1")
    assert (result.passed, result.message) == (False, "header X-Request-Id not found")


def test_header_without_key():
    assert check("header_equal", expected="1").message == "header_equal needs the header name in key"


def test_header_contains_passes():
    assert check("header_contains", key="content-type", expected="application/json").passed


def test_header_contains_fails():
    assert not check("header_contains", key="content-type", expected="xml").passed


def test_header_matches_passes():
    assert check("header_matches", key="Content-Type", expected=r"^application/json\b").passed


def test_header_matches_fails():
    assert not check("header_matches", key="Content-Type", expected="^text/").passed


def test_header_matches_bad_regex():
    result = check("header_matches", key="Content-Type", expected="(json")
    assert result.message == "invalid regular expression '(json' in expected_string: missing ), unterminated subpattern at position 0"


def test_repeated_header_equal_matches_second():
    assert check("header_equal", key="set-cookie", expected="theme=dark").passed


def test_repeated_header_contains_matches_first():
    assert check("header_contains", key="set-cookie", expected="session=").passed


def test_repeated_header_actual_lists_all():
    result = check("header_equal", key="Set-Cookie", expected="x")
    assert result.actual == '["session=abc; HttpOnly", "theme=dark"]'


@pytest.mark.parametrize(
    ("key", "expected", "passed"),
    [
        ("Set-Cookie", "true", True),
        ("set-cookie", None, True),
        ("Set-Cookie", "", True),
        ("X-Debug", "false", True),
        ("X-Debug", "FALSE", True),
        ("Set-Cookie", "false", False),
        ("X-Debug", "true", False),
    ],
)
def test_header_exists(key, expected, passed):
    assert check("header_exists", key=key, expected=expected).passed is passed


def test_header_exists_message():
    assert check("header_exists", key="X-Debug").message == "expected header X-Debug to be present, but it is absent"


def test_header_exists_invalid_expected():
    assert not check("header_exists", key="Set-Cookie", expected="maybe").passed


# Schema.

USER_SCHEMA = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}


def test_schema_passes():
    assert check("schema", expected=json.dumps(USER_SCHEMA)).passed


def test_schema_errors_listed_with_paths():
    result = check("schema", expected=json.dumps(USER_SCHEMA), body={"id": "x"})
    assert result.message == "2 schema errors: $: 'name' is a required property; $.id: 'x' is not of type 'integer'"


def test_schema_at_key():
    result = check("schema", key="$.items", expected='{"type": "array", "items": {"properties": {"id": {"type": "string"}}}}')
    assert result.message == "2 schema errors: $.items.0.id: 1 is not of type 'string'; $.items.1.id: 2 is not of type 'string'"


def test_schema_not_json():
    result = check("schema", expected="{type: object}")
    assert result.message.startswith("schema in expected_string is not valid JSON")


def test_schema_invalid():
    result = check("schema", expected='{"type": "nope"}')
    assert result.message.startswith("invalid JSON Schema at $.type: 'nope' is not valid")


def test_schema_defaults_to_2020_12():
    assert not check("schema", expected='{"prefixItems": [{"type": "integer"}]}', body=["x"]).passed


def test_schema_reads_draft_from_dollar_schema():
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "prefixItems": [{"type": "integer"}]}
    assert check("schema", expected=json.dumps(schema), body=["x"]).passed


def test_schema_checks_formats():
    assert not check("schema", expected='{"format": "email"}', body='"not an address"').passed


def test_schema_remote_ref_is_not_fetched():
    schema = {"$ref": "http://127.0.0.1:9/user.json"}
    result = check("schema", expected=json.dumps(schema))
    assert result.message == (
        "schema reference 'http://127.0.0.1:9/user.json' cannot be resolved; "
        "only references inside the schema are supported"
    )


def test_schema_remote_ref_opens_no_url(monkeypatch):
    opened = []
    monkeypatch.setattr(urllib.request, "urlopen", lambda *args, **kwargs: opened.append(args))
    check("schema", expected='{"$ref": "http://127.0.0.1:9/user.json"}')
    assert opened == []


def test_schema_local_ref_resolves():
    schema = {"$defs": {"id": {"type": "string"}}, "properties": {"id": {"$ref": "#/$defs/id"}}}
    assert not check("schema", expected=json.dumps(schema)).passed


# Unsupported and unknown types.


def test_custom_functions_not_supported():
    result = check("custom_functions", expected="return true;")
    assert (result.passed, result.supported) == (False, False)


def test_custom_functions_message():
    result = check("custom_functions", expected="return true;")
    assert result.message == "JavaScript custom functions are not supported by keploy-tui; this assertion was not evaluated"


def test_unknown_type():
    result = check("body_regex", expected="x")
    assert (result.passed, result.supported) == (False, False)


def test_unknown_type_message_lists_known():
    message = check("body_regex", expected="x").message
    assert message == "unknown assertion type 'body_regex'; known types: " + ", ".join(ASSERTION_TYPES)


def test_every_known_type_has_handler():
    assert set(assertions._HANDLERS) == set(ASSERTION_TYPES)


# Independence.


def test_broken_assertions_do_not_hide_others():
    batch = [
        Assertion(type="status_code", expected="200"),
        Assertion(type="header_matches", key="Content-Type", expected="(["),
        Assertion(type="json_equal", key="$.missing", expected="1"),
        Assertion(type="schema", expected='{"type": 5}'),
        Assertion(type="custom_functions", expected="x"),
        Assertion(type="header_exists", key="set-cookie", expected="true"),
    ]
    results = evaluate_all(batch, response())
    assert [result.passed for result in results] == [True, False, False, False, False, True]


def test_body_not_json_does_not_hide_header_checks():
    batch = [Assertion(type="json_equal", key="$.id", expected="1"), Assertion(type="header_exists", key="Set-Cookie")]
    results = evaluate_all(batch, response(body="not json"))
    assert [result.passed for result in results] == [False, True]


def test_unexpected_error_becomes_failed_result(monkeypatch):
    def explode(assertion, view):
        raise RuntimeError("boom")

    monkeypatch.setitem(assertions._HANDLERS, "status_code", explode)
    result = evaluate(Assertion(type="status_code", expected="200"), response())
    assert result.message == "status_code assertion could not be evaluated: RuntimeError('boom')"


def test_result_carries_assertion_fields():
    result = check("json_equal", key="$.id", expected="42")
    assert (result.type, result.key, result.expected) == ("json_equal", "$.id", "42")


# ResponseView.


def test_response_view_parses_once():
    view = response()
    assert view.json() is view.json()


def test_response_view_empty_body_raises():
    with pytest.raises(BodyNotJSON):
        response(body="").json()


def test_response_view_header_values_in_order():
    assert response().header_values("SET-COOKIE") == ["session=abc; HttpOnly", "theme=dark"]


def test_json_equal_counts_unlisted_differences():
    expected = Assertion(type="json_equal", expected=json.dumps(list(range(150))))
    response = ResponseView(status=200, headers=[], text=json.dumps([value + 1 for value in range(150)]))
    result = evaluate(expected, response)
    assert len(result.diff) == 100
    assert result.diff_total == 150

