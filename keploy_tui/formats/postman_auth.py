"""Postman request auth: inheritance from collection to folder to request, mapped to Step.auth.

A level without `auth` (or with type `inherit`) takes its parent's; `noauth` stops
the inheritance and becomes `auth: none`. Bearer, Basic and API key map to Step.auth.
The engine does not fill `{{variables}}` in Step.auth. So a Bearer token or an API
key that still contains one after import is sent as a header or query parameter
instead, which the run fills. Basic credentials cannot be sent that way, because they
are encoded together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from keploy_tui.formats.postman_vars import variable_text
from keploy_tui.model.suite import Auth

Warn = Callable[[str], None]
Resolve = Callable[[str], str]


@dataclass
class StepAuth:
    """The credentials of one request after import: Step.auth, or headers and query parameters."""

    auth: Auth | None = None
    headers: dict[str, str] = field(default_factory=dict)
    query: list[str] = field(default_factory=list)
    """`name=value` pairs to append to the URL query."""


def inherited_auth(levels: list[Any]) -> dict[str, Any] | None:
    """Return the auth block that applies, given the blocks from collection to request."""
    applied = None
    for block in levels:
        if isinstance(block, dict) and block.get("type") not in (None, "", "inherit"):
            applied = block
    return applied


def auth_parameters(block: dict[str, Any]) -> dict[str, str]:
    """Return the parameters of an auth block: a list of `{key, value}` (v2.1) or a mapping (v2.0)."""
    raw = block.get(str(block.get("type")))
    if isinstance(raw, list):
        return {str(item.get("key")): variable_text(item.get("value")) for item in raw if isinstance(item, dict)}
    if isinstance(raw, dict):
        return {str(key): variable_text(value) for key, value in raw.items()}
    return {}


def step_auth(block: dict[str, Any] | None, resolve: Resolve, warn: Warn) -> StepAuth:
    if block is None:
        return StepAuth()
    kind = str(block.get("type"))
    parameters = {key: resolve(value) for key, value in auth_parameters(block).items()}
    if kind == "noauth":
        return StepAuth(auth=Auth(kind="none"))
    if kind == "bearer":
        return _bearer(parameters.get("token", ""), warn)
    if kind == "basic":
        return _basic(parameters.get("username", ""), parameters.get("password", ""), warn)
    if kind == "apikey":
        return _api_key(parameters, warn)
    warn(f"auth type {kind} is not supported; the request is sent without it")
    return StepAuth()


def _bearer(token: str, warn: Warn) -> StepAuth:
    if not token:
        warn("bearer auth has an empty token; the request is sent without it")
        return StepAuth()
    if "{{" in token:
        return StepAuth(headers={"Authorization": f"Bearer {token}"})
    return StepAuth(auth=Auth(kind="bearer", token=token))


def _basic(username: str, password: str, warn: Warn) -> StepAuth:
    if "{{" in username or "{{" in password:
        warn("basic auth credentials use variables that are not defined at import, and the run "
             "cannot fill them inside Basic auth; the request is sent without it (give --basic)")
        return StepAuth()
    return StepAuth(auth=Auth(kind="basic", username=username, password=password))


def _api_key(parameters: dict[str, str], warn: Warn) -> StepAuth:
    name = parameters.get("key", "")
    value = parameters.get("value", "")
    location = "query" if parameters.get("in") == "query" else "header"
    if not name:
        warn("API key auth has no key name; the request is sent without it")
        return StepAuth()
    if "{{" in name or "{{" in value:
        if location == "query":
            return StepAuth(query=[f"{name}={value}"])
        return StepAuth(headers={name: value})
    return StepAuth(auth=Auth(kind="api_key", name=name, value=value, location=location))
