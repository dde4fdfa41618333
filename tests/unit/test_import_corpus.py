"""Every file of the shared compatibility corpus imports, and writes YAML that loads back the same."""

from pathlib import Path

import pytest

from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.importers import load_any, load_any_paths
from keploy_tui.formats.suite_yaml import dump_suites, load_path, loads

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
# Listed only when the corpus is there, so a clone without it skips instead of failing collection.
TEST_SET_APPS = sorted(path.name for path in (CORPUS / "keploy-testsets").glob("*") if path.is_dir())
COLLECTIONS = sorted(path.name for path in (CORPUS / "postman").glob("*.json") if "environment" not in path.name)
ENVIRONMENT = CORPUS / "postman" / "realworld-Conduit.postman_environment.json"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not next to the project")


def test_corpus_has_both_kinds():
    assert len(TEST_SET_APPS) == 7
    assert len(COLLECTIONS) == 13


@pytest.mark.parametrize("app", TEST_SET_APPS)
def test_test_set_imports(app, tmp_path):
    result = load_any(CORPUS / "keploy-testsets" / app)
    assert len(result.suites) == 1
    suite = result.suites[0]
    assert suite.name == f"{app} / test-set-0"
    assert suite.steps
    assert suite.default_base_url.startswith("http://localhost:")
    assert all(step.url.startswith("/") for step in suite.steps)
    assert all(step.assertions[0].type == "status_code" for step in suite.steps)
    assert [note.source.endswith("mocks.yaml") for note in result.notes] == [True]


@pytest.mark.parametrize("app", TEST_SET_APPS)
def test_test_set_round_trip(app, tmp_path):
    suites = load_any(CORPUS / "keploy-testsets" / app).suites
    path = tmp_path / "suites.yaml"
    path.write_text(dump_suites(suites), encoding="utf-8")
    assert load_path(path) == suites


@pytest.mark.parametrize("name", COLLECTIONS)
def test_collection_imports(name):
    result = load_any(CORPUS / "postman" / name)
    assert len(result.suites) == 1
    assert result.suites[0].steps
    assert all(warning.source.endswith(name) for warning in result.warnings)


@pytest.mark.parametrize("name", COLLECTIONS)
def test_collection_round_trip(name):
    suites = load_any(CORPUS / "postman" / name, {"hellohost": "example.test"}).suites
    assert loads(dump_suites(suites)) == suites


def test_corpus_folder_imports_every_test_set():
    result = load_any(CORPUS / "keploy-testsets")
    assert [suite.name for suite in result.suites] == [f"{app} / test-set-0" for app in TEST_SET_APPS]


def test_postman_folder_skips_environment():
    result = load_any(CORPUS / "postman")
    assert len(result.suites) == len(COLLECTIONS)
    assert any(note.source == str(ENVIRONMENT) for note in result.notes)


def test_realworld_with_environment():
    result = load_any_paths([CORPUS / "postman" / "realworld-Conduit.postman_collection.json"], ENVIRONMENT)
    suite = result.suites[0]
    assert suite.name == "Conduit"
    assert len(suite.steps) == 32
    assert suite.steps[0].name == "Auth / Register"
    assert suite.steps[2].extract == {"token": "$.user.token"}


def test_realworld_suite_warnings_first():
    result = load_any_paths([CORPUS / "postman" / "realworld-Conduit.postman_collection.json"], ENVIRONMENT)
    messages = [warning.message for warning in result.warnings]
    first_request = next(index for index, message in enumerate(messages) if message.startswith("request '"))
    suite_wide = messages[:first_request]
    assert any(message.startswith("variables not defined") for message in suite_wide)
    assert any(message.startswith("URLs start with {{APIURL}}") for message in suite_wide)
    # The environment spells the URL variable apiUrl, and the requests APIURL.
    assert "names are case-sensitive, and the import defines apiUrl" in suite_wide[0]


def test_environment_file_as_path_is_one_error():
    with pytest.raises(SuiteLoadError) as caught:
        load_any(ENVIRONMENT)
    message = str(caught.value)
    assert message.startswith(str(ENVIRONMENT))
    assert "-e/--environment" in message


def test_corpus_readme_is_clean_error():
    with pytest.raises(SuiteLoadError) as caught:
        load_any(CORPUS / "README.md")
    assert str(CORPUS / "README.md") in str(caught.value)


def test_mocks_file_as_path_is_one_error():
    path = CORPUS / "keploy-testsets" / "samples-go-gin-mongo" / "test-set-0" / "mocks.yaml"
    with pytest.raises(SuiteLoadError) as caught:
        load_any(path)
    assert "mocks" in str(caught.value)
    assert "import the test-set folder" in str(caught.value)


def test_folder_mixing_test_sets_and_collections(tmp_path):
    import shutil

    shutil.copytree(CORPUS / "keploy-testsets" / "samples-go-mux-sql", tmp_path / "keploy" / "samples-go-mux-sql")
    shutil.copy(CORPUS / "postman" / "schemas-httpbin.json", tmp_path / "collection.json")
    names = [suite.name for suite in load_any(tmp_path).suites]
    assert "samples-go-mux-sql / test-set-0" in names
    assert len(names) == 2
