"""The bundled demo API: a JSONPlaceholder-like REST service built on the standard library.

Routes (JSON unless noted):

    GET  /                                    index of routes
    GET  /posts /comments /users /todos       list; ?field=value filters, _start, _limit
    POST /posts /comments /users /todos       201 with the stored record and a new id
    GET, PUT, PATCH, DELETE /<resource>/<id>  PUT creates the record when it is missing
    GET, POST /posts/<id>/comments, /users/<id>/posts, /users/<id>/todos
    GET  /auth/whoami                         bearer, basic or API-key auth, else 401
    GET  /flaky                               500 on odd-numbered calls, 200 on even ones
    GET  /slow?delay=SECONDS                  waits (default 1 s, at most 10 s), then 200
    GET  /headers                             the request headers
    GET  /status/<code>                       responds with that status
    GET  /image.png                           a 1x1 PNG

Every start of a DemoServer builds a new DemoApp, so data and counters start from the seed.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import http.client
import json
import logging
import math
import socket
import struct
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, unquote, urlsplit

from keploy_tui.demo.data import NESTED_KEYS, RESOURCES, Record, Store

logger = logging.getLogger(__name__)

DEMO_TOKEN = "demo-token"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-pass"
DEMO_API_KEY = "demo-key"
API_KEY_HEADER = "X-Api-Key"
API_KEY_PARAM = "api_key"

MAX_DELAY_SECONDS = 10.0
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
AUTH_CHALLENGES = (
    ("WWW-Authenticate", 'Bearer realm="keploy-tui demo"'),
    ("WWW-Authenticate", 'Basic realm="keploy-tui demo"'),
)


def _build_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1 pixel, 8-bit RGB
    pixels = zlib.compress(b"\x00\xf2\x6a\x1f")  # filter byte, then one orange pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PNG_IMAGE = _build_png()


@dataclass
class Request:
    method: str
    segments: list[str]
    query: list[tuple[str, str]]
    headers: Message
    body: bytes


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = JSON_CONTENT_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)


def json_response(status: int, payload: object, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    # Two-space indentation matches JSONPlaceholder and reads well in a response dump.
    body = json.dumps(payload, indent=2, ensure_ascii=False).encode("utf-8")
    return Response(status, body, headers=list(headers))


class ClientError(Exception):
    """A request the demo API rejects, which dispatch turns into a JSON error response."""

    def __init__(self, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers

    def to_response(self) -> Response:
        payload = {"status": self.status, "error": http.client.responses.get(self.status, ""),
                   "message": self.message}
        return json_response(self.status, payload, self.headers)


def _unauthorized(message: str) -> ClientError:
    return ClientError(401, message, AUTH_CHALLENGES)


def _same_secret(received: str, expected: str) -> bool:
    return hmac.compare_digest(received.encode("utf-8"), expected.encode("utf-8"))


def _check_authorization(value: str) -> Record:
    scheme, _, credentials = value.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer":
        if _same_secret(credentials, DEMO_TOKEN):
            return {"method": "bearer"}
        raise _unauthorized("invalid bearer token")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise _unauthorized("malformed basic credentials: expected base64 of username:password") from None
        username, _, password = decoded.partition(":")
        if _same_secret(username, DEMO_USERNAME) and _same_secret(password, DEMO_PASSWORD):
            return {"method": "basic"}
        raise _unauthorized("invalid username or password")
    raise _unauthorized(f"unsupported Authorization scheme {scheme!r}: use Bearer or Basic")


def authenticate(request: Request) -> Record:
    """Return the identity behind the request's credentials, or raise a 401 ClientError.

    The first credential present decides: the Authorization header, then the API-key
    header, then the API-key query parameter. A wrong credential is rejected even when
    a later one would be valid.
    """
    authorization = request.headers.get("Authorization")
    if authorization:
        identity = _check_authorization(authorization)
    elif request.headers.get(API_KEY_HEADER) is not None:
        identity = _check_api_key(request.headers[API_KEY_HEADER], "header")
    elif any(name == API_KEY_PARAM for name, _ in request.query):
        identity = _check_api_key(_first(request, API_KEY_PARAM) or "", "query")
    else:
        raise _unauthorized("missing credentials: send a bearer token, basic credentials or an API key")
    return {"authenticated": True, **identity, "user": DEMO_USERNAME}


def _check_api_key(value: str, location: str) -> Record:
    if _same_secret(value, DEMO_API_KEY):
        return {"method": "api_key", "in": location}
    raise _unauthorized(f"invalid API key in {location}")


def _first(request: Request, name: str) -> str | None:
    return next((value for key, value in request.query if key == name), None)


def _is_decimal(text: str) -> bool:
    # str.isdigit() alone accepts characters such as "²" that int() rejects.
    return text.isascii() and text.isdigit()


def _parse_id(text: str) -> int:
    if not _is_decimal(text) or int(text) == 0:
        raise ClientError(404, f"no record with id {text!r}: ids are positive integers")
    return int(text)


def _parse_json_object(body: bytes) -> Record:
    # An empty body counts as {}, so a bare POST creates a record with only an id.
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ClientError(400, f"invalid JSON body: {error}") from None
    if not isinstance(value, dict):
        raise ClientError(400, f"JSON body must be an object, got {type(value).__name__}")
    return value


def _method_not_allowed(request: Request, allowed: tuple[str, ...]) -> ClientError:
    path = "/" + "/".join(request.segments)
    message = f"method {request.method} is not allowed on {path}: use {', '.join(allowed)}"
    return ClientError(405, message, (("Allow", ", ".join(allowed)),))


class DemoApp:
    """Routing and per-instance state of the demo API, independent of the socket server."""

    def __init__(self) -> None:
        self.store = Store()
        self.stopping = threading.Event()
        self._flaky_lock = threading.Lock()
        self._flaky_calls = 0
        self._routes: dict[str, Callable[[Request], Response]] = {
            "": self._index, "auth/whoami": self._whoami, "flaky": self._flaky,
            "slow": self._slow, "headers": self._headers, "image.png": self._image,
        }

    def dispatch(self, request: Request) -> Response:
        try:
            return self._route(request)
        except ClientError as error:
            logger.debug("demo API rejected %s /%s with %d: %s", request.method, "/".join(request.segments),
                         error.status, error.message)
            return error.to_response()

    def _route(self, request: Request) -> Response:
        segments = request.segments
        if segments and segments[0] in RESOURCES:
            return self._resource(request)
        if len(segments) == 2 and segments[0] == "status":
            handler = self._status
        else:
            handler = self._routes.get("/".join(segments))
        if handler is None:
            raise ClientError(404, f"no route for /{'/'.join(segments)}: GET / lists the routes")
        if request.method not in ("GET", "HEAD"):
            raise _method_not_allowed(request, ("GET", "HEAD"))
        return handler(request)

    def _resource(self, request: Request) -> Response:
        resource, rest = request.segments[0], request.segments[1:]
        method = "GET" if request.method == "HEAD" else request.method
        if not rest:
            return self._collection(request, resource, method, {})
        record_id = _parse_id(rest[0])
        if len(rest) == 1:
            return self._record(request, resource, record_id, method)
        child = rest[1]
        if len(rest) == 2 and (resource, child) in NESTED_KEYS:
            return self._collection(request, child, method, {NESTED_KEYS[resource, child]: record_id})
        raise ClientError(404, f"no route for /{'/'.join(request.segments)}: GET / lists the routes")

    def _collection(self, request: Request, resource: str, method: str, parent: Record) -> Response:
        if method == "GET":
            return json_response(200, self._list(request, resource, parent))
        if method == "POST":
            record = self.store.create(resource, {**_parse_json_object(request.body), **parent})
            return json_response(201, record, (("Location", f"/{resource}/{record['id']}"),))
        raise _method_not_allowed(request, ("GET", "HEAD", "POST"))

    def _list(self, request: Request, resource: str, parent: Record) -> list[Record]:
        filters = [(key, str(value)) for key, value in parent.items()]
        start, limit = 0, None
        for key, value in request.query:
            if key == "_start":
                start = self._query_int(key, value)
            elif key == "_limit":
                limit = self._query_int(key, value)
            elif key.startswith("_"):
                raise ClientError(400, f"unsupported query parameter {key}: use field filters, _start or _limit")
            elif key != API_KEY_PARAM:  # an API key sent in the query is a credential, not a filter
                filters.append((key, value))
        records = self.store.query(resource, filters)[start:]
        return records if limit is None else records[:limit]

    @staticmethod
    def _query_int(key: str, value: str) -> int:
        if not _is_decimal(value):
            raise ClientError(400, f"query parameter {key} must be a non-negative integer, got {value!r}")
        return int(value)

    def _record(self, request: Request, resource: str, record_id: int, method: str) -> Response:
        missing = ClientError(404, f"{resource} record {record_id} not found")
        if method == "GET":
            record = self.store.get(resource, record_id)
        elif method == "PUT":
            record, created = self.store.replace(resource, record_id, _parse_json_object(request.body))
            return json_response(201 if created else 200, record)
        elif method == "PATCH":
            record = self.store.update(resource, record_id, _parse_json_object(request.body))
        elif method == "DELETE":
            record = {} if self.store.delete(resource, record_id) else None
        else:
            raise _method_not_allowed(request, ("GET", "HEAD", "PUT", "PATCH", "DELETE"))
        if record is None:
            raise missing
        return json_response(200, record)

    def _index(self, request: Request) -> Response:
        routes = [line.strip() for line in (__doc__ or "").splitlines() if line.startswith("    ")]
        return json_response(200, {"name": "keploy-tui demo API", "resources": list(RESOURCES),
                                   "routes": routes})

    def _whoami(self, request: Request) -> Response:
        return json_response(200, authenticate(request))

    def _flaky(self, request: Request) -> Response:
        with self._flaky_lock:
            self._flaky_calls += 1
            call = self._flaky_calls
        if call % 2:
            return json_response(500, {"call": call, "ok": False,
                                       "message": f"call {call} fails on purpose; the next call succeeds"})
        return json_response(200, {"call": call, "ok": True, "message": f"call {call} succeeds"})

    def _slow(self, request: Request) -> Response:
        text = _first(request, "delay")
        text = "1" if text is None else text
        try:
            delay = float(text)
        except ValueError:
            delay = math.nan
        if not math.isfinite(delay) or delay < 0:
            raise ClientError(400, f"delay must be a non-negative number of seconds, got {text!r}")
        delay = min(delay, MAX_DELAY_SECONDS)
        # Waiting on the stop event lets DemoServer.stop() release pending slow requests.
        self.stopping.wait(delay)
        return json_response(200, {"delay": delay})

    def _headers(self, request: Request) -> Response:
        echoed: dict[str, str] = {}
        for name, value in request.headers.items():
            echoed[name] = f"{echoed[name]}, {value}" if name in echoed else value
        return json_response(200, {"headers": echoed})

    def _status(self, request: Request) -> Response:
        text = request.segments[1]
        if not _is_decimal(text) or not 200 <= int(text) <= 599:
            raise ClientError(400, f"status must be an integer from 200 to 599, got {text!r}")
        status = int(text)
        if status in (204, 304):  # these statuses never carry a body
            return Response(status, content_type=None)
        return json_response(status, {"status": status, "reason": http.client.responses.get(status, "")})

    def _image(self, request: Request) -> Response:
        return Response(200, PNG_IMAGE, content_type="image/png")


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
        if not _is_decimal(length_text):
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
