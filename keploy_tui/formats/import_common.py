"""Types and helpers shared by the importers: the result, warnings, step names and URL splitting."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from keploy_tui.model.suite import Suite


@dataclass(frozen=True)
class ImportWarning:
    """Something an importer could not carry over exactly, tied to the file it came from."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass
class ImportResult:
    """The suites an import produced, with what it changed, skipped or could not translate.

    `warnings` need a reader's attention: a dropped header, an untranslated script
    line, a skipped request. `notes` list the files that were ignored on purpose.
    """

    suites: list[Suite] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    notes: list[ImportWarning] = field(default_factory=list)
    native_sources: set[str] = field(default_factory=set)
    """Suite YAML files, whose suite names were written by hand and are never renamed."""

    def warn(self, source: str, message: str) -> None:
        warning = ImportWarning(source, message)
        if warning not in self.warnings:
            self.warnings.append(warning)

    def note(self, source: str, message: str) -> None:
        note = ImportWarning(source, message)
        if note not in self.notes:
            self.notes.append(note)

    def extend(self, other: ImportResult) -> None:
        self.suites.extend(other.suites)
        for warning in other.warnings:
            self.warn(warning.source, warning.message)
        for note in other.notes:
            self.note(note.source, note.message)
        self.native_sources |= other.native_sources

    @property
    def step_count(self) -> int:
        return sum(len(suite.steps) for suite in self.suites)

    @property
    def assertion_count(self) -> int:
        return sum(len(step.assertions) for suite in self.suites for step in suite.steps)


_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders numbers by value, so test-2 comes before test-10."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.lower())
        for part in _DIGITS.split(name)
        if part
    )


def unique_name(name: str, used: set[str]) -> str:
    """Return `name`, or `name (2)`, `name (3)`... when it is taken, and mark it used.

    Reports identify a step by its suite and step name, so names must be unique.
    """
    candidate = name
    number = 2
    while candidate in used:
        candidate = f"{name} ({number})"
        number += 1
    used.add(candidate)
    return candidate


def split_absolute_url(url: str) -> tuple[str | None, str]:
    """Split `http://host:port/path?query` into the origin and the path with its query.

    A URL without an http(s) scheme and host is returned whole as the path, with no
    origin. The fragment is dropped, because a client never sends it.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None, url
    origin = f"{parts.scheme.lower()}://{parts.netloc}"
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return origin, path
