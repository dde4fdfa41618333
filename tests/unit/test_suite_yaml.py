"""Loading, validating and writing Keploy API test-suite YAML."""

import logging
import textwrap
from pathlib import Path

import pytest

from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.suite_yaml import dump_suites, load_file, load_path, load_paths, loads
from keploy_tui.model.suite import ASSERTION_TYPES, Assertion, Auth, Step, Suite

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

DESIGN_EXAMPLE = """\
name: Posts CRUD
description: Create a post, read it back, delete it
steps:
  - name: Create post
    method: POST
    url: /posts                  # relative: the run's base URL is prepended
    headers: {Content-Type: application/json}
    body: '{"title": "hello", "userId": 1}'   # a string, as Keploy writes it
    extract:
      post_id: $.id
    assert:
      - type: status_code
        expected_string: "201"
      - type: json_equal
        key: $.title
        expected_string: '"hello"'
  - name: Read post
    method: GET
    url: /posts/{{post_id}}
    assert:
      - {type: status_code_class, expected_string: "2xx"}
"""


def text(source):
    return textwrap.dedent(source).lstrip("\n")


def write(folder, name, content):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text(content), encoding="utf-8")
    return path


def load_error(source, name="s.yaml"):
    with pytest.raises(SuiteLoadError) as caught:
        loads(text(source), name)
    return caught.value


def step_yaml(step_body):
    """Return a one-suite document whose single step has `step_body` (indented 4)."""
    return "name: S\nsteps:\n  - name: T\n" + textwrap.indent(text(step_body), "    ")


def assertion_yaml(assertion_body):
    """Return a one-step suite whose assert list contains `assertion_body` (line 7 on)."""
    return step_yaml("method: GET\nurl: /x\nassert:\n") + textwrap.indent(
        text(assertion_body), "      "
    )


def only_assertion(assertion_body):
    return loads(assertion_yaml(assertion_body))[0].steps[0].assertions[0]


def step_error(step_body):
    return load_error(step_yaml(step_body))


# --- the error type ---------------------------------------------------------------


def test_error_str_is_compiler_style():
    error = SuiteLoadError("assert[1]: unknown type", file="a.yaml", line=14,
                           suite="Posts CRUD", step="Create post")
    assert str(error) == "a.yaml:14: suite 'Posts CRUD', step 'Create post': assert[1]: unknown type"
    assert (error.file, error.line, error.suite, error.step) == ("a.yaml", 14, "Posts CRUD", "Create post")
    assert error.message == "assert[1]: unknown type"


def test_error_str_leaves_out_unknown_parts():
    assert str(SuiteLoadError("file not found", file="a.yaml")) == "a.yaml: file not found"
    assert str(SuiteLoadError("bad", file="a.yaml", line=3)) == "a.yaml:3: bad"
    assert str(SuiteLoadError("bad", suite="S")) == "suite 'S': bad"
    assert str(SuiteLoadError("bad")) == "bad"


# --- a valid suite ------------------------------------------------------------------


def test_design_example_loads_every_field():
    [suite] = loads(DESIGN_EXAMPLE, "posts.yaml")
    assert suite.name == "Posts CRUD"
    assert suite.description == "Create a post, read it back, delete it"
    assert (suite.source, suite.line) == ("posts.yaml", 1)

    create, read = suite.steps
    assert (create.name, create.method, create.url, create.line) == ("Create post", "POST", "/posts", 4)
    assert create.headers == {"Content-Type": "application/json"}
    assert create.body == '{"title": "hello", "userId": 1}'
    assert create.extract == {"post_id": "$.id"}
    assert create.assertions == [
        Assertion(type="status_code", expected="201", line=12),
        Assertion(type="json_equal", key="$.title", expected='"hello"', line=14),
    ]
    assert (create.auth, create.timeout) == (None, None)
    assert (read.url, read.line, read.body) == ("/posts/{{post_id}}", 17, None)
    assert read.assertions == [Assertion(type="status_code_class", expected="2xx", line=21)]


def test_values_are_plain_str():
    [suite] = loads(DESIGN_EXAMPLE)
    step = suite.steps[0]
    for value in (suite.name, step.name, step.url, step.body, step.assertions[0].expected):
        assert type(value) is str


def test_method_is_upper_cased():
    step = loads(step_yaml("method: patch\nurl: /x\n"))[0].steps[0]
    assert step.method == "PATCH"


def test_description_is_optional():
    suite = loads(step_yaml("method: GET\nurl: /x\n"))[0]
    assert suite.description == ""


def test_custom_functions_loads():
    assertion = only_assertion("""
        - type: custom_functions
          expected_string: 'function(req, res) { return res.status === 200; }'
    """)
    assert assertion.type == "custom_functions"
    assert assertion.expected == "function(req, res) { return res.status === 200; }"


def test_assertion_type_is_case_insensitive():
    assertion = only_assertion('- {type: STATUS_CODE, expected_string: "200"}\n')
    assert assertion.type == "status_code"


def test_expected_string_number_becomes_text():
    source = assertion_yaml("""
        - {type: status_code, expected_string: 201}
        - {type: json_equal, key: $.ok, expected_string: true}
        - {type: json_equal, key: $.price, expected_string: 1.5}
    """)
    assertions = loads(source)[0].steps[0].assertions
    assert [a.expected for a in assertions] == ["201", "true", "1.5"]


def test_ignore_paths_load():
    assertion = only_assertion("""
        - type: json_equal
          expected_string: '{"id": 1}'
          ignore: [$.createdAt, $.items.id]
    """)
    assert assertion.ignore == ["$.createdAt", "$.items.id"]


