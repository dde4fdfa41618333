"""Data directory resolution."""

import stat

import platformdirs
import pytest

from keploy_tui.store.paths import ENV_VAR, resolve_data_dir


@pytest.fixture(autouse=True)
def default_dir(tmp_path, monkeypatch):
    """Point the platform default into tmp_path so no test touches the real user directory."""
    default = tmp_path / "platform-default"
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda app: str(default / app))
    monkeypatch.delenv(ENV_VAR, raising=False)
    return default / "keploy-tui"


def test_option_wins_over_env(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "from-env"))

    resolved = resolve_data_dir(tmp_path / "from-option")

    assert resolved == tmp_path / "from-option"
    assert resolved.is_dir()
    assert not (tmp_path / "from-env").exists()


def test_env_used_without_option(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "from-env"))

    assert resolve_data_dir(None) == tmp_path / "from-env"


def test_empty_env_falls_back_to_default(monkeypatch, default_dir):
    monkeypatch.setenv(ENV_VAR, "")

    assert resolve_data_dir() == default_dir


def test_default_is_platform_dir(default_dir):
    resolved = resolve_data_dir()

    assert resolved == default_dir
    assert resolved.is_dir()


def test_created_with_mode_0700(tmp_path):
    resolved = resolve_data_dir(str(tmp_path / "new" / "data"))

    assert stat.S_IMODE(resolved.stat().st_mode) == 0o700


def test_existing_dir_keeps_mode(tmp_path):
    existing = tmp_path / "shared"
    existing.mkdir(mode=0o755)
    existing.chmod(0o755)

    resolve_data_dir(existing)

    assert stat.S_IMODE(existing.stat().st_mode) == 0o755


def test_tilde_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))

    assert resolve_data_dir("~/kt") == tmp_path / "kt"


def test_relative_option_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    resolved = resolve_data_dir("rel")

    assert resolved.is_absolute()
    assert resolved == tmp_path / "rel"


def test_file_in_place_rejected(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")

    with pytest.raises(NotADirectoryError) as excinfo:
        resolve_data_dir(blocker)

    message = str(excinfo.value)
    assert str(blocker) in message
    assert ENV_VAR in message
