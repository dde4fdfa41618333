"""Building a step's body text from a Postman request body (raw, urlencoded, formdata, graphql).

The Content-Type that Postman would add for the mode is added when the request does
not set one, because a step sends only the headers it lists. Variables are filled by
`resolve` before form values are encoded, so a value such as `a&b` stays one value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

# Fixed, so that an import gives the same YAML every time.
FORM_BOUNDARY = "keploy-tui-form-boundary-7MA4YWxkTrZu0gW"
_RAW_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html",
    "javascript": "application/javascript",
    "text": "text/plain",
}
_PLACEHOLDER = re.compile(r"(\{\{[^{}]+\}\})")

Warn = Callable[[str], None]
Resolve = Callable[[str], str]


def build_body(request: dict[str, Any], headers: dict[str, str], resolve: Resolve, warn: Warn) -> str | None:
    """Return the body text of `request` and add its Content-Type to `headers` when missing.

    Older exports keep the body under `data` with the mode's content in `content`;
    both shapes are read.
    """
    body = request.get("body")
    if body is None and isinstance(request.get("data"), dict):
        body = request["data"]
    if not isinstance(body, dict) or not body or body.get("disabled") is True:
        return None
    mode = body.get("mode")
    content = body.get(mode, body.get("content")) if isinstance(mode, str) else None

    if mode == "raw":
        return _raw(content, body, headers, resolve)
    if mode == "urlencoded":
        return _urlencoded(content, headers, resolve)
    if mode == "formdata":
        return _formdata(content, headers, resolve, warn)
    if mode == "graphql":
        return _graphql(content, headers, resolve, warn)
    if mode in ("file", "binary"):
        source = content.get("src") if isinstance(content, dict) else None
        warn(f"the body is a file ({source or 'no file named'}), which is not imported; the request is sent without a body")
        return None
    if mode is not None:
        warn(f"body mode {mode!r} is not supported; the request is sent without a body")
    return None


def _set_default(headers: dict[str, str], value: str) -> None:
    if not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = value


def _raw(content: Any, body: dict[str, Any], headers: dict[str, str], resolve: Resolve) -> str | None:
    text = _text(content)
    if not text:
        return None
    options = body.get("options")
    raw_options = options.get("raw") if isinstance(options, dict) else None
    language = raw_options.get("language") if isinstance(raw_options, dict) else None
    _set_default(headers, _RAW_TYPES.get(str(language or "text"), "text/plain"))
    return resolve(text)


def _enabled(entries: Any) -> list[dict[str, Any]]:
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, dict) and entry.get("disabled") is not True
            and entry.get("enabled") is not False]


def _urlencoded(content: Any, headers: dict[str, str], resolve: Resolve) -> str | None:
    entries = _enabled(content)
    if not entries:
        return None
    _set_default(headers, "application/x-www-form-urlencoded")
    pairs = [f"{_form_encode(resolve(str(entry.get('key') or '')))}="
             f"{_form_encode(resolve(_text(entry.get('value'))))}" for entry in entries]
    return "&".join(pairs)


def _form_encode(text: str) -> str:
    # A variable left for the run stays readable as {{name}}; the rest is encoded.
    return "".join(
        piece if _PLACEHOLDER.fullmatch(piece) else quote(piece, safe="")
        for piece in _PLACEHOLDER.split(text)
    )


def _formdata(content: Any, headers: dict[str, str], resolve: Resolve, warn: Warn) -> str | None:
    entries = _enabled(content)
    parts: list[str] = []
    for entry in entries:
        name = resolve(str(entry.get("key") or ""))
        if entry.get("type") == "file":
            warn(f"form field '{name}' is a file ({_file_names(entry.get('src'))}), which is not sent")
            continue
        disposition = f'Content-Disposition: form-data; name="{_quoted(name)}"'
        content_type = entry.get("contentType")
        lines = [f"--{FORM_BOUNDARY}", disposition]
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        parts.append("\r\n".join([*lines, "", resolve(_text(entry.get("value")))]))
    if not parts:
        return None
    for name in [name for name in headers if name.lower() == "content-type"]:
        del headers[name]
    headers["Content-Type"] = f"multipart/form-data; boundary={FORM_BOUNDARY}"
    return "\r\n".join(parts) + f"\r\n--{FORM_BOUNDARY}--\r\n"


def _file_names(source: Any) -> str:
    if isinstance(source, list):
        return ", ".join(str(item) for item in source) or "no file named"
    return str(source) if source else "no file named"


def _quoted(name: str) -> str:
    return name.replace("\\", "\\\\").replace('"', '\\"')


def _graphql(content: Any, headers: dict[str, str], resolve: Resolve, warn: Warn) -> str | None:
    if not isinstance(content, dict) or not content.get("query"):
        return None
    payload: dict[str, Any] = {"query": resolve(str(content["query"]))}
    variables = content.get("variables")
    if isinstance(variables, str) and variables.strip():
        try:
            payload["variables"] = json.loads(resolve(variables))
        except ValueError as error:
            warn(f"GraphQL variables are not valid JSON ({error}); they are not sent")
    elif isinstance(variables, dict):
        payload["variables"] = variables
    _set_default(headers, "application/json")
    return json.dumps(payload, ensure_ascii=False)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