def test_ignore_accepts_one_path_as_string():
    assertion = only_assertion("- {type: json_equal, expected_string: '{}', ignore: $.ts}\n")
    assert assertion.ignore == ["$.ts"]


def test_headers_values_become_text():
    step = loads(step_yaml("""
        method: GET
        url: /x
        headers: {X-Count: 3, X-Flag: true, X-Ratio: 0.5, X-Empty: ''}
    """))[0].steps[0]
    assert step.headers == {"X-Count": "3", "X-Flag": "true", "X-Ratio": "0.5", "X-Empty": ""}


def test_anchored_boolean_reads_as_boolean():
    # ruamel loads an anchored boolean as ScalarBoolean, an int subclass.
    step = loads(step_yaml("""
        method: POST
        url: /x
        headers: {X-Flag: &flag false}
        body: {active: *flag}
    """))[0].steps[0]
    assert step.headers == {"X-Flag": "false"}
    assert step.body == '{"active":false}'


def test_body_mapping_becomes_json_text():
    step = loads(step_yaml("""
        method: POST
        url: /x
        body:
          title: héllo
          tags: [a, 1, true, null]
    """))[0].steps[0]
    assert step.body == '{"title":"héllo","tags":["a",1,true,null]}'


def test_body_list_and_number_become_text():
    list_step = loads(step_yaml("method: POST\nurl: /x\nbody: [1, 2]\n"))[0].steps[0]
    number_step = loads(step_yaml("method: POST\nurl: /x\nbody: 42\n"))[0].steps[0]
    assert list_step.body == "[1,2]"
    assert number_step.body == "42"


def test_timeout_loads_as_seconds():
    step = loads(step_yaml("method: GET\nurl: /x\ntimeout: 2.5\n"))[0].steps[0]
    assert step.timeout == 2.5


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + DESIGN_EXAMPLE.encode())
    assert load_file(path)[0].name == "Posts CRUD"


# --- files, documents and folders -------------------------------------------------


def test_multi_document_file(tmp_path):
    path = write(tmp_path, "two.yaml", """
        ---
        name: First
        steps:
          - {name: A, method: GET, url: /a}
        ---
        name: Second
        steps:
          - {name: B, method: GET, url: /b}
        ---
    """)
    first, second = load_file(path)
    assert (first.name, first.line, first.source) == ("First", 2, str(path))
    assert (second.name, second.line, second.source) == ("Second", 6, str(path))
    assert second.steps[0].line == 8


def test_error_in_second_document_names_its_line():
    error = load_error("""
        name: First
        steps:
          - {name: A, method: GET, url: /a}
        ---
        name: Second
        steps:
          - {name: B, method: FETCH, url: /b}
    """)
    assert str(error).startswith("s.yaml:7: suite 'Second', step 'B': unknown method 'FETCH'")


def test_folder_loads_recursively_sorted(tmp_path):
    write(tmp_path, "b.yaml", "name: B\nsteps:\n  - {name: s, method: GET, url: /}\n")
    write(tmp_path, "a/z.yml", "name: AZ\nsteps:\n  - {name: s, method: GET, url: /}\n")
    write(tmp_path, "a/c.YAML", "name: AC\nsteps:\n  - {name: s, method: GET, url: /}\n")
    write(tmp_path, "notes.txt", "not yaml: [")
    write(tmp_path, ".github/workflows/ci.yml", "on: push\n")
    write(tmp_path, "a/.hidden.yaml", "broken: [")
    suites = load_path(tmp_path)
    assert [suite.name for suite in suites] == ["AC", "AZ", "B"]
    assert suites[0].source == str(tmp_path / "a" / "c.YAML")


def test_load_path_accepts_a_file(tmp_path):
    path = write(tmp_path, "posts.yaml", DESIGN_EXAMPLE)
    assert [suite.name for suite in load_path(str(path))] == ["Posts CRUD"]


def test_load_paths_keeps_order_and_loads_a_file_once(tmp_path):
    write(tmp_path, "suites/a.yaml", "name: A\nsteps:\n  - {name: s, method: GET, url: /}\n")
    other = write(tmp_path, "other.yaml", "name: O\nsteps:\n  - {name: s, method: GET, url: /}\n")
    suites = load_paths([other, tmp_path / "suites", tmp_path / "suites" / "a.yaml", other])
    assert [suite.name for suite in suites] == ["O", "A"]


def test_load_paths_of_nothing_is_empty():
    assert load_paths([]) == []


