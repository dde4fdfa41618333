"""The demo API over real HTTP: every route, auth, flaky and slow behaviour, and server lifecycle."""

from __future__ import annotations

import base64
import json
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from keploy_tui.demo import api as demo_api, auth as demo_auth
from keploy_tui.demo.server import DemoServer

pytestmark = pytest.mark.integration

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _client(base_url: str) -> httpx.Client:
    # trust_env=False keeps a proxy variable in the environment from rerouting loopback traffic.
    return httpx.Client(base_url=base_url, trust_env=False, timeout=10.0)


@pytest.fixture
def client(demo_url: str) -> Iterator[httpx.Client]:
    with _client(demo_url) as http:
        yield http


@pytest.fixture
def fresh_client(fresh_demo_server: DemoServer) -> Iterator[httpx.Client]:
    with _client(fresh_demo_server.url) as http:
        yield http


# --- read routes --------------------------------------------------------------


def test_index_lists_resources_and_routes(client: httpx.Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert response.json()["resources"] == ["posts", "comments", "users", "todos"]
    assert any("/auth/whoami" in route for route in response.json()["routes"])


@pytest.mark.parametrize(("resource", "count"), [("posts", 100), ("comments", 500), ("users", 10), ("todos", 200)])
def test_collection_sizes_match_jsonplaceholder(client: httpx.Client, resource: str, count: int) -> None:
    response = client.get(f"/{resource}")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    records = response.json()
    assert len(records) == count
    assert [record["id"] for record in records] == list(range(1, count + 1))


def test_post_1_matches_jsonplaceholder(client: httpx.Client) -> None:
    response = client.get("/posts/1")

    assert response.status_code == 200
    assert response.json() == {
        "userId": 1,
        "id": 1,
        "title": "sunt aut facere repellat provident occaecati excepturi optio reprehenderit",
        "body": "quia et suscipit\nsuscipit recusandae consequuntur expedita et cum\n"
                "reprehenderit molestiae ut ut quas totam\nnostrum rerum est autem sunt rem eveniet architecto",
    }
    # JSONPlaceholder sends the same 2-space-indented body, 292 bytes long.
    assert response.headers["content-length"] == "292"


def test_user_1_nested_fields(client: httpx.Client) -> None:
    user = client.get("/users/1").json()

    assert user["username"] == "Bret"
    assert user["email"] == "Sincere@april.biz"
    assert user["address"]["geo"] == {"lat": "-37.3159", "lng": "81.1496"}
    assert user["company"]["name"] == "Romaguera-Crona"


def test_todo_1_matches_jsonplaceholder(client: httpx.Client) -> None:
    assert client.get("/todos/1").json() == {"userId": 1, "id": 1, "title": "delectus aut autem", "completed": False}


def test_comment_shape(client: httpx.Client) -> None:
    comment = client.get("/comments/42").json()

    assert set(comment) == {"postId", "id", "name", "email", "body"}
    assert comment["postId"] == 9
    assert "@" in comment["email"]


def test_seed_is_deterministic(demo_server: DemoServer) -> None:
    with DemoServer() as other, _client(demo_server.url) as first, _client(other.url) as second:
        assert first.get("/comments").json() == second.get("/comments").json()
        assert first.get("/todos").json() == second.get("/todos").json()


# --- list filters ---------------------------------------------------------------


def test_filter_by_user_id(client: httpx.Client) -> None:
    posts = client.get("/posts", params={"userId": "1"}).json()

    assert [post["id"] for post in posts] == list(range(1, 11))
    assert {post["userId"] for post in posts} == {1}


def test_filter_repeated_key_matches_any_value(client: httpx.Client) -> None:
    posts = client.get("/posts?id=1&id=3").json()

    assert [post["id"] for post in posts] == [1, 3]


def test_filters_on_several_keys_combine(client: httpx.Client) -> None:
    todos = client.get("/todos", params={"userId": "2", "completed": "true"}).json()

    assert todos
    assert {todo["userId"] for todo in todos} == {2}
    assert {todo["completed"] for todo in todos} == {True}


def test_filter_on_nested_field(client: httpx.Client) -> None:
    users = client.get("/users", params={"address.city": "Gwenborough"}).json()

    assert [user["id"] for user in users] == [1]


def test_filter_on_unknown_field_is_empty(client: httpx.Client) -> None:
    response = client.get("/posts", params={"colour": "blue"})

    assert response.status_code == 200
    assert response.json() == []


def test_start_and_limit_slice_the_list(client: httpx.Client) -> None:
    posts = client.get("/posts", params={"_start": "5", "_limit": "3"}).json()

    assert [post["id"] for post in posts] == [6, 7, 8]


@pytest.mark.parametrize("query", ["_limit=x", "_start=-1", "_sort=title"])
def test_invalid_list_parameter_is_400(client: httpx.Client, query: str) -> None:
    response = client.get(f"/posts?{query}")

    assert response.status_code == 400
    assert response.json()["message"]


def test_api_key_query_is_not_filter(client: httpx.Client) -> None:
    posts = client.get("/posts", params={"userId": "1", "api_key": "demo-key"}).json()

    assert len(posts) == 10


@pytest.mark.parametrize(("path", "key", "count"), [
    ("/posts/1/comments", "postId", 5),
    ("/users/1/posts", "userId", 10),
    ("/users/1/todos", "userId", 20),
])
def test_nested_route_lists_children(client: httpx.Client, path: str, key: str, count: int) -> None:
    records = client.get(path).json()

    assert len(records) == count
    assert {record[key] for record in records} == {1}


def test_nested_route_of_missing_parent_is_empty(client: httpx.Client) -> None:
    response = client.get("/posts/9999/comments")

    assert response.status_code == 200
    assert response.json() == []


# --- errors ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/posts/9999", "/posts/abc", "/posts/0", "/posts/%C2%B2", "/users/11", "/nowhere",
                                  "/posts/1/todos", "/posts/1/comments/1"])
