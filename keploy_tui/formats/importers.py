"""One entry point for every input the CLI and the app accept: `load_any` and `load_any_paths`.

What a path is, decided in this order:
- a folder with `tests/*.yaml` is a Keploy test-set; a folder with test-sets at any
  depth below it (`keploy/`) imports each of them;
- any other folder loads its `.yaml`/`.yml` suite files (searched recursively) and
  its Postman collections (`.json`);
- a file whose content is a JSON object with `info` and `item` is a Postman
  collection (v2.0 or v2.1);
- a YAML file whose document has `kind` and `spec` is a single Keploy test case;
- any other file is Keploy API test-suite YAML.
Every failure is a SuiteLoadError naming the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.import_common import ImportResult, ImportWarning, unique_name
from keploy_tui.formats.suite_yaml import SUITE_SUFFIXES, load_file

# The Keploy test-set and Postman importers are imported where they are first needed,
# because together they were a sixth of `keploy-tui run`'s start-up on a suite file.

__all__ = ["ImportResult", "ImportWarning", "load_any", "load_any_paths", "load_environment"]

_SUPPORTED_SCHEMAS = ("v2.0.0", "v2.1.0")


def load_environment(path: str | Path) -> dict[str, str]:
    """Read a Postman environment (or globals) export. Raises SuiteLoadError naming the file."""
    from keploy_tui.formats import postman_vars

    return postman_vars.load_environment(path)


def load_any(path: str | Path, environment: dict[str, str] | None = None,
             seen: set[Path] | None = None) -> ImportResult:
    """Import one path of any supported kind; `environment` fills Postman variables.

    Files and test-sets whose resolved path is in `seen` are skipped, and the ones
    imported are added to it.
    """
    path = Path(path)
    seen = set() if seen is None else seen
    if path.is_dir():
        return _load_folder(path, environment, seen)
    if not path.exists():
        raise SuiteLoadError("file or folder not found; check the path", file=str(path))
    if _first_time(path, seen):
        return _load_file(path, environment)
    return ImportResult()


def _first_time(path: Path, seen: set[Path]) -> bool:
    identity = path.resolve()
    if identity in seen:
        return False
    seen.add(identity)
    return True


def load_any_paths(paths: Iterable[str | Path], environment: str | Path | dict[str, str] | None = None) -> ImportResult:
    """Import every path in order, each file once; suite names must be unique across them all.

    `environment` is a Postman environment file or its values, applied to every
    Postman collection; it is reported as unused when no collection was imported.
    """
    values = load_environment(environment) if isinstance(environment, (str, Path)) else environment
    result = ImportResult()
    seen: set[Path] = set()
    for path in paths:
        result.extend(load_any(path, values, seen))
    _check_unique_names(result)
    if environment is not None and not any(_is_collection_source(suite.source) for suite in result.suites):
        result.warn(str(environment), "the environment was not used: no Postman collection was imported")
    return result


def _load_folder(folder: Path, environment: dict[str, str] | None, seen: set[Path]) -> ImportResult:
    from keploy_tui.formats.keploy_testset import find_test_sets, load_test_sets

    test_sets = find_test_sets(folder)
    if test_sets:
        result = load_test_sets(folder, [test_set for test_set in test_sets if _first_time(test_set, seen)])
        # A folder may hold Postman collections beside the Keploy folder; YAML files
        # there are not read, since Keploy's own config files sit beside its test-sets.
        for file in sorted(folder.rglob("*.json")):
            inside_test_set = any(test_set in file.parents for test_set in test_sets)
            if inside_test_set or not _first_time(file, seen):
                continue
            data = _read_json(file)
            if _is_collection(data):
                result.extend(_load_collection(file, data, environment))
            else:
                result.note(str(file), "ignored: not a Postman collection")
        return result
    result = ImportResult()
    try:
        files = sorted(
            file for file in folder.rglob("*")
            if file.is_file()
            and not any(part.startswith(".") for part in file.relative_to(folder).parts)
            and file.suffix.lower() in (*SUITE_SUFFIXES, ".json")
        )
    except OSError as error:
        raise SuiteLoadError(f"cannot list the folder: {error.strerror or error}", file=str(folder)) from None
    for file in files:
        if not _first_time(file, seen):
            continue
        if file.suffix.lower() == ".json":
            data = _read_json(file)
            if not _is_collection(data):
                result.note(str(file), "ignored: not a Postman collection")
                continue
            result.extend(_load_collection(file, data, environment))
        else:
            result.extend(_load_yaml(file))
    if not result.suites and not result.warnings:
        raise SuiteLoadError(
            "folder contains no suites, Keploy test-sets or Postman collections; check the path",
            file=str(folder),
        )
    return result


def _load_file(path: Path, environment: dict[str, str] | None) -> ImportResult:
    suffix = path.suffix.lower()
    if suffix == ".json" or (suffix not in SUITE_SUFFIXES and _starts_with_brace(path)):
        data = _read_json(path)
        if _is_collection(data):
            return _load_collection(path, data, environment)
        if isinstance(data, dict) and isinstance(data.get("values"), list):
            raise SuiteLoadError(
                "this is a Postman environment, not a collection; pass it with -e/--environment",
                file=str(path),
            )
        if isinstance(data, dict) and "requests" in data and "order" in data:
            raise SuiteLoadError(
                "this is a Postman collection v1, which is not supported; export it as v2.1 from Postman",
                file=str(path),
            )
        raise SuiteLoadError(
            "not a Postman collection: expected a JSON object with 'info' and 'item'", file=str(path)
        )
    return _load_yaml(path)


def _load_yaml(path: Path) -> ImportResult:
    kinds = _test_case_kinds(path)
    if kinds and all(kind.lower() != "http" for kind in kinds):
        raise SuiteLoadError(
            f"this file contains Keploy mocks or non-HTTP records (kind {', '.join(sorted(kinds))}), "
            "not HTTP tests; import the test-set folder",
            file=str(path),
        )
    if kinds:
        from keploy_tui.formats.keploy_testset import load_test_case_file

        return load_test_case_file(path)
    result = ImportResult()
    result.suites.extend(load_file(path))
    result.native_sources.add(str(path))
    return result


TOP_LEVEL_KIND = re.compile(rb"""["']?\bkind["']?\s*:""")


def _test_case_kinds(path: Path) -> set[str]:
    """Return the `kind` of each Keploy record in a YAML file; empty for a suite file."""
    # Parsing a large suite file twice doubles its load time, so the full parse happens
    # only when a `kind` key appears somewhere, as in every Keploy record (YAML or JSON).
    try:
        with path.open("rb") as handle:
            data = handle.read()
    except OSError:
        return set()
    # The substring test runs at memory speed, and the regular expression took 6 ms on
    # a 2,000-step suite because its optional first character defeats prefix search.
    if b"kind" not in data or not TOP_LEVEL_KIND.search(data):
        return set()
    from keploy_tui.formats.keploy_testset import is_test_case, read_documents

    try:
        documents = read_documents(path)
    except SuiteLoadError:
        # The suite loader reports the problem with its line number.
        return set()
    return {str(document.get("kind")) for document in documents if is_test_case(document)}


def _starts_with_brace(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    except OSError:
        return False


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise SuiteLoadError("file not found; check the path", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SuiteLoadError(f"cannot read the file: {error}", file=str(path)) from None
    except ValueError as error:
        raise SuiteLoadError(f"invalid JSON: {error}", file=str(path)) from None
    except RecursionError:
        raise SuiteLoadError("cannot load: the JSON is nested too deeply", file=str(path)) from None


def _is_collection(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("info"), dict) and "item" in data


def _load_collection(path: Path, data: dict[str, Any], environment: dict[str, str] | None) -> ImportResult:
    schema = str(data["info"].get("schema") or "")
    if schema and not any(version in schema for version in _SUPPORTED_SCHEMAS):
        raise SuiteLoadError(
            f"collection schema {schema} is not supported; export the collection as v2.1 from Postman",
            file=str(path),
        )
    from keploy_tui.formats.postman_collection import load_collection

    return load_collection(path, data, environment)


def _is_collection_source(source: str | None) -> bool:
    return bool(source) and _starts_with_brace(Path(str(source)))


def _check_unique_names(result: ImportResult) -> None:
    """Rename an imported suite whose name is taken; reject a taken name in suite YAML.

    Reports identify a suite by its name, as in suite_yaml.load_paths. Two Postman
    collections or test-sets often share a name, so the later one gets its file name
    appended. A suite file's names were written by hand, so a clash there is an error.
    """
    first: dict[str, str | None] = {}
    for suite in result.suites:
        if suite.name in first and suite.source in result.native_sources:
            raise SuiteLoadError(
                f"duplicate suite name, also imported from {first[suite.name]}; rename one, "
                "because reports identify a suite by its name",
                file=suite.source,
                suite=suite.name,
            )
        if suite.name in first:
            original = suite.name
            suite.name = unique_name(f"{original} ({Path(str(suite.source)).name})", set(first))
            result.warn(str(suite.source), f"suite renamed to '{suite.name}': '{original}' is already "
                                           f"imported from {first[original]}")
        first[suite.name] = suite.source
