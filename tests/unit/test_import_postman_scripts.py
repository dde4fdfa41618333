"""Translating Postman test scripts into assertions and extractions, and listing what is not translated."""

import json

import pytest

from keploy_tui.formats.importers import load_any
from keploy_tui.formats.postman_scripts import translate_script
from keploy_tui.model.suite import Assertion

V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def translate(*lines, listen="test", variables=None):
    values = variables or {}
    return translate_script(list(lines), listen, values.get)


def checks(*lines):
    result = translate(*lines)
    assert result.untranslated == []
    return [(a.type, a.key, a.expected) for a in result.assertions]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("pm.response.to.have.status(201);", ("status_code", None, "201")),
        ("pm.expect(pm.response.code).to.eql(200);", ("status_code", None, "200")),
        ("pm.expect(pm.response.code).to.be.oneOf([200, 204]);", ("status_code_in", None, "200,204")),
        ('tests["Status code is 200"] = responseCode.code === 200;', ("status_code", None, "200")),
        ("pm.response.to.be.success;", ("status_code_class", None, "2xx")),
        ("pm.response.to.be.ok;", ("status_code", None, "200")),
        ('pm.response.to.have.header("Content-Type");', ("header_exists", "Content-Type", "true")),
        ('pm.response.to.not.have.header("X-Debug");', ("header_exists", "X-Debug", "false")),
        ("pm.expect(pm.response.headers.get('Content-Type')).to.include('json');",
         ("header_contains", "Content-Type", "json")),
        ("pm.expect(pm.response.json().user.name).to.eql('Ada');", ("json_equal", "$.user.name", '"Ada"')),
        ("pm.expect(pm.response.json().items[0].id).to.equal(7);", ("json_equal", "$.items.0.id", "7")),
        ("pm.expect(pm.response.json()['ok']).to.be.true;", ("json_equal", "$.ok", "true")),
        ("pm.expect(pm.response.json().tags).to.eql(['a', \"b\"]);", ("json_equal", "$.tags", '["a", "b"]')),
        ("pm.expect(pm.response.json().count).to.be.above(0);",
         ("schema", "$.count", '{"type": "number", "exclusiveMinimum": 0}')),
        ("pm.expect(pm.response.json().id).to.be.a('string');", ("schema", "$.id", '{"type": "string"}')),
        ("pm.response.to.have.jsonBody('user.id');", ("schema", "$.user.id", "{}")),
    ],
)
def test_single_line_checks(line, expected):
    assert checks(line) == [expected]


def test_json_alias_and_legacy_tests():
    assert checks(
        "var data = JSON.parse(responseBody);",
        "var user = data.user || {};",
        "tests['has email'] = user.hasOwnProperty('email');",
        "tests['id is integer'] = Number.isInteger(user.id);",
        "tests['tags are a list'] = Array.isArray(data.tags);",
        "tests['name'] = user.name === 'Ada';",
        "tests['created is ISO'] = /^\\d{4}-\\d{2}$/.test(user.created);",
        "tests['count positive'] = data.count > 0;",
    ) == [
        ("schema", "$.user", '{"required": ["email"]}'),
        ("schema", "$.user.id", '{"type": "integer"}'),
        ("schema", "$.tags", '{"type": "array"}'),
        ("json_equal", "$.user.name", '"Ada"'),
        ("schema", "$.user.created", '{"type": "string", "pattern": "^\\\\d{4}-\\\\d{2}$"}'),
        ("schema", "$.count", '{"type": "number", "exclusiveMinimum": 0}'),
    ]


def test_pm_test_blocks_and_chains():
    assert checks(
        "const body = pm.response.json();",
        'pm.test("Status code is 200", function () {',
        "    pm.response.to.have.status(200);",
        "});",
        'pm.test("sanity", () => {',
        "    pm.expect(body).to.have.property('method', 'PUT');",
        "    pm.expect(body).to.have.property('headers')",
        "        .that.have.property('referer', 'http://x.test/1');",
        "});",
    ) == [
        ("status_code", None, "200"),
        ("json_equal", "$.method", '"PUT"'),
        ("schema", None, '{"required": ["headers"]}'),
        ("json_equal", "$.headers.referer", '"http://x.test/1"'),
    ]


def test_one_line_pm_test():
    assert checks('pm.test("ok", function () { pm.response.to.have.status(200); });') == [
        ("status_code", None, "200")
    ]


