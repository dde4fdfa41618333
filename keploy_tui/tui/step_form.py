"""The step editor's fields as text, and turning them into a Step with an error per field.

Textual-free, so the checks run in unit tests. Assertions and auth go through the suite
loader's own rules, so the editor rejects exactly what a suite file could not contain.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from keploy_tui.engine.jsonpath import InvalidPath, parse_path
from keploy_tui.engine.urls import base_url_error
from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.suite_assertions import HEADER_TYPES, JSON_TYPES, parse_assertion
from keploy_tui.formats.suite_steps import parse_suite, step_url_error
from keploy_tui.formats.yaml_values import Where
from keploy_tui.model.suite import HTTP_METHODS, Assertion, Auth, Step

STATUS_TYPES = ("status_code", "status_code_class", "status_code_in")
KEY_HINTS = {
    **{kind: "header name, e.g. Content-Type" for kind in HEADER_TYPES},
    **{kind: "JSON path, e.g. $.id; empty for the whole body" for kind in JSON_TYPES},
}
EXPECTED_HINTS = {
    "status_code": "a status, e.g. 201",
    "status_code_class": "a class, e.g. 2xx",
    "status_code_in": "statuses, e.g. 200,201,204",
    "json_equal": 'JSON, e.g. "Alice" or 42 or {"a": 1}',
    "json_path": 'JSON, e.g. "Alice" or 42',
    "json_contains": 'JSON that the value contains, e.g. {"a": 1}',
    "header_equal": "the header value",
    "header_contains": "text the header contains",
    "header_exists": "true or false",
    "header_matches": "a regular expression",
    "schema": "a JSON Schema",
    "custom_functions": "JavaScript (cannot run here)",
}


@dataclass(frozen=True)
class FormError:
    """A problem with one editor field: `field` is "name", "method", "url", "headers", "body",
    "extract", "timeout", "auth" or "assert[N]"."""

    field: str
    message: str


@dataclass
class AssertionFields:
    type: str = "status_code"
    key: str = ""
    expected: str = ""
    ignore: str = ""
    """Comma-separated JSON paths."""
    ignore_order: bool = False

    @classmethod
    def from_assertion(cls, assertion: Assertion) -> AssertionFields:
        return cls(type=assertion.type, key=assertion.key or "", expected=assertion.expected or "",
                   ignore=", ".join(assertion.ignore), ignore_order=assertion.ignore_order)

    def to_assertion(self) -> Assertion:
        return Assertion(type=self.type, key=self.key.strip() or None,
                         expected=self.expected if self.expected.strip() else None,
                         ignore=[path.strip() for path in self.ignore.split(",") if path.strip()],
                         ignore_order=self.ignore_order)


@dataclass
class StepFields:
    """Every editor field as the user typed it."""

    name: str = ""
    method: str = "GET"
    url: str = ""
    headers: str = ""
    """One `Name: value` per line."""
    body: str = ""
    extract: str = ""
    """One `variable: $.path` per line."""
    timeout: str = ""
    assertions: list[AssertionFields] = field(default_factory=list)
    description: str = ""

    @classmethod
    def from_step(cls, step: Step) -> StepFields:
        return cls(
            name=step.name, method=step.method, url=step.url,
            headers="\n".join(f"{name}: {value}" for name, value in step.headers.items()),
            body=step.body or "",
            extract="\n".join(f"{name}: {path}" for name, path in step.extract.items()),
            timeout="" if step.timeout is None else f"{step.timeout:g}",
            assertions=[AssertionFields.from_assertion(item) for item in step.assertions],
            description=step.description,
        )


FIELD_LABELS = {"headers": "Headers", "extract": "Extract"}


def parse_lines(text: str, field_name: str, what: str) -> dict[str, str] | FormError:
    """Return `name: value` lines as a dict, or the first line that is not of that form."""
    label = FIELD_LABELS.get(field_name, field_name)
    values: dict[str, str] = {}
    folded: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            return FormError(field_name, f"{label} line {number}: write {what}, e.g. '{_example(field_name)}'")
        key = name.strip().lower() if field_name == "headers" else name.strip()
        if key in folded:
            return FormError(field_name, f"{label} line {number}: '{name.strip()}' is given twice, so remove one of the lines")
        folded.add(key)
        values[name.strip()] = value.strip()
    return values


def _example(field_name: str) -> str:
    return "Content-Type: application/json" if field_name == "headers" else "post_id: $.id"


def is_json_content(headers: dict[str, str]) -> bool:
    return any(name.lower() == "content-type" and "json" in value.lower() for name, value in headers.items())


def body_error(body: str, headers: dict[str, str]) -> str | None:
    """Return why the body is not valid JSON when the Content-Type is JSON, or None."""
    # A {{variable}} is substituted at run time, often unquoted, so such a body is JSON only then.
    if not body.strip() or not is_json_content(headers) or "{{" in body:
        return None
    try:
        json.loads(body)
    except ValueError as error:
        return f"invalid JSON for Content-Type {headers_value(headers)}: {error}"
    return None


def headers_value(headers: dict[str, str]) -> str:
    return next((value for name, value in headers.items() if name.lower() == "content-type"), "")


def build_step(fields: StepFields, auth: Auth | None | FormError, other_names: list[str]) -> Step | list[FormError]:
    """Return the Step the fields describe, or every field that is invalid, in screen order.

    `other_names` are the names of the suite's other steps, which must differ from this one.
    """
    errors: list[FormError] = []
    name = fields.name.strip()
    if not name:
        errors.append(FormError("name", "Name is missing: every step needs a name"))
    elif name in other_names:
        errors.append(FormError("name", f"Name '{name}' is used by another step of this suite; pick another"))
    method = fields.method.strip().upper()
    if method not in HTTP_METHODS:
        errors.append(FormError("method", f"Method '{fields.method}' is not valid: use {', '.join(HTTP_METHODS)}"))
    url = fields.url.strip()
    if not url:
        errors.append(FormError("url", "URL is missing: write a path such as /posts/1 or a full URL"))
    elif any(character.isspace() for character in url):
        errors.append(FormError("url", "URL contains spaces: encode them as %20"))
    elif (problem := step_url_error(url) or absolute_url_error(url)) is not None:
        errors.append(FormError("url", problem))

    headers = parse_lines(fields.headers, "headers", "one 'Name: value' per line")
    if isinstance(headers, FormError):
        errors.append(headers)
        headers = {}
    problem = body_error(fields.body, headers)
    if problem:
        errors.append(FormError("body", f"Body: {problem}"))
    extract = parse_lines(fields.extract, "extract", "one 'variable: $.path' per line")
    if isinstance(extract, FormError):
        errors.append(extract)
        extract = {}
    errors.extend(_extract_errors(fields.extract))
    timeout = _timeout(fields.timeout, errors)
    errors.extend(_assertion_errors(fields.assertions))
    if isinstance(auth, FormError):
        errors.append(auth)
    if errors:
        return errors

    step = Step(name=name, method=method, url=url, headers=headers, body=fields.body if fields.body else None,
                extract=extract, assertions=[item.to_assertion() for item in fields.assertions],
                auth=auth if not isinstance(auth, FormError) else None, timeout=timeout,
                description=fields.description)
    return _loader_check(step)


def absolute_url_error(url: str) -> str | None:
    """Return why a full http(s) URL has no usable host or port, or None.

    Paths and templated URLs such as {{base}}/x are left to run time.
    """
    if not url.lower().startswith(("http://", "https://")):
        return None
    # The Run modal's check rejects a query or fragment because it appends step paths to
    # the endpoint, but a step's own URL may carry both, so only the part before them is checked.
    origin = url.split("?", 1)[0].split("#", 1)[0]
    if "{{" in origin:
        return None
    problem = base_url_error(origin)
    if problem is None:
        return None
    return f"URL '{url}' is not valid: {problem}"


def json_path_error(path: str) -> str | None:
    """Return why `path` is not a valid JSON path, or None. A path with a {{variable}} is checked at run time."""
    if "{{" in path:
        return None
    try:
        parse_path(path)
    except InvalidPath as error:
        return f"{error}. Write a path such as $.id or $.items[0].name"
    return None


def _extract_errors(text: str) -> list[FormError]:
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        name, colon, path = line.partition(":")
        if not colon or not name.strip():
            continue
        problem = json_path_error(path.strip())
        if problem is not None:
            errors.append(FormError("extract", f"Extract line {number}: {problem}"))
    return errors


def _timeout(text: str, errors: list[FormError]) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        errors.append(FormError("timeout", f"Timeout '{text}' is not valid: write seconds, e.g. 5, or leave it empty"))
        return None
    return value


def _assertion_errors(items: list[AssertionFields]) -> list[FormError]:
    errors = []
    where = Where("editor")
    for index, item in enumerate(items):
        label = f"assert[{index}]"
        try:
            parse_assertion([item.to_assertion().to_dict()], 0, label, where)
        except SuiteLoadError as error:
            errors.append(FormError(label, f"Assertion {index + 1}: {error.message.removeprefix(label + ': ')}"))
            continue
        key = item.key.strip()
        if item.type in JSON_TYPES and key and (problem := json_path_error(key)) is not None:
            errors.append(FormError(label, f"Assertion {index + 1}: {problem}"))
    return errors


def _loader_check(step: Step) -> Step | list[FormError]:
    """Run the step through the suite loader, the final word on what a file may contain."""
    try:
        parse_suite({"name": "editor", "steps": [step.to_dict()]}, 1, Where("editor"))
    except SuiteLoadError as error:
        return [FormError("name", f"The step is not valid: {error.message}")]
    return step
