"""SettingsStore: endpoint and auth per suite, named settings, file mode."""

import stat

import pytest

from keploy_tui.model import Auth
from keploy_tui.store import CorruptFileError, ReportStore, SettingsStore, setup_logging
from keploy_tui.store.paths import INDEX_FILE, SETTINGS_FILE

SUITE = "suites/posts.yaml::Posts CRUD"


@pytest.fixture
def settings(tmp_path):
    return SettingsStore(tmp_path)


def test_unknown_suite_is_none(settings):
    assert settings.get_suite(SUITE) is None
    assert settings.last_base_url() is None


def test_suite_round_trip(settings):
    auth = Auth(kind="api_key", name="X-Api-Key", value="s3cret", location="query")

    settings.set_suite(SUITE, "http://127.0.0.1:8000/api", auth)

    stored = settings.get_suite(SUITE)
    assert stored["base_url"] == "http://127.0.0.1:8000/api"
    assert stored["auth"] == auth.to_dict()
    assert Auth.from_dict(stored["auth"]) == auth


def test_suite_overwritten_whole(settings):
    settings.set_suite(SUITE, "http://127.0.0.1:1", Auth(kind="basic", username="u", password="p"))
    settings.set_suite(SUITE, "http://127.0.0.1:2", Auth(kind="bearer", token_env="TOKEN"))

    assert settings.get_suite(SUITE)["auth"] == {"type": "bearer", "token_env": "TOKEN"}


def test_suites_kept_apart(settings):
    settings.set_suite(SUITE, "http://127.0.0.1:1", Auth())
    settings.set_suite("other.yaml::Users", "http://127.0.0.1:2", Auth())

    assert settings.get_suite(SUITE)["base_url"] == "http://127.0.0.1:1"
    assert settings.get_suite("other.yaml::Users")["base_url"] == "http://127.0.0.1:2"


def test_last_base_url_follows_latest(settings):
    settings.set_suite(SUITE, "http://127.0.0.1:1", Auth())
    settings.set_suite("other.yaml::Users", "http://127.0.0.1:2", Auth())

    assert settings.last_base_url() == "http://127.0.0.1:2"


def test_generic_get_set(settings):
    assert settings.get("theme") is None
    assert settings.get("theme", "dark") == "dark"

    settings.set("theme", "light")
    settings.set("columns", {"created": True, "creator": False})

    assert settings.get("theme", "dark") == "light"
    assert settings.get("columns") == {"created": True, "creator": False}


def test_falsy_value_not_default(settings):
    settings.set("concurrency", 0)

    assert settings.get("concurrency", 4) == 0


def test_unserializable_value_rejected(settings):
    settings.set("theme", "light")

    with pytest.raises(TypeError, match="'theme' must be JSON-serializable"):
        settings.set("theme", object())

    assert settings.get("theme") == "light"


def test_second_store_sees_writes(tmp_path):
    reader, writer = SettingsStore(tmp_path), SettingsStore(tmp_path)
    assert reader.get("theme") is None

    writer.set("theme", "light")

    assert reader.get("theme") == "light"


def test_settings_file_mode_0600(settings, tmp_path):
    settings.set_suite(SUITE, "http://127.0.0.1:1", Auth(kind="bearer", token="t0k3n"))
    path = tmp_path / SETTINGS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    path.chmod(0o644)
    settings.set("theme", "light")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_credentials_only_in_settings(tmp_path):
    log_path = setup_logging(tmp_path)
    try:
        settings = SettingsStore(tmp_path)
        ReportStore(tmp_path).list()
        settings.set_suite(SUITE, "http://user:pa55word@127.0.0.1:1", Auth(kind="bearer", token="t0k3n-XYZ"))
    finally:
        _remove_file_handlers()

    assert "t0k3n-XYZ" in (tmp_path / SETTINGS_FILE).read_text()
    assert "t0k3n-XYZ" not in log_path.read_text()
    assert "pa55word" not in log_path.read_text()
    assert not (tmp_path / INDEX_FILE).exists() or "t0k3n-XYZ" not in (tmp_path / INDEX_FILE).read_text()


def test_corrupt_settings_file(settings, tmp_path):
    (tmp_path / SETTINGS_FILE).write_text("{oops")

    with pytest.raises(CorruptFileError) as excinfo:
        settings.get_suite(SUITE)

    assert str(tmp_path / SETTINGS_FILE) in str(excinfo.value)
    with pytest.raises(CorruptFileError):
        settings.set("theme", "light")
    assert (tmp_path / SETTINGS_FILE).read_text() == "{oops"


def _remove_file_handlers():
    import logging

    from keploy_tui.store.logs import PrivateRotatingFileHandler

    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, PrivateRotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
    logging.captureWarnings(False)


def test_suite_sources_added_once_in_order(tmp_path):
    store = SettingsStore(tmp_path)
    store.add_suite_sources([str(tmp_path / "a.yaml"), str(tmp_path / "b")])
    store.add_suite_sources([str(tmp_path / "a.yaml")])
    assert store.suite_sources() == [str(tmp_path / "a.yaml"), str(tmp_path / "b")]


def test_suite_source_removed(tmp_path):
    store = SettingsStore(tmp_path)
    store.add_suite_sources([str(tmp_path / "a.yaml")])
    store.remove_suite_source(str(tmp_path / "a.yaml"))
    assert store.suite_sources() == []
