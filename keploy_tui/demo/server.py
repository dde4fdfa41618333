"""The demo API's HTTP server: DemoApp behind http.server, on a port of its own, in a thread.

Every start of a DemoServer builds a new DemoApp, so data and counters start from the seed.
"""

from __future__ import annotations

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, unquote, urlsplit

from keploy_tui.demo.api import DemoApp
from keploy_tui.demo.messages import ClientError, Request, Response, is_decimal

logger = logging.getLogger(__name__)


class _Handler(BaseHTTPRequestHandler):
    """Adapts http.server requests to DemoApp.dispatch."""

    server: _DemoHTTPServer
    # HTTP/1.1 keeps connections open between steps, as httpx expects. That needs an
    # exact Content-Length on every response and a fully read request body.
    protocol_version = "HTTP/1.1"
    server_version = "keploy-tui-demo"
    timeout = 30  # seconds before an idle keep-alive connection releases its thread
    # Headers and body go out in separate writes. With Nagle's algorithm on, the body
    # waits for the client's delayed ACK, which cost about 40 ms per request here.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        try:
            request = self._read_request()
        except ClientError as error:
            self.close_connection = True
            self._send(error.to_response())
            return
        try:
            response = self.server.app.dispatch(request)
        except Exception:
            logger.exception("demo API failed on %s %s", self.command, self.path)
            response = ClientError(500, "internal error in the demo API").to_response()
        self._send(response)

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _read_request(self) -> Request:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise ClientError(411, "chunked request bodies are not supported: send Content-Length")
        length_text = self.headers.get("Content-Length", "0").strip()
        if not is_decimal(length_text):
            raise ClientError(400, f"invalid Content-Length {length_text!r}")
        body = self.rfile.read(int(length_text))
        parts = urlsplit(self.path)
        segments = [unquote(segment) for segment in parts.path.split("/") if segment]
        query = parse_qsl(parts.query, keep_blank_values=True)
        return Request(self.command, segments, query, self.headers, body)

    def _send(self, response: Response) -> None:
        try:
            self.send_response(response.status)
            if response.content_type:
                self.send_header("Content-Type", response.content_type)
            for name, value in response.headers:
                self.send_header(name, value)
            if response.status != 204:
                self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            # A client that timed out on /slow has disconnected, so the response has no reader.
            logger.debug("client closed the connection during %s %s", self.command, self.path)
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


class _DemoHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that tracks open connections so stop() can close them."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: DemoApp, verbose: bool) -> None:
        self.app = app
        self.verbose = verbose
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:  # type: ignore[no-untyped-def]
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the client

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        logger.exception("demo API connection from %s failed", client_address)


class DemoServer:
    """The demo API on a background thread, with data of its own. Port 0 picks a free port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False) -> None:
        self.host = host
        self.port = port
        self.verbose = verbose
        self._httpd: _DemoHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL, such as http://127.0.0.1:54321. Raises RuntimeError before start()."""
        if self._httpd is None:
            raise RuntimeError("the demo server is not running: call start() first")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> DemoServer:
        """Bind the socket, reset the data to the seed and serve on a daemon thread."""
        if self._httpd is not None:
            raise RuntimeError(f"the demo server is already running at {self.url}")
        self._httpd = _DemoHTTPServer((self.host, self.port), DemoApp(), self.verbose)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"demo-api-{self._httpd.server_address[1]}", daemon=True,
        )
        self._thread.start()
        logger.info("demo API started on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving, release pending /slow requests and close open connections."""
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        httpd.app.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        httpd.close_connections()
        thread.join()
        logger.info("demo API on port %d stopped", httpd.server_address[1])
        self._httpd = self._thread = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()


def serve_forever(host: str, port: int, *, verbose: bool = False) -> None:
    """Serve the demo API until Ctrl-C, printing the listening URL first."""
    server = DemoServer(host, port, verbose=verbose).start()
    print(f"Demo API listening on {server.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
