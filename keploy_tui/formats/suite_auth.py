"""Reading a step's `auth`: the string `none`, or a mapping with a type and its fields.

`auth` is this project's extension, not a key Keploy writes. Unlike the rest of a
suite, its unknown keys are errors, because a misspelt `token_evn` would otherwise send
the request without credentials.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from keploy_tui.formats.yaml_values import Where, describe, is_scalar, key_line, scalar_text
from keploy_tui.model.suite import API_KEY_LOCATIONS, AUTH_KINDS, Auth

FIELDS = {
    "none": (),
    "bearer": ("token", "token_env"),
    "basic": ("username", "password", "password_env"),
    "api_key": ("name", "value", "value_env", "in"),
}
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_AUTH_FORMS = "write auth: none, or a mapping with type bearer, basic or api_key"


def parse_auth(value: Any, where: Where, line: int | None) -> Auth:
    """Build the Auth for `value`, the loaded `auth` of a step at `line`."""
    if isinstance(value, str):
        if value.strip().lower() == "none":
            return Auth()
        raise where.error(f"auth: '{value}' is not valid; {_AUTH_FORMS}", line)
    if not isinstance(value, Mapping):
        raise where.error(
            f"auth must be 'none' or a mapping, not {describe(value)}; {_AUTH_FORMS}", line
        )

    kind = _kind(value, where, line)
    texts = _texts(value, kind, where)
    if kind == "none":
        return Auth()
    if kind == "bearer":
        _one_secret(value, texts, ("token", "token_env"), where, line)
        return Auth(kind=kind, token=texts.get("token"), token_env=texts.get("token_env"))
    if kind == "basic":
        _required(value, texts, "username", where, line)
        # An empty password is valid in Basic authentication, unlike an empty token.
        _one_secret(value, texts, ("password", "password_env"), where, line, allow_empty=True)
        return Auth(
            kind=kind,
            username=texts["username"],
            password=texts.get("password"),
            password_env=texts.get("password_env"),
        )
    return _api_key(value, texts, where, line)


def _kind(value: Mapping[Any, Any], where: Where, line: int | None) -> str:
    raw = value.get("type")
    if raw is None:
        raise where.error(
            f"auth: missing required key 'type'; add type: {', '.join(AUTH_KINDS)}", line
        )
    if not isinstance(raw, str):
        raise where.error(
            f"auth: 'type' must be one of {', '.join(AUTH_KINDS)}, not {describe(raw)}",
            key_line(value, "type"),
        )
    kind = raw.strip().lower()
    if kind not in AUTH_KINDS:
        raise where.error(
            f"auth: unknown type '{raw}'; expected one of {', '.join(AUTH_KINDS)}",
            key_line(value, "type"),
        )
    return kind


def _texts(value: Mapping[Any, Any], kind: str, where: Where) -> dict[str, str]:
    """Return the fields of `kind` given as text, rejecting keys that `kind` does not take."""
    allowed = FIELDS[kind]
    texts: dict[str, str] = {}
    for key, item in value.items():
        if key == "type":
            continue
        line = key_line(value, key)
        if key not in allowed:
            expected = f"expected {', '.join(allowed)}" if allowed else "it takes no other keys"
            raise where.error(f"auth: unknown key '{key}' for type {kind}; {expected}", line)
        if not is_scalar(item):
            raise where.error(f"auth: '{key}' must be text, not {describe(item)}", line)
        text = scalar_text(item)
        if text is not None:
            texts[key] = text
    return texts


def _required(
    value: Mapping[Any, Any], texts: dict[str, str], key: str, where: Where, line: int | None
) -> None:
    if key not in texts:
        raise where.error(f"auth: missing required key '{key}'", line)
    if not texts[key].strip():
        raise where.error(f"auth: '{key}' is empty", key_line(value, key))


def _one_secret(
    value: Mapping[Any, Any],
    texts: dict[str, str],
    keys: tuple[str, str],
    where: Where,
    line: int | None,
    *,
    allow_empty: bool = False,
) -> None:
    """Require exactly one of a literal secret and the environment variable that contains it."""
    literal, env = keys
    if literal in texts and env in texts:
        raise where.error(f"auth: give {literal} or {env}, not both", key_line(value, env))
    if literal not in texts and env not in texts:
        raise where.error(
            f"auth: missing {literal} or {env}; {env} names an environment variable, "
            "which keeps the secret out of the file",
            line,
        )
    if literal in texts and not allow_empty and not texts[literal]:
        raise where.error(f"auth: '{literal}' is empty", key_line(value, literal))
    if env in texts and not _ENV_NAME.fullmatch(texts[env]):
        raise where.error(
            f"auth: '{texts[env]}' is not an environment variable name", key_line(value, env)
        )


def _api_key(
    value: Mapping[Any, Any], texts: dict[str, str], where: Where, line: int | None
) -> Auth:
    _required(value, texts, "name", where, line)
    _one_secret(value, texts, ("value", "value_env"), where, line)
    location = texts.get("in", "header").strip().lower()
    if location not in API_KEY_LOCATIONS:
        raise where.error(
            f"auth: 'in' must be one of {', '.join(API_KEY_LOCATIONS)}, not '{texts['in']}'",
            key_line(value, "in"),
        )
    return Auth(
        kind="api_key",
        name=texts["name"],
        value=texts.get("value"),
        value_env=texts.get("value_env"),
        location=location,
    )
