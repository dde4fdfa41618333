"""Splitting a Postman request URL into its origin, path and query, before variables are filled.

A URL is a string or an object. The object has `raw`, `protocol`, `host` (a string or
a list of labels), `port`, `path` (a string or a list of segments), `query` (a list,
disabled entries skipped) and `variable` (values for `:name` path segments). The object's
parts win over `raw`, as in Postman's own URL handling; `raw` is read when the object
has neither host nor path. A string without a scheme starts with its host
(`httpbin.org/get`, `{{baseUrl}}/users`), as Postman reads it.

`{{variables}}` are never split: `{{host.{{one}}}}` or `{{f/o/o}}` stay whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from keploy_tui.formats.postman_vars import read_variables

_TOKEN = "\x00{}\x00"
_TOKEN_PATTERN = re.compile(r"\x00(\d+)\x00")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*|\x00\d+\x00)://")


@dataclass
class UrlParts:
    origin: str | None
    """Scheme, host and port as written (`https://{{host}}:8080`, `{{baseUrl}}`), or None."""
    path: str
    """Starts with "/", or is empty when the URL names only an origin."""
    query: str | None
    """The text after "?", or None when the URL has no "?"."""
    has_credentials: bool = False
    missing_path_variables: list[str] = field(default_factory=list)

    def relative(self) -> str:
        """Return the path and query, as the step URL relative to the run's base URL."""
        url = self.path or "/"
        return url if self.query is None else f"{url}?{self.query}"


def parse_url(value: Any) -> UrlParts:
    """Return the parts of a Postman URL. Raises ValueError when there is no URL at all."""
    if isinstance(value, str):
        return _parse_raw(value, {})
    if not isinstance(value, dict):
        raise ValueError("the request has no URL")
    variables = read_variables(value.get("variable"))
    if value.get("host") is None and value.get("path") is None:
        parts = _parse_raw(str(value.get("raw") or ""), variables)
        if isinstance(value.get("query"), list):
            parts.query = build_query(value["query"])
        return parts
    return _parse_object(value, variables)


def _parse_object(value: dict[str, Any], variables: dict[str, str]) -> UrlParts:
    host = value.get("host")
    host_text = ".".join(str(label) for label in host) if isinstance(host, list) else str(host or "")
    origin = None
    if host_text:
        protocol = value.get("protocol") or _raw_scheme(str(value.get("raw") or ""))
        port = value.get("port")
        origin = f"{protocol}://{host_text}" if protocol else host_text
        if port not in (None, ""):
            origin += f":{port}"

    path = value.get("path")
    if isinstance(path, list):
        segments = [str(segment.get("value", "")) if isinstance(segment, dict) else str(segment) for segment in path]
        path_text = "/" + "/".join(segments)
    else:
        path_text = str(path or "")
        if path_text and not path_text.startswith("/"):
            path_text = "/" + path_text

    if isinstance(value.get("query"), list):
        query = build_query(value["query"])
    else:
        query = _parse_raw(str(value.get("raw") or ""), {}).query
    masked, tokens = _mask(path_text)
    filled, missing = _fill_path_variables(masked, tokens, variables)
    return UrlParts(
        origin=origin,
        path=_encode_controls(_unmask(filled, tokens)),
        query=query,
        has_credentials=bool(value.get("auth")),
        missing_path_variables=missing,
    )


def _parse_raw(raw: str, variables: dict[str, str]) -> UrlParts:
    masked, tokens = _mask(raw.strip())
    # WHATWG URL parsing reads a backslash as a slash in http(s) URLs, and Postman follows it.
    masked = masked.replace("\\", "/").split("#", 1)[0]
    before_query, question, query = masked.partition("?")

    scheme = _SCHEME.match(before_query)
    if scheme:
        protocol, rest = scheme.group(1), before_query[scheme.end():]
    elif before_query.startswith("//"):
        protocol, rest = None, before_query[2:]
    elif before_query.startswith("/") or not before_query:
        protocol, rest = None, None
    else:
        protocol, rest = None, before_query

    has_credentials = False
    if rest is None:
        origin, path = None, before_query
    else:
        authority, slash, path = rest.partition("/")
        path = "/" + path if slash else ""
        if "@" in authority:
            authority = authority.rsplit("@", 1)[1]
            has_credentials = True
        origin = None
        if authority:
            origin = f"{protocol}://{authority}" if protocol else authority

    filled, missing = _fill_path_variables(path, tokens, variables)
    return UrlParts(
        origin=_unmask(origin, tokens) if origin else None,
        path=_encode_controls(_unmask(filled, tokens)),
        query=_encode_controls(_unmask(query, tokens)) if question else None,
        has_credentials=has_credentials,
        missing_path_variables=missing,
    )


def _raw_scheme(raw: str) -> str | None:
    # Exports often leave `protocol` out of the object while `raw` still names it.
    match = _SCHEME.match(raw.strip())
    return match.group(1) if match else None


def build_query(entries: list[Any]) -> str | None:
    """Join the enabled query entries; None when every entry is disabled."""
    pieces = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("disabled") is True:
            continue
        key = _encode_reserved("" if entry.get("key") is None else str(entry["key"]), "&#=")
        value = entry.get("value")
        pieces.append(key if value is None else f"{key}={_encode_reserved(str(value), '&#')}")
    return _encode_controls("&".join(pieces)) if pieces else None


def _fill_path_variables(path: str, tokens: list[str], variables: dict[str, str]) -> tuple[str, list[str]]:
    """Replace `:name` segments of a masked path with their values; return the names left."""
    missing: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        if not segment.startswith(":") or len(segment) < 2:
            continue
        name = _unmask(segment[1:], tokens)
        if name in variables:
            segments[index] = variables[name]
        elif name not in missing:
            missing.append(name)
    return "/".join(segments), missing


def _mask(text: str) -> tuple[str, list[str]]:
    """Replace each outermost `{{...}}` with a token, so URL syntax inside it is not read."""
    tokens: list[str] = []
    pieces: list[str] = []
    depth = 0
    start = 0
    index = 0
    while index < len(text):
        if text.startswith("{{", index):
            if depth == 0:
                pieces.append(text[start:index])
                start = index
            depth += 1
            index += 2
        elif text.startswith("}}", index) and depth:
            depth -= 1
            index += 2
            if depth == 0:
                pieces.append(_TOKEN.format(len(tokens)))
                tokens.append(text[start:index])
                start = index
        else:
            index += 1
    pieces.append(text[start:])
    return "".join(pieces), tokens


def _unmask(text: str, tokens: list[str]) -> str:
    return _TOKEN_PATTERN.sub(lambda match: tokens[int(match.group(1))], text)


def _encode_reserved(text: str, characters: str) -> str:
    masked, tokens = _mask(text)
    for character in characters:
        masked = masked.replace(character, f"%{ord(character):02X}")
    return _unmask(masked, tokens)


def _encode_controls(text: str) -> str:
    # httpx rejects control characters in a URL, and Postman sends them percent-encoded.
    return re.sub(r"[\x00-\x1f\x7f]", lambda match: f"%{ord(match.group()):02X}", text)
