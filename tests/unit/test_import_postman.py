"""Importing Postman collections: folders, URLs, variables, headers, bodies and auth."""

import json

import pytest

from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.importers import load_any, load_any_paths
from keploy_tui.formats.postman_body import FORM_BOUNDARY
from keploy_tui.formats.suite_yaml import dump_suites, loads
from keploy_tui.model.suite import Auth

V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def request(name, url, method="GET", event=None, **fields):
    item = {"name": name, "request": {"method": method, "url": url, **fields}}
    if event is not None:
        item["event"] = event
    return item


def folder(name, *items, **fields):
    return {"name": name, "item": list(items), **fields}


def import_collection(tmp_path, items, environment=None, **fields):
    collection = {"info": {"name": "Shop", "schema": V21}, "item": items, **fields}
    path = tmp_path / "shop.postman_collection.json"
    path.write_text(json.dumps(collection), encoding="utf-8")
    result = load_any(path, environment)
    return result


def steps(result):
    assert len(result.suites) == 1
    return {step.name: step for step in result.suites[0].steps}


def messages(result):
    return [warning.message for warning in result.warnings]


def test_folders_become_prefixes_in_order(tmp_path):
    items = [
        request("Health", "http://api.test/health"),
        folder("Orders", request("Create", "http://api.test/orders", "POST"),
               folder("Items", request("Add", "http://api.test/orders/1/items", "POST"))),
        request("Logout", "http://api.test/logout"),
    ]
    result = import_collection(tmp_path, items)
    assert list(steps(result)) == ["Health", "Orders / Create", "Orders / Items / Add", "Logout"]
    assert result.suites[0].name == "Shop"


def test_duplicate_names_get_numbers(tmp_path):
    result = import_collection(tmp_path, [request("Get", "http://a.test/x"), request("Get", "http://a.test/y")])
    assert list(steps(result)) == ["Get", "Get (2)"]


def test_request_as_string(tmp_path):
    result = import_collection(tmp_path, [{"name": "Ping", "request": "https://api.test/ping?x=1"}])
    step = steps(result)["Ping"]
    assert (step.method, step.url) == ("GET", "/ping?x=1")
    assert result.suites[0].default_base_url == "https://api.test"


def test_leading_variable_becomes_base_url(tmp_path):
    items = [request("Users", "{{baseUrl}}/users?page=1")]
    result = import_collection(tmp_path, items, variable=[{"key": "baseUrl", "value": "https://api.test/v2/"}])
    assert steps(result)["Users"].url == "/users?page=1"
    assert result.suites[0].default_base_url == "https://api.test/v2"


def test_undefined_leading_variable_warned(tmp_path):
    result = import_collection(tmp_path, [request("Users", "{{APIURL}}/users")])
    assert steps(result)["Users"].url == "/users"
    assert result.suites[0].default_base_url is None
    assert any("URLs start with {{APIURL}}" in message for message in messages(result))
    assert any(message.endswith("(give --var NAME=VALUE): APIURL") for message in messages(result))


def test_url_object_query_and_path_variables(tmp_path):
    url = {
        "raw": "https://api.test/orders/:orderId/items/:itemId?expand=1&debug=1",
        "protocol": "https", "host": ["api", "test"], "path": ["orders", ":orderId", "items", ":itemId"],
        "query": [{"key": "expand", "value": "1"}, {"key": "debug", "value": "1", "disabled": True},
                  {"key": "tag", "value": "a&b"}],
        "variable": [{"key": "orderId", "value": "{{order}}"}],
    }
    result = import_collection(tmp_path, [request("Item", url)], variable=[{"key": "order", "value": "42"}])
    assert steps(result)["Item"].url == "/orders/42/items/:itemId?expand=1&tag=a%26b"
    assert any("path variable :itemId has no value" in message for message in messages(result))


def test_all_query_entries_disabled_drops_question_mark(tmp_path):
    url = {"raw": "http://a.test/get", "host": ["a", "test"], "path": ["get"],
           "query": [{"key": "foo", "value": None, "disabled": True}]}
    assert steps(import_collection(tmp_path, [request("Get", url)]))["Get"].url == "/get"


def test_variable_precedence(tmp_path):
    items = [folder("F", request("Get", "http://a.test/{{a}}/{{b}}/{{c}}/{{d}}"),
                    variable=[{"key": "b", "value": "folder"}, {"key": "c", "value": "folder"}])]
    collection_values = [
        {"key": "a", "value": "first"}, {"key": "a", "value": "collection"},
        {"key": "b", "value": "collection"}, {"key": "d", "value": "disabled", "disabled": True},
    ]
    result = import_collection(tmp_path, items, {"c": "environment"}, variable=collection_values)
    assert steps(result)["F / Get"].url == "/collection/folder/environment/{{d}}"


