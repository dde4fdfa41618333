"""Turning an httpx response into the text that assertions read and the record a report keeps."""

from __future__ import annotations

import base64
import codecs
import functools
import re

import httpx

from keploy_tui.engine.redact import Redactor
from keploy_tui.model import ResponseRecord

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript",
              "application/x-www-form-urlencoded", "+json", "+xml")
_CHARSET = re.compile(r""";\s*charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)


def is_text(content: bytes, content_type: str) -> bool:
    """Tell whether a body is text: by its media type, else by decoding it as UTF-8."""
    content_type = content_type.lower()
    if any(marker in content_type for marker in TEXT_TYPES):
        return True
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def text_encoding(content_type: str) -> str:
    """Return the charset that `content_type` names when Python has a codec for it, else UTF-8.

    httpx decides the same way, but `Response.text` parses the header with the email
    package, which took about 14 us a response, about a tenth of the engine's own work then.
    """
    match = _CHARSET.search(content_type)
    return _known_encoding(match.group(1).lower()) if match else "utf-8"


@functools.lru_cache(maxsize=64)
def _known_encoding(name: str) -> str:
    try:
        codecs.lookup(name)
    except LookupError:
        return "utf-8"
    return name


def header_list(headers: httpx.Headers) -> list[tuple[str, str]]:
    """Return headers in received order with their original case; httpx lower-cases `multi_items()`."""
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers.raw]


def body_text(response: httpx.Response) -> str:
    """Return the whole body as text for assertions; binary bodies decode as Latin-1."""
    content = response.content
    content_type = response.headers.get("content-type", "")
    if is_text(content, content_type):
        return content.decode(text_encoding(content_type), errors="replace")
    return content.decode("latin-1")


def record_response(response: httpx.Response, limit: int, redactor: Redactor, text: str | None = None,
                    headers: list[tuple[str, str]] | None = None) -> ResponseRecord:
    """Return the stored form of `response`: redacted, capped at `limit` bytes of body.

    `text` is body_text(response) and `headers` is header_list(response.headers) when
    the caller has them, so neither is computed twice.
    """
    content = response.content
    truncated = len(content) > limit
    kept = content[:limit] if truncated else content
    content_type = response.headers.get("content-type", "")
    if is_text(content, content_type):
        if text is not None and not truncated:
            body = text
        else:
            # A multi-byte character cut at the limit is dropped, not shown as garbage.
            body = kept.decode(text_encoding(content_type), errors="replace" if not truncated else "ignore")
        is_base64 = False
    else:
        body = base64.b64encode(kept).decode("ascii")
        is_base64 = True
    return ResponseRecord(
        status=response.status_code,
        reason=response.reason_phrase,
        http_version=response.http_version,
        headers=redactor.headers(headers if headers is not None else header_list(response.headers)),
        body=body if is_base64 else redactor.text(body) or "",
        base64=is_base64,
        truncated=truncated,
        size=len(content),
    )
