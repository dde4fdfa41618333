"""Checking a run's base URL, the same way in the CLI, the TUI and the engine."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

URL_SCHEMES = ("http", "https")


def base_url_error(text: str) -> str | None:
    """Return why `text` cannot be a run's base URL, or None when it can.

    Leading and trailing whitespace is ignored, so callers should strip it before use.
    """
    url = text.strip()
    if not url:
        return "Missing URL: enter the API endpoint, e.g. http://127.0.0.1:8000"
    if any(character.isspace() for character in url):
        return "URL contains spaces: remove them or encode them as %20"
    try:
        parts = urlsplit(url)
    except ValueError as error:
        # urlsplit rejects an unclosed IPv6 bracket, as in http://[::1
        return f"Invalid URL {url}: {error}; write the host as http://[::1]:8000"
    # urlsplit reads "localhost:8000" as scheme "localhost", so this check also
    # catches a URL typed without a scheme.
    if parts.scheme.lower() not in URL_SCHEMES:
        if parts.scheme and ("://" in url or re.match(r"^[a-z][a-z0-9+.-]*:/", url, re.IGNORECASE)):
            return f"Unsupported scheme {parts.scheme}: use http:// or https://, e.g. http://127.0.0.1:8000"
        return "Missing scheme: use http:// or https://, e.g. http://127.0.0.1:8000"
    if not parts.hostname:
        return f"Missing host after {parts.scheme}://, e.g. {parts.scheme}://127.0.0.1:8000"
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        return "Invalid port: use a number from 1 to 65535 after the host"
    # The engine appends each step's path to the base URL as text, so a query or
    # fragment here would end up in the middle of every request URL.
    if "?" in url or "#" in url:
        return "Remove the ?query or #fragment: each step's path is appended to this URL"
    return None
