"""setup_logging: file location, mode, format, idempotence and silence on stderr."""

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from keploy_tui.store import logs
from keploy_tui.store.logs import PrivateRotatingFileHandler, setup_logging

REPO_ROOT = Path(__file__).resolve().parents[2]


def our_handlers():
    return [handler for handler in logging.getLogger().handlers if isinstance(handler, PrivateRotatingFileHandler)]


@pytest.fixture(autouse=True)
def restore_logging():
    root = logging.getLogger()
    level = root.level
    quiet_levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    yield
    for handler in our_handlers():
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    for name, quiet_level in quiet_levels.items():
        logging.getLogger(name).setLevel(quiet_level)
    logging.captureWarnings(False)


def flush():
    for handler in our_handlers():
        handler.flush()


def test_log_path_and_mode(tmp_path):
    path = setup_logging(tmp_path)

    assert path == tmp_path / "keploy-tui.log"
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_existing_log_tightened(tmp_path):
    path = tmp_path / "keploy-tui.log"
    path.write_text("old line\n")
    path.chmod(0o644)

    setup_logging(tmp_path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("old line\n")


def test_format_has_time_level_name(tmp_path):
    path = setup_logging(tmp_path)

    logging.getLogger("keploy_tui.engine.runner").warning("Step %s timed out", "Create post")
    flush()

    line = path.read_text().strip().splitlines()[-1]
    assert " WARNING keploy_tui.engine.runner " in line
    assert line.endswith("Step Create post timed out")
    assert line[:4].isdigit()


def test_level_filters(tmp_path):
    path = setup_logging(tmp_path, level=logging.WARNING)

    logging.getLogger("keploy_tui.test").info("quiet info")
    logging.getLogger("keploy_tui.test").error("loud error")
    flush()

    text = path.read_text()
    assert "quiet info" not in text
    assert "loud error" in text


def test_second_call_adds_no_handler(tmp_path):
    setup_logging(tmp_path)
    path = setup_logging(tmp_path)

    logging.getLogger("keploy_tui.test").info("once")
    flush()

    assert len(our_handlers()) == 1
    assert path.read_text().count("once") == 1


def test_nothing_on_stderr(tmp_path):
    # A fresh interpreter, because pytest's own logging and warning capture would hide stray output.
    script = (
        "import logging, sys, warnings\n"
        "from keploy_tui.store import setup_logging\n"
        "setup_logging(sys.argv[1])\n"
        "logging.getLogger('keploy_tui.test').error('to the file only')\n"
        "warnings.warn('a user warning', UserWarning)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONWARNINGS": "default"}

    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env, timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == ""
    text = (tmp_path / "keploy-tui.log").read_text()
    assert "to the file only" in text
    assert "a user warning" in text


def test_httpx_request_urls_not_logged(tmp_path):
    path = setup_logging(tmp_path)

    logging.getLogger("httpx").info('HTTP Request: GET http://127.0.0.1:1/x?api_key=k3y "HTTP/1.1 200 OK"')
    flush()

    assert "k3y" not in path.read_text()


def test_rotated_files_mode_0600(tmp_path, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 300)
    path = setup_logging(tmp_path)

    for number in range(40):
        logging.getLogger("keploy_tui.test").info("line %d of padding text", number)
    flush()

    rotated = sorted(tmp_path.glob("keploy-tui.log.*"))
    assert [file.name for file in rotated] == ["keploy-tui.log.1", "keploy-tui.log.2", "keploy-tui.log.3"]
    for file in [path, *rotated]:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
