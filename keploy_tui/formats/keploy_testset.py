"""Importing Keploy record/replay test-sets: `test-set-N/tests/test-N.yaml`.

Each test-set becomes one suite named after the application folder and the test-set
("samples-go-gin-mongo / test-set-0"), with one step per HTTP test case in natural
order of the file names (test-2 before test-10). Recorded absolute URLs become paths
relative to the run's base URL, and the recorded origin becomes the suite's
default_base_url. The recorded response becomes assertions (see keploy_response).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.import_common import ImportResult, natural_key, split_absolute_url, unique_name
from keploy_tui.formats.keploy_response import recorded_assertions
from keploy_tui.model.suite import HTTP_METHODS, Step, Suite

TEST_SUFFIXES = (".yaml", ".yml")

# Request headers that describe how the request was recorded (the client, the
# connection, the proxy) rather than the request itself. The HTTP client of the run
# sets its own Host, Content-Length, Accept-Encoding and Connection.
RECORDING_HEADERS = frozenset({
    "host", "content-length", "accept-encoding", "connection", "keep-alive",
    "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection",
    "postman-token", "upgrade-insecure-requests", "sec-gpc",
})
RECORDING_HEADER_PREFIXES = ("sec-ch-ua", "sec-fetch-")
# User agents of the tools and browsers that people record with. Another User-Agent
# is kept, because an API may respond differently to it.
RECORDING_AGENT = re.compile(
    r"(curl|PostmanRuntime|Mozilla|insomnia|HTTPie|python-requests|python-httpx|"
    r"Go-http-client|axios|node-fetch|undici|okhttp|Apache-HttpClient|Wget|k6)/",
    re.IGNORECASE,
)

_IGNORED_BESIDE_TESTS = {
    "mocks.yaml": "recorded dependency mocks are not used, because keploy-tui runs "
                  "against a live API",
    "config.yaml": "test-set configuration is not used",
}
_IGNORED_BESIDE_SETS = {
    "reports": "Keploy test reports are not imported",
    "testReports": "Keploy test reports are not imported",
    "keploy.yml": "Keploy configuration is not used; its global noise is not applied",
    "config.yaml": "Keploy configuration is not used; its global noise is not applied",
}


def is_test_set(folder: Path) -> bool:
    """Tell whether `folder` contains Keploy test cases in `tests/`."""
    tests = folder / "tests"
    try:
        return tests.is_dir() and any(_test_files(tests))
    except OSError:
        return False


def find_test_sets(root: Path) -> list[Path]:
    """Return the test-set folders at or below `root`, in natural order of their paths."""
    if is_test_set(root):
        return [root]
    found: list[Path] = []
    for folder, subfolders, _ in os.walk(root):
        current = Path(folder)
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        if current != root and is_test_set(current):
            found.append(current)
            subfolders[:] = []
    return sorted(found, key=lambda path: natural_key(str(path.relative_to(root))))


def load_test_sets(root: Path, test_sets: list[Path] | None = None) -> ImportResult:
    """Import every test-set at or below `root` (or only `test_sets` of them), one suite each."""
    result = ImportResult()
    test_sets = find_test_sets(root) if test_sets is None else test_sets
    for test_set in test_sets:
        result.extend(load_test_set(test_set))
    for folder in {test_set.parent for test_set in test_sets if test_set != root}:
        for entry in sorted(folder.iterdir()):
            reason = _IGNORED_BESIDE_SETS.get(entry.name)
            if reason is None or (entry.is_dir() and find_test_sets(entry)):
                continue
            result.note(str(entry), f"ignored: {reason}")
    return result


def load_test_set(folder: Path) -> ImportResult:
    """Import one test-set folder as one suite."""
    result = ImportResult()
    source = str(folder)
    for entry in sorted(folder.iterdir()):
        if entry.name != "tests":
            reason = _IGNORED_BESIDE_TESTS.get(entry.name, "not part of the test cases")
            result.note(str(entry), f"ignored: {reason}")

    builder = _SuiteBuilder(suite_name(folder), source, result)
    for path in sorted(_test_files(folder / "tests"), key=lambda file: natural_key(file.name)):
        for document in read_documents(path):
            builder.add(document, path)
    result.suites.extend(builder.finish())
    return result


def load_test_case_file(path: Path) -> ImportResult:
    """Import a single test case file as a suite of one step."""
    result = ImportResult()
    folder = path.parent.parent if path.parent.name == "tests" else path.parent
    builder = _SuiteBuilder(f"{suite_name(folder)} / {path.stem}", str(path), result)
    for document in read_documents(path):
        builder.add(document, path)
    result.suites.extend(builder.finish())
    return result


def suite_name(test_set: Path) -> str:
    """Name a test-set's suite "app / test-set-N", the app being the folder above `keploy/`."""
    parent = test_set.resolve().parent
    app = parent.parent if parent.name in ("keploy", ".keploy") else parent
    return f"{app.name} / {test_set.name}" if app.name else test_set.name


