"""Building the request of a step: URL joining, substitution and auth."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from keploy_tui.engine import auth as auth_rules
from keploy_tui.engine.redact import SECRET_NAME, SENSITIVE_HEADER
from keploy_tui.engine.variables import placeholders, substitute
from keploy_tui.model import Auth, Step


@dataclass
class PreparedRequest:
    method: str
    url: str
    headers: dict[str, str]
    params: list[tuple[str, str]] = field(default_factory=list)
    body: str | None = None
    secrets: list[str] = field(default_factory=list)
    """Secret values this request carries, for redaction."""
    secret_headers: list[str] = field(default_factory=list)

    def full_url(self) -> str:
        """Return the URL with `params` added to any query it already has."""
        if not self.params:
            return self.url
        # httpx replaces a URL's query when given `params=`, so merge them here instead.
        return str(httpx.URL(self.url).copy_merge_params(self.params))


def join_url(base_url: str, path: str) -> str:
    """Prepend `base_url` to a relative `path`, keeping any path prefix the base has.

    `http://host/api` + `/users` is `http://host/api/users`; an absolute `path` is used as is.
    """
    # Only a path with a colon can have a scheme; most steps have neither, and urlsplit is slow.
    if ":" in path and urlsplit(path).scheme in ("http", "https"):
        return path
    if not base_url:
        return path
    base = base_url.rstrip("/")
    if not path:
        return base
    if path.startswith(("?", "#")):
        return base + path
    return f"{base}/{path.lstrip('/')}"


def prepare(step: Step, base_url: str, variables: dict[str, Any], run_auth: Auth) -> PreparedRequest:
    """Return the request for `step`; raises MissingVariable or AuthError."""
    url = join_url(substitute(base_url, variables), substitute(step.url, variables))
    headers = {substitute(name, variables): substitute(str(value), variables)
               for name, value in step.headers.items()}
    body = substitute(step.body, variables) if step.body is not None else None
    request = PreparedRequest(method=step.method.upper(), url=url, headers=headers, body=body)

    # A step's own `auth` wins over the run's. Without one, a header the step sets
    # explicitly, such as an Authorization it was recorded with, is kept over run-level auth.
    if step.auth is not None:
        effective = auth_rules.resolve(step.auth)
    else:
        effective = run_auth
        if effective.kind in ("bearer", "basic") and _has_header(headers, "authorization"):
            effective = Auth()
        if effective.kind == "api_key" and effective.location == "header" and _has_header(headers, effective.name or ""):
            effective = Auth()

    auth_rules.apply(effective, request.headers, request.params)
    request.secrets = [*auth_rules.secret_values(effective), *header_secrets(headers)]
    if effective.kind == "api_key":
        request.secret_headers.append(effective.name or "")
    return request


def header_secrets(headers: dict[str, str]) -> list[str]:
    """Return the credentials a step's own headers carry (`Authorization: Bearer x` gives x too)."""
    secrets = []
    for name, value in headers.items():
        if SENSITIVE_HEADER.match(name) and value:
            secrets.append(value)
            scheme, _, credentials = value.partition(" ")
            if credentials and scheme.lower() in ("bearer", "basic", "token"):
                secrets.append(credentials.strip())
    return secrets


def sensitive_variables(steps: list[Step]) -> set[str]:
    """Return the variables that hold credentials.

    They are the variables placed in sensitive headers, such as `Authorization: Bearer
    {{token}}`, and the extracted ones whose names say so, such as `accessToken`. The
    step that extracts one must hide its value too.
    """
    names: set[str] = set()
    for step in steps:
        for name, value in step.headers.items():
            if SENSITIVE_HEADER.match(name):
                names.update(placeholders(str(value)))
        names.update(name for name in step.extract if SECRET_NAME.search(name))
    return names


def _has_header(headers: dict[str, str], name: str) -> bool:
    return any(key.lower() == name.lower() for key in headers)
