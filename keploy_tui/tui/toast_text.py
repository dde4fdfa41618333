"""Text helpers for the app's toasts, shared by the App and the helpers that notify for it.

Toasts show suite names, paths and server errors, so their text goes through `plain`.
"""

from __future__ import annotations

from keploy_tui.tui.validation import literal_text

ERROR_TOAST_SECONDS = 10.0


def plural(count: int, noun: str) -> str:
    """Return "1 suite" or "3 suites"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def plain(value: object) -> str:
    """Return text from a suite, a server or a user with control characters escaped, for a toast.

    Toasts are also given markup=False, so a `[bold]` in the text shows literally.
    """
    return literal_text(value).plain
