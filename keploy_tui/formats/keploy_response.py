"""Turning the response Keploy recorded for a test case into assertions.

Keploy's replay compares the status, the headers and the body, skipping the `noise`
paths and, by default, the order of array elements (keploy/keploy,
pkg/matcher/http/match.go). Here that becomes a status_code assertion, header
assertions for the headers a server keeps stable, and one whole-body json_equal with
`ignore` paths and `ignore_order`. A body that is not JSON is compared as plain text
by the same json_equal, because the engine reads a non-JSON expected_string that way.

When a test case lists assertions of its own besides `noise`, Keploy checks only
those (AssertionMatch in the same file), and so does this importer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from keploy_tui.model.suite import Assertion

# Response headers whose value a server derives from the request and the resource,
# not from the moment or the connection. Anything else (Date, Content-Length, Server,
# ETag, Set-Cookie, request and trace ids, rate-limit counters) is not asserted.
STABLE_RESPONSE_HEADERS = (
    "content-type",
    "location",
    "allow",
    "content-disposition",
    "content-language",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-credentials",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
)

Warn = Callable[[str], None]


def recorded_assertions(spec: Mapping[str, Any], origin: str | None, warn: Warn) -> list[Assertion]:
    """Return the assertions for one test case's `spec`; `warn` receives what cannot be kept."""
    response = spec.get("resp") if isinstance(spec.get("resp"), Mapping) else {}
    declared = spec.get("assertions") if isinstance(spec.get("assertions"), Mapping) else {}
    noise = declared.get("noise") if isinstance(declared.get("noise"), Mapping) else {}
    explicit = {key: value for key, value in declared.items() if key != "noise"}
    if explicit:
        return _explicit_assertions(explicit, response, warn)

    body_ignores, header_noise, whole_body_is_noise = _read_noise(noise, warn)
    assertions: list[Assertion] = []
    status = response.get("status_code")
    if isinstance(status, int) and 100 <= status <= 599:
        assertions.append(Assertion(type="status_code", expected=str(status)))
    else:
        warn(f"recorded status code {status!r} is not an HTTP status; no status assertion")
    assertions.extend(_header_assertions(response.get("header"), header_noise, origin))

    if response.get("body_skipped"):
        warn("the recorded response body was too large to store, so it is not asserted")
    elif response.get("stream_events"):
        warn("the recorded response is a stream of events, which is not asserted")
    elif not whole_body_is_noise:
        assertions.append(_body_assertion(_text(response.get("body")), body_ignores))
    return assertions


def _read_noise(noise: Mapping[str, Any], warn: Warn) -> tuple[list[str], set[str], bool]:
    """Return the body paths to ignore, the header names to skip and whether the body is noise."""
    body_ignores: list[str] = []
    header_noise: set[str] = set()
    whole_body = False
    for raw_key, patterns in noise.items():
        key = str(raw_key)
        if patterns:
            # Keploy ignores the value only when it matches one of these regular
            # expressions. json_equal has no such condition, so the path is ignored always.
            warn(f"noise {key} ignores only values matching {list(patterns)}; it is ignored entirely")
        section, _, path = key.partition(".")
        if section == "body" and path:
            body_ignores.append(f"$.{path}")
        elif section == "body":
            whole_body = True
        elif section == "header" and path:
            header_noise.add(path.rsplit(".", 1)[-1].lower())
        elif section == "header":
            header_noise.add("*")
        else:
            warn(f"noise key {key!r} names neither body nor header; it is not used")
    return body_ignores, header_noise, whole_body


def _header_assertions(headers: Any, noise: set[str], origin: str | None) -> list[Assertion]:
    if not isinstance(headers, Mapping) or "*" in noise:
        return []
    assertions = []
    for raw_name, raw_value in headers.items():
        name = str(raw_name)
        folded = name.lower()
        if folded not in STABLE_RESPONSE_HEADERS or folded in noise:
            continue
        value = _text(raw_value)
        if folded == "location" and origin and value.startswith(origin):
            # The run's base URL replaces the recorded origin, so only presence is stable.
            assertions.append(Assertion(type="header_exists", key=name, expected="true"))
        else:
            assertions.append(Assertion(type="header_equal", key=name, expected=value))
    return assertions


