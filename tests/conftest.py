"""Shared fixtures: real HTTP servers on 127.0.0.1, the sample suites and an isolated data directory."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The venv does not install the package, and .venv/bin/pytest puts only tests/ on
# sys.path, so the project root is added here to make `import keploy_tui` work.
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from keploy_tui.demo.server import DemoServer  # noqa: E402

SAMPLES_DIR = PROJECT_ROOT / "data" / "suites"
CORPUS_DIR = PROJECT_ROOT.parent / "shared" / "corpus"
"""Real Keploy test-sets and Postman collections, kept beside the project, not in it."""
SERVER_READY_TIMEOUT = 10.0  # seconds


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    """A demo API shared by the whole session. A test that changes its data takes fresh_demo_server."""
    with DemoServer() as server:
        yield server


@pytest.fixture(scope="session")
def demo_url(demo_server: DemoServer) -> str:
    return demo_server.url


@pytest.fixture
def fresh_demo_server() -> Iterator[DemoServer]:
    """A demo API of this test alone, started from the seed data."""
    with DemoServer() as server:
        yield server


@pytest.fixture(scope="session")
def httpbin_url() -> Iterator[str]:
    """Base URL of httpbin served by werkzeug on a free port, as a second, independent API."""
    # Imported here because importing httpbin builds its Flask app and logs a warning.
    from httpbin import app
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="httpbin", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        _wait_until_ready(f"{url}/get")
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _wait_until_ready(url: str) -> None:
    deadline = time.monotonic() + SERVER_READY_TIMEOUT
    while True:
        try:
            # trust_env=False: a proxy variable in the environment must not reroute loopback traffic.
            httpx.get(url, timeout=1.0, trust_env=False)
            return
        except httpx.TransportError as error:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {SERVER_READY_TIMEOUT:g} s: {error}") from error
            time.sleep(0.05)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory that KEPLOY_TUI_DATA_DIR points to for this test."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("KEPLOY_TUI_DATA_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The sample suites shipped in the wheel (data/suites)."""
    return SAMPLES_DIR


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip tests marked `corpus` in a clone that has no corpus beside it; CI always has one."""
    if CORPUS_DIR.is_dir():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"the corpus folder {CORPUS_DIR} is missing; CI needs it beside the project")
    skip = pytest.mark.skip(reason=f"no corpus at {CORPUS_DIR}")
    for item in items:
        if "corpus" in item.keywords:
            item.add_marker(skip)