def test_setters_become_extractions():
    result = translate(
        "var jsonData = pm.response.json();",
        "pm.environment.set('token', jsonData.token);",
        'pm.globals.set("userId", jsonData.user.id);',
        "pm.collectionVariables.set('first', jsonData.items[0].id);",
        'postman.setEnvironmentVariable("legacy", jsonData.legacy);',
        "pm.environment.set('mode', 'fast');",
    )
    assert result.untranslated == []
    assert result.extract == {"token": "$.token", "userId": "$.user.id", "first": "$.items.0.id", "legacy": "$.legacy"}
    assert result.variables == {"mode": "fast"}


def test_prerequest_literal_sets():
    result = translate("pm.variables.set('one', '1');", "pm.environment.set('two', 2);", "console.log('x');",
                       listen="prerequest")
    assert result.local_variables == {"one": "1"}
    assert result.variables == {"two": "2"}
    assert result.untranslated == ["line 3: `console.log('x')` (pre-request scripts are not run)"]


def test_untranslated_lines_listed_with_numbers():
    result = translate(
        "pm.response.to.have.status(200);",
        "",
        "// a comment",
        "pm.expect(pm.response.responseTime).to.be.below(200);",
        "pm.expect(pm.response.json().a).to.not.eql(1);",
    )
    assert [a.type for a in result.assertions] == ["status_code"]
    assert [entry.split(":")[0] for entry in result.untranslated] == ["line 4", "line 5"]
    assert "negated checks have no equivalent here" in result.untranslated[1]


def test_skipped_test_not_imported():
    result = translate("pm.test.skip('later', function () {", "    pm.response.to.have.status(200);", "});")
    assert result.assertions == []
    assert len(result.untranslated) == 2
    assert all("pm.test.skip" in entry for entry in result.untranslated)


def test_guard_on_asserted_status_translated():
    assert checks(
        "var is200 = responseCode.code === 200;",
        "tests['200'] = is200;",
        "if (is200) {",
        "    var data = JSON.parse(responseBody);",
        "    tests['ok'] = data.ok === true;",
        "}",
    ) == [("status_code", None, "200"), ("json_equal", "$.ok", "true")]


def test_unknown_condition_and_else_not_translated():
    result = translate(
        "var data = pm.response.json();",
        "if (data.items.length) {",
        "    tests['first'] = data.items[0].id === 1;",
        "} else {",
        "    tests['empty'] = data.count === 0;",
        "}",
    )
    assert result.assertions == []
    reasons = [entry.split("(")[-1] for entry in result.untranslated]
    assert reasons == ["in a condition that cannot be translated)"] * 2 + ["in an else branch)"] * 2


def test_condition_on_known_variable():
    lines = ("if (!(environment.isIntegrationTest)) {", "    pm.response.to.have.status(200);", "}")
    assert [a.type for a in translate(*lines).assertions] == ["status_code"]
    skipped = translate(*lines, variables={"isIntegrationTest": "true"})
    assert skipped.assertions == []
    assert "false for the imported variables" in skipped.untranslated[0]


def test_collection_and_folder_scripts_apply_to_requests(tmp_path):
    def event(*lines):
        return [{"listen": "test", "script": {"exec": list(lines)}}]

    collection = {
        "info": {"name": "C", "schema": V21},
        "event": event("pm.response.to.have.status(200);", "console.log('done');"),
        "item": [
            {"name": "F", "event": event("pm.response.to.have.header('X-Id');"), "item": [
                {"name": "A", "request": {"method": "GET", "url": "http://a.test/a"},
                 "event": event("pm.environment.set('id', pm.response.json().id);")},
                {"name": "B", "request": {"method": "GET", "url": "http://a.test/b/{{id}}"}},
            ]},
        ],
    }
    path = tmp_path / "c.json"
    path.write_text(json.dumps(collection), encoding="utf-8")
    result = load_any(path)
    first, second = result.suites[0].steps
    assert first.assertions == [Assertion(type="status_code", expected="200"),
                                Assertion(type="header_exists", key="X-Id", expected="true")]
    assert first.extract == {"id": "$.id"}
    assert second.url == "/b/{{id}}"
    assert second.assertions == first.assertions
    untranslated = [warning for warning in result.warnings if "not translated" in warning.message]
    assert [str(warning) for warning in untranslated] == [
        f"{path}: collection test script line 2: `console.log('done')` (not recognized): not translated"
    ]
