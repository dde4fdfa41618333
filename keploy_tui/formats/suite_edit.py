"""Writing edited steps back into a suite file, changing only what changed.

The file is split into its `---` documents and only the document of the edited suite is
loaded with ruamel.yaml's round-trip loader, changed in place and dumped again, so the
other documents stay byte for byte as they were. Inside the edited document, a key is
only written when its parsed value differs from the edit, and a replaced string keeps
its quoting style, so comments, key order and quotes of untouched lines survive.

Every save returns a SavedEdit that contains the text before and after, and
`undo_edit` writes the text before back unless the file changed after the save.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.error import YAMLError

from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.suite_step_map import new_step_map, update_step_map
from keploy_tui.formats.suite_steps import parse_suite
from keploy_tui.formats.suite_yaml import load_file
from keploy_tui.formats.yaml_values import Where
from keploy_tui.model.suite import Step, Suite

_DOCUMENT_START = re.compile(r"^---(?:[ \t].*)?\n?", re.MULTILINE)
_DUMP_WIDTH = 1 << 16


class SuiteEditError(Exception):
    """A save or undo that failed; the message gives the reason and what to do next."""


class StaleStepError(SuiteEditError):
    """The step in the file is no longer the one the edit started from."""


@dataclass(frozen=True)
class SavedEdit:
    """One save: the file, its full text before and after, and the suites it now contains."""

    path: Path
    before: str
    after: str
    suites: list[Suite]
    summary: str
    """A short description of the change for a toast, such as "step 'Login' of suite 'Auth'"."""


def update_step(path: str | Path, suite_name: str, step_name: str, step: Step,
                loaded: Step | None = None) -> SavedEdit:
    """Replace the step named `step_name` of a suite with `step`, writing only the keys that differ.

    `loaded` is the step as the caller read it before editing. When the file's step no
    longer equals it, someone changed the file meanwhile, and writing `step` would undo
    their change to any key the edit did not touch, so StaleStepError is raised instead.
    """

    def change(steps: CommentedSeq, parsed: Suite) -> None:
        index = _step_index(parsed, step_name)
        if loaded is not None and parsed.steps[index] != loaded:
            raise StaleStepError(
                f"step '{step_name}' of suite '{suite_name}' changed in {path} since keploy-tui "
                "loaded it, so the edit was not saved. The app now shows the file's version: "
                "check it and make the edit again"
            )
        update_step_map(steps[index], parsed.steps[index], step)

    return _edit(path, suite_name, change, f"step '{step.name}' of suite '{suite_name}'")


def insert_step(path: str | Path, suite_name: str, index: int, step: Step) -> SavedEdit:
    """Insert `step` at `index` of a suite's steps; an index past the end appends it."""

    def change(steps: CommentedSeq, parsed: Suite) -> None:
        if any(existing.name == step.name for existing in parsed.steps):
            raise SuiteEditError(f"suite '{suite_name}' already has a step named '{step.name}'; pick another name")
        steps.insert(min(max(index, 0), len(steps)), new_step_map(step))

    return _edit(path, suite_name, change, f"new step '{step.name}' in suite '{suite_name}'")


def delete_step(path: str | Path, suite_name: str, step_name: str) -> SavedEdit:
    """Remove the step named `step_name`; the last step of a suite cannot be removed."""

    def change(steps: CommentedSeq, parsed: Suite) -> None:
        index = _step_index(parsed, step_name)
        if len(steps) == 1:
            raise SuiteEditError(f"'{step_name}' is the only step of suite '{suite_name}'; a suite needs one step")
        del steps[index]

    return _edit(path, suite_name, change, f"deleted step '{step_name}' of suite '{suite_name}'")


def move_step(path: str | Path, suite_name: str, step_name: str, offset: int) -> SavedEdit:
    """Move the step named `step_name` by `offset` places, stopping at either end."""

    def change(steps: CommentedSeq, parsed: Suite) -> None:
        index = _step_index(parsed, step_name)
        target = min(max(index + offset, 0), len(steps) - 1)
        if target == index:
            raise SuiteEditError(f"step '{step_name}' is already at that end of suite '{suite_name}'")
        # NOTE: ruamel.yaml keeps a comment that sits between two items by position, so
        # such a comment may stay where it was instead of moving with its step.
        item = steps.pop(index)
        steps.insert(target, item)

    return _edit(path, suite_name, change, f"moved step '{step_name}' of suite '{suite_name}'")


