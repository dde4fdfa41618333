"""The one-line message of a failed exchange, as a step's error in the report."""

import asyncio
import socket

import httpx

from keploy_tui.engine.runner import Runner
from keploy_tui.engine.transport import describe
from keploy_tui.model import RunConfig, Step, Suite


def closed_port() -> int:
    """Return a loopback port that nothing listens on, so a connection to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_refused_step_names_host_and_port():
    port = closed_port()
    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x")])
    runner = Runner([suite], RunConfig(base_url=f"http://127.0.0.1:{port}", timeout=5.0))

    attempt = asyncio.run(runner.run()).steps[0].latest

    assert attempt.error_kind == "refused"
    assert attempt.error.startswith(f"refused: failed to connect to 127.0.0.1:{port} (")


def test_refused_default_port_named():
    error = httpx.ConnectError("All connection attempts failed", request=httpx.Request("GET", "https://api.test/x"))
    assert describe(error) == "failed to connect to api.test:443 (All connection attempts failed)"


def test_refused_ipv6_host_in_brackets():
    error = httpx.ConnectError("All connection attempts failed", request=httpx.Request("GET", "http://[::1]:9/x"))
    assert describe(error) == "failed to connect to [::1]:9 (All connection attempts failed)"


def test_dns_failure_names_host():
    request = httpx.Request("GET", "http://api.invalid:8000/x")
    error = httpx.ConnectError("[Errno -2] Name or service not known", request=request)
    assert describe(error) == "failed to connect to api.invalid:8000 ([Errno -2] Name or service not known)"


def test_connect_error_without_request_keeps_message():
    assert describe(httpx.ConnectError("All connection attempts failed")) == "All connection attempts failed"


def test_dropped_connection_names_no_address():
    error = httpx.RemoteProtocolError("Server disconnected", request=httpx.Request("GET", "http://api.test/x"))
    assert describe(error) == "Server disconnected"
