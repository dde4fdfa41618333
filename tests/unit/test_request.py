import pytest

from keploy_tui.engine.auth import AuthError
from keploy_tui.engine.request import join_url, prepare
from keploy_tui.engine.variables import MissingVariable, substitute
from keploy_tui.model import Auth, Step


@pytest.mark.parametrize(
    ("base", "path", "expected"),
    [
        ("http://host/api", "/users", "http://host/api/users"),
        ("http://host/api/", "/users", "http://host/api/users"),
        ("http://host/api", "users?x=1", "http://host/api/users?x=1"),
        ("http://host", "/users", "http://host/users"),
        ("http://host/api", "https://other/x", "https://other/x"),
        ("http://host/api", "", "http://host/api"),
        ("http://host/api", "?page=2", "http://host/api?page=2"),
    ],
)
def test_join_url_keeps_prefix(base, path, expected):
    assert join_url(base, path) == expected


def test_substitute_string_inserted_as_is():
    assert substitute('{"title": "{{title}}"}', {"title": "hi"}) == '{"title": "hi"}'


def test_substitute_number_stays_number():
    assert substitute('{"id": {{post_id}}}', {"post_id": 101}) == '{"id": 101}'


def test_substitute_object_inserted_as_json():
    assert substitute("{{obj}}", {"obj": {"a": [1, True, None]}}) == '{"a": [1, true, null]}'


def test_substitute_allows_spaces_in_braces():
    assert substitute("/posts/{{ id }}", {"id": "7"}) == "/posts/7"


def test_substitute_missing_names_variable():
    with pytest.raises(MissingVariable) as raised:
        substitute("/posts/{{post_id}}", {})
    assert raised.value.name == "post_id"


def step(**kwargs):
    return Step(name="s", method="get", url="/x", **kwargs)


def test_prepare_applies_run_bearer():
    request = prepare(step(), "http://h", {}, Auth(kind="bearer", token="t0k"))
    assert request.headers["Authorization"] == "Bearer t0k"
    assert "t0k" in request.secrets


def test_prepare_step_auth_none_overrides_run_auth():
    request = prepare(step(auth=Auth()), "http://h", {}, Auth(kind="bearer", token="t0k"))
    assert "Authorization" not in request.headers


def test_prepare_step_basic_overrides_run_bearer():
    request = prepare(step(auth=Auth(kind="basic", username="u", password="p")), "http://h", {},
                      Auth(kind="bearer", token="t0k"))
    assert request.headers["Authorization"] == "Basic dTpw"


def test_prepare_api_key_in_query():
    request = prepare(step(), "http://h", {}, Auth(kind="api_key", name="api_key", value="k", location="query"))
    assert request.params == [("api_key", "k")]


def test_prepare_step_auth_reads_environment(monkeypatch):
    monkeypatch.setenv("ORDERS_TOKEN", "from-env")
    request = prepare(step(auth=Auth(kind="bearer", token_env="ORDERS_TOKEN")), "http://h", {}, Auth())
    assert request.headers["Authorization"] == "Bearer from-env"


def test_prepare_unset_environment_variable_is_named(monkeypatch):
    monkeypatch.delenv("NOPE_TOKEN", raising=False)
    with pytest.raises(AuthError, match="NOPE_TOKEN"):
        prepare(step(auth=Auth(kind="bearer", token_env="NOPE_TOKEN")), "http://h", {}, Auth())


def test_prepare_method_uppercased():
    assert prepare(step(), "http://h", {}, Auth()).method == "GET"


def test_api_key_query_keeps_existing_query():
    request = prepare(Step(name="s", method="GET", url="/todos?userId=1&completed=true"), "http://h", {},
                      Auth(kind="api_key", name="api_key", value="k", location="query"))
    assert request.full_url() == "http://h/todos?userId=1&completed=true&api_key=k"
