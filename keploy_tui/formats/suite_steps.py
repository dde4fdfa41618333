"""Building a Suite from one loaded YAML document, with file:line errors.

Keys that Keploy writes but this project does not use (ids, the recorded response,
its internal bookkeeping) are ignored quietly. They are listed in Keploy's webhook
documentation (keploy/docs, versioned_docs/version-4.0.0/running-keploy/
api-testing-webhook.md). Other unknown keys are logged and ignored, so that a file from
a newer Keploy still loads.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from keploy_tui.formats.suite_assertions import parse_assertion
from keploy_tui.formats.suite_auth import parse_auth
from keploy_tui.formats.yaml_values import (
    Where,
    describe,
    is_number,
    is_scalar,
    item_line,
    json_text,
    key_line,
    scalar_text,
    start_line,
)
from keploy_tui.model.suite import HTTP_METHODS, Step, Suite

SUITE_KEYS = ("name", "description", "default_base_url", "steps")
SUITE_KEPLOY_KEYS = ("id",)
STEP_KEYS = (
    "name", "method", "url", "headers", "body", "extract", "assert", "assertions",
    "auth", "timeout", "description",
)
STEP_KEPLOY_KEYS = ("id", "resp", "deleteData", "normalizeData")


def parse_suite(document: Any, number: int, where: Where) -> Suite:
    """Build the Suite in `document`, the `number`-th (1-based) document of its file."""
    line = start_line(document)
    if not isinstance(document, Mapping):
        raise where.error(
            f"document {number} is {describe(document)}, not a mapping; each suite is a "
            "mapping with name and steps, and suites are separated by '---'",
            line,
        )
    _reject_other_formats(document, where, line)

    name = _required_text(document, "name", "<suite name>", where, line)
    where = where.in_suite(name)
    where.warn_unknown_keys(document, SUITE_KEYS, SUITE_KEPLOY_KEYS)
    description = _optional_text(document, "description", where) or ""
    default_base_url = _default_base_url(document, where)

    steps_value = document.get("steps")
    if steps_value is None:
        raise where.error("missing required key 'steps'; add a list of steps", line)
    if not isinstance(steps_value, list):
        raise where.error(
            f"'steps' must be a list of steps, not {describe(steps_value)}",
            key_line(document, "steps"),
        )
    if not steps_value:
        raise where.error("has no steps; add at least one step", key_line(document, "steps"))

    steps = [_parse_step(steps_value, index, where) for index in range(len(steps_value))]
    _check_unique_step_names(steps, where)
    return Suite(
        name=name,
        steps=steps,
        description=description,
        source=where.file,
        line=line,
        default_base_url=default_base_url,
    )


def _default_base_url(document: Mapping[Any, Any], where: Where) -> str | None:
    # Importers write the origin that a collection or recording named, so a run
    # without --base-url goes where the source pointed.
    url = _optional_text(document, "default_base_url", where)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise where.error(
            f"'default_base_url' must be an http:// or https:// URL with a host, not '{url}'",
            key_line(document, "default_base_url"),
        )
    return url


def _reject_other_formats(document: Mapping[Any, Any], where: Where, line: int | None) -> None:
    if "kind" in document and "spec" in document:
        raise where.error(
            f"this is a Keploy record/replay test case (kind: {document['kind']}), not an "
            "API test suite; import its test-set folder instead",
            line,
        )
    if "info" in document and "item" in document:
        raise where.error(
            "this is a Postman collection, not a Keploy API test suite; import it instead",
            line,
        )


def _check_unique_step_names(steps: list[Step], where: Where) -> None:
    # Reports, JUnit case names and report comparisons identify a step by suite and
    # step name, so two steps with one name would be indistinguishable there.
    first_lines: dict[str, int | None] = {}
    for step in steps:
        if step.name in first_lines:
            raise where.in_step(step.name).error(
                f"duplicate step name, also used at line {first_lines[step.name]}; rename "
                "one, because reports identify a step by its suite and step name",
                step.line,
            )
        first_lines[step.name] = step.line


def _parse_step(items: list[Any], index: int, where: Where) -> Step:
    data = items[index]
    line = item_line(items, index)
    label = f"steps[{index}]"
    if not isinstance(data, Mapping):
        raise where.error(
            f"{label} must be a mapping with name, method and url, not {describe(data)}", line
        )
    name = _required_text(data, "name", "<step name>", where, line, label)
    where = where.in_step(name)
    where.warn_unknown_keys(data, STEP_KEYS, STEP_KEPLOY_KEYS)

    auth_value = data.get("auth")
    return Step(
        name=name,
        method=_method(data, where, line),
        url=_url(data, where, line),
        headers=_headers(data, where),
        body=_body(data, where),
        extract=_extract(data, where),
        assertions=_assertions(data, where),
        auth=None if auth_value is None else parse_auth(auth_value, where, key_line(data, "auth")),
        timeout=_timeout(data, where),
        description=_optional_text(data, "description", where) or "",
        line=line,
    )


def step_url_error(url: str) -> str | None:
    """Return why a step's URL cannot be sent, or None.

    A URL is a path joined to the run's endpoint, or a full http(s) URL. Anything else
    before "://" would be taken for a path and requested from the endpoint.
    """
    scheme, separator, _ = url.partition("://")
    # A "://" after a "/", "?" or "#" is inside the path or query, as in /redirect?to=https://x.
    looks_like_scheme = separator and not any(mark in scheme for mark in ("/", "?", "#", "{{"))
    if looks_like_scheme and scheme.lower() not in ("http", "https"):
        return (f"URL '{url}' starts with the scheme '{scheme}': write a path such as /posts/1 "
                "or a full URL starting with http:// or https://")
    return None


def _url(data: Mapping[Any, Any], where: Where, line: int | None) -> str:
    url = _required_text(data, "url", "/path", where, line)
    problem = step_url_error(url.strip())
    if problem is not None:
        raise where.error(problem, key_line(data, "url") or line)
    return url


def _required_text(
    data: Mapping[Any, Any],
    key: str,
    example: str,
    where: Where,
    line: int | None,
    label: str = "",
) -> str:
    """Return the non-empty text at `key`, accepting a number as its text."""
    prefix = f"{label}: " if label else ""
    value = data.get(key)
    if value is None:
        raise where.error(f"{prefix}missing required key '{key}'; add {key}: {example}", line)
    if not (isinstance(value, str) or is_number(value)):
        raise where.error(
            f"{prefix}'{key}' must be a string, not {describe(value)}", key_line(data, key)
        )
    text = scalar_text(value) or ""
    if not text.strip():
        raise where.error(f"{prefix}'{key}' is empty; write {key}: {example}", key_line(data, key))
    return text


def _optional_text(data: Mapping[Any, Any], key: str, where: Where) -> str | None:
    value = data.get(key)
    if not is_scalar(value):
        raise where.error(f"'{key}' must be a string, not {describe(value)}", key_line(data, key))
    return scalar_text(value)


def _method(data: Mapping[Any, Any], where: Where, line: int | None) -> str:
    method = _required_text(data, "method", "GET", where, line).strip().upper()
    if method not in HTTP_METHODS:
        raise where.error(
            f"unknown method '{data['method']}'; expected one of {', '.join(HTTP_METHODS)}",
            key_line(data, "method"),
        )
    return method


def _headers(data: Mapping[Any, Any], where: Where) -> dict[str, str]:
    value = data.get("headers")
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise where.error(
            f"'headers' must be a mapping of header names to values, not {describe(value)}",
            key_line(data, "headers"),
        )
    headers: dict[str, str] = {}
    seen: dict[str, str] = {}
    for raw_name, raw_value in value.items():
        line = key_line(value, raw_name)
        name = scalar_text(raw_name) if is_scalar(raw_name) else None
        if not name:
            raise where.error(
                f"header names must be non-empty text, not {describe(raw_name)}", line
            )
        if raw_value is None:
            raise where.error(
                f"header '{name}' has no value; write '' for an empty value", line
            )
        if not is_scalar(raw_value):
            raise where.error(
                f"header '{name}' must have a text value, not {describe(raw_value)}", line
            )
        # HTTP header names are case-insensitive, so these would be one header.
        if name.lower() in seen:
            raise where.error(
                f"header '{name}' is given twice (also as '{seen[name.lower()]}')", line
            )
        seen[name.lower()] = name
        headers[name] = scalar_text(raw_value) or ""
    return headers


def _body(data: Mapping[Any, Any], where: Where) -> str | None:
    value = data.get("body")
    # Keploy writes the body as a string. A mapping or list is accepted as well and
    # sent as compact JSON text, which is easier to write by hand.
    if isinstance(value, (Mapping, list)):
        try:
            return json_text(value)
        except ValueError as error:
            raise where.error(
                f"'body' cannot be written as JSON: {error}", key_line(data, "body")
            ) from None
    return _optional_text(data, "body", where)


def _extract(data: Mapping[Any, Any], where: Where) -> dict[str, str]:
    value = data.get("extract")
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise where.error(
            f"'extract' must be a mapping of variable names to JSON paths, not {describe(value)}",
            key_line(data, "extract"),
        )
    extract: dict[str, str] = {}
    for variable, path in value.items():
        line = key_line(value, variable)
        if not isinstance(variable, str) or not variable.strip():
            raise where.error(
                f"extract: variable names must be non-empty strings, not {describe(variable)}",
                line,
            )
        if not isinstance(path, str) or not path.strip():
            raise where.error(
                f"extract: '{variable}' needs a JSON path such as $.id, not {describe(path)}", line
            )
        extract[str(variable)] = str(path)
    return extract


def _assertions(data: Mapping[Any, Any], where: Where) -> list:
    # Keploy's generator writes `assert`; its step-editor documentation says `assertions`.
    if data.get("assert") is not None and data.get("assertions") is not None:
        raise where.error(
            "both 'assert' and 'assertions' are given; keep one list",
            key_line(data, "assertions"),
        )
    key = "assertions" if data.get("assertions") is not None else "assert"
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise where.error(
            f"'{key}' must be a list of assertions, not {describe(items)}", key_line(data, key)
        )
    return [parse_assertion(items, index, f"{key}[{index}]", where) for index in range(len(items))]


def _timeout(data: Mapping[Any, Any], where: Where) -> float | None:
    value = data.get("timeout")
    if value is None:
        return None
    if not is_number(value) or not math.isfinite(value) or value <= 0:
        if is_number(value):
            value_text = scalar_text(value)
        else:
            value_text = repr(str(value)) if isinstance(value, str) else describe(value)
        raise where.error(
            f"'timeout' must be a positive number of seconds, not {value_text}",
            key_line(data, "timeout"),
        )
    return float(value)
