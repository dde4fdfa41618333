"""Importing Keploy record/replay test-sets: order, URLs, dropped headers, noise and assertions."""

import json
import textwrap
from pathlib import Path

import pytest

from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.importers import load_any
from keploy_tui.model.suite import Assertion

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def keploy_case(name, *, method="GET", url="http://localhost:8080/items", request_headers=None,
              body="", status=200, response_headers=None, response_body='{"ok":true}',
              noise=None, assertions=None, kind="Http"):
    spec = {
        "metadata": {},
        "req": {"method": method, "url": url, "header": request_headers or {}, "body": body},
        "resp": {"status_code": status, "header": response_headers or {}, "body": response_body},
        "objects": [],
        "assertions": {"noise": noise or {}, **(assertions or {})},
    }
    document = {"version": "api.keploy.io/v1beta1", "kind": kind, "name": name, "spec": spec}
    # JSON is valid YAML, and Keploy's own files are read by the same YAML loader.
    return json.dumps(document)


def make_test_set(root, cases, app="orders-api", folder="test-set-0"):
    tests = root / app / "keploy" / folder / "tests"
    tests.mkdir(parents=True)
    for name, text in cases.items():
        (tests / f"{name}.yaml").write_text(text, encoding="utf-8")
    (tests.parent / "mocks.yaml").write_text("version: x\nkind: Postgres\n", encoding="utf-8")
    return tests.parent


def only_suite(result):
    assert len(result.suites) == 1
    return result.suites[0]


def test_steps_in_natural_order(tmp_path):
    names = ["test-10", "test-2", "test-1", "test-11"]
    folder = make_test_set(tmp_path, {name: keploy_case(name) for name in names})
    suite = only_suite(load_any(folder))
    assert [step.name for step in suite.steps] == ["test-1", "test-2", "test-10", "test-11"]


def test_suite_named_after_app_above_keploy_folder(tmp_path):
    folder = make_test_set(tmp_path, {"test-1": keploy_case("test-1")})
    assert only_suite(load_any(folder)).name == "orders-api / test-set-0"


def test_keploy_folder_imports_each_set(tmp_path):
    make_test_set(tmp_path, {"test-1": keploy_case("test-1")}, folder="test-set-10")
    make_test_set(tmp_path / "again", {"test-1": keploy_case("test-1")}, app="orders-api-2", folder="test-set-2")
    (tmp_path / "orders-api" / "keploy" / "reports").mkdir()
    result = load_any(tmp_path)
    assert [suite.name for suite in result.suites] == ["orders-api-2 / test-set-2", "orders-api / test-set-10"]
    assert any(note.source.endswith("reports") for note in result.notes)


def test_absolute_url_becomes_relative(tmp_path):
    folder = make_test_set(tmp_path, {"test-1": keploy_case("test-1", url="http://localhost:8080/items?page=2&q=a%20b")})
    suite = only_suite(load_any(folder))
    assert suite.steps[0].url == "/items?page=2&q=a%20b"
    assert suite.default_base_url == "http://localhost:8080"


def test_recording_headers_dropped_with_one_warning(tmp_path):
    recorded = {"Host": "localhost:8080", "Content-Length": "2", "Accept-Encoding": "gzip", "Connection": "close",
                "User-Agent": "curl/8.1.2", "Postman-Token": "x", "Content-Type": "application/json",
                "X-Tenant": "acme"}
    cases = {name: keploy_case(name, method="POST", request_headers=recorded, body="{}") for name in ("test-1", "test-2")}
    folder = make_test_set(tmp_path, cases)
    result = load_any(folder)
    step = only_suite(result).steps[0]
    assert step.headers == {"Content-Type": "application/json", "X-Tenant": "acme"}
    dropped = [warning for warning in result.warnings if "dropped request headers" in warning.message]
    assert len(dropped) == 1
    assert dropped[0].source == str(folder)
    assert dropped[0].message.endswith("Host, Content-Length, Accept-Encoding, Connection, User-Agent, Postman-Token")


def test_custom_user_agent_kept(tmp_path):
    folder = make_test_set(tmp_path, {"test-1": keploy_case("test-1", request_headers={"User-Agent": "billing-job/2"})})
    assert only_suite(load_any(folder)).steps[0].headers == {"User-Agent": "billing-job/2"}


def test_noise_becomes_ignore_paths(tmp_path):
    body = '{"id": 1, "ts": 5, "items": [{"at": 1}]}'
    noise = {"body.ts": [], "body.items.at": [], "header.Content-Type": []}
    headers = {"Content-Type": "application/json", "Date": "Mon", "Content-Length": "40", "X-Request-Id": "9"}
    folder = make_test_set(tmp_path, {"test-1": keploy_case("test-1", response_body=body, noise=noise,
                                                           response_headers=headers)})
    assertions = only_suite(load_any(folder)).steps[0].assertions
    assert assertions == [
        Assertion(type="status_code", expected="200"),
        Assertion(type="json_equal", expected=body, ignore=["$.ts", "$.items.at"], ignore_order=True),
    ]