def test_missing_file(tmp_path):
    with pytest.raises(SuiteLoadError) as caught:
        load_file(tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: file not found; check the path"


def test_missing_path(tmp_path):
    with pytest.raises(SuiteLoadError) as caught:
        load_path(tmp_path / "nope")
    assert str(caught.value) == f"{tmp_path / 'nope'}: file or folder not found; check the path"


def test_folder_given_to_load_file(tmp_path):
    with pytest.raises(SuiteLoadError) as caught:
        load_file(tmp_path)
    assert caught.value.message == "is a folder, not a file; load it as a folder"


def test_unreadable_file(tmp_path):
    not_a_folder = write(tmp_path, "plain.yaml", DESIGN_EXAMPLE)
    with pytest.raises(SuiteLoadError) as caught:
        load_file(not_a_folder / "child.yaml")
    assert caught.value.message == "cannot read the file: Not a directory"


def test_folder_without_yaml(tmp_path):
    write(tmp_path, "readme.md", "# nothing")
    with pytest.raises(SuiteLoadError) as caught:
        load_path(tmp_path)
    assert str(caught.value) == f"{tmp_path}: folder contains no .yaml or .yml files; check the path"


def test_empty_file(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("  \n")
    with pytest.raises(SuiteLoadError) as caught:
        load_file(path)
    assert str(caught.value) == (
        f"{path}: the file is empty; a suite file contains one or more suites separated by '---'"
    )


def test_file_with_only_comments():
    error = load_error("# nothing yet\n---\n")
    assert str(error) == (
        "s.yaml: contains no suites, only comments or empty documents; "
        "add a suite with name and steps"
    )


def test_non_utf8_file_names_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: S\nsteps:\n  - name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(SuiteLoadError) as caught:
        load_file(path)
    assert str(caught.value) == f"{path}:3: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8"


def test_yaml_syntax_error_names_line():
    error = load_error("""
        name: S
        steps:
          - name: A
            method: [GET
            url: /a
    """)
    assert error.line == 5
    assert str(error) == (
        "s.yaml:5: invalid YAML: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence at line 4)"
    )


def test_yaml_scanner_error_names_line():
    error = load_error("name: S\nsteps: a: b\n")
    assert str(error) == "s.yaml:2: invalid YAML: mapping values are not allowed here"


def test_duplicate_yaml_key_names_line():
    error = load_error("name: S\nname: T\nsteps: []\n")
    assert error.line == 2
    assert "duplicate key" in error.message


def test_control_character_names_line():
    error = load_error("name: S\nsteps:\n  - name: \x07\n")
    assert str(error) == (
        "s.yaml:3: invalid YAML: control character U+0007 is not allowed; remove it "
        "or write it as an escape in a double-quoted string"
    )


def test_document_that_is_a_list():
    error = load_error("- name: S\n  steps: []\n")
    assert str(error) == (
        "s.yaml:1: document 1 is a list, not a mapping; each suite is a mapping with "
        "name and steps, and suites are separated by '---'"
    )


def test_document_that_is_a_string():
    error = load_error("name: A\nsteps:\n  - {name: s, method: GET, url: /}\n---\nhello\n")
    assert str(error).startswith("s.yaml: document 2 is a string, not a mapping")


def test_keploy_test_case_is_recognised():
    path = CORPUS / "keploy-testsets/samples-go-gin-mongo/test-set-0/tests/test-1.yaml"
    if not path.exists():
        pytest.skip("the shared corpus is not present")
    with pytest.raises(SuiteLoadError) as caught:
        load_file(path)
    assert caught.value.line == 1
    assert caught.value.message == (
        "this is a Keploy record/replay test case (kind: Http), not an API test suite; "
        "import its test-set folder instead"
    )


def test_postman_collection_is_recognised():
    error = load_error('{"info": {"name": "c"}, "item": []}\n', "c.json")
    assert str(error) == (
        "c.json:1: this is a Postman collection, not a Keploy API test suite; import it instead"
    )


# --- suite and step rules -----------------------------------------------------------


def test_suite_without_name():
    error = load_error("description: d\nsteps:\n  - {name: s, method: GET, url: /}\n")
    assert str(error) == "s.yaml:1: missing required key 'name'; add name: <suite name>"


def test_suite_with_empty_name():
    error = load_error("name: ''\nsteps:\n  - {name: s, method: GET, url: /}\n")
    assert str(error) == "s.yaml:1: 'name' is empty; write name: <suite name>"


def test_suite_name_number_becomes_text():
    assert loads("name: 2024\nsteps:\n  - {name: s, method: GET, url: /}\n")[0].name == "2024"


def test_suite_without_steps():
    error = load_error("name: S\ndescription: d\n")
    assert str(error) == "s.yaml:1: suite 'S': missing required key 'steps'; add a list of steps"


def test_suite_with_empty_steps():
    error = load_error("name: S\n\nsteps: []\n")
    assert str(error) == "s.yaml:3: suite 'S': has no steps; add at least one step"


def test_steps_not_a_list():
    error = load_error("name: S\nsteps: {name: s}\n")
    assert str(error) == "s.yaml:2: suite 'S': 'steps' must be a list of steps, not a mapping"


def test_step_not_a_mapping():
    error = load_error("name: S\nsteps:\n  - {name: s, method: GET, url: /}\n  - just text\n")
    assert str(error) == (
        "s.yaml:4: suite 'S': steps[1] must be a mapping with name, method and url, not a string"
    )


def test_step_without_name():
    error = load_error("name: S\nsteps:\n  - {name: s, method: GET, url: /}\n  - {method: GET, url: /}\n")
    assert str(error) == "s.yaml:4: suite 'S': steps[1]: missing required key 'name'; add name: <step name>"


def test_step_without_method():
    error = step_error("url: /x\n")
    assert str(error) == "s.yaml:3: suite 'S', step 'T': missing required key 'method'; add method: GET"


def test_step_with_unknown_method():
    error = step_error("method: FETCH\nurl: /x\n")
    assert str(error) == (
        "s.yaml:4: suite 'S', step 'T': unknown method 'FETCH'; "
        "expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"
    )


def test_step_without_url():
    error = step_error("method: GET\n")
    assert str(error) == "s.yaml:3: suite 'S', step 'T': missing required key 'url'; add url: /path"


def test_step_url_with_other_scheme():
    error = step_error("method: GET\nurl: ftp://host/x\n")
    assert str(error) == (
        "s.yaml:5: suite 'S', step 'T': URL 'ftp://host/x' starts with the scheme 'ftp': write a path "
        "such as /posts/1 or a full URL starting with http:// or https://"
    )
    assert loads(step_yaml("method: GET\nurl: '{{base}}://x'\n"))[0].steps[0].url == "{{base}}://x"
    assert loads(step_yaml("method: GET\nurl: /go?to=https://x\n"))[0].steps[0].url == "/go?to=https://x"


def test_step_url_not_a_string():
    error = step_error("method: GET\nurl: [/x]\n")
    assert str(error) == "s.yaml:5: suite 'S', step 'T': 'url' must be a string, not a list"


def test_headers_not_a_mapping():
    error = step_error("method: GET\nurl: /x\nheaders: [a]\n")
    assert str(error) == (
        "s.yaml:6: suite 'S', step 'T': 'headers' must be a mapping of header names "
        "to values, not a list"
    )


def test_header_without_value():
    error = step_error("method: GET\nurl: /x\nheaders:\n  Accept: json\n  X-Token:\n")
    assert str(error) == (
        "s.yaml:8: suite 'S', step 'T': header 'X-Token' has no value; write '' for an empty value"
    )


def test_header_given_twice_in_other_case():
    error = step_error("method: GET\nurl: /x\nheaders:\n  Accept: a\n  accept: b\n")
    assert str(error) == "s.yaml:8: suite 'S', step 'T': header 'accept' is given twice (also as 'Accept')"


def test_body_that_json_cannot_hold():
    error = step_error("method: POST\nurl: /x\nbody: {ratio: .nan}\n")
    assert str(error) == (
        "s.yaml:6: suite 'S', step 'T': 'body' cannot be written as JSON: "
        "JSON cannot hold the number nan"
    )


def test_deep_nesting():
    error = step_error("method: POST\nurl: /x\nbody: " + "[" * 500 + "]" * 500 + "\n")
    assert str(error) == "s.yaml: cannot load: the YAML is nested too deeply; flatten it"


def test_extract_not_a_mapping():
    error = step_error("method: GET\nurl: /x\nextract: $.id\n")
    assert str(error) == (
        "s.yaml:6: suite 'S', step 'T': 'extract' must be a mapping of variable names "
        "to JSON paths, not a string"
    )


def test_extract_without_path():
    error = step_error("method: GET\nurl: /x\nextract:\n  post_id:\n")
    assert str(error) == (
        "s.yaml:7: suite 'S', step 'T': extract: 'post_id' needs a JSON path such as $.id, not null"
    )


@pytest.mark.parametrize("value, shown", [
    ("0", "0"), ("-1", "-1"), ("soon", "'soon'"), ("true", "a boolean"), (".inf", "inf"),
])
def test_timeout_must_be_positive_seconds(value, shown):
    error = step_error(f"method: GET\nurl: /x\ntimeout: {value}\n")
    assert str(error) == (
        f"s.yaml:6: suite 'S', step 'T': 'timeout' must be a positive number of seconds, not {shown}"
    )


def test_duplicate_step_names_name_both_lines():
    error = load_error("""
        name: S
        steps:
          - {name: Ping, method: GET, url: /a}
          - {name: Other, method: GET, url: /b}
          - {name: Ping, method: GET, url: /c}
    """)
    assert str(error) == (
        "s.yaml:5: suite 'S', step 'Ping': duplicate step name, also used at line 3; "
        "rename one, because reports identify a step by its suite and step name"
    )


def test_duplicate_suite_names_in_one_file():
    error = load_error("""
        name: S
        steps: [{name: a, method: GET, url: /}]
        ---
        name: S
        steps: [{name: b, method: GET, url: /}]
    """)
    assert str(error) == (
        "s.yaml:4: suite 'S': duplicate suite name, also used at s.yaml:1; rename one, "
        "because reports identify a suite by its name"
    )


def test_duplicate_suite_names_across_files(tmp_path):
    first = write(tmp_path, "a.yaml", "name: S\nsteps: [{name: a, method: GET, url: /}]\n")
    second = write(tmp_path, "b.yaml", "# copy\nname: S\nsteps: [{name: a, method: GET, url: /}]\n")
    with pytest.raises(SuiteLoadError) as caught:
        load_path(tmp_path)
    assert (caught.value.file, caught.value.line) == (str(second), 2)
    assert f"also used at {first}:1;" in caught.value.message


def test_keploy_keys_are_ignored_quietly(caplog):
    source = """
        id: suite-1
        name: S
        steps:
          - id: step-1
            name: T
            description: read it
            method: GET
            url: /x
            resp: {status: 200, body: '{}'}
            deleteData: {}
            normalizeData: {}
    """
    with caplog.at_level(logging.WARNING):
        [suite] = loads(text(source))
    assert suite.steps[0].name == "T"
    assert caplog.records == []


def test_unknown_keys_are_logged_not_fatal(caplog):
    source = step_yaml("method: GET\nurl: /x\nx-owner: team-a\n")
    with caplog.at_level(logging.WARNING):
        [suite] = loads(source, "s.yaml")
    assert suite.steps[0].url == "/x"
    assert [record.getMessage() for record in caplog.records] == [
        "s.yaml:6: suite 'S', step 'T': ignoring unknown key 'x-owner'"
    ]


def test_misspelled_key_names_intended_one():
    error = step_error("method: GET\nurl: /x\nasert:\n  - {type: status_code, expected_string: '200'}\n")
    assert str(error) == "s.yaml:6: suite 'S', step 'T': unknown key 'asert'; did you mean 'assert'?"


# --- assertions ---------------------------------------------------------------------


def test_assert_not_a_list():
    error = step_error("method: GET\nurl: /x\nassert: {type: status_code}\n")
    assert str(error) == "s.yaml:6: suite 'S', step 'T': 'assert' must be a list of assertions, not a mapping"


def test_assertion_not_a_mapping():
    error = load_error(assertion_yaml("- status_code\n"))
    assert str(error) == "s.yaml:7: suite 'S', step 'T': assert[0] must be a mapping with a type, not a string"


def test_unknown_assertion_type_lists_known_types():
    error = load_error(assertion_yaml("""
        - {type: status_code, expected_string: "201"}
        - type: json_eq
          expected_string: '"x"'
    """))
    assert str(error) == (
        "s.yaml:8: suite 'S', step 'T': assert[1]: unknown type 'json_eq'; "
        f"expected one of {', '.join(ASSERTION_TYPES)}"
    )
    assert (error.suite, error.step, error.line) == ("S", "T", 8)


def test_assertion_without_type():
    error = load_error(assertion_yaml("- {expected_string: '200'}\n"))
    assert str(error).startswith("s.yaml:7: suite 'S', step 'T': assert[0]: missing required key 'type'; add one of status_code,")


@pytest.mark.parametrize("assertion, message", [
    ("{type: status_code}", "type status_code needs expected_string: a status such as \"201\""),
    ("{type: json_equal, key: $.id}", "type json_equal needs expected_string: JSON text such as '\"Alice\"' or 42"),
    ("{type: header_equal, key: ETag}", "type header_equal needs expected_string: the header value"),
    ("{type: header_equal, expected_string: x}", "type header_equal needs key: the header name"),
    ("{type: header_exists}", "type header_exists needs key: the header name"),
])
def test_assertion_missing_parts(assertion, message):
    error = load_error(assertion_yaml(f"- {assertion}\n"))
    assert str(error) == f"s.yaml:7: suite 'S', step 'T': assert[0]: {message}"


@pytest.mark.parametrize("assertion, message", [
    ("{type: status_code, expected_string: OK}",
     "'OK' is not an HTTP status; write a number from 100 to 599, such as \"201\""),
    ("{type: status_code, expected_string: 700}",
     "'700' is not an HTTP status; write a number from 100 to 599, such as \"201\""),
    ("{type: status_code_class, expected_string: 9xx}",
     "'9xx' is not a status class; write one such as \"2xx\""),
    ("{type: status_code_in, expected_string: '200,abc'}",
     "'200,abc' is not a list of HTTP statuses; write one such as \"200,201,204\""),
    ("{type: header_exists, key: ETag, expected_string: maybe}",
     "'maybe' must be \"true\" or \"false\" for header_exists"),
    ("{type: header_matches, key: ETag, expected_string: '(unclosed'}",
     "'(unclosed' is not a valid regular expression: missing ), unterminated subpattern at position 0"),
    ("{type: schema, expected_string: '{type: object}'}",
     "the schema is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    ("{type: schema, expected_string: '[1]'}", "the schema must be a JSON object"),
])
def test_expected_that_can_never_pass(assertion, message):
    error = load_error(assertion_yaml(f"- {assertion}\n"))
    assert str(error) == f"s.yaml:7: suite 'S', step 'T': assert[0]: {message}"


@pytest.mark.parametrize("assertion, message", [
    ("{type: json_equal, key: '$$..[', expected_string: '1'}",
     "invalid JSON path '$$..[': unexpected '$' at position 1; write a path such as $.user.id or $.items[0]"),
    ("{type: json_contains, field: $.a..b, expected_string: '{}'}",
     "invalid JSON path '$.a..b': empty segment at position 4; write a path such as $.user.id or $.items[0]"),
    ("{type: json_equal, expected_string: '{}', ignore: ['$.ok', '$.x[']}",
     "invalid JSON path '$.x[': missing ']' for the '[' at position 3; write a path such as $.user.id or $.items[0]"),
])
def test_unreadable_json_path(assertion, message):
    error = load_error(assertion_yaml(f"- {assertion}\n"))
    assert str(error) == f"s.yaml:7: suite 'S', step 'T': assert[0]: {message}"


def test_json_path_with_variable_left_to_run():
    source = assertion_yaml("- {type: json_equal, key: '$.{{field}}', expected_string: '1'}\n")
    assertions = loads(source)[0].steps[0].assertions
    assert assertions[0].key == "$.{{field}}"


def test_status_forms_keploy_accepts():
    source = assertion_yaml("""
        - {type: status_code_class, expected_string: "200"}
        - {type: status_code_class, expected_string: 4XX}
        - {type: status_code_in, expected_string: "200, 201,204"}
        - {type: header_exists, key: ETag, expected_string: "false"}
    """)
    assertions = loads(source)[0].steps[0].assertions
    assert [a.expected for a in assertions] == ["200", "4XX", "200, 201,204", "false"]


def test_ignore_must_be_paths():
    error = load_error(assertion_yaml("- {type: json_equal, expected_string: '1', ignore: [1]}\n"))
    assert str(error) == (
        "s.yaml:7: suite 'S', step 'T': assert[0]: 'ignore' must be a list of JSON paths "
        "such as [$.createdAt]"
    )


def test_key_must_be_text():
    error = load_error(assertion_yaml("- {type: json_equal, key: [a], expected_string: '1'}\n"))
    assert str(error) == "s.yaml:7: suite 'S', step 'T': assert[0]: 'key' must be text, not a list"


def test_empty_key_means_whole_body():
    assertion = only_assertion("- {type: json_equal, key: '', expected_string: '{}'}\n")
    assert assertion.key is None


# --- the step-editor form -----------------------------------------------------------


def test_step_editor_status_code():
    assertion = only_assertion("""
        - type: status_code
          comparator: equal
          expected: 201
    """)
    assert assertion == Assertion(type="status_code", expected="201", line=7)


def test_step_editor_status_code_class():
    assertion = only_assertion("- {type: status_code_class, comparator: equal, expected: 2xx}\n")
    assert (assertion.type, assertion.expected) == ("status_code_class", "2xx")


def test_step_editor_status_code_in_list():
    assertion = only_assertion("- {type: status_code_in, expected: [200, 201, 202]}\n")
    assert assertion.expected == "200,201,202"


def test_step_editor_json_mapping():
    assertion = only_assertion("""
        - type: json_equal
          expected:
            id: 42
            status: "shipped"
    """)
    assert assertion.expected == '{"id":42,"status":"shipped"}'


def test_step_editor_json_scalars_become_json():
    source = assertion_yaml("""
        - {type: json_equal, key: $.name, expected: Alice}
        - {type: json_equal, key: $.id, expected: 42}
        - {type: json_equal, key: $.ok, expected: false}
        - {type: json_contains, expected: '{"status": "error"}'}
        - {type: json_path, key: $.day, expected: 2024-01-31}
    """)
    assertions = loads(source)[0].steps[0].assertions
    assert [a.expected for a in assertions] == [
        '"Alice"', "42", "false", '{"status": "error"}', '"2024-01-31"',
    ]


def test_step_editor_headers():
    source = assertion_yaml("""
        - {type: header_contains, field: content-type, expected: json}
        - {type: header_equal, field: cache-control, expected: "no-store"}
        - {type: header_exists, field: x-request-id}
        - {type: header_matches, field: set-cookie, pattern: "sessionId=.*; Path=/; HttpOnly"}
    """)
    assertions = loads(source)[0].steps[0].assertions
    assert [(a.type, a.key, a.expected) for a in assertions] == [
        ("header_contains", "content-type", "json"),
        ("header_equal", "cache-control", "no-store"),
        ("header_exists", "x-request-id", None),
        ("header_matches", "set-cookie", "sessionId=.*; Path=/; HttpOnly"),
    ]


@pytest.mark.parametrize("kind, comparator, expected, combined", [
    ("header_equal", "contains", "json", "header_contains"),
    ("header_equal", "exists", "true", "header_exists"),
    ("header_equal", "regex", "a.*", "header_matches"),
    ("json_equal", "contains", "{}", "json_contains"),
    ("json_path", "Contains", "{}", "json_contains"),
    ("status_code", "in", "200,201", "status_code_in"),
    ("header_contains", "equal", "json", "header_contains"),
    ("schema", "equals", "{}", "schema"),
])
def test_comparator_combines_with_type(kind, comparator, expected, combined):
    assertion = only_assertion(
        f"- {{type: {kind}, key: h, comparator: {comparator}, expected_string: '{expected}'}}\n"
    )
    assert assertion.type == combined


def test_unsupported_comparator():
    error = load_error(assertion_yaml("""
        - type: status_code
          comparator: greater_than
          expected: 199
    """))
    assert str(error) == (
        "s.yaml:8: suite 'S', step 'T': assert[0]: comparator 'greater_than' is not supported "
        "with type status_code; use equal or in, or pick the assertion type that performs it"
    )


def test_expected_string_wins_over_expected():
    assertion = only_assertion("""
        - type: json_equal
          expected: {id: 1}
          expected_string: '{"id": 1}'
    """)
    assert assertion.expected == '{"id": 1}'


def test_key_and_field_must_agree():
    error = load_error(assertion_yaml("- {type: header_equal, key: a, field: b, expected: x}\n"))
    assert str(error) == "s.yaml:7: suite 'S', step 'T': assert[0]: key 'a' and field 'b' disagree; keep one of them"


def test_expected_that_is_not_text():
    error = load_error(assertion_yaml("- {type: header_equal, key: a, expected: !!binary aGk=}\n"))
    assert str(error) == (
        "s.yaml:7: suite 'S', step 'T': assert[0]: 'expected' cannot be used as expected "
        "text: binary data has no text form"
    )


def test_assertions_key_is_read_as_assert():
    step = loads(step_yaml("method: GET\nurl: /x\nassertions:\n  - {type: status_code, expected: 200}\n"))[0].steps[0]
    assert step.assertions == [Assertion(type="status_code", expected="200", line=7)]


def test_assert_and_assertions_together():
    error = step_error("method: GET\nurl: /x\nassert: []\nassertions: []\n")
    assert str(error) == "s.yaml:7: suite 'S', step 'T': both 'assert' and 'assertions' are given; keep one list"


def test_error_in_assertions_list_uses_its_name():
    error = step_error("method: GET\nurl: /x\nassertions:\n  - {type: nope}\n")
    assert error.message.startswith("assertions[0]: unknown type 'nope'")


# --- auth ---------------------------------------------------------------------------


def load_auth(auth_yaml):
    return loads(step_yaml(f"method: GET\nurl: /x\nauth: {auth_yaml}\n"))[0].steps[0].auth


def auth_error(auth_yaml):
    return step_error(f"method: GET\nurl: /x\nauth: {auth_yaml}\n")


@pytest.mark.parametrize("auth_yaml, expected", [
    ("none", Auth()),
    ("{type: none}", Auth()),
    ("{type: bearer, token: abc}", Auth(kind="bearer", token="abc")),
    ("{type: Bearer, token_env: ORDERS_TOKEN}", Auth(kind="bearer", token_env="ORDERS_TOKEN")),
    ("{type: basic, username: ci, password_env: CI_PASSWORD}",
     Auth(kind="basic", username="ci", password_env="CI_PASSWORD")),
    ("{type: basic, username: ci, password: ''}", Auth(kind="basic", username="ci", password="")),
    ("{type: api_key, name: X-Api-Key, value_env: KEY, in: header}",
     Auth(kind="api_key", name="X-Api-Key", value_env="KEY")),
    ("{type: api_key, name: key, value: 123, in: Query}",
     Auth(kind="api_key", name="key", value="123", location="query")),
])
def test_auth_forms(auth_yaml, expected):
    assert load_auth(auth_yaml) == expected


@pytest.mark.parametrize("auth_yaml, message", [
    ("always", "auth: 'always' is not valid; write auth: none, or a mapping with type bearer, basic or api_key"),
    ("{token: abc}", "auth: missing required key 'type'; add type: none, bearer, basic, api_key"),
    ("{type: oauth2}", "auth: unknown type 'oauth2'; expected one of none, bearer, basic, api_key"),
    ("{type: bearer}", "auth: missing token or token_env; token_env names an environment variable, "
                       "which keeps the secret out of the file"),
    ("{type: bearer, token: a, token_env: B}", "auth: give token or token_env, not both"),
    ("{type: bearer, token: ''}", "auth: 'token' is empty"),
    ("{type: bearer, token_evn: B}", "auth: unknown key 'token_evn' for type bearer; expected token, token_env"),
    ("{type: bearer, token_env: 'MY TOKEN'}", "auth: 'MY TOKEN' is not an environment variable name"),
    ("{type: none, token: a}", "auth: unknown key 'token' for type none; it takes no other keys"),
    ("{type: basic, password: p}", "auth: missing required key 'username'"),
    ("{type: basic, username: ci}", "auth: missing password or password_env; password_env names an "
                                    "environment variable, which keeps the secret out of the file"),
    ("{type: api_key, value: v}", "auth: missing required key 'name'"),
    ("{type: api_key, name: k, value: v, in: cookie}", "auth: 'in' must be one of header, query, not 'cookie'"),
    ("{type: bearer, token: [a]}", "auth: 'token' must be text, not a list"),
    ("[bearer]", "auth must be 'none' or a mapping, not a list; write auth: none, or a mapping "
                 "with type bearer, basic or api_key"),
])
def test_auth_errors(auth_yaml, message):
    error = auth_error(auth_yaml)
    assert str(error) == f"s.yaml:6: suite 'S', step 'T': {message}"


# --- nothing but SuiteLoadError escapes -----------------------------------------------


STEP_A = "name: S\nsteps: [{name: a, method: GET, url: /, "


@pytest.mark.parametrize("source, message", [
    (STEP_A + "headers: {X: !!set {a, b}}}]\n",
     "bad.yaml:2: suite 'S', step 'a': header 'X' must have a text value, not a set"),
    (STEP_A + "headers: {X: !custom v}}]\n",
     "bad.yaml:2: suite 'S', step 'a': header 'X' must have a text value, not a value tagged !custom"),
    (STEP_A + "extract: {[a]: $.id}}]\n",
     "bad.yaml:2: suite 'S', step 'a': extract: variable names must be non-empty strings, not a list"),
    (STEP_A + "headers: {[a]: b}}]\n",
     "bad.yaml:2: suite 'S', step 'a': header names must be non-empty text, not a list"),
    ("name: [S]\nsteps: []\n", "bad.yaml:1: 'name' must be a string, not a list"),
    ("name: S\nsteps: [{name: {a: 1}, method: GET, url: /}]\n",
     "bad.yaml:2: suite 'S': steps[0]: 'name' must be a string, not a mapping"),
    (STEP_A + "assert: [{type: [x]}]}]\n",
     f"bad.yaml:2: suite 'S', step 'a': assert[0]: 'type' must be one of {', '.join(ASSERTION_TYPES)}, not a list"),
    (STEP_A + "assert: [{type: status_code_in, expected: [[1]]}]}]\n",
     "bad.yaml:2: suite 'S', step 'a': assert[0]: 'expected' cannot be used as expected text: "
     "each status in the list must be a number"),
    (STEP_A + "assert: [{type: json_equal, expected: {[1]: 2}}]}]\n",
     "bad.yaml:2: suite 'S', step 'a': assert[0]: 'expected' cannot be used as expected text: "
     "JSON keys must be strings, not a list"),
    (STEP_A + "assert: [{type: json_equal, comparator: [x], expected: 1}]}]\n",
     "bad.yaml:2: suite 'S', step 'a': assert[0]: 'comparator' must be text such as equal, not a list"),
    (STEP_A + "auth: {type: [x]}}]\n",
     "bad.yaml:2: suite 'S', step 'a': auth: 'type' must be one of none, bearer, basic, api_key, not a list"),
    ("name: S\ndescription: [d]\nsteps: [{name: a, method: GET, url: /}]\n",
     "bad.yaml:2: suite 'S': 'description' must be a string, not a list"),
    (STEP_A + "body: !!binary aGk=}]\n",
     "bad.yaml:2: suite 'S', step 'a': 'body' must be a string, not binary data"),
    ("%YAML 9.9\n---\nname: S\n",
     "bad.yaml:1: invalid YAML: found incompatible YAML document (version 1.* is required)"),
    ("name: &a S\nsteps: *b\n", "bad.yaml:2: invalid YAML: found undefined alias 'b'"),
    ("\t- tab\n", "bad.yaml:1: invalid YAML: found character '\\t' that cannot start any token"),
])
def test_malformed_input_raises_suite_load_error(source, message):
    # Each source breaks a different assumption about the types ruamel.yaml returns.
    with pytest.raises(SuiteLoadError) as caught:
        loads(source, "bad.yaml")
    assert str(caught.value) == message


# --- writing ------------------------------------------------------------------------


def test_dump_round_trips_design_example():
    suites = loads(DESIGN_EXAMPLE)
    again = loads(dump_suites(suites))
    assert [suite.to_dict() for suite in again] == [suite.to_dict() for suite in suites]


def test_dump_separates_suites_with_document_markers():
    suites = loads(DESIGN_EXAMPLE) + [Suite(name="Second", steps=[Step(name="a", method="GET", url="/")])]
    dumped = dump_suites(suites)
    assert dumped.count("\n---\n") == 1
    assert dumped.startswith("name: Posts CRUD\n")
    assert [suite.name for suite in loads(dumped)] == ["Posts CRUD", "Second"]


def test_dump_writes_keploy_form():
    dumped = dump_suites(loads(DESIGN_EXAMPLE))
    assert "    body: '{\"title\": \"hello\", \"userId\": 1}'\n" in dumped
    assert "      - type: status_code\n        expected_string: '201'\n" in dumped


def test_dump_round_trips_awkward_values():
    awkward = [
        "201", "true", "null", "", "  leading", "trailing  ", "{{post_id}}", "- dash",
        "# hash", "quote ' and \"", "line one\nline two\n", "no final newline\nend",
        "trailing space \nnext", "\n\nstarts with blank lines", "tab\there", "ünïcødé ✓",
        "ends with blank lines\n\n\n", "  indented\n  block\n",
    ]
    steps = [
        Step(name=f"step {index}", method="POST", url=f"/x/{{{{v{index}}}}}",
             headers={"X-Value": value}, body=value,
             assertions=[Assertion(type="custom_functions", key=value or None, expected=value)])
        for index, value in enumerate(awkward)
    ]
    suite = Suite(name="Awkward: yes", description="multi\nline", steps=steps)
    [again] = loads(dump_suites([suite]))
    assert again.to_dict() == suite.to_dict()


def test_dump_round_trips_extensions():
    steps = [
        Step(name="none", method="GET", url="/", auth=Auth(), timeout=1.5),
        Step(name="bearer", method="GET", url="/", auth=Auth(kind="bearer", token="t")),
        Step(name="basic", method="GET", url="/", auth=Auth(kind="basic", username="u", password_env="P")),
        Step(name="key", method="GET", url="/", auth=Auth(kind="api_key", name="k", value_env="V", location="query")),
        Step(name="ignore", method="GET", url="/", extract={"id": "$.id"}, assertions=[
            Assertion(type="json_equal", expected='{"a": 1}', ignore=["$.createdAt", "$.items.id"]),
        ]),
    ]
    suite = Suite(name="Extensions", steps=steps)
    [again] = loads(dump_suites([suite]))
    assert again.to_dict() == suite.to_dict()
    assert [step.auth for step in again.steps] == [step.auth for step in steps]


def test_dump_keeps_multiline_body_readable():
    body = '{\n  "title": "hello"\n}\n'
    suite = Suite(name="S", steps=[Step(name="a", method="POST", url="/", body=body)])
    dumped = dump_suites([suite])
    assert '    body: |\n      {\n        "title": "hello"\n      }\n' in dumped
    assert loads(dumped)[0].steps[0].body == body


def test_dump_quotes_lines_with_trailing_spaces():
    body = "line one  \nline two"
    suite = Suite(name="S", steps=[Step(name="a", method="POST", url="/", body=body)])
    dumped = dump_suites([suite])
    assert '    body: "line one  \\nline two"\n' in dumped
    assert loads(dumped)[0].steps[0].body == body


def test_misspelled_step_key_rejected():
    with pytest.raises(SuiteLoadError, match="unknown key 'asserts'; did you mean 'assert'"):
        loads("name: A\nsteps:\n  - name: s\n    method: GET\n    url: /x\n    asserts:\n      - {type: status_code, expected_string: '200'}\n")


def test_variable_in_status_code_accepted():
    suite = loads("name: A\nsteps:\n  - name: s\n    method: GET\n    url: /x\n    assert:\n      - {type: status_code, expected_string: '{{code}}'}\n")[0]
    assert suite.steps[0].assertions[0].expected == "{{code}}"


def large_suite_text(steps, broken_step=None):
    lines = ["# a large suite", "name: Large", "steps:"]
    for index in range(steps):
        method = "GETT" if index == broken_step else "GET"
        lines += [f"  - name: step {index}", f"    method: {method}", f"    url: /items/{index}",
                  "    headers: {Accept: application/json}",
                  "    assert:", "      - {type: status_code, expected_string: '200'}",
                  "      - {type: json_equal, key: $.id, expected_string: '" + str(index) + "'}"]
    return "\n".join(lines) + "\n"


def test_fast_load_matches_round_trip_load():
    from keploy_tui.formats.suite_yaml import _build_suites, _parse_documents
    from keploy_tui.formats.yaml_values import Where

    text = large_suite_text(300)
    fast = loads(text, "big.yaml")
    slow = _build_suites(_parse_documents(text, "big.yaml"), Where("big.yaml"), "big.yaml")

    assert fast == slow
    # Lines are left out of equality, so they are compared on their own.
    assert [suite.line for suite in fast] == [suite.line for suite in slow] == [2]
    assert [step.line for step in fast[0].steps] == [step.line for step in slow[0].steps]


def test_large_file_error_names_line():
    text = large_suite_text(3000, broken_step=2500)
    with pytest.raises(SuiteLoadError) as raised:
        loads(text, "big.yaml")
    assert raised.value.line == 3 + 2500 * 7 + 2
    assert "GETT" in str(raised.value)
