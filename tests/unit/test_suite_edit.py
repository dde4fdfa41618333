"""Writing edited steps back into a suite file: only the intended lines change, and undo restores the bytes."""

from dataclasses import replace
from pathlib import Path

import pytest

from keploy_tui.formats.suite_edit import (
    SuiteEditError,
    delete_step,
    insert_step,
    move_step,
    undo_edit,
    update_step,
)
from keploy_tui.formats.suite_yaml import load_file
from keploy_tui.model.suite import Assertion, Auth, Step

ORIGINAL = """\
# Team suites: comments, quotes and the second suite must survive an edit.
name: Posts
description: Posts API
steps:
  - name: Read post   # the first step
    method: GET
    url: /posts/1
    headers: {Accept: application/json}
    assert:
      # status first
      - type: status_code
        expected_string: "200"
      - {type: json_equal, key: $.title, expected_string: '"old title"'}
      - type: header_equal
        key: Content-Type
        expected_string: application/json

  - name: Create post
    method: POST
    url: /posts
    headers:
      Content-Type: application/json
    body: '{"title": "x"}'
    assert:
      - type: json_equal
        expected_string: '{"id": 101, "title": "x"}'
        ignore: [$.createdAt]
---
# The second suite.
name: Users
steps:
  - name: List users
    method: GET
    url: /users
    assert:
      - {type: status_code, expected_string: "200"}
"""


@pytest.fixture
def suite_file(tmp_path: Path) -> Path:
    path = tmp_path / "team.yaml"
    path.write_bytes(ORIGINAL.encode())
    return path


def step_of(path: Path, suite: str, step: str) -> Step:
    loaded = next(item for item in load_file(path) if item.name == suite)
    return next(item for item in loaded.steps if item.name == step)


def with_assertion(step: Step, index: int, **changes) -> Step:
    assertions = list(step.assertions)
    assertions[index] = replace(assertions[index], **changes)
    return replace(step, assertions=assertions)


def changed_lines(path: Path) -> list[tuple[int, str, str]]:
    """Return (1-based line, old, new) for each line that differs; both files keep their line count here."""
    old = ORIGINAL.splitlines()
    new = path.read_text().splitlines()
    assert len(old) == len(new), "\n".join(new)
    return [(number, a, b) for number, (a, b) in enumerate(zip(old, new), start=1) if a != b]


def test_status_code_edit_changes_one_line(suite_file):
    step = step_of(suite_file, "Posts", "Read post")
    update_step(suite_file, "Posts", "Read post", with_assertion(step, 0, expected="201"))
    assert changed_lines(suite_file) == [(12, '        expected_string: "200"', '        expected_string: "201"')]


def test_flow_assertion_keeps_flow_and_quotes(suite_file):
    step = step_of(suite_file, "Posts", "Read post")
    update_step(suite_file, "Posts", "Read post", with_assertion(step, 1, expected='"new title"'))
    assert changed_lines(suite_file) == [(
        13,
        """      - {type: json_equal, key: $.title, expected_string: '"old title"'}""",
        """      - {type: json_equal, key: $.title, expected_string: '"new title"'}""",
    )]


def test_header_and_method_edit(suite_file):
    step = step_of(suite_file, "Posts", "Read post")
    edited = replace(with_assertion(step, 2, key="content-type", expected="text/plain"), method="PUT")
    update_step(suite_file, "Posts", "Read post", edited)
    assert changed_lines(suite_file) == [
        (6, "    method: GET", "    method: PUT"),
        (15, "        key: Content-Type", "        key: content-type"),
        (16, "        expected_string: application/json", "        expected_string: text/plain"),
    ]


def test_ignore_path_appended_in_flow_list(suite_file):
    step = step_of(suite_file, "Posts", "Create post")
    update_step(suite_file, "Posts", "Create post", with_assertion(step, 0, ignore=["$.createdAt", "$.id"]))
    assert changed_lines(suite_file) == [(27, "        ignore: [$.createdAt]", "        ignore: [$.createdAt, $.id]")]


def test_whole_body_expected_keeps_single_quotes(suite_file):
    step = step_of(suite_file, "Posts", "Create post")
    update_step(suite_file, "Posts", "Create post", with_assertion(step, 0, expected='{"id": 1}'))
    assert changed_lines(suite_file) == [(
        26, """        expected_string: '{"id": 101, "title": "x"}'""", """        expected_string: '{"id": 1}'""",
    )]


