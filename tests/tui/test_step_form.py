"""The step editor's field checks, without a screen: URLs, JSON paths and line-based fields."""

from __future__ import annotations

import pytest

from keploy_tui.tui.step_form import AssertionFields, FormError, StepFields, build_step


def errors_for(fields: StepFields) -> list[FormError]:
    result = build_step(fields, None, [])
    assert isinstance(result, list), f"saved: {result!r}"
    return result


def fields_with(**changes) -> StepFields:
    fields = StepFields(name="Read post", method="GET", url="/posts/1")
    for name, value in changes.items():
        setattr(fields, name, value)
    return fields


@pytest.mark.parametrize(("url", "message"), [
    ("http://", "Missing host after http://"),
    ("HTTPS://", "Missing host after https://"),
    ("https://:80/x", "Missing host after https://"),
    ("http://host:99999/x", "Invalid port"),
    ("http://host:0/x", "Invalid port"),
    ("http://[::1", "Invalid IPv6 URL"),
])
def test_absolute_url_without_host_or_port(url, message):
    errors = errors_for(fields_with(url=url))
    assert [error.field for error in errors] == ["url"]
    assert f"URL '{url}' is not valid" in errors[0].message
    assert message in errors[0].message


@pytest.mark.parametrize("url", [
    "/posts/1",
    "posts/1",
    "{{base}}/posts/1",
    "http://{{host}}:{{port}}/posts/1",
    "http://127.0.0.1:8000/posts?id=1#top",
    "HTTP://[::1]:8000/posts",
    "/redirect?to=http://",
])
def test_valid_urls_still_save(url):
    assert not isinstance(build_step(fields_with(url=url), None, []), list)


def test_extract_invalid_path_named():
    errors = errors_for(fields_with(extract="post_id: $.id\nx: $.[[["))
    assert [error.field for error in errors] == ["extract"]
    assert errors[0].message.startswith("Extract line 2: invalid JSON path '$.[[['")


def test_extract_templated_path_allowed():
    assert not isinstance(build_step(fields_with(extract="x: $.{{field}}"), None, []), list)


@pytest.mark.parametrize("kind", ["json_equal", "json_path", "json_contains"])
def test_assertion_invalid_path_named(kind):
    assertions = [AssertionFields(type="status_code", expected="200"),
                  AssertionFields(type=kind, key="$.[[[", expected="1")]
    errors = errors_for(fields_with(assertions=assertions))
    assert [error.field for error in errors] == ["assert[1]"]
    assert errors[0].message.startswith("Assertion 2: invalid JSON path '$.[[['")


def test_assertion_templated_path_allowed():
    assertions = [AssertionFields(type="json_equal", key="$.{{field}}", expected="1")]
    assert not isinstance(build_step(fields_with(assertions=assertions), None, []), list)


@pytest.mark.parametrize(("field", "text", "message"), [
    ("headers", "Accept", "Headers line 1: write one 'Name: value' per line"),
    ("headers", "Accept: a\naccept: b", "Headers line 2: 'accept' is given twice"),
    ("extract", "$.id", "Extract line 1: write one 'variable: $.path' per line"),
    ("extract", "x: $.a\nx: $.b", "Extract line 2: 'x' is given twice"),
])
def test_line_errors_name_field(field, text, message):
    errors = errors_for(fields_with(**{field: text}))
    assert [error.field for error in errors] == [field]
    assert errors[0].message.startswith(message)
