"""A stored request as a curl command to paste into a POSIX shell."""

from __future__ import annotations

import base64
import re
import shlex
from urllib.parse import quote, urlsplit, urlunsplit

from keploy_tui.model import REDACTED, Auth, RequestRecord

"""The text that replaces secrets in stored requests; the engine's redactor writes it."""

_NOT_NAME = re.compile(r"[^A-Za-z0-9]+")
_CURL_GLOB = re.compile(r"[\[\]{}]")


def to_curl(request: RequestRecord, auth: Auth | None = None) -> str:
    """Return a curl command that sends `request` again, one option per line.

    Every value is single-quoted for POSIX shells. A `<redacted>` secret becomes a shell
    variable such as `"$TOKEN"`, `"$API_KEY"` or `"$PASSWORD"`, so the output contains no secret.
    An `auth` with literal secrets (resolved) puts its credentials back in the Authorization
    header, the API key header or the query parameter. An `auth` whose secrets are unset
    only shapes the placeholders: kind bearer writes `Bearer "$TOKEN"`, kind basic writes
    `-u USER:"$PASSWORD"`.

    NOTE: the credentials of `auth` replace the redacted Authorization header even when the
    step had sent a header of its own, so pass `auth` only for steps that used the run's auth.
    """
    method = request.method.upper()
    url = _url(request.url, auth)
    command = ["curl", "--head" if method == "HEAD" else f"-X {shlex.quote(method)}"]
    if _CURL_GLOB.search(request.url):
        # Without --globoff curl reads [] and {} in a URL as ranges and lists to expand.
        command.append("--globoff")
    command.append(url)
    options = [" ".join(command)]
    for name, value in request.headers:
        option = _header(name, value, auth)
        if option:
            options.append(option)
    if request.body is not None:
        options.append(f"--data-raw {_word(request.body, 'SECRET')}")
    return " \\\n  ".join(options)


def _word(text: str, placeholder: str) -> str:
    """Quote `text` as one shell word, with each `<redacted>` made a `"$placeholder"` expansion."""
    if REDACTED not in text:
        return shlex.quote(text)
    parts = [shlex.quote(part) if part else "" for part in text.split(REDACTED)]
    return f'"${placeholder}"'.join(parts)


def _has_secret(auth: Auth | None, field: str) -> bool:
    return auth is not None and getattr(auth, field) is not None


def _header(name: str, value: str, auth: Auth | None) -> str | None:
    """Return the `-H` option for one header, or the `-u` option that replaces a Basic one."""
    lower = name.lower()
    kind = auth.kind if auth is not None else "none"
    if lower == "authorization" and value == REDACTED:
        if kind == "bearer":
            token = auth.token if _has_secret(auth, "token") else None
            if token is not None:
                return "-H " + shlex.quote(f"{name}: Bearer {token}")
            return "-H " + shlex.quote(f"{name}: Bearer ") + '"$TOKEN"'
        if kind == "basic":
            if _has_secret(auth, "password"):
                credentials = base64.b64encode(f"{auth.username or ''}:{auth.password}".encode()).decode("ascii")
                return "-H " + shlex.quote(f"{name}: Basic {credentials}")
            user = shlex.quote(f"{auth.username}:") if auth.username is not None else '"$USERNAME":'
            # curl builds the Basic header from -u, so the password stays a shell variable.
            return f'-u {user}"$PASSWORD"'
        return "-H " + shlex.quote(f"{name}: ") + '"$AUTHORIZATION"'
    if kind == "api_key" and auth.location == "header" and lower == (auth.name or "").lower() and REDACTED in value:
        if _has_secret(auth, "value"):
            return "-H " + shlex.quote(f"{name}: {auth.value}")
        return "-H " + _word(f"{name}: {value}", "API_KEY")
    return "-H " + _word(f"{name}: {value}", _placeholder(name))


def _url(url: str, auth: Auth | None) -> str:
    """Quote the URL, restoring an API key query parameter and making other secrets placeholders."""
    if REDACTED not in url:
        return shlex.quote(url)
    parts = urlsplit(url)
    if "@" in parts.netloc and REDACTED in parts.netloc:
        # The base URL's password is not part of any Auth, so it is always a placeholder.
        netloc = parts.netloc.replace(f":{REDACTED}@", ":\x00PASSWORD\x00@")
        parts = parts._replace(netloc=netloc)
    query = []
    for item in parts.query.split("&") if parts.query else []:
        name, equals, value = item.partition("=")
        if equals and REDACTED in value:
            if auth is not None and auth.kind == "api_key" and auth.location == "query" and name == auth.name \
                    and auth.value is not None:
                value = quote(auth.value, safe="")
            else:
                value = value.replace(REDACTED, f"\x00{_placeholder(name)}\x00")
        query.append(f"{name}{equals}{value}")
    text = urlunsplit(parts._replace(query="&".join(query)))
    text = text.replace(REDACTED, "\x00SECRET\x00")
    # NUL marks the placeholders because no URL contains it; each one becomes "$NAME".
    pieces = text.split("\x00")
    words = [shlex.quote(piece) if position % 2 == 0 else f'"${piece}"'
             for position, piece in enumerate(pieces) if piece or position % 2]
    return "".join(words)


def _placeholder(name: str) -> str:
    """Return the shell variable that stands for a secret sent under header or parameter `name`."""
    lower = name.lower()
    if "api" in lower and "key" in lower:
        return "API_KEY"
    if "password" in lower or "passwd" in lower:
        return "PASSWORD"
    if "token" in lower:
        return "TOKEN"
    variable = _NOT_NAME.sub("_", name).strip("_").upper()
    if not variable or variable[0].isdigit():
        return "SECRET"
    return variable
