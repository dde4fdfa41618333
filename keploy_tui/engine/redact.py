"""Removing secrets from everything a report stores."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

REDACTED = "<redacted>"

SENSITIVE_HEADER = re.compile(
    r"^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token"
    r"|.*(token|secret|password|passwd|api[-_]?key).*)$",
    re.IGNORECASE,
)


class Redactor:
    """Replaces known secret values anywhere in text, and sensitive header values by name."""

    def __init__(self, secrets: Iterable[str] = (), header_names: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is replaced whole.
        self.secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)
        self.header_names = {name.lower() for name in header_names if name}

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
            if name.lower() in self.header_names or SENSITIVE_HEADER.match(name):
                redacted.append([name, REDACTED])
            else:
                redacted.append([name, self.text(value) or ""])
        return redacted

    def value(self, value: Any) -> Any:
        """Redact a JSON-like value (a variable), leaving its shape."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value
