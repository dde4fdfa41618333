"""Printing for the command line: safe text, colors only on a terminal."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from keploy_tui.formats.text import escape_controls


COLORS = {"green": "32", "red": "31", "yellow": "33", "dim": "2", "bold": "1"}


def printable(text: object) -> str:
    """Return `text` with control characters shown as escapes, so it prints literally."""
    text = escape_controls(str(text))
    # A lone surrogate from a JSON body cannot be printed; show it as an escape too.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class Printer:
    def __init__(self, stream: TextIO | None = None, color: bool | None = None) -> None:
        self.stream = stream or sys.stdout
        if color is None:
            color = self.stream.isatty() and "NO_COLOR" not in os.environ
        self.color = color
        encoding = getattr(self.stream, "encoding", None) or "ascii"
        self.pass_mark, self.fail_mark = ("✓", "✗") if _can_encode("✓✗", encoding) else ("ok", "FAIL")

    def style(self, text: str, color: str) -> str:
        return f"\x1b[{COLORS[color]}m{text}\x1b[0m" if self.color else text

    def line(self, text: str = "") -> None:
        try:
            print(text, file=self.stream, flush=True)
        except BrokenPipeError:
            # The reader (`| head`) has gone. The command still finishes, so that its
            # exit code shows whether the steps passed, but prints nothing more.
            if self.stream is sys.stdout:
                discard_stdout()
            self.stream = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def discard_stdout() -> None:
    """Point stdout at the null device, so that writes and the flush at exit raise nothing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


def _can_encode(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True