def test_environment_file_disabled_entries(tmp_path):
    environment = tmp_path / "env.json"
    environment.write_text(json.dumps({"name": "Dev", "values": [
        {"key": "host", "value": "http://dev.test", "enabled": True},
        {"key": "user", "value": "skipped", "enabled": False},
    ]}), encoding="utf-8")
    collection = tmp_path / "c.json"
    collection.write_text(json.dumps({"info": {"name": "C", "schema": V21},
                                      "item": [request("Me", "{{host}}/users/{{user}}")]}), encoding="utf-8")
    result = load_any_paths([collection], environment)
    assert result.suites[0].default_base_url == "http://dev.test"
    assert result.suites[0].steps[0].url == "/users/{{user}}"


def test_environment_unused_warned(tmp_path):
    environment = tmp_path / "env.json"
    environment.write_text(json.dumps({"values": []}), encoding="utf-8")
    suite = tmp_path / "s.yaml"
    suite.write_text("name: S\nsteps:\n  - {name: a, method: GET, url: /a}\n", encoding="utf-8")
    result = load_any_paths([suite], environment)
    assert [warning.message for warning in result.warnings] == [
        "the environment was not used: no Postman collection was imported"
    ]


def test_bad_environment_is_one_error(tmp_path):
    environment = tmp_path / "env.json"
    environment.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(SuiteLoadError) as caught:
        load_any_paths([], environment)
    assert str(caught.value).startswith(f"{environment}: not a Postman environment")


def test_dynamic_variables_warned(tmp_path):
    result = import_collection(tmp_path, [request("New", "http://a.test/items/{{$guid}}")])
    assert steps(result)["New"].url == "/items/{{$guid}}"
    assert any("{{$guid}}" in message for message in messages(result))


def test_headers_disabled_and_repeated(tmp_path):
    headers = [{"key": "Accept", "value": "application/json"}, {"key": "X-Off", "value": "1", "disabled": True},
               {"key": "accept", "value": "text/plain"}, {"key": "X-Env", "value": "{{env}}"}]
    result = import_collection(tmp_path, [request("Get", "http://a.test/", header=headers)],
                               variable=[{"key": "env", "value": "dev"}])
    assert steps(result)["Get"].headers == {"Accept": "application/json, text/plain", "X-Env": "dev"}
    assert any("header accept is given more than once" in message for message in messages(result))


def test_raw_json_body_sets_content_type(tmp_path):
    body = {"mode": "raw", "raw": '{"name": "{{name}}"}', "options": {"raw": {"language": "json"}}}
    result = import_collection(tmp_path, [request("Create", "http://a.test/x", "POST", body=body)],
                               variable=[{"key": "name", "value": "Ada"}])
    step = steps(result)["Create"]
    assert step.body == '{"name": "Ada"}'
    assert step.headers == {"Content-Type": "application/json"}


def test_urlencoded_body(tmp_path):
    body = {"mode": "urlencoded", "urlencoded": [
        {"key": "q", "value": "a b&c"}, {"key": "off", "value": "1", "disabled": True}, {"key": "t", "value": "{{t}}"},
    ]}
    step = steps(import_collection(tmp_path, [request("Form", "http://a.test/x", "POST", body=body)]))["Form"]
    assert step.body == "q=a%20b%26c&t={{t}}"
    assert step.headers == {"Content-Type": "application/x-www-form-urlencoded"}


def test_formdata_text_fields_and_file_warning(tmp_path):
    body = {"mode": "formdata", "formdata": [
        {"key": "title", "value": "Report", "type": "text"},
        {"key": "upload", "type": "file", "src": "/home/me/report.pdf"},
    ]}
    result = import_collection(tmp_path, [request("Upload", "http://a.test/files", "POST", body=body)])
    step = steps(result)["Upload"]
    assert step.headers == {"Content-Type": f"multipart/form-data; boundary={FORM_BOUNDARY}"}
    assert step.body == (f'--{FORM_BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nReport\r\n'
                         f"--{FORM_BOUNDARY}--\r\n")
    assert any("form field 'upload' is a file (/home/me/report.pdf)" in message for message in messages(result))


def test_graphql_body(tmp_path):
    body = {"mode": "graphql", "graphql": {"query": "{ user(id: 1) { name } }", "variables": '{"x": 1}'}}
    step = steps(import_collection(tmp_path, [request("Q", "http://a.test/graphql", "POST", body=body)]))["Q"]
    assert json.loads(step.body) == {"query": "{ user(id: 1) { name } }", "variables": {"x": 1}}
    assert step.headers == {"Content-Type": "application/json"}


def test_legacy_data_content_body(tmp_path):
    data = {"mode": "raw", "content": '{"a": 1}'}
    item = request("Legacy", "//httpbin.test/post", "POST", data=data, header=[{"key": "Content-Type", "value": "application/json"}])
    result = import_collection(tmp_path, [item])
    assert steps(result)["Legacy"].body == '{"a": 1}'
    assert result.suites[0].default_base_url == "http://httpbin.test"


def bearer(token):
    return {"type": "bearer", "bearer": [{"key": "token", "value": token}]}