def test_unknown_route_or_id_is_404_json(client: httpx.Client, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["status"] == 404
    assert body["error"] == "Not Found"
    assert body["message"]


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("POST", "/posts/1", "GET, HEAD, PUT, PATCH, DELETE"),
    ("DELETE", "/posts", "GET, HEAD, POST"),
    ("POST", "/headers", "GET, HEAD"),
    ("PUT", "/auth/whoami", "GET, HEAD"),
])
def test_wrong_method_is_405_with_allow(client: httpx.Client, method: str, path: str, allowed: str) -> None:
    response = client.request(method, path)

    assert response.status_code == 405
    assert response.headers["allow"] == allowed
    assert response.json()["status"] == 405
    assert f"method {method} is not allowed on {path}" in response.json()["message"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
@pytest.mark.parametrize(("body", "fragment"), [
    (b"{not json", "invalid JSON body"),
    (b"\xff\xfe", "invalid JSON body"),
    (b"[1, 2]", "must be an object, got list"),
    (b'"text"', "must be an object, got str"),
])
def test_invalid_json_body_is_400(fresh_client: httpx.Client, method: str, body: bytes, fragment: str) -> None:
    path = "/posts" if method == "POST" else "/posts/1"

    response = fresh_client.request(method, path, content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert fragment in response.json()["message"]
    assert fresh_client.get("/posts/1").json()["userId"] == 1


def test_connection_survives_error_response(client: httpx.Client) -> None:
    # The rejected body must be read in full, or it would corrupt the next request on the connection.
    rejected = client.post("/posts", content=b"{broken" * 1000)
    accepted = client.get("/posts/2")

    assert rejected.status_code == 400
    assert accepted.status_code == 200
    assert accepted.json()["id"] == 2


def test_chunked_request_body_is_411(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"title": '
        yield b'"x"}'

    response = client.post("/posts", content=chunks())

    assert response.status_code == 411
    assert "Content-Length" in response.json()["message"]


# --- writes ---------------------------------------------------------------------


def test_create_returns_201_with_next_id(fresh_client: httpx.Client) -> None:
    first = fresh_client.post("/posts", json={"title": "hello", "body": "text", "userId": 1})
    second = fresh_client.post("/posts", json={"title": "again", "userId": 2})

    assert first.status_code == 201
    assert first.json() == {"title": "hello", "body": "text", "userId": 1, "id": 101}
    assert first.headers["location"] == "/posts/101"
    assert second.json()["id"] == 102
    assert fresh_client.get("/posts/101").json()["title"] == "hello"
    assert len(fresh_client.get("/posts").json()) == 102


def test_create_ignores_id_in_body(fresh_client: httpx.Client) -> None:
    response = fresh_client.post("/users", json={"id": 1, "name": "Someone"})

    assert response.json()["id"] == 11
    assert fresh_client.get("/users/1").json()["name"] == "Leanne Graham"


def test_create_with_empty_body_stores_only_id(fresh_client: httpx.Client) -> None:
    response = fresh_client.post("/todos")

    assert response.status_code == 201
    assert response.json() == {"id": 201}


def test_nested_create_sets_parent_key(fresh_client: httpx.Client) -> None:
    response = fresh_client.post("/posts/3/comments", json={"name": "n", "email": "e@example.org", "body": "b"})

    assert response.status_code == 201
    assert response.json()["postId"] == 3
    assert response.json()["id"] == 501
    assert len(fresh_client.get("/posts/3/comments").json()) == 6


def test_put_replaces_whole_record(fresh_client: httpx.Client) -> None:
    response = fresh_client.put("/posts/1", json={"id": 999, "title": "replaced"})

    assert response.status_code == 200
    assert response.json() == {"title": "replaced", "id": 1}
    assert fresh_client.get("/posts/1").json() == {"title": "replaced", "id": 1}


def test_put_missing_record_creates_it(fresh_client: httpx.Client) -> None:
    fresh_client.delete("/posts/100")

    response = fresh_client.put("/posts/100", json={"userId": 10, "title": "back"})

    assert response.status_code == 201
    assert fresh_client.get("/posts/100").json() == {"userId": 10, "title": "back", "id": 100}


def test_patch_merges_fields(fresh_client: httpx.Client) -> None:
    original = fresh_client.get("/posts/5").json()

    response = fresh_client.patch("/posts/5", json={"title": "patched", "id": 77})

    assert response.status_code == 200
    assert response.json() == {**original, "title": "patched"}
    assert fresh_client.get("/posts/5").json()["title"] == "patched"


def test_patch_missing_record_is_404(fresh_client: httpx.Client) -> None:
    response = fresh_client.patch("/posts/9999", json={"title": "x"})

    assert response.status_code == 404
    assert "9999" in response.json()["message"]


def test_delete_then_read_is_404(fresh_client: httpx.Client) -> None:
    deleted = fresh_client.delete("/posts/7")
    read_after = fresh_client.get("/posts/7")
    deleted_again = fresh_client.delete("/posts/7")

    assert deleted.status_code == 200
    assert deleted.json() == {}
    assert read_after.status_code == 404
    assert deleted_again.status_code == 404


def test_concurrent_creates_get_unique_ids(fresh_demo_server: DemoServer) -> None:
    def create(index: int) -> int:
        with _client(fresh_demo_server.url) as http:
            return http.post("/posts", json={"title": f"post {index}"}).json()["id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(create, range(40)))

    assert sorted(ids) == list(range(101, 141))


# --- auth -----------------------------------------------------------------------


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.mark.parametrize(("headers", "params", "expected"), [
    ({"Authorization": "Bearer demo-token"}, {}, {"method": "bearer"}),
    ({"Authorization": "bearer demo-token"}, {}, {"method": "bearer"}),
    ({"Authorization": _basic("demo", "demo-pass")}, {}, {"method": "basic"}),
    ({"X-Api-Key": "demo-key"}, {}, {"method": "api_key", "in": "header"}),
    ({"x-api-key": "demo-key"}, {}, {"method": "api_key", "in": "header"}),
    ({}, {"api_key": "demo-key"}, {"method": "api_key", "in": "query"}),
], ids=["bearer", "bearer-lowercase", "basic", "api-key-header", "api-key-header-lowercase", "api-key-query"])
def test_whoami_accepts_demo_credentials(client: httpx.Client, headers: dict[str, str],
                                         params: dict[str, str], expected: dict[str, str]) -> None:
    response = client.get("/auth/whoami", headers=headers, params=params)

    assert response.status_code == 200
    assert response.json() == {"authenticated": True, **expected, "user": "demo"}


@pytest.mark.parametrize(("headers", "params", "message"), [
    ({}, {}, "missing credentials"),
    ({"Authorization": "Bearer wrong-token"}, {}, "invalid bearer token"),
    ({"Authorization": "Bearer"}, {}, "invalid bearer token"),
    ({"Authorization": _basic("demo", "wrong")}, {}, "invalid username or password"),
    ({"Authorization": _basic("someone", "demo-pass")}, {}, "invalid username or password"),
    ({"Authorization": "Basic %%%"}, {}, "malformed basic credentials"),
    ({"Authorization": "Digest username=demo"}, {}, "unsupported Authorization scheme"),
    ({"X-Api-Key": "wrong-key"}, {}, "invalid API key in header"),
    ({}, {"api_key": "wrong-key"}, "invalid API key in query"),
    ({"Authorization": "Bearer wrong-token", "X-Api-Key": "demo-key"}, {}, "invalid bearer token"),
], ids=["none", "wrong-bearer", "empty-bearer", "wrong-password", "wrong-user", "malformed-basic",
        "digest", "wrong-key-header", "wrong-key-query", "wrong-bearer-with-good-key"])
def test_whoami_rejects_with_401(client: httpx.Client, headers: dict[str, str],
                                 params: dict[str, str], message: str) -> None:
    response = client.get("/auth/whoami", headers=headers, params=params)

    assert response.status_code == 401
    assert response.headers.get_list("www-authenticate") == [
        'Bearer realm="keploy-tui demo"',
        'Basic realm="keploy-tui demo"',
    ]
    assert response.json()["error"] == "Unauthorized"
    assert message in response.json()["message"]


def test_credential_constants_match_server(client: httpx.Client) -> None:
    response = client.get("/auth/whoami", auth=(demo_auth.DEMO_USERNAME, demo_auth.DEMO_PASSWORD),
                          headers={demo_auth.API_KEY_HEADER: demo_auth.DEMO_API_KEY})

    assert response.json()["method"] == "basic"


# --- flaky and slow -------------------------------------------------------------


def test_flaky_alternates_failure_and_success(fresh_client: httpx.Client) -> None:
    responses = [fresh_client.get("/flaky") for _ in range(4)]

    assert [response.status_code for response in responses] == [500, 200, 500, 200]
    assert [response.json()["call"] for response in responses] == [1, 2, 3, 4]
    assert [response.json()["ok"] for response in responses] == [False, True, False, True]


def test_flaky_counter_is_per_instance(fresh_demo_server: DemoServer) -> None:
    with DemoServer() as other, _client(fresh_demo_server.url) as first, _client(other.url) as second:
        assert first.get("/flaky").status_code == 500
        assert first.get("/flaky").status_code == 200
        assert second.get("/flaky").json()["call"] == 1


def test_slow_waits_for_delay(client: httpx.Client) -> None:
    started = time.monotonic()
    response = client.get("/slow", params={"delay": "0.3"})
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert response.json() == {"delay": 0.3}
    assert elapsed >= 0.3


def test_slow_caps_delay(client: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_api, "MAX_DELAY_SECONDS", 0.2)

    started = time.monotonic()
    response = client.get("/slow", params={"delay": "60"})

    assert response.json() == {"delay": 0.2}
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("delay", ["abc", "-1", "nan", "inf", ""])
def test_slow_rejects_invalid_delay(client: httpx.Client, delay: str) -> None:
    response = client.get("/slow", params={"delay": delay})

    assert response.status_code == 400
    assert "delay" in response.json()["message"]


def test_stop_ends_pending_slow_request() -> None:
    server = DemoServer().start()
    outcome: dict[str, object] = {}

    def call_slow() -> None:
        started = time.monotonic()
        try:
            with _client(server.url) as http:
                outcome["status"] = http.get("/slow", params={"delay": "8"}).status_code
        except httpx.TransportError as error:
            outcome["error"] = error
        outcome["elapsed"] = time.monotonic() - started

    caller = threading.Thread(target=call_slow)
    caller.start()
    time.sleep(0.3)
    server.stop()
    caller.join(timeout=5)

    assert not caller.is_alive()
    assert outcome["elapsed"] < 5


# --- echo, status, binary, HEAD ---------------------------------------------------


def test_headers_echoes_request_headers(client: httpx.Client) -> None:
    response = client.get("/headers", headers=[("X-Trace-Id", "abc-123"), ("X-Tag", "one"), ("X-Tag", "two")])

    echoed = response.json()["headers"]
    assert echoed["X-Trace-Id"] == "abc-123"
    assert echoed["X-Tag"] == "one, two"
    assert echoed["Host"].startswith("127.0.0.1:")


@pytest.mark.parametrize("status", [200, 201, 202, 301, 400, 404, 418, 429, 500, 503, 599])
def test_status_route_returns_that_status(client: httpx.Client, status: int) -> None:
    response = client.get(f"/status/{status}")

    assert response.status_code == status
    assert response.json()["status"] == status


def test_status_204_has_no_body(client: httpx.Client) -> None:
    response = client.get("/status/204")

    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert "content-length" not in response.headers


@pytest.mark.parametrize("code", ["99", "100", "600", "abc", "²"])
def test_status_route_rejects_invalid_code(client: httpx.Client, code: str) -> None:
    response = client.get(f"/status/{code}")

    assert response.status_code == 400
    assert code in response.json()["message"]


def test_image_is_valid_png(client: httpx.Client) -> None:
    response = client.get("/image.png")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    data = response.content
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (1, 1)
    assert struct.unpack(">I", data[16 + length:20 + length])[0] == zlib.crc32(data[12:16 + length])
    assert data.endswith(b"IEND\xaeB`\x82")


def test_head_sends_headers_without_body(client: httpx.Client) -> None:
    get = client.get("/posts/1")
    head = client.head("/posts/1")

    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]


# --- instances and lifecycle ------------------------------------------------------


def test_instances_have_independent_data(fresh_demo_server: DemoServer) -> None:
    with DemoServer() as other, _client(fresh_demo_server.url) as first, _client(other.url) as second:
        first.delete("/posts/1")
        first.post("/users", json={"name": "Only here"})

        assert first.get("/posts/1").status_code == 404
        assert second.get("/posts/1").status_code == 200
        assert len(second.get("/users").json()) == 10
        assert fresh_demo_server.url != other.url


def test_restart_resets_data() -> None:
    server = DemoServer().start()
    with _client(server.url) as http:
        http.delete("/posts/1")
        http.get("/flaky")
    server.stop()

    server.start()
    try:
        with _client(server.url) as http:
            assert http.get("/posts/1").status_code == 200
            assert http.get("/flaky").json()["call"] == 1
    finally:
        server.stop()


def test_stopped_server_refuses_connections() -> None:
    server = DemoServer().start()
    url = server.url
    server.stop()

    with _client(url) as http, pytest.raises(httpx.ConnectError):
        http.get("/posts/1")


def test_url_before_start_raises() -> None:
    with pytest.raises(RuntimeError, match="not running"):
        DemoServer().url


def test_start_twice_raises(fresh_demo_server: DemoServer) -> None:
    with pytest.raises(RuntimeError, match="already running"):
        fresh_demo_server.start()


def test_stop_is_idempotent() -> None:
    server = DemoServer().start()

    server.stop()
    server.stop()

    with pytest.raises(RuntimeError):
        server.url


def test_server_is_quiet_by_default(fresh_client: httpx.Client, capfd: pytest.CaptureFixture[str]) -> None:
    fresh_client.get("/posts/1")
    fresh_client.get("/nowhere")

    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_verbose_server_logs_requests(capfd: pytest.CaptureFixture[str]) -> None:
    with DemoServer(verbose=True) as server, _client(server.url) as http:
        http.get("/posts/1")

    assert '"GET /posts/1 HTTP/1.1" 200' in capfd.readouterr().err


def test_serve_forever_stops_on_sigint() -> None:
    code = "from keploy_tui.demo.server import serve_forever; serve_forever('127.0.0.1', 0)"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("Demo API listening on http://127.0.0.1:")
        url = line.removeprefix("Demo API listening on ")
        with _client(url) as http:
            assert http.get("/posts/1").status_code == 200

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert process.stdout.read() == ""
        assert process.stderr.read() == ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_non_ascii_text_round_trips(fresh_client: httpx.Client) -> None:
    title = "Grüße ✓ 東京"

    created = fresh_client.post("/posts", json={"title": title})

    assert title.encode("utf-8") in created.content
    assert json.loads(created.content.decode("utf-8"))["title"] == title
    assert fresh_client.get(f"/posts/{created.json()['id']}").json()["title"] == title


# --- httpbin fixture ---------------------------------------------------------------


def test_httpbin_fixture_answers_get(httpbin_url: str) -> None:
    with _client(httpbin_url) as http:
        response = http.get("/get", params={"probe": "1"})

    assert response.status_code == 200
    assert response.json()["args"] == {"probe": "1"}
    assert response.json()["url"].startswith(httpbin_url)
