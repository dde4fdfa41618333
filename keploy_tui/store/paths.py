"""Data directory resolution and the names of the files inside it."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "KEPLOY_TUI_DATA_DIR"
APP_NAME = "keploy-tui"

INDEX_FILE = "keploy_tui.json"
"""TinyDB: the report index, one small entry per report."""
SETTINGS_FILE = "settings.json"
"""TinyDB: last endpoint and auth per suite, and other settings. The only file with credentials."""
REPORTS_DIR = "reports"
"""One `<report-id>.jsonl` per report, holding its step results a line each."""
LOG_FILE = "keploy-tui.log"
LOCK_FILE = ".lock"


def resolve_data_dir(option: str | Path | None = None) -> Path:
    """Return the data directory, creating it with mode 0700 if it is missing.

    The `--data-dir` option wins, then $KEPLOY_TUI_DATA_DIR, then the platform's user
    data directory for keploy-tui. An existing directory keeps its mode.
    """
    if option:
        source, chosen = "--data-dir", Path(option)
    elif os.environ.get(ENV_VAR):
        source, chosen = ENV_VAR, Path(os.environ[ENV_VAR])
    else:
        # Imported only here: a run given --data-dir or the variable never needs it.
        import platformdirs

        source, chosen = "default", Path(platformdirs.user_data_dir(APP_NAME))
    path = chosen.expanduser().absolute()

    if path.exists() and not path.is_dir():
        raise NotADirectoryError(
            f"Data directory {path} (from {source}) is not a directory: "
            f"pass --data-dir or set {ENV_VAR} to a directory."
        )
    # Only the last component gets 0700, and parents that mkdir creates get the umask default.
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
