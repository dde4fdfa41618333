"""The demo API's requests, responses and client errors, apart from routing and sockets."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from email.message import Message

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


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


def first_query_value(request: Request, name: str) -> str | None:
    return next((value for key, value in request.query if key == name), None)


def is_decimal(text: str) -> bool:
    # str.isdigit() alone accepts characters such as "²" that int() rejects.
    return text.isascii() and text.isdigit()
