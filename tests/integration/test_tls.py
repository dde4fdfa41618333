"""Runs against a TLS server on 127.0.0.1 with a self-signed certificate, and against plain HTTP."""

from __future__ import annotations

import asyncio
import http.server
import shutil
import ssl
import subprocess
import threading

import httpx
import pytest

from keploy_tui.engine.http_client import SchemeTransport, run_client
from keploy_tui.engine.runner import Runner
from keploy_tui.model import Assertion, RunConfig, Step, Suite

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command"),
]


class _Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"hello": "tls"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def tls_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _run(base_url: str, verify: bool):
    suite = Suite(name="tls", steps=[Step(name="hello", method="GET", url="/hello", assertions=[
        Assertion(type="status_code", expected="200"), Assertion(type="json_equal", key="$.hello", expected='"tls"'),
    ])])
    config = RunConfig(base_url=base_url, verify_tls=verify, timeout=5.0, creator="test")
    return asyncio.run(Runner([suite], config).run())


def test_self_signed_cert_fails_tls(tls_url):
    step = _run(tls_url, verify=True).steps[0]
    assert not step.passed
    assert step.latest.error_kind == "tls"


def test_insecure_accepts_self_signed_cert(tls_url):
    report = _run(tls_url, verify=False)
    assert report.passed == 1, report.steps[0].latest


def test_plain_http_skips_tls(demo_url):
    async def fetch():
        async with run_client(RunConfig(base_url=demo_url)) as client:
            response = await client.get(f"{demo_url}/posts/1")
            return response.status_code, client._transport

    status, transport = asyncio.run(fetch())
    assert status == 200
    assert isinstance(transport, SchemeTransport)
    assert transport.tls is None


def test_https_uses_tls_transport(tls_url):
    async def fetch():
        async with run_client(RunConfig(base_url=tls_url, verify_tls=False)) as client:
            response = await client.get(f"{tls_url}/hello")
            return response.json(), client._transport

    body, transport = asyncio.run(fetch())
    assert body == {"hello": "tls"}
    assert transport.tls is not None
