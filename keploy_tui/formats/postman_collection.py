"""Importing a Postman collection (v2.0 or v2.1) as one suite.

The whole collection is one suite and its folders, at any depth, become step-name
prefixes ("Auth / Login"), in the order Postman runs them. In one suite, a variable
that a request's script extracts stays visible to every later request, as in a
Postman or Newman run. A suite per folder would lose it at each folder boundary.

Absolute URLs and a leading variable that contains the origin (`{{baseUrl}}/users`)
become paths relative to the run's base URL; the origin they named becomes the
suite's default_base_url. Scripts of the collection and of each folder apply to every
request below them, as Postman runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from keploy_tui.formats.import_common import ImportResult, unique_name
from keploy_tui.formats.postman_auth import inherited_auth, step_auth
from keploy_tui.formats.postman_body import build_body
from keploy_tui.formats.postman_scripts import ScriptTranslation, script_lines, translate_script
from keploy_tui.formats.postman_url import parse_url
from keploy_tui.formats.postman_vars import RUNTIME_NAME, Variables, read_variables
from keploy_tui.model.suite import HTTP_METHODS, Assertion, Step, Suite


@dataclass
class _Pending:
    """A request found in the collection, with everything inherited from its folders."""

    name: str
    item: dict[str, Any]
    variables: Variables
    auth_levels: list[Any]
    tests: list[ScriptTranslation] = field(default_factory=list)
    prerequests: list[ScriptTranslation] = field(default_factory=list)


def load_collection(path: Path, data: dict[str, Any], environment: dict[str, str] | None) -> ImportResult:
    """Import the collection `data`, read from `path`, with an optional environment's values."""
    importer = _CollectionImporter(str(path), data, environment or {})
    importer.run(path.stem)
    return importer.result