def test_auth_inherited_and_stopped(tmp_path):
    basic = {"type": "basic", "basic": [{"key": "username", "value": "ci"}, {"key": "password", "value": "pw"}]}
    items = [
        request("Inherits", "http://a.test/1"),
        folder("Admin", request("Folder auth", "http://a.test/2"),
               request("No auth", "http://a.test/3", auth={"type": "noauth"}), auth=basic),
        request("Own key", "http://a.test/4", auth={"type": "apikey", "apikey": [
            {"key": "key", "value": "api_key"}, {"key": "value", "value": "k1"}, {"key": "in", "value": "query"}]}),
    ]
    found = steps(import_collection(tmp_path, items, auth=bearer("t0")))
    assert found["Inherits"].auth == Auth(kind="bearer", token="t0")
    assert found["Admin / Folder auth"].auth == Auth(kind="basic", username="ci", password="pw")
    assert found["Admin / No auth"].auth == Auth(kind="none")
    assert found["Own key"].auth == Auth(kind="api_key", name="api_key", value="k1", location="query")


def test_auth_v20_mapping_format(tmp_path):
    items = [request("Get", "http://a.test/", auth={"type": "bearer", "bearer": {"token": "abc"}})]
    assert steps(import_collection(tmp_path, items))["Get"].auth == Auth(kind="bearer", token="abc")


def test_bearer_with_runtime_variable_becomes_header(tmp_path):
    items = [request("Me", "http://a.test/me", auth=bearer("{{token}}"))]
    step = steps(import_collection(tmp_path, items))["Me"]
    assert step.auth is None
    assert step.headers == {"Authorization": "Bearer {{token}}"}


def test_unsupported_auth_warned(tmp_path):
    items = [request("Sign", "http://a.test/", auth={"type": "oauth1", "oauth1": []})]
    result = import_collection(tmp_path, items)
    assert steps(result)["Sign"].auth is None
    assert "request 'Sign': auth type oauth1 is not supported; the request is sent without it" in messages(result)


def test_unsupported_method_skipped(tmp_path):
    result = import_collection(tmp_path, [request("Odd", "http://a.test/", "PURGE"), request("Ok", "http://a.test/")])
    assert list(steps(result)) == ["Ok"]
    assert any(message.startswith("request 'Odd': method PURGE is not supported") for message in messages(result))


def test_old_schema_rejected(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"info": {"name": "x", "schema": "https://schema.getpostman.com/v1.0.0/"},
                                "item": []}), encoding="utf-8")
    with pytest.raises(SuiteLoadError) as caught:
        load_any(path)
    assert "is not supported; export the collection as v2.1" in str(caught.value)


def test_round_trip_keeps_auth_and_extract(tmp_path):
    script = {"listen": "test", "script": {"exec": ["pm.environment.set('id', pm.response.json().id);"]}}
    items = [request("Create", "{{base}}/x", "POST", auth=bearer("t"), event=[script]),
             request("Read", "{{base}}/x/{{id}}")]
    suites = import_collection(tmp_path, items, variable=[{"key": "base", "value": "http://a.test"}]).suites
    assert suites[0].steps[0].extract == {"id": "$.id"}
    assert loads(dump_suites(suites)) == suites


def test_same_collection_name_renamed(tmp_path):
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(json.dumps({"info": {"name": "Shop", "schema": V21},
                                                 "item": [request("Get", "http://a.test/")]}), encoding="utf-8")
    result = load_any_paths([tmp_path / "a.json", tmp_path / "b.json"])
    assert [suite.name for suite in result.suites] == ["Shop", "Shop (b.json)"]
    assert f"suite renamed to 'Shop (b.json)': 'Shop' is already imported from {tmp_path / 'a.json'}" in messages(result)


def test_same_suite_file_name_rejected(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("name: S\nsteps:\n  - {name: a, method: GET, url: /a}\n", encoding="utf-8")
    with pytest.raises(SuiteLoadError) as caught:
        load_any_paths([tmp_path / "a.yaml", tmp_path / "b.yaml"])
    assert "duplicate suite name" in str(caught.value)


def test_path_named_twice_loads_once(tmp_path):
    (tmp_path / "s.yaml").write_text("name: S\nsteps:\n  - {name: a, method: GET, url: /a}\n", encoding="utf-8")
    result = load_any_paths([tmp_path, tmp_path / "s.yaml", tmp_path / "." / "s.yaml"])
    assert [suite.name for suite in result.suites] == ["S"]


def test_protocol_behavior_mentions_tls_only_for_tls_keys(tmp_path):
    items = [
        {**request("Redirects", "http://api.test/a"), "protocolProfileBehavior": {"followRedirects": False}},
        {**request("Self-signed", "http://api.test/b"), "protocolProfileBehavior": {"strictSSL": False}},
    ]
    behavior = [message for message in messages(import_collection(tmp_path, items))
                if "protocolProfileBehavior" in message]
    assert len(behavior) == 2
    assert "followRedirects" in behavior[0]
    assert "--insecure" not in behavior[0]
    assert "strictSSL" in behavior[1]
    assert "--insecure skips TLS checks" in behavior[1]
