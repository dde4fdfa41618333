"""Loading and writing Keploy API test-suite YAML.

A file contains one or more suites separated by `---`. Every problem is raised as a
SuiteLoadError naming the file, the 1-based line and, where known, the suite and step.
No other exception leaves the load functions.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarstring import LiteralScalarString

from keploy_tui.formats import yaml_events
from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.suite_steps import parse_suite
from keploy_tui.formats.yaml_values import Where
from keploy_tui.model.suite import Suite

SUITE_SUFFIXES = (".yaml", ".yml")

# Long bodies stay on one line instead of being folded at the default 80 columns.
_DUMP_WIDTH = 1 << 16
_TRAILING_SPACE = re.compile(r"[ \t]$", re.MULTILINE)


def loads(text: str, source: str = "<string>") -> list[Suite]:
    """Return the suites in `text`. `source` names the text in errors and becomes Suite.source."""
    if not text.strip():
        raise SuiteLoadError(
            "the file is empty; a suite file contains one or more suites separated by '---'",
            file=source,
        )
    where = Where(source)
    # The round-trip parser keeps a node tree with line numbers. On a 10,000-step file
    # it took 10.9 s and 220 MiB, against 0.7 s and 32 MiB for the event builder in
    # yaml_events, and a 181 KiB file of 1,000 steps took about 1 s. So every file is
    # parsed the fast way first, and again with line numbers only when it has a
    # problem, so that every error still names its line. Suites loaded the fast way
    # have no `line`.
    try:
        return _build_suites(_parse_documents(text, source, fast=True), where, source)
    except SuiteLoadError:
        pass
    return _build_suites(_parse_documents(text, source), where, source)


def _build_suites(documents: list[Any], where: Where, source: str) -> list[Suite]:
    suites = [
        parse_suite(document, number, where)
        for number, document in enumerate(documents, start=1)
        if document is not None
    ]
    if not suites:
        raise SuiteLoadError(
            "contains no suites, only comments or empty documents; add a suite with "
            "name and steps",
            file=source,
        )
    _check_unique_suite_names(suites)
    return suites


def load_file(path: str | Path) -> list[Suite]:
    """Return the suites in the UTF-8 file at `path`, whatever its extension."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SuiteLoadError("file not found; check the path", file=name) from None
    except IsADirectoryError:
        raise SuiteLoadError("is a folder, not a file; load it as a folder", file=name) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise SuiteLoadError(f"cannot read the file: {reason}", file=name) from None
    return loads(_decode(data, name), name)


def load_path(path: str | Path) -> list[Suite]:
    """Return the suites in a file, or in every .yaml/.yml file under a folder."""
    return load_paths([path])


def load_paths(paths: Iterable[str | Path]) -> list[Suite]:
    """Return the suites of every path in order, loading a file named twice only once.

    Folders are searched recursively and their files sorted by path. Files and folders
    whose name starts with a dot (`.git`, `.github`) are skipped inside a folder.
    Suite names must be unique across everything loaded.
    """
    files: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        for file in _suite_files(Path(path)):
            identity = file.resolve()
            if identity not in seen:
                seen.add(identity)
                files.append(file)

    suites = [suite for file in files for suite in load_file(file)]
    _check_unique_suite_names(suites)
    return suites


def dump_suites(suites: list[Suite]) -> str:
    """Return suites as Keploy suite YAML, separated by `---`, that loads() reads back."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = _DUMP_WIDTH
    documents = []
    for suite in suites:
        buffer = io.StringIO()
        yaml.dump(_literal_blocks(suite.to_dict()), buffer)
        documents.append(buffer.getvalue())
    return "---\n".join(documents)


def _literal_blocks(value: Any) -> Any:
    """Mark multi-line strings for `|` block style, which reads better than escaped \\n.

    A string with trailing spaces on a line stays quoted, because editors often strip
    such spaces from a block. So does a string with a carriage return (a multipart
    body), because YAML reads every line break in a block as a bare newline.
    ruamel.yaml's emitter also falls back to a quoted style when a block cannot hold
    the string exactly, for example when it starts with a blank line.
    """
    if isinstance(value, dict):
        return {key: _literal_blocks(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_literal_blocks(item) for item in value]
    if (isinstance(value, str) and "\n" in value.strip("\n") and "\r" not in value
            and not _TRAILING_SPACE.search(value)):
        return LiteralScalarString(value)
    return value


def _suite_files(path: Path) -> list[Path]:
    if path.is_dir():
        try:
            files = sorted(
                file
                for file in path.rglob("*")
                if file.suffix.lower() in SUITE_SUFFIXES
                and not any(part.startswith(".") for part in file.relative_to(path).parts)
                and file.is_file()
            )
        except OSError as error:
            reason = error.strerror or str(error)
            raise SuiteLoadError(f"cannot list the folder: {reason}", file=str(path)) from None
        if not files:
            raise SuiteLoadError(
                "folder contains no .yaml or .yml files; check the path", file=str(path)
            )
        return files
    if not path.exists():
        raise SuiteLoadError("file or folder not found; check the path", file=str(path))
    return [path]


def _decode(data: bytes, name: str) -> str:
    # A UTF-8 byte order mark stays in the text, because ruamel.yaml skips it.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SuiteLoadError(
            f"the file is not valid UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8",
            file=name,
            line=line,
        ) from None


def _parse_documents(text: str, source: str, fast: bool = False) -> list[Any]:
    """Return every YAML document in `text`, with None for an empty document.

    `fast` builds values from libyaml's events (yaml_events), or uses the safe parser
    for YAML that the builder leaves alone. Their plain dicts and lists carry no line numbers.
    """
    yaml = YAML(typ="safe", pure=False) if fast else YAML(typ="rt")
    try:
        if fast:
            with contextlib.suppress(yaml_events.Unsupported, TypeError, ValueError):
                return yaml_events.load_all(text)
        return list(yaml.load_all(text))
    except MarkedYAMLError as error:
        raise _yaml_error(error, source) from None
    except ReaderError as error:
        line = text[: error.position].count("\n") + 1
        raise SuiteLoadError(
            f"invalid YAML: control character {_code_point(error.character)} is not "
            "allowed; remove it or write it as an escape in a double-quoted string",
            file=source,
            line=line,
        ) from None
    except YAMLError as error:
        summary = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise SuiteLoadError(f"invalid YAML: {summary}", file=source) from None
    except RecursionError:
        raise SuiteLoadError(
            "cannot load: the YAML is nested too deeply; flatten it", file=source
        ) from None


def _code_point(character: Any) -> str:
    # ruamel.yaml 0.19 stores the offending character as its code point.
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    return f"U+{code:04X}"


def _yaml_error(error: MarkedYAMLError, source: str) -> SuiteLoadError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else None
    message = f"invalid YAML: {error.problem or error.context}"
    if error.context and error.problem and error.context_mark is not None:
        message += f" ({error.context} at line {error.context_mark.line + 1})"
    return SuiteLoadError(message, file=source, line=line)


def _check_unique_suite_names(suites: list[Suite]) -> None:
    # Reports and JUnit test cases identify a suite by its name, so two suites with one
    # name in a single load would be ambiguous there.
    first: dict[str, Suite] = {}
    for suite in suites:
        if suite.name in first:
            other = first[suite.name]
            place = f"{other.source}:{other.line}" if other.line else str(other.source)
            raise SuiteLoadError(
                f"duplicate suite name, also used at {place}; rename "
                "one, because reports identify a suite by its name",
                file=suite.source,
                line=suite.line,
                suite=suite.name,
            )
        first[suite.name] = suite
