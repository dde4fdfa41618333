"""Input checks for the TUI's forms and display-safe text, kept free of Textual for unit tests.

Each check returns None for valid input, or a message that names the problem and the
fix, short enough for one line under a form field at 80 columns.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass

from rich.text import Text

from keploy_tui.engine.redact import SECRET_NAME
from keploy_tui.engine.urls import base_url_error  # noqa: F401  (re-exported for the screens)
from keploy_tui.formats.text import escape_controls
from keploy_tui.model import Auth

ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
"""POSIX shell variable names: what `export NAME=...` accepts."""

SECRET_FIELDS = {"bearer": ("token",), "basic": ("password",), "api_key": ("value",)}
"""Secret fields per auth kind; each can come from an environment variable (`<field>_env`)."""
FIELD_LABELS = {
    "token": "Token", "username": "Username", "password": "Password",
    "name": "Key name", "value": "Key value",
}


@dataclass(frozen=True)
class FieldError:
    """A problem with one auth form field: `field` is an Auth attribute such as "token" or "token_env"."""

    field: str
    message: str


@dataclass
class SecretEntry:
    """The form's input for one secret: a literal value or the name of an environment variable."""

    literal: str = ""
    env_name: str = ""


def build_auth(
    kind: str,
    fields: Mapping[str, str],
    secrets: Mapping[str, SecretEntry],
    location: str = "header",
    environ: Mapping[str, str] | None = None,
) -> Auth | FieldError:
    """Build the Auth that the form describes, or return the first field that is missing or invalid.

    Args:
        kind: one of "none", "bearer", "basic", "api_key".
        fields: plain values by Auth attribute: "username" and "name".
        secrets: entries by Auth attribute: "token", "password" and "value".
        location: where an API key goes, "header" or "query".
        environ: the environment that names are checked against; None skips that check.
    """
    if kind == "none":
        return Auth()
    if kind not in SECRET_FIELDS:
        raise ValueError(f"unknown auth kind {kind!r}: use none, {', '.join(SECRET_FIELDS)}")
    auth = Auth(kind=kind, location=location if kind == "api_key" else "header")

    # Plain fields come first because the form shows them above the secret.
    plain = {"basic": ("username",), "api_key": ("name",)}.get(kind, ())
    for field in plain:
        value = fields.get(field, "")
        if not value.strip():
            return FieldError(field, f"{FIELD_LABELS[field]} is missing: type it in")
        if field == "name" and any(character.isspace() for character in value.strip()):
            return FieldError(field, "Key name contains spaces: header and query parameter names cannot")
        setattr(auth, field, value.strip())

    for field in SECRET_FIELDS[kind]:
        entry = secrets.get(field, SecretEntry())
        problem = _secret_error(field, entry, environ)
        if problem is not None:
            return problem
        env_name = entry.env_name.strip()
        if env_name:
            setattr(auth, f"{field}_env", env_name)
        else:
            setattr(auth, field, entry.literal)
    return auth


def _secret_error(field: str, entry: SecretEntry, environ: Mapping[str, str] | None) -> FieldError | None:
    """Check one secret; a problem with the variable name is reported on `<field>_env`."""
    label = FIELD_LABELS[field]
    env_field = f"{field}_env"
    env_name = entry.env_name.strip()
    if entry.literal.strip() and env_name:
        return FieldError(env_field, f"{label}: give the value or an environment variable, not both")
    if not entry.literal.strip() and not env_name:
        # Basic auth with an empty password is valid (RFC 7617), and the CLI and suite
        # files accept it. A token or an API key value may not be empty.
        if field == "password":
            return None
        return FieldError(field, f"{label} is missing: type it or name an environment variable")
    if not env_name:
        return None
    if not ENV_NAME.match(env_name):
        return FieldError(env_field, f"{env_name!r} is not a valid environment variable name (letters, digits, _)")
    if environ is not None and env_name not in environ:
        return FieldError(env_field, f"{env_name} is not set: export it, then restart keploy-tui")
    return None


def form_values(auth: Auth | None) -> tuple[dict[str, str], dict[str, SecretEntry]]:
    """Split an Auth into the plain fields and secret entries that prefill the form.

    A literal secret wins over its environment variable, as the engine resolves them.
    """
    auth = auth or Auth()
    plain = {"username": auth.username or "", "name": auth.name or ""}
    secrets = {}
    for field in ("token", "password", "value"):
        literal = getattr(auth, field)
        env_name = getattr(auth, f"{field}_env")
        if literal is not None:
            secrets[field] = SecretEntry(literal=literal)
        else:
            secrets[field] = SecretEntry(env_name=env_name or "")
    return plain, secrets


def parse_variables(text: str) -> dict[str, str] | str:
    """Read `NAME=VALUE` pairs separated by spaces and quoted as in a shell. Returns a message when invalid."""
    try:
        words = shlex.split(text)
    except ValueError as error:
        return f"Variables: {str(error).lower()}; close the quote or remove it"
    variables: dict[str, str] = {}
    for word in words:
        name, equals, value = word.partition("=")
        if not equals or not name:
            return f"Variables: {word!r} is not NAME=VALUE; quote a value that has spaces"
        variables[name] = value
    return variables


def credential_names(text: str) -> list[str]:
    """Return the names in variables `text` that mark a credential, such as PASSWORD. Invalid text has none."""
    variables = parse_variables(text)
    return [] if isinstance(variables, str) else [name for name in variables if SECRET_NAME.search(name)]


def variables_text(variables: Mapping[str, object] | None) -> str:
    """Write `variables` back as parse_variables reads them."""
    return " ".join(f"{name}={shlex.quote(str(value))}" for name, value in (variables or {}).items())


def literal_text(value: object, style: str = "") -> Text:
    """Return `value` as Rich Text that shows markup and control characters literally.

    For text from a suite, a server or a user: `[bold]` stays as typed and an ESC
    character is shown as `\\x1b` instead of reaching the terminal.
    """
    return Text(escape_controls(str(value)), style=style)
