"""Postman variables: collection, folder, request and environment scopes, resolved at import.

A narrower scope wins: collection, then folder, then request, then the environment
(as in Postman, where an environment value overrides a collection value), then values
a pre-request script sets for its request. Within one list, disabled entries are
skipped and the last enabled entry of a name wins. A variable that is not defined, or
that a script extracts at run time, stays `{{name}}` for the run to fill.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keploy_tui.formats.errors import SuiteLoadError

_PLACEHOLDER = re.compile(r"\{\{([^{}]+)\}\}")
# The names the run can substitute; keep in step with keploy_tui.engine.variables.
RUNTIME_NAME = re.compile(r"\s*[A-Za-z_][A-Za-z0-9_.\-]*\s*")
_MAX_NESTING = 10


@dataclass
class VariableUsage:
    """Names left as `{{name}}` during an import, in order of first use."""

    undefined: list[str] = field(default_factory=list)
    dynamic: list[str] = field(default_factory=list)
    """Postman's generated values such as {{$guid}}, which have no equivalent here."""

    def add(self, names: list[str], name: str) -> None:
        if name not in names:
            names.append(name)


@dataclass
class Variables:
    """The variable scopes visible to one request; `with_*` return narrower copies."""

    layers: list[dict[str, str]] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    local: dict[str, str] = field(default_factory=dict)
    usage: VariableUsage = field(default_factory=VariableUsage)

    def with_layer(self, values: dict[str, str]) -> Variables:
        return Variables([*self.layers, values], self.environment, dict(self.local), self.usage)

    def with_local(self, values: dict[str, str]) -> Variables:
        return Variables(list(self.layers), self.environment, {**self.local, **values}, self.usage)

    def lookup(self, name: str) -> str | None:
        for scope in (self.local, self.environment, *reversed(self.layers)):
            if name in scope:
                return scope[name]
        return None

    def resolve(self, text: str, runtime: frozenset[str] = frozenset()) -> str:
        """Replace the `{{name}}` this import can fill; names in `runtime` stay for the run."""
        for _ in range(_MAX_NESTING):
            replaced = _PLACEHOLDER.sub(lambda match: self._value(match, runtime), text)
            if replaced == text:
                break
            text = replaced
        return text

    def _value(self, match: re.Match[str], runtime: frozenset[str]) -> str:
        name = match.group(1)
        if name.strip() in runtime:
            return match.group(0)
        if name.startswith("$"):
            self.usage.add(self.usage.dynamic, match.group(0))
            return match.group(0)
        value = self.lookup(name)
        if value is None:
            self.usage.add(self.usage.undefined, name)
            return match.group(0)
        return value


def read_variables(entries: Any) -> dict[str, str]:
    """Return the enabled `{key, value}` entries of a Postman variable list as text."""
    values: dict[str, str] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("disabled") is True or entry.get("enabled") is False:
            continue
        key = entry.get("key", entry.get("id"))
        if key is None or str(key) == "":
            continue
        values[str(key)] = variable_text(entry.get("value"))
    return values


def variable_text(value: Any) -> str:
    """Return a variable value as Postman inserts it: strings as is, other values as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def load_environment(path: str | Path) -> dict[str, str]:
    """Read a Postman environment (or globals) export. Raises SuiteLoadError naming the file."""
    name = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise SuiteLoadError("environment file not found; check the path", file=name) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SuiteLoadError(f"cannot read the environment file: {error}", file=name) from None
    except ValueError as error:
        raise SuiteLoadError(f"the environment is not valid JSON: {error}", file=name) from None
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise SuiteLoadError(
            "not a Postman environment: expected a JSON object with a 'values' list; "
            "export the environment from Postman",
            file=name,
        )
    return read_variables(data["values"])


def placeholders(text: str) -> list[str]:
    return [match.group(1) for match in _PLACEHOLDER.finditer(text)]
