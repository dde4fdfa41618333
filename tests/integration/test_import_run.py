"""Imported suites run end to end: Postman collections against httpbin, Keploy test-sets against a replay server.

Every request goes to a server this test session starts on 127.0.0.1; the hosts that
the corpus files name are never contacted, because each run passes --base-url.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from ruamel.yaml import YAML

from cli_helpers import run_cli
from keploy_tui.store.reports import ReportStore

pytestmark = pytest.mark.integration

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
TEST_SETS = CORPUS / "keploy-testsets"
APPS = sorted(path.name for path in TEST_SETS.iterdir() if path.is_dir()) if TEST_SETS.is_dir() else []
# Response headers the replay server leaves to http.server, which writes its own.
_SERVER_HEADERS = {"content-length", "date", "connection", "keep-alive", "transfer-encoding", "server"}

Recorded = tuple[int, dict[str, str], str]


def only_report(data_dir: Path):
    reports = ReportStore(data_dir).list()
    assert len(reports) == 1
    return ReportStore(data_dir).get(reports[0].id)


def recorded_responses(test_set: Path) -> dict[tuple[str, str], deque[Recorded]]:
    """Return the recorded responses of a test-set, queued per method and path in test order."""
    responses: dict[tuple[str, str], deque[Recorded]] = defaultdict(deque)
    files = sorted((test_set / "tests").glob("*.yaml"), key=lambda path: int(path.stem.split("-")[-1]))
    for path in files:
        spec = YAML(typ="safe").load(path.read_text(encoding="utf-8"))["spec"]
        url = urlsplit(spec["req"]["url"])
        target = url.path + (f"?{url.query}" if url.query else "")
        response = spec["resp"]
        headers = {str(name): str(value) for name, value in (response.get("header") or {}).items()}
        responses[(spec["req"]["method"], target)].append((response["status_code"], headers, response["body"] or ""))
    return responses


class ReplayServer:
    """An HTTP server that sends, for each request, the next response recorded for its method and path.

    `change` may rewrite a response body before it is sent, to check that a run notices.
    """

    def __init__(self, test_set: Path, change: Callable[[str, str], str] | None = None) -> None:
        self.responses = recorded_responses(test_set)
        self.change = change or (lambda target, body: body)
        self.unexpected: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                queue = server.responses.get((self.command, self.path))
                if not queue:
                    server.unexpected.append(f"{self.command} {self.path}")
                    self.send_error(599)
                    return
                status, headers, body = queue.popleft()
                data = server.change(self.path, body).encode("utf-8")
                self.send_response(status)
                for name, value in headers.items():
                    if name.lower() not in _SERVER_HEADERS:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"

    def __enter__(self) -> ReplayServer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def replay() -> Iterator[Callable[..., ReplayServer]]:
    servers: list[ReplayServer] = []

    def start(test_set: Path, change: Callable[[str, str], str] | None = None) -> ReplayServer:
        server = ReplayServer(test_set, change).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


@pytest.mark.parametrize("app", APPS)
def test_test_set_passes_against_recorded_answers(tmp_path, replay, app):
    test_set = TEST_SETS / app / "test-set-0"
    server = replay(test_set)
    result = run_cli(tmp_path, "run", str(test_set), "--base-url", server.url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.unexpected == []
    report = only_report(tmp_path)
    assert report.failed == 0
    assert report.passed == report.total == sum(1 for _ in (test_set / "tests").glob("*.yaml"))
    assert "dropped request headers" not in result.stdout
    assert "keploy-tui import" in result.stderr


@pytest.mark.corpus
def test_test_set_noise_and_order_tolerated(tmp_path, replay):
    def change(target: str, body: str) -> str:
        if not body.startswith(("{", "[")):
            return body
        data = json.loads(body)
        if isinstance(data, list):
            data.reverse()
            for item in data:
                item["updatedAt"] = "2030-01-01T00:00:00.000Z"
        return json.dumps(data)

    test_set = TEST_SETS / "samples-typescript-express-mongodb" / "test-set-0"
    server = replay(test_set, change)
    result = run_cli(tmp_path, "run", str(test_set), "--base-url", server.url)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.corpus
def test_test_set_change_fails_that_step(tmp_path, replay):
    def change(target: str, body: str) -> str:
        return body.replace("1718943885198315028", "1").replace("Lhr4BWAi\"", "other\"")

    test_set = TEST_SETS / "samples-go-gin-mongo" / "test-set-0"
    server = replay(test_set, change)
    result = run_cli(tmp_path, "run", str(test_set), "--base-url", server.url)
    assert result.returncode == 1
    report = only_report(tmp_path)
    assert [(step.step, step.passed) for step in report.steps] == [("test-1", False), ("test-2", True)]
    failed = [a for a in report.steps[0].latest.assertions if not a.passed]
    assert [entry.path for entry in failed[0].diff] == ["$.url"]


@pytest.mark.corpus
def test_httpbin_collection_runs(tmp_path, httpbin_url):
    report_file = tmp_path / "report.json"
    collection = CORPUS / "postman" / "schemas-httpbin.json"
    result = run_cli(tmp_path, "run", str(collection), "--base-url", httpbin_url, "--json", str(report_file))
    assert result.returncode == 0, result.stdout + result.stderr
    steps = json.loads(report_file.read_text(encoding="utf-8"))["steps"]
    responses = [step["attempts"][-1]["response"] for step in steps]
    assert [step["attempts"][-1]["passed"] for step in steps] == [True] * 4
    assert json.loads(responses[0]["body"])["json"] == {"gimme": "somejson!"}
    assert json.loads(responses[0]["body"])["args"] == {"random": "yeah"}
    assert json.loads(responses[1]["body"])["form"] == {"postdata": "isawesome"}
    assert json.loads(responses[2]["body"])["form"] == {"somekey": "somevalue"}
    assert responses[3]["status"] == 400
    assert all(step["attempts"][-1]["request"]["url"].startswith(httpbin_url) for step in steps)


def scripted_collection() -> dict:
    def tests(*lines: str) -> list[dict]:
        return [{"listen": "test", "script": {"type": "text/javascript", "exec": list(lines)}}]

    def bearer(token: str) -> dict:
        return {"type": "bearer", "bearer": [{"key": "token", "value": token}]}

    return {
        "info": {"name": "Scripted", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "variable": [{"key": "baseUrl", "value": "http://127.0.0.1:9"}, {"key": "user", "value": "ci"}],
        "item": [
            {"name": "Login", "request": {
                "method": "POST", "url": "{{baseUrl}}/anything/login",
                "body": {"mode": "raw", "raw": '{"token": "abc", "user": "{{user}}"}',
                         "options": {"raw": {"language": "json"}}}},
             "event": tests("var data = pm.response.json();",
                            "pm.test('ok', function () { pm.response.to.have.status(200); });",
                            "pm.expect(data.json.user).to.eql('ci');",
                            "pm.environment.set('token', data.json.token);")},
            {"name": "Protected", "item": [
                {"name": "Whoami", "request": {"method": "GET", "url": "{{baseUrl}}/bearer", "auth": bearer("{{token}}")},
                 "event": tests("pm.expect(pm.response.json().token).to.equal('abc');")},
                {"name": "Teapot", "request": {"method": "GET", "url": "{{baseUrl}}/status/418"},
                 "event": tests("tests['Status code is 200'] = responseCode.code === 200;")},
            ]},
            {"name": "Query", "request": {"method": "GET", "url": {
                "raw": "{{baseUrl}}/get?x=1&z=3", "host": ["{{baseUrl}}"], "path": ["get"],
                "query": [{"key": "x", "value": "1"}, {"key": "z", "value": "3", "disabled": True}]}},
             "event": tests("pm.expect(pm.response.json().args).to.eql({x: '1'});")},
            {"name": "Basic", "request": {"method": "GET", "url": "{{baseUrl}}/basic-auth/ci/{{password}}"},
             "event": tests("pm.response.to.have.status(200);")},
        ],
        "auth": {"type": "basic", "basic": [{"key": "username", "value": "ci"}, {"key": "password", "value": "pw"}]},
    }


def test_scripted_collection_verdicts(tmp_path, httpbin_url):
    collection = tmp_path / "scripted.postman_collection.json"
    collection.write_text(json.dumps(scripted_collection()), encoding="utf-8")
    environment = tmp_path / "local.postman_environment.json"
    environment.write_text(json.dumps({"name": "local", "values": [
        {"key": "baseUrl", "value": httpbin_url, "enabled": True},
        {"key": "password", "value": "pw", "enabled": True},
    ]}), encoding="utf-8")

    # No --base-url: the environment's baseUrl becomes the suite's default base URL.
    result = run_cli(tmp_path, "run", str(collection), "-e", str(environment))
    assert result.returncode == 1, result.stdout + result.stderr
    report = only_report(tmp_path)
    verdicts = [(step.step, step.passed) for step in report.steps]
    assert verdicts == [("Login", True), ("Protected / Whoami", True), ("Protected / Teapot", False),
                        ("Query", True), ("Basic", True)]
    # Whoami passed with the extracted token, which the report keeps only redacted, short as it is.
    assert report.steps[1].latest.variables["token"] == "<redacted>"
    assert "expected status 200, got 418" in result.stdout