class _CollectionImporter:
    def __init__(self, source: str, data: dict[str, Any], environment: dict[str, str]) -> None:
        self.source = source
        self.data = data
        self.result = ImportResult()
        collection_values = read_variables(data.get("variable", data.get("variables")))
        self.variables = Variables(layers=[collection_values], environment=environment)
        self.pending: list[_Pending] = []
        self.step_names: set[str] = set()
        self.origins: list[str] = []
        self.unresolved_origins: list[str] = []
        self.has_examples = False

    def warn(self, message: str) -> None:
        self.result.warn(self.source, message)

    def run(self, fallback_name: str) -> None:
        info = self.data.get("info") if isinstance(self.data.get("info"), dict) else {}
        name = str(info.get("name") or fallback_name)
        scripts = self._scripts(self.data, "collection", self.variables)
        self._walk(self.data.get("item"), [], self.variables, [self.data.get("auth")], *scripts)

        runtime = frozenset(name for pending in self.pending for test in pending.tests for name in test.extract)
        steps = self._steps(runtime)
        # What a run of the whole suite needs goes before the warnings about single requests
        # and script lines, because a real collection has hundreds of those and a listing
        # cut at ten showed none of these.
        request_warnings, self.result.warnings = self.result.warnings, []
        self._report_variables(runtime)
        self.result.warnings.extend(request_warnings)
        if self.has_examples:
            self.result.note(self.source, "saved example responses are not imported; they are not tests")
        if not steps:
            self.warn("the collection has no requests that can be imported; no suite created")
            return
        self.result.suites.append(Suite(
            name=name,
            steps=steps,
            description=_description(info.get("description")),
            source=self.source,
            default_base_url=self.origins[0] if self.origins else None,
        ))

    def _scripts(self, owner: dict[str, Any], label: str, variables: Variables) -> tuple[list, list]:
        """Translate the test and pre-request scripts of `owner`, warning about lines not translated."""
        found: tuple[list[ScriptTranslation], list[ScriptTranslation]] = ([], [])
        for listen, translations in (("test", found[0]), ("prerequest", found[1])):
            lines = script_lines(owner.get("event"), listen)
            if not any(line.strip() for line in lines):
                continue
            translation = translate_script(lines, listen, variables.lookup)
            kind = "test script" if listen == "test" else "pre-request script"
            for entry in translation.untranslated:
                self.warn(f"{label} {kind} {entry}: not translated")
            translations.append(translation)
        return found

    def _walk(self, items: Any, path: list[str], variables: Variables, auth_levels: list[Any],
              tests: list[ScriptTranslation], prerequests: list[ScriptTranslation]) -> None:
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            name = str(item.get("name") or "").strip()
            scope = variables.with_layer(read_variables(item.get("variable", item.get("variables"))))
            if isinstance(item.get("item"), list):
                label = f"folder '{' / '.join([*path, name])}'"
                own_tests, own_prerequests = self._scripts(item, label, scope)
                self._walk(item["item"], [*path, name], scope, [*auth_levels, item.get("auth")],
                           [*tests, *own_tests], [*prerequests, *own_prerequests])
            elif "request" in item:
                self.has_examples = self.has_examples or bool(item.get("response"))
                label = " / ".join([*path, name or _default_name(item["request"])])
                step_name = unique_name(label, self.step_names)
                own_tests, own_prerequests = self._scripts(item, f"request '{step_name}'", scope)
                self.pending.append(_Pending(step_name, item, scope, auth_levels,
                                             [*tests, *own_tests], [*prerequests, *own_prerequests]))

    def _steps(self, runtime: frozenset[str]) -> list[Step]:
        steps: list[Step] = []
        # Literal values that scripts set apply from the request that sets them on,
        # in run order.
        script_values: dict[str, str] = {}
        for pending in self.pending:
            request = pending.item["request"]
            request = {"url": request, "method": "GET"} if isinstance(request, str) else request
            if not isinstance(request, dict):
                self.warn(f"request '{pending.name}' has no request object; skipped")
                continue
            for translation in pending.prerequests:
                script_values.update(translation.variables)
            local = {key: value for t in pending.prerequests for key, value in t.local_variables.items()}
            scope = pending.variables.with_local({**script_values, **local})
            step = self._step(request, scope, runtime, pending)
            if step is not None:
                steps.append(step)
            for translation in pending.tests:
                script_values.update(translation.variables)
        return steps

    def _step(self, request: dict[str, Any], scope: Variables, runtime: frozenset[str],
              pending: _Pending) -> Step | None:
        name = pending.name

        def warn(message: str) -> None:
            self.warn(f"request '{name}': {message}")

        def resolve(text: str) -> str:
            return scope.resolve(text, runtime)

        method = str(request.get("method") or "GET").upper()
        if method not in HTTP_METHODS:
            warn(f"method {method} is not supported (use one of {', '.join(HTTP_METHODS)}); skipped")
            return None
        try:
            parts = parse_url(request.get("url"))
        except ValueError as error:
            warn(f"{error}; skipped")
            return None
        self._note_origin(parts.origin, resolve)
        if parts.has_credentials:
            warn("credentials in the URL are not sent; set them as the request's auth")
        for variable in parts.missing_path_variables:
            warn(f"path variable :{variable} has no value in url.variable; it is sent as written")
        behavior = pending.item.get("protocolProfileBehavior")
        if isinstance(behavior, dict) and behavior:
            message = (f"protocolProfileBehavior is not imported ({', '.join(behavior)}): keploy-tui never follows "
                       "redirects and sends the request as written")
            if any(str(key).lower().startswith(("strictssl", "tls")) for key in behavior):
                message += "; --insecure skips TLS checks for a whole run"
            warn(message)

        headers = _headers(request.get("header"), resolve, warn)
        authentication = step_auth(inherited_auth([*pending.auth_levels, request.get("auth")]), resolve, warn)
        for header, value in authentication.headers.items():
            _set_header(headers, header, value)
        url = resolve(parts.relative())
        if authentication.query:
            url += ("&" if "?" in url else "?") + "&".join(authentication.query)
        body = build_body(request, headers, resolve, warn)

        assertions: list[Assertion] = []
        extract: dict[str, str] = {}
        for translation in pending.tests:
            for assertion in translation.assertions:
                if assertion not in assertions:
                    assertions.append(assertion)
            extract.update(translation.extract)
        return Step(name=name, method=method, url=url, headers=headers, body=body, extract=extract,
                    assertions=assertions, auth=authentication.auth,
                    description=_description(request.get("description")))

    def _note_origin(self, origin: str | None, resolve: Any) -> None:
        if origin is None:
            return
        resolved = resolve(origin).strip().rstrip("/")
        if "://" not in resolved:
            resolved = f"http://{resolved.lstrip('/')}"
        parts = urlsplit(resolved)
        if "{{" in resolved or parts.scheme not in ("http", "https") or not parts.netloc:
            if origin not in self.unresolved_origins:
                self.unresolved_origins.append(origin)
        elif resolved not in self.origins:
            self.origins.append(resolved)

    def _report_variables(self, runtime: frozenset[str]) -> None:
        usage = self.variables.usage
        if usage.undefined:
            listed = ", ".join(usage.undefined)
            near = self._case_twins(usage.undefined)
            if near:
                listed += f" (names are case-sensitive, and the import defines {', '.join(near)})"
            self.warn(f"variables not defined in the collection or environment stay as {{{{name}}}} "
                      f"for the run to fill (give --var NAME=VALUE): {listed}")
            unusable = [name for name in usage.undefined if not RUNTIME_NAME.fullmatch(name)]
            if unusable:
                self.warn(f"these variable names cannot be given with --var and are sent as written: {', '.join(unusable)}")
        if usage.dynamic:
            self.warn(f"Postman dynamic variables have no equivalent and are sent as written: {', '.join(usage.dynamic)}")
        shadowed = sorted(name for name in runtime if self.variables.lookup(name) is not None)
        if shadowed:
            self.warn(f"variables set by scripts stay {{{{name}}}} in every step, so their collection or "
                      f"environment value is not used (steps before the extraction need --var): {', '.join(shadowed)}")
        if self.unresolved_origins:
            self.warn(f"URLs start with {', '.join(self.unresolved_origins)}, which is not defined at import; "
                      "step URLs are relative, so give --base-url when running")
        if len(self.origins) > 1:
            self.warn(f"the collection names several origins ({', '.join(self.origins)}); every step is sent "
                      f"to the run's base URL, by default {self.origins[0]}")


    def _case_twins(self, names: list[str]) -> list[str]:
        """Return the defined names that differ from one of `names` only in case."""
        defined = [name for scope in (self.variables.environment, *self.variables.layers) for name in scope]
        lowered = {name.lower() for name in names}
        return sorted({name for name in defined if name.lower() in lowered and name not in names})