def undo_edit(edit: SavedEdit) -> list[Suite]:
    """Write back the text from before `edit` and return the suites of the restored file.

    Raises SuiteEditError when the file changed since the save, because restoring would
    drop that change.
    """
    try:
        current = edit.path.read_text(encoding="utf-8")
    except OSError as error:
        raise SuiteEditError(f"cannot read {edit.path}: {error.strerror or error}") from None
    if current != edit.after:
        raise SuiteEditError(
            f"{edit.path} changed after the save, so undo would overwrite that change; edit the file instead"
        )
    write_atomic(edit.path, edit.before)
    return load_file(edit.path)


def write_atomic(path: Path, text: str) -> None:
    """Replace the file at `path` with `text` through a temporary file, keeping its permissions."""
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# Editing one document


def _edit(path: str | Path, suite_name: str, change: Callable[[CommentedSeq, Suite], None],
          summary: str) -> SavedEdit:
    path = Path(path)
    try:
        before = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SuiteEditError(f"cannot read {path}: {error}") from None

    chunks = _split_documents(before)
    yaml = _round_trip_yaml(before)
    for position, (head, body) in enumerate(chunks):
        document = _load_document(yaml, body, path)
        if not isinstance(document, Mapping) or document.get("name") != suite_name:
            continue
        try:
            parsed = parse_suite(document, position + 1, Where(str(path)))
        except SuiteLoadError as error:
            raise SuiteEditError(f"the file no longer loads, so it was not changed: {error}") from None
        change(document["steps"], parsed)
        chunks[position] = (head, _dump(yaml, document))
        break
    else:
        raise SuiteEditError(
            f"suite '{suite_name}' is not in {path}; it was renamed or removed, so reload the suites"
        )

    after = "".join(head + body for head, body in chunks)
    if after == before:
        raise SuiteEditError("nothing changed, so nothing was saved")
    # The edited file must load before it replaces the old one, so a save never leaves
    # behind a file that the app or `keploy-tui run` rejects.
    _check_loads(after, path)
    write_atomic(path, after)
    return SavedEdit(path=path, before=before, after=after, suites=load_file(path), summary=summary)


def _split_documents(text: str) -> list[tuple[str, str]]:
    """Return (marker line, document text) pairs; the first marker is "" when the file starts without one."""
    chunks: list[tuple[str, str]] = []
    position = 0
    head = ""
    for match in _DOCUMENT_START.finditer(text):
        chunks.append((head, text[position:match.start()]))
        head = match.group(0)
        position = match.end()
    chunks.append((head, text[position:]))
    return chunks


def _load_document(yaml: YAML, text: str, path: Path) -> Any:
    try:
        return yaml.load(text)
    except YAMLError as error:
        raise SuiteEditError(f"{path} is not valid YAML any more, so it was not changed: {error}") from None


def _dump(yaml: YAML, document: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


def _check_loads(text: str, path: Path) -> None:
    from keploy_tui.formats.suite_yaml import loads

    try:
        loads(text, str(path))
    except SuiteLoadError as error:
        raise SuiteEditError(f"the edit would make the file invalid, so it was not saved: {error}") from None


def _round_trip_yaml(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = _DUMP_WIDTH
    mapping, offset = _guess_indent(text)
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    return yaml


def _guess_indent(text: str) -> tuple[int, int]:
    """Return the mapping indent and the dash offset of block sequences that the file uses.

    Keploy writes `steps:` with its items indented by two (`  - name:`) and nested keys by
    two, which is the default when the file shows neither.
    """
    mapping, offset = None, None
    previous: tuple[int, str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if previous is not None and previous[1].endswith(":") and indent > previous[0]:
            if stripped.startswith("- ") and offset is None:
                offset = indent - previous[0]
            elif not stripped.startswith("- ") and not previous[1].startswith("- ") and mapping is None:
                mapping = indent - previous[0]
        if mapping is not None and offset is not None:
            break
        previous = (indent, stripped)
    if offset is None and re.search(r"(?m)^[A-Za-z_]\w*:\s*\n- ", text):
        offset = 0
    return mapping or 2, 2 if offset is None else offset


def _step_index(parsed: Suite, step_name: str) -> int:
    for index, existing in enumerate(parsed.steps):
        if existing.name == step_name:
            return index
    raise SuiteEditError(
        f"step '{step_name}' is not in suite '{parsed.name}' any more; reload the suites and edit again"
    )