def _body_assertion(body: str, ignores: list[str]) -> Assertion:
    if _is_json(body):
        # Whitespace around a JSON document is not part of its value.
        return Assertion(type="json_equal", expected=body.strip(), ignore=ignores, ignore_order=True)
    # Not JSON (HTML, plain text, empty): the engine compares the text exactly.
    return Assertion(type="json_equal", expected=body)


def _explicit_assertions(declared: Mapping[str, Any], response: Mapping[str, Any], warn: Warn) -> list[Assertion]:
    assertions: list[Assertion] = []
    for raw_kind, value in declared.items():
        kind = str(raw_kind).lower()
        builder = _EXPLICIT.get(kind)
        if builder is None:
            warn(f"assertion {raw_kind!r} has no equivalent here; it is not imported")
            continue
        try:
            assertions.extend(builder(value, response))
        except (TypeError, ValueError) as error:
            warn(f"assertion {raw_kind} is not imported: {error}")
    return assertions


def _status_code(value: Any, response: Mapping[str, Any]) -> list[Assertion]:
    text = _text(value).strip()
    if not re.fullmatch(r"[1-5]\d\d", text):
        raise ValueError(f"{value!r} is not an HTTP status")
    return [Assertion(type="status_code", expected=text)]


def _status_code_class(value: Any, response: Mapping[str, Any]) -> list[Assertion]:
    text = _text(value).strip()
    if not re.fullmatch(r"[1-5](xx|\d\d)", text, re.IGNORECASE):
        raise ValueError(f"{value!r} is not a status class such as 2xx")
    return [Assertion(type="status_code_class", expected=text)]


def _status_code_in(value: Any, response: Mapping[str, Any]) -> list[Assertion]:
    codes = value if isinstance(value, list) else str(value).strip("[]").split(",")
    texts = [_text(code).strip() for code in codes]
    if not texts or not all(re.fullmatch(r"[1-5]\d\d", text) for text in texts):
        raise ValueError(f"{value!r} is not a list of HTTP statuses")
    return [Assertion(type="status_code_in", expected=",".join(texts))]


def _header_map(kind: str) -> Callable[[Any, Mapping[str, Any]], list[Assertion]]:
    def build(value: Any, response: Mapping[str, Any]) -> list[Assertion]:
        if not isinstance(value, Mapping):
            raise TypeError("it must map header names to values")
        assertions = []
        for name, expected in value.items():
            text = _text(expected)
            if kind == "header_matches":
                re.compile(text)
            assertions.append(Assertion(type=kind, key=str(name), expected=text))
        return assertions

    return build


def _header_exists(value: Any, response: Mapping[str, Any]) -> list[Assertion]:
    if not isinstance(value, (list, Mapping)):
        raise TypeError("it must list header names")
    return [Assertion(type="header_exists", key=str(name), expected="true") for name in value]


def _json_equal(value: Any, response: Mapping[str, Any]) -> list[Assertion]:
    # Keploy compares the whole recorded body here and does not read the value.
    return [Assertion(type="json_equal", expected=_text(response.get("body")))]


def _json_contains(value: Any, response: Mapping[str, Any]) -> list[Assertion]:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    json.loads(text)
    return [Assertion(type="json_contains", expected=text)]


_EXPLICIT: dict[str, Callable[[Any, Mapping[str, Any]], list[Assertion]]] = {
    "status_code": _status_code,
    "status_code_class": _status_code_class,
    "status_code_in": _status_code_in,
    "header_equal": _header_map("header_equal"),
    "header_contains": _header_map("header_contains"),
    "header_matches": _header_map("header_matches"),
    "header_exists": _header_exists,
    "json_equal": _json_equal,
    "json_contains": _json_contains,
}


def _is_json(text: str) -> bool:
    if not text.strip():
        return False
    try:
        json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return False
    return True


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
