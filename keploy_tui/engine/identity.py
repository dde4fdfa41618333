"""The Creator of a report: the person or CI identity that started the run."""

from __future__ import annotations

import getpass
import os
import socket
import subprocess

CREATOR_ENV = "KEPLOY_TUI_CREATOR"


def resolve_creator(option: str | None = None) -> str:
    """Return `option`, else $KEPLOY_TUI_CREATOR, else git's user.email, else user@host."""
    if option:
        return option
    if os.environ.get(CREATOR_ENV):
        return os.environ[CREATOR_ENV]
    email = _git_email()
    if email:
        return email
    return f"{_user()}@{socket.gethostname()}"


def _git_email() -> str | None:
    try:
        completed = subprocess.run(
            ["git", "config", "user.email"], capture_output=True, text=True, timeout=2, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip() or None


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