def _headers(value: Any, resolve: Any, warn: Any) -> dict[str, str]:
    entries: list[tuple[str, str]] = []
    if isinstance(value, str):
        for line in value.splitlines():
            name, colon, text = line.partition(":")
            if colon and name.strip():
                entries.append((name.strip(), text.strip()))
    elif isinstance(value, list):
        for entry in value:
            if isinstance(entry, dict) and entry.get("disabled") is not True and str(entry.get("key") or "").strip():
                entries.append((resolve(str(entry["key"]).strip()), resolve(str(entry.get("value") or ""))))
    headers: dict[str, str] = {}
    for name, text in entries:
        existing = next((key for key in headers if key.lower() == name.lower()), None)
        if existing is None:
            headers[name] = text
            continue
        # A step has one value per header name, so repeats are joined as HTTP allows.
        separator = "; " if name.lower() == "cookie" else ", "
        headers[existing] = f"{headers[existing]}{separator}{text}"
        warn(f"header {name} is given more than once; the values are joined into one: {headers[existing]!r}")
    return headers


def _set_header(headers: dict[str, str], name: str, value: str) -> None:
    for key in [key for key in headers if key.lower() == name.lower()]:
        del headers[key]
    headers[name] = value


def _default_name(request: Any) -> str:
    if isinstance(request, str):
        return f"GET {request}"
    if not isinstance(request, dict):
        return "request"
    url = request.get("url")
    raw = url.get("raw") if isinstance(url, dict) else url
    return f"{str(request.get('method') or 'GET').upper()} {raw or ''}".strip()


def _description(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("content")
    return value.strip() if isinstance(value, str) else ""