def test_second_suite_edit_adds_keys_only(suite_file):
    step = step_of(suite_file, "Users", "List users")
    edited = replace(step, auth=Auth(kind="bearer", token_env="USERS_TOKEN"), timeout=5.0)
    update_step(suite_file, "Users", "List users", edited)
    expected = ORIGINAL + "    auth: {type: bearer, token_env: USERS_TOKEN}\n    timeout: 5\n"
    assert suite_file.read_text() == expected


def test_edit_returns_reloaded_suites(suite_file):
    step = step_of(suite_file, "Posts", "Read post")
    edit = update_step(suite_file, "Posts", "Read post", replace(step, name="Read first post"))
    assert [item.name for item in edit.suites[0].steps] == ["Read first post", "Create post"]
    assert edit.before == ORIGINAL
    assert edit.after == suite_file.read_text()


def test_undo_restores_original_bytes(suite_file):
    step = step_of(suite_file, "Posts", "Read post")
    edit = update_step(suite_file, "Posts", "Read post", with_assertion(step, 0, expected="204"))
    suites = undo_edit(edit)
    assert suite_file.read_bytes() == ORIGINAL.encode()
    assert suites[0].steps[0].assertions[0].expected == "200"


def test_undo_refuses_after_outside_change(suite_file):
    step = step_of(suite_file, "Posts", "Read post")
    edit = update_step(suite_file, "Posts", "Read post", with_assertion(step, 0, expected="204"))
    suite_file.write_text(edit.after + "# edited elsewhere\n")
    with pytest.raises(SuiteEditError, match="changed after the save"):
        undo_edit(edit)
    assert suite_file.read_text().endswith("# edited elsewhere\n")


def test_insert_delete_and_move_steps(suite_file):
    new = Step(name="Delete post", method="DELETE", url="/posts/1",
               assertions=[Assertion(type="status_code", expected="200")])
    insert_step(suite_file, "Users", 5, new)
    assert suite_file.read_text() == ORIGINAL + (
        "  - name: Delete post\n"
        "    method: DELETE\n"
        "    url: /posts/1\n"
        "    assert:\n"
        "      - type: status_code\n"
        '        expected_string: "200"\n'
    )
    move_step(suite_file, "Users", "Delete post", -1)
    assert [step.name for step in load_file(suite_file)[1].steps] == ["Delete post", "List users"]
    delete_step(suite_file, "Users", "Delete post")
    assert [step.name for step in load_file(suite_file)[1].steps] == ["List users"]
    assert load_file(suite_file)[0].steps == load_file_from_text(suite_file.parent, ORIGINAL)[0].steps


def load_file_from_text(folder: Path, text: str):
    path = folder / "copy.yaml"
    path.write_text(text)
    return load_file(path)


def test_invalid_edit_is_not_written(suite_file):
    step = step_of(suite_file, "Posts", "Read post")
    with pytest.raises(SuiteEditError, match="not an HTTP status"):
        update_step(suite_file, "Posts", "Read post", with_assertion(step, 0, expected="2000"))
    assert suite_file.read_text() == ORIGINAL


def test_missing_step_and_suite_named(suite_file):
    step = step_of(suite_file, "Posts", "Read post")
    with pytest.raises(SuiteEditError, match="step 'Gone' is not in suite 'Posts'"):
        update_step(suite_file, "Posts", "Gone", step)
    with pytest.raises(SuiteEditError, match="suite 'Orders' is not in"):
        update_step(suite_file, "Orders", "Read post", step)


def test_duplicate_step_name_rejected(suite_file):
    with pytest.raises(SuiteEditError, match="already has a step named 'List users'"):
        insert_step(suite_file, "Users", 0, Step(name="List users", method="GET", url="/x"))


def test_zero_offset_sequences_kept(tmp_path):
    text = "name: Flat\nsteps:\n- name: One\n  method: GET\n  url: /a\n  assert:\n  - type: status_code\n" \
           "    expected_string: '200'\n"
    path = tmp_path / "flat.yaml"
    path.write_text(text)
    step = step_of(path, "Flat", "One")
    update_step(path, "Flat", "One", replace(step, url="/b"))
    assert path.read_text() == text.replace("url: /a", "url: /b")


def test_unchanged_step_not_saved(suite_file):
    step = step_of(suite_file, "Posts", "Read post")
    with pytest.raises(SuiteEditError, match="nothing changed"):
        update_step(suite_file, "Posts", "Read post", step)
    assert suite_file.read_text() == ORIGINAL
