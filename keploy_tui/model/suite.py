"""Suites as loaded from Keploy API test-suite YAML, independent of any file format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

AUTH_KINDS = ("none", "bearer", "basic", "api_key")
API_KEY_LOCATIONS = ("header", "query")

ASSERTION_TYPES = (
    "status_code",
    "status_code_class",
    "status_code_in",
    "json_equal",
    "json_contains",
    "json_path",
    "header_equal",
    "header_contains",
    "header_exists",
    "header_matches",
    "schema",
    "custom_functions",
)

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


@dataclass
class Auth:
    """Credentials for a run or a step; a secret is given directly or by environment variable.

    `kind` is one of AUTH_KINDS. For `api_key`, `name` is the header or query parameter
    and `location` is one of API_KEY_LOCATIONS.
    """

    kind: str = "none"
    token: str | None = None
    token_env: str | None = None
    username: str | None = None
    password: str | None = None
    password_env: str | None = None
    name: str | None = None
    value: str | None = None
    value_env: str | None = None
    location: str = "header"

    def to_dict(self) -> dict[str, Any]:
        """Return the suite-YAML form, omitting unset fields; `none` becomes the string."""
        if self.kind == "none":
            return {"type": "none"}
        data: dict[str, Any] = {"type": self.kind}
        for key in ("token", "token_env", "username", "password", "password_env",
                    "name", "value", "value_env"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.kind == "api_key":
            data["in"] = self.location
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | str | None) -> Auth:
        if data is None or data == "none":
            return cls()
        if isinstance(data, str):
            return cls(kind=data)
        return cls(
            kind=str(data.get("type", "none")),
            token=data.get("token"),
            token_env=data.get("token_env"),
            username=data.get("username"),
            password=data.get("password"),
            password_env=data.get("password_env"),
            name=data.get("name"),
            value=data.get("value"),
            value_env=data.get("value_env"),
            location=str(data.get("in", data.get("location", "header"))),
        )

    def secrets(self) -> list[str]:
        """Return the literal secret values this auth holds, for redaction."""
        values = [self.token, self.password, self.value]
        return [value for value in values if value]


@dataclass
class Assertion:
    """One Keploy assertion: `type`, an optional `key` and the `expected_string` text."""

    type: str
    key: str | None = None
    expected: str | None = None
    ignore: list[str] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)
    """Line in the source file, 1-based, for error messages; None when not from a file."""
    ignore_order: bool = False
    """For json_equal: arrays match whatever the order of their elements, as Keploy's replay does."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type}
        if self.key is not None:
            data["key"] = self.key
        if self.expected is not None:
            data["expected_string"] = self.expected
        if self.ignore:
            data["ignore"] = list(self.ignore)
        if self.ignore_order:
            data["ignore_order"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Assertion:
        return cls(
            type=data["type"],
            key=data.get("key"),
            expected=data.get("expected_string"),
            ignore=list(data.get("ignore") or []),
            ignore_order=bool(data.get("ignore_order", False)),
        )


@dataclass
class Step:
    """One HTTP request of a suite with its extractions and assertions."""

    name: str
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    extract: dict[str, str] = field(default_factory=dict)
    assertions: list[Assertion] = field(default_factory=list)
    auth: Auth | None = None
    """None inherits the run's auth; Auth(kind="none") sends no auth."""
    timeout: float | None = None
    """Seconds; None uses the run's timeout."""
    description: str = ""
    line: int | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        if self.description:
            data["description"] = self.description
        data.update(method=self.method, url=self.url)
        if self.headers:
            data["headers"] = dict(self.headers)
        if self.body is not None:
            data["body"] = self.body
        if self.extract:
            data["extract"] = dict(self.extract)
        if self.assertions:
            data["assert"] = [assertion.to_dict() for assertion in self.assertions]
        if self.auth is not None:
            data["auth"] = "none" if self.auth.kind == "none" else self.auth.to_dict()
        if self.timeout is not None:
            data["timeout"] = self.timeout
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        auth = data.get("auth")
        return cls(
            name=data["name"],
            method=data["method"],
            url=data["url"],
            headers=dict(data.get("headers") or {}),
            body=data.get("body"),
            extract=dict(data.get("extract") or {}),
            assertions=[Assertion.from_dict(item) for item in data.get("assert") or []],
            auth=None if auth is None else Auth.from_dict(auth),
            timeout=data.get("timeout"),
            description=data.get("description") or "",
        )


@dataclass
class Suite:
    """A named, ordered list of steps."""

    name: str
    steps: list[Step] = field(default_factory=list)
    description: str = ""
    source: str | None = field(default=None, compare=False)
    """Path of the file the suite was loaded from, if any."""
    line: int | None = field(default=None, compare=False)
    default_base_url: str | None = None
    """Origin an importer found in absolute URLs; offered when no base URL is given."""

    @property
    def key(self) -> str:
        """Identity used to remember settings per suite: the source file and the name."""
        return f"{self.source or ''}::{self.name}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        if self.description:
            data["description"] = self.description
        if self.default_base_url:
            data["default_base_url"] = self.default_base_url
        data["steps"] = [step.to_dict() for step in self.steps]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Suite:
        return cls(
            name=data["name"],
            description=data.get("description") or "",
            steps=[Step.from_dict(item) for item in data.get("steps") or []],
            source=data.get("source"),
            default_base_url=data.get("default_base_url"),
        )
