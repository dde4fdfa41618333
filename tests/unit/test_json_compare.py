import pytest

from keploy_tui.engine.json_compare import compare, describe, json_preview, json_type
from keploy_tui.engine.jsonpath import InvalidPath
from keploy_tui.model import DiffEntry


def summary(entries):
    """Reduce entries to (path, kind) pairs, so a test states the whole result at once."""
    return [(entry.path, entry.kind) for entry in entries]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("x", "string"), (1, "integer"), (1.5, "number"), (True, "boolean"),
        (None, "null"), ({}, "object"), ([], "array"),
    ],
)
def test_json_type(value, expected):
    assert json_type(value) == expected


def test_compare_equal_objects():
    assert compare({"a": [1, {"b": None}]}, {"a": [1, {"b": None}]}) == []


def test_compare_integer_equals_float():
    assert compare({"n": 1, "m": [2]}, {"n": 1.0, "m": [2.0]}) == []


def test_compare_large_integer_equals_float():
    assert compare(10**20, 1e20) == []


def test_compare_changed_entry():
    assert compare({"name": "Alice"}, {"name": "Bob"}) == [
        DiffEntry(path="$.name", kind="changed", expected="Alice", actual="Bob",
                  expected_type="string", actual_type="string")
    ]


def test_compare_integer_to_fraction_is_change():
    entries = compare({"price": 42}, {"price": 42.5})
    assert summary(entries) == [("$.price", "changed")]


def test_compare_type_change_names_both_types():
    [entry] = compare({"id": 42}, {"id": "42"})
    assert (entry.kind, entry.expected_type, entry.actual_type) == ("type_changed", "integer", "string")


def test_compare_type_change_description():
    [entry] = compare({"id": 42}, {"id": "42"})
    assert describe(entry) == '$.id: expected integer 42, got string "42"'


@pytest.mark.parametrize(("expected", "actual"), [(True, 1), (0, False), ([True], [1]), ([{"a": False}], [{"a": 0}])])
def test_compare_boolean_never_equals_number(expected, actual):
    entries = compare(expected, actual)
    assert [entry.kind for entry in entries] == ["type_changed"]


def test_compare_null_to_value():
    [entry] = compare({"a": None}, {"a": 0})
    assert describe(entry) == "$.a: expected null, got integer 0"


def test_compare_object_to_array():
    assert summary(compare({"a": {"b": 1}}, {"a": [1]})) == [("$.a", "type_changed")]


def test_compare_missing_and_unexpected_keys():
    entries = compare({"a": 1, "b": 2}, {"a": 1, "c": 3})
    assert summary(entries) == [("$.b", "missing"), ("$.c", "unexpected")]


def test_compare_missing_entry_has_no_actual_type():
    [entry] = compare({"a": 1, "b": 2}, {"a": 1})
    assert (entry.expected, entry.actual, entry.expected_type, entry.actual_type) == (2, None, "integer", None)


def test_compare_nested_path():
    assert summary(compare({"users": [{"id": 1}]}, {"users": [{"id": 2}]})) == [("$.users.0.id", "changed")]


def test_compare_arrays_by_position():
    entries = compare([1, 2, 3], [1, 3])
    assert summary(entries) == [("$.1", "changed"), ("$.2", "missing")]


def test_compare_longer_array_reports_extra():
    assert summary(compare([1], [1, 2])) == [("$.1", "unexpected")]


def test_compare_sorts_indexes_numerically():
    entries = compare(list(range(12)), [value + 1 for value in range(12)])
    assert [entry.path for entry in entries][:3] == ["$.0", "$.1", "$.2"]


def test_compare_keeps_every_key_of_disjoint_objects():
    entries = compare({"x": 1, "y": 2, "z": 3}, {"p": 1})
    assert summary(entries) == [("$.p", "unexpected"), ("$.x", "missing"), ("$.y", "missing"), ("$.z", "missing")]


def test_compare_base_prefixes_paths():
    assert summary(compare({"name": "x"}, {"name": "y"}, base="$.user")) == [("$.user.name", "changed")]


def test_ignore_top_level_key():
    assert compare({"a": 1, "createdAt": "t1"}, {"a": 1, "createdAt": "t2"}, ignore=["$.createdAt"]) == []


def test_ignore_key_missing_from_response():
    assert compare({"a": 1, "createdAt": "t1"}, {"a": 1}, ignore=["$.createdAt"]) == []


def test_ignore_without_index_applies_to_every_element():
    expected = {"items": [{"id": 1, "n": "a"}, {"id": 2, "n": "b"}]}
    actual = {"items": [{"id": 7, "n": "a"}, {"id": 8, "n": "b"}]}
    assert compare(expected, actual, ignore=["$.items.id"]) == []