def read_documents(path: Path) -> list[Any]:
    """Return the YAML documents of a test case file. Raises SuiteLoadError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SuiteLoadError(f"cannot read the test case: {error}", file=str(path)) from None
    try:
        return [document for document in YAML(typ="safe").load_all(text) if document is not None]
    except YAMLError as error:
        summary = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise SuiteLoadError(f"invalid YAML in a Keploy test case: {summary}", file=str(path)) from None


def is_test_case(document: Any) -> bool:
    return isinstance(document, Mapping) and "kind" in document and "spec" in document


def _test_files(tests: Path) -> list[Path]:
    return [
        path for path in tests.iterdir()
        if path.suffix.lower() in TEST_SUFFIXES and path.is_file() and not path.name.startswith(".")
    ]


class _SuiteBuilder:
    """The steps of one suite being built, and the warnings that apply to its whole test-set."""

    def __init__(self, name: str, source: str, result: ImportResult) -> None:
        self.name = name
        self.source = source
        self.result = result
        self.steps: list[Step] = []
        self.step_names: set[str] = set()
        self.origins: list[str] = []
        self.dropped: list[str] = []

    def add(self, document: Any, path: Path) -> None:
        file = str(path)
        if not is_test_case(document):
            self.result.warn(file, "not a Keploy test case (no kind and spec); skipped")
            return
        kind = str(document.get("kind"))
        if kind.lower() != "http":
            self.result.warn(file, f"test case of kind {kind} is not HTTP; skipped")
            return
        spec = document.get("spec")
        request = spec.get("req") if isinstance(spec, Mapping) else None
        if not isinstance(request, Mapping):
            self.result.warn(file, "test case has no spec.req; skipped")
            return
        method = str(request.get("method") or "").upper()
        if method not in HTTP_METHODS:
            self.result.warn(file, f"method {method or '(none)'} is not supported; skipped")
            return

        origin, url = split_absolute_url(str(request.get("url") or "/"))
        if origin and origin not in self.origins:
            self.origins.append(origin)
        name = unique_name(str(document.get("name") or path.stem), self.step_names)
        self.steps.append(Step(
            name=name,
            method=method,
            url=url,
            headers=self._headers(request.get("header")),
            body=self._body(request, file),
            assertions=recorded_assertions(spec, origin, lambda message: self.result.warn(file, message)),
        ))

    def _headers(self, recorded: Any) -> dict[str, str]:
        headers: dict[str, str] = {}
        if not isinstance(recorded, Mapping):
            return headers
        for raw_name, raw_value in recorded.items():
            name, value = str(raw_name), "" if raw_value is None else str(raw_value)
            if _describes_recording(name, value):
                if name not in self.dropped:
                    self.dropped.append(name)
                continue
            headers[name] = value
        return headers

    def _body(self, request: Mapping[str, Any], file: str) -> str | None:
        if request.get("form"):
            self.result.warn(file, "multipart form fields of the request are not imported")
        if request.get("binary") or (request.get("body_ref") or {}).get("path"):
            self.result.warn(file, "the request body was stored outside the test case; it is not imported")
        body = request.get("body")
        return None if body in (None, "") else str(body)

    def finish(self) -> list[Suite]:
        if self.dropped:
            self.result.warn(
                self.source,
                "dropped request headers that describe the recording, not the request: "
                + ", ".join(self.dropped),
            )
        if len(self.origins) > 1:
            self.result.warn(
                self.source,
                f"recorded URLs name several origins ({', '.join(self.origins)}); every step "
                f"is sent to the run's base URL, by default {self.origins[0]}",
            )
        if not self.steps:
            self.result.warn(self.source, "no HTTP test cases found; no suite created")
            return []
        return [Suite(
            name=self.name,
            steps=self.steps,
            source=self.source,
            default_base_url=self.origins[0] if self.origins else None,
        )]


def _describes_recording(name: str, value: str) -> bool:
    folded = name.lower()
    if folded in RECORDING_HEADERS or folded.startswith(RECORDING_HEADER_PREFIXES):
        return True
    return folded == "user-agent" and RECORDING_AGENT.match(value) is not None
