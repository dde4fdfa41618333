"""Errors raised while loading suite files."""

from __future__ import annotations


def format_location(
    file: str | None, line: int | None, suite: str | None, step: str | None
) -> str:
    """Return the "file:line: suite 'S', step 'T'" prefix, leaving out the parts not known."""
    parts = []
    if file is not None:
        parts.append(f"{file}:{line}" if line is not None else file)
    elif line is not None:
        parts.append(f"line {line}")

    context = []
    if suite is not None:
        context.append(f"suite '{suite}'")
    if step is not None:
        context.append(f"step '{step}'")
    if context:
        parts.append(", ".join(context))
    return ": ".join(parts)


class SuiteLoadError(Exception):
    """A suite file that cannot be loaded, with where it failed and what to change.

    `str()` is one line in compiler style, for example
    "suites/posts.yaml:14: suite 'Posts CRUD', step 'Create post': assert[1]: unknown type
    'json_eq'; expected one of status_code, ...". `line` is 1-based.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        suite: str | None = None,
        step: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.suite = suite
        self.step = step
        super().__init__(str(self))

    def __str__(self) -> str:
        location = format_location(self.file, self.line, self.suite, self.step)
        return f"{location}: {self.message}" if location else self.message
