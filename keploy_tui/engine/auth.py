"""Turning an Auth into request headers or query parameters, reading secrets from the environment."""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import replace

from keploy_tui.model import Auth


class AuthError(ValueError):
    """Auth that cannot be applied: a missing field or an unset environment variable."""


def resolve(auth: Auth, environ: Mapping[str, str] | None = None) -> Auth:
    """Return a copy of `auth` whose secrets are literal values, read from `*_env` variables."""
    environ = os.environ if environ is None else environ
    resolved = replace(auth)
    for literal, env_name in (("token", "token_env"), ("password", "password_env"), ("value", "value_env")):
        variable = getattr(auth, env_name)
        if getattr(auth, literal) is None and variable:
            if variable not in environ:
                raise AuthError(f"environment variable {variable} is not set; export it or give the {literal} directly")
            setattr(resolved, literal, environ[variable])
    # A secret pasted or read from a file often ends in a newline, which no header may
    # carry. Other whitespace can belong to a password, so it is kept.
    for literal in ("token", "password", "value"):
        if isinstance(getattr(resolved, literal), str):
            setattr(resolved, literal, getattr(resolved, literal).rstrip("\r\n"))
    _check_complete(resolved)
    return resolved


def _check_complete(auth: Auth) -> None:
    if auth.kind == "bearer" and not auth.token:
        raise AuthError("bearer auth needs a token")
    if auth.kind == "basic" and (auth.username is None or auth.password is None):
        raise AuthError("basic auth needs a username and a password")
    if auth.kind == "api_key":
        if not auth.name or auth.value is None:
            raise AuthError("API key auth needs a name and a value")
        if auth.location not in ("header", "query"):
            raise AuthError(f"API key location must be header or query, not {auth.location!r}")
    if auth.kind not in ("none", "bearer", "basic", "api_key"):
        raise AuthError(f"unknown auth type {auth.kind!r}; use none, bearer, basic or api_key")


def basic_credentials(username: str, password: str) -> str:
    return base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def apply(auth: Auth, headers: dict[str, str], params: list[tuple[str, str]]) -> None:
    """Add the credentials of a resolved `auth` to `headers` or `params` in place."""
    if auth.kind == "bearer":
        headers["Authorization"] = f"Bearer {auth.token}"
    elif auth.kind == "basic":
        headers["Authorization"] = f"Basic {basic_credentials(auth.username or '', auth.password or '')}"
    elif auth.kind == "api_key" and auth.location == "query":
        params.append((auth.name or "", auth.value or ""))
    elif auth.kind == "api_key":
        headers[auth.name or ""] = auth.value or ""


def secret_values(auth: Auth) -> list[str]:
    """Return every string that would reveal a secret of a resolved `auth` if stored."""
    values = list(auth.secrets())
    if auth.kind == "basic" and auth.password:
        values.append(basic_credentials(auth.username or "", auth.password))
    return values
