"""`{{name}}` substitution with the variables that earlier steps extracted."""

from __future__ import annotations

import json
import re
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}\}")


class MissingVariable(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def render_value(value: Any) -> str:
    """Return the text that replaces a placeholder.

    A string goes in as is. Anything else goes in as JSON, so `"id": {{post_id}}` in a
    body stays a number and a list stays a list.
    """
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def substitute(text: str, variables: dict[str, Any]) -> str:
    """Replace every `{{name}}` in `text`; raises MissingVariable for the first unknown name."""
    if "{{" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise MissingVariable(name)
        return render_value(variables[name])

    return PLACEHOLDER.sub(replace, text)


def placeholders(text: str | None) -> list[str]:
    """Return the variable names `text` refers to, in order of appearance."""
    return PLACEHOLDER.findall(text or "")
