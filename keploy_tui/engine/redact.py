"""Removing secrets from everything a report stores."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

from keploy_tui.model import REDACTED, AssertionResult, DiffEntry

MIN_TEXT_SECRET = 4
"""Shortest secret replaced inside text; shorter ones are hidden only by header name."""

SENSITIVE_HEADER = re.compile(
    r"^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token"
    r"|.*(token|secret|password|passwd|api[-_]?key).*)$",
    re.IGNORECASE,
)


SECRET_NAME = re.compile(r"(token|secret|password|passwd|api[-_]?key|credentials?)\Z", re.IGNORECASE)
"""Variable names whose values are credentials, such as PASSWORD, authToken or API_KEY.

The word must end the name: token_ttl or passwordPolicy hold ordinary values, and
redacting those (often short numbers) would damage every body that contains them.
"""


def secret_variable_values(variables: dict[str, Any]) -> list[str]:
    """Return the values of the variables whose names mark them as credentials."""
    return [value if isinstance(value, str) else str(value)
            for name, value in variables.items() if SECRET_NAME.search(name) and value is not None]


@functools.lru_cache(maxsize=512)
def is_sensitive_header(name: str) -> bool:
    """Tell whether a header's value is a credential by its name; responses repeat the same few names."""
    return SENSITIVE_HEADER.match(name) is not None


class Redactor:
    """Replaces known secret values anywhere in text, and sensitive header values by name."""

    def __init__(self, secrets: Iterable[str] = (), header_names: Iterable[str] = ()) -> None:
        # A secret sent in a query string is stored URL-encoded, so its encoded forms
        # are secrets too. Longest first, so a secret that contains another is replaced whole.
        forms: set[str] = set()
        for secret in secrets:
            # NOTE: a secret this short would garble every body it occurs in by chance, so
            # it is hidden only where it is found by name (headers), not inside text.
            if secret and len(secret) >= MIN_TEXT_SECRET:
                forms.update((secret, quote(secret, safe=""), quote_plus(secret, safe="")))
        self.secrets = sorted(forms, key=len, reverse=True)
        self.header_names = {name.lower() for name in header_names if name}

    def add(self, secret: str) -> None:
        """Hide `secret` too from now on, e.g. a token a step just extracted."""
        self.secrets = Redactor([*self.secrets, secret]).secrets

    def text(self, value: str | None) -> str | None:
        if not value or not self.secrets:
            return value
        for secret in self.secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
        return value

    def headers(self, headers: Iterable[tuple[str, str]]) -> list[list[str]]:
        redacted = []
        for name, value in headers:
            if is_sensitive_header(name) or name.lower() in self.header_names:
                redacted.append([name, REDACTED])
            else:
                redacted.append([name, self.text(value) or ""])
        return redacted

    def variables(self, variables: dict[str, Any], secret_names: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
        """Redact variables: whole values by name (`secret_names`, SECRET_NAME), the others as text.

        By name, a short password is hidden too, which text replacement leaves alone.
        """
        return {name: REDACTED if name in secret_names or SECRET_NAME.search(name) else self.value(value)
                for name, value in variables.items()}

    def value(self, value: Any) -> Any:
        """Redact a JSON-like value (a variable), leaving its shape."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value

    def assertion(self, result: AssertionResult) -> AssertionResult:
        """Redact an assertion result: a header assertion can quote an Authorization value."""
        if not self.secrets:
            return result
        return replace(
            result,
            expected=self.text(result.expected),
            actual=self.text(result.actual),
            message=self.text(result.message) or "",
            diff=[self._diff(entry) for entry in result.diff],
        )

    def _diff(self, entry: DiffEntry) -> DiffEntry:
        return replace(entry, expected=self.value(entry.expected), actual=self.value(entry.actual))


def url_password(url: str) -> str | None:
    """Return the password of a URL's `user:password@` part, if any."""
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def strip_password(url: str) -> str:
    """Return `url` with the password of its `user:password@` part replaced, for storage and logs."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
    except ValueError:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", f":{REDACTED}@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
