import pytest

from keploy_tui.engine.jsonpath import InvalidPath, PathNotFound, format_path, parse_path, resolve

DOCUMENT = {
    "users": [{"id": 1, "name": "Alice"}, {"id": 2, "name": "Bob"}],
    "codes": {"404": "not found"},
    "a.b": {"c": [10, 20]},
    "empty": None,
}


@pytest.mark.parametrize(
    "path",
    ["$.users.0.id", "users.0.id", "$.users[0].id", '$["users"][0]["id"]', "$['users'][0].id", " $.users.0.id "],
)
def test_parse_path_syntaxes_agree(path):
    assert parse_path(path) == ["users", 0, "id"]


@pytest.mark.parametrize("path", ["$", ""])
def test_parse_path_root(path):
    assert parse_path(path) == []


def test_parse_path_quoted_key_keeps_dot():
    assert parse_path('$["a.b"].c[1]') == ["a.b", "c", 1]


def test_parse_path_quoted_key_with_escaped_quote():
    assert parse_path(r'$["say \"hi\""]') == ['say "hi"']


def test_parse_path_wildcard():
    assert parse_path("$.items[*].id") == ["items", "*", "id"]


@pytest.mark.parametrize("path", ["$.users[0", "$..id", "$[x]", '$["open', "$.users[-1]", "$users"])
def test_parse_path_rejects_invalid(path):
    with pytest.raises(InvalidPath):
        parse_path(path)


def test_invalid_path_is_path_not_found():
    with pytest.raises(PathNotFound):
        resolve(DOCUMENT, "$.users[0")


def test_invalid_path_message_names_position():
    with pytest.raises(InvalidPath) as caught:
        parse_path("$.users[0")
    assert str(caught.value) == "invalid JSON path '$.users[0': missing ']' for the '[' at position 7"


def test_format_path_plain():
    assert format_path(["users", 0, "id"]) == "$.users.0.id"


def test_format_path_root():
    assert format_path([]) == "$"


def test_format_path_brackets_key_with_dot():
    assert format_path(["a.b", "c"]) == '$["a.b"].c'


@pytest.mark.parametrize("path", ['$["a.b"].c.1', "$.users.0.id", '$["first name"]', r'$["q\"x"]'])
def test_format_path_round_trips(path):
    assert format_path(parse_path(path)) == path


def test_resolve_dot_indexes_array():
    assert resolve(DOCUMENT, "$.users.1.name") == "Bob"


def test_resolve_bracket_indexes_array():
    assert resolve(DOCUMENT, "$.users[1].name") == "Bob"


def test_resolve_digits_as_object_key():
    assert resolve(DOCUMENT, "$.codes.404") == "not found"


def test_resolve_root_returns_document():
    assert resolve(DOCUMENT, "$") is DOCUMENT


def test_resolve_null_value_is_found():
    assert resolve(DOCUMENT, "$.empty") is None


def test_resolve_quoted_key():
    assert resolve(DOCUMENT, '$["a.b"].c.1') == 20


def test_resolve_index_out_of_range_message():
    with pytest.raises(PathNotFound) as caught:
        resolve(DOCUMENT, "$.users.3.id")
    assert str(caught.value) == "path not found: $.users.3.id (no index 3 in a list of 2 at $.users)"


def test_resolve_missing_key_lists_keys():
    with pytest.raises(PathNotFound) as caught:
        resolve(DOCUMENT, "users[0].email")
    assert str(caught.value) == "path not found: $.users.0.email (no key 'email' in the object at $.users.0; keys: id, name)"


def test_resolve_key_on_array():
    with pytest.raises(PathNotFound) as caught:
        resolve(DOCUMENT, "$.users.name")
    assert caught.value.reason == "$.users is an array, so 'name' must be an index"


def test_resolve_through_scalar():
    with pytest.raises(PathNotFound) as caught:
        resolve(DOCUMENT, "$.users.0.name.first")
    assert caught.value.reason == "the value at $.users.0.name is of type string, not an object or array"


def test_resolve_through_null():
    with pytest.raises(PathNotFound) as caught:
        resolve(DOCUMENT, "$.empty.id")
    assert caught.value.reason == "the value at $.empty is of type null, not an object or array"


def test_path_not_found_keeps_path():
    with pytest.raises(PathNotFound) as caught:
        resolve(DOCUMENT, "users[5]")
    assert caught.value.path == "$.users.5"


def test_resolve_on_scalar_document():
    with pytest.raises(PathNotFound):
        resolve("plain text", "$.id")
