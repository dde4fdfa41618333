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

import http.client
import json
import logging
import math
import struct
import threading
import zlib
from collections.abc import Callable

from keploy_tui.demo.auth import API_KEY_PARAM, authenticate
from keploy_tui.demo.data import NESTED_KEYS, RESOURCES, Record, Store
from keploy_tui.demo.messages import (
    ClientError, Request, Response, first_query_value, is_decimal, json_response,
)

logger = logging.getLogger(__name__)

MAX_DELAY_SECONDS = 10.0


def _build_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1 pixel, 8-bit RGB
    pixels = zlib.compress(b"\x00\xf2\x6a\x1f")  # filter byte, then one orange pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PNG_IMAGE = _build_png()


def _parse_id(text: str) -> int:
    if not is_decimal(text) or int(text) == 0:
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
        if not is_decimal(value):
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
        text = first_query_value(request, "delay")
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
        if not is_decimal(text) or not 200 <= int(text) <= 599:
            raise ClientError(400, f"status must be an integer from 200 to 599, got {text!r}")
        status = int(text)
        if status in (204, 304):  # these statuses never carry a body
            return Response(status, content_type=None)
        return json_response(status, {"status": status, "reason": http.client.responses.get(status, "")})

    def _image(self, request: Request) -> Response:
        return Response(200, PNG_IMAGE, content_type="image/png")
