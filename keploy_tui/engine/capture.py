"""Turning an httpx response into the record a report keeps."""

from __future__ import annotations

import base64

import httpx

from keploy_tui.engine.redact import Redactor
from keploy_tui.model import ResponseRecord

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript",
              "application/x-www-form-urlencoded", "+json", "+xml")


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


def header_list(headers: httpx.Headers) -> list[tuple[str, str]]:
    """Return headers in received order with their original case; httpx lower-cases `multi_items()`."""
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers.raw]


def body_text(response: httpx.Response) -> str:
    """Return the whole body as text for assertions; binary bodies decode as Latin-1."""
    if is_text(response.content, response.headers.get("content-type", "")):
        return response.text
    return response.content.decode("latin-1")


def record_response(response: httpx.Response, limit: int, redactor: Redactor,
                    text: str | None = None) -> ResponseRecord:
    """Return the stored form of `response`: redacted, capped at `limit` bytes of body.

    `text` is body_text(response) when the caller has it, so a body is decoded once.
    """
    content = response.content
    truncated = len(content) > limit
    kept = content[:limit] if truncated else content
    if is_text(content, response.headers.get("content-type", "")):
        if text is not None and not truncated:
            body = text
        else:
            encoding = response.encoding or "utf-8"
            body = kept.decode(encoding, errors="replace" if not truncated else "ignore")
        is_base64 = False
    else:
        body = base64.b64encode(kept).decode("ascii")
        is_base64 = True
    return ResponseRecord(
        status=response.status_code,
        reason=response.reason_phrase,
        http_version=response.http_version,
        headers=redactor.headers(header_list(response.headers)),
        body=body if is_base64 else redactor.text(body) or "",
        base64=is_base64,
        truncated=truncated,
        size=len(content),
    )