def test_stable_response_headers_asserted(tmp_path):
    headers = {"Content-Type": "application/json; charset=utf-8", "Date": "Mon", "Server": "gunicorn",
               "Content-Length": "11", "Etag": "W/x", "X-Frame-Options": "DENY",
               "Location": "http://localhost:8080/items/1"}
    folder = make_test_set(tmp_path, {"test-1": keploy_case("test-1", status=201, response_headers=headers)})
    assertions = only_suite(load_any(folder)).steps[0].assertions
    assert [(a.type, a.key, a.expected) for a in assertions[1:-1]] == [
        ("header_equal", "Content-Type", "application/json; charset=utf-8"),
        ("header_equal", "X-Frame-Options", "DENY"),
        ("header_exists", "Location", "true"),
    ]


def test_non_json_body_compared_as_text(tmp_path):
    html = '<a href="/x">See Other</a>.\n\n'
    folder = make_test_set(tmp_path, {"test-1": keploy_case("test-1", status=303, response_body=html)})
    body_assertion = only_suite(load_any(folder)).steps[0].assertions[-1]
    assert body_assertion == Assertion(type="json_equal", expected=html)


def test_whole_body_noise_skips_body(tmp_path):
    folder = make_test_set(tmp_path, {"test-1": keploy_case("test-1", noise={"body": []})})
    types = [assertion.type for assertion in only_suite(load_any(folder)).steps[0].assertions]
    assert types == ["status_code"]


def test_noise_regex_warned(tmp_path):
    folder = make_test_set(tmp_path, {"test-1": keploy_case("test-1", noise={"body.id": ["^[0-9]+$"]})})
    result = load_any(folder)
    assert any("ignored entirely" in warning.message for warning in result.warnings)


def test_explicit_assertions_replace_recorded(tmp_path):
    explicit = {"status_code_in": [200, 201], "header_contains": {"Content-Type": "json"},
                "header_exists": ["X-Trace"], "json_contains": {"ok": True}, "custom_functions": "x"}
    folder = make_test_set(tmp_path, {"test-1": keploy_case("test-1", assertions=explicit)})
    result = load_any(folder)
    assertions = only_suite(result).steps[0].assertions
    assert [(a.type, a.key, a.expected) for a in assertions] == [
        ("status_code_in", None, "200,201"),
        ("header_contains", "Content-Type", "json"),
        ("header_exists", "X-Trace", "true"),
        ("json_contains", None, '{"ok": true}'),
    ]
    assert any("custom_functions" in warning.message for warning in result.warnings)


def test_other_kinds_skipped_with_warning(tmp_path):
    cases = {"test-1": keploy_case("test-1"), "test-2": keploy_case("test-2", kind="GRPC")}
    folder = make_test_set(tmp_path, cases)
    result = load_any(folder)
    assert [step.name for step in only_suite(result).steps] == ["test-1"]
    skipped = [warning for warning in result.warnings if "GRPC" in warning.message]
    assert len(skipped) == 1
    assert skipped[0].source.endswith("test-2.yaml")


def test_mocks_and_config_noted(tmp_path):
    folder = make_test_set(tmp_path, {"test-1": keploy_case("test-1")})
    (folder / "config.yaml").write_text("x: 1\n", encoding="utf-8")
    result = load_any(folder)
    noted = sorted(Path(note.source).name for note in result.notes)
    assert noted == ["config.yaml", "mocks.yaml"]
    assert not [warning for warning in result.warnings if "mocks" in warning.message]


def test_single_test_file(tmp_path):
    folder = make_test_set(tmp_path, {"test-3": keploy_case("test-3", method="DELETE")})
    suite = only_suite(load_any(folder / "tests" / "test-3.yaml"))
    assert suite.name == "orders-api / test-set-0 / test-3"
    assert suite.steps[0].method == "DELETE"


def test_invalid_test_yaml_names_file(tmp_path):
    folder = make_test_set(tmp_path, {"test-1": "kind: Http\nspec: [\n"})
    with pytest.raises(SuiteLoadError) as caught:
        load_any(folder)
    assert str(caught.value).startswith(str(folder / "tests" / "test-1.yaml"))


@pytest.mark.corpus
def test_corpus_gin_mongo_details():
    suite = only_suite(load_any(CORPUS / "keploy-testsets" / "samples-go-gin-mongo" / "test-set-0"))
    create, follow = suite.steps
    assert create.url == "/url"
    assert create.headers == {"Accept": "*/*", "Content-Type": "application/json"}
    assert create.assertions[-1].ignore == ["$.ts"]
    assert follow.assertions[0].expected == "303"
    assert Assertion(type="header_equal", key="Location", expected="https://google.com") in follow.assertions
    assert follow.assertions[-1].expected == '<a href="https://google.com">See Other</a>.\n\n'


@pytest.mark.corpus
def test_corpus_express_natural_order():
    suite = only_suite(load_any(CORPUS / "keploy-testsets" / "samples-typescript-express-mongodb" / "test-set-0"))
    assert [step.name for step in suite.steps] == [f"test-{number}" for number in range(1, 18)]
    assert suite.steps[0].headers["If-None-Match"] == textwrap.dedent('W/"22-1zTtRKCtWDH+a9AlmEC9xS1mvKM"')