def test_ignore_with_index_applies_to_that_element_only():
    expected = {"items": [{"id": 1}, {"id": 2}]}
    actual = {"items": [{"id": 7}, {"id": 8}]}
    assert summary(compare(expected, actual, ignore=["$.items.0.id"])) == [("$.items.1.id", "changed")]


def test_ignore_bracket_index_form():
    expected = {"items": [{"id": 1}, {"id": 2}]}
    actual = {"items": [{"id": 7}, {"id": 8}]}
    assert summary(compare(expected, actual, ignore=["$.items[1].id"])) == [("$.items.0.id", "changed")]


def test_ignore_wildcard_index():
    expected = {"items": [{"id": 1}, {"id": 2}]}
    actual = {"items": [{"id": 7}, {"id": 8}]}
    assert compare(expected, actual, ignore=["$.items[*].id"]) == []


def test_ignore_nested_arrays_without_indexes():
    expected = {"orders": [{"lines": [{"sku": "a", "at": 1}]}]}
    actual = {"orders": [{"lines": [{"sku": "a", "at": 2}]}]}
    assert compare(expected, actual, ignore=["$.orders.lines.at"]) == []


def test_ignore_index_does_not_match_other_nested_index():
    assert summary(compare([[1, 2]], [[1, 3]], ignore=["$.1"])) == [("$.0.1", "changed")]


def test_ignore_covers_subtree():
    assert compare({"meta": {"a": 1, "b": [1]}}, {"meta": {"a": 2, "b": []}}, ignore=["meta"]) == []


def test_ignore_is_case_sensitive():
    assert summary(compare({"createdAt": 1}, {"createdAt": 2}, ignore=["$.createdat"])) == [("$.createdAt", "changed")]


def test_ignore_does_not_excuse_array_length():
    expected = {"items": [{"id": 1}]}
    actual = {"items": [{"id": 1}, {"id": 2}]}
    assert summary(compare(expected, actual, ignore=["$.items.id"])) == [("$.items.1", "unexpected")]


def test_ignore_paths_are_read_from_body_root():
    expected = {"name": "x", "seen": 1}
    actual = {"name": "x", "seen": 2}
    assert compare(expected, actual, base="$.users.0", ignore=["$.users.seen"]) == []


def test_ignore_invalid_path_raises():
    with pytest.raises(InvalidPath):
        compare(1, 1, ignore=["$.a["])


def test_contains_allows_extra_keys():
    assert compare({"a": 1}, {"a": 1.0, "b": 2}, contains=True) == []


def test_contains_reports_missing_key():
    assert summary(compare({"a": 1, "m": 2}, {"a": 1}, contains=True)) == [("$.m", "missing")]


def test_contains_reports_type_change():
    [entry] = compare({"a": 1}, {"a": "1"}, contains=True)
    assert describe(entry) == '$.a: expected integer 1, got string "1"'


def test_contains_array_elements_in_any_order():
    assert compare([3, 1], [1, 2, 3], contains=True) == []


def test_contains_nested_arrays_and_objects():
    expected = {"a": [1, {"b": [1, 2]}]}
    actual = {"a": [{"b": [2, 3, 1], "c": 1}, 9, 1], "x": 1}
    assert compare(expected, actual, contains=True) == []


def test_contains_element_not_found():
    expected = {"a": [{"b": [4]}]}
    actual = {"a": [{"b": [2, 3, 1], "c": 1}, 9]}
    assert compare(expected, actual, contains=True) == [
        DiffEntry(path="$.a", kind="missing", expected={"b": [4]}, actual=None,
                  expected_type="object", actual_type=None)
    ]


def test_contains_empty_array_matches_any_array():
    assert compare({"tags": []}, {"tags": ["x"]}, contains=True) == []


def test_contains_array_against_object():
    assert summary(compare({"tags": ["x"]}, {"tags": {"x": 1}}, contains=True)) == [("$.tags", "type_changed")]


def test_contains_string_equality_inside_objects():
    assert summary(compare({"name": "Al"}, {"name": "Alice"}, contains=True)) == [("$.name", "changed")]


def test_contains_boolean_is_not_number():
    assert summary(compare([True], [1], contains=True)) == [("$", "missing")]


def test_contains_with_ignore_inside_elements():
    expected = {"items": [{"id": 1, "name": "a"}]}
    actual = {"items": [{"id": 9, "name": "a"}]}
    assert compare(expected, actual, contains=True, ignore=["$.items.id"]) == []


def test_contains_with_base():
    assert summary(compare({"id": 1}, {"id": 2}, contains=True, base="$.user")) == [("$.user.id", "changed")]


def test_describe_missing_and_unexpected():
    entries = compare({"a": 1}, {"b": "x"})
    assert [describe(entry) for entry in entries] == ["$.a: missing, expected integer 1", '$.b: unexpected string "x"']


def test_json_preview_cuts_long_values():
    assert json_preview("x" * 100, 10) == '"xxxxxxxxx... (102 characters)'
